"""Advanced: task command, notifications, location, upload daemon, and mocks.

Layer: ui. The mock controls (mode, file, interval) exist only when
``CIO_FEATURE_MOCK=1``: they replay a recorded submission instead of
submitting (Use Mock) or record a real one (Generate Mock), for demos and
tests. The interval cannot go below 0.05 s.
"""

from ciokatana.core.command import FIELDS as TASK_FIELDS
from ciokatana.core.settings import MIN_MOCK_INTERVAL
from ciokatana.qt import QtWidgets
from ciokatana.ui.sections.base import Section
from ciokatana.ui.widgets.combos import Item, current_value, fill_combo
from ciokatana.ui.widgets.filefield import FileField, choose_open, choose_save
from ciokatana.ui.widgets.form import add_row, set_checked, set_text, set_value

MOCK_MODES = (("Off", "off"), ("Use Mock", "use"), ("Generate Mock", "generate"))

TIPS = {
    "task": "The command each task runs. Fields: "
    + "; ".join("{{{}}} {}".format(k, v) for k, v in TASK_FIELDS.items())
    + ". Values are shell-quoted for you",
    "notify": "Email addresses told when the jobs finish, separated by commas",
    "location": "A location tag: only an upload daemon started with the same tag uploads these "
    "jobs' files. Leave empty unless your studio uses locations",
    "daemon": "Let an upload daemon (conductor uploader) upload the files, so you can close Katana "
    "while uploads run; otherwise this session uploads them before the job is created",
    "mode": "Off submits for real. Use Mock replays a recorded submission from the mock file "
    "(nothing is sent). Generate Mock submits for real and records every event to the mock file",
    "file": "The mock file to replay (Use Mock) or to write (Generate Mock)",
    "interval": "Seconds between replayed events (at least {} s)".format(MIN_MOCK_INTERVAL),
}


class AdvancedSection(Section):
    TITLE = "Advanced"
    TOOLTIP = "Task command, notifications, uploads and mocks"

    def __init__(self, controller, parent=None):
        super().__init__(controller, parent)
        self._build_fields()
        self.mock_box = None
        if controller.mock_feature:
            self._build_mock()
        self.show_settings(controller.settings)

    def _build_fields(self):
        self.task_edit = QtWidgets.QLineEdit()
        self.notify_edit = QtWidgets.QLineEdit()
        self.notify_edit.setPlaceholderText("you@studio.com, lead@studio.com")
        self.location_edit = QtWidgets.QLineEdit()
        self.daemon_check = QtWidgets.QCheckBox("Upload with the upload daemon")
        add_row(self.form, "Task command", self.task_edit, TIPS["task"])
        add_row(self.form, "Notify", self.notify_edit, TIPS["notify"])
        add_row(self.form, "Location", self.location_edit, TIPS["location"])
        add_row(self.form, "Upload daemon", self.daemon_check, TIPS["daemon"])
        self.task_edit.textChanged.connect(self._on_task_edit_text_changed)
        self.notify_edit.textChanged.connect(self._on_notify_edit_text_changed)
        self.location_edit.textChanged.connect(self._on_location_edit_text_changed)
        self.daemon_check.toggled.connect(self._on_daemon_check_toggled)

    def _build_mock(self):
        self.mock_box = QtWidgets.QLabel("Mock submission")
        font = self.mock_box.font()
        font.setBold(True)
        self.mock_box.setFont(font)
        self.mock_box.setToolTip("Shown because CIO_FEATURE_MOCK=1. " + TIPS["mode"])
        self.mock_mode_combo = QtWidgets.QComboBox()
        self.mock_file_field = FileField("Mock file")
        self.mock_interval_spin = QtWidgets.QDoubleSpinBox()
        self.mock_interval_spin.setRange(MIN_MOCK_INTERVAL, 60.0)
        self.mock_interval_spin.setDecimals(2)
        self.mock_interval_spin.setSingleStep(0.05)
        self.mock_interval_spin.setSuffix(" s")
        self.mock_interval_spin.setMaximumWidth(110)
        self.form.addRow("", self.mock_box)
        add_row(self.form, "Mock mode", self.mock_mode_combo, TIPS["mode"])
        add_row(self.form, "Mock file", self.mock_file_field, TIPS["file"])
        add_row(self.form, "Mock interval", self.mock_interval_spin, TIPS["interval"])
        self.mock_mode_combo.currentIndexChanged.connect(self._on_mock_mode_combo_changed)
        self.mock_file_field.path_changed.connect(self._on_mock_file_field_changed)
        self.mock_interval_spin.valueChanged.connect(self._on_mock_interval_spin_changed)

    # -- hooks -------------------------------------------------------------
    def show_settings(self, settings):
        set_text(self.task_edit, settings.task_template)
        current = [e.strip() for e in self.notify_edit.text().split(",") if e.strip()]
        if current != list(settings.notify):
            set_text(self.notify_edit, ", ".join(settings.notify))
        set_text(self.location_edit, settings.location)
        set_checked(self.daemon_check, settings.use_daemon)
        if self.mock_box is not None:
            fill_combo(self.mock_mode_combo, [Item(label, value) for label, value in MOCK_MODES], settings.mock_mode)
            self.mock_file_field.set_path(settings.mock_file)
            self.mock_file_field.choose = choose_save if settings.mock_mode == "generate" else choose_open
            set_value(self.mock_interval_spin, max(MIN_MOCK_INTERVAL, float(settings.mock_interval)))
            self.mock_file_field.setEnabled(settings.mock_mode != "off")
            self.mock_interval_spin.setEnabled(settings.mock_mode == "use")

    # -- slots -------------------------------------------------------------
    def _on_task_edit_text_changed(self, text):
        self.controller.update_settings(task_template=text)

    def _on_notify_edit_text_changed(self, text):
        self.controller.update_settings(notify=[e.strip() for e in text.split(",") if e.strip()])

    def _on_location_edit_text_changed(self, text):
        self.controller.update_settings(location=text.strip())

    def _on_daemon_check_toggled(self, checked):
        self.controller.update_settings(use_daemon=bool(checked))

    def _on_mock_mode_combo_changed(self, _index):
        value = current_value(self.mock_mode_combo)
        if value:
            self.controller.update_settings(mock_mode=value)
            self.show_settings(self.controller.settings)

    def _on_mock_file_field_changed(self, path):
        self.controller.update_settings(mock_file=path)

    def _on_mock_interval_spin_changed(self, value):
        self.controller.update_settings(mock_interval=max(MIN_MOCK_INTERVAL, round(float(value), 3)))
