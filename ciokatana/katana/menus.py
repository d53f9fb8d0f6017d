"""What the Conductor menu items do.

Layer: katana. Three items, registered once by
:mod:`ciokatana.katana.registration` (when the SuperTool loads, with
Katana's ``onStartup`` callback as a fallback):

- Util > Conductor (``FarmAPI.AddFarmMenuOption``): the dialog for the
  selected Render nodes, else every Render node;
- Util > Reset Conductor: delete the ConductorRender node and create a
  fresh one with default settings (after a confirmation);
- right-click a Render node > Render Farm > Conductor
  (``FarmAPI.AddFarmPopupMenuOption``): the dialog for the selected Render
  nodes, else the clicked one.

FarmAPI calls handlers with no arguments; the clicked node comes from
``FarmAPI.GetCurrentNode()``. An empty scope shows a message box instead
of an empty dialog. The dialog opener is injectable (``opener(scene)``), so
tests and studios can replace it; the default one lives in
:mod:`ciokatana.katana.dialogs`, the only path from the menus to Qt and the
only module of the adapter that imports :mod:`ciokatana.ui`.
"""

import logging

from ciokatana.katana import constants as C
from ciokatana.katana import settings_node
from ciokatana.katana.scene import KatanaScene, scope_nodes

logger = logging.getLogger(__name__)

NO_RENDER_NODES = (
    "There is no Render node to submit: this scene has none. Add a Render node "
    "(or select the Render nodes to submit), then choose Conductor again."
)


def tell(text, kind="Warning", detail=None):
    """Show a message box (UI4), or log the message when Katana has no UI."""
    try:
        from Katana import UI4  # type: ignore[attr-defined]  # stubs incomplete: Katana-stubs has no UI4 re-export (a UI-less session's list)
    except ImportError:
        UI4 = None
    box = getattr(getattr(getattr(UI4, "Widgets", None), "MessageBox", None), kind, None) if UI4 else None
    if box is None:
        logger.warning("%s: %s%s", C.TITLE, text, "\n" + detail if detail else "")
        return None
    if detail:
        return box(C.TITLE, text, detailedText=detail)
    return box(C.TITLE, text)


def ask(text, accept, cancel="Cancel"):
    """A Warning box with two buttons; True when accepted (or without a UI)."""
    try:
        from Katana import UI4  # type: ignore[attr-defined]  # stubs incomplete: Katana-stubs has no UI4 re-export (a UI-less session's list)
    except ImportError:
        return True
    return UI4.Widgets.MessageBox.Warning(C.TITLE, text, acceptText=accept, cancelText=cancel) == 0


def default_opener(scene):
    """Open the Conductor dialog (imports Qt only now)."""
    from ciokatana.katana import dialogs

    return dialogs.open_conductor_dialog(scene)


def open_conductor(nodes, settings=None, opener=None):
    """Open the dialog for Render nodes, or explain why not.

    Args:
        nodes: the Render nodes in scope (empty: a message, no dialog).
        settings: the ConductorRender node to use; the scene's by default
            (created when the scene has none, so the settings are saved
            with the scene from the start).
        opener: ``opener(scene)`` that shows the dialog.

    Returns:
        what the opener returned (the dialog), or None.
    """
    if not nodes:
        tell(NO_RENDER_NODES)
        return None
    node = settings if settings is not None else settings_node.ensure_settings_node()
    scene = KatanaScene(nodes=nodes, settings_node=node)
    try:
        return (opener or default_opener)(scene)
    except Exception as err:
        logger.exception("Conductor: the dialog could not open")
        tell("The Conductor dialog could not open: {}".format(err), kind="Critical")
        return None


def on_util_conductor(opener=None):
    """Util > Conductor: selected Render nodes, else every Render node."""
    return open_conductor(scope_nodes(), opener=opener)


def on_popup_conductor(opener=None):
    """Render Farm > Conductor: selected Render nodes, else the clicked node."""
    from Katana import FarmAPI

    clicked = FarmAPI.GetCurrentNode()
    nodes = scope_nodes(clicked=clicked)
    if not nodes and clicked is not None and clicked.getType() != C.RENDER_TYPE:
        tell(
            "Conductor submits Render nodes; {} is of type {}. Right-click a Render node, "
            "or select the Render nodes to submit.".format(clicked.getName(), clicked.getType())
        )
        return None
    return open_conductor(nodes, opener=opener)


def on_reset_conductor(confirm=True):
    """Util > Reset Conductor: a fresh ConductorRender node with default settings.

    Returns the new node, or None when the artist cancelled.
    """
    existing = settings_node.settings_nodes()
    if confirm and existing and not ask(
        "Reset Conductor deletes the {} node ({}) with every Conductor setting of this scene, "
        "and creates a new one with the defaults. Render nodes keep their farm settings.".format(
            C.NODE_TYPE, ", ".join(n.getName() for n in existing)
        ),
        accept="Reset",
    ):
        return None
    node = settings_node.reset_settings_node()
    try:
        from Katana import NodegraphAPI

        NodegraphAPI.SetNodeEdited(node, True, exclusive=True)
    except Exception:  # showing it in the Parameters tab is a courtesy
        logger.debug("could not show %s in the Parameters tab", node.getName(), exc_info=True)
    return node


def open_from_editor(node, opener=None):
    """The editor's Open button: selected Render nodes, else all, with this node's settings."""
    return open_conductor(scope_nodes(), settings=node, opener=opener)
