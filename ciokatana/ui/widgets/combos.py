"""Combo boxes filled with (label, value) items, with optional group headers.

Layer: ui. :func:`fill_combo` replaces a combo's items only when they
differ and selects a value, with signals blocked, so refreshing from the
settings never looks like a user's choice. Header items (``value`` None,
``header`` True) are bold and cannot be chosen: the instance types use
them for the CPU and GPU groups.
"""

from ciokatana.qt import QtCore, QtGui

VALUE_ROLE = QtCore.Qt.UserRole


class Item(object):
    __slots__ = ("label", "value", "header", "tooltip")

    def __init__(self, label, value=None, header=False, tooltip=""):
        self.label = label
        self.value = value
        self.header = header
        self.tooltip = tooltip

    def key(self):
        return (self.label, self.value, self.header)


def current_value(combo):
    index = combo.currentIndex()
    return combo.itemData(index, VALUE_ROLE) if index >= 0 else None


def _items_of(combo):
    model = combo.model()
    found = []
    for row in range(combo.count()):
        item = model.item(row) if isinstance(model, QtGui.QStandardItemModel) else None
        header = bool(item is not None and not item.isEnabled())
        found.append((combo.itemText(row), combo.itemData(row, VALUE_ROLE), header))
    return found


def fill_combo(combo, items, value):
    """Show ``items`` (a list of :class:`Item`) and select ``value``; no signals."""
    blocked = combo.blockSignals(True)
    try:
        if _items_of(combo) != [i.key() for i in items]:
            combo.clear()
            model = combo.model()  # QComboBox's own QStandardItemModel
            for item in items:
                row = QtGui.QStandardItem(item.label)
                row.setData(item.value, VALUE_ROLE)
                if item.tooltip:
                    row.setToolTip(item.tooltip)
                if item.header:
                    row.setEnabled(False)
                    row.setSelectable(False)
                    font = row.font()
                    font.setBold(True)
                    row.setFont(font)
                model.appendRow(row)
        index = -1
        for row in range(combo.count()):
            if combo.itemData(row, VALUE_ROLE) == value and value is not None:
                index = row
                break
        if index < 0:
            for row in range(combo.count()):
                if combo.itemData(row, VALUE_ROLE) is None and not _is_header(combo, row):
                    index = row
                    break
        combo.setCurrentIndex(index)
    finally:
        combo.blockSignals(blocked)


def _is_header(combo, row):
    model = combo.model()
    item = model.item(row) if isinstance(model, QtGui.QStandardItemModel) else None
    return bool(item is not None and not item.isEnabled())


def select_value(combo, value):
    """Select the item holding ``value`` as a user would (signals fire). True if found."""
    for row in range(combo.count()):
        if combo.itemData(row, VALUE_ROLE) == value and not _is_header(combo, row):
            combo.setCurrentIndex(row)
            return True
    return False
