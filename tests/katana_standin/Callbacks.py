"""Stand-in for Katana's ``Callbacks`` module (test equipment, not Katana).

Imitates ``Callbacks.addCallback`` / ``delCallback`` and ``Callbacks.Type``
(reference sheet 6.4).  The stand-in itself runs ``onNodeCreate``,
``onNodeDelete`` (kwarg ``node``), ``onNewScene``, ``onSceneAboutToLoad``,
``onSceneLoad``, ``onSceneSave`` (kwarg ``filename``); tests fire the others
(``onStartup``, ``onStartupComplete`` ...) with
``katana_standin_control.fire_callback``.  Every callback also receives
``objectHash``.
"""

from _katana_standin.callbacks import Type, addCallback, delCallback  # noqa: F401
