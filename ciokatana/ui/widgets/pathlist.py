"""A list of files and folders with Add File, Add Folder and Remove.

Layer: ui. Used for the extra assets to upload. Paths can be typed (Enter
adds) or browsed. Paths that name nothing on disk are marked with an error
icon and a tooltip; which ones are missing is told by the caller (the
controller finds out on a worker thread), so this widget never touches the
disk itself.
"""

from ciokatana.qt import QtCore, QtGui, QtWidgets, Signal
from ciokatana.ui import theme
from ciokatana.ui.widgets.filedialogs import ask_folder, ask_open_files


class PathListEditor(QtWidgets.QWidget):
    """Paths in a list, with ways to add and remove them.

    Attributes:
        choose_files / choose_folder: ``fn(parent, title, on_chosen)``,
            calling ``on_chosen([paths])`` once the artist has chosen; the
            file dialogs (opened without a nested event loop) by default;
            tests replace them.

    Signals:
        changed(): the list changed.
    """

    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.choose_files = ask_open_files
        self.choose_folder = ask_folder
        self._missing = set()
        self._checked = False

        self.list = QtWidgets.QListWidget()
        self.list.setSelectionMode(QtWidgets.QAbstractItemView.ExtendedSelection)
        self.list.setAlternatingRowColors(True)
        self.list.setTextElideMode(QtCore.Qt.ElideMiddle)
        self._fit_height()
        self.path_edit = QtWidgets.QLineEdit()
        self.path_edit.setPlaceholderText("Type a path and press Enter, or browse")
        self.path_edit.setToolTip("A file or folder to upload with every job; relative paths are relative to the scene file")
        self.add_files_button = QtWidgets.QPushButton("Add Files\u2026")
        self.add_files_button.setToolTip("Browse for files to upload with every job")
        self.add_folder_button = QtWidgets.QPushButton("Add Folder\u2026")
        self.add_folder_button.setToolTip("Browse for a folder; everything below it is uploaded")
        self.remove_button = QtWidgets.QPushButton("Remove")
        self.remove_button.setToolTip("Remove the selected paths from the list")
        self.remove_button.setEnabled(False)

        buttons = QtWidgets.QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.setSpacing(theme.SPACING)
        buttons.addWidget(self.path_edit, 1)
        buttons.addWidget(self.add_files_button)
        buttons.addWidget(self.add_folder_button)
        buttons.addWidget(self.remove_button)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.list)
        layout.addLayout(buttons)

        self.path_edit.returnPressed.connect(self._on_path_edit_return_pressed)
        self.add_files_button.clicked.connect(self._on_add_files_button_clicked)
        self.add_folder_button.clicked.connect(self._on_add_folder_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.list.itemSelectionChanged.connect(self._on_list_selection_changed)

    # -- values ------------------------------------------------------------
    def paths(self):
        return [self.list.item(i).data(QtCore.Qt.UserRole) for i in range(self.list.count())]

    def set_paths(self, paths):
        paths = list(paths)
        if paths == self.paths():
            return
        self.list.clear()
        for path in paths:
            self._append(path)
        self._fit_height()

    def _fit_height(self):
        rows = max(2, min(6, self.list.count()))
        row = self.list.sizeHintForRow(0) if self.list.count() else self.fontMetrics().height() + 6
        self.list.setFixedHeight(rows * max(row, 18) + 2 * self.list.frameWidth() + 4)

    def add_paths(self, paths):
        current = self.paths()
        new = [p for p in paths if p and p not in current]
        for path in new:
            self._append(path)
        if new:
            self.changed.emit()
        return new

    def set_missing(self, missing):
        """Mark these paths (as given to :meth:`set_paths`) as missing on disk."""
        self._missing = set(missing)
        self._checked = True
        for i in range(self.list.count()):
            self._decorate(self.list.item(i))

    def missing(self):
        return [p for p in self.paths() if p in self._missing]

    # -- internals ---------------------------------------------------------
    def _append(self, path):
        item = QtWidgets.QListWidgetItem(path)
        item.setData(QtCore.Qt.UserRole, path)
        self.list.addItem(item)
        self._decorate(item)
        self._fit_height()

    def _decorate(self, item):
        path = item.data(QtCore.Qt.UserRole)
        if path in self._missing:
            item.setIcon(theme.severity_icon(theme.ERROR, 14))
            item.setToolTip("{}\nMissing: nothing on disk at this path, so nothing will be uploaded".format(path))
            item.setForeground(theme.error_text(self.palette()))
        else:
            item.setIcon(theme.severity_icon(theme.SUCCESS, 14) if self._checked else QtGui.QIcon())
            item.setToolTip(path)
            item.setData(QtCore.Qt.ForegroundRole, None)

    def _on_path_edit_return_pressed(self):
        text = self.path_edit.text().strip()
        if text:
            self.add_paths([text])
            self.path_edit.clear()

    def _on_add_files_button_clicked(self):
        self.choose_files(self, "Extra files to upload", self.add_paths)

    def _on_add_folder_button_clicked(self):
        self.choose_folder(self, "Extra folder to upload", self.add_paths)

    def _on_remove_button_clicked(self):
        rows = sorted((self.list.row(i) for i in self.list.selectedItems()), reverse=True)
        for row in rows:
            self.list.takeItem(row)
        self._fit_height()
        if rows:
            self.changed.emit()

    def _on_list_selection_changed(self):
        self.remove_button.setEnabled(bool(self.list.selectedItems()))
