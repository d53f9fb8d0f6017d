"""File dialogs that never run an event loop of their own.

Layer: ui. Qt's static helpers (``QFileDialog.getOpenFileName`` and
friends) block in a nested event loop until the artist answers; inside
Katana that loop runs Katana's own events, timers and callbacks underneath
a half-finished action. Like the prompts (:mod:`ciokatana.ui.prompts`),
these open a window-modal dialog with ``open()`` and hand the answer to a
callback, so the caller's slot returns at once and nothing waits.
"""

from ciokatana.qt import QtCore, QtWidgets

JSON_FILTER = "JSON files (*.json);;All files (*)"


def _dialog(parent, title, start, name_filter):
    dialog = QtWidgets.QFileDialog(parent, title, start or "", name_filter or "")
    dialog.setWindowModality(QtCore.Qt.WindowModal)
    dialog.setAttribute(QtCore.Qt.WA_DeleteOnClose, True)
    return dialog


def ask_open_file(parent, title, start, on_chosen, name_filter=JSON_FILTER):
    """Ask for an existing file; ``on_chosen(path)`` follows a choice. Returns the open dialog."""
    dialog = _dialog(parent, title, start, name_filter)
    dialog.setFileMode(QtWidgets.QFileDialog.ExistingFile)
    dialog.setAcceptMode(QtWidgets.QFileDialog.AcceptOpen)
    dialog.fileSelected.connect(lambda path: on_chosen(path) if path else None)
    dialog.open()
    return dialog


def ask_save_file(parent, title, start, on_chosen, name_filter=JSON_FILTER, suffix="json"):
    """Ask for a file to write (Qt asks before replacing one); ``on_chosen(path)`` follows."""
    dialog = _dialog(parent, title, start, name_filter)
    dialog.setAcceptMode(QtWidgets.QFileDialog.AcceptSave)
    if suffix:
        dialog.setDefaultSuffix(suffix)
    dialog.fileSelected.connect(lambda path: on_chosen(path) if path else None)
    dialog.open()
    return dialog


def ask_open_files(parent, title, on_chosen):
    """Ask for existing files; ``on_chosen([paths])`` follows a choice."""
    dialog = _dialog(parent, title, "", "")
    dialog.setFileMode(QtWidgets.QFileDialog.ExistingFiles)
    dialog.filesSelected.connect(lambda paths: on_chosen(list(paths)) if paths else None)
    dialog.open()
    return dialog


def ask_folder(parent, title, on_chosen):
    """Ask for a folder; ``on_chosen([path])`` follows a choice."""
    dialog = _dialog(parent, title, "", "")
    dialog.setFileMode(QtWidgets.QFileDialog.Directory)
    dialog.setOption(QtWidgets.QFileDialog.ShowDirsOnly, True)
    dialog.fileSelected.connect(lambda path: on_chosen([path]) if path else None)
    dialog.open()
    return dialog
