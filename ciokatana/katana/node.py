"""The ConductorRender SuperTool node class.

Layer: katana. This module imports ``NodegraphAPI`` at module level because
the class must subclass ``NodegraphAPI.SuperTool``; only Katana-side code
imports it (the SuperTool init file, through
:func:`ciokatana.katana.registration.node_class`), never ``import ciokatana``
or ``import ciokatana.katana``.

The node holds the submitter settings as parameters and nothing else: no
ports, no internal network. Its methods delegate to
:mod:`ciokatana.katana.settings_node`, looked up when they run, so the
Reload Conductor shelf item can swap the implementation without Katana
re-registering the class.
"""

import importlib

from Katana import NodegraphAPI


def _impl():
    return importlib.import_module("ciokatana.katana.settings_node")


class ConductorRenderNode(NodegraphAPI.SuperTool):
    """Stores the Conductor submitter settings of a scene (one per scene).

    Katana calls ``__init__`` only for a new node (not when a project
    loads) and, as documented, without the base-class constructor. ``polish``
    runs for new and loaded nodes alike and adds any parameter a newer
    version of the plugin introduced.
    """

    def __init__(self):
        self.hideNodegraphGroupControls()
        _impl().build(self)

    def polish(self):
        _impl().build(self)
