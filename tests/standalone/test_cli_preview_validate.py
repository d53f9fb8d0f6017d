"""The command line: preview and validate on scene files, and bad input."""

import json
import os
import subprocess
import sys

import pytest

from ciokatana.standalone.cli import main

from conftest_paths import EXAMPLES, ROOT

SHOT = os.path.join(EXAMPLES, "shot010.json")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_preview_prints_one_payload_per_render_node(capsys):
    code, out, err = run(capsys, "preview", "--scene", SHOT)
    payloads = json.loads(out)
    assert code == 0 and err == ""
    assert [p["job_title"] for p in payloads] == [
        "Katana shot010_lighting_v003 " + n for n in ("beauty", "char_hero", "fx_smoke", "env_bg")
    ]
    by_node = {p["job_title"].split()[-1]: p for p in payloads}
    # char_hero overrides: 1001-1050, chunk 5, auto:3 scout
    assert len(by_node["char_hero"]["tasks_data"]) == 10
    assert by_node["char_hero"]["scout_frames"] == "1009,1026,1042"
    # fx_smoke overrides: stepped frames in chunks of 4, Katana -t without steps
    assert by_node["fx_smoke"]["tasks_data"][0]["command"].endswith("-t 1001,1003,1005,1007")
    # beauty uses the defaults: scene range and fml:3; temp-dir output ignored
    assert by_node["beauty"]["scout_frames"] == "1001,1051,1100"
    assert by_node["beauty"]["output_path"] == "/renders/shot010/beauty"


def test_preview_flags_override_stored_settings(capsys):
    code, out, _ = run(
        capsys, "preview", "--scene", SHOT, "--node", "beauty", "--frames", "1-6", "--chunk-size", "3",
        "--scout", "", "--project", "Other", "--instance-type", "n1-highmem-32", "--title", "{node}!",
        "--env", "SHOW=other", "--env", "PATH+=/x", "--metadata", "take=2", "--no-preemptible",
    )
    (payload,) = json.loads(out)
    assert code == 0
    assert [t["frames"] for t in payload["tasks_data"]] == ["1-3", "4-6"]
    assert payload["scout_frames"] == "" and payload["project"] == "Other" and payload["job_title"] == "beauty!"
    assert payload["environment"]["SHOW"] == "other" and payload["environment"]["PATH"].endswith("/bin:/x")
    assert payload["metadata"]["take"] == "2" and payload["preemptible"] is False and payload["autoretry_policy"] == {}


def test_preview_never_shows_secrets(capsys):
    _code, out, _ = run(capsys, "preview", "--scene", SHOT, "--node", "beauty", "--env", "CONDUCTOR_API_KEY=sekrit")
    assert "sekrit" not in out and json.loads(out)[0]["environment"]["CONDUCTOR_API_KEY"] == "********"


def test_validate_groups_findings_and_exits_zero_without_errors(capsys):
    code, out, _ = run(capsys, "validate", "--scene", SHOT)
    assert code == 0
    assert out.index("Warnings (") < out.index("Notices (")
    assert "R:\\renders\\shot010\\env_bg\\env_bg.####.exr" in out


def test_validate_exits_one_on_errors(capsys):
    code, out, _ = run(capsys, "validate", "--scene", SHOT, "--node", "beauty", "--chunk-size", "1", "--frames", "1-2000")
    assert code == 1 and "Errors (1)" in out and "2,000 tasks" in out


def test_validate_json(capsys):
    code, out, _ = run(capsys, "validate", "--scene", SHOT, "--json", "--project", "")
    data = json.loads(out)
    assert code == 1 and {"level": "error", "rule": "no_project"}.items() <= data[0].items()


@pytest.mark.parametrize(
    "argv,message",
    [
        (["preview", "--scene", "/nope/x.json"], "does not exist"),
        (["preview", "--scene", SHOT, "--node", "ghost"], "no Render node named 'ghost'"),
        (["preview", "--scene", SHOT, "--frames", "1-x"], "--frames: frame spec '1-x'"),
        (["validate", "--scene", SHOT, "--chunk-size", "0"], "--chunk-size: chunk size '0'"),
        (["preview", "--scene", SHOT, "--env", "NOEQUALS"], "has no '='"),
        (["preview", "--scene", SHOT, "--task-template", "katana {x}"], "unknown field {x}"),
        (["preview", "--scene", SHOT, "--autoretry", "-1"], "out of range"),
    ],
)
def test_bad_input_gets_one_line_and_exit_two(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_preview_of_a_broken_node_explains_and_prints_nothing(capsys, tmp_path):
    with open(SHOT, encoding="utf-8") as handle:
        data = json.load(handle)
    data["render_nodes"][1]["farm_settings"]["conductorFrameSpec"] = "10-x"
    data["katana_file"] = os.path.join(EXAMPLES, data["katana_file"])
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data))
    code, out, err = run(capsys, "preview", "--scene", str(path))
    assert code == 2 and out == "" and "Render node 'char_hero': frame spec '10-x'" in err


def test_core_and_cli_load_no_qt_and_no_katana():
    code = (
        "import sys, io, contextlib\n"
        "import ciokatana.core, ciokatana.core.plan, ciokatana.core.validation, ciokatana.core.filescene\n"
        "from ciokatana.standalone.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['preview', '--scene', %r]); main(['validate', '--scene', %r])\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide2', 'PySide6', 'PyQt5', 'PyQt6', 'qtpy', 'Katana', 'NodegraphAPI', 'FarmAPI', 'UI4', 'ciokatana.qt')]\n"
        "assert not bad, bad\n"
        "assert 'ciokatana.ui' not in sys.modules and 'ciokatana.katana' not in sys.modules\n"
    ) % (SHOT, SHOT)
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_console_command_is_installed():
    proc = subprocess.run(["ciokatana", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.startswith("ciokatana ")


# -- one rule for flags and scene files -------------------------------------

def test_the_flag_bounds_are_the_scene_schema_bounds():
    from ciokatana.core.schema import load_schema
    from ciokatana.core.settings import MAX_AUTORETRY, MAX_MOCK_INTERVAL

    props = load_schema("scene")["$defs"]["settings"]["properties"]
    assert props["autoretry"]["maximum"] == MAX_AUTORETRY
    assert props["mock_interval"]["maximum"] == MAX_MOCK_INTERVAL


@pytest.mark.parametrize("argv,message", [
    (["preview", "--autoretry", "99999999999999999999"], "--autoretry 99999999999999999999 is out of range: use 0"),
    (["preview", "--autoretry", "-1"], "--autoretry -1 is out of range"),
    (["submit", "--mock", "x.json", "--interval", "1e300"], "--interval 1e+300 is not a usable number of seconds"),
    (["submit", "--mock", "x.json", "--interval", "nan"], "--interval nan is not a usable number of seconds"),
])
def test_out_of_range_numbers_on_the_command_line_are_one_line(capsys, argv, message):
    code = main(argv[:1] + ["--scene", SHOT] + argv[1:])
    err = capsys.readouterr().err
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1, err
