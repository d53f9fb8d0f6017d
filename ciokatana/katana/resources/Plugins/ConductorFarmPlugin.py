"""Conductor as a Katana render farm (Katana 4.0+ ``FarmAPI.BaseFarmPlugin``).

Layer: katana resources (a module of a resource root's ``Plugins/`` folder).
Katana imports it at start-up. It puts the folder holding the ``ciokatana``
package on ``sys.path`` and registers ``ConductorFarmPlugin``
(:mod:`ciokatana.katana.farm_plugin`) as the render farm "Conductor", so
Disk Renders can be sent to Conductor from Katana's render menus, and
Katana's job list and Render Log tab show Conductor's jobs. A failure is
logged and leaves Katana running without the Conductor farm.

``CIOKATANA_PARENT`` is written by ``ciokatana install`` (post_install);
when empty (this file used in place through ``KATANA_RESOURCES``), the
folder four levels up is used: ``<parent>/ciokatana/katana/resources/
Plugins``.
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
    return os.path.abspath(os.path.join(here, *[os.pardir] * 4))


PluginRegistry = []

try:
    _folder = _ciokatana_parent()
    if _folder not in sys.path:
        sys.path.insert(0, _folder)
    from ciokatana.katana.farm_plugin import FARM_NAME, ConductorFarmPlugin

    PluginRegistry = [("FarmPlugin", 2.0, FARM_NAME, ConductorFarmPlugin)]
except Exception:  # never stop Katana from starting
    _log.exception(
        "Conductor (ciokatana) could not load its render farm plug-in from %s; Conductor is not offered "
        "in Katana's render menus. Reinstall with 'ciokatana install' or check the folder.",
        _ciokatana_parent(),
    )
