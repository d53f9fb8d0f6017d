"""The Response tab: what Conductor answered for each job, for every run since the dialog opened.

Layer: ui. Each run is a group - newest first, older ones below to scroll
back through, including the runs of this scene made earlier in the session
from a dialog since closed - with a header (when, and whether it was a real submission,
a mock replay or a recorded one), its outcome ("3 of 4 jobs submitted,
1 failed" is a partial success), and one card per job, read from the run's
:class:`~ciokatana.ui.runs.RunRecord`:

- submitted: green, with the job id, what its upload did, a link to
  ``{CONDUCTOR_URL}/job/{jobid}`` (opened through the controller, so tests
  catch the URL), and Copy Link / Copy Job ID for when no browser opens;
- replayed from a mock file: magenta, marked as not a real job, and never
  linked to the dashboard;
- failed (or stalled): red, the reason in plain words, the traceback behind
  "Show details";
- may have been created: amber, "check the dashboard" (the request reached
  Conductor but no answer came back);
- cancelled: amber; not started (the run stopped before it): blue.

A finished real run with jobs that got no job on Conductor offers to
resubmit just those Render nodes, and its button says which they are:
"Resubmit Failed Jobs (1)", or "Resubmit Cancelled and Not-Started Jobs
(3)" when nothing failed.
"""

import datetime
import os

from ciokatana.qt import QtCore, QtWidgets, Signal
from ciokatana.ui import runs as runs_mod
from ciokatana.ui import theme
from ciokatana.ui.tabs.base import Tab
from ciokatana.ui.widgets.cards import Card, LinkButton

OUTCOME_LEVEL = {
    runs_mod.SUCCEEDED: theme.SUCCESS,
    runs_mod.PARTIAL: theme.WARNING,
    runs_mod.FAILED_RUN: theme.ERROR,
    runs_mod.CANCELLED_RUN: theme.WARNING,
    runs_mod.NOTHING: theme.WARNING,
}


def _button(text, tip):
    button = QtWidgets.QPushButton(text)
    button.setAutoDefault(False)
    button.setToolTip(tip)
    return button


def copy_to_clipboard(text):
    QtWidgets.QApplication.clipboard().setText(text)


def run_heading(record):
    """``Run 2 · 14:05:12 · Mock replay of mock_submission.json``."""
    when = datetime.datetime.fromtimestamp(record.started_at).strftime("%H:%M:%S")
    if record.mode == runs_mod.REPLAY:
        what = "Mock replay of {} (nothing sent to Conductor)".format(os.path.basename(record.mock_file) or "a file")
    elif record.mode == runs_mod.RECORD:
        what = "Submitted to Conductor, recorded to {}".format(os.path.basename(record.mock_file))
    else:
        what = "Submitted to Conductor"
    return "Run {}  \u00b7  {}  \u00b7  {}".format(record.number, when, what)


RESUBMIT_WORDS = ((runs_mod.FAILED, "Failed", "failed"), (runs_mod.CANCELLED, "Cancelled", "cancelled"),
                  (runs_mod.NOT_STARTED, "Not-Started", "not started"))


def resubmit_label(jobs):
    """(button text, tooltip) for resubmitting ``jobs``, naming exactly what they are.

    ``Resubmit Failed Jobs (1)`` only when the jobs failed; ``Resubmit
    Cancelled and Not-Started Jobs (3)`` when none did.
    """
    counts = {state: sum(1 for job in jobs if job.state == state) for state, _word, _low in RESUBMIT_WORDS}
    words = [word for state, word, _low in RESUBMIT_WORDS if counts[state]]
    if len(words) > 2:
        what = "{} and {}".format(", ".join(words[:-1]), words[-1])
    else:
        what = " and ".join(words)
    total = len(jobs)
    text = "Resubmit {} Job{} ({})".format(what, "" if total == 1 else "s", total)
    detail = ", ".join("{} {}".format(counts[state], low) for state, _word, low in RESUBMIT_WORDS if counts[state])
    tip = "Submit again only the Render nodes of this run that got no job on Conductor ({})".format(detail)
    return text, tip


def run_summary(record):
    """(level, text) of a run's outcome."""
    if not record.finished:
        done = sum(1 for job in record.jobs if job.ended_state)
        return None, "{} so far\u2026".format(record.summary_text()) if done else "Waiting for the first job\u2026"
    text = record.summary_text() + "."
    if record.mock:
        return theme.MOCK, "{}: {} Nothing was submitted to Conductor.".format(record.mock_lead(), text)
    shared = record.shared_summary
    if shared is not None and shared.files:  # the shared path's one upload: no job card carries it
        text += " Files of every job, sent once: {}.".format(shared.text(theme.human_bytes))
    outcome = record.outcome()
    if outcome == runs_mod.PARTIAL:
        text = "{}: {}".format(record.partial_lead(), text)
    return OUTCOME_LEVEL.get(outcome, theme.NOTICE), text


class RunGroup(QtWidgets.QFrame):
    """One run: a header, its outcome and its cards.

    Signals:
        resubmit_requested(list): Render node names to submit again.
    """

    resubmit_requested = Signal(list)

    def __init__(self, record, parent=None):
        super().__init__(parent)
        self.record = record
        self._cards = []
        self._card_jobs = set()
        self.heading_label = QtWidgets.QLabel(run_heading(record))
        font = self.heading_label.font()
        font.setBold(True)
        self.heading_label.setFont(font)
        self.summary_icon = QtWidgets.QLabel()
        self.summary_icon.setFixedSize(18, 18)
        self.summary_label = QtWidgets.QLabel()
        self.summary_label.setWordWrap(True)
        self.resubmit_button = _button("Resubmit Failed Jobs", "Submit again only the Render nodes of this run "
                                       "that got no job on Conductor")
        self.resubmit_button.setVisible(False)
        top = QtWidgets.QHBoxLayout()
        top.setSpacing(theme.SPACING)
        top.addWidget(self.summary_icon, 0, QtCore.Qt.AlignTop)
        top.addWidget(self.summary_label, 1)
        top.addWidget(self.resubmit_button, 0, QtCore.Qt.AlignTop)
        self._card_box = QtWidgets.QVBoxLayout()
        self._card_box.setContentsMargins(0, 0, 0, 0)
        self._card_box.setSpacing(theme.SPACING)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, theme.MARGIN)
        layout.setSpacing(6)
        layout.addWidget(self.heading_label)
        layout.addLayout(top)
        layout.addLayout(self._card_box)
        self.resubmit_button.clicked.connect(self._on_resubmit_button_clicked)
        self.refresh()

    def cards(self):
        return list(self._cards)

    def add_card(self, card):
        self._card_box.addWidget(card)
        self._cards.append(card)

    def refresh(self):
        level, text = run_summary(self.record)
        if level is None:
            self.summary_icon.clear()
        else:
            self.summary_icon.setPixmap(theme.severity_pixmap(level, 16, self.devicePixelRatioF()))
        self.summary_label.setText(text)
        jobs = self._resubmit_jobs()
        self.resubmit_button.setVisible(bool(jobs))
        if jobs:
            text, tip = resubmit_label(jobs)
            self.resubmit_button.setText(text)
            self.resubmit_button.setToolTip(theme.wrap_tip(tip))

    def _resubmit_jobs(self):
        record = self.record
        if not record.finished or record.mock:
            return []
        return [job for job in record.unfinished_jobs() if job.node]

    def resubmit_nodes(self):
        return [job.node for job in self._resubmit_jobs()]

    def _on_resubmit_button_clicked(self):
        nodes = self.resubmit_nodes()
        if nodes:
            self.resubmit_requested.emit(nodes)


class ResponseTab(Tab):
    KEY = "response"
    TITLE = "Response"
    TOOLTIP = "What Conductor answered for each job, run after run"

    def __init__(self, controller, parent=None):
        super().__init__(controller, parent)
        self._groups = []
        self.summary_icon = QtWidgets.QLabel()
        self.summary_icon.setFixedSize(20, 20)
        self.summary_label = QtWidgets.QLabel("No submission has run yet.")
        font = self.summary_label.font()
        font.setBold(True)
        self.summary_label.setFont(font)
        self.summary_label.setWordWrap(True)
        self.empty_label = QtWidgets.QLabel("Responses appear here as jobs finish; every run of this scene in "
                                            "this session stays listed.")
        self.empty_label.setAlignment(QtCore.Qt.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setEnabled(False)
        inner = QtWidgets.QWidget()
        self._runs_box = QtWidgets.QVBoxLayout(inner)
        self._runs_box.setContentsMargins(0, 0, 4, 0)
        self._runs_box.setSpacing(theme.SPACING)
        self._runs_box.addWidget(self.empty_label)
        self._runs_box.addStretch(1)
        self.scroll = QtWidgets.QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QtWidgets.QFrame.NoFrame)
        self.scroll.setWidget(inner)
        self.scroll.viewport().setAutoFillBackground(False)
        inner.setAutoFillBackground(False)
        top = QtWidgets.QHBoxLayout()
        top.setSpacing(theme.SPACING)
        top.addWidget(self.summary_icon)
        top.addWidget(self.summary_label, 1)
        layout = self.page_layout(self)
        layout.addLayout(top)
        layout.addWidget(self.scroll, 1)

        controller.run_started.connect(self._on_controller_run_started)
        controller.run_event.connect(self._on_controller_run_event)
        controller.run_finished.connect(self._on_controller_run_finished)
        for record in controller.runs:  # earlier runs of this scene in this session (a reopened dialog)
            group = self._add_group(record)
            self._add_ended_cards(group)
            self._show_summary(group)

    # -- queries (tests and hosts) ----------------------------------------------------
    def groups(self):
        """The run groups, newest first."""
        return list(self._groups)

    def card_list(self):
        """The cards of the newest run."""
        return self._groups[0].cards() if self._groups else []

    # -- cards --------------------------------------------------------------------
    def _card(self, job, record):
        if job.state == runs_mod.SUBMITTED:
            return self._mock_card(job) if record.mock else self._success_card(job)
        if job.state == runs_mod.CANCELLED and record.mock:
            card = Card(theme.WARNING, job.label, "The replay was cancelled here. Nothing was sent to Conductor.",
                        job.details)
        elif job.state == runs_mod.CANCELLED:
            card = Card(theme.WARNING, job.label, job.message or "Cancelled.", job.details)
        elif job.state == runs_mod.MAY_EXIST and record.mock:
            card = Card(theme.WARNING, job.label, "The recording ended this job as \u201cmay have been created\u201d. "
                        "{} Nothing was sent to Conductor.".format(job.message), job.details)
        elif job.state == runs_mod.MAY_EXIST:
            card = Card(theme.WARNING, job.label, "May have been created \u2014 check the dashboard before "
                        "submitting it again. {}".format(job.message), job.details)
            if record.link_for is not None:
                dashboard = record.link_for("").rsplit("/job/", 1)[0]
                self._add_link(card, "Open the Conductor dashboard \u2197", dashboard)
        elif job.state == runs_mod.NOT_STARTED and record.mock:
            card = Card(theme.NOTICE, job.label, "Not started: the replay stopped before this job began.")
        elif job.state == runs_mod.NOT_STARTED:
            card = Card(theme.NOTICE, job.label, "Not started: the run stopped before this job began, so "
                        "Conductor has no job for it.")
        else:
            # The cause first, in plain words; the exception type and raw answer are in the details.
            lead = "Stalled: " if job.exception_type == runs_mod.STALLED_TYPE else ""
            card = Card(theme.ERROR, job.label, lead + job.message, job.details)
        if record.mock:  # every card of a replay says so, not only the replayed jobs'
            card.title_label.setText("{}  (mock)".format(job.label))
        card.jobid = None
        card.url = None
        return card

    def _success_card(self, job):
        message = "Submitted as job {}.".format(job.jobid)
        body = job.message.rstrip(".")
        if body and body.lower() != "job submitted":
            message += " Conductor says: {}.".format(body)
        if job.upload is not None:
            text = job.upload.text(theme.human_bytes)
            message += " {}.".format(text[0].upper() + text[1:])
        card = Card(theme.SUCCESS, job.label, message)
        card.jobid = job.jobid
        card.url = job.link
        if job.link:
            self._add_link(card, "Open job {} on the Conductor dashboard \u2197".format(job.jobid), job.link)
            card.copy_link_button = _button("Copy Link", "Copy the job's dashboard link, to paste in a browser")
            card.copy_link_button.clicked.connect(lambda _c=False, u=job.link: copy_to_clipboard(u))
            card.add_widget(card.copy_link_button)
        card.copy_id_button = _button("Copy Job ID", "Copy the job id")
        card.copy_id_button.clicked.connect(lambda _c=False, j=job.jobid: copy_to_clipboard(j))
        card.add_widget(card.copy_id_button)
        return card

    def _mock_card(self, job):
        card = Card(theme.MOCK, "{}  (mock)".format(job.label),
                    "Replayed from the mock file: the recording says job {}. Nothing was sent to Conductor; "
                    "this is not a real job.".format(job.jobid or "?"))
        card.jobid = job.jobid
        card.url = None  # never a link to the real dashboard
        return card

    def _add_link(self, card, text, url):
        card.link_button = LinkButton(text, url)
        card.link_button.clicked.connect(lambda _checked=False, u=url: self._on_link_clicked(u))
        card.add_widget(card.link_button)

    # -- slots --------------------------------------------------------------------------
    def _group_of(self, record):
        for group in self._groups:
            if group.record is record:
                return group
        return None

    def _show_summary(self, group):
        level, text = run_summary(group.record)
        if level is None:
            self.summary_icon.clear()
        else:
            self.summary_icon.setPixmap(theme.severity_pixmap(level, 18, self.devicePixelRatioF()))
        self.summary_label.setText(text)
        group.refresh()

    def _add_group(self, record):
        group = RunGroup(record)
        group.resubmit_requested.connect(self._on_group_resubmit_requested)
        self._groups.insert(0, group)
        self._runs_box.insertWidget(0, group)
        self.empty_label.setVisible(False)
        return group

    def _on_controller_run_started(self, record):
        group = self._add_group(record)
        self._show_summary(group)
        self.scroll.verticalScrollBar().setValue(0)

    def _add_ended_cards(self, group):
        for job in group.record.jobs:
            if job.ended_state and job.index not in group._card_jobs:
                group._card_jobs.add(job.index)
                group.add_card(self._card(job, group.record))

    def _on_controller_run_event(self, event):
        record = self.controller.current_run
        group = self._group_of(record) if record is not None else None
        if group is None or event.type in ("progress", "job_start"):
            return
        self._add_ended_cards(group)
        self._show_summary(group)

    def _on_controller_run_finished(self, record):
        group = self._group_of(record)
        if group is None:
            return
        self._add_ended_cards(group)
        self._show_summary(group)

    def _on_group_resubmit_requested(self, nodes):
        self.submit_requested.emit(list(nodes))

    def _on_link_clicked(self, url):
        self.controller.open_url(url)
