"""The submission runner: a source's events on a worker thread, with one ``done``.

Layer: core (no Qt). A :class:`Runner` drives an event *source* - the
shared-upload path (:class:`ciokatana.core.shared_upload.SharedUploadSource`,
the default), ciocore's own per-job ``Submit`` (:class:`ConductorSource`),
or a mock file being replayed (:class:`ciokatana.core.mock.MockReplay`) -
and hands every event to a callback, optionally recording it.
:mod:`ciokatana.core.submission` picks the source; the dialog wraps the
runner in a queued Qt bridge; the command line and tests call
:meth:`Runner.run` directly or through ``submission.run_in_terminal``.

State machine (:class:`RunState`, changed only by ``Runner._set_state``)::

    PENDING --start()/run()--> RUNNING --+--> SUCCEEDED   every job answered
                                         +--> FAILED      a job (or the source) failed
                                         +--> CANCELLED   cancel() was called

Guarantees, whatever happens: events arrive in the order described in
:mod:`ciokatana.core.events`; a failing job yields an ``error`` event and
the next job still runs; ``cancel()`` stops the current job, yields one
``UserCanceledError`` error (or the job's answer, or "may have been
created" when its creation request may already be with Conductor) and
starts no more jobs; every run ends with exactly one ``done``. When
``done`` reaches the listener, the recorder is closed, :attr:`Runner.state`
is final and :attr:`Runner.finished` is true.

ciocore sets no network timeouts, so :class:`ConductorSource` runs each
``Submit`` on its own daemon thread: a cancel stops waiting for it after
``cancel_grace`` seconds, and a job that shows no progress and gets no
answer for ``timeout`` seconds (at least :data:`STOCK_MIN_TIMEOUT`: ciocore
reports only every 5 s) is ended as stalled.
"""

from __future__ import annotations

import enum
import logging
import threading
import time
from typing import Callable, List, Optional

from ciokatana.core import events as ev
from ciokatana.core import redact
from ciokatana.core.settings import DEFAULT_TIMEOUT

logger = logging.getLogger(__name__)

STOCK_MIN_TIMEOUT = 15.0
# How long a finished run keeps its secrets masked for a thread it abandoned.
RELEASE_WAIT = 300.0


class RunState(str, enum.Enum):
    """Where a run stands; compares equal to its value (``"succeeded"``...)."""

    PENDING = "pending"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"

    def __str__(self):
        return self.value


PENDING = RunState.PENDING
RUNNING = RunState.RUNNING
SUCCEEDED = RunState.SUCCEEDED
FAILED = RunState.FAILED
CANCELLED = RunState.CANCELLED
_TRANSITIONS = {
    PENDING: (RUNNING,),
    RUNNING: (SUCCEEDED, FAILED, CANCELLED),
}


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

    The factory carries ``database_filepath`` and ``uses_ciocore`` so that
    :mod:`ciokatana.core.submission` can give the same cache to the
    shared-upload path, and :class:`ConductorSource` knows it may log in
    first.
    """

    def factory(payload):
        from ciokatana.core import ciocompat

        args = dict(payload)
        if database_filepath:
            args["database_filepath"] = database_filepath
        return ciocompat.submit(args)

    factory.database_filepath = database_filepath
    factory.uses_ciocore = True
    return factory


class BackgroundCall(object):
    """One blocking call on its own daemon thread, so its caller can stop waiting.

    ``finished`` is set when it returned or raised; then ``result`` or
    ``error`` holds the outcome.
    """

    def __init__(self, fn: Callable[[], object], name: str = "ciokatana-call"):
        self.finished = threading.Event()
        self.result = None
        self.error: Optional[BaseException] = None
        self._fn = fn
        self.thread = threading.Thread(target=self._work, name=name, daemon=True)
        self.thread.start()

    def _work(self):
        try:
            self.result = self._fn()
        except BaseException as err:  # handed to the caller
            self.error = err
        finally:
            self.finished.set()

    def wait(self, seconds: float) -> bool:
        return self.finished.wait(seconds)


class Clock(object):
    """When something last moved (for inactivity timeouts)."""

    def __init__(self):
        self.last = time.monotonic()

    def touch(self, *_args):
        """Note that something moved (takes and ignores a callback's arguments)."""
        self.last = time.monotonic()

    def idle(self):
        return time.monotonic() - self.last


class ConductorSource(Source):
    """Submits payloads one after another through ciocore's ``Submit`` (the stock path).

    Args:
        payloads: job payloads from :func:`ciokatana.core.plan.plan_submission`.
        submit_factory: builds a ``Submit``-like object from a payload
            (``progress_handler``, ``main()``, ``stop_work()``); tests may
            pass a fake, production uses ciocore's ``Submit``.
        cancel_grace: seconds to let ciocore stop after ``stop_work()``.
        timeout: a job with no upload progress and no answer for this many
            seconds (at least STOCK_MIN_TIMEOUT) is ended as stalled.
        create_grace: seconds to wait for the answer of a job whose
            creation request may be in flight when the user cancels.
        url: the Conductor URL, for "check the dashboard" messages.
        login: called once first (on a watched thread, retried twice) so
            that a dropped token request does not fail a job; by default
            :func:`ciokatana.core.ciocore_calls.login` (the shared path's
            login too), when the factory builds ciocore's ``Submit``.
        min_timeout: the shortest timeout honoured (ciocore reports
            progress only every 5 s; tests lower it).
    """

    def __init__(self, payloads: List[dict], submit_factory=None, cancel_grace: float = 1.0,
                 timeout: float = DEFAULT_TIMEOUT, create_grace: float = 2.0, url: Optional[str] = None,
                 login: Optional[Callable[[], None]] = None, min_timeout: float = STOCK_MIN_TIMEOUT):
        self.payloads = [dict(p) for p in payloads]
        self.submit_factory = submit_factory or conductor_submit_factory()
        self.cancel_grace = cancel_grace
        self.timeout = max(float(timeout or DEFAULT_TIMEOUT), min_timeout)
        self.create_grace = create_grace
        self.url = url
        if login is None and getattr(self.submit_factory, "uses_ciocore", False):
            from ciokatana.core import ciocore_calls

            login = ciocore_calls.login
        self.login = login
        self._abandoned: List[threading.Thread] = []

    def abandoned_threads(self) -> List[threading.Thread]:
        return [t for t in self._abandoned if t.is_alive()]

    def run(self, emit, control):
        emit(ev.start(len(self.payloads)))
        stalled_login = self._login(control)
        stalled_at = None
        for index, payload in enumerate(self.payloads):
            title = str(payload.get("job_title", "job {}".format(index + 1)))
            if control.cancelled:
                emit(ev.cancelled(title))
                return
            emit(ev.job_start(index, title))
            if stalled_login:
                emit(ev.stalled(title, "login", self.timeout))
                continue
            if stalled_at is not None:
                emit(ev.error(ev.STALLED_TYPE, "not sent: Conductor stopped answering during {}; "
                              "submit this job again".format(stalled_at), title))
                continue
            outcome = self._run_job(index, title, payload, emit, control)
            if outcome == "stop":
                return
            if outcome == "stalled":
                stalled_at = "the submission of {}".format(title)

    def _login(self, control) -> bool:
        """Log in once, retrying what is safe; True when the login stalled."""
        if self.login is None:
            return False
        for attempt in range(3):
            call = BackgroundCall(self.login, "ciokatana-login")
            clock = Clock()
            while not call.wait(0.05):
                if control.cancelled:
                    self._abandoned.append(call.thread)
                    return False
                if clock.idle() > self.timeout:
                    self._abandoned.append(call.thread)
                    return True
            if call.error is None:
                return False
            logger.info("Login failed (%s); trying again", redact.redact_text(str(call.error)))
            if control.wait(0.5 * (attempt + 1)):
                return False
        return False

    @staticmethod
    def _may_be_sent(outcome, payload) -> bool:
        """Whether ciocore's Submit may already have sent the job creation request."""
        submit = outcome.get("submit")
        if submit is None or not outcome.get("main_started"):
            return False
        uploader = getattr(submit, "uploader_", None)
        if uploader is not None:
            if getattr(uploader, "working", True):
                return False  # still hashing or uploading
            return not getattr(uploader, "cancel", False) and not getattr(uploader, "error_messages", None)
        if payload.get("upload_paths") and payload.get("local_upload", True):
            return False  # still scanning paths or logging in
        return True  # nothing to upload: main() goes straight to jobs/

    @staticmethod
    def _stalled_step(outcome) -> str:
        submit = outcome.get("submit")
        uploader = getattr(submit, "uploader_", None) if submit is not None else None
        if uploader is None:
            return "login or the file scan (ciocore's Submit)"
        return "the upload (ciocore's uploader)"

    def _run_job(self, index, title, payload, emit, control) -> str:
        """Run one job; "ok", "stop" (cancelled) or "stalled"."""
        open_job = threading.Event()
        open_job.set()
        clock = Clock()
        last = [None]

        def on_progress(stats):
            if not open_job.is_set():
                return  # late progress from an abandoned job
            try:
                event = ev.progress_from_stats(stats, index, title)
                key = (event.data["bytes_uploaded"], event.data["processed_md5s"], event.data["files_to_upload"])
                if key != last[0]:
                    last[0] = key
                    clock.touch()
                emit(event)
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
                outcome["main_started"] = True
                _uploading(submit, True)
                outcome["result"] = submit.main()
            except BaseException as err:  # becomes an error event
                outcome["error"] = err
            finally:
                _uploading(outcome.get("submit"), False)
                _release_uploader(outcome.get("submit"))

        thread = threading.Thread(target=work, name="ciokatana-job-{}".format(index), daemon=True)
        thread.start()
        while thread.is_alive():
            thread.join(0.05)
            cancelled = control.cancelled
            stalled = not cancelled and clock.idle() > self.timeout
            if not (cancelled or stalled) or not thread.is_alive():
                continue
            sent = self._may_be_sent(outcome, payload)
            step = self._stalled_step(outcome)
            submit = outcome.get("submit")
            _uploading(submit, False)  # it no longer needs ciocore's WORKING flag
            if submit is not None:
                try:
                    submit.stop_work()
                except Exception:
                    logger.exception("stop_work failed for %s", title)
            thread.join(self.create_grace if sent else self.cancel_grace)
            open_job.clear()
            if not thread.is_alive() and ("result" in outcome or (sent and "error" in outcome)):
                self._finish(outcome, title, emit)
                return "stop" if cancelled else "stalled"
            if thread.is_alive():
                self._abandoned.append(thread)
                # ciocore's uploader would end its workers only after its 5 s sleeps and its
                # reporters' joins (or never); do it now so none outlives the run's done.
                _release_uploader(submit)
            if sent:
                why = ("cancelled while its creation request may have been in flight" if cancelled
                       else "stalled: no answer for {:g} s".format(self.timeout))
                emit(ev.may_exist(title, why, self.url))
            elif cancelled:
                emit(ev.cancelled(title))
            else:
                emit(ev.stalled(title, step, self.timeout))
            return "stop" if cancelled else "stalled"
        open_job.clear()
        if control.cancelled and "result" not in outcome:
            if self._may_be_sent(outcome, payload) and "error" not in outcome:
                emit(ev.may_exist(title, "cancelled while its creation request may have been in flight", self.url))
            elif "error" in outcome and type(outcome["error"]).__name__ not in ev.CANCEL_TYPES:
                emit(ev.error_from_exception(outcome["error"], title))
            else:
                emit(ev.cancelled(title))
            return "stop"
        if "error" in outcome and _unanswered(outcome["error"]) and self._may_be_sent(outcome, payload):
            # ciocore lost the connection after its job request may have arrived
            emit(ev.may_exist(title, "the connection was lost before Conductor answered ({})".format(
                ev.cause_line(str(outcome["error"]), 160)), self.url))
            return "ok"
        return self._finish(outcome, title, emit)

    @staticmethod
    def _finish(outcome, title, emit) -> str:
        if "error" in outcome:
            err = outcome["error"]
            if type(err).__name__ in ev.CANCEL_TYPES:
                emit(ev.cancelled(title))
                return "stop"
            emit(ev.error_from_exception(err, title))
            return "ok"
        body, code = outcome.get("result") or ({}, None)
        emit(ev.response(body, code, title))
        return "ok"


def _uploading(submit, running) -> None:
    """Tell ciocompat whether this Submit's uploader is working (see stop_uploader_threads)."""
    if submit is None:
        return
    from ciokatana.core import ciocompat

    ciocompat.uploading(submit, running)


def _release_uploader(submit) -> None:
    """Let no thread of ciocore's uploader outlive its job (ciocore leaves some after a cancel)."""
    if submit is None:
        return
    try:
        from ciokatana.core import ciocompat

        ciocompat.stop_uploader_threads(submit)
    except Exception:  # a fake Submit, or a ciocore that changed: nothing to stop
        logger.debug("Could not stop the uploader's threads", exc_info=True)


def _unanswered(err: BaseException) -> bool:
    """A requests error raised when a request got no answer (not a refused connection)."""
    try:
        import requests
    except ImportError:  # pragma: no cover - ciocore needs requests
        return False
    if isinstance(err, requests.exceptions.ConnectTimeout):
        return False
    if isinstance(err, requests.exceptions.ConnectionError):
        return "NewConnectionError" not in repr(err) and "Connection refused" not in str(err)
    return isinstance(err, (requests.exceptions.ReadTimeout, requests.exceptions.ChunkedEncodingError))


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
        self._state = PENDING
        self.responses: List[ev.Event] = []
        self._hold = 0  # redact.hold_secret_values' token while running
        self.errors: List[ev.Event] = []
        self._lock = threading.RLock()
        self._thread: Optional[threading.Thread] = None
        self._finished = threading.Event()
        self._over = threading.Event()

    @property
    def state(self) -> RunState:
        return self._state

    def _set_state(self, state: RunState) -> None:
        """The one place the state changes; refuses a transition the machine lacks."""
        with self._lock:
            if state not in _TRANSITIONS.get(self._state, ()):
                raise RuntimeError("a Runner runs once (it is {}, not {})".format(self._state.value, PENDING.value))
            self._state = state

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
        if self._state != PENDING or self._thread is not None:
            raise RuntimeError("a Runner runs once")
        self._thread = threading.Thread(target=self._run_started, name="ciokatana-runner", daemon=True)
        self._set_state(RUNNING)
        self._thread.start()
        return self

    def wait(self, timeout: Optional[float] = None) -> bool:
        """Wait until ``done`` has reached the listener; True if it has."""
        return self._over.wait(timeout)

    @property
    def finished(self) -> bool:
        return self._finished.is_set()

    def run(self) -> RunState:
        """Run to the end on this thread; return the final state."""
        self._set_state(RUNNING)
        return self._run_started()

    def _run_started(self) -> RunState:
        self._hold = redact.hold_secret_values(getattr(self.source, "secret_values", None) or ())
        try:
            self.source.run(self._emit, self.control)
        except BaseException as err:  # the source itself broke
            logger.debug("Event source failed", exc_info=True)
            self._emit(ev.error_from_exception(err, ""))
        finally:
            self._finish()
        return self._state

    def _release_secrets(self, hold: int) -> None:
        """Stop masking this run's secrets once no thread of it can log any more."""
        alive = self.abandoned_threads()  # the live ones
        if not alive:
            redact.release_secret_values(hold)
            return

        def release_later():
            for thread in alive:
                thread.join(RELEASE_WAIT)
            redact.release_secret_values(hold)

        threading.Thread(target=release_later, name="ciokatana-secrets", daemon=True).start()

    def _finish(self) -> None:
        """Record ``done``, close the recorder, settle the state, then tell the listener."""
        done = ev.done()
        with self._lock:
            if self.control.cancelled or any(e.is_cancel for e in self.errors):
                final = CANCELLED
            elif self.errors:
                final = FAILED
            else:
                final = SUCCEEDED
            self._record(done)
            if self.recorder is not None:
                try:
                    self.recorder.close()
                except Exception:
                    logger.exception("Could not finish the mock file")
            self._set_state(final)
            self._finished.set()
        self._release_secrets(self._hold)
        try:
            self._deliver(done)
        finally:
            self._over.set()

    def abandoned_threads(self) -> List[threading.Thread]:
        return self.source.abandoned_threads()

    def _record(self, event: ev.Event) -> None:
        if self.recorder is not None:
            try:
                self.recorder.write(event)
            except Exception:
                logger.exception("Could not record an event; recording stopped")
                self.recorder = None

    def _deliver(self, event: ev.Event) -> None:
        if self.on_event is not None:
            try:
                self.on_event(event)
            except Exception:
                logger.exception("An event listener failed on a %s event", event.type)

    def _emit(self, event: ev.Event) -> None:
        with self._lock:
            if self._finished.is_set():
                logger.debug("Dropped a %s event that came after done", event.type)
                return
            if event.type == ev.RESPONSE:
                self.responses.append(event)
            elif event.type == ev.ERROR:
                self.errors.append(event)
            self._record(event)
            self._deliver(event)
