"""What pressing Submit does, step by step, without blocking the dialog.

Layer: ui. :class:`SubmitFlow` is a small state machine driven by answers
and signals, never by waiting::

    idle --start()--> [scene unsaved or dirty?] --ask: Save / Submit anyway / Cancel
         --> preparing (re-read scene; plan, validate, vet the mock file on a worker)
         --> errors?   -> Validation tab shown, back to idle
         --> warnings? -> ask: Submit anyway / Cancel
         --> running (Progress tab) --run_finished--> Response tab, idle

The farm renders the saved Katana file, so a scene with unsaved changes is
offered a save through ``scene.save()`` first; declining keeps the saved
file and the "unsaved changes" warning is not asked about twice.
"""

from ciokatana.core.scene import SceneError
from ciokatana.qt import QtCore, Signal
from ciokatana.ui.controller import SubmitError
from ciokatana.ui.prompts import ACCEPT, DESTRUCTIVE, REJECT, Prompt

IDLE, ASKING, PREPARING, RUNNING = "idle", "asking", "preparing", "running"
MAX_LISTED = 8


def _listing(findings):
    lines = ["\u2022 {}".format(f) for f in findings[:MAX_LISTED]]
    if len(findings) > MAX_LISTED:
        lines.append("\u2026 and {} more (see the Validation tab)".format(len(findings) - MAX_LISTED))
    return "\n".join(lines)


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
        controller.submission_prepared.connect(self._on_controller_submission_prepared)
        controller.run_finished.connect(self._on_controller_run_finished)

    @property
    def busy(self):
        return self.state != IDLE

    def _set_state(self, state):
        self.state = state
        self.state_changed.emit(state)

    # -- steps ---------------------------------------------------------------
    def start(self):
        """Begin a submission (the Submit button)."""
        if self.busy or self._controller.is_running:
            return
        self._skip_unsaved_warning = False
        scene = self._controller.scene
        try:
            path, dirty = scene.katana_file(), scene.is_dirty()
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

    def _prepare(self):
        self._set_state(PREPARING)
        self.status.emit("Checking the submission\u2026", "notice")
        self._controller.prepare_submission()

    def _on_controller_submission_prepared(self, result):
        if self.state != PREPARING:
            return
        if result is None:
            self._set_state(IDLE)
            self.status.emit("Planning failed; see the log for details", "error")
            return
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
        warnings = [w for w in result.warnings if not (self._skip_unsaved_warning and w.rule == "unsaved_changes")]
        if warnings:
            self._set_state(ASKING)
            count = len(warnings)
            self._dialog.show_prompt(
                Prompt(
                    self._dialog,
                    "warning",
                    "Submit with warnings?",
                    "Validation found {} warning{}.".format(count, "" if count == 1 else "s"),
                    [("submit", "Submit Anyway", ACCEPT), ("cancel", "Cancel", REJECT)],
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
        try:
            self._controller.start_run(result.plan)
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
        self.status.emit("Submitting\u2026", "notice")
        self._dialog.show_tab("progress")

    def _on_controller_run_finished(self, state):
        if self.state != RUNNING:
            return
        self._set_state(IDLE)
        self.status.emit("Submission {}".format(state), "error" if state == "failed" else "notice")
        self._dialog.show_tab("response")
