"""The preset bar at the top of the Configure tab: load, save and delete named presets.

Layer: ui. Presets are the Configure settings saved as JSON, per user (next
to the user's Katana resources) or per show, and read-only ones a pipeline
ships (see :mod:`ciokatana.core.presets`). Loading one changes only the
settings it holds. Deleting asks first, and the question defaults to
keeping the preset. The folder listing is read when the bar is shown and
after a change, never while the dialog is being built.
"""

from ciokatana.core.presets import PIPELINE, PresetError
from ciokatana.qt import QtCore, QtWidgets
from ciokatana.ui import theme
from ciokatana.ui.prompts import DESTRUCTIVE, REJECT, Prompt

SCOPE_WORDS = {"user": "just for you", "show": "for everyone on the show", PIPELINE: "from the pipeline"}


def ask_name(parent, scopes):
    """Ask for a preset name and where to save it: ``(name, scope)`` or None."""
    dialog = QtWidgets.QDialog(parent)
    dialog.setWindowTitle("Save Preset")
    name_edit = QtWidgets.QLineEdit()
    name_edit.setPlaceholderText("e.g. Lighting 4K")
    scope_combo = QtWidgets.QComboBox()
    for scope in scopes:
        scope_combo.addItem("{} ({})".format(scope.capitalize(), SCOPE_WORDS.get(scope, scope)), scope)
    buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.Save | QtWidgets.QDialogButtonBox.Cancel)
    form = QtWidgets.QFormLayout(dialog)
    form.addRow("Name", name_edit)
    form.addRow("Save for", scope_combo)
    form.addRow(buttons)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    from ciokatana.ui.compat import exec_

    if exec_(dialog) != QtWidgets.QDialog.Accepted or not name_edit.text().strip():
        return None
    return name_edit.text().strip(), scope_combo.currentData()


class PresetBar(QtWidgets.QFrame):
    """Preset: [choose] [Load] [Save As...] [Delete], and a line saying what happened.

    Attributes:
        ask_name: ``fn(parent, scopes) -> (name, scope) or None``; a small
            dialog by default, replaced by tests.
        prompt: the open delete question, if any.
    """

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.ask_name = ask_name
        self.prompt = None
        self._presets = []
        label = QtWidgets.QLabel("Preset")
        tip = ("Named sets of these settings, saved for you or for the show (JSON next to your Katana "
               "resources, or in the show's folder); pipelines can ship their own")
        label.setToolTip(tip)
        self.combo = QtWidgets.QComboBox()
        self.combo.setToolTip(tip)
        self.combo.setMinimumContentsLength(24)
        self.combo.setSizeAdjustPolicy(QtWidgets.QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.load_button = QtWidgets.QPushButton("Load")
        self.load_button.setToolTip("Replace the settings the preset holds with its values")
        self.save_button = QtWidgets.QPushButton("Save As\u2026")
        self.save_button.setToolTip("Save the current settings as a preset (the mock settings are never saved)")
        self.delete_button = QtWidgets.QPushButton("Delete")
        self.delete_button.setToolTip("Delete the chosen preset (yours or the show's, not the pipeline's)")
        self.note_label = QtWidgets.QLabel()
        self.note_label.setEnabled(False)
        for button in (self.load_button, self.save_button, self.delete_button):
            button.setAutoDefault(False)
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(2, 0, 2, 0)
        layout.setSpacing(theme.SPACING)
        layout.addWidget(label)
        layout.addWidget(self.combo, 1)
        layout.addWidget(self.load_button)
        layout.addWidget(self.save_button)
        layout.addWidget(self.delete_button)
        layout.addWidget(self.note_label)

        self.combo.currentIndexChanged.connect(self._on_combo_current_index_changed)
        self.load_button.clicked.connect(self._on_load_button_clicked)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        self._update_buttons()

    # -- listing -------------------------------------------------------------------
    def refresh(self, select=None):
        """Read the preset folders again; select the preset at ``select`` (a path)."""
        try:
            self._presets = list(self.controller.presets())
        except (OSError, PresetError) as err:
            self._presets = []
            self.note_label.setText("Presets unavailable: {}".format(err))
        blocked = self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem("Choose a preset\u2026" if self._presets else "No presets saved yet", None)
        for index, preset in enumerate(self._presets):
            self.combo.addItem(preset.label, index)
            self.combo.setItemData(self.combo.count() - 1, preset.path, QtCore.Qt.ToolTipRole)
            if select is not None and preset.path == select:
                self.combo.setCurrentIndex(self.combo.count() - 1)
        self.combo.blockSignals(blocked)
        self._update_buttons()

    def chosen(self):
        index = self.combo.currentData()
        return self._presets[index] if index is not None and index < len(self._presets) else None

    def showEvent(self, event):  # Qt override
        super().showEvent(event)
        self.refresh(select=self.chosen().path if self.chosen() is not None else None)

    def _update_buttons(self):
        preset = self.chosen()
        self.load_button.setEnabled(preset is not None)
        self.delete_button.setEnabled(preset is not None and preset.scope != PIPELINE)

    def _note(self, text):
        self.note_label.setText(text)
        self.note_label.setToolTip(text)

    # -- slots ---------------------------------------------------------------------
    def _on_combo_current_index_changed(self, _index):
        self._update_buttons()

    def _on_load_button_clicked(self):
        preset = self.chosen()
        if preset is None:
            return
        try:
            changes = self.controller.apply_preset(preset)
        except (PresetError, NotImplementedError) as err:
            self._note(str(err))
            return
        self._note("Loaded {!r} ({} setting{})".format(preset.name, len(changes), "" if len(changes) == 1 else "s"))

    def _on_save_button_clicked(self):
        answer = self.ask_name(self, self.controller.preset_scopes())
        if not answer:
            return
        name, scope = answer
        try:
            preset = self.controller.save_preset(name, scope)
        except (PresetError, NotImplementedError) as err:
            self._note(str(err))
            return
        self.refresh(select=preset.path)
        self._note("Saved {!r} {}".format(preset.name, SCOPE_WORDS.get(preset.scope, "")))

    def _on_delete_button_clicked(self):
        preset = self.chosen()
        if preset is None:
            return
        prompt = Prompt(self.window(), "question", "Delete preset",
                        "Delete the preset {!r} ({})?".format(preset.name, preset.scope),
                        [("delete", "Delete Preset", DESTRUCTIVE), ("keep", "Keep It", REJECT)], preset.path)
        self.prompt = prompt
        prompt.answered.connect(lambda key, p=preset: self._on_delete_answered(key, p))
        prompt.open()

    def _on_delete_answered(self, key, preset):
        self.prompt = None
        if key != "delete":
            return
        try:
            self.controller.delete_preset(preset)
        except (PresetError, NotImplementedError) as err:
            self._note(str(err))
            return
        self.refresh()
        self._note("Deleted {!r}".format(preset.name))
