"""The Progress tab: how far the submission has got, job by job and file by file.

Layer: ui. Three bars - jobs done out of all jobs, MD5 hashing of the
current job's files, upload of the current job - then the transfer figures
and a file panel with a row per file of the current job (a model and a
painting delegate, never a widget per file, so tens of thousands of files
stay smooth). Events come from the controller already coalesced by the
bridge (at most ~15 updates a second). Byte figures are true bytes:
ciocore's job totals are divided by 1024 (:func:`ciokatana.core.events.true_bytes`).

Cancel stops the run (the current job ends with a UserCanceledError and no
more start); "Raise an error" exists only while a mock is replayed.
"""

import os

from ciokatana.core import events as ev
from ciokatana.qt import QtCore, QtWidgets
from ciokatana.ui import theme
from ciokatana.ui.compat import flags
from ciokatana.ui.models.files import PATH, PROGRESS, SIZE, FileProgressModel
from ciokatana.ui.tabs.base import Tab
from ciokatana.ui.widgets.filebars import FileProgressDelegate

BAR_STEPS = 1000
TIPS = {
    "jobs": "Jobs that have finished (submitted or failed) out of all jobs of the submission",
    "md5": "MD5 checksums computed for the current job's files; files whose checksum is cached "
    "or already known to Conductor are not uploaded again",
    "upload": "Bytes uploaded for the current job out of those it must upload",
    "files": "Every file of the current job: its size and upload progress. "
    "\"Cached\" files are already on Conductor and are not uploaded again",
}


def _bar(tip):
    bar = QtWidgets.QProgressBar()
    bar.setRange(0, BAR_STEPS)
    bar.setValue(0)
    bar.setTextVisible(True)
    bar.setFormat("0%")
    bar.setToolTip(tip)
    bar.setMinimumHeight(20)
    return bar


def _set(bar, percent, text=None):
    percent = max(0.0, min(100.0, float(percent or 0.0)))
    bar.setValue(int(round(percent * BAR_STEPS / 100.0)))
    bar.setFormat(text if text is not None else "{:.0f}%".format(percent))


class ProgressTab(Tab):
    KEY = "progress"
    TITLE = "Progress"
    TOOLTIP = "Progress of the running submission"

    def __init__(self, controller, parent=None):
        super().__init__(controller, parent)
        self._job_count = 0
        self._finished_jobs = 0
        self._job_index = None
        self._build_bars()
        self._build_files()
        self._build_buttons()
        layout = self.page_layout(self)
        layout.addWidget(self.job_label)
        layout.addLayout(self._grid)
        layout.addWidget(self.stats_label)
        layout.addSpacing(4)
        layout.addWidget(self.files_label)
        layout.addWidget(self.file_view, 1)
        layout.addLayout(self._buttons)

        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        self.raise_button.clicked.connect(self._on_raise_button_clicked)
        controller.run_started.connect(self._on_controller_run_started)
        controller.run_event.connect(self._on_controller_run_event)
        controller.run_finished.connect(self._on_controller_run_finished)

    def _build_bars(self):
        self.job_label = QtWidgets.QLabel("No submission has run yet. Press Submit to start one.")
        font = self.job_label.font()
        font.setBold(True)
        self.job_label.setFont(font)
        self.job_label.setWordWrap(True)
        self.jobs_bar = _bar(TIPS["jobs"])
        self.md5_bar = _bar(TIPS["md5"])
        self.upload_bar = _bar(TIPS["upload"])
        self._grid = QtWidgets.QGridLayout()
        self._grid.setHorizontalSpacing(theme.SPACING + 4)
        self._grid.setVerticalSpacing(theme.SPACING)
        for row, (text, bar, key) in enumerate(
            (("Jobs", self.jobs_bar, "jobs"), ("MD5", self.md5_bar, "md5"), ("Upload", self.upload_bar, "upload"))
        ):
            label = QtWidgets.QLabel(text)
            label.setToolTip(TIPS[key])
            self._grid.addWidget(label, row, 0, flags(QtCore.Qt.AlignRight, QtCore.Qt.AlignVCenter))
            self._grid.addWidget(bar, row, 1)
        self._grid.setColumnStretch(1, 1)
        self.stats_label = QtWidgets.QLabel(" ")
        self.stats_label.setToolTip("Uploaded / to upload for the current job, transfer rate, time left")

    def _build_files(self):
        self.files_label = QtWidgets.QLabel("Files")
        self.files_label.setToolTip(TIPS["files"])
        self.file_model = FileProgressModel(self)
        self.file_model.busy_changed.connect(self._on_file_model_busy_changed)
        self.file_model.applied.connect(self._show_file_counts)
        self.file_view = QtWidgets.QTableView()
        self.file_view.setModel(self.file_model)
        self.file_view.setItemDelegateForColumn(PROGRESS, FileProgressDelegate(self.file_view))
        self.file_view.setToolTip(TIPS["files"])
        self.file_view.setShowGrid(False)
        self.file_view.setAlternatingRowColors(True)
        self.file_view.setWordWrap(False)
        self.file_view.setTextElideMode(QtCore.Qt.ElideMiddle)
        self.file_view.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectRows)
        self.file_view.setEditTriggers(QtWidgets.QAbstractItemView.NoEditTriggers)
        self.file_view.setVerticalScrollMode(QtWidgets.QAbstractItemView.ScrollPerPixel)
        vertical = self.file_view.verticalHeader()
        vertical.setVisible(False)
        vertical.setSectionResizeMode(QtWidgets.QHeaderView.Fixed)
        vertical.setDefaultSectionSize(max(24, self.fontMetrics().height() + 10))
        header = self.file_view.horizontalHeader()
        header.setSectionResizeMode(PATH, QtWidgets.QHeaderView.Stretch)
        header.setSectionResizeMode(SIZE, QtWidgets.QHeaderView.Fixed)
        header.setSectionResizeMode(PROGRESS, QtWidgets.QHeaderView.Fixed)
        self.file_view.setColumnWidth(SIZE, 90)
        self.file_view.setColumnWidth(PROGRESS, 150)

    def _build_buttons(self):
        self.raise_button = QtWidgets.QPushButton("Raise an error")
        self.raise_button.setToolTip("Mock replay only: make the current job fail, to see how errors look")
        self.raise_button.setVisible(False)
        self.cancel_button = QtWidgets.QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop the current job and start no more")
        self.cancel_button.setEnabled(False)
        self._buttons = QtWidgets.QHBoxLayout()
        self._buttons.setSpacing(theme.SPACING)
        self._buttons.addStretch(1)
        self._buttons.addWidget(self.raise_button)
        self._buttons.addWidget(self.cancel_button)

    # -- run events ----------------------------------------------------------
    def _reset(self, job_count=0):
        self._job_count = job_count
        self._finished_jobs = 0
        self._job_index = None
        self._show_jobs()
        _set(self.md5_bar, 0)
        _set(self.upload_bar, 0)
        self.stats_label.setText(" ")
        self.file_model.clear()
        self._show_file_counts()

    def _show_jobs(self):
        count = self._job_count
        percent = 100.0 * self._finished_jobs / count if count else 0.0
        _set(self.jobs_bar, percent, "{} of {} done ({:.0f}%)".format(self._finished_jobs, count, percent))

    def _show_file_counts(self):
        count = self.file_model.rowCount()
        cached = self.file_model.cached_count
        self.files_label.setText("Files: {:,} ({:,} cached)".format(count, cached) if count else "Files")

    def _on_start(self, data):
        self._reset(int(data.get("job_count") or 0))
        scene_file = self.controller.snapshot.katana_file
        self.file_model.set_base(os.path.dirname(scene_file) if scene_file else "")
        self.job_label.setText("Starting {} job(s)\u2026".format(self._job_count))

    def _on_job_start(self, data):
        self._job_index = data.get("job_index")
        if data.get("phase") == ev.CREATE_PHASE:  # files already up (shared upload): keep its figures
            self.job_label.setText("Creating job {} of {}: {}\u2026".format(
                (self._job_index or 0) + 1, self._job_count or "?", data.get("job_title") or "untitled"))
            return
        scene_file = self.controller.snapshot.katana_file
        self.file_model.set_base(os.path.dirname(scene_file) if scene_file else "")
        _set(self.md5_bar, 0)
        _set(self.upload_bar, 0)
        self.stats_label.setText(" ")
        self.file_model.clear()
        self._show_file_counts()
        position = (self._job_index or 0) + 1
        self.job_label.setText(
            "Job {} of {}: {}".format(position, self._job_count or "?", data.get("job_title") or "untitled")
        )

    def _on_progress(self, data):
        if self._job_index is not None and data.get("job_index") not in (None, self._job_index):
            return
        md5 = float(data.get("md5_percent") or 0.0)
        _set(self.md5_bar, md5)
        self.file_model.queue(data.get("file_progress") or {})
        uploaded = ev.true_bytes(data.get("bytes_uploaded"))
        total = ev.true_bytes(data.get("bytes_to_upload"))
        elapsed = "{} elapsed".format(theme.human_duration(ev.seconds(data.get("elapsed_time"))))
        if total <= 0 and md5 >= 100.0 and data.get("files_to_analyze"):
            _set(self.upload_bar, 100, "Nothing to upload")
            self.stats_label.setText("Every file is already on Conductor   \u00b7   " + elapsed)
            return
        _set(self.upload_bar, data.get("percent_complete"))
        rate = ev.true_bytes(data.get("transfer_rate"))
        remaining = data.get("time_remaining")
        parts = ["{} of {} uploaded".format(theme.human_bytes(uploaded), theme.human_bytes(total))]
        parts.append("{}/s".format(theme.human_bytes(rate)))
        if remaining is not None:
            parts.append("{} left".format(theme.human_duration(ev.seconds(remaining))))
        parts.append(elapsed)
        self.stats_label.setText("   \u00b7   ".join(parts))

    def _on_job_end(self, event):
        self._finished_jobs += 1
        self._show_jobs()
        if event.type == ev.RESPONSE:
            _set(self.md5_bar, 100)
            _set(self.upload_bar, 100)

    def _on_done(self):
        self.file_model.apply_pending()
        answered = self._finished_jobs
        self.job_label.setText("Finished: {} of {} job(s) ran to an end. See the Response tab.".format(
            answered, self._job_count))
        self.cancel_button.setEnabled(False)
        self.raise_button.setVisible(False)

    # -- slots -------------------------------------------------------------
    def _on_controller_run_started(self, runner):
        self._reset()
        self.job_label.setText("Starting\u2026")
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText("Cancel")
        self.raise_button.setVisible(bool(runner.can_raise_error))
        self.raise_button.setEnabled(True)

    def _on_controller_run_event(self, event):
        kind = event.type
        if kind == ev.START:
            self._on_start(event.data)
        elif kind == ev.JOB_START:
            self._on_job_start(event.data)
        elif kind == ev.PROGRESS:
            self._on_progress(event.data)
        elif kind in (ev.RESPONSE, ev.ERROR):
            self._on_job_end(event)
        elif kind == ev.DONE:
            self._on_done()

    def _on_controller_run_finished(self, _state):
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText("Cancel")
        self.raise_button.setVisible(False)

    def _on_file_model_busy_changed(self, busy):
        self.controller.set_ui_busy("files", busy)

    def _on_cancel_button_clicked(self):
        self.controller.cancel_run()
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText("Cancelling\u2026")
        self.raise_button.setEnabled(False)

    def _on_raise_button_clicked(self):
        self.controller.raise_error()
