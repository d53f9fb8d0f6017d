"""The preset bar at the top of the Configure tab: load, save and delete named presets.

Layer: ui. Presets are the Configure settings saved as JSON, per user (next
to the user's Katana resources) or per show, and read-only ones a pipeline
ships (see :mod:`ciokatana.core.presets`). Loading one changes only the
settings it holds.

Preset folders can be on a network share that is slow or hung, so every
listing, read, write and delete runs on a worker thread
(``controller.run_in_background``); the bar says "Reading presets..." and
stays usable meanwhile, and only regular files are read (a FIFO named
``shared.json`` is skipped). The folders are read when the bar is shown
and after a change, never while the dialog is being built.

Nothing is replaced or deleted without asking, and every question defaults
to the answer that keeps what is there: saving under a name that exists
(yours, or a show preset a colleague made) asks whether to replace it,
naming who saved it and when; a read-only preset (the pipeline's, or a
file you may not write) is never replaced. Questions are window-modal
boxes opened with ``open()`` (see :mod:`ciokatana.ui.prompts`), and so is
the name dialog: no nested event loop runs inside Katana.
"""

from ciokatana.core.presets import PIPELINE, PresetError, PresetExists
from ciokatana.qt import QtCore, QtWidgets, Signal
from ciokatana.ui import theme
from ciokatana.ui.compat import flags
from ciokatana.ui.prompts import DESTRUCTIVE, REJECT, Prompt, open_prompt

SCOPE_WORDS = {"user": "just for you", "show": "for everyone on the show", PIPELINE: "from the pipeline"}
SLOW_FOLDER_MS = 3000


class PresetNameDialog(QtWidgets.QDialog):
    """Asks for a preset name and where to save it; ``chosen(name, scope)`` on Save.

    Window-modal and opened with ``open()``: it never runs an event loop of
    its own.
    """

    chosen = Signal(str, str)

    def __init__(self, parent, scopes):
        super().__init__(parent)
        self.setWindowTitle("Save Preset")
        self.setWindowModality(QtCore.Qt.WindowModal)
        self.name_edit = QtWidgets.QLineEdit()
        self.name_edit.setPlaceholderText("e.g. Lighting 4K")
        self.scope_combo = QtWidgets.QComboBox()
        for scope in scopes:
            self.scope_combo.addItem("{} ({})".format(scope.capitalize(), SCOPE_WORDS.get(scope, scope)), scope)
        self.buttons = QtWidgets.QDialogButtonBox(
            flags(QtWidgets.QDialogButtonBox.Save, QtWidgets.QDialogButtonBox.Cancel))  # "|" fails on PySide2 5.13
        form = QtWidgets.QFormLayout(self)
        form.addRow("Name", self.name_edit)
        form.addRow("Save for", self.scope_combo)
        form.addRow(self.buttons)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.name_edit.textChanged.connect(self._on_name_edit_text_changed)
        self._on_name_edit_text_changed("")

    def _on_name_edit_text_changed(self, text):
        self.buttons.button(QtWidgets.QDialogButtonBox.Save).setEnabled(bool(text.strip()))

    def _on_buttons_accepted(self):
        name = self.name_edit.text().strip()
        if not name:
            return
        self.accept()
        self.chosen.emit(name, self.scope_combo.currentData() or "")


def ask_name(parent, scopes, on_answer):
    """Open the name dialog (without waiting); ``on_answer(name, scope)`` follows a Save."""
    dialog = PresetNameDialog(parent, scopes)
    dialog.setAttribute(QtCore.Qt.WA_DeleteOnClose, True)
    dialog.chosen.connect(on_answer)
    dialog.open()
    return dialog


class PresetBar(QtWidgets.QFrame):
    """Preset: [choose] [Load] [Save As...] [Delete], and a line saying what happened.

    Attributes:
        ask_name: ``fn(parent, scopes, on_answer)``, opening something that
            calls ``on_answer(name, scope)``; the name dialog by default,
            replaced by tests.
        prompt: the open question (replace, delete), if any.
        busy: a preset operation is running on a worker thread.
    """

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.ask_name = ask_name
        self.prompt = None
        self._presets = []
        self._listing = 0  # number of the newest folder read asked for
        self._listed = 0  # number of the newest folder read shown
        self._select = None
        self._working = 0
        label = QtWidgets.QLabel("Preset")
        tip = ("Named sets of these settings, saved for you or for the show (JSON next to your Katana "
               "resources, or in the show's folder); pipelines can ship their own")
        label.setToolTip(tip)
        self.combo = QtWidgets.QComboBox()
        self.combo.setToolTip(tip)
        self.combo.setMinimumContentsLength(24)
        self.combo.setSizeAdjustPolicy(QtWidgets.QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.combo.addItem("Reading presets\u2026", None)
        self.load_button = QtWidgets.QPushButton("Load")
        self.load_button.setToolTip("Replace the settings the preset holds with its values")
        self.save_button = QtWidgets.QPushButton("Save As\u2026")
        self.save_button.setToolTip("Save the current settings as a preset (the mock settings are never saved); "
                                    "an existing preset is replaced only if you say so")
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

        self._slow_timer = QtCore.QTimer(self)
        self._slow_timer.setSingleShot(True)
        self._slow_timer.setInterval(SLOW_FOLDER_MS)
        self._slow_timer.timeout.connect(self._on_slow_timer_timeout)
        self.combo.currentIndexChanged.connect(self._on_combo_current_index_changed)
        self.load_button.clicked.connect(self._on_load_button_clicked)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        self._update_buttons()

    # -- state -----------------------------------------------------------------------
    @property
    def busy(self):
        return self._working > 0

    @property
    def reading(self):
        """A folder read asked for has not answered yet."""
        return self._listed < self._listing

    def _work(self, work, on_done, on_error):
        """Run a preset operation on a worker; the buttons wait for it."""
        self._working += 1
        self._update_buttons()

        def done(result):
            self._working -= 1
            self._update_buttons()
            on_done(result)

        def failed(err):
            self._working -= 1
            self._update_buttons()
            on_error(err)

        self.controller.run_in_background(work, done, failed)

    # -- listing -------------------------------------------------------------------
    def refresh(self, select=None):
        """Read the preset folders again (on a worker); then select the preset at ``select`` (a path)."""
        self._listing += 1
        number = self._listing
        self._select = select if select is not None else (self.chosen().path if self.chosen() else None)
        if not self._presets:
            self._fill([], "Reading presets\u2026")
        self._slow_timer.start()
        self.controller.run_in_background(
            self.controller.presets,
            lambda presets: self._on_listed(number, presets, None),
            lambda err: self._on_listed(number, [], err),
        )

    def _on_listed(self, number, presets, err):
        if number < self._listing:
            return  # a newer read was asked for
        self._listed = number
        self._slow_timer.stop()
        if err is not None:
            self._note("Presets unavailable: {}".format(err))
        elif self.note_label.text().startswith(("The preset folders are slow", "Presets unavailable")):
            self._note("")
        self._presets = list(presets)
        self._fill(self._presets)

    def _fill(self, presets, placeholder=None):
        blocked = self.combo.blockSignals(True)
        self.combo.clear()
        if placeholder is None:
            placeholder = "Choose a preset\u2026" if presets else "No presets saved yet"
        self.combo.addItem(placeholder, None)
        for index, preset in enumerate(presets):
            self.combo.addItem(preset.label, index)
            self.combo.setItemData(self.combo.count() - 1, preset.path, QtCore.Qt.ToolTipRole)
            if self._select is not None and preset.path == self._select:
                self.combo.setCurrentIndex(self.combo.count() - 1)
        self.combo.blockSignals(blocked)
        self._update_buttons()

    def chosen(self):
        index = self.combo.currentData()
        return self._presets[index] if index is not None and index < len(self._presets) else None

    def showEvent(self, event):  # Qt override
        super().showEvent(event)
        self.refresh()

    def _update_buttons(self):
        preset = self.chosen()
        idle = not self.busy
        self.load_button.setEnabled(idle and preset is not None)
        self.save_button.setEnabled(idle)
        self.delete_button.setEnabled(idle and preset is not None and preset.scope != PIPELINE)

    def _note(self, text):
        self.note_label.setText(text)
        self.note_label.setToolTip(theme.wrap_tip(text))

    # -- slots ---------------------------------------------------------------------
    def _on_slow_timer_timeout(self):
        if self.reading:
            self._note("The preset folders are slow to answer (a network folder?); their presets appear "
                       "when they do")

    def _on_combo_current_index_changed(self, _index):
        self._update_buttons()

    def _on_load_button_clicked(self):
        preset = self.chosen()
        if preset is None:
            return
        self._note("Loading {!r}\u2026".format(preset.name))
        self._work(lambda: self.controller.read_preset(preset),
                   lambda values: self._on_preset_read(preset, values),
                   self._on_failed)

    def _on_preset_read(self, preset, values):
        try:
            changes = self.controller.apply_preset(preset, values)
        except (PresetError, NotImplementedError, KeyError) as err:
            self._on_failed(err)
            return
        self._note("Loaded {!r} ({} setting{})".format(preset.name, len(changes), "" if len(changes) == 1 else "s"))

    def _on_failed(self, err):
        self._note(str(err))

    def _on_save_button_clicked(self):
        self.ask_name(self, self.controller.preset_scopes(), self._on_name_chosen)

    def _on_name_chosen(self, name, scope):
        self._save(name, scope, overwrite=False, settings=self.controller.settings)

    def _save(self, name, scope, overwrite, settings):
        self._note("Saving {!r}\u2026".format(name))
        self._work(lambda: self.controller.save_preset(name, scope, overwrite=overwrite, settings=settings),
                   self._on_saved,
                   lambda err: self._on_save_failed(err, name, scope, settings))

    def _on_saved(self, preset):
        self.refresh(select=preset.path)
        self._note("Saved {!r} {}".format(preset.name, SCOPE_WORDS.get(preset.scope, "")))

    def _on_save_failed(self, err, name, scope, settings):
        if not isinstance(err, PresetExists):
            self._on_failed(err)
            return
        existing = err.existing
        if err.read_only:
            self._note("Not saved: {}".format(err))
            self._ask(Prompt(self.window(), "warning", "Preset is read-only",
                             "{} cannot be replaced.".format(existing.label),
                             [("ok", "OK", REJECT)], "{}.\nSave the settings under another name.".format(str(err)),
                             details=existing.path), None)
            return
        self._note("Not saved yet: {!r} exists".format(existing.name))
        text = "A preset named {!r} already exists {}.".format(existing.name, SCOPE_WORDS.get(existing.scope, ""))
        who = "Saved by {}".format(err.saved_by) if err.saved_by else "Saved"
        when = " on {}".format(err.saved_at.replace("T", " at ")) if err.saved_at else ""
        self._ask(Prompt(self.window(), "question", "Replace preset?", text,
                         [("replace", "Replace It", DESTRUCTIVE), ("cancel", "Cancel", REJECT)],
                         "{}{}. Replacing it changes it for {}.".format(
                             who, when, "everyone on the show" if existing.scope == "show" else "you"),
                         details=existing.path),
                  lambda key: self._on_replace_answered(key, name, scope, settings))

    def _on_replace_answered(self, key, name, scope, settings):
        if key == "replace":
            self._save(name, scope, overwrite=True, settings=settings)
        else:
            self._note("Not saved: {!r} was kept as it is".format(name))

    def _ask(self, prompt, on_answer):
        return open_prompt(self, prompt, on_answer)

    def _on_delete_button_clicked(self):
        preset = self.chosen()
        if preset is None:
            return
        self._ask(Prompt(self.window(), "question", "Delete preset",
                         "Delete the preset {!r} ({})?".format(preset.name, preset.scope),
                         [("delete", "Delete Preset", DESTRUCTIVE), ("keep", "Keep It", REJECT)], preset.path),
                  lambda key, p=preset: self._on_delete_answered(key, p))

    def _on_delete_answered(self, key, preset):
        if key != "delete":
            return
        self._work(lambda: self.controller.delete_preset(preset),
                   lambda _none: self._on_deleted(preset),
                   self._on_failed)

    def _on_deleted(self, preset):
        self.refresh()
        self._note("Deleted {!r}".format(preset.name))

