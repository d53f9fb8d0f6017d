"""Small differences between PySide2, PyQt5 and PySide6, papered over.

Layer: ui. qtpy maps module names and most enums; what is left is here:
enum values as ints (PySide6 enums have ``.value``, Qt5 enums are ints),
check states coming back from views as ints or enums, and ``exec`` (a
keyword in old Python, so PySide2 only has ``exec_``), flag arithmetic
that PySide2 5.13 cannot do on Python 3.10+, and a guard for PySide6
6.12.0's reference leak on Python 3.11 (:func:`guard_binding_refcounts`).
"""

import logging
import sys

from ciokatana.qt import API, API_NAME, QT_VERSION, QtCore

logger = logging.getLogger(__name__)


def as_int(value):
    """An enum or flag value as a plain int, on every binding."""
    inner = getattr(value, "value", value)
    try:
        return int(inner)
    except TypeError:
        return int(value)


def is_checked(value):
    """Whether a CheckStateRole value (int or enum) means checked."""
    try:
        return as_int(value) == as_int(QtCore.Qt.Checked)
    except (TypeError, ValueError):
        return bool(value)


def check_state(flag):
    """The CheckStateRole value for a bool."""
    return QtCore.Qt.Checked if flag else QtCore.Qt.Unchecked


def exec_(obj, *args):
    """Run ``obj.exec()`` (``exec_`` where that is the only spelling)."""
    method = getattr(obj, "exec_", None) or obj.exec
    return method(*args)


def flags(*values):
    """OR together flags of one enum type, on every binding.

    PySide2 5.13 running on Python 3.10 or newer cannot apply ``|`` to its
    enum flags (it raises TypeError), so there the ints are combined and
    the enum type is built from the result, which its setters accept.
    """
    if API == "pyside2":
        total = 0
        for value in values:
            total |= as_int(value)
        return type(values[0])(total)
    result = values[0]
    for value in values[1:]:
        result = result | value
    return result


def has_flag(value, flag):
    """Whether ``flag`` is set in ``value`` (``&`` fails on PySide2 5.13 too)."""
    return bool(as_int(value) & as_int(flag))


_REFCOUNT_RESERVE = 1 << 40


def binding_leaks_none():
    """Whether this binding drops a reference to None on every void call.

    PySide6 6.12.0 on Python 3.11 does (it appears to assume Python 3.12's
    immortal None): each call of a method returning nothing, e.g.
    ``QObject.setObjectName``, takes one reference from None, and a few
    thousand calls later CPython aborts with "none_dealloc". 6.11 is fine.
    """
    if API != "pyside6" or sys.version_info >= (3, 12):
        return False
    probe = QtCore.QObject()
    before = sys.getrefcount(None)
    for _ in range(32):
        probe.setObjectName("probe")
    return sys.getrefcount(None) - before <= -16


def guard_binding_refcounts():
    """Work around :func:`binding_leaks_none` for this process; True if it was needed.

    Gives None, True and False a reserve of references so the leak cannot
    reach zero. Only the standalone dialog, the tests and the benchmarks call
    it, never at import; inside Katana the host's binding is used as is.
    """
    if not binding_leaks_none():
        return False
    import ctypes

    for obj in (None, True, False):
        ctypes.c_ssize_t.from_address(id(obj)).value += _REFCOUNT_RESERVE
    logger.warning(
        "%s %s on Python %d.%d drops references to None; a workaround is active. "
        "Use PySide6 6.11 or Python 3.12+ to avoid it.", API_NAME, QT_VERSION, sys.version_info[0], sys.version_info[1]
    )
    return True


def text_width(metrics, text):
    """Pixels ``text`` takes in QFontMetrics ``metrics`` (``width`` before Qt 5.11)."""
    advance = getattr(metrics, "horizontalAdvance", None)
    return advance(text) if advance is not None else metrics.width(text)


def is_deleted(obj):
    """Whether a QObject's C++ side is gone (deleted by Qt), on every binding."""
    try:
        obj.objectName()
    except RuntimeError:  # "wrapped C/C++ object ... has been deleted" / "Internal C++ object ... already deleted"
        return True
    return False
