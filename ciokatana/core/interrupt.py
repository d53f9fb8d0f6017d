"""A Ctrl-C latch: remembers that the user pressed Ctrl-C even when Python loses the exception.

Layer: core (standard library only). Python delivers Ctrl-C as a
``KeyboardInterrupt`` raised wherever the main thread happens to be. When
that is inside a callback Python runs for itself (an import lock's weakref
callback, a ``__del__``), Python prints "Exception ignored in ..." and goes
on: the Ctrl-C is lost, and a submission the user tried to stop would be
sent. :func:`install` (called first by the ``ciokatana`` entry point)
replaces the SIGINT handler with one that also sets a flag; code about to
spend money checks it (:func:`check`) or polls it (:func:`pressed`).
"""

from __future__ import annotations

import signal
import threading

_PRESSED = threading.Event()


def _on_sigint(signum, frame):
    _PRESSED.set()
    raise KeyboardInterrupt


def install() -> None:
    """Latch every Ctrl-C from now on (main thread only; elsewhere a no-op)."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, _on_sigint)


def pressed() -> bool:
    """Whether Ctrl-C was pressed since :func:`install` (or :func:`reset`)."""
    return _PRESSED.is_set()


def check() -> None:
    """Raise ``KeyboardInterrupt`` if Ctrl-C was pressed, even if its exception was lost."""
    if _PRESSED.is_set():
        raise KeyboardInterrupt


def reset() -> None:
    """Forget a Ctrl-C (tests)."""
    _PRESSED.clear()
