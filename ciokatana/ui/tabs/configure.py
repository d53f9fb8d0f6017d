"""The Configure tab: the connection bar above the collapsible settings sections.

Layer: ui. Sections are built from :data:`SECTION_CLASSES`, in order; each
writes its fields through the controller and is refreshed by the hooks of
:class:`~ciokatana.ui.sections.base.Section` when the controller reports a
change, new Conductor data, a new plan or a re-read scene.

While a submission runs the settings stay editable, under a banner saying
that changes apply to the next submission. :meth:`ConfigureTab.reveal`
opens the field a Validation card is about.
"""

from ciokatana.qt import QtCore, QtWidgets
from ciokatana.ui import theme
from ciokatana.ui.compat import flags
from ciokatana.ui.sections.advanced import AdvancedSection
from ciokatana.ui.sections.assets import AssetsSection
from ciokatana.ui.sections.environment import EnvironmentSection, MetadataSection
from ciokatana.ui.sections.frames import FramesSection
from ciokatana.ui.sections.general import GeneralSection
from ciokatana.ui.sections.software import SoftwareSection
from ciokatana.ui.tabs.base import Tab
from ciokatana.ui.widgets.banner import Banner
from ciokatana.ui.widgets.connection import ConnectionBar
from ciokatana.ui.widgets.presets import PresetBar

#: What ConfigureTab.reveal can show: target -> (section class, widget attribute).
FIELDS = {
    "title": (GeneralSection, "title_edit"),
    "project": (GeneralSection, "project_combo"),
    "instance_type": (GeneralSection, "instance_combo"),
    "katana": (SoftwareSection, "katana_combo"),
    "renderer": (SoftwareSection, "renderer_combo"),
    "frames": (FramesSection, "frames_edit"),
    "scout": (FramesSection, "scout_edit"),
    "chunk_size": (FramesSection, "chunk_edit"),
    "node": (FramesSection, "table"),
    "environment": (EnvironmentSection, "editor"),
    "assets": (AssetsSection, "table"),
    "task_template": (AdvancedSection, "task_edit"),
}

SECTION_CLASSES = (
    GeneralSection,
    SoftwareSection,
    FramesSection,
    EnvironmentSection,
    MetadataSection,
    AssetsSection,
    AdvancedSection,
)


class ConfigureTab(Tab):
    KEY = "configure"
    TITLE = "Configure"
    TOOLTIP = "Choose what to submit and how"

    def __init__(self, controller, parent=None):
        super().__init__(controller, parent)
        self.connection_bar = ConnectionBar()
        self.preset_bar = PresetBar(controller)
        self.running_banner = Banner(theme.NOTICE, "A submission is running: changes you make now apply to the "
                                     "next submission, not to the jobs being sent.")
        self.running_banner.setVisible(False)
        self.sections = [cls(controller) for cls in SECTION_CLASSES]
        inner = QtWidgets.QWidget()
        inner_layout = QtWidgets.QVBoxLayout(inner)
        inner_layout.setContentsMargins(0, 0, theme.SPACING, 0)
        inner_layout.setSpacing(theme.SPACING)
        for section in self.sections:
            inner_layout.addWidget(section)
        inner_layout.addStretch(1)
        self.scroll = QtWidgets.QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QtWidgets.QFrame.NoFrame)
        self.scroll.setWidget(inner)
        self.scroll.viewport().setAutoFillBackground(False)
        inner.setAutoFillBackground(False)

        layout = self.page_layout(self)
        layout.addWidget(self.connection_bar)
        layout.addWidget(self.preset_bar)
        layout.addWidget(self.running_banner)
        layout.addWidget(self.scroll, 1)

        self.connection_bar.connect_requested.connect(self._on_connection_bar_connect_requested)
        self.connection_bar.cancel_requested.connect(self._on_connection_bar_cancel_requested)
        controller.settings_changed.connect(self._on_controller_settings_changed)
        controller.scene_changed.connect(self._on_controller_scene_changed)
        controller.plan_ready.connect(self._on_controller_plan_ready)
        controller.plan_stale.connect(self._on_controller_plan_stale)
        controller.conductor_busy.connect(self._on_controller_conductor_busy)
        controller.conductor_ready.connect(self._on_controller_conductor_ready)
        controller.conductor_failed.connect(self._on_controller_conductor_failed)
        controller.run_started.connect(self._on_controller_run_started)
        controller.run_finished.connect(self._on_controller_run_finished)
        if controller.conductor_data is not None:
            self._on_controller_conductor_ready(controller.conductor_data)
        self._align_labels()

    def _align_labels(self):
        """Give every section's labels the same width, so the fields line up down the tab."""
        labels = []
        for section in self.sections:
            for form in section.findChildren(QtWidgets.QFormLayout):
                for row in range(form.rowCount()):
                    item = form.itemAt(row, QtWidgets.QFormLayout.LabelRole)
                    if item is not None and isinstance(item.widget(), QtWidgets.QLabel):
                        labels.append(item.widget())
        width = max([label.sizeHint().width() for label in labels] or [0])
        for label in labels:
            label.setMinimumWidth(width)
            label.setAlignment(flags(QtCore.Qt.AlignRight, QtCore.Qt.AlignVCenter))

    def section(self, cls_or_title):
        """The section of a class (or with a title)."""
        for section in self.sections:
            if section.__class__ is cls_or_title or section.title == cls_or_title:
                return section
        raise KeyError(cls_or_title)

    def set_all_expanded(self, expanded):
        for section in self.sections:
            section.set_expanded(expanded)

    def reveal(self, target, node=""):
        """Open the section holding a field (a FIELDS key), scroll to it and focus it.

        For ``node`` the Render node's row of the table is selected. Returns
        the widget shown, or None for an unknown target.
        """
        if target not in FIELDS:
            return None
        cls, attribute = FIELDS[target]
        section = self.section(cls)
        section.set_expanded(True)
        widget = getattr(section, attribute)
        if node and isinstance(section, FramesSection):
            widget = section.table
            section.select_node(node)
        self.scroll.ensureWidgetVisible(widget, 0, 40)
        widget.setFocus(QtCore.Qt.OtherFocusReason)
        return widget

    # -- slots -------------------------------------------------------------
    def _on_connection_bar_connect_requested(self):
        self.controller.connect_conductor(force=True)

    def _on_connection_bar_cancel_requested(self):
        self.controller.cancel_connect()

    def _on_controller_settings_changed(self, settings):
        for section in self.sections:
            section.show_settings(settings)

    def _on_controller_scene_changed(self, snapshot):
        for section in self.sections:
            section.show_scene(snapshot)

    def _on_controller_plan_ready(self, result):
        for section in self.sections:
            section.show_plan(result)

    def _on_controller_plan_stale(self, stale):
        for section in self.sections:
            section.show_stale(stale)

    def _on_controller_conductor_busy(self):
        self.connection_bar.set_busy()

    def _on_controller_conductor_ready(self, data):
        self.connection_bar.set_ready(data)
        for section in self.sections:
            section.show_conductor(data)

    def _on_controller_conductor_failed(self, message):
        self.connection_bar.set_failed(message)

    def _on_controller_run_started(self, _record):
        self.running_banner.setVisible(True)

    def _on_controller_run_finished(self, _record):
        self.running_banner.setVisible(False)
