"""The files of the job being uploaded, with each file's progress.

Layer: ui. Built for tens of thousands of files: rows live in flat Python
lists (no item objects), :meth:`FileProgressModel.update` takes a whole or
partial ``file_progress`` map (see :mod:`ciokatana.core.events`), appends
new paths in one ``beginInsertRows`` and reports changed rows as one
``dataChanged`` range, and totals are kept incrementally. Per-file byte
figures are true bytes (only ciocore's job totals are inflated x1024).

:meth:`FileProgressModel.queue` is the UI's way in: maps are merged into a
pending map that is applied a slice at a time from zero-delay timers, so a
20,000-file map never holds the event loop for more than a slice;
``busy_changed`` tells the bridge to hold producers back meanwhile.
"""

from itertools import islice

from ciokatana.qt import QtCore, Signal
from ciokatana.ui import theme
from ciokatana.ui.compat import as_int, flags

COLUMNS = ("File", "Size", "Progress")
PATH, SIZE, PROGRESS = range(len(COLUMNS))
ProgressRole = as_int(QtCore.Qt.UserRole) + 1

HASHING, QUEUED, UPLOADING, DONE, CACHED = "hashing", "queued", "uploading", "done", "cached"
SLICE = 2500


def _state(size, done, cached, hashed):
    if cached:
        return CACHED
    if size and done >= size:
        return DONE
    if done > 0:
        return UPLOADING
    return QUEUED if hashed else HASHING


class FileProgressModel(QtCore.QAbstractTableModel):
    """One row per file: path, size, and (fraction, state) for the delegate.

    Signals:
        busy_changed(bool): queued updates are (no longer) waiting to be applied.
        applied(): a slice of queued updates was applied (totals changed).
    """

    busy_changed = Signal(bool)
    applied = Signal()

    def __init__(self, parent=None, slice_size=SLICE):
        super().__init__(parent)
        self._pending = {}
        self._base = ""
        self._slice = slice_size
        self._apply_timer = QtCore.QTimer(self)
        self._apply_timer.setSingleShot(True)
        self._apply_timer.setInterval(0)
        self._apply_timer.timeout.connect(self._apply_slice)
        self._paths = []
        self._rows = {}
        self._values = []  # per row: [size, uploaded, cached, hashed]
        self.cached_count = 0
        self.total_bytes = 0
        self.uploaded_bytes = 0
        self.updates = 0

    def set_base(self, folder):
        """Show paths under ``folder`` relative to it (the scene's folder)."""
        self._base = folder or ""

    # -- queued, sliced updates (the UI's way in) ---------------------------
    @property
    def pending(self):
        """How many queued file updates are not applied yet."""
        return len(self._pending)

    def queue(self, file_progress):
        """Merge a (whole or partial) map into the pending updates; apply soon, in slices."""
        if not file_progress:
            return
        was_idle = not self._pending
        self._pending.update(file_progress)
        if was_idle:
            self.busy_changed.emit(True)
            self._apply_timer.start()

    def apply_pending(self):
        """Apply every queued update now."""
        while self._pending:
            self._apply_slice()

    def _apply_slice(self):
        if not self._pending:
            return
        if len(self._pending) <= self._slice:
            chunk, self._pending = self._pending, {}
        else:
            keys = list(islice(self._pending, self._slice))
            chunk = {k: self._pending.pop(k) for k in keys}
        self.update(chunk)
        self.applied.emit()
        if self._pending:
            self._apply_timer.start()
        else:
            self.busy_changed.emit(False)

    def clear(self):
        if self._pending:
            self._pending = {}
            self._apply_timer.stop()
            self.busy_changed.emit(False)
        self.beginResetModel()
        self._paths = []
        self._rows = {}
        self._values = []
        self.cached_count = 0
        self.total_bytes = 0
        self.uploaded_bytes = 0
        self.endResetModel()

    def update(self, file_progress):
        """Apply a (whole or partial) ``file_progress`` map."""
        self.updates += 1
        values = self._values
        rows = self._rows
        first = last = None
        new = []
        for path, info in file_progress.items():
            info = info or {}
            entry = [
                int(info.get("bytes_to_upload") or 0),
                int(info.get("bytes_uploaded") or 0),
                bool(info.get("already_uploaded")),
                bool(info.get("md5")),
            ]
            row = rows.get(path)
            if row is None:
                new.append((path, entry))
                continue
            old = values[row]
            if old == entry:
                continue
            self._account(old, -1)
            self._account(entry, 1)
            values[row] = entry
            if first is None or row < first:
                first = row
            if last is None or row > last:
                last = row
        if first is not None:
            self.dataChanged.emit(self.index(first, SIZE), self.index(last, PROGRESS), [])
        if new:
            start = len(self._paths)
            self.beginInsertRows(QtCore.QModelIndex(), start, start + len(new) - 1)
            for offset, (path, entry) in enumerate(new):
                rows[path] = start + offset
                self._paths.append(path)
                values.append(entry)
                self._account(entry, 1)
            self.endInsertRows()

    def _account(self, entry, sign):
        size, uploaded, cached, _hashed = entry
        if cached:
            self.cached_count += sign
        else:
            self.total_bytes += sign * size
            self.uploaded_bytes += sign * min(uploaded, size)

    # -- queries -------------------------------------------------------------
    def paths(self):
        return list(self._paths)

    def file_state(self, path):
        """(fraction 0..1, state) of a path, or None."""
        row = self._rows.get(path)
        return None if row is None else self._progress(row)

    def _progress(self, row):
        size, uploaded, cached, hashed = self._values[row]
        state = _state(size, uploaded, cached, hashed)
        if state in (CACHED, DONE):
            fraction = 1.0
        else:
            fraction = (float(uploaded) / size) if size else 0.0
        return (max(0.0, min(1.0, fraction)), state)

    # -- Qt model API --------------------------------------------------------
    def rowCount(self, parent=QtCore.QModelIndex()):
        return 0 if parent.isValid() else len(self._paths)

    def columnCount(self, parent=QtCore.QModelIndex()):
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=QtCore.Qt.DisplayRole):
        if orientation == QtCore.Qt.Horizontal and role == QtCore.Qt.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index, role=QtCore.Qt.DisplayRole):
        if not index.isValid():
            return None
        row = index.row()
        if row >= len(self._paths):
            return None
        column = index.column()
        if role == QtCore.Qt.DisplayRole:
            if column == PATH:
                return theme.short_path(self._paths[row], self._base)
            if column == SIZE:
                size, _uploaded, cached, _hashed = self._values[row]
                return "\u2014" if cached and not size else theme.human_bytes(size)
            fraction, state = self._progress(row)
            if state == CACHED:
                return "Cached"
            if state == HASHING:
                return "Hashing"
            return "{:.0f}%".format(fraction * 100)
        if role == ProgressRole:
            return self._progress(row)
        if role == QtCore.Qt.ToolTipRole:
            fraction, state = self._progress(row)
            size, uploaded = self._values[row][0], self._values[row][1]
            if state == CACHED:
                what = "already on Conductor, not uploaded again"
            elif state == HASHING:
                what = "computing its MD5"
            else:
                what = "{} of {} uploaded".format(theme.human_bytes(uploaded), theme.human_bytes(size))
            return "{}\n{}".format(self._paths[row], what)
        if role == QtCore.Qt.TextAlignmentRole and column == SIZE:
            return as_int(flags(QtCore.Qt.AlignRight, QtCore.Qt.AlignVCenter))
        return None
