"""ciokatana validate --estimate: the upload estimate on the command line, before and after a submit."""

import json
import os

from ciokatana.standalone.cli import main

from conftest_paths import EXAMPLES
from shots import make_files

SIMPLE = os.path.join(EXAMPLES, "simple.json")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def field(out, label):
    (line,) = [x for x in out.splitlines() if x.strip().startswith(label + ":")]
    return line.split(":", 1)[1].strip()


def test_validate_estimate_before_and_after_a_submit(capsys, ciocore_sandbox, tmp_path):
    """In-process ciocore points at the sandbox, so plain validate/submit talk to it."""
    sandbox = ciocore_sandbox
    make_files(tmp_path / "extra", {"a.tx": 40000, "b.tx": 60000, "sub/c.abc": 100000})
    args = ["--scene", SIMPLE, "--extra-asset", str(tmp_path / "extra")]
    scene_bytes = os.path.getsize(os.path.join(EXAMPLES, "simple_teapot_v001.katana"))

    code, out, err = run(capsys, "validate", *args, "--estimate")
    assert code == 0, err
    assert field(out, "In the submission") == "4 files, {:.1f} KB".format((200000 + scene_bytes) / 1024.0)
    assert field(out, "Already on Conductor") == "0 files, 0 B"
    assert field(out, "Left to upload").startswith("4 files")
    assert "no upload measured on this machine yet" in field(out, "Time")
    assert "cannot say which files it holds without starting an upload" in out
    assert "Errors" not in out  # the findings follow the estimate as before
    assert sandbox.upload_log == [] and sandbox.jobs == []  # estimating sent nothing

    code, out, err = run(capsys, "submit", *args, "--quiet")
    assert code == 0, out + err
    assert len(sandbox.jobs) == 1

    code, out, _err = run(capsys, "validate", *args, "--estimate", "--json")
    data = json.loads(out)
    upload = data["estimate"]
    assert (upload["files"], upload["held_files"], upload["upload_files"], upload["upload_bytes"]) == (4, 4, 0, 0)
    assert upload["bytes"] == 200000 + scene_bytes and upload["seconds"] == 0.0
    assert upload["hashed_files"] == 0  # ciocore's cache vouched for every file
    assert upload["rate_bytes_per_second"] > 0
    assert isinstance(data["findings"], list)

    code, out, _err = run(capsys, "validate", *args, "--estimate")
    assert field(out, "Left to upload") == "0 files, 0 B" and field(out, "Time") == "nothing left to upload"


def test_validate_json_without_estimate_is_unchanged(capsys):
    code, out, _err = run(capsys, "validate", "--scene", SIMPLE, "--json")
    assert isinstance(json.loads(out), list)


def test_estimate_with_paths_gives_both_in_json(capsys):
    code, out, _err = run(capsys, "validate", "--scene", SIMPLE, "--json", "--paths", "--estimate")
    data = json.loads(out)
    assert set(data) == {"findings", "paths", "estimate"} and data["estimate"]["files"] == 1
