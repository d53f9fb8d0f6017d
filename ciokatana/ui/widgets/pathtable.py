"""A filterable table of a submission's paths as the render node sees them.

Layer: ui. Shows :func:`ciokatana.core.pathmap.path_rows` (the scene file,
assets, extra assets and outputs): the path on the Linux render node, its
status (upload, on farm, missing), the local path, the node and any note.
A text filter matches every column; a status box narrows to one status;
columns sort on click. Self-contained: ``set_rows(rows)`` is all it needs.
"""

from ciokatana.core import pathmap
from ciokatana.qt import QtCore, QtWidgets

COLUMNS = (("Status", "status"), ("Kind", "kind"), ("On the render node", "farm"), ("Here", "local"),
           ("Node", "nodes"), ("Note", "note"))
ALL = "All paths"


class PathModel(QtCore.QAbstractTableModel):
    """Rows of :class:`~ciokatana.core.pathmap.PathRow`."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows = []

    def set_rows(self, rows):
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, index):
        return self._rows[index]

    def rowCount(self, parent=QtCore.QModelIndex()):
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QtCore.QModelIndex()):
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index, role=QtCore.Qt.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        value = getattr(row, COLUMNS[index.column()][1])
        if role in (QtCore.Qt.DisplayRole, QtCore.Qt.ToolTipRole):
            return value
        return None

    def headerData(self, section, orientation, role=QtCore.Qt.DisplayRole):
        if role == QtCore.Qt.DisplayRole and orientation == QtCore.Qt.Horizontal:
            return COLUMNS[section][0]
        return None


class PathFilter(QtCore.QSortFilterProxyModel):
    """Keeps rows whose columns contain the text and whose status matches."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._text = ""
        self._status = ""

    def set_filter(self, text, status=""):
        self._text = text.strip()
        self._status = status
        self.invalidateFilter()

    def filterAcceptsRow(self, source_row, source_parent):
        row = self.sourceModel().row(source_row)
        if self._status and row.status != self._status:
            return False
        return not self._text or row.matches(self._text)


class PathTable(QtWidgets.QWidget):
    """Filter line, status box, count, and the table."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.filter_edit = QtWidgets.QLineEdit()
        self.filter_edit.setPlaceholderText("Filter paths (any column)")
        self.filter_edit.setClearButtonEnabled(True)
        self.status_combo = QtWidgets.QComboBox()
        self.status_combo.addItem(ALL, "")
        for status in pathmap.STATUSES:
            self.status_combo.addItem(status.capitalize(), status)
        self.count_label = QtWidgets.QLabel()
        self.model = PathModel(self)
        self.proxy = PathFilter(self)
        self.proxy.setSourceModel(self.model)
        self.view = QtWidgets.QTableView()
        self.view.setModel(self.proxy)
        self.view.horizontalHeader().setSortIndicator(-1, QtCore.Qt.AscendingOrder)
        self.view.setSortingEnabled(True)  # planned order until a header is clicked
        self.proxy.sort(-1)
        self.view.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectRows)
        self.view.setEditTriggers(QtWidgets.QAbstractItemView.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.setToolTip("Every scene, asset and output path as the Linux render node sees it "
                             "(drive letters removed, forward slashes), and whether it is uploaded, "
                             "already on the farm (outputs) or missing here")

        bar = QtWidgets.QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.filter_edit, 1)
        bar.addWidget(self.status_combo)
        bar.addWidget(self.count_label)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)

        self.filter_edit.textChanged.connect(self._on_filter_edit_changed)
        self.status_combo.currentIndexChanged.connect(self._on_filter_edit_changed)
        self._show_count()

    def set_rows(self, rows):
        self.model.set_rows(rows)
        self.view.resizeColumnsToContents()
        self._show_count()

    def visible_rows(self):
        """The rows the filter lets through, in view order."""
        return [self.model.row(self.proxy.mapToSource(self.proxy.index(i, 0)).row())
                for i in range(self.proxy.rowCount())]

    def _show_count(self):
        total = self.model.rowCount()
        shown = self.proxy.rowCount()
        self.count_label.setText("{} path(s)".format(total) if shown == total else "{} of {}".format(shown, total))

    def _on_filter_edit_changed(self, *_args):
        self.proxy.set_filter(self.filter_edit.text(), self.status_combo.currentData() or "")
        self._show_count()
