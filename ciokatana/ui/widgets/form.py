"""Form rows with a tooltip on every label, the same spacing everywhere.

Layer: ui. Every setting of the Configure tab goes through :func:`add_row`,
which puts the same tooltip on the label and on the field, so hovering
either explains the setting.
"""

from ciokatana.qt import QtCore, QtWidgets
from ciokatana.ui import theme
from ciokatana.ui.compat import flags


def make_form(parent=None):
    """A QFormLayout with the dialog's spacing and right-aligned labels."""
    form = QtWidgets.QFormLayout(parent)
    form.setContentsMargins(0, 0, 0, 0)
    form.setHorizontalSpacing(theme.SPACING + 4)
    form.setVerticalSpacing(theme.SPACING)
    form.setLabelAlignment(flags(QtCore.Qt.AlignRight, QtCore.Qt.AlignVCenter))
    form.setFieldGrowthPolicy(QtWidgets.QFormLayout.AllNonFixedFieldsGrow)
    return form


def add_row(form, text, field, tooltip):
    """Add ``text: field`` to a form; both get ``tooltip``. Returns the label."""
    label = QtWidgets.QLabel(text)
    label.setToolTip(tooltip)
    label.setBuddy(field if isinstance(field, QtWidgets.QWidget) else None)
    if isinstance(field, QtWidgets.QWidget):
        field.setToolTip(field.toolTip() or tooltip)
        form.addRow(label, field)
    else:
        form.addRow(label, field)
    return label


def hbox(*widgets, stretch=False):
    """A margin-less row of widgets (an optional stretch at the end)."""
    row = QtWidgets.QWidget()
    layout = QtWidgets.QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(theme.SPACING)
    for widget in widgets:
        layout.addWidget(widget)
    if stretch:
        layout.addStretch(1)
    return row


def set_text(line_edit, text):
    """Set a QLineEdit's text without signals, only if it differs (keeps the cursor).

    Differences in surrounding blanks do not count, so a value stored
    stripped does not fight with the blank the artist is typing.
    """
    text = "" if text is None else str(text)
    if line_edit.text().strip() != text.strip():
        blocked = line_edit.blockSignals(True)
        line_edit.setText(text)
        line_edit.blockSignals(blocked)


def set_checked(button, checked):
    if button.isChecked() != bool(checked):
        blocked = button.blockSignals(True)
        button.setChecked(bool(checked))
        button.blockSignals(blocked)


def set_value(spin, value):
    if spin.value() != value:
        blocked = spin.blockSignals(True)
        spin.setValue(value)
        spin.blockSignals(blocked)
