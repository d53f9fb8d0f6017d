"""Fixtures for the Katana adapter tests, run against the Katana stand-in.

Layer: tests/katana (no Qt binding needed).

Puts ``tests/katana_standin`` on ``sys.path``, gives every test a fresh,
empty Katana session, and cleans up what a Katana session leaves in the
process: the stand-in's ``KatanaInfo`` (``ciokatana.qt`` would read it and
pick PyQt5 for later test folders), the Qt-binding variables the plugin pins
(``CIOKATANA_QT_API``, ``QT_API``, ``FORCE_QT_API``), the SuperTool package
modules Katana-style loading imports, and, at the end of the session, every
stand-in module. Tests here need no Qt binding; those that do live in
``tests/katana/ui``.
"""

import os
import sys

import pytest

TESTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STANDIN = os.path.join(TESTS, "katana_standin")
KATANA_TESTS = os.path.dirname(os.path.abspath(__file__))
if STANDIN not in sys.path:
    sys.path.insert(0, STANDIN)
if KATANA_TESTS not in sys.path:
    sys.path.insert(0, KATANA_TESTS)

import katana_standin_control  # noqa: E402

STANDIN_MODULES = (
    "AssetAPI", "Callbacks", "Configuration", "FarmAPI", "Katana", "KatanaFile", "KatanaInfo",
    "NodegraphAPI", "Nodes3DAPI", "RenderManager", "UI4", "Utils", "_katana_standin", "katana_standin_control",
)
PLUGIN_PACKAGES = ("ConductorRender",)
QT_VARIABLES = ("CIOKATANA_QT_API", "QT_API", "FORCE_QT_API")


def _drop(names):
    for name in list(sys.modules):
        if any(name == n or name.startswith(n + ".") for n in names):
            del sys.modules[name]


@pytest.fixture(autouse=True)
def fresh_katana():
    import ciokatana

    saved = {k: os.environ.get(k) for k in QT_VARIABLES}
    katana_standin_control.reset()
    ciokatana.__dict__.pop("_katana_registered", None)  # registration's per-session fallback record
    yield katana_standin_control
    katana_standin_control.reset()
    ciokatana.__dict__.pop("_katana_registered", None)
    sys.modules.pop("KatanaInfo", None)
    _drop(PLUGIN_PACKAGES)
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="session", autouse=True)
def forget_standin_at_the_end():
    yield
    _drop(STANDIN_MODULES + PLUGIN_PACKAGES + ("ciokatana.katana.node", "ciokatana.katana.editor"))
    while STANDIN in sys.path:
        sys.path.remove(STANDIN)


@pytest.fixture
def ksc():
    return katana_standin_control


@pytest.fixture
def resources(tmp_path):
    """A Katana resources folder with the plugin installed by post_install."""
    from ciokatana import post_install

    folder = tmp_path / "katana_resources"
    post_install.install(str(folder))
    return folder


@pytest.fixture
def plugin(resources, ksc):
    """The plugin loaded the way Katana does at start-up (SuperTools, then onStartup)."""
    names = ksc.load_superTools(str(resources))
    assert ksc.plugin_load_errors() == [], ksc.plugin_load_errors()
    assert names == ["ConductorRender"]
    ksc.fire_startup()
    return sys.modules["ConductorRender"]


@pytest.fixture
def opened(monkeypatch):
    """Replaces the Qt dialog opener with one that records the scenes it gets."""
    from ciokatana.katana import menus

    class Opened(list):
        def __call__(self, scene):
            self.append(scene)
            return "dialog-{}".format(len(self))

    recorder = Opened()
    monkeypatch.setattr(menus, "default_opener", recorder)
    return recorder
