"""The submission runner: jobs in order on a worker thread, as events.

Layer: core (no Qt). A :class:`Runner` drives an event *source* - real
submissions through ciocore (:class:`ConductorSource`) or a mock file being
replayed (:class:`ciokatana.core.mock.MockReplay`) - and hands every event
to a callback, optionally recording it. The dialog wraps it in a queued Qt
bridge; the command line and tests call :meth:`Runner.run` directly.

State machine::

    PENDING --start()/run()--> RUNNING --+--> SUCCEEDED   every job answered
                                         +--> FAILED      a job (or the source) failed
                                         +--> CANCELLED   cancel() was called

Guarantees, whatever happens: events arrive in the order described in
:mod:`ciokatana.core.events`; a failing job yields an ``error`` event and
the next job still runs; ``cancel()`` stops the current job (ciocore's
``Submit.stop_work()``), yields one ``UserCanceledError`` error and starts
no more jobs; every run ends with exactly one ``done``. ciocore sets no
network timeouts, so each job runs on its own daemon thread and a cancel
stops waiting for it after ``cancel_grace`` seconds: control comes back
within about 1.2 s even when the service never answers.
"""

from __future__ import annotations

import logging
import threading
from typing import Callable, List, Optional

from ciokatana.core import events as ev

logger = logging.getLogger(__name__)

PENDING = "pending"
RUNNING = "running"
SUCCEEDED = "succeeded"
FAILED = "failed"
CANCELLED = "cancelled"
FINAL_STATES = (SUCCEEDED, FAILED, CANCELLED)


class Control:
    """Requests from the user to a running source (thread-safe)."""

    def __init__(self):
        self.cancel_event = threading.Event()
        self._raise = threading.Event()

    @property
    def cancelled(self) -> bool:
        return self.cancel_event.is_set()

    def wait(self, seconds: float) -> bool:
        """Sleep up to seconds; True if cancel was asked meanwhile."""
        if seconds > 0:
            return self.cancel_event.wait(seconds)
        return self.cancel_event.is_set()

    def request_raise(self) -> None:
        self._raise.set()

    def take_raise(self) -> bool:
        """True once after request_raise()."""
        if self._raise.is_set():
            self._raise.clear()
            return True
        return False


class Source:
    """Something that produces a run's events (all but ``done``)."""

    supports_raise_error = False

    def run(self, emit: Callable[[ev.Event], None], control: Control) -> None:
        raise NotImplementedError

    def abandoned_threads(self) -> List[threading.Thread]:
        """Threads still finishing after a cancel (see ConductorSource)."""
        return []


def conductor_submit_factory(database_filepath: str = ""):
    """A ``submit_factory`` building ciocore's ``Submit`` for each payload
    (through :func:`ciokatana.core.ciocompat.submit`).

    Args:
        database_filepath: where ciocore keeps its md5 cache (sqlite); its
            default is a shared file in the temp dir whatever HOME says.
    """

    def factory(payload):
        from ciokatana.core import ciocompat

        args = dict(payload)
        if database_filepath:
            args["database_filepath"] = database_filepath
        return ciocompat.submit(args)

    return factory



class ConductorSource(Source):
    """Submits payloads one after another through ciocore.

    Args:
        payloads: job payloads from :func:`ciokatana.core.plan.plan_submission`.
        submit_factory: builds a ``Submit``-like object from a payload
            (``progress_handler``, ``main()``, ``stop_work()``); tests may
            pass a fake, production uses ciocore's ``Submit``.
        cancel_grace: seconds to let ciocore stop after ``stop_work()``.
    """

    def __init__(self, payloads: List[dict], submit_factory=None, cancel_grace: float = 1.0):
        self.payloads = [dict(p) for p in payloads]
        self.submit_factory = submit_factory or conductor_submit_factory()
        self.cancel_grace = cancel_grace
        self._abandoned: List[threading.Thread] = []

    def abandoned_threads(self) -> List[threading.Thread]:
        return [t for t in self._abandoned if t.is_alive()]

    def run(self, emit, control):
        emit(ev.start(len(self.payloads)))
        for index, payload in enumerate(self.payloads):
            title = str(payload.get("job_title", "job {}".format(index + 1)))
            if control.cancelled:
                emit(ev.canceled(title))
                return
            emit(ev.job_start(index, title))
            if not self._run_job(index, title, payload, emit, control):
                return

    def _run_job(self, index, title, payload, emit, control) -> bool:
        """Run one job; False when the run must stop (cancelled)."""
        open_job = threading.Event()
        open_job.set()

        def on_progress(stats):
            if not open_job.is_set():
                return  # late progress from an abandoned job
            try:
                emit(ev.progress_from_stats(stats, index, title))
            except Exception:  # a progress report must never kill an upload
                logger.exception("Could not report upload progress for %s", title)

        outcome = {}

        def work():
            try:
                submit = self.submit_factory(payload)
                submit.progress_handler = on_progress
                outcome["submit"] = submit
                if control.cancelled:
                    return
                outcome["result"] = submit.main()
            except BaseException as err:  # becomes an error event
                outcome["error"] = err

        thread = threading.Thread(target=work, name="ciokatana-job-{}".format(index), daemon=True)
        thread.start()
        while thread.is_alive():
            thread.join(0.05)
            if control.cancelled and thread.is_alive():
                submit = outcome.get("submit")
                if submit is not None:
                    try:
                        submit.stop_work()
                    except Exception:
                        logger.exception("stop_work failed for %s", title)
                thread.join(self.cancel_grace)
                open_job.clear()
                if thread.is_alive():
                    self._abandoned.append(thread)
                emit(ev.canceled(title))
                return False
        open_job.clear()
        if control.cancelled and "result" not in outcome:
            emit(ev.canceled(title))
            return False
        if "error" in outcome:
            err = outcome["error"]
            if type(err).__name__ in ev.CANCEL_TYPES:
                emit(ev.canceled(title))
                return False
            emit(ev.error_from_exception(err, title))
            return True
        body, code = outcome.get("result") or ({}, None)
        emit(ev.response(body, code, title))
        return True


class Runner:
    """Runs a source on a worker thread (``start``) or inline (``run``).

    Args:
        source: a :class:`Source`.
        on_event: called with every :class:`~ciokatana.core.events.Event`,
            from the runner's thread (or ciocore's progress thread). It must
            be quick and thread-safe; the UI passes a queued Qt bridge.
        recorder: optional :class:`~ciokatana.core.mock.MockRecorder`.
    """

    def __init__(self, source: Source, on_event: Optional[Callable[[ev.Event], None]] = None, recorder=None):
        self.source = source
        self.on_event = on_event
        self.recorder = recorder
        self.control = Control()
        self.state = PENDING
        self.responses: List[ev.Event] = []
        self.errors: List[ev.Event] = []
        self._lock = threading.RLock()
        self._thread: Optional[threading.Thread] = None
        self._finished = threading.Event()

    # -- user requests ---------------------------------------------------
    def cancel(self) -> None:
        self.control.cancel_event.set()

    def raise_error(self) -> None:
        """Make the current job fail (mock replay only)."""
        if not self.source.supports_raise_error:
            raise RuntimeError("only a mock replay can raise an error on request")
        self.control.request_raise()

    @property
    def can_raise_error(self) -> bool:
        return self.source.supports_raise_error

    # -- running ---------------------------------------------------------
    def start(self) -> "Runner":
        if self.state != PENDING:
            raise RuntimeError("a Runner runs once")
        self._thread = threading.Thread(target=self.run, name="ciokatana-runner", daemon=True)
        self._thread.start()
        return self

    def wait(self, timeout: Optional[float] = None) -> bool:
        """Wait for ``done``; True if the run has finished."""
        return self._finished.wait(timeout)

    @property
    def finished(self) -> bool:
        return self._finished.is_set()

    def run(self) -> str:
        """Run to the end on this thread; return the final state."""
        with self._lock:
            if self.state != PENDING:
                raise RuntimeError("a Runner runs once")
            self.state = RUNNING
        try:
            self.source.run(self._emit, self.control)
        except BaseException as err:  # the source itself broke
            logger.debug("Event source failed", exc_info=True)
            self._emit(ev.error_from_exception(err, ""))
        finally:
            with self._lock:
                if self.control.cancelled or any(e.is_cancel for e in self.errors):
                    self.state = CANCELLED
                elif self.errors:
                    self.state = FAILED
                else:
                    self.state = SUCCEEDED
            self._emit(ev.done())
            if self.recorder is not None:
                try:
                    self.recorder.close()
                except Exception:
                    logger.exception("Could not finish the mock file")
            self._finished.set()
        return self.state

    def abandoned_threads(self) -> List[threading.Thread]:
        return self.source.abandoned_threads()

    def _emit(self, event: ev.Event) -> None:
        with self._lock:
            if event.type == ev.RESPONSE:
                self.responses.append(event)
            elif event.type == ev.ERROR:
                self.errors.append(event)
            if self.recorder is not None:
                try:
                    self.recorder.write(event)
                except Exception:
                    logger.exception("Could not record an event; recording stopped")
                    self.recorder = None
            if self.on_event is not None:
                try:
                    self.on_event(event)
                except Exception:
                    logger.exception("An event listener failed on a %s event", event.type)
