"""The one place that picks the Qt binding.

Everything else does ``from ciokatana.qt import QtCore, QtGui, QtWidgets,
Signal``. The binding is chosen, in order:

1. ``CIOKATANA_QT_API`` (``pyside2``, ``pyqt5`` or ``pyside6``) when set;
2. inside Katana, the binding Katana ships, from ``KatanaInfo.version``:
   PyQt5 up to 7.5, PySide6 from 8.0 (the Katana adapter pins it through
   :func:`pin` before the dialog is imported; as a safety net this module
   also reads ``KatanaInfo`` when Katana has already imported it);
3. otherwise qtpy's own choice among the installed bindings.

In cases 1 and 2 the choice is strict: if that binding cannot be imported,
or another binding is already loaded, importing this module raises an
ImportError that says so, instead of falling back to "whatever imports
first" (a stray binding can crash Katana).
"""

from __future__ import annotations

import os
import sys

BINDINGS = ("pyside2", "pyqt5", "pyside6")
_MODULES = {"pyside2": "PySide2", "pyqt5": "PyQt5", "pyside6": "PySide6"}


def katana_binding(version: str) -> str:
    """The binding a Katana version ships: ``"7.5v3"`` -> ``"pyqt5"``."""
    major_text = str(version).strip().split(".", 1)[0]
    digits = "".join(ch for ch in major_text if ch.isdigit())
    if not digits:
        raise ValueError("cannot read a Katana major version from {!r}".format(version))
    return "pyside6" if int(digits) >= 8 else "pyqt5"


def wanted_binding():
    """The binding that must be used, or None to let qtpy choose."""
    explicit = os.environ.get("CIOKATANA_QT_API", "").strip().lower()
    if explicit:
        if explicit not in BINDINGS:
            raise ImportError(
                "CIOKATANA_QT_API={!r} is not one of {}".format(explicit, ", ".join(BINDINGS))
            )
        return explicit
    katana_info = sys.modules.get("KatanaInfo")
    version = getattr(katana_info, "version", None) if katana_info is not None else None
    if version:
        return katana_binding(version)
    return None


def pin(binding: str) -> None:
    """Require a binding for this process (call before importing the UI)."""
    binding = binding.lower()
    if binding not in BINDINGS:
        raise ValueError("unknown binding {!r}".format(binding))
    os.environ["CIOKATANA_QT_API"] = binding


def _load():
    wanted = wanted_binding()
    if wanted:
        others = [m for b, m in _MODULES.items() if b != wanted and m in sys.modules]
        if others:
            raise ImportError(
                "ciokatana needs {} here, but {} is already loaded in this process".format(
                    _MODULES[wanted], ", ".join(others)
                )
            )
        os.environ["QT_API"] = wanted
        os.environ["FORCE_QT_API"] = "1"
    try:
        import qtpy
    except Exception as err:  # qtpy raises its own error types when no binding exists
        raise ImportError(
            "no usable Qt binding ({}): install one, e.g. pip install ciokatana[pyside6]".format(err)
        )
    if wanted and qtpy.API != wanted:
        raise ImportError(
            "ciokatana needs {} here but it could not be imported (qtpy chose {})".format(
                _MODULES[wanted], qtpy.API_NAME
            )
        )
    return qtpy


_qtpy = _load()

from qtpy import QtCore, QtGui, QtWidgets  # noqa: E402

API = _qtpy.API
API_NAME = _qtpy.API_NAME
QT_VERSION = _qtpy.QT_VERSION
Signal = QtCore.Signal

__all__ = ["QtCore", "QtGui", "QtWidgets", "Signal", "API", "API_NAME", "QT_VERSION"]
