"""The Conductor dialog: five tabs, a status line, Submit and Close.

Layer: ui. The dialog takes one thing, a controller
(:class:`~ciokatana.ui.interface.AbstractController`; the real one is
:class:`~ciokatana.ui.controller.Controller`). The tabs are built from
:data:`TAB_CLASSES` in order (see :mod:`ciokatana.ui.tabs.base` for their
contract); the dialog itself only switches tabs, shows prompts and status,
and runs the Submit sequence (:class:`~ciokatana.ui.submit_flow.SubmitFlow`).

Keys: Enter in a field commits that field and nothing else - no button of
the dialog is a default button, so Enter never submits; submitting takes a
click on Submit or Ctrl+Enter. Escape does not close the dialog (closing
is the Close button or the window's close box), so a stray Escape meant for
a popup or a cell editor loses nothing. The wheel changes a combo or spin
box only once it has focus (:mod:`ciokatana.ui.widgets.wheel`); scrolling
past one scrolls the page.

The status line says where the submission stands: "checking..." while a
change has not been planned yet, the errors to fix, or "ready to submit",
always from the newest plan (a message about an earlier Submit is
replaced as soon as the plan changes). In mock mode the Submit button
reads "Replay Mock" and the line says nothing will be sent.

Closing while a submission runs asks first (the default answer keeps it
running), then cancels the run and closes once its ``done`` has arrived (a
fallback closes anyway after a while); the controller is shut down, so late
events reach no widget.
"""

from ciokatana.qt import QtCore, QtWidgets, Signal
from ciokatana.ui import runs as runs_mod
from ciokatana.ui import theme
from ciokatana.ui.compat import has_flag
from ciokatana.ui.interface import AbstractController
from ciokatana.ui.prompts import DESTRUCTIVE, REJECT, Prompt, open_prompt
from ciokatana.ui.submit_flow import IDLE, RUNNING, SubmitFlow
from ciokatana.ui.tabs.configure import ConfigureTab
from ciokatana.ui.tabs.preview import PreviewTab
from ciokatana.ui.tabs.progress import ProgressTab
from ciokatana.ui.tabs.response import ResponseTab
from ciokatana.ui.tabs.validation import ValidationTab
from ciokatana.ui.widgets.wheel import guard_wheel

TAB_CLASSES = (ConfigureTab, PreviewTab, ValidationTab, ProgressTab, ResponseTab)
CLOSE_FALLBACK_MS = 15000
SUBMIT_TEXT = {"off": ("Submit", "Submitting\u2026"), "use": ("Replay Mock", "Replaying\u2026"),
               "generate": ("Submit and Record", "Submitting\u2026")}
SUBMIT_TIPS = {
    "off": "Check the submission, then send one job per Render node to Conductor (Ctrl+Enter)",
    "use": "Mock mode: replay the mock file as if it were a submission; nothing is sent to Conductor (Ctrl+Enter)",
    "generate": "Submit to Conductor for real and record every event to the mock file (Ctrl+Enter)",
}


def plan_status(controller):
    """(text, level) of the status line when no Submit is under way."""
    mode = controller.effective_mock_mode()
    if controller.plan_is_stale or controller.plan_result is None:
        return "Checking the submission\u2026", "notice"
    result = controller.plan_result
    errors, warnings = result.errors, result.warnings
    if errors:
        return "{} error{} to fix before submitting (see the Validation tab)".format(
            len(errors), "" if len(errors) == 1 else "s"), "error"
    jobs = [job for job in result.jobs if job.payload is not None]
    tasks = sum(job.task_count or 0 for job in jobs)
    text = "Ready to submit {} job{} ({:,} task{}, {:,} file{}, {})".format(
        len(jobs), "" if len(jobs) == 1 else "s", tasks, "" if tasks == 1 else "s", result.file_count,
        "" if result.file_count == 1 else "s", theme.human_bytes(result.total_size))
    level = "success"
    if warnings:
        text += "; {} warning{} will be asked about".format(len(warnings), "" if len(warnings) == 1 else "s")
        level = "warning"
    if mode == "use":
        return "Mock mode: Submit replays the mock file; nothing is sent to Conductor", "mock"
    if mode == "generate":
        text += "; the run is recorded to the mock file"
    return text, level


class ConductorDialog(QtWidgets.QDialog):
    """The submitter dialog, driven by a controller.

    Args:
        controller: an :class:`~ciokatana.ui.interface.AbstractController`
            (``Controller(scene)``, or a fake in tests).
        parent: the host's main window, if any.
        tab_classes: the tabs to build, in order (default TAB_CLASSES).

    Signals:
        closed(): the dialog finished closing (the controller is shut down).
    """

    closed = Signal()

    def __init__(self, controller, parent=None, tab_classes=None):
        if not isinstance(controller, AbstractController):
            raise TypeError("ConductorDialog takes a controller (ciokatana.ui.controller.Controller(scene)), "
                            "not {}; ciokatana.ui.open_dialog(scene) builds one".format(type(controller).__name__))
        super().__init__(parent)
        self.controller = controller
        self.prompt = None
        self.is_closed = False
        self.close_fallback_ms = CLOSE_FALLBACK_MS
        self._close_after_run = False
        self._transient = False  # the status line shows a Submit message, not the plan's state
        self.setWindowTitle("Conductor \u2014 {}".format(self.controller.snapshot.scene_name))
        self.setModal(False)
        self.resize(920, 780)
        self.setSizeGripEnabled(True)

        self._build_tabs(tab_classes or TAB_CLASSES)
        self._build_footer()
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(theme.MARGIN, theme.MARGIN, theme.MARGIN, theme.MARGIN)
        layout.setSpacing(theme.SPACING)
        layout.addWidget(self.tab_widget, 1)
        layout.addLayout(self._footer)

        self.flow = SubmitFlow(self, self.controller)
        self._close_timer = QtCore.QTimer(self)
        self._close_timer.setSingleShot(True)
        self._close_timer.timeout.connect(self._on_close_timer_timeout)
        self._connect()
        guard_wheel(self)
        theme.wrap_tooltips(self)
        self._show_submit_mode()
        if self.controller.load_error:
            self.set_status(self.controller.load_error, "warning")
        else:
            self._show_plan_status()
        self.controller.request_plan()

    @property
    def scene(self):
        """The controller's Scene port (what :func:`ciokatana.ui.find_dialog` matches)."""
        return self.controller.scene

    def _build_tabs(self, tab_classes):
        self.tab_widget = QtWidgets.QTabWidget()
        self.tab_widget.setDocumentMode(False)
        self.tabs = []
        for cls in tab_classes:
            tab = cls(self.controller)
            self.tabs.append(tab)
            index = self.tab_widget.addTab(tab, cls.TITLE)
            self.tab_widget.setTabToolTip(index, cls.TOOLTIP)
            tab.show_tab_requested.connect(self.show_tab)
            for name, slot in (("submit_requested", self._on_tab_submit_requested),
                               ("reveal_requested", self._on_tab_reveal_requested)):
                signal = getattr(tab, name, None)  # a studio's own tab may predate these
                if signal is not None:
                    signal.connect(slot)

    def _build_footer(self):
        self.status_icon = QtWidgets.QLabel()
        self.status_icon.setFixedSize(16, 16)
        self.status_label = QtWidgets.QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(QtCore.Qt.TextSelectableByMouse)
        self.submit_button = QtWidgets.QPushButton("Submit")
        self.submit_button.setAutoDefault(False)
        self.submit_button.setDefault(False)
        self.submit_button.setMinimumWidth(130)
        self.close_button = QtWidgets.QPushButton("Close")
        self.close_button.setToolTip("Close the dialog; settings are kept with the scene")
        self.close_button.setAutoDefault(False)
        self._footer = QtWidgets.QHBoxLayout()
        self._footer.setSpacing(theme.SPACING)
        self._footer.addWidget(self.status_icon)
        self._footer.addWidget(self.status_label, 1)
        self._footer.addWidget(self.close_button)
        self._footer.addWidget(self.submit_button)

    def _connect(self):
        self.tab_widget.currentChanged.connect(self._on_tab_widget_current_changed)
        self.submit_button.clicked.connect(self._on_submit_button_clicked)
        self.close_button.clicked.connect(self._on_close_button_clicked)
        self.flow.state_changed.connect(self._on_flow_state_changed)
        self.flow.status.connect(self._on_flow_status)
        self.controller.problem.connect(self._on_controller_problem)
        self.controller.plan_failed.connect(self._on_controller_problem)
        self.controller.plan_stale.connect(self._on_controller_plan_changed)
        self.controller.plan_ready.connect(self._on_controller_plan_changed)
        self.controller.settings_changed.connect(self._on_controller_settings_changed)
        self.controller.run_finished.connect(self._on_controller_run_finished)

    # -- public --------------------------------------------------------------
    def tab(self, key):
        """The tab with this KEY (``configure``, ``preview``, ...)."""
        for tab in self.tabs:
            if tab.KEY == key:
                return tab
        raise KeyError(key)

    def current_tab(self):
        return self.tab_widget.currentWidget()

    def show_tab(self, key):
        self.tab_widget.setCurrentWidget(self.tab(key))

    def submit(self, nodes=None):
        """Same as pressing Submit (``nodes``: only these Render nodes)."""
        self.flow.start(nodes)

    def show_prompt(self, prompt, on_answer):
        """Open a :class:`Prompt`; ``on_answer(key)`` gets the answer."""
        return open_prompt(self, prompt, on_answer)

    def set_status(self, text, level="notice"):
        self.status_label.setText(text)
        self.status_label.setToolTip(theme.wrap_tip(text))
        self.status_level = level
        if text:
            self.status_icon.setPixmap(theme.severity_pixmap(level, 16, self.devicePixelRatioF()))
        else:
            self.status_icon.clear()

    def _show_plan_status(self):
        if self.flow.state != IDLE or self.controller.is_running:
            return
        self._transient = False
        self.set_status(*plan_status(self.controller))

    def _show_submit_mode(self):
        mode = self.controller.effective_mock_mode()
        idle_text, busy_text = SUBMIT_TEXT.get(mode, SUBMIT_TEXT["off"])
        running = self.flow.state == RUNNING
        self.submit_button.setText(busy_text if running else idle_text)
        self.submit_button.setToolTip(SUBMIT_TIPS.get(mode, SUBMIT_TIPS["off"]))
        self.submit_button.setProperty("mock", mode == "use")
        self.submit_button.setStyleSheet(
            "QPushButton {{ color: {0}; font-weight: bold; }}".format(theme.ACCENTS[theme.MOCK]) if mode == "use" else "")

    # -- keys and closing ------------------------------------------------------------
    def keyPressEvent(self, event):  # Qt override
        key = event.key()
        if key in (QtCore.Qt.Key_Return, QtCore.Qt.Key_Enter):
            event.accept()
            if has_flag(event.modifiers(), QtCore.Qt.ControlModifier):
                self.submit()  # the explicit shortcut
            return  # a plain Enter never reaches a button: fields commit on their own
        if key == QtCore.Qt.Key_Escape:
            event.accept()  # Escape does not close the dialog
            return
        super().keyPressEvent(event)

    def reject(self):
        """Closing through reject() (a host's call) goes through closeEvent, which asks during a run."""
        self.close()

    def _tidy(self):
        self._no_default_buttons()
        theme.wrap_tooltips(self)  # widgets made since construction (cards, rows)

    def _no_default_buttons(self):
        # In a QDialog every push button is "auto default" and the first one
        # becomes the default when the dialog is shown; none may be.
        for button in self.findChildren(QtWidgets.QPushButton):
            button.setAutoDefault(False)
            button.setDefault(False)

    def showEvent(self, event):  # Qt override
        self._tidy()
        super().showEvent(event)

    def closeEvent(self, event):  # Qt override
        if self.is_closed:
            event.accept()
            return
        if self.controller.is_running:
            event.ignore()
            if not self._close_after_run:
                self._ask_cancel_and_close()
            return
        self._finish_close()
        event.accept()

    def _ask_cancel_and_close(self):
        informative = "Cancel it and close the dialog? Jobs already submitted stay on Conductor."
        record = self.controller.current_run
        job = record.current_job if record is not None else None
        if record is not None and record.mock:
            informative = "Cancel the mock replay and close the dialog? A replay sends nothing to Conductor."
        if job is not None and job.state == runs_mod.CREATING and not record.mock:
            informative = ("Cancel it and close the dialog? Conductor is creating \u201c{}\u201d now: it may "
                           "still be created, so check the dashboard before submitting it again. Jobs already "
                           "submitted stay on Conductor.".format(job.label))
        self.show_prompt(
            Prompt(
                self,
                "question",
                "Submission running",
                "A submission is still running.",
                [("cancel_run", "Cancel Submission and Close", DESTRUCTIVE), ("keep", "Keep Running", REJECT)],
                informative,
                default="keep",
            ),
            self._on_cancel_answered,
        )

    def _on_cancel_answered(self, key):
        if key != "cancel_run":
            return
        self._close_after_run = True
        self.set_status("Cancelling the submission, then closing\u2026", "warning")
        self.submit_button.setEnabled(False)
        self.close_button.setEnabled(False)
        self.controller.cancel_run()
        self._close_timer.start(self.close_fallback_ms)

    def _finish_close(self):
        self.is_closed = True
        # A closed dialog is finished (its controller shut down): Qt deletes it, with its
        # widgets, on this thread once the close is accepted. Left to Python, a dropped
        # dialog's widgets sit in reference cycles that the garbage collector frees on
        # whichever thread allocates, a worker's too, and Qt crashes (PySide6 did).
        self.setAttribute(QtCore.Qt.WA_DeleteOnClose, True)
        self._close_timer.stop()
        if self.prompt is not None:
            self.prompt.close()
            self.prompt = None
        for tab in self.tabs:
            tab.on_closing()
        self.controller.shutdown()
        self.closed.emit()

    # -- slots -------------------------------------------------------------
    def _on_tab_widget_current_changed(self, index):
        tab = self.tab_widget.widget(index)
        if tab is not None and hasattr(tab, "on_shown"):
            tab.on_shown()

    def _on_tab_submit_requested(self, nodes):
        self.submit(nodes)

    def _on_tab_reveal_requested(self, target, node):
        configure = self.tab("configure")
        self.tab_widget.setCurrentWidget(configure)
        configure.reveal(target, node)

    def _on_submit_button_clicked(self):
        self.submit()

    def _on_close_button_clicked(self):
        self.close()

    def _on_flow_state_changed(self, state):
        self.submit_button.setEnabled(state == IDLE and not self._close_after_run)
        self._show_submit_mode()

    def _on_flow_status(self, text, level):
        self._transient = True
        self.set_status(text, level)

    def _on_controller_problem(self, message):
        self._transient = True
        self.set_status(message, "error")

    def _on_controller_plan_changed(self, *_args):
        if self._transient and self.controller.plan_is_stale:
            self._transient = False  # the artist changed something: the old message no longer holds
        if not self._transient:
            self._show_plan_status()

    def _on_controller_settings_changed(self, _settings):
        self._show_submit_mode()

    def _on_controller_run_finished(self, _record):
        if self._close_after_run:
            self.close()

    def _on_close_timer_timeout(self):
        # The run did not report its end in time (a hung network call): close
        # anyway; the runner's threads are daemons and deliver nothing more.
        self._finish_close()
        self.close()
