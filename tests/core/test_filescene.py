"""The JSON scene file: reading, scope, writing back, and bad files."""

import json
import os

import pytest

from fifos import error_opening_a_fifo
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


def test_a_scope_list_is_the_scope_exactly_even_when_empty(write_scene):
    data = dict(three_nodes(("a",)), scope=["c", "b"])
    assert [n.name for n in FileScene(write_scene(data)).render_nodes()] == ["b", "c"]
    assert [n.name for n in FileScene(write_scene(data), nodes=["a"]).render_nodes()] == ["a"]  # --node wins
    empty = FileScene(write_scene(dict(three_nodes(("a",)), scope=[])))
    assert empty.render_nodes() == []  # not the selected node, not every node
    [note] = empty.notes()
    assert note.level == "notice" and "'scope' list is empty" in note.message and "a, b, c" in note.message


def test_a_scope_naming_an_unknown_node_is_refused(write_scene):
    with pytest.raises(SceneError, match=r"names 'zz' in its 'scope', but no such Render node is in its render_nodes; "
                                         r"it has: a, b, c"):
        FileScene(write_scene(dict(three_nodes(), scope=["zz"])))


def test_notes_travel_from_the_file_to_validation(write_scene):
    from ciokatana.core.plan import plan_submission
    from ciokatana.core.validation import validate

    note = {"level": "warning", "rule": "unresolved_asset", "where": "Parameter 'geo.abcAsset'",
            "message": "asset id mock:///x/v1: no such asset, so its file is not uploaded"}
    scene = FileScene(write_scene({"notes": [note]}))
    found = [f for f in validate(plan_submission(scene.snapshot(), rich_settings())) if f.rule == "unresolved_asset"]
    assert [(f.level, f.where, f.message) for f in found] == [(note["level"], note["where"], note["message"])]


def test_an_asset_id_scene_path_is_kept_and_reported(write_scene):
    from ciokatana.core.plan import plan_submission
    from ciokatana.core.validation import ERROR, validate

    scene = FileScene(write_scene({"katana_file": "mock:///show/shot010/lighting/v3",
                                   "assets": ["mock:///show/tex/v2", "tex/a.tx"]}, katana=False))
    folder = os.path.dirname(scene.path)
    assert scene.katana_file() == "mock:///show/shot010/lighting/v3"  # not <folder>/mock:/show/...
    assert scene.assets() == ["mock:///show/tex/v2", os.path.join(folder, "tex/a.tx")]
    findings = validate(plan_submission(scene.snapshot(), rich_settings()))
    [finding] = [f for f in findings if "mock:///show/shot010/lighting/v3" in f.message]
    assert (finding.level, finding.rule, finding.where) == (ERROR, "unresolved_scene", "Scene file")
    assert "is the asset id mock:///show/shot010/lighting/v3, not a file" in finding.message


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


def test_submission_history_is_kept_with_the_scene_and_survives_a_reload(write_scene):
    path = write_scene()
    scene = FileScene(path)
    assert scene.load_history() == []
    entry = {"fingerprint": "0123456789abcdef", "title": "Katana shot beauty", "jobid": "00042",
             "submitted_at": "2024-05-02T14:05:12"}
    scene.store_history([entry])
    assert FileScene(path).load_history() == [entry]
    with open(path) as handle:
        data = json.load(handle)
    assert data["submissions"] == [entry] and "render_nodes" in data  # the rest of the file is kept


# -- a path that is not a regular file is refused at once ------------------

def test_a_fifo_scene_is_refused_at_once_instead_of_hanging(tmp_path):
    assert "is a pipe (FIFO), not a scene file" in error_opening_a_fifo(tmp_path, FileScene, SceneError)


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="needs /dev/null")
def test_a_device_scene_is_refused_without_reading_it(capsys):
    from ciokatana.standalone.cli import main

    assert main(["preview", "--scene", "/dev/null"]) == 2
    err = capsys.readouterr().err
    assert "is a device, not a scene file" in err and len(err.strip().splitlines()) == 1


def test_the_read_is_capped_whatever_the_size_a_file_reports(tmp_path, monkeypatch):
    from ciokatana.core import filescene, regular_file

    if os.path.exists("/dev/zero"):  # a stream that never ends: only limit + 1 bytes are read
        with open("/dev/zero", "rb") as endless, pytest.raises(ValueError, match="larger than 1,048,576 bytes"):
            regular_file.read_capped(endless, 1 << 20)
    big = tmp_path / "big.json"
    big.write_text('{"katana_file": "a", "frame_range": {"start": 1, "end": 2}, "render_nodes": [], "x": "'
                   + "a" * 5000 + '"}')
    monkeypatch.setattr(filescene, "MAX_SCENE_BYTES", 4096)
    with pytest.raises(SceneError, match="is larger than"):
        FileScene(str(big))


def test_the_open_file_is_what_is_checked(tmp_path, monkeypatch):
    """No stat-then-open race: the file is opened first and the open file
    is checked with fstat (os.stat is never asked about the path)."""
    from ciokatana.core import mock

    path = tmp_path / "scene.json"
    path.write_text('{"katana_file": "a", "frame_range": {"start": 1, "end": 2}, "render_nodes": []}')
    mock_file = tmp_path / "mock.json"
    mock_file.write_text('[{"event": "start", "data": {"job_count": 0}}, {"event": "done", "data": {}}]')

    real_stat = os.stat
    ours = {str(path), str(mock_file)}

    def no_stat(target, *args, **kwargs):
        if str(target) in ours:
            raise AssertionError("os.stat was called: the path was checked apart from the open file")
        return real_stat(target, *args, **kwargs)

    monkeypatch.setattr(os, "stat", no_stat)
    FileScene(str(path))
    assert mock.check_mock_file(str(mock_file)) == 0
