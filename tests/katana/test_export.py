"""Export from Katana: ``batch.export_scene`` and the Export Conductor Scene shelf item (issue 15.2).

Layer: tests/katana (no Qt). The proof that matters: a scene exported from
the stand-in and run through ``ciokatana preview`` gives exactly the
payloads the dialog's Preview computes inside Katana (the controller's
planning path on a :class:`KatanaScene`).
"""

import io
import json
import os
from contextlib import redirect_stdout

import pytest

from ciokatana.core.filescene import FileScene
from ciokatana.core.redact import redact
from ciokatana.core.settings import Settings
from ciokatana.katana import batch, shelf
from ciokatana.katana.scene import KatanaScene
from ciokatana.standalone import cli
from ciokatana.core import submission

import katana_scenes as ks

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FILESCENE_KEYS = {"katana_file", "frame_range", "unsaved_changes", "temp_dir", "render_nodes", "scope", "assets", "settings",
                  "notes"}


def shot_settings():
    with open(os.path.join(ROOT, "examples", "shot010.json")) as handle:
        data = json.load(handle)["settings"]
    data.update(frame_spec="1-10", chunk_size=3, scout_spec="fml:2", extra_assets=["notes/readme.txt"])
    return data


def build_shot(folder):
    """Three Render nodes (one with its own frames, one bypassed), assets, settings, saved."""
    from Katana import FarmAPI, NodegraphAPI

    ks.touch(folder, "caches/hero.0001.abc", "caches/hero.0002.abc", "tex/wood.1001.tx", "attrs/shot.xml",
             "notes/readme.txt", size=32)
    geo = ks.alembic(str(folder / "caches/hero.####.abc"))
    ks.shading("PrmanShadingNode", {"filename": str(folder / "tex/wood.<UDIM>.tx")}, name="wood")
    attrs = NodegraphAPI.CreateNode("AttributeFile_In")
    attrs.getParameter("filepath").setValue(str(folder / "attrs/shot.xml"), 0)
    ks.render_node("beauty", location=str(folder / "renders/beauty.####.exr"), upstream=geo)
    shadow = ks.render_node("shadow", location=str(folder / "renders/shadow.####.exr"), output_name="shadow")
    ks.render_node("old", location=str(folder / "renders/old.####.exr")).setBypassed(True)
    KatanaScene().store_settings(shot_settings())
    KatanaScene().set_farm_settings("shadow", KatanaScene().render_nodes()[1].farm_settings.__class__(
        overrides=True, frame_spec="5-8", scout_spec="", chunk_size=2))
    assert shadow.getParameter("farmSettings.conductorFrameSpec").getValue(0) == "5-8"
    assert FarmAPI.GetSceneFrameRange()["start"] == 1
    return ks.save(folder / "shot010_lighting_v003.katana")


def dialog_preview(nodes=None):
    """What the dialog's Preview shows inside Katana: the controller's planning on a KatanaScene."""
    scene = KatanaScene(nodes=nodes)
    settings = Settings.from_dict(scene.load_settings())
    result = submission.prepare(scene.snapshot(), settings, generation=1)
    return [redact(p) for p in result.plan.payloads]


def cli_preview(path, *flags):
    out = io.StringIO()
    with redirect_stdout(out):
        code = cli.main(["preview", "--scene", str(path)] + list(flags))
    assert code == 0
    return json.loads(out.getvalue())


def test_an_exported_scene_previews_exactly_as_the_dialog_does(plugin, tmp_path):
    build_shot(tmp_path)
    exported = batch.export_scene(str(tmp_path / "export" / ".." / "shot.json"))
    assert exported == str(tmp_path / "shot.json")
    inside = dialog_preview()
    outside = cli_preview(exported)
    assert [p["job_title"] for p in inside] == ["Katana shot010_lighting_v003 beauty",
                                                "Katana shot010_lighting_v003 shadow"]
    assert outside == inside
    assert str(tmp_path / "attrs/shot.xml") in inside[0]["upload_paths"]
    assert [t["frames"] for t in inside[1]["tasks_data"]] == ["5-6", "7-8"]


def test_the_selection_is_the_scope_of_the_exported_file(plugin, tmp_path):
    from Katana import NodegraphAPI

    build_shot(tmp_path)
    NodegraphAPI.SetNodeSelected(NodegraphAPI.GetNode("shadow"), True)
    exported = batch.export_scene(str(tmp_path / "shot.json"))
    inside = dialog_preview()
    assert [p["job_title"] for p in inside] == ["Katana shot010_lighting_v003 shadow"]
    assert cli_preview(exported) == inside
    # Every Render node that is not bypassed is in the file, so another one can be chosen.
    beauty_inside = dialog_preview(nodes=["beauty"])
    assert cli_preview(exported, "--node", "beauty") == beauty_inside


def test_the_file_holds_what_the_adapter_sees_in_keys_filescene_reads(plugin, tmp_path):
    katana_file = build_shot(tmp_path)
    exported = batch.export_scene(str(tmp_path / "shot.json"), nodes=["beauty"])
    with open(exported) as handle:
        data = json.load(handle)
    assert set(data) == FILESCENE_KEYS
    assert data["katana_file"] == katana_file
    assert data["frame_range"] == {"start": 1, "end": 100}
    assert data["unsaved_changes"] is False
    assert [(n["name"], n["selected"], n["renderer"]) for n in data["render_nodes"]] == [
        ("beauty", True, "prman"), ("shadow", False, "prman")]
    assert data["render_nodes"][1]["farm_settings"] == {
        "conductorOverrides": True, "conductorFrameSpec": "5-8", "conductorScoutSpec": "", "conductorChunkSize": 2}
    assert data["render_nodes"][0]["outputs"][-1]["outputLocation"] == str(tmp_path / "renders/beauty.####.exr")
    assert sorted(data["assets"]) == sorted([str(tmp_path / "caches/hero.####.abc"),
                                             str(tmp_path / "tex/wood.<UDIM>.tx"),
                                             str(tmp_path / "attrs/shot.xml")])
    assert data["settings"]["project"] == shot_settings()["project"]
    assert data["settings"]["extra_assets"] == ["notes/readme.txt"]
    scene = FileScene(exported)
    assert [n.name for n in scene.render_nodes()] == ["beauty"]


def test_unsaved_changes_travel_with_the_file(plugin, tmp_path):
    build_shot(tmp_path)
    ks.alembic(str(tmp_path / "caches/new.abc"), name="late")
    exported = batch.export_scene(str(tmp_path / "shot.json"))
    assert FileScene(exported).is_dirty() is True


def test_export_replaces_the_file_atomically(plugin, tmp_path, monkeypatch):
    build_shot(tmp_path)
    target = tmp_path / "shot.json"
    target.write_text('{"old": true}')

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(batch.BatchSubmitError) as caught:
        batch.export_scene(str(target))
    assert "cannot write {} (No space left on device)".format(target) in str(caught.value)
    assert target.read_text() == '{"old": true}'
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".json") == ["shot.json"]


@pytest.mark.parametrize("bad,message", [
    ("", "needs the path"),
    ("{tmp}/no/such/folder/shot.json", "does not exist"),
    ("{tmp}", "is a folder"),
])
def test_a_bad_path_is_a_clear_error(plugin, tmp_path, bad, message):
    build_shot(tmp_path)
    with pytest.raises(batch.BatchSubmitError) as caught:
        batch.export_scene(bad.format(tmp=tmp_path))
    assert message in str(caught.value)


def test_an_unknown_node_is_a_clear_error(plugin, tmp_path):
    build_shot(tmp_path)
    with pytest.raises(batch.BatchSubmitError) as caught:
        batch.export_scene(str(tmp_path / "x.json"), nodes=["nope"])
    assert "no node named 'nope'" in str(caught.value)
    assert not (tmp_path / "x.json").exists()


def test_the_shelf_item_writes_next_to_the_scene_without_a_ui(plugin, ksc, tmp_path):
    build_shot(tmp_path)
    ksc.set_launch_mode("script")
    lines = []
    written = shelf.run("export_conductor_scene", {"console_print": lines.append})
    assert written == str(tmp_path / "shot010_lighting_v003.conductor.json")
    assert cli_preview(written) == dialog_preview()
    assert "ciokatana preview --scene {}".format(written) in lines[0]


def test_the_shelf_item_asks_where_in_katanas_ui(plugin, ksc, tmp_path):
    build_shot(tmp_path)
    ksc.set_browse_results(str(tmp_path / "picked.json"), "")
    lines = []
    assert shelf.export_conductor_scene(printer=lines.append) == str(tmp_path / "picked.json")
    [call] = ksc.browse_calls()
    assert call["default"] == str(tmp_path / "shot010_lighting_v003.conductor.json") and call["save"] is True
    assert shelf.export_conductor_scene(printer=lines.append) is None  # cancelled
    assert lines[-1] == "Conductor: Export Conductor Scene cancelled."


# -- the scope travels exactly, and so does what validation would say --------------------------

def dialog_findings(nodes=None):
    """What the dialog's Validation tab shows inside Katana, as (level, rule, where, message)."""
    from ciokatana.core.plan import plan_submission
    from ciokatana.core.validation import validate

    scene = KatanaScene(nodes=nodes)
    plan = plan_submission(scene.snapshot(), Settings.from_dict(scene.load_settings()))
    return [(f.level, f.rule, f.where, f.message) for f in validate(plan)]


def cli_findings(path, *flags):
    out = io.StringIO()
    with redirect_stdout(out):
        cli.main(["validate", "--scene", str(path), "--json"] + list(flags))
    return [(f["level"], f["rule"], f["where"], f["message"]) for f in json.loads(out.getvalue())]


def test_a_scope_of_bypassed_nodes_only_exports_an_empty_scope(plugin, tmp_path, capsys):
    from Katana import NodegraphAPI

    build_shot(tmp_path)
    NodegraphAPI.SetNodeSelected(NodegraphAPI.GetNode("old"), True)  # the bypassed one, alone
    inside = dialog_preview()
    assert inside == []  # Katana's Preview: nothing to submit
    exported = batch.export_scene(str(tmp_path / "shot.json"))
    assert cli_preview(exported) == inside  # not beauty and shadow
    with open(exported) as handle:
        data = json.load(handle)
    assert data["scope"] == [] and not any(n["selected"] for n in data["render_nodes"])
    assert FileScene(exported).render_nodes() == []
    # The bypassed node in scope is reported as Katana reports it.
    [bypassed] = [f for f in cli_findings(exported) if f[1] == "bypassed_render_node"]
    assert bypassed[2] == "Render node 'old'" and "is bypassed" in bypassed[3]
    # Submitting it says so and submits nothing (the mock would replay four jobs).
    capsys.readouterr()
    code = cli.main(["submit", "--scene", exported, "--mock", os.path.join(ROOT, "scripts", "mock_submission.json")])
    out, err = capsys.readouterr()
    assert code == 1 and "not submitted" in err and "Results" not in out
    assert "has no Render node in scope" in err
    assert "its 'scope' list is empty" in err and "--node NAME" in err


def test_an_empty_node_list_exports_an_empty_scope(plugin, tmp_path):
    build_shot(tmp_path)
    assert dialog_preview(nodes=[]) == []
    exported = batch.export_scene(str(tmp_path / "shot.json"), nodes=[])
    assert cli_preview(exported) == []
    # Other nodes can still be chosen from the file.
    assert cli_preview(exported, "--node", "shadow") == dialog_preview(nodes=["shadow"])


def test_an_export_carries_what_validation_says_in_katana(plugin, ksc, tmp_path):
    from Katana import NodegraphAPI

    build_shot(tmp_path)
    ksc.set_asset_resolver(lambda asset_id, frame: (_ for _ in ()).throw(LookupError("no such asset")))
    ks.alembic("mock:///show/crowd/v9", name="crowd")
    ks.save(tmp_path / "shot010_lighting_v003.katana")
    for name in ("old", "beauty"):
        NodegraphAPI.SetNodeSelected(NodegraphAPI.GetNode(name), True)
    exported = batch.export_scene(str(tmp_path / "shot.json"))
    with open(exported) as handle:
        notes = json.load(handle)["notes"]
    assert [(n["level"], n["rule"], n["where"]) for n in notes] == [
        ("notice", "bypassed_render_node", "Render node 'old'"),
        ("warning", "unresolved_asset", "Parameter 'crowd.abcAsset'")]
    assert "no such asset" in notes[1]["message"]
    carried = {"bypassed_render_node", "unresolved_asset", "no_render_nodes"}
    inside = [f for f in dialog_findings() if f[1] in carried]
    assert len(inside) == 2 and cli_findings(exported) and [
        f for f in cli_findings(exported) if f[1] in carried] == inside


def test_a_scene_opened_from_an_unresolved_asset_id_exports_as_an_error(plugin, monkeypatch, tmp_path):
    from Katana import FarmAPI, NodegraphAPI

    ks.render_node("beauty", location=str(tmp_path / "renders/b.####.exr"))
    monkeypatch.setattr(NodegraphAPI, "GetProjectFile", lambda: "")
    monkeypatch.setattr(FarmAPI, "GetKatanaFileName", lambda: "mock:///show/shot010/lighting/v3")
    exported = batch.export_scene(str(tmp_path / "shot.json"))
    scene = FileScene(exported)
    assert scene.katana_file() == "mock:///show/shot010/lighting/v3"  # not <folder>/mock:/show/...
    findings = [f for f in cli_findings(exported) if f[0] == "error"]
    assert [f[1] for f in findings if "mock:///show/shot010/lighting/v3" in f[3]] == ["unresolved_scene"]
    assert [f for f in findings if f[1] == "scene_file_missing"] == []
    lines = []
    shelf.export_conductor_scene(printer=lines.append, path=str(tmp_path / "again.json"))
    assert any(line.startswith("  error: Scene file: the project was opened from asset id") for line in lines)
