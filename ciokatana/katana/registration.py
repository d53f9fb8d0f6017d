"""Explicit registration of the plugin with Katana.

Layer: katana. Importing ``ciokatana`` or ``ciokatana.katana`` registers
nothing; the SuperTool init file that ``post_install`` writes (or the one
shipped in ``ciokatana/katana/resources``) calls, in this order:

1. :func:`pin_qt_binding` - pick the binding of this Katana version before
   any UI module is imported (UI mode only; batch stays Qt-free);
2. :func:`register` - add the farm settings and the three menu items, and
   return the node class;
3. ``PluginRegistry = [("SuperTool", 2, "ConductorRender", (NodeClass,
   GetEditor))]`` with ``GetEditor`` calling :func:`editor_class`, so the
   editor (Qt) is only imported when a Parameters tab shows the node.

When to register: nothing public says whether Katana imports SuperTools
before or after its ``onStartup`` callback fires. So :func:`register`
adds everything at once when FarmAPI is usable (as Conductor's earlier,
shipped plug-in did) *and* from an ``onStartup`` callback. Either order
gives exactly one set, because :func:`register_now` first asks FarmAPI what
is already there (``GetFarmMenuOptions()``, ``GetFarmPopupMenuOptions()``,
``GetAddedFarmSettings()``) and adds only what is missing. That also makes
the Reload Conductor shelf item, a second install route or a second import
harmless.

Menu handlers are small trampolines that import
:mod:`ciokatana.katana.menus` when they run: after the Reload Conductor
shelf item has reloaded the modules, the same menu items run the new code.
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


def _label(option):
    """The text of one entry of ``GetFarmMenuOptions()`` (its shape is
    undocumented), or None when it cannot be read."""
    if isinstance(option, str):
        return option or None
    if isinstance(option, (tuple, list)):
        for item in option:
            if isinstance(item, str) and item:
                return item
        return None
    for attr in ("menuCommandText", "text", "label", "name"):
        value = getattr(option, attr, None)
        try:
            value = value() if callable(value) else value
        except Exception:
            continue
        if isinstance(value, str) and value:
            return value
    return None


def _setting_name(setting):
    """The name of one entry of ``GetAddedFarmSettings()`` (a ``FarmSetting``),
    or None when it cannot be read."""
    if isinstance(setting, str):
        return setting or None
    if isinstance(setting, (tuple, list)) and setting and isinstance(setting[0], str) and setting[0]:
        return setting[0]
    for attr in ("getName", "getShortName", "name"):
        value = getattr(setting, attr, None)
        try:
            value = value() if callable(value) else value
        except Exception:
            continue
        if isinstance(value, str) and value:
            return value.rsplit(".", 1)[-1]
    return None


class Listing(object):
    """What a FarmAPI listing function reported.

    Attributes:
        names: the entries that could be read.
        complete: every entry could be read, so a name missing from
            ``names`` is really missing. When some entry could not be read
            (a shape this code does not know), a name missing from
            ``names`` may still be there.
    """

    def __init__(self, names, complete):
        self.names = names
        self.complete = complete


def _present(query, parse):
    """A :class:`Listing` of what a FarmAPI listing function reports, or None
    when the function is missing or fails."""
    if query is None:
        return None
    try:
        parsed = [parse(item) for item in (query() or ())]
    except Exception:
        logger.debug("Conductor: %s failed", getattr(query, "__name__", query), exc_info=True)
        return None
    return Listing({name for name in parsed if name}, complete=all(parsed))


def already_there(listing, name, key, flags):
    """Whether ``name`` is registered: FarmAPI's listing when it can be
    read whole; otherwise (no listing, or entries of an unknown shape) the
    listing's readable names and this session's record ``flags`` (``key``),
    so an unreadable listing never leads to a second registration."""
    if listing is not None and name in listing.names:
        return True
    if listing is not None and listing.complete:
        return False
    return key in flags


def _fallback_flags():
    """Per-session record of what was added, for a Katana without the listing calls.

    Kept on the ``ciokatana`` package, which Reload Conductor never drops.
    """
    import ciokatana

    package = vars(ciokatana)
    flags = package.get("_katana_registered")
    if flags is None:
        flags = package["_katana_registered"] = set()
    return flags


def register_menus(opener=None):
    """Add Util > Conductor, Util > Reset Conductor and Render Farm > Conductor, once.

    Args:
        opener: ``opener(scene)`` used instead of the Qt dialog (tests, studios).

    Returns:
        the labels added now (empty when all were there already).
    """
    from Katana import FarmAPI

    flags = _fallback_flags()
    added = []
    util = _present(getattr(FarmAPI, "GetFarmMenuOptions", None), _label)
    popup = _present(getattr(FarmAPI, "GetFarmPopupMenuOptions", None), _label)
    items = (
        (util, "util", C.MENU_CONDUCTOR, FarmAPI.AddFarmMenuOption, _menu_handler("on_util_conductor", opener=opener)),
        (util, "util", C.MENU_RESET, FarmAPI.AddFarmMenuOption, _menu_handler("on_reset_conductor")),
        (popup, "popup", C.POPUP_CONDUCTOR, FarmAPI.AddFarmPopupMenuOption,
         _menu_handler("on_popup_conductor", opener=opener)),
    )
    for present, menu, label, add, handler in items:
        if already_there(present, label, "menu:{}:{}".format(menu, label), flags):
            continue
        add(label, handler)
        flags.add("menu:{}:{}".format(menu, label))
        added.append(label)
    return added


def register_now(opener=None):
    """Add whatever farm settings and menu items are not there yet.

    Returns:
        the names added now (settings then menu labels); empty when nothing was missing.
    """
    from ciokatana.katana import farm

    return farm.register_farm_settings() + register_menus(opener=opener)


def farm_api_ready():
    """Whether FarmAPI can take farm settings and menu items now."""
    try:
        from Katana import FarmAPI
    except Exception:
        return False
    return all(callable(getattr(FarmAPI, name, None)) for name in (
        "AddFarmMenuOption", "AddFarmPopupMenuOption", "AddFarmSettingNumber", "AddFarmSettingString"))


def register(opener=None, defer=True):
    """Register the plugin's farm settings and menus; return the node class.

    Args:
        opener: ``opener(scene)`` that shows the dialog (default: the Qt dialog).
        defer: also register from Katana's ``onStartup`` callback (what a
            plug-in loaded at start-up does, whichever way round Katana
            loads SuperTools and fires ``onStartup``); ``False`` registers
            now only (the Python tab of a running Katana, tests).

    Returns:
        the ConductorRender node class, for the SuperTool ``PluginRegistry``.
    """
    from ciokatana.core.redact import install_log_redaction

    install_log_redaction()  # ciocore may log in this Katana session
    if farm_api_ready():
        try:
            register_now(opener=opener)
        except Exception:  # onStartup tries again
            logger.warning("Conductor: could not add the menus and farm settings yet; retrying at start-up",
                           exc_info=True)
    elif not defer:
        register_now(opener=opener)
    if defer:
        from Katana import Callbacks

        def on_startup(**_kwargs):
            register_now(opener=opener)

        Callbacks.addCallback(Callbacks.Type.onStartup, on_startup)
    return node_class()

