"""Explicit registration of the plugin with Katana.

Layer: katana. Importing ``ciokatana`` or ``ciokatana.katana`` registers
nothing; the SuperTool init file that ``post_install`` writes (or the one
shipped in ``ciokatana/katana/resources``) calls, in this order:

1. :func:`pin_qt_binding` - pick the binding of this Katana version before
   any UI module is imported (UI mode only; batch stays Qt-free);
2. :func:`register` - schedule the farm settings and the three menu items
   for Katana's ``onStartup`` callback (Katana's documentation says both
   must be added there) and return the node class;
3. ``PluginRegistry = [("SuperTool", 2, "ConductorRender", (NodeClass,
   GetEditor))]`` with ``GetEditor`` calling :func:`editor_class`, so the
   editor (Qt) is only imported when a Parameters tab shows the node.

Menu handlers are small trampolines that import
:mod:`ciokatana.katana.menus` when they run: after the Reload Conductor
shelf item has reloaded the modules, the same menu items run the new code,
and nothing is ever registered twice in a session.
"""

import importlib
import logging

from ciokatana.katana import constants as C
from ciokatana.katana import qtbinding

logger = logging.getLogger(__name__)


def pin_qt_binding():
    """Pin Katana's Qt binding (UI mode); log, never raise, on failure."""
    return qtbinding.try_pin_katana_binding()


def node_class():
    """The ConductorRender SuperTool class (imports NodegraphAPI)."""
    from ciokatana.katana.node import ConductorRenderNode

    return ConductorRenderNode


def editor_class():
    """The ConductorRender editor class (imports Qt; Katana calls this lazily)."""
    qtbinding.pin_katana_binding(force=True)
    from ciokatana.katana.editor import ConductorRenderEditor

    return ConductorRenderEditor


def _menu_handler(function_name, **kwargs):
    """A FarmAPI menu handler that runs ``ciokatana.katana.menus.<function_name>``."""

    def handler(*_args, **_kwargs):
        module = importlib.import_module("ciokatana.katana.menus")
        return getattr(module, function_name)(**kwargs)

    handler.__name__ = "conductor_" + function_name
    return handler


def register_menus(opener=None):
    """Add Util > Conductor, Util > Reset Conductor and Render Farm > Conductor.

    Args:
        opener: ``opener(scene)`` used instead of the Qt dialog (tests, studios).
    """
    from Katana import FarmAPI

    FarmAPI.AddFarmMenuOption(C.MENU_CONDUCTOR, _menu_handler("on_util_conductor", opener=opener))
    FarmAPI.AddFarmMenuOption(C.MENU_RESET, _menu_handler("on_reset_conductor"))
    FarmAPI.AddFarmPopupMenuOption(C.POPUP_CONDUCTOR, _menu_handler("on_popup_conductor", opener=opener))


def register_now(opener=None):
    """Add the farm settings and the menu items at once."""
    from ciokatana.katana import farm

    farm.register_farm_settings()
    register_menus(opener=opener)


def register(opener=None, defer=True):
    """Register the plugin's farm settings and menus; return the node class.

    Args:
        opener: ``opener(scene)`` that shows the dialog (default: the Qt dialog).
        defer: add them from Katana's ``onStartup`` callback (what a plug-in
            loaded at start-up must do); ``False`` adds them now (from the
            Python tab of a running Katana, or tests).

    Returns:
        the ConductorRender node class, for the SuperTool ``PluginRegistry``.
    """
    from ciokatana.core.redact import install_log_redaction

    install_log_redaction()  # ciocore may log in this Katana session
    if defer:
        from Katana import Callbacks

        def on_startup(**_kwargs):
            register_now(opener=opener)

        Callbacks.addCallback(Callbacks.Type.onStartup, on_startup)
    else:
        register_now(opener=opener)
    return node_class()


def plugin_registry():
    """The ``PluginRegistry`` list of the ConductorRender SuperTool."""

    def GetEditor():
        return editor_class()

    return [("SuperTool", 2, C.NODE_TYPE, (node_class(), GetEditor))]
