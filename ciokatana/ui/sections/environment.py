"""Environment: extra variables for the render tasks, each with a merge policy.

Layer: ui. The variables are merged with those of the chosen software
packages (exclusive replaces, append and prepend extend). A clash the core
cannot merge is shown under the editor in red.
"""

from ciokatana.core.settings import MERGE_POLICIES, EnvVar
from ciokatana.qt import QtCore, QtWidgets
from ciokatana.ui import theme
from ciokatana.ui.compat import flags
from ciokatana.ui.sections.base import Section
from ciokatana.ui.widgets.keyvalue import KeyValueEditor

TIP = (
    "Environment variables set on the render machines, on top of those the software packages set. "
    "Merge policy: exclusive replaces a package's value; append and prepend extend it "
    "(e.g. to add to PATH or KATANA_RESOURCES). Values of variables whose names contain KEY, "
    "TOKEN, SECRET or PASSWORD are never shown in the Preview"
)


class EnvironmentSection(Section):
    TITLE = "Environment"
    TOOLTIP = "Extra environment variables for the render tasks"

    def __init__(self, controller, parent=None):
        super().__init__(controller, parent)
        label = QtWidgets.QLabel("Variables")
        label.setToolTip(TIP)
        self.editor = KeyValueEditor(policies=MERGE_POLICIES, add_text="Add Variable")
        self.editor.setToolTip(TIP)
        self.problem_label = QtWidgets.QLabel()
        self.problem_label.setWordWrap(True)
        self.problem_label.setVisible(False)
        self.form.addRow(label, self.editor)
        self.form.addRow("", self.problem_label)
        self.editor.changed.connect(self._on_editor_changed)
        self.show_settings(controller.settings)

    def show_settings(self, settings):
        self.editor.set_items([(e.name, e.value, e.merge_policy) for e in settings.environment])

    def show_plan(self, result):
        problem = result.plan.problems.get("environment") if result.plan is not None else None
        self.problem_label.setStyleSheet("color: {};".format(theme.error_text(self.palette()).name()))
        self.problem_label.setText(problem or "")
        self.problem_label.setVisible(bool(problem))

    def _on_editor_changed(self):
        env = [EnvVar(name, value, policy or "exclusive") for name, value, policy in self.editor.items(True)]
        self.controller.update_settings(environment=env)


class MetadataSection(Section):
    TITLE = "Metadata"
    TOOLTIP = "Key and value pairs stored with each job"

    TIP = "Key and value pairs stored with each job on Conductor, to search and filter jobs by (shot, department...)"

    def __init__(self, controller, parent=None):
        super().__init__(controller, parent)
        label = QtWidgets.QLabel("Job metadata")
        label.setToolTip(self.TIP)
        self.editor = KeyValueEditor(policies=None, add_text="Add Metadata")
        self.editor.setToolTip(self.TIP)
        self.form.addRow(label, self.editor)
        self.form.setLabelAlignment(flags(QtCore.Qt.AlignRight, QtCore.Qt.AlignTop))
        self.editor.changed.connect(self._on_editor_changed)
        self.show_settings(controller.settings)

    def show_settings(self, settings):
        # A row being typed may repeat a key for a moment ("shot" on the way to
        # "shot_2"); the dict has merged it, but the rows must stay as typed.
        if {k: v for k, v, _p in self.editor.items(True)} == dict(settings.metadata):
            return
        self.editor.set_items([(k, v, None) for k, v in settings.metadata.items()])

    def _on_editor_changed(self):
        self.controller.update_settings(metadata={k: v for k, v, _p in self.editor.items(True)})
