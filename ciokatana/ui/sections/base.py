"""What every Configure section shares: its controller and three refresh hooks.

Layer: ui. A section is a :class:`~ciokatana.ui.widgets.collapsible.CollapsibleSection`
whose fields write through ``controller.update_settings``. The Configure tab
calls the hooks when the controller reports a change; a section shows the
new values without emitting edits of its own (fields are set with their
signals blocked, and only when they differ, so typing is never disturbed).
"""

from ciokatana.qt import QtWidgets
from ciokatana.ui.widgets.collapsible import CollapsibleSection
from ciokatana.ui.widgets.form import make_form


class Section(CollapsibleSection):
    """A Configure section. Subclasses set TITLE and TOOLTIP and fill ``self.form``."""

    TITLE = ""
    TOOLTIP = ""

    def __init__(self, controller, parent=None):
        super().__init__(self.TITLE, expanded=True, tooltip=self.TOOLTIP, parent=parent)
        self.controller = controller
        self.content = QtWidgets.QWidget()
        self.form = make_form(self.content)
        self.set_body(self.content)

    def show_settings(self, settings):
        """Show these settings (called after every change)."""

    def show_plan(self, result):
        """Show what the newest plan found (task counts, assets...)."""

    def show_conductor(self, data):
        """Conductor data arrived: refill the lists."""

    def show_scene(self, snapshot):
        """The scene was re-read or a node edited."""

    def show_stale(self, stale):
        """A change is (no longer) waiting to be planned: mark figures as updating."""
