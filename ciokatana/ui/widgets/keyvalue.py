"""An editor of NAME = value rows, optionally with a merge policy per row.

Layer: ui. Used for environment variables (with merge policy: exclusive,
append, prepend) and job metadata. Rows are a handful, so each row is a
set of small widgets; :meth:`KeyValueEditor.items` gives the rows back as
tuples, and ``changed`` fires on every edit.
"""

from ciokatana.qt import QtCore, QtWidgets, Signal
from ciokatana.ui import theme
from ciokatana.ui.widgets.wheel import guard


class _Row(QtWidgets.QWidget):
    edited = Signal()
    remove_requested = Signal(object)

    def __init__(self, key, value, policy, policies, parent=None):
        super().__init__(parent)
        self.key_edit = QtWidgets.QLineEdit(key)
        self.key_edit.setPlaceholderText("NAME")
        self.key_edit.setToolTip("Name")
        self.value_edit = QtWidgets.QLineEdit(value)
        self.value_edit.setPlaceholderText("value")
        self.value_edit.setToolTip("Value")
        self.policy_combo = None
        if policies:
            self.policy_combo = QtWidgets.QComboBox()
            self.policy_combo.addItems(list(policies))
            self.policy_combo.setToolTip(
                "How the value merges with the same variable set by a software package: "
                "exclusive replaces it, append adds after it, prepend adds before it "
                "(with the platform's path separator)"
            )
            index = self.policy_combo.findText(policy or policies[0])
            self.policy_combo.setCurrentIndex(max(0, index))
            guard(self.policy_combo)  # rows come and go: guard each as it is made
        self.remove_button = QtWidgets.QToolButton()
        self.remove_button.setText("\u2715")
        self.remove_button.setAutoRaise(True)
        self.remove_button.setToolTip("Remove this row")

        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(theme.SPACING)
        layout.addWidget(self.key_edit, 2)
        layout.addWidget(self.value_edit, 3)
        if self.policy_combo is not None:
            layout.addWidget(self.policy_combo, 0)
        layout.addWidget(self.remove_button, 0)

        self.key_edit.textChanged.connect(self._on_key_edit_text_changed)
        self.value_edit.textChanged.connect(self._on_value_edit_text_changed)
        if self.policy_combo is not None:
            self.policy_combo.currentIndexChanged.connect(self._on_policy_combo_changed)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)

    def item(self):
        policy = self.policy_combo.currentText() if self.policy_combo is not None else None
        return (self.key_edit.text().strip(), self.value_edit.text(), policy)

    def _on_key_edit_text_changed(self, _text):
        self.edited.emit()

    def _on_value_edit_text_changed(self, _text):
        self.edited.emit()

    def _on_policy_combo_changed(self, _index):
        self.edited.emit()

    def _on_remove_button_clicked(self):
        self.remove_requested.emit(self)


class KeyValueEditor(QtWidgets.QWidget):
    """Rows of NAME, value (and merge policy) with Add and per-row remove.

    Args:
        policies: merge policy names offered per row, or None for no column.
        add_text: the Add button's text.

    Signals:
        changed(): any row was added, removed or edited.
    """

    changed = Signal()

    def __init__(self, policies=None, add_text="Add", parent=None):
        super().__init__(parent)
        self._policies = tuple(policies or ())
        self._rows = []
        self._rows_box = QtWidgets.QWidget()
        self._rows_layout = QtWidgets.QVBoxLayout(self._rows_box)
        self._rows_layout.setContentsMargins(0, 0, 0, 0)
        self._rows_layout.setSpacing(4)
        self._empty_label = QtWidgets.QLabel("None")
        self._empty_label.setEnabled(False)
        self.add_button = QtWidgets.QPushButton(add_text)
        self.add_button.setToolTip("Add a row")

        buttons = QtWidgets.QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self._empty_label)
        buttons.addStretch(1)
        buttons.addWidget(self.add_button)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self._rows_box)
        layout.addLayout(buttons)

        self.add_button.clicked.connect(self._on_add_button_clicked)
        self._update_empty()

    # -- values ------------------------------------------------------------
    def items(self, complete_only=False):
        """Rows as (name, value, policy) tuples; policy is None without the column."""
        rows = [row.item() for row in self._rows]
        if complete_only:
            rows = [r for r in rows if r[0]]
        return rows

    def set_items(self, items):
        """Show these rows, unless they already match (so typing is not disturbed)."""
        items = [(k, v, p if self._policies else None) for k, v, p in items]
        if self.items(complete_only=True) == [i for i in items if i[0]]:
            return
        for row in list(self._rows):
            self._drop(row)
        for key, value, policy in items:
            self._append(key, value, policy)
        self._update_empty()

    def rows(self):
        return list(self._rows)

    def add_row(self, key="", value="", policy=None):
        row = self._append(key, value, policy)
        self._update_empty()
        self.changed.emit()
        return row

    # -- internals ---------------------------------------------------------
    def _append(self, key, value, policy):
        row = _Row(key, value, policy, self._policies, self._rows_box)
        row.edited.connect(self.changed)
        row.remove_requested.connect(self._on_row_remove_requested)
        self._rows.append(row)
        self._rows_layout.addWidget(row)
        return row

    def _drop(self, row):
        self._rows.remove(row)
        self._rows_layout.removeWidget(row)
        row.hide()
        row.deleteLater()

    def _update_empty(self):
        self._empty_label.setVisible(not self._rows)
        self._rows_box.setVisible(bool(self._rows))

    def _on_add_button_clicked(self):
        row = self.add_row()
        row.key_edit.setFocus(QtCore.Qt.OtherFocusReason)

    def _on_row_remove_requested(self, row):
        self._drop(row)
        self._update_empty()
        self.changed.emit()
