"""Pick the Qt binding Katana ships, before any ciokatana UI module is imported.

Layer: katana. Katana up to 7.5 ships PyQt5 and Katana 8.0 and later ship
PySide6; a stray binding on the user's system must never be loaded instead
(it can crash Katana). The choice follows ``KatanaInfo.version`` through
:func:`ciokatana.qt.katana_binding` and is made binding for the process with
:func:`ciokatana.qt.pin`.

Only the UI launch mode needs Qt. ``ciokatana.qt`` loads a binding when it is
imported, so in batch, script and shell modes nothing here imports it: the
batch submission stays Qt-free, and if a later import of ``ciokatana.qt``
happens anyway, its own ``KatanaInfo`` rule picks the same binding.

``CIOKATANA_QT_API`` set by the user (``pyside2``, ``pyqt5``, ``pyside6``)
is the documented override of :mod:`ciokatana.qt` and is respected.
"""

import logging
import os

logger = logging.getLogger(__name__)

ENV = "CIOKATANA_QT_API"
NAMES = {"pyqt5": "PyQt5", "pyside6": "PySide6", "pyside2": "PySide2"}


class BindingError(ImportError):
    """The binding Katana needs cannot be used; the message says which and why."""


def katana_version():
    """``KatanaInfo.version`` as a string (``"7.5v3"``), or ``""`` outside Katana."""
    try:
        import KatanaInfo  # type: ignore[import-not-found]  # stubs incomplete: types-katana has no KatanaInfo stub
    except ImportError:
        return ""
    return str(getattr(KatanaInfo, "version", "") or "")


def ui_mode():
    """Whether Katana runs with its UI (``Configuration.get('KATANA_UI_MODE')``)."""
    try:
        from Katana import Configuration
    except ImportError:
        return False
    return bool(Configuration.get("KATANA_UI_MODE"))


def pin_katana_binding(version=None, force=False):
    """Pin the binding of this Katana for the process and return its name.

    Args:
        version: a Katana version string; ``KatanaInfo.version`` by default.
        force: pin even when Katana runs without its UI.

    Returns:
        ``"pyqt5"`` / ``"pyside6"`` (or the user's ``CIOKATANA_QT_API``), or
        ``None`` when nothing was pinned (no UI, so no Qt is needed).

    Raises:
        BindingError: the binding could not be loaded; the message names it.
    """
    if not force and not ui_mode():
        return None
    explicit = os.environ.get(ENV, "").strip().lower()
    version = version or katana_version()
    try:
        from ciokatana import qt
    except ImportError as err:
        raise BindingError(
            "Conductor needs the Qt binding of Katana {} but could not load it: {}".format(version or "?", err)
        )
    if explicit:
        return explicit
    binding = qt.katana_binding(version)
    if qt.API != binding:
        raise BindingError(
            "Conductor needs {} in Katana {}, but {} is loaded in this process".format(
                NAMES.get(binding, binding), version, qt.API_NAME)
        )
    qt.pin(binding)
    return binding


def try_pin_katana_binding():
    """:func:`pin_katana_binding`, logging a failure instead of raising.

    Used while Katana loads plug-ins: a missing binding must not stop the
    farm settings, the menus or the batch submission from registering. The
    dialog reports the same error again when it is opened.
    """
    try:
        return pin_katana_binding()
    except Exception as err:  # a plug-in must never crash Katana's start-up
        logger.warning("Conductor: the Qt binding could not be chosen (%s); the dialog will not open", err)
        return None
