"""The JSON scene file: reading, scope, writing back, and bad files."""

import json
import os

import pytest

from ciokatana.core.filescene import FileScene
from ciokatana.core.scene import FarmSettings, SceneError
from ciokatana.core.settings import EnvVar, Settings

from builders import rich_settings
from conftest_paths import EXAMPLES


def read(path):
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def three_nodes(selected=()):
    return {
        "render_nodes": [
            {"name": n, "selected": n in selected, "outputs": [{"name": "p", "outputLocation": "/r/%s/x.exr" % n}]}
            for n in ("a", "b", "c")
        ]
    }


def test_reads_the_scene(write_scene):
    scene = FileScene(write_scene({"assets": ["tex/a.tx", "/abs/b.abc"], "temp_dir": "/tmp/kt", "unsaved_changes": True}))
    folder = os.path.dirname(scene.path)
    assert scene.katana_file() == os.path.join(folder, "shot.katana")
    assert scene.frame_range() == (1, 10) and scene.is_dirty() and scene.temp_dir() == "/tmp/kt"
    assert scene.assets() == [os.path.join(folder, "tex/a.tx"), "/abs/b.abc"]
    snap = scene.snapshot()
    assert snap.scene_name == "shot" and [n.name for n in snap.nodes] == ["beauty"]


def test_scope_is_selected_nodes_else_all(write_scene):
    assert [n.name for n in FileScene(write_scene(three_nodes())).render_nodes()] == ["a", "b", "c"]
    assert [n.name for n in FileScene(write_scene(three_nodes(("c", "a")))).render_nodes()] == ["a", "c"]
    assert [n.name for n in FileScene(write_scene(three_nodes(("a",))), nodes=["b", "c"]).render_nodes()] == ["b", "c"]


def test_unknown_node_names_list_the_real_ones(write_scene):
    with pytest.raises(SceneError, match=r"no Render node named 'zz'; it has: a, b, c"):
        FileScene(write_scene(three_nodes()), nodes=["zz"])


def test_unsaved_scene_has_no_katana_file(write_scene):
    assert FileScene(write_scene({"katana_file": None})).katana_file() == ""


@pytest.mark.parametrize(
    "content,message",
    [
        ("{", r"not valid JSON \(line 1"),
        ("[]", "must hold a JSON object"),
        ('{"katana_file": "a", "frame_range": {"start": 1, "end": 2}}', "no 'render_nodes' key"),
        ('{"katana_file": "a", "frame_range": [1, 2], "render_nodes": []}', r"frame_range must be an object \(\{...\}\), not a list"),
        ('{"katana_file": "a", "frame_range": {"start": 1, "end": 2}, "render_nodes": {}}', r"render_nodes must be a list \(\[...\]\), not an object"),
        ('{"katana_file": "a", "frame_range": {"start": 1, "end": 2}, "render_nodes": [{}]}', r"render_nodes\[0\] has no 'name' key"),
        ('{"katana_file": "a", "frame_range": {"start": 1, "end": 2}, "render_nodes": [{"name": "x"}, {"name": "x"}]}', "two Render nodes are named 'x'"),
        ('{"katana_file": "a", "frame_range": {"start": 1, "end": 2}, "render_nodes": [{"name": "x", "outputs": [1]}]}', r"render_nodes\[0\].outputs\[0\] must be an object \(\{...\}\), not 1"),
        ('{"katana_file": "a", "frame_range": {"start": 1, "end": 2}, "render_nodes": [], "assets": "x"}', r"assets must be a list \(\[...\]\), not the string \"x\""),
    ],
)
def test_bad_files_get_a_message_naming_the_file(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(SceneError, match=message) as err:
        FileScene(str(path))
    assert str(path) in str(err.value)


def test_missing_and_binary_files(tmp_path):
    with pytest.raises(SceneError, match="does not exist"):
        FileScene(str(tmp_path / "nope.json"))
    binary = tmp_path / "shot.katana"
    binary.write_bytes(b"\x1f\x8b\x08\x00\xff\xfe")
    with pytest.raises(SceneError, match="not UTF-8"):
        FileScene(str(binary))
    with pytest.raises(SceneError, match="is a folder"):
        FileScene(str(tmp_path))


def test_settings_round_trip_without_loss(write_scene):
    path = write_scene({"custom_pipeline_key": {"keep": [1, 2]}})
    settings = rich_settings()
    FileScene(path).store_settings(settings.to_dict())
    reread = FileScene(path)
    assert Settings.from_dict(reread.load_settings()) == settings
    assert json.loads(read(path))["custom_pipeline_key"] == {"keep": [1, 2]}


def test_old_or_foreign_settings_keys_are_tolerated():
    s = Settings.from_dict({"project": "P", "from_the_future": 1, "metadata": None, "environment": [{"name": "A", "value": "b", "extra": 1}]})
    assert s.project == "P" and s.metadata == {} and s.environment == [EnvVar("A", "b")]


def test_farm_settings_are_written_back(write_scene):
    path = write_scene(three_nodes())
    FileScene(path).set_farm_settings("b", FarmSettings(True, "1-3", "auto:1", 2))
    node = FileScene(path).all_render_nodes()[1]
    assert node.farm_settings == FarmSettings(True, "1-3", "auto:1", 2)
    raw = json.loads(read(path))["render_nodes"][1]["farm_settings"]
    assert raw == {"conductorOverrides": True, "conductorFrameSpec": "1-3", "conductorScoutSpec": "auto:1", "conductorChunkSize": 2}


def test_save_clears_unsaved_changes(write_scene):
    path = write_scene({"unsaved_changes": True})
    scene = FileScene(path)
    assert scene.save() == scene.katana_file()
    assert not FileScene(path).is_dirty()


def test_save_of_a_never_saved_scene_is_refused(write_scene):
    with pytest.raises(SceneError, match="no 'katana_file'"):
        FileScene(write_scene({"katana_file": ""})).save()


def test_a_failed_write_leaves_the_original_intact(write_scene, monkeypatch):
    path = write_scene()
    before = read(path)
    scene = FileScene(path)

    def boom(*_a, **_k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("json.dump", boom)
    with pytest.raises(SceneError, match="cannot be written"):
        scene.store_settings({"project": "X"})
    assert read(path) == before
    assert [p for p in os.listdir(os.path.dirname(path)) if p.startswith(".tmp-")] == []


@pytest.mark.parametrize("name", ["simple.json", "shot010.json"])
def test_examples_load(name):
    scene = FileScene(os.path.join(EXAMPLES, name))
    assert scene.render_nodes() and Settings.from_dict(scene.load_settings()).project
