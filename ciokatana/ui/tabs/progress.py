"""The Progress tab: how far the submission has got, job by job and file by file.

Layer: ui. Everything shown here is read from the run's
:class:`~ciokatana.ui.runs.RunRecord`, which the controller updates before
the tab hears of an event, so the bars, the stats line, the per-job table
and the file list agree:

- a banner on mock replays ("nothing is sent to Conductor");
- what is happening now: uploading a job's files, uploading the files of
  every job at once (the shared upload), or creating a job on Conductor,
  with a live clock (the request can take a while and nothing else moves);
- three bars: jobs done (answered by Conductor; a cancelled job is not
  done), MD5 checksums ("files N of M hashed"), and the upload ("files N of
  M, bytes of bytes", counting files found already on Conductor as done),
  from the totals the plan measured. ciocore uploads while it is still
  computing checksums, so the upload bar moves from the first file done;
- the transfer rate and the time left, estimated from files *and* bytes
  (thousands of small files take longer than their bytes suggest) and, while
  checksums are still computed, from those too ("up to about ..."), and a
  live elapsed clock;
- a table with one row per job (state, files, what was uploaded, time),
  which stays after the run, not-started jobs included;
- the files of the current upload (a model and a painting delegate, never
  a widget per file), sortable and filterable.

Cancel stops the run (the current job ends as cancelled and no more
start); "Raise an error" exists only while a mock is replayed.
"""

import os

from ciokatana.qt import QtCore, QtWidgets
from ciokatana.ui import runs as runs_mod
from ciokatana.ui import theme
from ciokatana.ui.compat import flags
from ciokatana.ui.models.files import PATH, PROGRESS, SIZE, FileProgressModel
from ciokatana.ui.tabs.base import Tab
from ciokatana.ui.widgets.banner import Banner
from ciokatana.ui.widgets.filebars import FileProgressDelegate

BAR_STEPS = 1000
STALE_REPORT_S = 2.0  # older upload figures are shown with their age
SLOW_CREATE_S = 15.0  # a job creation waiting this long says what Cancel would mean
TIPS = {
    "jobs": "Jobs Conductor has answered for (created or failed) out of all jobs of the submission; "
    "cancelled and not-started jobs are not counted as done",
    "md5": "MD5 checksums computed for the files to upload; files whose checksum is cached "
    "or already known to Conductor are not uploaded again",
    "upload": "Files and bytes uploaded out of those that must be uploaded (files already on "
    "Conductor are skipped)",
    "stats": "Transfer rate, and the time left estimated from the files and the bytes still to go",
    "jobs_table": "Each job of the submission: what happened and what its upload did. Kept after the run",
    "files": "Every file of the current upload: its size and upload progress. "
    "\"Cached\" files are already on Conductor and are not uploaded again. Click a header to sort",
    "filter": "Show only the files whose path contains this text",
}
STATE_TEXT = {
    runs_mod.WAITING: "waiting",
    runs_mod.UPLOADING: "uploading",
    runs_mod.CREATING: "creating job\u2026",
    runs_mod.SUBMITTED: "submitted",
    runs_mod.FAILED: "failed",
    runs_mod.CANCELLED: "cancelled",
    runs_mod.MAY_EXIST: "may have been created",
    runs_mod.NOT_STARTED: "not started",
}
STATE_LEVEL = {
    runs_mod.SUBMITTED: theme.SUCCESS,
    runs_mod.FAILED: theme.ERROR,
    runs_mod.CANCELLED: theme.WARNING,
    runs_mod.MAY_EXIST: theme.WARNING,
    runs_mod.NOT_STARTED: theme.NOTICE,
}
JOB_COLUMNS = ("Job", "State", "Files", "Uploaded", "Time")
SHARED_ROW_TITLE = "Files of every job (uploaded once)"


def _bar(tip):
    bar = QtWidgets.QProgressBar()
    bar.setRange(0, BAR_STEPS)
    bar.setValue(0)
    bar.setTextVisible(True)
    bar.setFormat("")
    bar.setToolTip(tip)
    bar.setMinimumHeight(20)
    return bar


def _set(bar, fraction, text):
    fraction = max(0.0, min(1.0, float(fraction or 0.0)))
    bar.setValue(int(round(fraction * BAR_STEPS)))
    bar.setFormat(text)


def _count(n, word):
    return "{:,} {}{}".format(n, word, "" if n == 1 else "s")


class ProgressTab(Tab):
    KEY = "progress"
    TITLE = "Progress"
    TOOLTIP = "Progress of the running submission"

    def __init__(self, controller, parent=None):
        super().__init__(controller, parent)
        self._record = None
        self._scope = None
        self._shown_state = None
        self._job_items = {}
        self._build_bars()
        self._build_jobs_table()
        self._build_files()
        self._build_buttons()
        self.mock_banner = Banner(theme.MOCK)
        self.mock_banner.setVisible(False)
        layout = self.page_layout(self)
        layout.addWidget(self.mock_banner)
        layout.addWidget(self.job_label)
        layout.addLayout(self._grid)
        layout.addWidget(self.stats_label)
        layout.addWidget(self.jobs_table)
        layout.addSpacing(2)
        layout.addLayout(self._files_bar)
        layout.addWidget(self.file_view, 1)
        layout.addLayout(self._buttons)

        self._clock = QtCore.QTimer(self)
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self._on_clock_timeout)
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        self.raise_button.clicked.connect(self._on_raise_button_clicked)
        self.filter_edit.textChanged.connect(self._on_filter_edit_text_changed)
        controller.run_started.connect(self._on_controller_run_started)
        controller.run_event.connect(self._on_controller_run_event)
        controller.run_finished.connect(self._on_controller_run_finished)

    # -- building --------------------------------------------------------------
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
        self.stats_label.setToolTip(TIPS["stats"])

    def _build_jobs_table(self):
        self.jobs_table = QtWidgets.QTreeWidget()
        self.jobs_table.setColumnCount(len(JOB_COLUMNS))
        self.jobs_table.setHeaderLabels(list(JOB_COLUMNS))
        self.jobs_table.setRootIsDecorated(False)
        self.jobs_table.setUniformRowHeights(True)
        self.jobs_table.setAlternatingRowColors(True)
        self.jobs_table.setSelectionMode(QtWidgets.QAbstractItemView.NoSelection)
        self.jobs_table.setFocusPolicy(QtCore.Qt.NoFocus)
        self.jobs_table.setToolTip(TIPS["jobs_table"])
        header = self.jobs_table.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QtWidgets.QHeaderView.Stretch)
        for column in range(1, len(JOB_COLUMNS)):
            header.setSectionResizeMode(column, QtWidgets.QHeaderView.ResizeToContents)
        self.jobs_table.setVisible(False)

    def _build_files(self):
        self.files_label = QtWidgets.QLabel("Files")
        self.files_label.setToolTip(TIPS["files"])
        self.filter_edit = QtWidgets.QLineEdit()
        self.filter_edit.setPlaceholderText("Filter files")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setToolTip(TIPS["filter"])
        self.filter_edit.setMaximumWidth(260)
        self._files_bar = QtWidgets.QHBoxLayout()
        self._files_bar.setSpacing(theme.SPACING)
        self._files_bar.addWidget(self.files_label, 1)
        self._files_bar.addWidget(self.filter_edit)
        self.file_model = FileProgressModel(self)
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
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(False)
        header.sectionClicked.connect(self._on_file_header_section_clicked)
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

    # -- showing the record ------------------------------------------------------
    def _reset(self, record):
        self._record = record
        self._scope = None
        self._shown_state = None
        self._clock.stop()
        self._job_items = {}
        self.jobs_table.clear()
        self.jobs_table.setVisible(False)
        _set(self.jobs_bar, 0, "")
        _set(self.md5_bar, 0, "")
        _set(self.upload_bar, 0, "")
        self.stats_label.setText(" ")
        self.file_model.clear()
        self._show_file_counts()
        scene_file = self.controller.snapshot.katana_file
        self.file_model.set_base(os.path.dirname(scene_file) if scene_file else "")
        self.file_model.set_known_sizes(record.file_sizes)
        self.mock_banner.setVisible(record.mock)
        if record.mock:
            self.mock_banner.set_text(
                "Mock replay of {}: nothing is sent to Conductor, and the job ids shown are those of the "
                "recording, not real jobs.".format(os.path.basename(record.mock_file) or "a mock file"))

    def _show_jobs(self):
        record = self._record
        count = max(record.job_count, len(record.jobs))
        done = record.done_count
        counts = record.counts()
        text = "{} of {} done".format(done, count)
        extra = ["{:,} {}".format(counts[state], word) for state, word in
                 ((runs_mod.CANCELLED, "cancelled"), (runs_mod.NOT_STARTED, "not started"))
                 if counts[state]]
        if extra:
            text += " ({})".format(", ".join(extra))
        _set(self.jobs_bar, float(done) / count if count else 0.0, text)
        self._show_job_rows()

    def _show_shared_row(self):
        """The shared upload (every job's files, once) as the table's first row: files, uploaded, time."""
        record = self._record
        scope = record.shared
        if scope is None:
            return
        item = self._job_items.get(runs_mod.SHARED_UPLOAD_INDEX)
        if item is None:
            item = QtWidgets.QTreeWidgetItem()
            self.jobs_table.insertTopLevelItem(0, item)
            self._job_items[runs_mod.SHARED_UPLOAD_INDEX] = item
            item.setToolTip(0, "The files of every job, uploaded once before the jobs are created")
        upload = scope.tally.summary()
        upload.seconds = scope.elapsed_at(record.clock())
        done = scope.complete
        values = [
            SHARED_ROW_TITLE,
            "done" if done else ("stopped" if record.finished else "uploading"),
            "{:,}".format(upload.files) if upload.files else "",
            self._uploaded_text(upload) if upload.files else "",
            theme.human_duration(upload.seconds) if upload.seconds is not None else "",
        ]
        for column, value in enumerate(values):
            if item.text(column) != value:
                item.setText(column, value)
        level = theme.SUCCESS if done else (theme.WARNING if record.finished else None)
        if level is not None and item.data(1, QtCore.Qt.UserRole) != level:
            item.setData(1, QtCore.Qt.UserRole, level)
            item.setIcon(1, theme.severity_icon(level, 14))
        item.setToolTip(3, upload.text(theme.human_bytes))

    def _show_job_rows(self):
        record = self._record
        if not record.jobs:
            return
        self.jobs_table.setVisible(True)
        self._show_shared_row()
        for job in record.jobs:
            item = self._job_items.get(job.index)
            if item is None:
                item = QtWidgets.QTreeWidgetItem(self.jobs_table)
                self._job_items[job.index] = item
            upload = job.upload
            state = STATE_TEXT.get(job.state, job.state)
            if record.mock and job.state == runs_mod.SUBMITTED:
                state = "replayed (mock)"
            values = [
                job.label,
                state,
                "{:,}".format(upload.files) if upload else "",
                self._uploaded_text(upload) if upload else "",
                theme.human_duration(upload.seconds) if upload and upload.seconds is not None else "",
            ]
            for column, value in enumerate(values):
                if item.text(column) != value:
                    item.setText(column, value)
            level = STATE_LEVEL.get(job.state)
            if level is not None and item.data(1, QtCore.Qt.UserRole) != level:
                item.setData(1, QtCore.Qt.UserRole, level)
                item.setIcon(1, theme.severity_icon(level, 14))
            if upload:
                item.setToolTip(3, upload.text(theme.human_bytes))
        rows = min(6, len(self._job_items))
        height = self.jobs_table.header().sizeHint().height() + 4
        height += rows * max(20, self.jobs_table.sizeHintForRow(0))
        self.jobs_table.setFixedHeight(height)

    @staticmethod
    def _uploaded_text(upload):
        if not upload.files:
            return "nothing to upload"
        if not upload.uploaded_files and upload.cached == upload.files:
            return "all cached"
        text = "{:,} ({})".format(upload.uploaded_files, theme.human_bytes(upload.uploaded_bytes))
        if upload.cached:
            text += ", {:,} cached".format(upload.cached)
        return text

    def _show_file_counts(self):
        tally = self.file_model.tally
        count = len(tally)
        text = "Files: {:,} ({:,} cached)".format(count, tally.cached) if count else "Files"
        shown = self.file_model.rowCount()
        if shown != count:
            text += ", {:,} shown".format(shown)
        self.files_label.setText(text)

    def _show_scope(self):
        """The MD5 and upload bars and the stats line, from the current upload.

        ciocore uploads while it is still computing checksums, so the
        upload figures show from the first file done, against the totals
        the plan measured; only while nothing at all is done yet does the
        bar say it waits for the checksums. The elapsed time is a live
        clock (the tab's one-second timer), not ciocore's five-second one.
        """
        scope = self._scope
        if scope is None:
            return
        now = self._record.clock() if self._record is not None else None
        seconds = scope.elapsed_at(now) if now is not None else None
        elapsed = "{} elapsed".format(theme.human_duration(seconds)) if seconds is not None else ""
        if not scope.reports:  # nothing is known yet: say so rather than "0 of N"
            waiting = "Waiting for the uploader's first report (it reports every few seconds)"
            _set(self.md5_bar, 0, waiting)
            _set(self.upload_bar, 0, waiting)
            self.stats_label.setText("   \u00b7   ".join(p for p in ("Starting the upload", elapsed) if p))
            return
        tally = scope.tally
        total = scope.file_total
        hashed = min(tally.hashed, total) if total else tally.hashed
        _set(self.md5_bar, float(hashed) / total if total else scope.md5_percent / 100.0,
             "{} of {:,} files checked".format("{:,}".format(hashed), total) if total else "")
        age = scope.report_age(now) if now is not None else None
        if age is not None and age >= STALE_REPORT_S and not scope.complete:
            # ciocore reports every 5 s: between reports the figures are that old, and say so
            elapsed = "   \u00b7   ".join(p for p in (elapsed, "figures from {} ago".format(
                theme.human_duration(age))) if p)
        if scope.hashing and not scope.started_uploading:
            _set(self.upload_bar, 0, "Waiting for the checksums (files already on Conductor are skipped)")
            self.stats_label.setText("   \u00b7   ".join(p for p in ("Checking files: time left not known yet",
                                                               elapsed) if p))
            return
        if scope.nothing_to_upload:
            _set(self.upload_bar, 1.0, "Nothing to upload: all {} already on Conductor".format(_count(total, "file")))
            self.stats_label.setText("   \u00b7   ".join(p for p in ("Every file is already on Conductor", elapsed) if p))
            return
        byte_total = scope.byte_total
        files_fraction = float(scope.files_done) / total if total else 1.0
        bytes_fraction = float(scope.bytes_done) / byte_total if byte_total else 1.0
        text = "Files {:,} of {:,}   \u00b7   {} of {}".format(
            scope.files_done, total, theme.human_bytes(scope.bytes_done), theme.human_bytes(byte_total))
        if tally.cached:
            text += "   ({:,} already on Conductor)".format(tally.cached)
        _set(self.upload_bar, min(files_fraction, bytes_fraction), text)
        parts = []
        rate = scope.byte_rate()
        if rate is not None:
            parts.append("{}/s".format(theme.human_bytes(max(0.0, rate))))
        remaining = scope.remaining()
        if scope.complete:
            parts.append("upload complete")
        elif remaining is None:
            parts.append("time left: estimating\u2026")
        elif scope.hashing:  # files found already on Conductor will be skipped: an upper bound
            parts.append("up to about {} left (still checking files)".format(theme.human_duration(remaining)))
        else:
            parts.append("about {} left".format(theme.human_duration(remaining)))
        if elapsed:
            parts.append(elapsed)
        self.stats_label.setText("   \u00b7   ".join(parts))

    def _show_activity(self):
        """The bold line: what is happening right now."""
        record = self._record
        job = record.current_job
        count = max(record.job_count, len(record.jobs))
        if record.scope is not None and record.scope.shared and (job is None or job.state != runs_mod.CREATING):
            self.job_label.setText("Uploading the files of {} (once, for all of them)\u2026".format(
                "both jobs" if count == 2 else "all {} jobs".format(count)))
            return
        if job is None:
            return
        position = "{} of {}".format(job.index + 1, count or "?")
        if job.state == runs_mod.CREATING:
            since = job.creating_since
            waited = record.clock() - since if since is not None else 0.0
            clock = theme.human_duration(waited) if since is not None else ""
            text = "Creating job {}: {}\u2026 {}".format(position, job.label, clock)
            if waited >= SLOW_CREATE_S:
                text += ("   (no answer from Conductor yet; Cancel stops waiting, and the job may still appear "
                         "on the dashboard)")
            self.job_label.setText(text)
            return
        if job.state == runs_mod.UPLOADING:
            self.job_label.setText("Job {}: {}: uploading its files".format(position, job.label))

    # -- run events ----------------------------------------------------------------
    def _on_controller_run_started(self, record):
        self._reset(record)
        self._clock.start()  # live clocks (elapsed, creating) for the whole run
        self.job_label.setText("Starting\u2026")
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText("Cancel")
        self.raise_button.setVisible(bool(record.can_raise_error))
        self.raise_button.setEnabled(True)

    def _on_controller_run_event(self, event):
        record = self.controller.current_run or self._record
        if record is None or record is not self._record:
            return
        scope = record.scope
        if scope is not self._scope and scope is not None:
            self._scope = scope
            self.file_model.set_tally(scope.tally)
        else:
            self.file_model.sync()
        self._show_file_counts()
        self._show_scope()
        if event.type == "progress":
            self._show_activity()
            job = record.current_job
            if job is not None and job.state != self._shown_state:
                self._shown_state = job.state  # e.g. uploading -> creating: the job table follows
                self._show_jobs()
            return
        if event.type == "start":
            self.job_label.setText("Starting {}\u2026".format(_count(record.job_count, "job")))
        self._show_jobs()
        self._show_activity()
        if event.type == "done":
            self._show_done()

    def _show_done(self):
        record = self._record
        self._clock.stop()
        self.job_label.setText("Finished: {}. See the Response tab.".format(record.summary_text()))
        self.cancel_button.setEnabled(False)
        self.raise_button.setVisible(False)

    def _on_controller_run_finished(self, record):
        if record is self._record:
            self._show_jobs()
            self._show_done()
        self.cancel_button.setText("Cancel")

    # -- slots -------------------------------------------------------------------
    def _on_clock_timeout(self):
        if self._record is not None and not self._record.finished:
            self._show_scope()
            self._show_activity()
        else:
            self._clock.stop()

    def _on_cancel_button_clicked(self):
        self.controller.cancel_run()
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText("Cancelling\u2026")
        self.raise_button.setEnabled(False)

    def _on_raise_button_clicked(self):
        self.controller.raise_error()

    def _on_filter_edit_text_changed(self, text):
        self.file_model.set_filter(text)
        self._show_file_counts()

    def _on_file_header_section_clicked(self, section):
        header = self.file_view.horizontalHeader()
        if header.isSortIndicatorShown() and header.sortIndicatorSection() == section:
            order = (QtCore.Qt.DescendingOrder if header.sortIndicatorOrder() == QtCore.Qt.AscendingOrder
                     else QtCore.Qt.AscendingOrder)
        else:
            order = QtCore.Qt.AscendingOrder
        header.setSortIndicator(section, order)
        header.setSortIndicatorShown(True)
        self.file_model.sort(section, order)

    # -- queries (tests and hosts) ----------------------------------------------------
    def job_state_text(self, index):
        """What the jobs table says of job ``index`` ("submitted", "may have been created"...), or ""."""
        item = self._job_items.get(index)
        return item.text(1) if item is not None else ""

    def on_closing(self):
        self._clock.stop()
