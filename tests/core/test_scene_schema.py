"""Scene files are checked against one JSON Schema; a bad type names its key.

Issue 11 item 6: wrong types, NaN/inf/1e400 numbers and JSON nested
thousands deep used to end in "internal error" (exit 70), and strings such
as "false" were read as true.
"""

import copy
import io
import json
import math
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ciokatana.core import schema as schema_mod
from ciokatana.core.filescene import FileScene, SceneFormatError
from ciokatana.core.scene import SceneError
from ciokatana.standalone.cli import main

GOOD = {
    "katana_file": "shot.katana",
    "frame_range": {"start": 1, "end": 10},
    "unsaved_changes": False,
    "render_nodes": [
        {"name": "beauty", "selected": False, "renderer": "prman",
         "farm_settings": {"conductorOverrides": True, "conductorFrameSpec": "1-4", "conductorScoutSpec": "",
                           "conductorChunkSize": 2},
         "outputs": [{"name": "primary", "enabled": True, "outputLocation": "/renders/b/b.####.exr",
                      "tempRenderLocation": ""}]},
    ],
    "assets": [],
    "settings": {
        "title_template": "Katana {scene} {node}", "project": "Demo", "instance_type": "n1-standard-8",
        "preemptible": True, "autoretry": 1, "frame_spec": "", "scout_spec": "", "chunk_size": 1,
        "software": [{"path": "katana 7.0v4 linux", "package_id": "k704"}],
        "environment": [{"name": "SHOW", "value": "x", "merge_policy": "exclusive"}],
        "metadata": {"shot": "010"}, "extra_assets": [], "task_template":
        "katana --batch --katana-file={scene} --render-node={node} -t {chunk}",
        "notify": ["a@b.c"], "location": "", "use_daemon": False,
    },
    "scope": ["beauty"],
    "notes": [{"level": "warning", "rule": "unresolved_asset", "where": "Parameter 'geo.abcAsset'",
               "message": "asset id mock:///x/v1: no such asset"}],
}


def write(tmp_path, data, raw=None):
    (tmp_path / "shot.katana").write_text("katana")
    path = tmp_path / "scene.json"
    path.write_text(raw if raw is not None else json.dumps(data, allow_nan=True))
    return str(path)


def with_value(path, value):
    data = copy.deepcopy(GOOD)
    node = data
    keys = path.split(".")
    for key in keys[:-1]:
        node = node[int(key)] if key.isdigit() else node[key]
    last = keys[-1]
    node[int(last) if last.isdigit() else last] = value
    return data


HUGE = "__a 5000-digit number__"


def cli(tmp_path, data=None, raw=None, command="preview"):
    """Run the command line on a scene, printing to UTF-8 streams as a
    terminal or a pipe would: a string that is not text (a lone surrogate)
    fails to print there, where a StringIO would take it. ``HUGE`` in the
    data becomes a 5,000-digit number in the file (Python 3.11 refuses to
    read one of more than 4,300 digits)."""
    if raw is None and data is not None:
        raw = json.dumps(data, allow_nan=True).replace(json.dumps(HUGE), "9" * 5000)
    path = write(tmp_path, data, raw)
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        code = main([command, "--scene", path])
    finally:
        sys.stdout, sys.stderr = stdout, stderr
    out.flush()
    err.flush()
    return code, out.buffer.getvalue().decode("utf-8"), err.buffer.getvalue().decode("utf-8")


def test_the_good_scene_passes(tmp_path):
    FileScene(write(tmp_path, GOOD))


@pytest.mark.parametrize("key,value,message", [
    ("katana_file", 123, 'katana_file must be a string or null, not 123'),
    ("settings.title_template", None, "settings.title_template must be a string, not null"),
    ("settings.metadata", ["a", "b"], r"settings.metadata must be an object ({...}), not a list"),
    ("settings.metadata", {"take": 2}, "settings.metadata.take must be a string, not 2"),
    ("settings.use_daemon", "false", 'settings.use_daemon must be true or false, not the string "false"'),
    ("settings.preemptible", "no", 'settings.preemptible must be true or false, not the string "no"'),
    ("settings.notify", "a@b", 'settings.notify must be a list ([...]), not the string "a@b"'),
    ("settings.autoretry", 1.5, "settings.autoretry must be a whole number, not 1.5"),
    ("settings.environment.0.merge_policy", "sometimes", "settings.environment[0].merge_policy must be one of"),
    ("settings.software.0", 7, "settings.software[0] must be a string or an object ({...}), not 7"),
    ("settings.software.0", {"package_id": "x"}, "settings.software[0] has no 'path' key"),
    ("render_nodes.0.selected", "yes", 'render_nodes[0].selected must be true or false, not the string "yes"'),
    ("render_nodes.0.farm_settings.conductorOverrides", "false",
     'render_nodes[0].farm_settings.conductorOverrides must be true or false, not the string "false"'),
    ("render_nodes.0.farm_settings.conductorOverrides", 0,
     "render_nodes[0].farm_settings.conductorOverrides must be true or false, not 0"),
    ("render_nodes.0.outputs.0.enabled", "true", 'render_nodes[0].outputs[0].enabled must be true or false'),
    ("render_nodes.0.name", "", "render_nodes[0].name must not be empty"),
    ("frame_range.start", 1.5, "frame_range.start must be a whole number, not 1.5"),
    ("frame_range.end", True, "frame_range.end must be a whole number, not true"),
    ("unsaved_changes", "false", 'unsaved_changes must be true or false, not the string "false"'),
    ("scope", "beauty", 'scope must be a list ([...]), not the string "beauty"'),
    ("scope.0", "", "scope[0] must not be empty"),
    ("notes.0.level", "fatal", 'notes[0].level must be one of "error", "warning", "notice", not the string "fatal"'),
    ("notes.0.message", 3, "notes[0].message must be a string, not 3"),
])
def test_wrong_types_are_one_line_naming_the_key_with_exit_two(tmp_path, key, value, message):
    code, out, err = cli(tmp_path, with_value(key, value))
    assert code == 2 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1, err
    assert "internal error" not in err


@pytest.mark.parametrize("key", ["frame_range.start", "frame_range.end", "settings.chunk_size",
                                 "render_nodes.0.farm_settings.conductorChunkSize", "settings.autoretry"])
@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_nan_and_infinity_are_refused_by_key(tmp_path, key, value):
    code, _out, err = cli(tmp_path, with_value(key, value))
    assert code == 2 and key.replace(".0.", "[0].") in err and "internal error" not in err


def test_1e400_is_infinity_and_refused(tmp_path):
    text = json.dumps(GOOD).replace('"conductorChunkSize": 2', '"conductorChunkSize": 1e400')
    code, _out, err = cli(tmp_path, raw=text)
    assert code == 2 and "render_nodes[0].farm_settings.conductorChunkSize" in err and "Infinity" in err


@pytest.mark.parametrize("value", ["1e400", "nan", "inf", "-inf", "1e7"])
def test_chunk_sizes_written_as_strings_are_findings_not_crashes(tmp_path, value):
    code, out, err = cli(tmp_path, with_value("render_nodes.0.farm_settings.conductorChunkSize", value), command="validate")
    assert code == 1 and "internal error" not in err
    assert "Render node 'beauty' (node override): chunk size" in out


@pytest.mark.parametrize("value", ["nan", "inf", "1e400", "-inf"])
def test_chunk_size_flag_refuses_non_finite_numbers(capsys, tmp_path, value):
    path = write(tmp_path, GOOD)
    code = main(["preview", "--scene", path, "--chunk-size=" + value])
    _out, err = capsys.readouterr()
    assert code == 2 and "--chunk-size" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("where", ["top", "settings", "unknown_key"])
def test_json_nested_thousands_deep_is_one_line(tmp_path, where):
    deep = "[" * 5000 + "]" * 5000
    if where == "top":
        raw = deep
    elif where == "settings":
        raw = json.dumps(GOOD)[:-1] + ', "settings": ' + deep + "}"
    else:
        raw = json.dumps(GOOD)[:-1] + ', "x_studio": ' + deep + "}"
    code, _out, err = cli(tmp_path, raw=raw)
    assert code == 2 and len(err.strip().splitlines()) == 1 and "internal error" not in err
    assert "nested" in err or "must be" in err


def test_moderately_deep_unknown_keys_are_refused_before_they_can_break_a_write(tmp_path):
    raw = json.dumps(GOOD)[:-1] + ', "x_studio": ' + "[" * 200 + "]" * 200 + "}"
    with pytest.raises(SceneFormatError, match="nested more than 64 levels"):
        FileScene(write(tmp_path, None, raw=raw))


def test_every_problem_is_kept_and_the_first_is_shown(tmp_path):
    data = with_value("katana_file", 5)
    data["settings"]["use_daemon"] = "no"
    with pytest.raises(SceneFormatError) as err:
        FileScene(write(tmp_path, data))
    assert [p.path for p in err.value.problems] == ["katana_file", "settings.use_daemon"]
    assert "and 1 more problem" in str(err.value)


def test_utf8_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "scene.json"
    (tmp_path / "shot.katana").write_text("katana")
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(GOOD).encode("utf-8"))
    assert FileScene(str(path)).render_nodes()[0].name == "beauty"


def test_unknown_keys_are_still_allowed_and_kept(tmp_path):
    data = copy.deepcopy(GOOD)
    data["x_pipeline"] = {"anything": [1, 2, {"deep": None}]}
    scene = FileScene(write(tmp_path, data))
    scene.store_settings(scene.load_settings())
    with open(scene.path, encoding="utf-8") as handle:
        assert json.load(handle)["x_pipeline"] == data["x_pipeline"]


def test_the_schema_uses_only_keywords_the_checker_knows():
    schema = schema_mod.load_schema("scene")
    assert schema["$defs"]["settings"]["properties"]["use_daemon"] == {"type": "boolean"}
    with pytest.raises(ValueError, match="unsupported keyword"):
        schema_mod._check_keywords({"properties": {"a": {"oneOf": []}}}, "#")


def test_depth_is_counted_without_recursion():
    deep = []
    for _ in range(100000):
        deep = [deep]
    assert schema_mod.depth(deep) > schema_mod.MAX_DEPTH


# -- property-based: any wrong type anywhere is refused by its key --------

def _paths(value, prefix=""):
    """Every (dotted path, value) in the good scene."""
    if isinstance(value, dict):
        for key, item in value.items():
            path = "{}.{}".format(prefix, key) if prefix else key
            yield path, item
            yield from _paths(item, path)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            path = "{}.{}".format(prefix, index)
            yield path, item
            yield from _paths(item, path)


PATHS = [p for p, _ in _paths(GOOD)]
# Any text, lone surrogates ("R\\ud800": valid JSON, not text) included.
any_text = st.text(st.characters(blacklist_categories=()), max_size=8) | st.sampled_from(["R\ud800", "\udfff"])
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10 ** 30, 10 ** 30) | st.floats(allow_nan=True, allow_infinity=True)
    | any_text,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(any_text, children, max_size=3),
    max_leaves=8,
)


def _same_json_type(a, b):
    kinds = (bool, str, list, dict, type(None))
    for kind in kinds:
        if isinstance(a, kind) or isinstance(b, kind):
            return isinstance(a, kind) and isinstance(b, kind)
    return True  # both numbers


@given(path=st.sampled_from(PATHS), value=json_values)
def test_any_value_anywhere_gives_a_scene_or_an_error_naming_its_key(tmp_path_factory, path, value):
    original = dict(_paths(GOOD))[path]
    data = with_value(path, value)
    folder = tmp_path_factory.mktemp("scene")
    try:
        scene = FileScene(write(folder, data))
    except SceneFormatError as err:
        named = path.split(".")
        shown = named[0] + "".join("[{}]".format(k) if k.isdigit() else "." + k for k in named[1:])
        assert any(p.path.startswith(shown) or shown.startswith(p.path) for p in err.problems), (shown, err)
        return
    except SceneError:
        return  # e.g. a duplicate node name: still one clear message
    # Accepted: the value had an allowed type, and the scene reads without surprise.
    if not _same_json_type(original, value):
        nullable = ("katana_file", "settings", "render_nodes.0.farm_settings")
        either = ("settings.chunk_size", "render_nodes.0.farm_settings.conductorChunkSize", "settings.software.0")
        assert (path in nullable and value is None) or path in either, (path, value)
    scene.snapshot()
    if isinstance(value, float):
        assert math.isfinite(value)


@given(path=st.sampled_from(PATHS), value=json_values | st.just(HUGE))
def test_the_cli_never_ends_in_internal_error_whatever_a_key_holds(tmp_path_factory, path, value):
    """docs/scene-format.md: a malformed file ends in one line and exit 2,
    never an internal error, whatever any key holds."""
    folder = tmp_path_factory.mktemp("cli")
    for command in ("preview", "validate"):
        code, _out, err = cli(folder, with_value(path, value), command=command)
        assert code in (0, 1, 2), err
        assert "internal error" not in err and "Traceback" not in err


@pytest.mark.parametrize("path", ["render_nodes.0.name", "settings.project", "assets", "settings.metadata",
                                  "render_nodes.0.outputs.0.outputLocation", "notes.0.message"])
def test_a_lone_surrogate_is_refused_by_its_key_before_anything_runs(tmp_path, path):
    value = {"R\ud800": "x"} if path == "settings.metadata" else (["a\udc80.tx"] if path == "assets" else "R\ud800")
    code, out, err = cli(tmp_path, with_value(path, value))
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1, err
    named = path.split(".")
    shown = named[0] + "".join("[{}]".format(k) if k.isdigit() else "." + k for k in named[1:])
    assert shown in err and "lone surrogate" in err and "\\ud" in err


@pytest.mark.parametrize("path", ["frame_range.start", "settings.autoretry", "unknown_key"])
def test_a_number_thousands_of_digits_long_is_one_line_and_exit_2(tmp_path, path):
    code, _out, err = cli(tmp_path, with_value(path, HUGE))
    assert code == 2 and "5,000 digits" in err and len(err.strip().splitlines()) == 1, err


def test_validate_lists_every_malformed_key(tmp_path, capsys):
    data = with_value("katana_file", 5)
    data["settings"]["use_daemon"] = "false"
    data["render_nodes"][0]["farm_settings"]["conductorChunkSize"] = float("nan")
    path = write(tmp_path, data)
    code = main(["validate", "--scene", path, "--json"])
    out, err = capsys.readouterr()
    found = json.loads(out)
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert [(f["rule"], f["where"]) for f in found] == [
        ("scene_format", "katana_file"),
        ("scene_format", "render_nodes[0].farm_settings.conductorChunkSize"),
        ("scene_format", "settings.use_daemon"),
    ]
    assert 'not the string "false"' in found[2]["message"]


def test_settings_from_a_string_notify_never_become_characters():
    from ciokatana.core.settings import Settings

    assert Settings.from_dict({"notify": "a@b", "extra_assets": "/x"}).notify == ["a@b"]
