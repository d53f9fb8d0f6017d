"""Combo and spin boxes that the mouse wheel changes only when they have focus.

Layer: ui. By default a QComboBox or QSpinBox under the pointer takes every
wheel event, so scrolling the Configure page changes whichever field
passes under the pointer - a renderer, an instance type - and the change is
stored with the scene. :func:`guard_wheel` gives such fields strong focus
(a click or Tab, not the wheel, focuses them) and an event filter: while a
field does not have focus, its wheel events scroll the page around it
instead. Once the artist has clicked into a field, the wheel works as usual.
"""

from ciokatana.qt import QtCore, QtWidgets

_GUARDED = "ciokatana_wheel_guard"
_KINDS = (QtWidgets.QComboBox, QtWidgets.QAbstractSpinBox)


def _scroll_area_of(widget):
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QtWidgets.QAbstractScrollArea):
        parent = parent.parentWidget()
    return parent


class WheelGuard(QtCore.QObject):
    """Event filter: an unfocused field passes the wheel to the page around it."""

    def eventFilter(self, watched, event):  # Qt override
        if event.type() != QtCore.QEvent.Wheel or watched.hasFocus():
            return False
        area = _scroll_area_of(watched)
        if area is not None:
            QtWidgets.QApplication.sendEvent(area.verticalScrollBar(), event)
        event.accept()  # handled: the field keeps its value, nothing propagates twice
        return True


def guard(widget):
    """Guard one combo or spin box (idempotent)."""
    if widget.property(_GUARDED):
        return
    widget.setProperty(_GUARDED, True)
    widget.setFocusPolicy(QtCore.Qt.StrongFocus)
    widget.installEventFilter(WheelGuard(widget))


def guard_wheel(root):
    """Guard every combo and spin box under ``root`` (and ``root`` itself)."""
    found = [root] if isinstance(root, _KINDS) else []
    for kind in _KINDS:
        found.extend(root.findChildren(kind))
    for widget in found:
        guard(widget)
    return found
