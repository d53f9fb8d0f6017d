"""The ConductorRender node's Parameters-tab panel.

Layer: katana + Qt (through :mod:`ciokatana.qt`; imported only by
``GetEditor``, after the binding is pinned). Katana builds the editor as
``Editor(parent, node)`` whenever the node is shown in a Parameters tab and
destroys it freely, so the editor keeps no state: it reads the node's
parameters each time it refreshes, and the Open button builds a new scene
object for the dialog.

While visible, it listens to ``parameter_finalizeValue`` (Katana's event
queue) to refresh its summary; it stops listening when hidden (the
thaw/freeze idiom of Foundry's SuperTool examples).
"""

import html
import logging

from ciokatana.katana import constants as C
from ciokatana.katana import menus, settings_node, summary
from ciokatana.katana.scene import all_render_nodes
from ciokatana.qt import QtCore, QtWidgets

logger = logging.getLogger(__name__)

EVENTS = ("parameter_finalizeValue", "node_setName", "node_delete")


class ConductorRenderEditor(QtWidgets.QWidget):
    """Settings summary, the Open Conductor button and the node's parameters."""

    def __init__(self, parent, node):
        super().__init__(parent)
        self._node = node
        self._listening = False

        self.heading_label = QtWidgets.QLabel(
            "<b>Conductor</b> &mdash; submits every Render node of this scene to Conductor, "
            "one job per node. These settings are saved with the scene."
        )
        self.heading_label.setWordWrap(True)
        self.note_label = QtWidgets.QLabel("")
        self.note_label.setWordWrap(True)
        self.note_label.setVisible(False)
        self.summary_label = QtWidgets.QLabel("")
        self.summary_label.setTextFormat(QtCore.Qt.RichText)  # type: ignore[attr-defined]  # stubs incomplete: PySide2.QtCore (types-katana's PyQt5-stubs/QtCore.pyi star-imports it; no PySide2 stubs ship)
        self.summary_label.setTextInteractionFlags(QtCore.Qt.TextSelectableByMouse)  # type: ignore[attr-defined]  # stubs incomplete: PySide2.QtCore (types-katana's PyQt5-stubs/QtCore.pyi star-imports it; no PySide2 stubs ship)
        self.open_button = QtWidgets.QPushButton("Open Conductor\u2026")
        self.open_button.setToolTip("Open the Conductor dialog for the selected Render nodes, else all of them")
        self.refresh_button = QtWidgets.QPushButton("Refresh")
        self.parameters_widget = self._build_parameters_widget()

        buttons = QtWidgets.QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.refresh_button)
        buttons.addStretch(1)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.heading_label)
        layout.addWidget(self.note_label)
        layout.addWidget(self.summary_label)
        layout.addLayout(buttons)
        if self.parameters_widget is not None:
            layout.addWidget(self.parameters_widget)
        layout.addStretch(1)

        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.refresh_button.clicked.connect(self.refresh)
        self.refresh()

    @property
    def node(self):
        return self._node

    def _build_parameters_widget(self):
        """Katana's own widgets for the node's parameters (None outside Katana's UI)."""
        try:
            from Katana import UI4  # type: ignore[attr-defined]  # stubs incomplete: Katana-stubs has no UI4 re-export (a UI-less session's list)

            policy = UI4.FormMaster.CreateParameterPolicy(None, self._node.getParameters())
            widget = UI4.FormMaster.KatanaFactory.ParameterWidgetFactory.buildWidget(self, policy)
        except Exception:
            logger.debug("no parameter widgets for %s", C.NODE_TYPE, exc_info=True)
            return None
        return widget if isinstance(widget, QtWidgets.QWidget) else None

    # -- content -----------------------------------------------------------
    def rows(self):
        """The summary rows shown, ``[(label, text)]``."""
        from Katana import FarmAPI

        frame_range = FarmAPI.GetSceneFrameRange()
        data = settings_node.read_settings(self._node)
        return summary.settings_rows(
            data,
            frame_range=(int(frame_range["start"]), int(frame_range["end"])),
            render_node_count=len(all_render_nodes()),
        )

    def refresh(self):
        """Re-read the node and show its settings."""
        if not settings_node.is_alive(self._node):
            self.summary_label.setText("")
            self._note("This {} node was deleted.".format(C.NODE_TYPE))
            self.open_button.setEnabled(False)
            return
        self.open_button.setEnabled(True)
        others = [n for n in settings_node.settings_nodes() if n is not self._node]
        first = settings_node.find_settings_node()
        if others and first is not self._node:
            self._note(
                "This scene has {} {} nodes; the Conductor menus use {}. Delete the extra ones, "
                "or use Util > Reset Conductor.".format(len(others) + 1, C.NODE_TYPE, first.getName())
            )
        else:
            self._note("")
        cells = "".join(
            "<tr><td style='padding-right:12px'>{}</td><td>{}</td></tr>".format(html.escape(k), html.escape(v))
            for k, v in self.rows()
        )
        self.summary_label.setText("<table>{}</table>".format(cells))

    def _note(self, text):
        self.note_label.setText(text)
        self.note_label.setVisible(bool(text))

    # -- events ------------------------------------------------------------
    def showEvent(self, event):
        super().showEvent(event)
        self._listen(True)
        self.refresh()

    def hideEvent(self, event):
        self._listen(False)
        super().hideEvent(event)

    def _listen(self, enabled):
        if enabled == self._listening:
            return
        try:
            from Katana import Utils

            for event_type in EVENTS:
                Utils.EventModule.RegisterCollapsedHandler(self._on_katana_events, event_type, None, enabled)
        except Exception:
            logger.debug("could not %s Katana events", "follow" if enabled else "stop following", exc_info=True)
            return
        self._listening = enabled

    def _on_katana_events(self, args):
        for _event_type, _event_id, kwargs in args:
            if kwargs.get("node") is self._node:
                self.refresh()
                return

    def _on_open_button_clicked(self):
        menus.open_from_editor(self._node)
