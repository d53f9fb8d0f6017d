"""Stand-in for ``Callbacks.Callbacks`` (test equipment, not Katana): the manager.

Engine: ``_katana_standin.callbacks``.
"""

from _katana_standin import callbacks as _engine


class CallbacksManager(object):
    """Registers callbacks by type; ``Callbacks.Type`` lists the types."""

    Type = _engine.Type
    DeprecatedCallbackTypes = {}

    def addCallback(self, callbackType, callbackFcn, callbackObjectHash=None):
        """See ``_katana_standin.callbacks.addCallback``."""
        _engine.addCallback(callbackType, callbackFcn, callbackObjectHash)

    def delCallback(self, callbackType, callbackFcn, callbackObjectHash=None):
        """Remove a callback registered with the same arguments (no error if absent)."""
        _engine.delCallback(callbackType, callbackFcn, callbackObjectHash)

    def setCallbackTypeDeprecated(self, callbackTypeName, newCallbackTypeName):
        """Record a renamed type (stand-in guess: stored in ``DeprecatedCallbackTypes`` only)."""
        self.DeprecatedCallbackTypes[callbackTypeName] = newCallbackTypeName


Callbacks = CallbacksManager()


def DeclareCallbackType(callbackName):
    """Add a callback type ``Callbacks.Type.<callbackName>`` (stand-in guess: returns it)."""
    return _engine.declare(callbackName)


def ExecuteCallbacksForType(callbackType, callbackObjectHash=None, **kwargs):
    """Run the callbacks of a type.

    Stand-in guess: every callback of the type runs, whatever its hash;
    ``callbackObjectHash`` is not used to filter.
    """
    _engine.fire(callbackType, **kwargs)
