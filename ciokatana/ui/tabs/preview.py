"""The Preview tab: the exact payload of any job, as pretty JSON, secrets masked.

Layer: ui. Shows what the newest plan would submit for the job chosen in
the selector, passed through :func:`ciokatana.core.redact.redact` so no
credential is ever on screen. A job that cannot be built shows its problems
instead. The text is rebuilt when the tab is shown or a new plan arrives
while it is shown (a payload with thousands of tasks is big, so a hidden
tab only notes that it is stale).

Copy puts the payload shown on the clipboard and Save... writes it to a
JSON file (both with secrets masked, as shown), to hand to a support
engineer or to diff two submissions.
"""

import json

from ciokatana.core.filescene import write_json_atomic
from ciokatana.core.redact import redact_payload as redact  # masked by the payload's structure
from ciokatana.qt import QtWidgets
from ciokatana.ui import theme
from ciokatana.ui.tabs.base import Tab


def payload_text(job):
    """The text the preview shows for a planned job."""
    if job.payload is not None:
        return json.dumps(redact(job.payload), indent=2, ensure_ascii=False)
    lines = ["This job cannot be built yet:", ""]
    for key, message in sorted(job.problems.items()):
        lines.append("  - {}: {}".format(key, message))
    lines += ["", "Fix these in the Configure tab (or see the Validation tab)."]
    return "\n".join(lines)


def choose_save(parent, title, start):
    path, _filter = QtWidgets.QFileDialog.getSaveFileName(parent, title, start, "JSON files (*.json);;All files (*)")
    return path or ""


class PreviewTab(Tab):
    KEY = "preview"
    TITLE = "Preview"
    TOOLTIP = "The payload each job would send to Conductor"

    def __init__(self, controller, parent=None):
        super().__init__(controller, parent)
        self._stale = True
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
        self.copy_button.setToolTip("Copy this job's payload (secrets masked) to the clipboard")
        self.save_button = QtWidgets.QPushButton("Save\u2026")
        self.save_button.setToolTip("Save this job's payload (secrets masked) as a JSON file")
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
        self.controller.refresh_scene()
        if self._stale:
            self.refresh()

    def refresh(self):
        """Rebuild the selector and the text from the newest plan."""
        result = self.controller.plan_result
        if result is None:
            self.text.setPlainText("Planning\u2026")
            return
        self._stale = False
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

    def _show_job(self):
        job = self.current_job()
        buildable = job is not None and job.payload is not None
        self.copy_button.setEnabled(buildable)
        self.save_button.setEnabled(buildable)
        if job is None:
            self.summary_label.clear()
            self.text.setPlainText("No Render node in scope: there is nothing to submit.")
            return
        if job.payload is not None:
            self.summary_label.setText("{:,} task(s), {:,} file(s) to upload".format(
                len(job.payload.get("tasks_data") or []), len(job.payload.get("upload_paths") or [])))
        else:
            self.summary_label.setText("cannot be built")
        position = self.text.verticalScrollBar().value()
        self.text.setPlainText(payload_text(job))
        self.text.verticalScrollBar().setValue(position)

    def _on_job_combo_changed(self, _index):
        self._show_job()

    def _on_copy_button_clicked(self):
        job = self.current_job()
        if job is not None and job.payload is not None:
            QtWidgets.QApplication.clipboard().setText(payload_text(job))
            self.status_label.setText("Copied")

    def _on_save_button_clicked(self):
        job = self.current_job()
        if job is None or job.payload is None:
            return
        path = self.choose_save(self, "Save the payload of {}".format(job.name), "{}_payload.json".format(job.name))
        if not path:
            return
        try:
            write_json_atomic(path, redact(job.payload))
        except OSError as err:
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
        self.status_label.setText("Updating\u2026" if stale else "")
        self.text.setEnabled(not stale)
