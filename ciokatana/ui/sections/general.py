"""General settings: job title, project, instance type, preemptible, retries.

Layer: ui. Projects and instance types come from Conductor once connected
(instance types grouped CPU then GPU); before that, the lists hold only the
stored choice, so a scene opens showing what it will submit. A stored value
the account does not offer stays selected and is labelled, and validation
reports it, rather than being silently replaced.
"""

from ciokatana.core.plan import TITLE_FIELDS
from ciokatana.qt import QtWidgets
from ciokatana.ui.sections.base import Section
from ciokatana.ui.widgets.combos import Item, current_value, fill_combo
from ciokatana.ui.widgets.form import add_row, set_checked, set_text, set_value

TIPS = {
    "title": "The job title on the Conductor dashboard. Fields: {}. One job per Render node, "
    "so include {{node}}".format(", ".join("{" + f + "}" for f in TITLE_FIELDS)),
    "project": "The Conductor project the jobs are billed to and listed under",
    "instance": "The machine each task runs on: CPU machines first, then GPU machines. "
    "Its operating system decides which software versions are offered",
    "preemptible": "Preemptible machines cost much less but can be stopped by the cloud provider "
    "at any time; the task is then retried (see Retries)",
    "autoretry": "How many times Conductor retries a task whose preemptible machine was taken back",
}


def _instance_label(it):
    desc = it.get("description") or it.get("name", "")
    name = it.get("name", "")
    return "{}  ({})".format(desc, name) if desc and desc != name else name


class GeneralSection(Section):
    TITLE = "General"
    TOOLTIP = "Job title, project and machines"

    def __init__(self, controller, parent=None):
        super().__init__(controller, parent)
        self.title_edit = QtWidgets.QLineEdit()
        self.title_edit.setPlaceholderText("Required, e.g. Katana {scene} {node}")
        self.project_combo = QtWidgets.QComboBox()
        self.instance_combo = QtWidgets.QComboBox()
        self.instance_combo.setSizeAdjustPolicy(QtWidgets.QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.instance_combo.setMinimumContentsLength(24)
        self.preemptible_check = QtWidgets.QCheckBox("Use preemptible machines")
        self.autoretry_spin = QtWidgets.QSpinBox()
        self.autoretry_spin.setRange(0, 10)
        self.autoretry_spin.setMaximumWidth(80)

        add_row(self.form, "Job title", self.title_edit, TIPS["title"])
        add_row(self.form, "Project", self.project_combo, TIPS["project"])
        add_row(self.form, "Instance type", self.instance_combo, TIPS["instance"])
        add_row(self.form, "Preemptible", self.preemptible_check, TIPS["preemptible"])
        add_row(self.form, "Retries", self.autoretry_spin, TIPS["autoretry"])

        self.title_edit.textChanged.connect(self._on_title_edit_text_changed)
        self.project_combo.currentIndexChanged.connect(self._on_project_combo_changed)
        self.instance_combo.currentIndexChanged.connect(self._on_instance_combo_changed)
        self.preemptible_check.toggled.connect(self._on_preemptible_check_toggled)
        self.autoretry_spin.valueChanged.connect(self._on_autoretry_spin_changed)
        self.show_settings(controller.settings)

    # -- hooks -------------------------------------------------------------
    def show_settings(self, settings):
        set_text(self.title_edit, settings.title_template)
        self._fill_projects(settings.project)
        self._fill_instances(settings.instance_type)
        set_checked(self.preemptible_check, settings.preemptible)
        set_value(self.autoretry_spin, int(settings.autoretry or 0))
        self.autoretry_spin.setEnabled(bool(settings.preemptible))

    def show_conductor(self, data):
        settings = self.controller.settings
        self._fill_projects(settings.project)
        self._fill_instances(settings.instance_type)

    # -- lists -------------------------------------------------------------
    def _fill_projects(self, project):
        data = self.controller.conductor_data
        items = []
        if data is not None:
            items = [Item(p, p) for p in data.projects]
            if project and project not in data.projects:
                items.insert(0, Item("{}  (not in this account)".format(project), project))
        elif project:
            items = [Item(project, project)]
        if not project:
            items.insert(0, Item("Choose a project" if data is not None else "Not set: connect to choose", None))
        fill_combo(self.project_combo, items, project or None)

    def _fill_instances(self, name):
        data = self.controller.conductor_data
        items = []
        known = set()
        if data is not None:
            for label, group in data.categories():
                items.append(Item("{} machines".format(label), None, header=True))
                for it in group:
                    items.append(Item(_instance_label(it), it["name"], tooltip=it.get("operating_system", "")))
                    known.add(it["name"])
            if name and name not in known:
                items.insert(0, Item("{}  (not offered)".format(name), name))
        elif name:
            items = [Item(name, name)]
        if not name:
            items.insert(0, Item("Choose a machine" if data is not None else "Not set: connect to choose", None))
        fill_combo(self.instance_combo, items, name or None)

    # -- slots -------------------------------------------------------------
    def _on_title_edit_text_changed(self, text):
        self.controller.update_settings(title_template=text)

    def _on_project_combo_changed(self, _index):
        value = current_value(self.project_combo)
        if value is not None:
            self.controller.update_settings(project=value)

    def _on_instance_combo_changed(self, _index):
        value = current_value(self.instance_combo)
        if value is not None:
            self.controller.update_settings(instance_type=value)

    def _on_preemptible_check_toggled(self, checked):
        self.autoretry_spin.setEnabled(checked)
        self.controller.update_settings(preemptible=bool(checked))

    def _on_autoretry_spin_changed(self, value):
        self.controller.update_settings(autoretry=int(value))
