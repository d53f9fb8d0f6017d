"""The Preview tab: the exact payload of any job, as pretty JSON, secrets masked.

Layer: ui. Shows what the newest plan would submit for the job chosen in
the selector, passed through :func:`ciokatana.core.redact.redact_payload` so no
credential is ever on screen. A job that cannot be built shows its problems
instead. The text is rebuilt when the tab is shown or a new plan arrives
while it is shown (a hidden tab only notes that it is stale).

A mistyped frame range can make a payload of 100,000 tasks (16 MB of JSON),
so formatting happens on a worker thread (``controller.run_in_background``)
and the text box gets at most :data:`DISPLAY_LIMIT` characters: the start
of the payload, then a line saying how much is not shown. The totals stay
in the line above the text. Formatted texts are kept for the jobs of the
plan shown, so switching back to a job is immediate.

Copy puts the whole payload (secrets masked, as shown) on the clipboard and
Save... writes it to a JSON file, to hand to a support engineer or to diff
two submissions. The file dialog opens without a nested event loop (like
the prompts, see :mod:`ciokatana.ui.prompts`) and the file is written on a
worker thread, atomically.
"""

import json
from collections import OrderedDict

from ciokatana.core import atomic
from ciokatana.core.redact import redact_payload  # masked by the payload's structure
from ciokatana.qt import QtWidgets
from ciokatana.ui import theme
from ciokatana.ui.tabs.base import Tab
from ciokatana.ui.widgets.filedialogs import ask_save_file

DISPLAY_LIMIT = 200000  # characters of JSON put in the text box at once
KEEP_FORMATTED = 4  # formatted payloads kept (the current plan's jobs)


JOIN_BATCH = 4096  # JSON pieces joined at a time (one join of millions would hold the GIL)


def _json_text(data):
    """``json.dumps(data, indent=2)``, built in batches so a worker never holds the GIL for long."""
    batches, batch = [], []
    for piece in json.JSONEncoder(indent=2, ensure_ascii=False).iterencode(data):
        batch.append(piece)
        if len(batch) >= JOIN_BATCH:
            batches.append("".join(batch))
            batch = []
    batches.append("".join(batch))
    return "".join(batches)


REDACT_SLICE = 1000  # list items masked at a time


def redacted(payload):
    """``redact_payload(payload)``, a key and a slice of a long list at a time.

    Same result; but ``redact_payload`` searches the whole payload's JSON
    text in one C call, which for 100,000 tasks holds the GIL (and so the UI
    thread) for a tenth of a second.
    """
    if not isinstance(payload, dict):
        return redact_payload(payload)
    out = type(payload)() if type(payload) is not dict else {}
    for key, value in payload.items():
        if isinstance(value, list) and len(value) > REDACT_SLICE:
            items = []
            for start in range(0, len(value), REDACT_SLICE):
                items.extend(redact_payload({key: value[start:start + REDACT_SLICE]})[key])
            out[key] = items
        else:
            out.update(redact_payload({key: value}))
    return out


def payload_text(job):
    """The whole text of a planned job: its payload as JSON, or why it cannot be built (may be slow)."""
    if job.payload is not None:
        return _json_text(redacted(job.payload))
    lines = ["This job cannot be built yet:", ""]
    for key, message in sorted(job.problems.items()):
        lines.append("  - {}: {}".format(key, message))
    lines += ["", "Fix these in the Configure tab (or see the Validation tab)."]
    return "\n".join(lines)


class Formatted(object):
    """A job's payload formatted for the preview: the whole text and the part shown."""

    __slots__ = ("text", "shown", "lines", "shown_lines")

    def __init__(self, text, limit=DISPLAY_LIMIT):
        self.text = text
        self.lines = text.count("\n") + 1
        if len(text) <= limit:
            self.shown, self.shown_lines = text, self.lines
            return
        cut = text.rfind("\n", 0, limit)
        head = text[:cut if cut > 0 else limit]
        self.shown_lines = head.count("\n") + 1
        self.shown = "{}\n\n\u2026 {:,} more lines are not shown here (the payload is {:,} lines, {}). " \
            "Copy and Save\u2026 take the whole payload.".format(
                head, self.lines - self.shown_lines, self.lines, theme.human_bytes(len(text.encode("utf-8"))))

    @property
    def truncated(self):
        return self.shown_lines < self.lines


def format_job(job, limit=DISPLAY_LIMIT):
    """:class:`Formatted` text of a job (worker thread: no widget is touched)."""
    return Formatted(payload_text(job), limit)


def choose_save(parent, title, start, on_chosen):
    """Open a save dialog without waiting for it; ``on_chosen(path)`` follows a choice."""
    return ask_save_file(parent, title, start, on_chosen)


class PreviewTab(Tab):
    KEY = "preview"
    TITLE = "Preview"
    TOOLTIP = "The payload each job would send to Conductor"

    def __init__(self, controller, parent=None):
        super().__init__(controller, parent)
        self._stale = True
        self._formatted = OrderedDict()  # (plan generation, job key) -> Formatted
        self._waiting = {}  # key -> [callbacks waiting for that text]
        self._shown_key = None
        self.job_combo = QtWidgets.QComboBox()
        self.job_combo.setToolTip("The Render node whose job payload is shown")
        self.job_combo.setMinimumContentsLength(20)
        self.summary_label = QtWidgets.QLabel()
        self.summary_label.setToolTip("Tasks and files of the job shown")
        self.status_label = QtWidgets.QLabel()
        self.status_label.setEnabled(False)
        self.text = QtWidgets.QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setFont(theme.monospace_font())
        self.text.setLineWrapMode(QtWidgets.QPlainTextEdit.NoWrap)
        self.text.setToolTip("The job payload as JSON; secret values are masked")
        self.choose_save = choose_save
        self.copy_button = QtWidgets.QPushButton("Copy")
        self.copy_button.setToolTip("Copy this job's whole payload (secrets masked) to the clipboard")
        self.save_button = QtWidgets.QPushButton("Save\u2026")
        self.save_button.setToolTip("Save this job's whole payload (secrets masked) as a JSON file")
        for button in (self.copy_button, self.save_button):
            button.setAutoDefault(False)
            button.setEnabled(False)

        top = QtWidgets.QHBoxLayout()
        top.setSpacing(theme.SPACING)
        label = QtWidgets.QLabel("Job")
        label.setToolTip(self.job_combo.toolTip())
        top.addWidget(label)
        top.addWidget(self.job_combo, 1)
        top.addWidget(self.summary_label)
        top.addWidget(self.status_label)
        top.addWidget(self.copy_button)
        top.addWidget(self.save_button)
        layout = self.page_layout(self)
        layout.addLayout(top)
        layout.addWidget(self.text, 1)

        self.job_combo.currentIndexChanged.connect(self._on_job_combo_changed)
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        controller.plan_ready.connect(self._on_controller_plan_ready)
        controller.plan_stale.connect(self._on_controller_plan_stale)

    def on_shown(self):
        self.controller.refresh_scene()  # only re-reads a scene that may have changed
        if self._stale:
            self.refresh()

    def refresh(self):
        """Rebuild the selector and the text from the newest plan."""
        result = self.controller.plan_result
        if result is None:
            self.text.setPlainText("Planning\u2026")
            return
        self._stale = False
        generation = result.generation
        for key in [k for k in self._formatted if k[0] != generation]:
            del self._formatted[key]  # texts of an older plan
        names = [job.key for job in result.jobs]  # unique: node and variable set
        current = self.job_combo.currentText()
        blocked = self.job_combo.blockSignals(True)
        if [self.job_combo.itemText(i) for i in range(self.job_combo.count())] != names:
            self.job_combo.clear()
            self.job_combo.addItems(names)
        index = names.index(current) if current in names else 0
        self.job_combo.setCurrentIndex(index if names else -1)
        self.job_combo.blockSignals(blocked)
        self._show_job()

    def current_job(self):
        result = self.controller.plan_result
        name = self.job_combo.currentText()
        return result.job(name) if result is not None and name else None

    def _key(self, job):
        result = self.controller.plan_result
        return (result.generation if result is not None else None, job.key)

    @property
    def formatting(self):
        """The job shown is still being formatted on a worker."""
        return self._shown_key is not None and self._shown_key not in self._formatted

    def _show_job(self):
        job = self.current_job()
        buildable = job is not None and job.payload is not None
        self.copy_button.setEnabled(buildable)
        self.save_button.setEnabled(buildable)
        if job is None:
            self._shown_key = None
            self.summary_label.clear()
            self.text.setPlainText("No Render node in scope: there is nothing to submit.")
            return
        if job.payload is not None:
            self.summary_label.setText("{:,} task(s), {:,} file(s) to upload".format(
                len(job.payload.get("tasks_data") or []), len(job.payload.get("upload_paths") or [])))
        else:
            self.summary_label.setText("cannot be built")
        key = self._shown_key = self._key(job)
        formatted = self._formatted.get(key)
        if formatted is not None:
            self._display(formatted)
            return
        tasks = len(job.payload.get("tasks_data") or []) if job.payload is not None else 0
        self.text.setPlainText("Formatting the payload of {}{}\u2026".format(
            job.key, " ({:,} tasks)".format(tasks) if tasks > 1000 else ""))
        self._text_of(job, key, lambda formatted: self._display(formatted) if self._shown_key == key else None)

    def _text_of(self, job, key, callback):
        """``callback(Formatted)`` once the job's text is ready (formatted on a worker, once)."""
        formatted = self._formatted.get(key)
        if formatted is not None:
            callback(formatted)
            return
        waiting = self._waiting.get(key)
        if waiting is not None:
            waiting.append(callback)
            return
        self._waiting[key] = [callback]
        self.controller.run_in_background(lambda: format_job(job),
                                          lambda done: self._on_formatted(key, done),
                                          lambda err: self._on_format_failed(key, err))

    def _on_formatted(self, key, formatted):
        self._formatted[key] = formatted
        while len(self._formatted) > KEEP_FORMATTED:
            self._formatted.popitem(last=False)
        for callback in self._waiting.pop(key, []):
            callback(formatted)

    def _on_format_failed(self, key, err):
        self._waiting.pop(key, None)
        if self._shown_key == key:
            self.text.setPlainText("The payload could not be formatted: {}".format(err))

    def _display(self, formatted):
        position = self.text.verticalScrollBar().value()
        self.text.setPlainText(formatted.shown)
        self.text.verticalScrollBar().setValue(position)
        if formatted.truncated:
            self.status_label.setText("Showing {:,} of {:,} lines".format(formatted.shown_lines, formatted.lines))
        elif self.status_label.text().startswith("Showing"):
            self.status_label.setText("")

    def _on_job_combo_changed(self, _index):
        self._show_job()

    def _on_copy_button_clicked(self):
        job = self.current_job()
        if job is None or job.payload is None:
            return
        self.status_label.setText("Copying\u2026")
        self._text_of(job, self._key(job), self._copy)

    def _copy(self, formatted):
        QtWidgets.QApplication.clipboard().setText(formatted.text)
        self.status_label.setText("Copied ({})".format(theme.human_bytes(len(formatted.text.encode("utf-8")))))

    def _on_save_button_clicked(self):
        job = self.current_job()
        if job is None or job.payload is None:
            return
        self.choose_save(self, "Save the payload of {}".format(job.name), "{}_payload.json".format(job.name),
                         lambda path, j=job: self._save(j, path))

    def _save(self, job, path):
        if not path:
            return
        self.status_label.setText("Saving\u2026")
        self.save_button.setEnabled(False)
        payload = job.payload
        self.controller.run_in_background(lambda: atomic.write_json(path, redacted(payload)),
                                          lambda _none: self._on_saved(path, None),
                                          lambda err: self._on_saved(path, err))

    def _on_saved(self, path, err):
        job = self.current_job()
        self.save_button.setEnabled(job is not None and job.payload is not None)
        if err is not None:
            self.status_label.setText("Not saved: {}".format(err))
            return
        self.status_label.setText("Saved {}".format(path))

    def _on_controller_plan_ready(self, _result):
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def _on_controller_plan_stale(self, stale):
        # The text is not re-checked yet: say so, and grey it until the new plan arrives.
        self.text.setEnabled(not stale)
        if stale:
            self.status_label.setText("Updating\u2026")
            return
        formatted = self._formatted.get(self._shown_key)
        if formatted is not None and formatted.truncated:
            self._display(formatted)
        else:
            self.status_label.setText("")
