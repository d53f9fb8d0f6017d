"""The list of asset paths found in the scene, with file counts and sizes.

Layer: ui. Rows are :class:`~ciokatana.core.submission.AssetRow` values made
on a worker thread; a path that names nothing on disk is marked missing
(error icon, red text). A model, not a widget per row, because a scene can
reference thousands of paths.
"""

from ciokatana.qt import QtCore, QtGui, QtWidgets
from ciokatana.ui import theme
from ciokatana.ui.compat import as_int, flags

COLUMNS = ("Path", "Files", "Size")
PATH, FILES, SIZE = range(len(COLUMNS))


class AssetModel(QtCore.QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows = []
        self._icons = {}
        self._base = ""

    def set_rows(self, rows, base=""):
        """Show rows (missing paths first); paths under ``base`` are shown relative to it."""
        rows = sorted(rows, key=lambda r: not r.missing)
        if rows == self._rows and base == self._base:
            return
        self.beginResetModel()
        self._rows = rows
        self._base = base
        self.endResetModel()

    def rows(self):
        return list(self._rows)

    def missing(self):
        return [r for r in self._rows if r.missing]

    def rowCount(self, parent=QtCore.QModelIndex()):
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QtCore.QModelIndex()):
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=QtCore.Qt.DisplayRole):
        if orientation == QtCore.Qt.Horizontal and role == QtCore.Qt.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index, role=QtCore.Qt.DisplayRole):
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == QtCore.Qt.DisplayRole:
            if column == PATH:
                return theme.short_path(row.source, self._base)
            if column == FILES:
                return "missing" if row.missing else "{:,}".format(row.file_count)
            if column == SIZE:
                return "" if row.missing else theme.human_bytes(row.size)
        if role == QtCore.Qt.ToolTipRole:
            if row.missing:
                return "{}\nMissing: nothing on disk matches this path ({}); it will not be uploaded".format(
                    row.source, row.location
                )
            return "{}\n{:,} file(s), {}".format(row.location, row.file_count, theme.human_bytes(row.size))
        if role == QtCore.Qt.DecorationRole and column == PATH:
            level = theme.ERROR if row.missing else theme.SUCCESS
            if level not in self._icons:
                self._icons[level] = theme.severity_icon(level, 14)
            return self._icons[level]
        if role == QtCore.Qt.ForegroundRole and row.missing:
            return QtGui.QBrush(theme.error_text(QtWidgets.QApplication.palette()))
        if role == QtCore.Qt.TextAlignmentRole and column in (FILES, SIZE):
            return as_int(flags(QtCore.Qt.AlignRight, QtCore.Qt.AlignVCenter))
        return None
