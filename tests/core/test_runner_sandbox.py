"""Both submission paths through ciocore's real code against the local sandbox.

``shared`` (the default: every job's files uploaded once, then each job
created) and ``stock`` (ciocore's ``Submit`` per job) must give Conductor
the same thing. The stock path with uploads costs ~10 s a job (ciocore's
uploader polls every 5 s), so those runs are marked slow; the shared path
takes a fraction of a second.
"""

import inspect
import os
import shutil
import threading
import time

try:
    from importlib import metadata
except ImportError:  # Python 3.7
    import importlib_metadata as metadata

import pytest
from ciocore import conductor_submit

from ciokatana.core import events as ev
from ciokatana.core import submission
from ciokatana.core.filescene import FileScene
from ciokatana.core.runner import CANCELLED, FAILED, SUCCEEDED, Runner
from ciokatana.core.settings import Settings
from ciokatana.standalone.sample_show import ensure_sample_show

from conftest_paths import EXAMPLES
from shots import b64md5, make_files, payloads

STAT_KEYS = {"md5", "destination", "st_mode", "st_ino", "st_dev", "st_nlink", "st_uid", "st_gid", "st_size",
             "st_atime", "st_mtime", "st_ctime"}
CIOCORE = metadata.version("ciocore")
# These submit jobs with no files. Recent ciocore's Submit sends them at once; older ones (7.0.2,
# 8.0.0) start an uploader with 0 threads that never finishes, so their stock path is left out.
SUBMITS_WITHOUT_FILES = "if self.upload_paths:" in inspect.getsource(conductor_submit.Submit.main)
PATHS = [pytest.param("shared", id="shared"), pytest.param("stock", id="stock", marks=pytest.mark.slow)]
BOTH_FAST = ["shared", pytest.param("stock", id="stock", marks=pytest.mark.skipif(
    not SUBMITS_WITHOUT_FILES, reason="ciocore {}'s Submit never finishes a job with no files".format(CIOCORE)))]


def start(plan_or_payloads, sandbox, uploader, on_event=None, **spec):
    spec = submission.SourceSpec(uploader=uploader, database_filepath=sandbox.ciocore_config.database_filepath,
                                 url=sandbox.url, **spec)
    source, _recorder = submission.open_source(plan_or_payloads, spec)
    if uploader == "stock":
        source.cancel_grace = 0.5
    seen = []

    def listen(event):
        seen.append(event)
        if on_event:
            on_event(event, runner)

    runner = Runner(source, listen)
    runner.start()
    return runner, seen


@pytest.mark.parametrize("uploader", PATHS)
def test_example_scene_every_file_once_byte_identical_and_listed_per_job(ciocore_sandbox, tmp_path, uploader):
    sandbox = ciocore_sandbox
    for name in ("shot010.json", "shot010_lighting_v003.katana"):
        shutil.copy(os.path.join(EXAMPLES, name), str(tmp_path))
    ensure_sample_show(str(tmp_path))
    scene = FileScene(str(tmp_path / "shot010.json"), nodes=["beauty", "char_hero"])
    prepared = submission.prepare(scene.snapshot(), Settings.from_dict(scene.load_settings()))
    runner, seen = start(prepared, sandbox, uploader)
    assert runner.wait(120) and runner.state == SUCCEEDED, [e.data for e in runner.errors]

    # one job per Render node, carrying the payload we built
    assert [j["payload"]["job_title"] for j in sandbox.jobs] == [p["job_title"] for p in prepared.payloads]
    for job, payload in zip(sandbox.jobs, prepared.payloads):
        for key in ("output_path", "tasks_data", "software_package_ids", "environment", "scout_frames",
                    "instance_type", "project", "local_upload"):
            assert job["payload"][key] == payload[key], key
        assert job["payload"]["notify"] == {"emails": []} and job["payload"]["priority"] == 5
        entries = job["payload"]["upload_files"]
        assert all(set(e) == STAT_KEYS for e in entries)
        assert sorted(e["destination"] for e in entries) == sorted(payload["upload_paths"])
        for entry in entries:
            assert entry["md5"] == b64md5(entry["destination"])
            assert entry["st_size"] == os.path.getsize(entry["destination"])
        assert job["payload"]["upload_size"] == sum(e["st_size"] for e in entries)
    # every asset on the service byte-identical, and sent exactly once
    files = prepared.payloads[0]["upload_paths"]
    assert len(files) == 49
    for path in files:
        with open(path, "rb") as handle:
            assert sandbox.file_bytes(b64md5(path)) == handle.read(), path
    stored = [entry["path"] for entry in sandbox.upload_log if entry["stored"]]
    assert sorted(stored) == sorted(files)
    assert [r.data["jobid"] for r in runner.responses] == [j["jobid"] for j in sandbox.jobs]

    # a second submit uploads nothing and hashes nothing
    before = len(sandbox.upload_log)
    runner, seen = start(prepared, sandbox, uploader)
    assert runner.wait(120) and runner.state == SUCCEEDED
    assert len(sandbox.upload_log) == before and len(sandbox.jobs) == 4
    last = [e for e in seen if e.type == ev.PROGRESS][-1]
    assert all(f["already_uploaded"] for f in last.data["file_progress"].values())
    assert all(f["md5_was_cached"] for f in last.data["file_progress"].values())


@pytest.mark.parametrize("uploader", BOTH_FAST)
def test_error_in_job_two_of_four_lets_three_and_four_go_on(ciocore_sandbox, uploader):
    runner, seen = start(payloads(4, bad=2), ciocore_sandbox, uploader)
    assert runner.wait(60) and runner.state == FAILED
    assert [(e.type, e.job_title) for e in seen if e.type in ("response", "error")] == [
        ("response", "job1"), ("error", "job2"), ("response", "job3"), ("response", "job4")
    ]
    error = runner.errors[0].data
    assert "400" in error["exception"]
    # the one-line cause carries the service's own words
    assert "Project 'No Such Project' does not exist or is not active. (HTTP 400)" in ev.cause_line(error["exception"])
    assert [j["payload"]["job_title"] for j in ciocore_sandbox.jobs] == ["job1", "job3", "job4"]
    assert [e.type for e in seen].count("done") == 1


@pytest.mark.parametrize("uploader", BOTH_FAST)
def test_ghost_job_cancel_while_jobs_hangs_reports_its_fate(ciocore_sandbox, uploader):
    """jobs/ hangs, the user cancels, the service lets go: Conductor holds the job, so the run
    must give its id or say it may have been created - never "cancelled"."""
    sandbox = ciocore_sandbox
    timing = {}

    def on_event(event, runner):
        if event.type == ev.RESPONSE and event.job_title == "job1":
            sandbox.faults.add("jobs", hang=True, times=None)
        if event.type == ev.JOB_START and event.job_title == "job2":
            def cancel():
                deadline = time.monotonic() + 10
                while sandbox.faults.hung_count == 0 and time.monotonic() < deadline:
                    time.sleep(0.02)
                timing["asked"] = time.monotonic()
                runner.cancel()
            threading.Thread(target=cancel, daemon=True).start()
        if event.type == ev.DONE:
            timing["done"] = time.monotonic()

    runner, seen = start(payloads(4), sandbox, uploader, on_event)
    assert runner.wait(30)
    assert timing["done"] - timing["asked"] < 3.0  # the answer is waited for a moment, not forever
    assert runner.state == CANCELLED
    job2 = [e for e in seen if e.job_title == "job2" and e.type in ("response", "error")]
    assert len(job2) == 1 and not job2[0].is_cancel
    assert job2[0].may_exist and "job2 may have been created - check {}/jobs".format(sandbox.url) \
        in job2[0].data["exception"]
    assert not [e for e in seen if e.job_title in ("job3", "job4")]
    # the service lets go: it creates the job the run warned about
    sandbox.faults.clear()
    sandbox.release()
    deadline = time.monotonic() + 10
    while len(sandbox.jobs) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [j["payload"]["job_title"] for j in sandbox.jobs][:2] == ["job1", "job2"]


def test_ghost_job_answer_during_the_grace_gives_the_job_id(ciocore_sandbox):
    sandbox = ciocore_sandbox

    def on_event(event, runner):
        if event.type == ev.JOB_START and event.job_title == "job2":
            sandbox.faults.add("jobs", delay=1.0)

            def cancel():
                deadline = time.monotonic() + 10
                while sandbox.faults.held_count == 0 and time.monotonic() < deadline:
                    time.sleep(0.02)
                runner.cancel()
            threading.Thread(target=cancel, daemon=True).start()

    runner, seen = start(payloads(3), sandbox, "shared", on_event)
    assert runner.wait(30) and runner.state == CANCELLED
    answers = [(e.type, e.job_title) for e in seen if e.type in ("response", "error")]
    assert answers == [("response", "job1"), ("response", "job2")]
    assert [r.data["jobid"] for r in runner.responses] == [j["jobid"] for j in sandbox.jobs]


@pytest.mark.parametrize("uploader", BOTH_FAST)
def test_no_runner_or_ciocore_call_thread_outlives_done(ciocore_sandbox, uploader, tmp_path):
    files = make_files(tmp_path / "f", {"a.tx": 1000, "b.tx": 2000})
    before = set(threading.enumerate())
    runner, _seen = start(payloads(2, files=files if uploader == "shared" else ()), ciocore_sandbox, uploader)
    assert runner.wait(30) and runner.state == SUCCEEDED
    time.sleep(0.2)
    ours = [t for t in set(threading.enumerate()) - before if t.name.startswith("ciokatana-") and t.is_alive()
            and not t.name.startswith("ciokatana-sandbox")]
    assert not ours, ours


# What may differ between two submissions of the same payload: when a file was last read.
TIMING_KEYS = {"st_atime"}


def _comparable(body):
    body = dict(body)
    body["upload_files"] = sorted(
        ({k: v for k, v in entry.items() if k not in TIMING_KEYS} for entry in body["upload_files"]),
        key=lambda entry: entry["destination"])
    return body


@pytest.mark.slow
def test_the_shared_path_sends_the_jobs_body_ciocores_submit_sends(ciocore_sandbox, tmp_path):
    """The same two jobs (sharing one file, one of their own each, one job without files) through
    ciocore's own Submit and through the shared path: Conductor receives the same jobs/ bodies but
    for when the files were last read."""
    sandbox = ciocore_sandbox
    own_a, own_b, shared_file = make_files(tmp_path / "f", {"a.tx": 1000, "b.tx": 2000, "s.tx": 3000})
    jobs = payloads(3, per_job=[[shared_file, own_a], [shared_file, own_b], []])
    bodies = {}
    for uploader in ("stock", "shared"):
        before = len(sandbox.jobs)
        runner, _seen = start(jobs, sandbox, uploader)
        assert runner.wait(120) and runner.state == SUCCEEDED, [e.data for e in runner.errors]
        bodies[uploader] = [_comparable(j["payload"]) for j in sandbox.jobs[before:]]
    assert len(bodies["shared"]) == len(bodies["stock"]) == 3
    for stock, shared in zip(bodies["stock"], bodies["shared"]):
        assert shared == stock
    assert [len(b["upload_files"]) for b in bodies["shared"]] == [2, 2, 0]


@pytest.mark.parametrize("uploader", BOTH_FAST)
def test_a_lost_answer_to_a_job_creation_is_never_sent_again(ciocore_sandbox, uploader):
    """Conductor creates the job, then the connection drops before its answer. Sending the
    request again would create (and bill) a second job: ciocore's API client retries every
    request that ends in a connection error, so the job creation must not go through that."""
    sandbox = ciocore_sandbox
    sandbox.faults.add("jobs", lose_answer=True, times=1)
    runner, seen = start(payloads(2), sandbox, uploader)
    assert runner.wait(60)
    held = [j["payload"]["job_title"] for j in sandbox.jobs]
    assert held == ["job1", "job2"], held  # one job each: job1 was not created twice
    (job1,) = [e for e in seen if e.job_title == "job1" and e.type in (ev.RESPONSE, ev.ERROR)]
    assert job1.may_exist and not job1.is_cancel
    assert [e.data["jobid"] for e in runner.responses] == [sandbox.jobs[1]["jobid"]]
