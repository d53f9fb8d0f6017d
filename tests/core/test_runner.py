"""The runner's semantics, with a fake Submit that runs on demand.

The same semantics against ciocore's real Submit and the sandbox are in
test_runner_sandbox.py; these tests pin down ordering and cancel rules
quickly and deterministically.
"""

import threading
import time

import pytest

from ciokatana.core import events as ev
from ciokatana.core.runner import CANCELLED, FAILED, SUCCEEDED, ConductorSource, Runner


class FakeSubmit:
    """A Submit stand-in: each job waits for its gate unless told otherwise."""

    behaviour = {}
    entered = threading.Event()

    def __init__(self, payload):
        self.payload = payload
        self.progress_handler = None
        self.stopped = threading.Event()

    def main(self):
        mode = self.behaviour.get(self.payload["job_title"], "ok")
        FakeSubmit.entered.set()
        if mode == "fail":
            raise RuntimeError("service said no to " + self.payload["job_title"])
        if mode == "hang":
            self.stopped.wait(30)  # ignores stop_work, like a request with no timeout
            time.sleep(30)
        if mode == "stoppable":
            if self.stopped.wait(30):
                from ciocore.exceptions import UserCanceledError

                raise UserCanceledError("Job submission was cancelled by the user")
        return {"body": "job submitted.", "jobid": self.payload["job_title"][-1] * 5, "status": "success", "uri": "/jobs/x"}, 201

    def stop_work(self):
        self.stopped.set()


def payloads(n=4):
    return [{"job_title": "job{}".format(i)} for i in range(1, n + 1)]


def run(behaviour, n=4, cancel_on=None):
    FakeSubmit.behaviour = behaviour
    seen = []
    runner = Runner(ConductorSource(payloads(n), FakeSubmit), seen.append)

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


def test_all_jobs_answer_then_done_once():
    runner, seen = run({})
    assert runner.state == SUCCEEDED
    assert kinds(seen) == [("start", "")] + [
        pair for i in range(1, 5) for pair in (("job_start", "job%d" % i), ("response", "job%d" % i))
    ] + [("done", "")]


def test_error_in_job_two_of_four_does_not_stop_the_others():
    runner, seen = run({"job2": "fail"})
    assert runner.state == FAILED
    assert [e.type for e in seen].count("response") == 3
    (error,) = [e for e in seen if e.type == ev.ERROR]
    assert error.job_title == "job2" and "service said no" in error.data["exception"]
    assert [e.type for e in seen][-1] == "done" and [e.type for e in seen].count("done") == 1


def test_cancel_during_job_two_stops_there():
    runner, seen = run({"job2": "stoppable"}, cancel_on="job2")
    assert runner.state == CANCELLED
    assert kinds(seen)[-3:] == [("job_start", "job2"), ("error", "job2"), ("done", "")]
    assert seen[-2].is_cancel and not [e for e in seen if e.job_title in ("job3", "job4")]


def test_cancel_returns_quickly_when_the_job_never_answers():
    FakeSubmit.behaviour = {"job1": "hang"}
    FakeSubmit.entered.clear()
    seen = []
    runner = Runner(ConductorSource(payloads(2), FakeSubmit, cancel_grace=0.5), seen.append).start()
    assert FakeSubmit.entered.wait(5)
    asked = time.monotonic()
    runner.cancel()
    assert runner.wait(2.0)
    assert time.monotonic() - asked < 2.0
    assert seen[-2].is_cancel and seen[-1].type == "done"
    assert len(runner.abandoned_threads()) == 1 and runner.abandoned_threads()[0].daemon


def test_listener_errors_are_logged_not_fatal(caplog):
    FakeSubmit.behaviour = {}
    calls = []

    def bad(event):
        calls.append(event.type)
        raise ValueError("listener broke")

    runner = Runner(ConductorSource(payloads(1), FakeSubmit), bad)
    assert runner.run() == SUCCEEDED
    assert calls[-1] == "done" and "listener failed" in caplog.text


def test_a_runner_runs_once_and_raise_error_is_mock_only():
    runner = Runner(ConductorSource([], FakeSubmit))
    runner.run()
    with pytest.raises(RuntimeError):
        runner.run()
    with pytest.raises(RuntimeError, match="only a mock replay"):
        runner.raise_error()


def test_progress_after_a_job_ended_is_dropped():
    class LateProgress(FakeSubmit):
        def main(self):
            result = super().main()
            self.late = self.progress_handler
            return result

    made = []

    def factory(payload):
        made.append(LateProgress(payload))
        return made[-1]

    FakeSubmit.behaviour = {}
    seen = []
    Runner(ConductorSource(payloads(1), factory), seen.append).run()
    made[0].late(object())  # ciocore's monitor thread firing late
    assert [e.type for e in seen] == ["start", "job_start", "response", "done"]
