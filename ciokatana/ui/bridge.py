"""The one thread boundary between worker threads and the widgets.

Layer: ui. Everything that runs off the UI thread - the submission runner,
planning, Conductor fetches, asset scans - hands its results to a
:class:`Bridge`, whose methods are safe to call from any thread. The bridge
re-emits them on the UI thread through queued signals; nothing on a worker
thread touches a widget or the scene.

The bridge is the one place that merges and paces run progress; what it
delivers, consumers apply at once (no second queue, no "busy" flags
travelling back up).

Coalescing: ciocore reports progress several times a second, each report
repeating the whole ``file_progress`` map, and a mock replayed at interval 0
reports thousands of times a second. Queuing every report would flood the
event loop, so the bridge keeps at most one pending progress event per run
of consecutive progress reports for a job, merging the ``file_progress``
maps (later figures win, no file is lost, partial maps are fine) and
keeping the latest totals. ``start``, ``job_start``, ``response``,
``error`` and ``done`` are never merged or dropped and keep their order
relative to progress: a progress report that arrives after another kind of
event starts a new pending entry.

Slicing: the UI thread drains the queue at a steady rate (``refresh_hz``,
15 by default) from a QTimer, and a pending map is delivered at most
``slice_files`` files at a time (each slice with the latest totals), the
rest on the next turn of the event loop, so a 20,000-file map never holds
the loop for long.

Back-pressure: a producer that reports progress flat out (a mock replayed
at interval 0) would otherwise hog the GIL, and every call the UI thread
makes into Python (each cell it paints) would wait for it. So while the UI
is behind - events have been queued for longer than ``backlog_s``, which
includes slices still waiting - a progress report blocks its producer (at
most ``max_wait_s``) until the queue has drained. ciocore reports every
5 s and never waits; only event floods are paced to what the UI can show.

Worker results (:meth:`Bridge.run_in_thread`) are delivered through a
queued signal as soon as they are ready. After :meth:`Bridge.detach` (the
dialog is closing) nothing more is delivered, so late events from a
cancelled run cannot reach widgets that are being destroyed.

Late results and teardown: a worker thread (an estimate still hashing, a
Conductor fetch) may finish after its dialog closed, after the host deleted
the dialog without closing it (Katana deleting its main window), or while
the interpreter and Qt are being torn down. Emitting on the bridge then
touches a QObject that is being destroyed, and the host crashes (PySide2
and PySide6 did). So workers never emit on a bridge: they post to one
long-lived mailbox QObject (made on the UI thread with the first bridge,
never parented, never deleted before Python exits), carrying a weak
reference to their bridge. On the UI thread the mailbox hands the item to
the bridge only if it still exists, is attached and has not been deleted
by Qt (both deletion and delivery happen on the UI thread, so they cannot
race). The mailbox itself stops taking posts, under its lock (so after any
post in flight), when the application is about to quit and at interpreter
exit; a bridge made after a quit opens it again (a script may run a second
event loop).
"""

import atexit
import logging
import threading
import time
import traceback
import weakref
from itertools import islice

from ciokatana.core import events as ev
from ciokatana.qt import QtCore, Signal
from ciokatana.ui.compat import is_deleted

logger = logging.getLogger(__name__)

DEFAULT_REFRESH_HZ = 15
SLICE_FILES = 2500


class _Mailbox(QtCore.QObject):
    """The one QObject worker threads post to (see "Late results and teardown")."""

    _post = Signal(object)

    def __init__(self):
        super().__init__()
        self._lock = threading.Lock()
        self.open = True
        self._post.connect(self._deliver, QtCore.Qt.QueuedConnection)

    def send(self, bridge_ref, method, args):
        """Queue ``bridge.method(*args)`` for the UI thread (any thread); nothing once closed."""
        with self._lock:
            if self.open:
                self._post.emit((bridge_ref, method, args))

    def close(self, *_args):
        with self._lock:  # waits for a post in flight
            self.open = False

    def reopen(self):
        with self._lock:
            self.open = True

    def _deliver(self, item):  # UI thread
        bridge_ref, method, args = item
        bridge = bridge_ref()
        if bridge is None or not bridge.attached or is_deleted(bridge):
            return  # closed, or deleted by Qt: late results go nowhere
        getattr(bridge, method)(*args)


_MAILBOX = []  # the one _Mailbox, made on the UI thread with the first Bridge


def _mailbox():
    if not _MAILBOX:
        box = _Mailbox()
        app = QtCore.QCoreApplication.instance()
        if app is not None:
            box.moveToThread(app.thread())
            app.aboutToQuit.connect(box.close)
        _MAILBOX.append(box)
    return _MAILBOX[0]


@atexit.register
def _close_mailbox():
    """At interpreter exit no worker may post into a Qt that is being torn down."""
    for box in _MAILBOX:
        box.close()


class _PendingProgress(object):
    """Progress reports of one job merged while waiting for the UI thread."""

    __slots__ = ("job_index", "data", "files", "merged")

    def __init__(self, data):
        self.job_index = data.get("job_index")
        self.data = data
        self.files = dict(data.get("file_progress") or {})
        self.merged = 1

    def merge(self, data):
        self.data = data
        self.files.update(data.get("file_progress") or {})
        self.merged += 1

    def take(self, limit):
        """An event with at most ``limit`` of the merged files (all when limit is 0); True if more remain."""
        data = dict(self.data)
        if not limit or len(self.files) <= limit:
            data["file_progress"], self.files = self.files, {}
            return ev.Event(ev.PROGRESS, data), False
        part = {key: self.files.pop(key) for key in list(islice(self.files, limit))}
        data["file_progress"] = part
        return ev.Event(ev.PROGRESS, data), True


class Bridge(QtCore.QObject):
    """Queued, coalescing delivery of worker results to the UI thread.

    Signals:
        run_event(Event): a runner event, on the UI thread, in order; progress
            events are merged as described in the module docstring.

    Args:
        parent: the owning QObject (the controller).
        refresh_hz: how often pending events are delivered at most (0: at once).
        backlog_s: how long events may wait before producers are held back
            (one refresh interval by default).
        max_wait_s: the longest a producer is held back per report.
        slice_files: the most files one delivered progress event carries.
    """

    run_event = Signal(object)

    def __init__(self, parent=None, refresh_hz=DEFAULT_REFRESH_HZ, backlog_s=None, max_wait_s=0.25,
                 slice_files=SLICE_FILES):
        super().__init__(parent)
        self._lock = threading.Lock()
        self._queue = []
        self._tail = None
        self._attached = True
        self._mailbox = _mailbox()
        self._mailbox.reopen()  # a new dialog after a quit (a script's second event loop)
        self._ref = weakref.ref(self)
        self._interval = 1.0 / float(refresh_hz) if refresh_hz else 0.0
        self._backlog = backlog_s if backlog_s is not None else max(0.02, self._interval)
        self._max_wait = max_wait_s
        self._queued_since = None
        self._slice = int(slice_files or 0)
        self._drained = threading.Event()
        self._last_flush = 0.0
        self._threads = []
        self.posted = 0
        self.delivered = 0
        self.waits = 0

        self._timer = QtCore.QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.flush)

    # -- any thread ------------------------------------------------------
    def post_event(self, event):
        """Queue a runner event for the UI thread (thread-safe).

        A progress event may block for up to ``max_wait_s`` when the UI
        thread is behind (see the module docstring); other events never do.
        """
        now = time.monotonic()
        with self._lock:
            if not self._attached:
                return
            self.posted += 1
            was_empty = not self._queue
            if was_empty:
                self._queued_since = now
            behind = event.type == ev.PROGRESS and now - self._queued_since > self._backlog
            if behind:
                self._drained.clear()
            if event.type == ev.PROGRESS:
                tail = self._tail
                if tail is not None and tail.job_index == event.data.get("job_index"):
                    tail.merge(event.data)
                else:
                    tail = _PendingProgress(event.data)
                    self._queue.append(tail)
                    self._tail = tail
            else:
                self._queue.append(event)
                self._tail = None
        if was_empty:
            self._emit("_on_wake")
        if behind and self._max_wait > 0:
            self.waits += 1
            self._drained.wait(self._max_wait)

    def run_in_thread(self, fn, on_result, on_error=None, name="ciokatana-ui-worker"):
        """Run ``fn()`` on a new daemon thread; deliver its outcome on the UI thread.

        Args:
            fn: a callable taking no arguments; it must not touch widgets.
            on_result: called on the UI thread with fn's return value.
            on_error: called on the UI thread with the exception fn raised;
                the formatted traceback is in ``exc.ciokatana_traceback``.
                Without it the failure is logged as an error.
            name: the thread's name.

        Returns:
            the started ``threading.Thread``.
        """

        mailbox, ref = self._mailbox, self._ref

        def target():
            try:
                outcome = (on_result, fn(), None)
            except Exception as err:  # delivered to on_error
                outcome = (on_error, err, traceback.format_exc())
            mailbox.send(ref, "_on_result", (outcome,))  # not self: the last reference may not go on this thread

        thread = threading.Thread(target=target, name=name)
        thread.daemon = True
        self._threads = [t for t in self._threads if t.is_alive()]
        self._threads.append(thread)
        thread.start()
        return thread

    def _emit(self, method, *args):
        """Have ``method(*args)`` called on the UI thread, if this bridge is still there then.

        Never touches this QObject from the calling thread: it may be being
        destroyed right now (see "Late results and teardown").
        """
        self._mailbox.send(self._ref, method, args)

    # -- UI thread -------------------------------------------------------
    @property
    def attached(self):
        return self._attached

    @property
    def pending(self):
        """How many queued items wait for the next flush."""
        with self._lock:
            return len(self._queue)

    def worker_threads(self):
        """Worker threads still running."""
        return [t for t in self._threads if t.is_alive()]

    def detach(self):
        """Deliver nothing more: drop queued events and ignore late ones."""
        with self._lock:
            self._attached = False
            self._queue = []
            self._tail = None
        self._drained.set()
        self._timer.stop()

    def flush(self):
        """Deliver the events queued so far (normally called by the refresh timer).

        Delivers what was queued when the flush began, never what producers
        add meanwhile (a producer that never stops would otherwise keep the
        UI thread here for ever); stops early after one slice of a big file
        map. What is left follows on a later turn of the event loop, in order.
        """
        self._last_flush = time.monotonic()
        with self._lock:
            budget = len(self._queue)
        more = False
        while self._attached and budget > 0:
            with self._lock:
                if not self._queue:
                    break
                item = self._queue[0]
                more = False
                if isinstance(item, _PendingProgress):
                    event, more = item.take(self._slice)
                else:
                    event = item
                if not more:
                    self._queue.pop(0)
                    budget -= 1
                    if self._tail is item:
                        self._tail = None
            self.delivered += 1
            self.run_event.emit(event)
            if more:
                break
        with self._lock:
            if not self._queue:
                self._queued_since = None
                self._drained.set()
                return
        if self._attached:
            # The rest of a sliced map goes on the next turn; events queued meanwhile at the refresh rate.
            self._timer.start(0 if more else int(self._interval * 1000))

    def _on_wake(self):
        if not self._attached or self._timer.isActive():
            return
        wait = self._interval - (time.monotonic() - self._last_flush)
        self._timer.start(max(0, int(wait * 1000)))

    def _on_result(self, outcome):
        callback, value, trace = outcome
        if not self._attached:
            return
        if trace is not None:
            try:
                value.ciokatana_traceback = trace
            except AttributeError:
                pass
            if callback is None:
                logger.error("A background task failed:\n%s", trace)
                return
        if callback is not None:
            callback(value)
