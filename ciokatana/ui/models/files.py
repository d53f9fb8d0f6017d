"""The files being uploaded, with each file's progress: a view of a FileTally.

Layer: ui. The figures live in a :class:`~ciokatana.ui.runs.FileTally`
owned by the run's record (the single source the stats line and the
per-job summary also read); this model only shows them. After the record
has applied an event, :meth:`FileProgressModel.sync` announces the rows the
tally gained in one ``beginInsertRows`` and the rows it changed as one
``dataChanged`` range, so tens of thousands of files stay smooth. Per-file
byte figures are true bytes.

Files already on Conductor ("cached"), and files ciocore has not checked
yet, are shown with the size the plan measured (ciocore reports 0 bytes to
upload for them).

Sorting and filtering are done here, not by a QSortFilterProxyModel: a
proxy over 20,000 rows that gain rows and change many times a second held
the event loop for hundreds of milliseconds. The model keeps a row order
only while the artist sorts or filters; files that arrive meanwhile are
appended (when they match the filter) until the next sort.
"""

from ciokatana.qt import QtCore
from ciokatana.ui import theme
from ciokatana.ui.compat import as_int, flags
from ciokatana.ui.runs import FileTally

COLUMNS = ("File", "Size", "Progress")
PATH, SIZE, PROGRESS = range(len(COLUMNS))
ProgressRole = as_int(QtCore.Qt.UserRole) + 1

HASHING, QUEUED, UPLOADING, DONE, CACHED = "hashing", "queued", "uploading", "done", "cached"
STATE_ORDER = {HASHING: 0, QUEUED: 1, UPLOADING: 2, DONE: 3, CACHED: 4}


def _state(size, done, cached, hashed):
    if cached:
        return CACHED
    if size and done >= size:
        return DONE
    if done > 0:
        return UPLOADING
    return QUEUED if hashed else HASHING


class FileProgressModel(QtCore.QAbstractTableModel):
    """One row per file of a tally: path, size, and (fraction, state) for the delegate."""

    def __init__(self, parent=None, tally=None):
        super().__init__(parent)
        self._tally = tally if tally is not None else FileTally()
        self._rows = len(self._tally)
        self._base = ""
        self._sizes = {}
        self._order = None  # tally rows in view order while sorted or filtered
        self._filter = ""
        self._sort = None  # (column, descending)
        self.syncs = 0

    def set_base(self, folder):
        """Show paths under ``folder`` relative to it (the scene's folder)."""
        self._base = folder or ""

    def set_known_sizes(self, sizes):
        """``{path: bytes}`` from the plan, shown for cached files."""
        self._sizes = dict(sizes or {})

    @property
    def tally(self):
        return self._tally

    def set_tally(self, tally):
        """Show another tally (a new job's upload); the view resets."""
        self.beginResetModel()
        self._tally = tally if tally is not None else FileTally()
        self._tally.take_changes()
        self._rows = len(self._tally)
        self._order = self._ordered(range(self._rows))
        self.endResetModel()

    # -- sorting and filtering -----------------------------------------------------
    def set_filter(self, text):
        """Show only files whose path contains ``text`` (any case)."""
        text = (text or "").strip().lower()
        if text == self._filter:
            return
        self.beginResetModel()
        self._filter = text
        self._order = self._ordered(range(self._rows))
        self.endResetModel()

    def sort(self, column, order=QtCore.Qt.AscendingOrder):  # Qt override
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order == QtCore.Qt.DescendingOrder)
        self._order = self._ordered(range(self._rows))
        self.layoutChanged.emit()

    def _matches(self, row):
        return not self._filter or self._filter in self._tally.paths[row].lower()

    def _ordered(self, rows):
        if not self._filter and self._sort is None:
            return None
        kept = [row for row in rows if self._matches(row)]
        if self._sort is not None:
            column, descending = self._sort
            kept.sort(key=lambda row: self._sort_key(row, column), reverse=descending)
        return kept

    def _sort_key(self, row, column):
        if column == PATH:
            return self._tally.paths[row].lower()
        if column == SIZE:
            return self._size(row) or 0
        fraction, state = self._progress(row)
        return STATE_ORDER[state] + fraction

    def _source_row(self, row):
        return self._order[row] if self._order is not None else row

    def clear(self):
        self.set_tally(FileTally())

    def sync(self):
        """Announce what the tally gained and changed since the last sync."""
        self.syncs += 1
        changed = self._tally.take_changes()
        shown = self.rowCount()
        if changed is not None and shown:
            if self._order is None:
                first, last = changed[0], min(changed[1], shown - 1)
            else:
                first, last = 0, shown - 1  # rows are scattered in a sorted view: repaint what shows
            if first <= last:
                self.dataChanged.emit(self.index(first, SIZE), self.index(last, PROGRESS), [])
        count = len(self._tally)
        if count <= self._rows:
            return
        new = range(self._rows, count)
        if self._order is None:
            self.beginInsertRows(QtCore.QModelIndex(), self._rows, count - 1)
            self._rows = count
            self.endInsertRows()
            return
        kept = [row for row in new if self._matches(row)]
        self._rows = count
        if kept:
            start = len(self._order)
            self.beginInsertRows(QtCore.QModelIndex(), start, start + len(kept) - 1)
            self._order.extend(kept)
            self.endInsertRows()

    # -- totals (read from the tally) -------------------------------------------
    @property
    def cached_count(self):
        return self._tally.cached

    @property
    def total_bytes(self):
        return self._tally.total_bytes

    @property
    def uploaded_bytes(self):
        return self._tally.uploaded_bytes

    # -- queries -------------------------------------------------------------
    def paths(self):
        return list(self._tally.paths[: self._rows])

    def file_state(self, path):
        """(fraction 0..1, state) of a path, or None."""
        row = self._tally.row_of(path)
        return None if row is None or row >= self._rows else self._progress(row)

    def _progress(self, row):
        size, uploaded, cached, hashed = self._tally.values[row]
        state = _state(size, uploaded, cached, hashed)
        if state in (CACHED, DONE):
            fraction = 1.0
        else:
            fraction = (float(uploaded) / size) if size else 0.0
        return (max(0.0, min(1.0, fraction)), state)

    def _size(self, row):
        size, _uploaded, cached, _hashed = self._tally.values[row]
        if not size:  # ciocore reports 0 for cached files, and for any file until it is checked
            known = self._sizes.get(self._tally.paths[row])
            if known is not None or cached:
                return known
        return size

    # -- Qt model API --------------------------------------------------------
    def rowCount(self, parent=QtCore.QModelIndex()):
        if parent.isValid():
            return 0
        return len(self._order) if self._order is not None else self._rows

    def columnCount(self, parent=QtCore.QModelIndex()):
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=QtCore.Qt.DisplayRole):
        if orientation == QtCore.Qt.Horizontal and role == QtCore.Qt.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index, role=QtCore.Qt.DisplayRole):
        if not index.isValid() or index.row() >= self.rowCount():
            return None
        row = self._source_row(index.row())
        column = index.column()
        if role == QtCore.Qt.DisplayRole:
            if column == PATH:
                return theme.short_path(self._tally.paths[row], self._base)
            if column == SIZE:
                size = self._size(row)
                return "\u2014" if size is None else theme.human_bytes(size)
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
            size, uploaded = self._tally.values[row][0], self._tally.values[row][1]
            if state == CACHED:
                what = "already on Conductor, not uploaded again"
            elif state == HASHING:
                what = "computing its MD5"
            else:
                what = "{} of {} uploaded".format(theme.human_bytes(uploaded), theme.human_bytes(size))
            return "{}\n{}".format(self._tally.paths[row], what)
        if role == QtCore.Qt.TextAlignmentRole and column == SIZE:
            return as_int(flags(QtCore.Qt.AlignRight, QtCore.Qt.AlignVCenter))
        return None
