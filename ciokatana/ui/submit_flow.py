"""What pressing Submit does, step by step, without blocking the dialog.

Layer: ui. :class:`SubmitFlow` is a small state machine driven by answers
and signals, never by waiting::

    idle --start()--> [scene unsaved or dirty?] --ask: Save / Submit anyway / Cancel
         --> preparing (re-read scene; plan, validate, vet the mock file on a worker)
         --> errors?   -> Validation tab shown, back to idle
         --> already submitted? -> ask: Submit Again / Cancel
         --> warnings? -> ask: Submit anyway / Cancel
         --> running (Progress tab) --run_finished--> Response tab, idle

The farm renders the saved Katana file, so a scene with unsaved changes is
offered a save first; declining keeps the saved file and the "unsaved
changes" warning is not asked about twice. Every question defaults to the
answer that spends nothing (see :mod:`ciokatana.ui.prompts`).

Payloads that were already submitted (same payload, same scene, since the
dialog opened) are named with their job ids before anything is sent again,
so a second click on Submit does not silently make duplicate jobs.

What is submitted is exactly what the dialog shows when the artist
confirms: a check works from the settings and scene of the moment it
began, so if anything changed since (a field edited while "Checking the
submission..." ran, a node ticked, the scene changed in Katana) the check
is made again, and its questions asked again, before anything is sent.
After three checks in a row overtaken by changes it stops and says so.

``start(nodes)`` submits only some Render nodes (the Response tab's
"Resubmit Failed Jobs").
"""

import datetime

from ciokatana.core.scene import SceneError
from ciokatana.qt import QtCore, Signal
from ciokatana.ui import runs as runs_mod
from ciokatana.ui.controller import SubmitError
from ciokatana.ui.prompts import ACCEPT, DESTRUCTIVE, REJECT, Prompt

IDLE, ASKING, PREPARING, RUNNING = "idle", "asking", "preparing", "running"
MAX_LISTED = 8
MAX_RECHECKS = 3  # changes arriving during this many checks in a row: refuse, and say so


def _listing(findings):
    lines = ["\u2022 {}".format(f) for f in findings[:MAX_LISTED]]
    if len(findings) > MAX_LISTED:
        lines.append("\u2026 and {} more (see the Validation tab)".format(len(findings) - MAX_LISTED))
    return "\n".join(lines)


def duplicate_text(previous, planned):
    """(text, informative) of the "already submitted" question.

    Args:
        previous: ``[(title, jobid, when, this_session), ...]`` from the controller.
        planned: how many jobs are about to be submitted.
    """
    titles = sorted({entry[0] for entry in previous})
    ids = runs_mod.id_range([entry[1] for entry in previous if entry[1]])
    last = max(entry[2] for entry in previous)
    moment = datetime.datetime.fromtimestamp(last)
    if all(entry[3] for entry in previous):
        at = "at {}, in this session".format(moment.strftime("%H:%M"))
    elif moment.date() == datetime.date.today():
        at = "today at {}, per this scene's submission history".format(moment.strftime("%H:%M"))
    else:
        at = "on {}, per this scene's submission history".format(moment.strftime("%d %b %Y at %H:%M"))
    count = len(titles)
    if count == planned:
        head = "{} payload{} already submitted".format(
            "These {}".format(count) if count > 1 else "This", "s were" if count > 1 else " was")
    else:
        head = "{} of these {} payloads {} already submitted".format(count, planned, "was" if count == 1 else "were")
    text = "{} as job{} {} ({}).".format(
        head, "s" if len(previous) > 1 else "", ids or "(no job id: may have been created)", at)
    listed = titles[:MAX_LISTED] + (["\u2026 and {} more".format(count - MAX_LISTED)] if count > MAX_LISTED else [])
    informative = "Submitting again makes {} more job{} with exactly the same payload:\n{}".format(
        count, "" if count == 1 else "s", "\n".join("\u2022 " + t for t in listed))
    return text, informative


class SubmitFlow(QtCore.QObject):
    """Runs the Submit sequence for a dialog.

    Signals:
        state_changed(str): idle, asking, preparing or running.
        status(str, str): a line for the dialog's status bar and its level.
    """

    state_changed = Signal(str)
    status = Signal(str, str)

    def __init__(self, dialog, controller):
        super().__init__(dialog)
        self._dialog = dialog
        self._controller = controller
        self.state = IDLE
        self._skip_unsaved_warning = False
        self._nodes = None
        self._rechecks = 0
        controller.submission_prepared.connect(self._on_controller_submission_prepared)
        controller.run_finished.connect(self._on_controller_run_finished)

    @property
    def busy(self):
        return self.state != IDLE

    def _set_state(self, state):
        self.state = state
        self.state_changed.emit(state)
        if state == ASKING:
            self.status.emit("Waiting for your answer\u2026", "notice")

    # -- steps ---------------------------------------------------------------
    def start(self, nodes=None):
        """Begin a submission (the Submit button); ``nodes`` limits it to those Render nodes."""
        if self.busy or self._controller.is_running:
            return
        self._skip_unsaved_warning = False
        self._nodes = list(nodes) if nodes is not None else None
        try:
            path, dirty = self._controller.scene_state()
        except SceneError as err:
            self.status.emit("Could not read the scene: {}".format(err), "error")
            return
        if not path:
            self._ask_save(
                "The scene has never been saved.",
                "The farm renders the saved Katana file. Save the scene now?",
                allow_skip=False,
            )
        elif dirty:
            self._ask_save(
                "The scene has unsaved changes.",
                "The farm renders the file as last saved ({}). Save it now to include your changes?".format(path),
                allow_skip=True,
            )
        else:
            self._prepare()

    def _ask_save(self, text, informative, allow_skip):
        buttons = [("save", "Save and Submit", ACCEPT)]
        if allow_skip:
            buttons.append(("skip", "Submit Last Saved", DESTRUCTIVE))
        buttons.append(("cancel", "Cancel", REJECT))
        self._set_state(ASKING)
        self._dialog.show_prompt(
            Prompt(self._dialog, "question", "Save the scene?", text, buttons, informative),
            self._on_save_answered,
        )

    def _on_save_answered(self, key):
        if key == "save":
            try:
                path = self._controller.save_scene()
            except SceneError as err:
                self._set_state(IDLE)
                self._dialog.show_prompt(
                    Prompt(self._dialog, "error", "Could not save", "The scene could not be saved.",
                           [("ok", "OK", ACCEPT)], str(err)),
                    None,
                )
                return
            self.status.emit("Saved {}".format(path), "notice")
            self._prepare()
        elif key == "skip":
            self._skip_unsaved_warning = True
            self._prepare()
        else:
            self._set_state(IDLE)

    def _prepare(self, again=False):
        self._set_state(PREPARING)
        if again:
            self.status.emit("Something changed while it was being checked: checking the submission again\u2026",
                             "notice")
        else:
            self._rechecks = 0
            self.status.emit("Checking the submission\u2026", "notice")
        self._controller.prepare_submission(self._nodes)

    def _still_current(self, result):
        """True when ``result`` is what the dialog shows now; otherwise check again (or refuse)."""
        if self._controller.submission_is_current(result):
            return True
        self._rechecks += 1
        if self._rechecks > MAX_RECHECKS:
            self._set_state(IDLE)
            self.status.emit("Not submitted: the settings or the scene kept changing while they were being "
                             "checked; press Submit again once they are settled", "warning")
            return False
        self._prepare(again=True)
        return False

    def _on_controller_submission_prepared(self, result):
        if self.state != PREPARING:
            return
        if result is None:
            self._set_state(IDLE)
            self.status.emit("Planning failed; see the log for details", "error")
            return
        if not self._still_current(result):
            return  # an edit arrived during the check: it is made again
        if result.errors:
            self._set_state(IDLE)
            count = len(result.errors)
            self.status.emit(
                "Not submitted: {} error{} to fix (see the Validation tab)".format(count, "" if count == 1 else "s"),
                "error",
            )
            self._dialog.show_tab("validation")
            return
        if result.mock_error:
            self._set_state(IDLE)
            self._dialog.show_prompt(
                Prompt(self._dialog, "error", "Mock file", "The mock file cannot be replayed.",
                       [("ok", "OK", ACCEPT)], result.mock_error),
                None,
            )
            self.status.emit("Not submitted: {}".format(result.mock_error), "error")
            return
        previous = self._controller.previous_submissions(result, self._nodes)
        if previous:
            self._ask_duplicates(result, previous)
            return
        self._ask_warnings(result)

    def _ask_duplicates(self, result, previous):
        planned = len([j for j in result.jobs if j.payload is not None
                       and (self._nodes is None or j.name in self._nodes)])
        text, informative = duplicate_text(previous, planned)
        self._set_state(ASKING)
        self._dialog.show_prompt(
            Prompt(self._dialog, "warning", "Already submitted", text,
                   [("again", "Submit Again", DESTRUCTIVE), ("cancel", "Cancel", REJECT)], informative),
            lambda key: self._on_duplicates_answered(key, result),
        )

    def _on_duplicates_answered(self, key, result):
        if key == "again":
            self._ask_warnings(result)
        else:
            self._set_state(IDLE)
            self.status.emit("Not submitted: those payloads were already submitted (see the Response tab)", "notice")
            self._dialog.show_tab("response")

    def _ask_warnings(self, result):
        warnings = [w for w in result.warnings if not (self._skip_unsaved_warning and w.rule == "unsaved_changes")]
        if warnings:
            self._set_state(ASKING)
            count = len(warnings)
            verb = "Replay" if self._controller.effective_mock_mode() == "use" else "Submit"
            self._dialog.show_prompt(
                Prompt(
                    self._dialog,
                    "warning",
                    "{} with warnings?".format(verb),
                    "Validation found {} warning{}.".format(count, "" if count == 1 else "s"),
                    [("submit", "{} Anyway".format(verb), ACCEPT), ("cancel", "Cancel", REJECT)],
                    _listing(warnings),
                ),
                lambda key: self._on_warnings_answered(key, result),
            )
            return
        self._run(result)

    def _on_warnings_answered(self, key, result):
        if key == "submit":
            self._run(result)
        else:
            self._set_state(IDLE)
            self._dialog.show_tab("validation")
            self.status.emit("Not submitted: see the warnings in the Validation tab", "warning")

    def _run(self, result):
        if not self._still_current(result):
            return  # what was confirmed is no longer what the dialog shows: check (and ask) again
        try:
            record = self._controller.start_run(result, self._nodes)
        except SubmitError as err:
            self._set_state(IDLE)
            self.status.emit("Not submitted: {}".format(err), "error")
            self._dialog.show_prompt(
                Prompt(self._dialog, "error", "Cannot submit", "The submission could not start.",
                       [("ok", "OK", ACCEPT)], str(err)),
                None,
            )
            return
        self._set_state(RUNNING)
        if record.mock:
            self.status.emit("Mock replay running: nothing is sent to Conductor", "mock")
        else:
            self.status.emit("Submitting {} job{}\u2026".format(record.job_count, "" if record.job_count == 1 else "s"),
                             "notice")
        self._dialog.show_tab("progress")

    def _on_controller_run_finished(self, record):
        if self.state != RUNNING:
            return
        self._set_state(IDLE)
        self.status.emit(*finished_status(record))
        self._dialog.show_tab("response")


def finished_status(record):
    """(text, level) for the status line once a run is over."""
    outcome = record.outcome()
    summary = record.summary_text()
    if record.mock:
        return "{}: {}; nothing was submitted to Conductor".format(record.mock_lead(), summary), "mock"
    if record.mode == runs_mod.RECORD and record.mock_file:
        summary += "; recorded to {}".format(record.mock_file)
    if outcome == runs_mod.SUCCEEDED:
        return "Done: {}".format(summary), "success"
    if outcome == runs_mod.PARTIAL:
        return "{}: {}".format(record.partial_lead(), summary), "warning"
    if outcome in (runs_mod.CANCELLED_RUN, runs_mod.NOTHING):
        return "Cancelled: {}".format(summary), "warning"
    return "Submission failed: {}".format(summary), "error"
