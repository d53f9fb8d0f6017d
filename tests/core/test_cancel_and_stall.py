"""Cancel at each phase of a submission, and a stalled step in the terminal, on both paths.

A phase is held by a sandbox ``hang`` on its endpoint (or, for hashing, by
a big file); the run is cancelled while it is held. Then the hang is
released and the service shows what it really created.
"""

import io
import os
import time

import pytest

from ciokatana.core import events as ev
from ciokatana.core import submission
from ciokatana.core.runner import CANCELLED, Runner

from sandbox_fixtures import CIOCORE_WORKERS
from shots import make_files, payloads

PHASES = ["oauth", "upload_urls", "upload", "multipart_complete", "jobs"]


def start(sandbox, jobs, uploader, timeout=60.0):
    spec = submission.SourceSpec(uploader=uploader, timeout=timeout, url=sandbox.url,
                                 database_filepath=sandbox.ciocore_config.database_filepath)
    source, _ = submission.open_source(jobs, spec)
    seen = []
    runner = Runner(source, seen.append)
    runner.start()
    return runner, seen


def wait_for(condition, seconds=20.0):
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)
    return condition()


@pytest.fixture
def files(ciocore_sandbox, tmp_path):
    ciocore_sandbox.multipart_threshold = 100 * 1024
    ciocore_sandbox.part_size = 64 * 1024
    return make_files(tmp_path / "show", {"scene.katana": 2000, "tex/a.tx": 30000, "cache/big.abc": 200000})


@pytest.mark.parametrize("uploader", ["shared", pytest.param("stock", marks=pytest.mark.slow)])
@pytest.mark.parametrize("phase", PHASES)
def test_cancel_while_a_phase_is_held(ciocore_sandbox, files, uploader, phase):
    sandbox = ciocore_sandbox
    sandbox.faults.add(phase, hang=True, times=None)
    runner, seen = start(sandbox, payloads(2, files=files), uploader)
    assert wait_for(lambda: sandbox.faults.hung_count > 0 or runner.finished), "the phase was never reached"
    asked = time.monotonic()
    runner.cancel()
    assert runner.wait(5)
    assert time.monotonic() - asked < 3.0  # control comes back at once (2 s at most for a job's answer)
    assert runner.state == CANCELLED and [e.type for e in seen].count(ev.DONE) == 1
    sandbox.faults.clear()
    sandbox.release()
    time.sleep(0.5)
    ended = [e for e in seen if e.type in (ev.RESPONSE, ev.ERROR)]
    if phase == "jobs":  # the request was with Conductor: its fate is reported, never "cancelled"
        (job1,) = [e for e in ended if e.job_title == "job1"]
        assert job1.may_exist
        assert [j["payload"]["job_title"] for j in sandbox.jobs] == ["job1"]
    else:  # cancel before any job creation: nothing on the service, one cancel
        assert sandbox.jobs == []
        assert len(ended) == 1 and ended[0].is_cancel


def test_cancel_while_hashing_a_big_file(ciocore_sandbox, tmp_path):
    big = str(tmp_path / "huge.vdb")
    with open(big, "wb") as handle:  # sparse: instant to make, seconds to hash
        handle.truncate(3 * 1024 ** 3)
    runner, seen = start(ciocore_sandbox, payloads(2, files=[big]), "shared")
    assert wait_for(lambda: any(e.type == ev.PROGRESS for e in seen))
    time.sleep(0.2)
    asked = time.monotonic()
    runner.cancel()
    assert runner.wait(5) and time.monotonic() - asked < 1.0
    assert runner.errors[-1].is_cancel and ciocore_sandbox.jobs == [] and ciocore_sandbox.upload_log == []


def test_a_stalled_job_creation_in_the_terminal(ciocore_sandbox, files):
    """--timeout: jobs/ never answers; the run ends in timeout + a little, naming what it knows."""
    sandbox = ciocore_sandbox
    sandbox.faults.add("jobs", hang=True, times=None)
    out = io.StringIO()
    spec = submission.SourceSpec(timeout=1.0, url=sandbox.url, database_filepath=sandbox.ciocore_config.database_filepath)
    started = time.monotonic()
    run = submission.run_in_terminal(payloads(3, files=files), spec, out, io.StringIO(), url=sandbox.url)
    assert time.monotonic() - started < 1.0 + 5.0
    text = " ".join(out.getvalue().split())
    assert "MAY EXIST job1 job1 may have been created - check {}/jobs".format(sandbox.url) in text
    assert "no answer within 1 s" in text or "no answer and no progress for 1 s" in text
    assert "FAILED job2 SubmissionStalled: not sent: Conductor stopped answering during the job creation of job1" in text
    assert "FAILED job3 SubmissionStalled: not sent" in text
    assert not run.ok and run.state == "failed"
    sandbox.release()


def test_a_stalled_upload_names_the_file(ciocore_sandbox, files):
    sandbox = ciocore_sandbox
    sandbox.faults.add("upload", hang=True)  # one PUT never answered; the others are
    out = io.StringIO()
    spec = submission.SourceSpec(timeout=1.0, url=sandbox.url, database_filepath=sandbox.ciocore_config.database_filepath)
    run = submission.run_in_terminal(payloads(2, per_job=[files, files[:1]]), spec, out, io.StringIO(), url=sandbox.url)
    failed = [r for r in run.results if r.status == "failed"]
    assert failed and all("stalled: no answer and no progress for 1 s during upload of" in r.message
                          or "no answer within 1 s" in r.message for r in failed)
    assert any(os.path.basename(p) in out.getvalue() for p in files)
    sandbox.release()


@pytest.mark.slow
def test_a_stock_run_started_right_after_a_cancelled_one_still_uploads(ciocore_sandbox, files, tmp_path):
    """ciocore's uploader, once cancelled, wakes from its 5 s sleep and clears ciocore's
    module-wide WORKING flag: any uploader running by then stops passing files on. Cancel,
    submit again at once (the artist's "oops, submit"): the second run must not hang."""
    sandbox = ciocore_sandbox
    sandbox.faults.add("upload", hang=True, times=None)
    runner, _seen = start(sandbox, payloads(1, files=files), "stock")
    assert wait_for(lambda: sandbox.faults.hung_count > 0 or runner.finished), "the upload was never reached"
    runner.cancel()
    assert runner.wait(5) and runner.state == CANCELLED
    sandbox.faults.clear()
    sandbox.release()
    again = make_files(tmp_path / "again", {"new_a.tx": 40000, "new_b.tx": 50000})
    runner, seen = start(sandbox, payloads(1, files=again), "stock", timeout=15.0)
    assert runner.wait(60)
    assert [e.type for e in seen if e.type in (ev.RESPONSE, ev.ERROR)] == [ev.RESPONSE], \
        [e.data for e in seen if e.type == ev.ERROR]


@pytest.mark.slow
def test_no_ciocore_worker_outlives_a_cancelled_stock_run_by_more_than_a_few_seconds(ciocore_sandbox, files):
    """Issue 11.2: the user cancels while Conductor is slow to give the upload URLs; the answer
    comes just after. Within a few seconds of done, with the sandbox still running, no thread of
    ciocore's uploader is left (ciocore's own uploader left four waiting on their queues for ever)."""
    import threading

    sandbox = ciocore_sandbox
    sandbox.faults.add("upload_urls", hang=True, times=None)
    before = set(threading.enumerate())
    runner, _seen = start(sandbox, payloads(1, files=files), "stock")
    assert wait_for(lambda: sandbox.faults.hung_count > 0 or runner.finished), "upload_urls was never reached"
    runner.cancel()
    assert runner.wait(5) and runner.state == CANCELLED
    done = time.monotonic()
    sandbox.faults.clear()
    sandbox.release()

    def workers():
        return sorted(t.name for t in set(threading.enumerate()) - before
                      if t.is_alive() and t.name.split("-")[0] in CIOCORE_WORKERS)

    wait_for(lambda: not workers(), seconds=4.0)
    assert not workers(), "alive {:.1f} s after done: {}".format(time.monotonic() - done, workers())
