"""A one-line notice across a page: a tinted strip with a severity icon and text.

Layer: ui. Used where the whole page needs a caveat, e.g. "Mock replay:
nothing is sent to Conductor" on the Progress tab, or "a submission is
running: changes apply to the next one" on the Configure tab. Colours come
from :mod:`ciokatana.ui.theme`, like the cards.
"""

from ciokatana.qt import QtCore, QtGui, QtWidgets
from ciokatana.ui import theme


class Banner(QtWidgets.QFrame):
    """A tinted strip: icon and word-wrapped text."""

    def __init__(self, level, text="", parent=None):
        super().__init__(parent)
        self.level = level
        self.setObjectName("banner_" + level)
        self.icon_label = QtWidgets.QLabel()
        self.icon_label.setFixedSize(18, 18)
        self.icon_label.setPixmap(theme.severity_pixmap(level, 16, self.devicePixelRatioF()))
        self.text_label = QtWidgets.QLabel(text)
        self.text_label.setWordWrap(True)
        self.text_label.setTextInteractionFlags(QtCore.Qt.TextSelectableByMouse)
        font = self.text_label.font()
        font.setBold(True)
        self.text_label.setFont(font)
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(theme.MARGIN + 4, 6, theme.MARGIN, 6)
        layout.setSpacing(theme.SPACING)
        layout.addWidget(self.icon_label, 0, QtCore.Qt.AlignTop)
        layout.addWidget(self.text_label, 1)

    def text(self):
        return self.text_label.text()

    def set_text(self, text):
        self.text_label.setText(text)
        self.setToolTip(text)

    def paintEvent(self, event):  # Qt override
        painter = QtGui.QPainter(self)
        painter.setRenderHint(QtGui.QPainter.Antialiasing, True)
        rect = QtCore.QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        path = QtGui.QPainterPath()
        path.addRoundedRect(rect, theme.CARD_RADIUS, theme.CARD_RADIUS)
        palette = self.palette()
        painter.fillPath(path, theme.tint(palette, self.level, 0.22 if theme.is_dark(palette) else 0.14))
        painter.setPen(QtGui.QPen(theme.accent(self.level), 1.0))
        painter.drawPath(path)
        painter.setClipPath(path)
        painter.fillRect(QtCore.QRectF(rect.left(), rect.top(), 5, rect.height()), theme.accent(self.level))
        painter.end()
