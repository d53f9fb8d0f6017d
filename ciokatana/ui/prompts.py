"""Questions and messages to the artist, as window-modal message boxes.

Layer: ui. A :class:`Prompt` is a QMessageBox opened with ``open()``: it
blocks input to the dialog but not the event loop, so progress keeps
flowing and no nested event loop runs inside Katana. The answer arrives as
a key through ``answered``. Tests answer a prompt like an artist would, by
clicking its buttons (``prompt.button("save")``); the dialog keeps the open
prompt in ``dialog.prompt``.
"""

from ciokatana.qt import QtCore, QtWidgets, Signal

ACCEPT = QtWidgets.QMessageBox.AcceptRole
REJECT = QtWidgets.QMessageBox.RejectRole
DESTRUCTIVE = QtWidgets.QMessageBox.DestructiveRole
ICONS = {
    "error": QtWidgets.QMessageBox.Critical,
    "warning": QtWidgets.QMessageBox.Warning,
    "question": QtWidgets.QMessageBox.Question,
    "notice": QtWidgets.QMessageBox.Information,
}


class Prompt(QtWidgets.QMessageBox):
    """A message box whose buttons answer with keys.

    Args:
        parent: the dialog.
        level: ``error``, ``warning``, ``question`` or ``notice`` (the icon).
        title / text / informative: the window title, main and second text.
        buttons: ``[(key, label, role), ...]``; the first is the default,
            the last with RejectRole (if any) answers Escape and closing
            the box (the last button when none has RejectRole).

    Signals:
        answered(str): the key of the clicked button.
    """

    answered = Signal(str)

    def __init__(self, parent, level, title, text, buttons, informative="", details=""):
        super().__init__(parent)
        self.key = None
        self._buttons = {}
        self.setIcon(ICONS.get(level, QtWidgets.QMessageBox.NoIcon))
        self.setWindowTitle(title)
        self.setText(text)
        self.setTextFormat(QtCore.Qt.PlainText)
        if informative:
            self.setInformativeText(informative)
        if details:
            self.setDetailedText(details)
        self.setWindowModality(QtCore.Qt.WindowModal)
        escape = None
        for index, (key, label, role) in enumerate(buttons):
            button = self.addButton(label, role)
            self._buttons[key] = button
            if index == 0:
                self.setDefaultButton(button)
            if role == REJECT:
                escape = button
        if escape is not None:
            self.setEscapeButton(escape)
        self._fallback_key = buttons[-1][0]
        for key, _label, role in buttons:
            if role == REJECT:
                self._fallback_key = key
        self.buttonClicked.connect(self._on_buttonbox_clicked)
        self.finished.connect(self._on_finished)

    def button(self, key):
        """The push button answering ``key``."""
        return self._buttons[key]

    def keys(self):
        return list(self._buttons)

    def _on_finished(self, _result):
        # Closed without a button (the window's close box): answer as Escape would.
        if self.key is None:
            self.key = self._fallback_key
            self.answered.emit(self.key)

    def _on_buttonbox_clicked(self, button):
        for key, candidate in self._buttons.items():
            if candidate is button or candidate == button:
                self.key = key
                break
        if self.key is not None:
            self.answered.emit(self.key)
