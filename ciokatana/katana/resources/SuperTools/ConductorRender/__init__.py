"""Conductor for Katana: the ConductorRender SuperTool and the Conductor menus.

Layer: katana resources (a Katana SuperTool package). Katana imports this
package at start-up from ``<resources>/SuperTools/ConductorRender``. It puts
the folder holding the ``ciokatana`` package on ``sys.path``, pins the Qt
binding of this Katana version before any UI module is imported, registers
the farm settings and menus (at once, and again from Katana's onStartup
callback, which adds only what is missing), and declares the
ConductorRender node type. The editor is imported only when a
Parameters tab shows the node. A failure is logged and leaves Katana
running without Conductor.

``CIOKATANA_PARENT`` is written by ``ciokatana install`` (post_install);
when empty (this file used in place through ``KATANA_RESOURCES``), the
folder five levels up is used: ``<parent>/ciokatana/katana/resources/
SuperTools/ConductorRender``.
"""
# ciokatana-managed-file: written by ciokatana's post_install; 'ciokatana install --uninstall' removes it.

import logging
import os
import sys

CIOKATANA_PARENT = ""

_log = logging.getLogger("ciokatana")


def _ciokatana_parent():
    if CIOKATANA_PARENT:
        return CIOKATANA_PARENT
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.abspath(os.path.join(here, *[os.pardir] * 5))


PluginRegistry = []

try:
    _folder = _ciokatana_parent()
    if _folder not in sys.path:
        sys.path.insert(0, _folder)
    from ciokatana.katana import registration as _registration

    _registration.pin_qt_binding()
    NodeClass = _registration.register()

    def GetEditor():
        """The editor class, imported when Katana first shows the node (Qt)."""
        from ciokatana.katana import registration

        return registration.editor_class()

    PluginRegistry = [("SuperTool", 2, "ConductorRender", (NodeClass, GetEditor))]
except Exception:  # never stop Katana from starting
    _log.exception(
        "Conductor (ciokatana) could not load from %s; the ConductorRender node and the Conductor "
        "menus are unavailable. Reinstall with 'ciokatana install' or check the folder.",
        _ciokatana_parent(),
    )
