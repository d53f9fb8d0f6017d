"""Qt fixtures for the Katana adapter tests that need a binding (pytest-qt).

Layer: tests/katana/ui. Run this folder under each binding
(``CIOKATANA_QT_API=pyside6|pyqt5|pyside2 pytest tests/katana/ui``). The
folder is skipped when no binding can be imported or pytest-qt is off
(``-p no:pytestqt``), so the Qt-free run of ``tests/katana`` stays green.

Katana ships PyQt5 up to 7.5 and PySide6 from 8.0, so every test gets a
stand-in ``KatanaInfo.version`` that matches the binding this process runs
(no Katana ships PySide2: there the documented ``CIOKATANA_QT_API``
override is used), and the stand-in's UI4 shims are given real Qt modules.
"""

import os

import pytest


def _qt_usable(config):
    plugins = config.pluginmanager
    if not (plugins.hasplugin("pytest-qt") or plugins.hasplugin("pytestqt")):
        return False
    try:
        from ciokatana import qt  # noqa: F401
    except ImportError:
        return False
    return True


def pytest_ignore_collect(collection_path, config):
    # A run that asked for a binding must fail loudly if it cannot load it.
    if os.environ.get("CIOKATANA_QT_API"):
        return None
    if collection_path.name.startswith("test_") and not _qt_usable(config):
        return True
    return None


@pytest.fixture(autouse=True)
def katana_matches_the_binding(ksc, monkeypatch, qapp):
    from ciokatana import qt

    if qt.API == "pyside6":
        ksc.set_version("8.0v2")
    elif qt.API == "pyqt5":
        ksc.set_version("7.5v3")
    else:
        monkeypatch.setenv("CIOKATANA_QT_API", qt.API)
    ksc.use_qt(qt.QtWidgets, qt.QtGui)
    yield qt


@pytest.fixture(scope="session", autouse=True)
def binding_refcount_guard():
    """PySide6 6.12.0 on Python 3.11 leaks references to None (see ciokatana.ui.compat)."""
    from ciokatana.ui.compat import guard_binding_refcounts

    guard_binding_refcounts()
