"""Paints a file's upload progress in a table cell: a bar, or a "Cached" badge.

Layer: ui. A delegate, so ten thousand rows cost nothing until they are
scrolled into view. Colours come from the palette (highlight for the bar)
except the purple "Cached" badge, which is the same in every theme.
"""

from ciokatana.qt import QtCore, QtGui, QtWidgets
from ciokatana.ui import theme
from ciokatana.ui.compat import as_int, text_width
from ciokatana.ui.models import files


class FileProgressDelegate(QtWidgets.QStyledItemDelegate):
    """Draws ``ProgressRole`` (fraction, state) as a bar or a badge."""

    def paint(self, painter, option, index):
        value = index.data(files.ProgressRole)
        if not value:
            super().paint(painter, option, index)
            return
        fraction, state = value
        palette = option.palette
        painter.save()
        painter.setRenderHint(QtGui.QPainter.Antialiasing, True)
        style = option.widget.style() if option.widget is not None else QtWidgets.QApplication.style()
        style.drawPrimitive(QtWidgets.QStyle.PE_PanelItemViewItem, option, painter, option.widget)
        rect = QtCore.QRectF(option.rect).adjusted(4, 4, -4, -4)
        if state == files.CACHED:
            self._badge(painter, rect, option)
        else:
            track = theme.blend(palette.color(QtGui.QPalette.Base), palette.color(QtGui.QPalette.Text), 0.12)
            painter.setPen(QtCore.Qt.NoPen)
            painter.setBrush(track)
            painter.drawRoundedRect(rect, 3, 3)
            if fraction > 0:
                filled = QtCore.QRectF(rect)
                filled.setWidth(max(3.0, rect.width() * fraction))
                color = theme.accent(theme.SUCCESS) if state == files.DONE else palette.color(QtGui.QPalette.Highlight)
                painter.setBrush(color)
                painter.drawRoundedRect(filled, 3, 3)
            text = index.data(QtCore.Qt.DisplayRole) or ""
            if state == files.DONE:
                text = "Done"
            font = QtGui.QFont(option.font)
            font.setPointSizeF(max(7.0, font.pointSizeF() * 0.9))
            painter.setFont(font)
            if state == files.DONE:
                painter.setPen(QtGui.QColor("white"))  # on the fixed green
            elif fraction >= 0.5:
                painter.setPen(palette.color(QtGui.QPalette.HighlightedText))
            else:
                painter.setPen(palette.color(QtGui.QPalette.Text))
            painter.drawText(rect, as_int(QtCore.Qt.AlignCenter), text)
        painter.restore()

    def _badge(self, painter, rect, option):
        font = QtGui.QFont(option.font)
        font.setBold(True)
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
        metrics = QtGui.QFontMetricsF(font)
        width = text_width(metrics, "Cached")
        badge = QtCore.QRectF(rect.left(), rect.top(), width + 16, rect.height())
        painter.setPen(QtCore.Qt.NoPen)
        painter.setBrush(theme.accent(theme.CACHED))
        radius = badge.height() / 2.0
        painter.drawRoundedRect(badge, radius, radius)
        painter.setFont(font)
        painter.setPen(QtGui.QColor("white"))
        painter.drawText(badge, as_int(QtCore.Qt.AlignCenter), "Cached")

    def sizeHint(self, option, index):
        hint = super().sizeHint(option, index)
        return QtCore.QSize(max(hint.width(), 120), max(hint.height(), 22))
