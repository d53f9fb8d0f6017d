"""Stand-in for Katana's ``Callbacks`` package (test equipment, not Katana).

As in Katana 5.0v5 (``types-katana`` stubs): the package exports
``Callbacks`` - the one ``CallbacksManager`` instance, which is also what
``from Katana import Callbacks`` gives - plus ``DeclareCallbackType`` and
``ExecuteCallbacksForType``.  So ``Callbacks.addCallback(Callbacks.Type.
onStartup, fn)`` works on ``Katana.Callbacks``, not on this package.

The stand-in itself runs ``onNodeCreate``, ``onNodeDelete`` (kwarg ``node``),
``onNewScene``, ``onSceneAboutToLoad``, ``onSceneLoad``, ``onSceneSave``
(kwarg ``filename``); tests fire the others (``onStartup``,
``onStartupComplete`` ...) with ``katana_standin_control.fire_callback``.
Every callback also receives ``objectHash``.
"""

from .Callbacks import Callbacks, DeclareCallbackType, ExecuteCallbacksForType  # noqa: F401
