"""The upload estimate line (Configure tab's Assets section, and the Validation tab).

Layer: ui. :class:`EstimateService` computes
:func:`ciokatana.core.estimate.estimate` for the newest plan on a worker
thread (``controller.run_in_background``): stat, ciocore's md5 cache, and
hashing of any file the cache does not vouch for, which for a 10 GB texture
takes a while. The UI thread only reads the finished figures and, four
times a second while it runs, the plain ints of its
:class:`~ciokatana.core.estimate.Progress` ("estimating... hashing 3 of 40
files").

A new plan, a pending change (``plan_stale``) or the dialog closing
cancels the estimate in flight (it stops at its next file or hash block)
and its result, if it still comes, is dropped. Every new plan is estimated
again, even one uploading the same paths: a file may have changed on disk
since (a repainted texture is to upload again), and with ciocore's md5
cache warm that costs a stat per file. A finished run estimates again too
(Conductor now holds what was uploaded).

There is one service per controller (a child QObject found with
``findChild``), shared by every :class:`EstimateLine`, so the Configure and
Validation tabs show the same figures from one computation.
"""

import html
import threading

from ciokatana.core import estimate as estimate_mod
from ciokatana.qt import QtCore, QtWidgets, Signal

ESTIMATING = "estimating\u2026"
POLL_MS = 250


class _Job(object):
    def __init__(self):
        self.stop = threading.Event()
        self.progress = estimate_mod.Progress()


class EstimateService(QtCore.QObject):
    """The newest plan's upload estimate, computed off the UI thread (see the module docstring)."""

    changed = Signal()

    def __init__(self, controller):
        super().__init__(controller)
        self.controller = controller
        self.result = None  # the newest finished Estimate
        self.error = ""
        self._job = None  # the estimate in flight
        self._waiting = False  # a change is waiting to be planned: the figures shown are an old plan's
        self._timer = QtCore.QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.changed.emit)
        controller.plan_ready.connect(self._on_plan_ready)
        controller.plan_stale.connect(self._on_plan_stale)
        controller.run_finished.connect(self._on_run_finished)
        if controller.plan_result is not None:
            self._on_plan_ready(controller.plan_result)

    @classmethod
    def of(cls, controller):
        """The controller's service (made on first use)."""
        service = controller.findChild(cls)
        return service if service is not None else cls(controller)

    # -- state -------------------------------------------------------------------
    @property
    def running(self):
        return self._job is not None or self._waiting

    def text(self):
        if self._waiting and self._job is None:
            return ESTIMATING
        if self._job is not None:
            step = self._job.progress.text()
            return "{} ({})".format(ESTIMATING, step) if step and step != "done" else ESTIMATING
        if self.error:
            return "No estimate: {}".format(self.error)
        if self.result is None:
            return ESTIMATING
        return self.result.summary()

    def html(self):
        """The Validation tab's block: the figures of ``ciokatana validate --estimate`` as a table."""
        if self.running or self.result is None:
            return html.escape(self.text())
        cells = "".join("<tr><td>{}:&nbsp;&nbsp;</td><td>{}</td></tr>".format(html.escape(label), html.escape(value))
                        for label, value in self.result.rows())
        return "<b>Upload estimate</b><table>{}</table><i>{}</i>".format(cells, html.escape(estimate_mod.NO_CHECK_NOTE))

    def cancel(self):
        """Stop the estimate in flight; its result, if it comes, is dropped."""
        job, self._job = self._job, None
        if job is not None:
            job.stop.set()
        self._timer.stop()

    # -- computing ------------------------------------------------------------------
    def _start(self, payloads):
        self.cancel()
        job = self._job = _Job()
        database = self.controller.md5_database
        controller = self.controller

        def work():
            return estimate_mod.estimate(payloads, database_filepath=database, progress=job.progress,
                                         cancelled=lambda: job.stop.is_set() or controller.closed)

        self._timer.start()
        self.changed.emit()
        controller.run_in_background(work, lambda result: self._on_done(job, result),
                                     lambda err: self._on_error(job, err))

    def _on_done(self, job, result):
        if job is not self._job:
            return  # superseded or cancelled
        self._job = None
        self._timer.stop()
        self.result, self.error = result, ""
        self.changed.emit()

    def _on_error(self, job, err):
        if job is not self._job:
            return
        self._job = None
        self._timer.stop()
        if isinstance(err, estimate_mod.Cancelled):
            return
        self.result, self.error = None, "{}: {}".format(type(err).__name__, err)
        self.changed.emit()

    # -- controller signals -----------------------------------------------------------
    def _on_plan_ready(self, result):
        self._waiting = False
        self._start(list(getattr(result, "payloads", None) or []))

    def _on_plan_stale(self, stale):
        self._waiting = bool(stale)
        if stale:
            self.cancel()  # the plan is changing: what runs is for an old plan
        self.changed.emit()

    def _on_run_finished(self, _record):
        result = self.controller.plan_result
        if result is not None:
            self._start(list(getattr(result, "payloads", None) or []))


class EstimateLine(QtWidgets.QLabel):
    """One line of text: the newest plan's upload estimate, or "estimating..."."""

    TIP = ("What the submission will upload: its files and bytes, how many Conductor already holds, "
           "the bytes left and the time at the upload rate last measured on this machine. "
           + estimate_mod.NO_CHECK_NOTE)

    def __init__(self, controller, block=False, parent=None):
        super().__init__(parent)
        self.block = block  # the multi-line block (Validation) rather than one line (Configure)
        self.setWordWrap(True)
        self.setTextFormat(QtCore.Qt.RichText if block else QtCore.Qt.PlainText)
        self.setTextInteractionFlags(QtCore.Qt.TextSelectableByMouse)
        self.setToolTip(self.TIP)
        self.service = EstimateService.of(controller)
        self.service.changed.connect(self.refresh)
        self.refresh()

    def refresh(self):
        if self.block:
            self.setText(self.service.html())
        else:
            self.setText(self.service.text())
        self.setEnabled(not self.service.running)
