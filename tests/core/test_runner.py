"""The runner's semantics, with a fake Submit that runs on demand.

The same semantics against ciocore's real Submit and the sandbox are in
test_runner_sandbox.py; these tests pin down ordering, cancel, stall and
"may have been created" rules quickly and deterministically.
"""

import json
import threading
import time

import pytest

from ciokatana.core import events as ev
from ciokatana.core.mock import MockRecorder
from ciokatana.core.runner import CANCELLED, FAILED, SUCCEEDED, ConductorSource, Runner, RunState


class Uploader:
    """Stands in for ciocore's Uploader: ``working`` while files go up."""

    def __init__(self):
        self.working = True
        self.cancel = False
        self.error_messages = []


@pytest.fixture
def fake():
    """A Submit stand-in class with its own behaviour table; each job does what its title says."""

    class FakeSubmit:
        behaviour = {}
        entered = threading.Event()
        release = threading.Event()

        def __init__(self, payload):
            self.payload = payload
            self.progress_handler = None
            self.stopped = threading.Event()
            self.uploader_ = None

        def main(self):
            mode = self.behaviour.get(self.payload["job_title"], "ok")
            FakeSubmit.entered.set()
            if mode == "fail":
                raise RuntimeError("service said no to " + self.payload["job_title"])
            if mode == "ciocore_cancels":  # ciocore gives up on its own, before any cancel() here
                from ciocore.exceptions import UserCanceledError

                raise UserCanceledError("Job submission was cancelled by the user")
            if mode == "hang":  # ignores stop_work, like a request with no timeout
                FakeSubmit.release.wait(30)
            if mode == "uploading":  # hangs while its files go up: nothing sent yet
                self.uploader_ = Uploader()
                FakeSubmit.release.wait(30)
                from ciocore.exceptions import UserCanceledError

                raise UserCanceledError("Job submission was cancelled by the user")
            if mode == "late":  # answers a while after stop_work
                self.stopped.wait(30)
                time.sleep(0.3)
            if mode == "stoppable":
                if self.stopped.wait(30):
                    from ciocore.exceptions import UserCanceledError

                    raise UserCanceledError("Job submission was cancelled by the user")
            title = self.payload["job_title"]
            return {"body": "job submitted.", "jobid": title[-1] * 5, "status": "success", "uri": "/jobs/x"}, 201

        def stop_work(self):
            self.stopped.set()

    yield FakeSubmit
    FakeSubmit.release.set()


def payloads(n=4, uploads=False):
    extra = {"upload_paths": ["/shot/tex.tx"]} if uploads else {}
    return [dict(extra, job_title="job{}".format(i)) for i in range(1, n + 1)]


def run(fake, behaviour, n=4, cancel_on=None, **source_args):
    fake.behaviour = behaviour
    seen = []
    runner = Runner(ConductorSource(payloads(n), fake, **source_args), seen.append)

    def watch(event):
        seen.append(event)
        if cancel_on and event.type == ev.JOB_START and event.job_title == cancel_on:
            threading.Timer(0.2, runner.cancel).start()

    runner.on_event = watch
    runner.start()
    assert runner.wait(10)
    return runner, seen


def kinds(seen):
    return [(e.type, e.job_title) for e in seen]


def test_all_jobs_answer_then_done_once(fake):
    runner, seen = run(fake, {})
    assert runner.state == SUCCEEDED and runner.state == "succeeded" and isinstance(runner.state, RunState)
    assert kinds(seen) == [("start", "")] + [
        pair for i in range(1, 5) for pair in (("job_start", "job%d" % i), ("response", "job%d" % i))
    ] + [("done", "")]


def test_error_in_job_two_of_four_does_not_stop_the_others(fake):
    runner, seen = run(fake, {"job2": "fail"})
    assert runner.state == FAILED
    assert [e.type for e in seen].count("response") == 3
    (error,) = [e for e in seen if e.type == ev.ERROR]
    assert error.job_title == "job2" and "service said no" in error.data["exception"]
    assert [e.type for e in seen][-1] == "done" and [e.type for e in seen].count("done") == 1


def test_cancel_during_job_two_stops_there(fake):
    runner, seen = run(fake, {"job2": "stoppable"}, cancel_on="job2")
    assert runner.state == CANCELLED
    assert kinds(seen)[-3:] == [("job_start", "job2"), ("error", "job2"), ("done", "")]
    assert seen[-2].is_cancel and not [e for e in seen if e.job_title in ("job3", "job4")]


def test_ciocores_own_cancel_error_is_a_cancel_not_a_failure(fake):
    """ciocore raises UserCanceledError when its uploader is told to stop
    (Ctrl-C in its own handler, another stop_work caller) before the runner
    sees any cancel: the job reads as cancelled and no further job starts."""
    runner, seen = run(fake, {"job2": "ciocore_cancels"})
    assert runner.state == CANCELLED
    assert kinds(seen)[-3:] == [("job_start", "job2"), ("error", "job2"), ("done", "")]
    assert seen[-2].is_cancel and seen[-2].data["exception_type"] == "UserCanceledError"
    assert not [e for e in seen if e.job_title in ("job3", "job4")]


def test_cancel_while_files_upload_returns_quickly_as_a_cancel(fake):
    fake.behaviour = {"job1": "uploading"}
    seen = []
    runner = Runner(ConductorSource(payloads(2, uploads=True), fake, cancel_grace=0.3), seen.append).start()
    assert fake.entered.wait(5)
    time.sleep(0.1)
    asked = time.monotonic()
    runner.cancel()
    assert runner.wait(2.0)
    assert time.monotonic() - asked < 1.5
    assert seen[-2].is_cancel and seen[-1].type == "done"
    assert len(runner.abandoned_threads()) == 1 and runner.abandoned_threads()[0].daemon


def test_cancel_when_the_creation_request_may_be_in_flight_says_may_have_been_created(fake):
    """Ghost-job rule: with no upload to do, main() goes straight to jobs/; never call that cancelled."""
    fake.behaviour = {"job1": "hang"}
    seen = []
    runner = Runner(ConductorSource(payloads(2), fake, cancel_grace=0.3, create_grace=0.5,
                                    url="http://127.0.0.1:9"), seen.append).start()
    assert fake.entered.wait(5)
    asked = time.monotonic()
    runner.cancel()
    assert runner.wait(3.0)
    assert time.monotonic() - asked < 2.0
    last = seen[-2]
    assert last.may_exist and not last.is_cancel and last.data["may_exist"] is True
    assert last.data["exception_type"] == ev.MAY_EXIST_TYPE
    assert "job1 may have been created - check http://127.0.0.1:9/jobs" in last.data["exception"]
    assert runner.state == CANCELLED and not [e for e in seen if e.job_title == "job2"]


def test_an_answer_that_comes_during_the_cancel_grace_is_reported_with_its_id(fake):
    runner, seen = run(fake, {"job2": "late"}, cancel_on="job2")
    assert runner.state == CANCELLED
    assert kinds(seen)[-3:] == [("job_start", "job2"), ("response", "job2"), ("done", "")]
    assert seen[-2].data["jobid"] == "22222"


def test_a_job_that_stalls_ends_with_the_step_and_no_further_job_is_sent(fake):
    fake.behaviour = {"job1": "uploading"}
    seen = []
    source = ConductorSource(payloads(3, uploads=True), fake, timeout=0.5, min_timeout=0.5, cancel_grace=0.2)
    runner = Runner(source, seen.append).start()
    started = time.monotonic()
    assert runner.wait(5)
    assert time.monotonic() - started < 3.0
    errors = [e for e in seen if e.type == ev.ERROR]
    assert [e.job_title for e in errors] == ["job1", "job2", "job3"]
    assert errors[0].data["exception_type"] == ev.STALLED_TYPE
    assert "no answer and no progress for 0.5 s during the upload" in errors[0].data["exception"]
    assert all("not sent" in e.data["exception"] for e in errors[1:])
    assert runner.state == FAILED and [e.type for e in seen].count("done") == 1


def test_a_stalled_creation_is_reported_as_may_have_been_created(fake):
    fake.behaviour = {"job1": "hang"}
    seen = []
    source = ConductorSource(payloads(1), fake, timeout=0.5, min_timeout=0.5, cancel_grace=0.2, create_grace=0.2)
    runner = Runner(source, seen.append).start()
    assert runner.wait(5)
    assert seen[-2].may_exist and "stalled" in seen[-2].data["exception"]


def test_done_reaches_the_listener_after_the_run_is_finished_and_recorded(fake, tmp_path):
    fake.behaviour = {}
    path = str(tmp_path / "run.json")
    at_done = {}

    def listen(event):
        if event.type == ev.DONE:
            at_done["finished"] = runner.finished
            at_done["state"] = runner.state
            with open(path, encoding="utf-8") as handle:
                at_done["events"] = json.load(handle)  # the recorder was closed: valid JSON

    runner = Runner(ConductorSource(payloads(2), fake), listen, MockRecorder(path))
    runner.start()
    assert runner.wait(5)
    assert at_done["finished"] is True and at_done["state"] == SUCCEEDED
    assert [e["event"] for e in at_done["events"]][-1] == "done"


def test_listener_errors_are_logged_not_fatal(fake, caplog):
    fake.behaviour = {}
    calls = []

    def bad(event):
        calls.append(event.type)
        raise ValueError("listener broke")

    runner = Runner(ConductorSource(payloads(1), fake), bad)
    assert runner.run() == SUCCEEDED
    assert calls[-1] == "done" and "listener failed" in caplog.text


def test_a_runner_runs_once_and_raise_error_is_mock_only(fake):
    runner = Runner(ConductorSource([], fake))
    runner.run()
    with pytest.raises(RuntimeError):
        runner.run()
    with pytest.raises(RuntimeError):
        runner.start()
    with pytest.raises(RuntimeError, match="only a mock replay"):
        runner.raise_error()


def test_progress_after_a_job_ended_is_dropped(fake):
    class LateProgress(fake):
        def main(self):
            result = super().main()
            self.late = self.progress_handler
            return result

    made = []

    def factory(payload):
        made.append(LateProgress(payload))
        return made[-1]

    fake.behaviour = {}
    seen = []
    Runner(ConductorSource(payloads(1), factory), seen.append).run()
    made[0].late(object())  # ciocore's monitor thread firing late
    assert [e.type for e in seen] == ["start", "job_start", "response", "done"]
