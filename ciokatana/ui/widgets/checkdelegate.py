"""A check box painted in a table cell, centred and visible in any theme.

Layer: ui. Item views draw check boxes with the style's item indicator,
which some dark palettes render almost invisibly (the box outline is the
window colour darkened, on a base of nearly the same shade). This
delegate paints its own: a rounded box outlined in the text colour and,
when checked, filled with the highlight colour and a tick. A click on the
box (not elsewhere in the cell: a click meant to select the row, or one
that lands as the table moves, must not write to the node) or Space
toggles it through the model's ``setData``.
"""

from ciokatana.qt import QtCore, QtGui, QtWidgets
from ciokatana.ui import theme
from ciokatana.ui.compat import check_state, has_flag, is_checked

BOX = 14
SLACK = 4  # pixels around the box a click may miss by


def box_rect(cell):
    """The check box's rectangle, centred in the cell rectangle ``cell`` (a QRect)."""
    rect = QtCore.QRectF(0, 0, BOX, BOX)
    rect.moveCenter(QtCore.QRectF(cell).center())
    return rect


class CheckDelegate(QtWidgets.QStyledItemDelegate):
    def paint(self, painter, option, index):
        style = option.widget.style() if option.widget is not None else QtWidgets.QApplication.style()
        style.drawPrimitive(QtWidgets.QStyle.PE_PanelItemViewItem, option, painter, option.widget)
        checked = is_checked(index.data(QtCore.Qt.CheckStateRole))
        enabled = has_flag(index.flags(), QtCore.Qt.ItemIsEnabled)
        palette = option.palette
        rect = box_rect(option.rect)
        painter.save()
        painter.setRenderHint(QtGui.QPainter.Antialiasing, True)
        text = palette.color(QtGui.QPalette.Text)
        outline = theme.blend(palette.color(QtGui.QPalette.Base), text, 0.55 if enabled else 0.3)
        selected = has_flag(option.state, QtWidgets.QStyle.State_Selected)
        fill = palette.color(QtGui.QPalette.Highlight)
        mark = palette.color(QtGui.QPalette.HighlightedText)
        if selected:  # on the selection's own colour: swap, so the box stays visible
            fill, mark = mark, fill
        if checked:
            painter.setPen(QtGui.QPen(fill.darker(115), 1.0))
            painter.setBrush(fill)
        elif selected:
            painter.setPen(QtGui.QPen(fill, 1.2))
            painter.setBrush(QtCore.Qt.NoBrush)
        else:
            painter.setPen(QtGui.QPen(outline, 1.2))
            painter.setBrush(palette.color(QtGui.QPalette.Base))
        painter.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), 3, 3)
        if checked:
            pen = QtGui.QPen(mark, 2.0)
            pen.setCapStyle(QtCore.Qt.RoundCap)
            pen.setJoinStyle(QtCore.Qt.RoundJoin)
            painter.setPen(pen)
            x, y = rect.left(), rect.top()
            painter.drawPolyline(QtGui.QPolygonF([
                QtCore.QPointF(x + 3.5, y + 7.5), QtCore.QPointF(x + 6, y + 10), QtCore.QPointF(x + 10.5, y + 4.5)
            ]))
        painter.restore()

    def editorEvent(self, event, model, option, index):  # Qt override
        if not has_flag(index.flags(), QtCore.Qt.ItemIsUserCheckable) or not has_flag(
            index.flags(), QtCore.Qt.ItemIsEnabled
        ):
            return False
        kind = event.type()
        if kind == QtCore.QEvent.MouseButtonRelease:
            position = event.position().toPoint() if hasattr(event, "position") else event.pos()
            target = box_rect(option.rect).adjusted(-SLACK, -SLACK, SLACK, SLACK)
            if event.button() != QtCore.Qt.LeftButton or not target.contains(QtCore.QPointF(position)):
                return False
        elif kind == QtCore.QEvent.MouseButtonDblClick:
            return True  # swallow, so a double click does not toggle twice or edit
        elif kind == QtCore.QEvent.KeyPress:
            if event.key() not in (QtCore.Qt.Key_Space, QtCore.Qt.Key_Select):
                return False
        else:
            return False
        checked = is_checked(index.data(QtCore.Qt.CheckStateRole))
        return model.setData(index, check_state(not checked), QtCore.Qt.CheckStateRole)

    def sizeHint(self, option, index):  # Qt override
        return QtCore.QSize(BOX + 16, BOX + 8)
