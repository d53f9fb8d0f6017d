"""A titled section whose body folds away, used by the Configure tab.

Layer: ui. The header is a flat, checkable tool button with an arrow; the
body is any widget. Folding keeps the widget alive, so values are kept.
"""

from ciokatana.qt import QtCore, QtWidgets, Signal
from ciokatana.ui import theme


class CollapsibleSection(QtWidgets.QWidget):
    """A header button that shows or hides a body widget.

    Signals:
        toggled(bool): the section was expanded (True) or folded.
    """

    toggled = Signal(bool)

    def __init__(self, title, body=None, expanded=True, tooltip="", parent=None):
        super().__init__(parent)
        self._header = QtWidgets.QToolButton(self)
        self._header.setText(title)
        self._header.setCheckable(True)
        self._header.setChecked(expanded)
        self._header.setAutoRaise(True)
        self._header.setToolButtonStyle(QtCore.Qt.ToolButtonTextBesideIcon)
        self._header.setSizePolicy(QtWidgets.QSizePolicy.Expanding, QtWidgets.QSizePolicy.Fixed)
        self._header.setToolTip(tooltip or "Click to show or hide the {} settings".format(title))
        font = self._header.font()
        font.setBold(True)
        self._header.setFont(font)
        self._rule = QtWidgets.QFrame(self)
        self._rule.setFrameShape(QtWidgets.QFrame.HLine)
        self._rule.setFrameShadow(QtWidgets.QFrame.Sunken)
        self._body = QtWidgets.QWidget(self)
        self._body_layout = QtWidgets.QVBoxLayout(self._body)
        self._body_layout.setContentsMargins(theme.MARGIN + 8, 4, 2, theme.MARGIN)

        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self._header)
        layout.addWidget(self._rule)
        layout.addWidget(self._body)

        self._header.toggled.connect(self._on_header_toggled)
        if body is not None:
            self.set_body(body)
        self._apply(expanded)

    @property
    def title(self):
        return self._header.text()

    @property
    def header(self):
        return self._header

    def set_body(self, widget):
        self._body_layout.addWidget(widget)

    def body(self):
        return self._body

    def is_expanded(self):
        return self._header.isChecked()

    def set_expanded(self, expanded):
        self._header.setChecked(bool(expanded))

    def _apply(self, expanded):
        self._header.setArrowType(QtCore.Qt.DownArrow if expanded else QtCore.Qt.RightArrow)
        self._body.setVisible(expanded)

    def _on_header_toggled(self, checked):
        self._apply(checked)
        self.toggled.emit(checked)
