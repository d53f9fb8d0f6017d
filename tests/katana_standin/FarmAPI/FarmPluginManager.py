"""Stand-in for ``FarmAPI.FarmPluginManager`` (test equipment, not Katana).

Katana documents that render-farm plug-ins are "managed using the
FarmAPI.FarmPluginManager module" but the stand-in's sources do not name its
functions.  Stand-in guess [unverified]: the three functions below.  Plug-ins
also get registered from ``("FarmPlugin", 2.0, name, cls)`` entries of
``Plugins/`` modules loaded with ``katana_standin_control.load_plugins``.
Do not test against these names.
"""

from _katana_standin import state


def RegisterPlugin(name, pluginClass):
    """Register ``pluginClass`` under ``name`` [unverified name/signature]."""
    state.S.farm_plugins[name] = pluginClass
    state.S.farm_plugin_instances.pop(name, None)


def GetPluginNames():
    """Names of the registered farm plug-ins, registration order [unverified]."""
    return list(state.S.farm_plugins)


def GetPlugin(name):
    """The plug-in instance for ``name`` (created on first request), or ``None`` [unverified]."""
    S = state.S
    cls = S.farm_plugins.get(name)
    if cls is None:
        return None
    if name not in S.farm_plugin_instances:
        S.farm_plugin_instances[name] = cls()
    return S.farm_plugin_instances[name]
