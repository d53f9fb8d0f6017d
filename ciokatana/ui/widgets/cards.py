"""Cards: a tinted box with a severity stripe, icon, title, message, details.

Layer: ui. The Validation tab shows one card per finding and the Response
tab one per job. The colours come from :mod:`ciokatana.ui.theme`: the
background is the palette's base tinted with the severity accent, so cards
read in dark and light themes alike. Long details (a traceback, a list of
missing files) stay folded behind a "Show details" button.
"""

from ciokatana.qt import QtCore, QtGui, QtWidgets
from ciokatana.ui import theme
from ciokatana.ui.compat import flags


class Card(QtWidgets.QFrame):
    """One card.

    Args:
        level: ``error``, ``warning``, ``notice`` or ``success``.
        title: the bold first line (what or where).
        message: the text below it.
        details: folded text shown by "Show details" (no button when empty).
    """

    def __init__(self, level, title, message="", details="", parent=None):
        super().__init__(parent)
        self.level = level
        self.setObjectName("card_" + level)
        self.setSizePolicy(QtWidgets.QSizePolicy.Preferred, QtWidgets.QSizePolicy.Maximum)

        self.icon_label = QtWidgets.QLabel()
        self.icon_label.setPixmap(theme.severity_pixmap(level, 20, self.devicePixelRatioF()))
        self.icon_label.setFixedSize(22, 22)
        self.icon_label.setAlignment(flags(QtCore.Qt.AlignTop, QtCore.Qt.AlignHCenter))
        self.icon_label.setToolTip(level.capitalize())
        self.title_label = QtWidgets.QLabel(title)
        font = self.title_label.font()
        font.setBold(True)
        self.title_label.setFont(font)
        self.title_label.setWordWrap(True)
        self.title_label.setTextInteractionFlags(QtCore.Qt.TextSelectableByMouse)
        self.message_label = QtWidgets.QLabel(message)
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(QtCore.Qt.TextSelectableByMouse)
        self.message_label.setVisible(bool(message))
        self.extra = QtWidgets.QHBoxLayout()
        self.extra.setContentsMargins(0, 2, 0, 0)
        self.extra.setSpacing(theme.SPACING)
        self.details_button = QtWidgets.QPushButton("Show details")
        self.details_button.setCheckable(True)
        self.details_button.setAutoDefault(False)  # Enter in the dialog presses no button
        self.details_button.setToolTip("Show or hide the full details")
        self.details_button.setVisible(bool(details))
        self.details_view = QtWidgets.QPlainTextEdit(details)
        self.details_view.setReadOnly(True)
        self.details_view.setFont(theme.monospace_font())
        self.details_view.setLineWrapMode(QtWidgets.QPlainTextEdit.NoWrap)
        self._fit_details(details)
        self.details_view.setVisible(False)

        text_box = QtWidgets.QVBoxLayout()
        text_box.setContentsMargins(0, 0, 0, 0)
        text_box.setSpacing(3)
        text_box.addWidget(self.title_label)
        text_box.addWidget(self.message_label)
        text_box.addLayout(self.extra)
        self.extra.addStretch(1)
        self.extra.addWidget(self.details_button)
        top = QtWidgets.QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.setSpacing(theme.SPACING + 2)
        top.addWidget(self.icon_label, 0, QtCore.Qt.AlignTop)
        top.addLayout(text_box, 1)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(theme.MARGIN + 6, theme.MARGIN - 2, theme.MARGIN, theme.MARGIN - 2)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.details_view)

        self.details_button.toggled.connect(self._on_details_button_toggled)

    @property
    def title(self):
        return self.title_label.text()

    @property
    def message(self):
        return self.message_label.text()

    @property
    def details(self):
        return self.details_view.toPlainText()

    def _fit_details(self, text):
        lines = max(2, min(16, len(text.splitlines()) + 1))
        metrics = self.details_view.fontMetrics()
        self.details_view.setFixedHeight(lines * metrics.lineSpacing() + 2 * self.details_view.frameWidth() + 10)

    def add_widget(self, widget):
        """Put a widget (a link button...) on the row with "Show details", before it."""
        self.extra.insertWidget(self.extra.count() - 2, widget)

    def _on_details_button_toggled(self, checked):
        self.details_view.setVisible(checked)
        self.details_button.setText("Hide details" if checked else "Show details")

    def paintEvent(self, event):  # Qt override
        painter = QtGui.QPainter(self)
        painter.setRenderHint(QtGui.QPainter.Antialiasing, True)
        palette = self.palette()
        rect = QtCore.QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        path = QtGui.QPainterPath()
        path.addRoundedRect(rect, theme.CARD_RADIUS, theme.CARD_RADIUS)
        painter.fillPath(path, theme.tint(palette, self.level))
        border = theme.blend(palette.color(QtGui.QPalette.Base), theme.accent(self.level), 0.45)
        painter.setPen(QtGui.QPen(border, 1.0))
        painter.drawPath(path)
        painter.setClipPath(path)
        painter.fillRect(QtCore.QRectF(rect.left(), rect.top(), 4, rect.height()), theme.accent(self.level))
        painter.end()


class LinkButton(QtWidgets.QPushButton):
    """A flat button that reads like a link; ``url`` is kept (and is the tooltip unless one is given)."""

    def __init__(self, text, url="", parent=None, tooltip=None):
        super().__init__(text, parent)
        self.url = url
        self.setFlat(True)
        self.setAutoDefault(False)
        self.setToolTip(tooltip or url)
        self.setCursor(QtGui.QCursor(QtCore.Qt.PointingHandCursor))
        font = self.font()
        font.setUnderline(True)
        self.setFont(font)
        self.setStyleSheet("QPushButton { color: palette(link); text-align: left; padding: 2px 0px; border: none; }")


class CardList(QtWidgets.QScrollArea):
    """A scrolling column of cards with a message when there are none."""

    def __init__(self, empty_text="", parent=None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QtWidgets.QFrame.NoFrame)
        self._inner = QtWidgets.QWidget()
        self._layout = QtWidgets.QVBoxLayout(self._inner)
        self._layout.setContentsMargins(0, 0, 4, 0)
        self._layout.setSpacing(theme.SPACING)
        self.empty_label = QtWidgets.QLabel(empty_text)
        self.empty_label.setAlignment(QtCore.Qt.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setEnabled(False)
        self._layout.addWidget(self.empty_label)
        self._layout.addStretch(1)
        self.setWidget(self._inner)
        # Let the page show through, so the list is not a differently shaded box.
        self.viewport().setAutoFillBackground(False)
        self._inner.setAutoFillBackground(False)
        self._cards = []

    def cards(self):
        return list(self._cards)

    def add_card(self, card):
        self._layout.insertWidget(self._layout.count() - 1, card)
        self._cards.append(card)
        self.empty_label.setVisible(False)
        return card

    def clear(self):
        for card in self._cards:
            self._layout.removeWidget(card)
            card.hide()
            card.deleteLater()
        self._cards = []
        self.empty_label.setVisible(True)

    def set_empty_text(self, text):
        self.empty_label.setText(text)
