"""Builders for scene snapshots and settings, shared by the tests."""

from ciokatana.core.scene import FarmSettings, RenderNode, RenderOutput, SceneSnapshot
from ciokatana.core.settings import Package, Settings


def output(location, name="primary", enabled=True, temp=""):
    return RenderOutput(name=name, enabled=enabled, output_location=location, temp_render_location=temp)


def node(name="beauty", outputs=None, overrides=False, frames="", scout="", chunk=1, renderer="prman", selected=False):
    return RenderNode(
        name=name,
        selected=selected,
        renderer=renderer,
        farm_settings=FarmSettings(overrides=overrides, frame_spec=frames, scout_spec=scout, chunk_size=chunk),
        outputs=tuple(outputs if outputs is not None else [output("/renders/{}/{}.####.exr".format(name, name))]),
    )


def snapshot(katana_file="/shows/demo/shot.katana", nodes=None, frame_range=(1, 10), dirty=False, assets=(), temp_dir=""):
    return SceneSnapshot(
        katana_file=katana_file,
        frame_range=frame_range,
        dirty=dirty,
        nodes=tuple(nodes if nodes is not None else [node()]),
        assets=tuple(assets),
        temp_dir=temp_dir,
    )


def settings(**kw):
    base = dict(
        project="Demo",
        instance_type="n1-standard-8",
        software=[Package(path="katana 7.0.4 linux", package_id="kat704", product="katana")],
        scout_spec="",
    )
    base.update(kw)
    return Settings(**base)
