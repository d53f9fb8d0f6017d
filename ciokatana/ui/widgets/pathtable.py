"""A filterable table of a submission's paths as the render node sees them.

Layer: ui. Shows :func:`ciokatana.core.pathmap.path_rows` (the scene file,
assets, extra assets and outputs): the path on the Linux render node, its
status (upload, on farm, missing), the local path, the node and any note.
A text filter matches every column; a status box narrows to one status;
columns sort on click. Self-contained: ``set_rows(rows)`` is all it needs.

A big scene has tens of thousands of paths, so the table costs nothing per
row it does not show: the model filters and sorts plain Python lists (the
lower-cased text of every row is worked out once, with :func:`prepare`,
which a caller can run on a worker thread), the view asks only for the
rows on screen, and the columns have fixed starting widths the artist can
drag (they are never sized to their contents, which would measure every
row).
"""

from ciokatana.core import pathmap
from ciokatana.qt import QtCore, QtWidgets
from ciokatana.ui.compat import as_int

COLUMNS = (("Status", "status"), ("Kind", "kind"), ("On the render node", "farm"), ("Here", "local"),
           ("Node", "nodes"), ("Note", "note"))
WIDTHS = (80, 80, 340, 300, 110)  # pixels; the last column stretches
ALL = "All paths"


class Prepared(object):
    """Rows with what filtering and sorting need, worked out once (safe on a worker thread)."""

    __slots__ = ("rows", "texts", "haystacks")

    def __init__(self, rows):
        self.rows = list(rows)
        self.texts = [tuple(str(getattr(row, attr) or "") for _title, attr in COLUMNS) for row in self.rows]
        self.haystacks = ["\n".join(texts).lower() for texts in self.texts]


def prepare(rows):
    """:class:`Prepared` rows for :meth:`PathTable.set_rows` (call it on a worker for big scenes)."""
    return rows if isinstance(rows, Prepared) else Prepared(rows)


class PathModel(QtCore.QAbstractTableModel):
    """Rows of :class:`~ciokatana.core.pathmap.PathRow`, filtered and sorted in Python.

    ``visible`` holds the indices of the rows shown, in the order shown.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self._data = Prepared([])
        self.visible = []
        self._text = ""
        self._status = ""
        self._sort = (-1, QtCore.Qt.AscendingOrder)

    # -- feeding -----------------------------------------------------------------
    def set_rows(self, rows):
        self.beginResetModel()
        self._data = prepare(rows)
        self.visible = self._filtered()
        self._apply_sort()
        self.endResetModel()

    def set_filter(self, text, status=""):
        text, status = text.strip().lower(), status or ""
        if (text, status) == (self._text, self._status):
            return
        self.beginResetModel()
        self._text, self._status = text, status
        self.visible = self._filtered()
        self._apply_sort()
        self.endResetModel()

    def _filtered(self):
        data, text, status = self._data, self._text, self._status
        status_column = 0
        return [i for i, haystack in enumerate(data.haystacks)
                if (not status or data.texts[i][status_column] == status) and (not text or text in haystack)]

    def _apply_sort(self):
        column, order = self._sort
        if column < 0:
            self.visible.sort()  # the planned order
            return
        texts = self._data.texts
        self.visible.sort(key=lambda i: texts[i][column].lower(),
                          reverse=as_int(order) == as_int(QtCore.Qt.DescendingOrder))

    def sort(self, column, order=QtCore.Qt.AscendingOrder):  # Qt override: header clicks
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self._apply_sort()
        self.layoutChanged.emit()

    # -- reading -----------------------------------------------------------------
    @property
    def total(self):
        return len(self._data.rows)

    def row(self, index):
        """The PathRow of row ``index`` of the *whole* list (not the visible one)."""
        return self._data.rows[index]

    def visible_row(self, position):
        return self._data.rows[self.visible[position]]

    def rowCount(self, parent=QtCore.QModelIndex()):
        return 0 if parent.isValid() else len(self.visible)

    def columnCount(self, parent=QtCore.QModelIndex()):
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index, role=QtCore.Qt.DisplayRole):
        if not index.isValid() or role not in (QtCore.Qt.DisplayRole, QtCore.Qt.ToolTipRole):
            return None
        return self._data.texts[self.visible[index.row()]][index.column()]

    def headerData(self, section, orientation, role=QtCore.Qt.DisplayRole):
        if role == QtCore.Qt.DisplayRole and orientation == QtCore.Qt.Horizontal:
            return COLUMNS[section][0]
        return None


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
        self.view = QtWidgets.QTableView()
        self.view.setModel(self.model)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(QtCore.Qt.ElideMiddle)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QtWidgets.QHeaderView.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate(WIDTHS):
            self.view.setColumnWidth(column, width)
        header.setSortIndicator(-1, QtCore.Qt.AscendingOrder)
        self.view.setSortingEnabled(True)  # planned order until a header is clicked
        vertical = self.view.verticalHeader()
        vertical.setVisible(False)
        vertical.setSectionResizeMode(QtWidgets.QHeaderView.Fixed)
        vertical.setDefaultSectionSize(max(22, self.fontMetrics().height() + 8))
        self.view.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectRows)
        self.view.setEditTriggers(QtWidgets.QAbstractItemView.NoEditTriggers)
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
        """Show these rows (PathRows, or :func:`prepare`'d ones; the filter and sort stay)."""
        self.model.set_rows(rows)
        self._show_count()

    def visible_rows(self):
        """The rows the filter lets through, in view order."""
        return [self.model.visible_row(i) for i in range(self.model.rowCount())]

    def _show_count(self):
        total = self.model.total
        shown = self.model.rowCount()
        self.count_label.setText("{:,} path(s)".format(total) if shown == total else "{:,} of {:,}".format(shown, total))

    def _on_filter_edit_changed(self, *_args):
        self.model.set_filter(self.filter_edit.text(), self.status_combo.currentData() or "")
        self._show_count()
