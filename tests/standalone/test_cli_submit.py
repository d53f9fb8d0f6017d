"""ciokatana submit / demo / sandbox from the command line."""

import json
import os
import re
import signal
import subprocess
import sys

import pytest

from ciokatana.standalone.cli import main

from conftest_paths import EXAMPLES, ROOT

SHOT = os.path.join(EXAMPLES, "shot010.json")
SIMPLE = os.path.join(EXAMPLES, "simple.json")
MOCK = os.path.join(ROOT, "scripts", "mock_submission.json")  # recorded on the shared path
STOCK_MOCK = os.path.join(ROOT, "tests", "data", "mock_stock_path_0.2.json")  # ciocore's per-job path, 0.2


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_mock_replay_prints_one_result_line_per_job(capsys):
    code, out, _err = run(capsys, "submit", "--scene", SHOT, "--mock", MOCK, "--quiet")
    assert code == 0
    lines = [x for x in out.splitlines() if x.startswith("  OK ")]
    assert len(lines) == 4 and "/job/00001" in lines[0]
    assert "Upload (once for every job): uploaded 49 of 49 file(s), 4.8 MB" in out


def test_a_recording_of_the_per_job_path_still_replays(capsys):
    code, out, _err = run(capsys, "submit", "--scene", SHOT, "--mock", STOCK_MOCK, "--quiet")
    assert code == 0
    lines = [x for x in out.splitlines() if x.startswith("  OK ")]
    assert len(lines) == 4
    assert "/job/00001" in lines[0] and "uploaded 49 file(s)" in lines[0]
    assert "already on Conductor (cached)" in lines[1]


def test_record_then_replay_from_the_cli(capsys, tmp_path):
    recorded = str(tmp_path / "again.json")
    code, _out, _err = run(capsys, "submit", "--scene", SHOT, "--mock", MOCK, "--record", recorded, "--quiet")
    assert code == 0
    with open(MOCK, encoding="utf-8") as a, open(recorded, encoding="utf-8") as b:
        assert json.load(a) == json.load(b)


@pytest.mark.parametrize(
    "argv,message",
    [
        (["--mock", "/nope.json"], "does not exist"),
        (["--mock", SHOT], "is not a mock"),
        (["--mock", MOCK, "--interval", "-1"], "not a usable number of seconds"),
        (["--mock", MOCK, "--interval", "nan"], "not a usable number of seconds"),
        (["--mock", MOCK, "--interval", "inf"], "not a usable number of seconds"),
        (["--mock", MOCK, "--sandbox"], "leave out --sandbox"),
        (["--record", "/no/such/folder/x.json", "--mock", MOCK], "folder does not exist"),
    ],
)
def test_bad_submit_input_is_one_line(capsys, argv, message):
    code, out, err = run(capsys, "submit", "--scene", SHOT, *argv)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1


def test_validation_errors_stop_the_submission(capsys):
    code, out, err = run(capsys, "submit", "--scene", SHOT, "--mock", MOCK, "--project", "")
    assert code == 1 and "not submitted" in err and "Results" not in out


def test_real_submission_without_credentials_says_what_to_set(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONDUCTOR_")}
    env["HOME"] = str(tmp_path)
    proc = subprocess.run(["ciokatana", "submit", "--scene", SIMPLE], env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "no Conductor credentials: set CONDUCTOR_API_KEY" in proc.stderr and "Traceback" not in proc.stderr


def test_submit_to_the_embedded_sandbox(capsys):
    code, out, _err = run(capsys, "submit", "--scene", SIMPLE, "--sandbox", "--quiet")
    assert code == 0, out
    (line,) = [x for x in out.splitlines() if x.startswith("  OK ")]
    assert "job 00001" in line and "http://127.0.0.1:" in line and "/job/00001" in line


@pytest.mark.slow
def test_submit_with_the_stock_uploader(capsys):
    code, out, _err = run(capsys, "submit", "--scene", SIMPLE, "--sandbox", "--quiet", "--uploader", "stock")
    assert code == 0, out
    (line,) = [x for x in out.splitlines() if x.startswith("  OK ")]
    assert "job 00001" in line and "uploaded 1 file(s)" in line
    assert "Upload (once for every job)" not in out


def _screen(text):
    """The terminal output without what differs between a run and its replay (URLs, times)."""
    lines = []
    for line in text.splitlines():
        line = re.sub(r"(?: at)? https?://\S+", "", line)
        if line.startswith(("Embedded Conductor sandbox", "Finished in", "Recorded ")):
            continue
        lines.append(" ".join(line.split()))
    return [x for x in lines if x]


def test_a_recording_of_the_shared_path_replays_to_the_same_screen(capsys, tmp_path):
    recorded = str(tmp_path / "run.json")
    code, live, _err = run(capsys, "submit", "--scene", SHOT, "--sandbox", "--record", recorded)
    assert code == 0, live
    code, replayed, _err = run(capsys, "submit", "--scene", SHOT, "--mock", recorded)
    assert code == 0
    assert _screen(replayed) == _screen(live)
    assert "Upload (once for every job): uploaded 1 of 1 file(s)" in replayed
    with open(recorded, encoding="utf-8") as handle:
        events = json.load(handle)
    assert [e["event"] for e in events][-1] == "done" and events[0]["data"]["upload_files"] == 1


def test_an_unknown_project_is_named_on_the_command_line(capsys):
    code, out, _err = run(capsys, "submit", "--scene", SIMPLE, "--sandbox", "--quiet", "--project", "No Such Project")
    assert code == 1
    (line,) = [x for x in out.splitlines() if x.startswith("  FAILED ")]
    assert "Project 'No Such Project' does not exist or is not active. (HTTP 400)" in line


def test_daemon_jobs_are_accepted_and_nothing_is_uploaded(capsys):
    code, out, _err = run(capsys, "submit", "--scene", SIMPLE, "--sandbox", "--quiet", "--daemon")
    assert code == 0, out
    assert "Upload (once for every job)" not in out  # the daemon uploads, not this process


@pytest.mark.parametrize("value", ["0", "-5", "nan", "inf"])
def test_a_bad_timeout_is_one_line(capsys, value):
    code, _out, err = run(capsys, "submit", "--scene", SIMPLE, "--sandbox", "--timeout", value)
    assert code == 2 and "--timeout" in err and len(err.strip().splitlines()) == 1


def test_demo_twice_uploads_nothing_the_second_time(tmp_path):
    argv = ["ciokatana", "demo", "--dir", str(tmp_path / "demo"), "--quiet"]
    first = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    assert "Generated the sample show: 48 of 48 file(s)" in first.stdout
    assert len([x for x in first.stdout.splitlines() if x.startswith("  OK ")]) == 4
    assert "Upload (once for every job): uploaded 49 of 49 file(s), 4.8 MB; md5: 49 hashed, 0 from the cache" \
        in first.stdout
    second = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    assert second.returncode == 0, second.stderr
    assert "Sample show present" in second.stdout
    assert "uploaded nothing: all 49 file(s) already on Conductor (cached); md5: 0 hashed, 49 from the cache" \
        in second.stdout
    assert "Nothing was uploaded: every file was already on Conductor (cached)." in second.stdout


def test_ctrl_c_cancels_cleanly():
    """Ctrl-C while the first job runs cancels the run (exit 3).

    The child gets Ctrl-C's default disposition: it once ended with 0
    because the test ran under a parent that ignores SIGINT (a background
    job of a shell), whose SIG_IGN the child inherited, so the signal was
    never seen and the replay ran to its end. And it waits until the first
    job has started (its line on stdout) instead of a fixed 3 s."""
    proc = subprocess.Popen(
        ["ciokatana", "submit", "--scene", SHOT, "--mock", MOCK, "--interval", "0.5"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    seen = []
    for line in proc.stdout:
        seen.append(line)
        if line.startswith("[1/"):
            break
    assert seen and seen[-1].startswith("[1/"), seen
    proc.send_signal(signal.SIGINT)
    rest, err = proc.communicate(timeout=20)
    out = "".join(seen) + rest
    assert proc.returncode == 3, (out, err)
    assert "Cancelling" in err and "CANCELLED" in out and "Traceback" not in err


def test_sandbox_command_help():
    proc = subprocess.run([sys.executable, "-m", "ciokatana.standalone.cli", "sandbox", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0 and "--port" in proc.stdout


def _ctrl_c_while_held(sandbox, tmp_path, phase, scene, *args):
    """Run 'ciokatana submit' against the sandbox, press Ctrl-C while ``phase`` is held, then let go.

    Returns the exit code, stdout and stderr; the hang is released before returning.
    """
    import time

    sandbox.faults.add(phase, hang=True, times=None)
    env = sandbox.client_env(str(tmp_path / "home"), base=dict(os.environ))
    proc = subprocess.Popen(
        [sys.executable, "-m", "ciokatana.standalone.cli", "submit", "--scene", scene, "--frames", "1"] + list(args),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        deadline = time.monotonic() + 60
        while sandbox.faults.hung_count == 0 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        assert sandbox.faults.hung_count >= 1, proc.communicate(timeout=5)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    sandbox.faults.clear()
    sandbox.release()
    return proc.returncode, out, err


@pytest.mark.parametrize("uploader", ["shared", pytest.param("stock", marks=pytest.mark.slow)])
def test_ctrl_c_while_conductor_creates_the_job_never_says_cancelled(sandbox, tmp_path, uploader):
    """Issue 11.1's reproduction: jobs/ hangs, Ctrl-C, the service lets go and holds the job.
    The terminal must say the job may have been created (naming it and the dashboard), never that
    it was cancelled before Conductor had it."""
    import time

    _code, out, err = _ctrl_c_while_held(sandbox, tmp_path, "jobs", SIMPLE, "--uploader", uploader)
    deadline = time.monotonic() + 10
    while not sandbox.jobs and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(sandbox.jobs) == 1  # Conductor did create it
    title = sandbox.jobs[0]["payload"]["job_title"]
    assert "Traceback" not in err, err
    assert "MAY EXIST" in out and title in out and "check {}/jobs".format(sandbox.url) in out, (out, err)
    assert "CANCELLED" not in out, out


@pytest.mark.parametrize("phase", ["upload_urls", "upload"])
def test_ctrl_c_during_the_shared_upload_creates_no_job(sandbox, tmp_path, phase):
    """Ctrl-C while the files go up: exit 3, every job not started, nothing on Conductor even once
    the service lets go."""
    import time

    code, out, err = _ctrl_c_while_held(sandbox, tmp_path, phase, SHOT)
    time.sleep(0.5)
    assert code == 3, (out, err)
    assert "Traceback" not in err and "CANCELLED" in out and "MAY EXIST" not in out, (out, err)
    assert sandbox.jobs == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs need a POSIX system")
def test_a_fifo_in_an_asset_folder_is_warned_about_and_the_job_is_created(capsys, tmp_path):
    """It made the job fail with a RecursionError from ciocore, after validation said nothing."""
    folder = tmp_path / "assets"
    folder.mkdir()
    (folder / "a.tx").write_bytes(b"texture")
    os.mkfifo(str(folder / "pipe"))
    with open(SIMPLE) as handle:
        scene = json.load(handle)
    scene["settings"]["extra_assets"] = [str(folder)]
    scene["katana_file"] = os.path.join(EXAMPLES, scene["katana_file"])
    path = tmp_path / "scene.json"
    path.write_text(json.dumps(scene))
    code, out, _err = run(capsys, "validate", "--scene", str(path))
    assert "1 entry in asset folders is not a regular file" in out and str(folder / "pipe") in out
    code, out, err = run(capsys, "submit", "--scene", str(path), "--sandbox", "--quiet")
    assert code == 0, out + err
    (line,) = [x for x in out.splitlines() if x.startswith("  OK ")]
    assert "job 00001" in line
