"""Builders for scene snapshots, settings and small scene files, shared by the tests."""

import json
import os

from ciokatana.core.scene import FarmSettings, RenderNode, RenderOutput, SceneSnapshot
from ciokatana.core.settings import EnvVar, Package, Settings


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


def rich_settings():
    """Settings with every field away from its default (for round-trip tests)."""
    return Settings(
        title_template="{scene} / {node}",
        project="Episode 104",
        instance_type="n2-standard-8",
        preemptible=False,
        autoretry=3,
        software=[
            Package("katana 7.0v4 linux", "26f0", "katana", "linux", [{"name": "KATANA_ROOT", "value": "/opt/k",
                                                                        "merge_policy": "exclusive"}]),
            Package("katana 7.0v4 linux/renderman-katana 26.3 linux", "0537", "renderman-katana"),
        ],
        frame_spec="1001-1100x2",
        scout_spec="auto:3",
        chunk_size=5,
        environment=[EnvVar("SHOW", "demo"), EnvVar("PATH", "/x/bin", "append")],
        metadata={"shot": "shot010", "dept": "lighting"},
        extra_assets=["sample_show/ocio", "/abs/lut.cube"],
        task_template="katana --batch --katana-file={scene} --render-node={node} -t {chunk}",
        notify=["a@b.c"],
        location="london",
        use_daemon=True,
        mock_mode="use",
        mock_file="/tmp/mock.json",
        mock_interval=0.25,
    )


def small_scene_file(tmp_path):
    """A one-node scene file with a small Katana file and two UDIM textures (random bytes); its path."""
    folder = tmp_path / "shot"
    (folder / "tex").mkdir(parents=True)
    (folder / "tex" / "wood.1001.tx").write_bytes(os.urandom(3000))
    (folder / "tex" / "wood.1002.tx").write_bytes(os.urandom(5000))
    (folder / "small.katana").write_bytes(b"katana scene bytes")
    data = {
        "katana_file": "small.katana",
        "frame_range": {"start": 1, "end": 2},
        "render_nodes": [{
            "name": "hero",
            "renderer": "prman",
            "outputs": [{"name": "primary", "enabled": True,
                         "outputLocation": str(tmp_path / "renders" / "hero.####.exr")}],
        }],
        "assets": ["tex/wood.<UDIM>.tx"],
        "settings": {"scout_spec": ""},
    }
    path = folder / "small.json"
    path.write_text(json.dumps(data))
    return str(path)
