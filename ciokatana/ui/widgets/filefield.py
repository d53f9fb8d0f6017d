"""A file path field: a line edit with a Browse button.

Layer: ui. The browse function is an attribute so tests (and hosts with
their own file browsers) can replace it; by default it opens Qt's file
dialog without a nested event loop (:mod:`ciokatana.ui.widgets.filedialogs`),
to open an existing file or to name a file to write.
"""

from ciokatana.qt import QtWidgets, Signal
from ciokatana.ui import theme
from ciokatana.ui.widgets.filedialogs import ask_open_file, ask_save_file

MOCK_FILTER = "Mock files (*.json);;All files (*)"


def choose_open(parent, title, start, on_chosen):
    return ask_open_file(parent, title, start, on_chosen, MOCK_FILTER)


def choose_save(parent, title, start, on_chosen):
    return ask_save_file(parent, title, start, on_chosen, MOCK_FILTER)


class FileField(QtWidgets.QWidget):
    """Line edit + Browse. ``choose(parent, title, start, on_chosen)`` picks a file, then calls ``on_chosen(path)``.

    Signals:
        path_changed(str): typed or browsed.
    """

    path_changed = Signal(str)

    def __init__(self, title="Choose a file", parent=None):
        super().__init__(parent)
        self.title = title
        self.choose = choose_open
        self.edit = QtWidgets.QLineEdit()
        self.browse_button = QtWidgets.QPushButton("Browse\u2026")
        self.browse_button.setToolTip("Pick the file in a file browser")
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(theme.SPACING)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.browse_button)
        self.edit.textChanged.connect(self._on_edit_text_changed)
        self.browse_button.clicked.connect(self._on_browse_button_clicked)

    def path(self):
        return self.edit.text().strip()

    def set_path(self, path):
        path = path or ""
        if self.edit.text() != path:
            blocked = self.edit.blockSignals(True)
            self.edit.setText(path)
            self.edit.blockSignals(blocked)

    def _on_edit_text_changed(self, text):
        self.path_changed.emit(text.strip())

    def _on_browse_button_clicked(self):
        self.choose(self, self.title, self.path(), self._on_chosen)

    def _on_chosen(self, path):
        if path:
            self.edit.setText(path)
