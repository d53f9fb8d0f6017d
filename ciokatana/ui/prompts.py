"""Questions and messages to the artist, as window-modal message boxes.

Layer: ui. A :class:`Prompt` is a QMessageBox opened with ``open()``: it
blocks input to the dialog but not the event loop, so progress keeps
flowing and no nested event loop runs inside Katana. The answer arrives as
a key through ``answered``. Tests answer a prompt like an artist would, by
clicking its buttons (``prompt.button("save")``); the dialog keeps the open
prompt in ``dialog.prompt``.

No prompt defaults to the answer that spends money or destroys work: the
default button (the one Enter presses) is the safe answer - the button with
RejectRole unless the caller names another safe one - so an Enter typed a
moment too late never submits, resubmits or cancels a run.
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
        buttons: ``[(key, label, role), ...]``. The last button with
            RejectRole (if any) answers Escape and closing the box (the last
            button when none has RejectRole).
        default: the key of the button Enter presses; by default the
            Escape answer, so Enter never picks an action that spends money
            or destroys work.

    Signals:
        answered(str): the key of the clicked button.
    """

    answered = Signal(str)

    def __init__(self, parent, level, title, text, buttons, informative="", details="", default=None):
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
        self._fallback_key = buttons[-1][0]
        for key, label, role in buttons:
            self._buttons[key] = self.addButton(label, role)
            if role == REJECT:
                self._fallback_key = key
        self.setEscapeButton(self._buttons[self._fallback_key])
        self.default_key = default if default in self._buttons else self._fallback_key
        self.setDefaultButton(self._buttons[self.default_key])
        self.buttonClicked.connect(self._on_buttonbox_clicked)
        self.finished.connect(self._on_finished)

    def button(self, key):
        """The push button answering ``key``."""
        return self._buttons[key]

    def keys(self):
        return list(self._buttons)

    def showEvent(self, event):  # Qt override
        super().showEvent(event)
        # Keyboard focus on the safe answer too, so Enter and Space agree.
        self._buttons[self.default_key].setFocus(QtCore.Qt.OtherFocusReason)

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


def open_prompt(owner, prompt, on_answer):
    """Open ``prompt`` window-modally as ``owner.prompt`` (closing the one open before).

    ``owner.prompt`` is cleared once answered; ``on_answer(key)`` gets the
    answer. No nested event loop: the caller returns at once.
    """
    if owner.prompt is not None:
        owner.prompt.close()
    owner.prompt = prompt

    def answered(key):
        if owner.prompt is prompt:
            owner.prompt = None
        prompt.deleteLater()
        if on_answer is not None:
            on_answer(key)

    prompt.answered.connect(answered)
    prompt.open()
    return prompt
