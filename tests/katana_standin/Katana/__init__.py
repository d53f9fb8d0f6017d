"""Stand-in for Katana's ``Katana`` package (test equipment, not Katana).

Imitates: ``from Katana import NodegraphAPI, FarmAPI, Callbacks, KatanaFile,
Utils, UI4, Nodes3DAPI, RenderManager, AssetAPI, Configuration``.  Each name
is the very module object importable at top level (``Katana.NodegraphAPI is
NodegraphAPI``), except ``Katana.Callbacks``, which is the
``CallbacksManager`` instance ``Callbacks.Callbacks`` (as in Katana 5.0v5).  Names are resolved on access, so
``katana_standin_control.set_ui4_importable(False)`` can make ``UI4``
unavailable the way a UI-less launch mode may.

Not imitated: Katana's re-export of Qt modules (``from Katana import
QtCore``), because the stand-in never imports a Qt binding.
"""

import importlib

_MODULES = (
    "AssetAPI",
    "Callbacks",
    "Configuration",
    "FarmAPI",
    "KatanaFile",
    "KatanaInfo",
    "NodegraphAPI",
    "Nodes3DAPI",
    "RenderManager",
    "UI4",
    "Utils",
)


def __getattr__(name):
    if name == "Callbacks":  # Katana.Callbacks is the CallbacksManager instance
        return importlib.import_module("Callbacks").Callbacks
    if name in _MODULES:
        try:
            return importlib.import_module(name)
        except ImportError as exc:
            raise AttributeError("Katana.%s is not available: %s" % (name, exc)) from exc
    raise AttributeError("module 'Katana' has no attribute %r" % (name,))


def __dir__():
    return sorted(_MODULES)
