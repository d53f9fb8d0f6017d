"""The shared-upload path against the sandbox: what arrives, what each job lists, what fails.

Faults, stalls and cancels at every step are in tests/reliability; the
comparison with ciocore's per-job path is in test_runner_sandbox.py.
"""

import os
import threading
import time

import pytest

from ciokatana.core import events as ev
from ciokatana.core.ciocore_calls import CallError, Calls
from ciokatana.core.runner import FAILED, SUCCEEDED, Runner
from ciokatana.core.shared_upload import SharedUploadSource

from shots import b64md5, make_files, payloads


def run(sandbox, jobs, **kw):
    seen = []
    source = SharedUploadSource(jobs, database_filepath=sandbox.ciocore_config.database_filepath,
                                url=sandbox.url, **kw)
    runner = Runner(source, seen.append)
    runner.start()
    assert runner.wait(60)
    return runner, seen


@pytest.fixture
def shot(tmp_path):
    """Five files: one multipart (300 kB with 100 kB parts), one a copy of another."""
    paths = make_files(tmp_path / "show", {"scene.katana": 3000, "tex/a.tx": 50000, "tex/b.tx": 70000,
                                           "cache/big.abc": 300000})
    twin = str(tmp_path / "show" / "tex" / "a_copy.tx")
    with open(paths[2], "rb") as src, open(twin, "wb") as dst:  # tex/a.tx
        dst.write(src.read())
    return paths + [twin]


@pytest.fixture
def parts(ciocore_sandbox):
    ciocore_sandbox.multipart_threshold = 100 * 1024
    ciocore_sandbox.part_size = 100 * 1024
    return ciocore_sandbox


def test_each_file_arrives_once_byte_identical_and_each_job_lists_its_own(parts, shot):
    sandbox = parts
    by_job = [shot[:2], shot, [shot[0], shot[4]]]
    runner, seen = run(sandbox, payloads(3, per_job=by_job))
    assert runner.state == SUCCEEDED, [e.data for e in runner.errors]
    # one upload per distinct content: the copy of a.tx is not sent again
    stored = [e for e in sandbox.upload_log if e["stored"]]
    assert sorted(e["md5"] for e in stored) == sorted({b64md5(p) for p in shot})
    assert [e["kind"] for e in stored].count("multipart") == 1
    for path in shot:
        with open(path, "rb") as handle:
            assert sandbox.file_bytes(b64md5(path)) == handle.read()
    for job, files in zip(sandbox.jobs, by_job):
        listed = {e["destination"]: e["md5"] for e in job["payload"]["upload_files"]}
        assert listed == {p: b64md5(p) for p in files}
        assert job["payload"]["upload_size"] == sum(os.path.getsize(p) for p in files)
    # events: start announces the upload; its progress comes before the first job, as index -1
    assert seen[0].data["upload_files"] == 5 and seen[0].data["upload_bytes"] == sum(map(os.path.getsize, shot))
    first_job = [i for i, e in enumerate(seen) if e.type == ev.JOB_START][0]
    shared = [e for e in seen[:first_job] if e.type == ev.PROGRESS]
    assert shared and all(e.is_shared_upload and e.job_title == "" for e in shared)
    assert not [e for e in seen[first_job:] if e.type == ev.PROGRESS]
    assert shared[-1].data["percent_complete"] == 100.0 and shared[-1].data["md5_percent"] == 100.0
    assert ev.true_bytes(shared[-1].data["bytes_uploaded"]) == sum(os.path.getsize(p) for p in shot[:4])
    assert all(e.data["phase"] == ev.CREATE_PHASE for e in seen if e.type == ev.JOB_START)


def test_a_second_submit_hashes_nothing_and_uploads_nothing_but_a_changed_file(parts, shot):
    sandbox = parts
    run(sandbox, payloads(2, files=shot))
    uploads = len(sandbox.upload_log)
    runner, seen = run(sandbox, payloads(2, files=shot))
    assert runner.state == SUCCEEDED and len(sandbox.upload_log) == uploads and len(sandbox.jobs) == 4
    files = [e for e in seen if e.type == ev.PROGRESS][-1].data["file_progress"]
    assert all(f["md5_was_cached"] and f["already_uploaded"] for f in files.values())
    # a file rewritten since: hashed again and uploaded, nothing else
    with open(shot[1], "r+b") as handle:
        handle.write(b"changed!")
    os.utime(shot[1], (time.time() + 5, time.time() + 5))
    runner, seen = run(sandbox, payloads(1, files=shot))
    files = [e for e in seen if e.type == ev.PROGRESS][-1].data["file_progress"]
    assert [p for p, f in files.items() if not f["md5_was_cached"]] == [shot[1]]
    assert [e["path"] for e in sandbox.upload_log[uploads:]] == [shot[1]]


def test_a_file_that_fails_to_upload_fails_only_the_jobs_that_need_it(parts, shot):
    """The file changes after it was hashed: Conductor refuses its bytes (BadDigest)."""
    sandbox = parts
    sandbox.faults.add("upload", delay=0.3, times=None)
    changed = []

    def listen(event):
        data = event.data
        if event.type == ev.PROGRESS and data["processed_md5s"] == data["files_to_analyze"] and not changed:
            with open(shot[0], "r+b") as handle:  # cache/big.abc
                handle.write(b"rewritten while uploading")
            changed.append(True)

    seen = []
    source = SharedUploadSource(payloads(3, per_job=[shot[1:2], shot[:1], []]),
                                database_filepath=sandbox.ciocore_config.database_filepath)
    runner = Runner(source, lambda e: (seen.append(e), listen(e)))
    runner.start()
    assert runner.wait(60) and runner.state == FAILED
    outcome = {e.job_title: e for e in seen if e.type in (ev.RESPONSE, ev.ERROR)}
    assert outcome["job1"].type == ev.RESPONSE and outcome["job3"].type == ev.RESPONSE
    failed = outcome["job2"].data
    assert failed["exception_type"] == "UploadError"
    assert shot[0] in failed["exception"] and "BadDigest" in failed["exception"]
    assert [j["payload"]["job_title"] for j in sandbox.jobs] == ["job1", "job3"]


def test_every_upload_failing_fails_the_jobs_with_files_and_names_one(ciocore_sandbox, shot):
    sandbox = ciocore_sandbox
    sandbox.faults.add("upload", status=503, times=None, message="storage is down")
    runner, seen = run(sandbox, payloads(2, per_job=[shot, []]))
    (error,) = runner.errors
    assert error.job_title == "job1" and "storage is down (HTTP 503)" in error.data["exception"]
    assert "could not be uploaded" in error.data["exception"]
    assert [j["payload"]["job_title"] for j in sandbox.jobs] == ["job2"]
    # retried (safe: the same bytes to the same URL), then given up
    puts = [r for r in sandbox.requests if r["endpoint"] == "upload"]
    assert len(puts) == 3 * len({b64md5(p) for p in shot})


def test_an_upload_whose_connection_drops_says_so_naming_the_file_once(ciocore_sandbox, shot):
    sandbox = ciocore_sandbox
    sandbox.faults.add("upload", drop=True, times=None)
    runner, seen = run(sandbox, payloads(1, per_job=[shot[1:2]]))
    (error,) = runner.errors
    text = error.data["exception"]
    assert "upload of {} failed: the connection was dropped before an answer came".format(shot[1]) in text
    assert text.count("upload of {}".format(shot[1])) == 1


@pytest.mark.parametrize("endpoint", ["oauth", "upload_urls", "upload", "multipart_complete"])
def test_one_failure_of_a_call_that_is_safe_to_repeat_is_retried(parts, shot, endpoint):
    parts.faults.add(endpoint, status=500)
    runner, _seen = run(parts, payloads(2, files=shot))
    assert runner.state == SUCCEEDED, [e.data for e in runner.errors]
    assert len(parts.jobs) == 2


def test_a_refused_job_creation_is_not_repeated_and_the_next_job_goes_on(ciocore_sandbox):
    ciocore_sandbox.faults.add("jobs", status=500, message="database is down")
    runner, seen = run(ciocore_sandbox, payloads(2))
    (error,) = runner.errors
    assert error.job_title == "job1" and "database is down (HTTP 500)" in error.data["exception"]
    assert error.data["response_code"] == 500 and not error.may_exist
    assert [r["endpoint"] for r in ciocore_sandbox.requests].count("jobs") == 2
    assert [j["payload"]["job_title"] for j in ciocore_sandbox.jobs] == ["job2"]


def test_a_dropped_job_creation_may_have_been_created_and_the_next_job_goes_on(ciocore_sandbox):
    ciocore_sandbox.faults.add("jobs", drop=True)
    runner, seen = run(ciocore_sandbox, payloads(2))
    (error,) = runner.errors
    assert error.may_exist and "dropped" in error.data["exception"]
    assert [r["endpoint"] for r in ciocore_sandbox.requests].count("jobs") == 2  # never re-sent
    assert runner.responses[0].job_title == "job2"


def test_daemon_jobs_upload_nothing_and_list_their_files_without_md5(ciocore_sandbox, shot):
    runner, seen = run(ciocore_sandbox, payloads(2, files=shot[:2], local_upload=False))
    assert runner.state == SUCCEEDED
    assert ciocore_sandbox.upload_log == [] and not [e for e in seen if e.type == ev.PROGRESS]
    for job in ciocore_sandbox.jobs:
        assert [(f["destination"], f["md5"]) for f in job["payload"]["upload_files"]] == [(p, None) for p in shot[:2]]


def test_a_connection_that_cannot_be_made_is_known_as_not_sent(ciocore_sandbox):
    """Only then may a job creation be tried again."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    os.environ["CONDUCTOR_URL"] = "http://127.0.0.1:%d" % port
    from ciocore import config

    config.get(force=True)
    calls = Calls(timeout=5)
    try:
        with pytest.raises(CallError) as err:
            calls.create_job("{}", "job1")
    finally:
        calls.close()
        os.environ["CONDUCTOR_URL"] = ciocore_sandbox.url
        config.get(force=True)
    assert err.value.sent is False and err.value.status is None


def test_cancel_during_a_hung_upload_ends_every_call_thread(ciocore_sandbox, shot):
    sandbox = ciocore_sandbox
    sandbox.faults.add("upload", hang=True, times=None)
    seen = []
    runner = Runner(SharedUploadSource(payloads(2, files=shot), url=sandbox.url,
                                       database_filepath=sandbox.ciocore_config.database_filepath), seen.append)
    runner.start()
    deadline = time.monotonic() + 10
    while sandbox.faults.hung_count == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    asked = time.monotonic()
    runner.cancel()
    assert runner.wait(5) and time.monotonic() - asked < 2.0
    (cancel,) = runner.errors
    assert cancel.is_cancel and cancel.job_title == "" and "before any job was created" in cancel.data["body"]
    assert not [e for e in seen if e.type == ev.JOB_START] and sandbox.jobs == []
    time.sleep(0.5)
    alive = [t.name for t in threading.enumerate() if t.name.startswith(("ciokatana-upload", "ciokatana-call",
                                                                        "ciokatana-md5", "ciokatana-create"))]
    assert not alive


@pytest.mark.parametrize("when", ["before its upload", "after its upload"])
def test_a_file_that_vanishes_mid_run_fails_only_the_jobs_that_need_it_and_is_named(ciocore_sandbox, shot, when):
    """The artist (or a cleanup script) deletes a texture while the submission runs."""
    sandbox = ciocore_sandbox
    gone = shot[2]  # tex/a.tx (its copy a_copy.tx has the same bytes: it is not the same file)
    endpoint = "upload_urls" if when == "before its upload" else "jobs"
    sandbox.faults.add(endpoint, hang=True)

    def remove_when_held():
        deadline = time.monotonic() + 10
        while sandbox.faults.hung_count == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        os.remove(gone)
        sandbox.release()

    helper = threading.Thread(target=remove_when_held, daemon=True)
    helper.start()
    # job2 lists the file; job1 and job3 do not (they are created in either case)
    jobs = payloads(3, per_job=[shot[:1], [shot[1], gone], shot[3:]])
    runner, seen = run(sandbox, jobs)
    helper.join(5)
    assert runner.state == FAILED
    outcome = {e.job_title: e for e in seen if e.type in (ev.RESPONSE, ev.ERROR)}
    assert set(outcome) == {"job1", "job2", "job3"}
    failed = outcome["job2"].data
    assert outcome["job2"].type == ev.ERROR and not outcome["job2"].is_cancel and gone in failed["exception"]
    assert failed["exception"].startswith("not created: ") and "cannot read" in failed["exception"]
    if when == "before its upload":  # after it, those bytes were already on Conductor: nothing to show
        # job3 lists only the copy of the vanished file: the copy's own bytes stand in for it
        with open(shot[4], "rb") as handle:
            assert sandbox.file_bytes(b64md5(shot[4])) == handle.read()
    created = [e.data["jobid"] for e in seen if e.type == ev.RESPONSE]
    assert "job3" in [e.job_title for e in seen if e.type == ev.RESPONSE]
    deadline = time.monotonic() + 2  # the sandbox may answer a moment before it lists the job
    while len(sandbox.jobs) < len(created) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert [j["jobid"] for j in sandbox.jobs] == created
    assert "job2" not in [j["payload"]["job_title"] for j in sandbox.jobs]
    assert [e.type for e in seen].count(ev.DONE) == 1
