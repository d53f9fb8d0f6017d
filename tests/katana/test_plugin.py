"""Loading the installed plugin the way Katana does, and what it registers.

Layer: tests/katana (no Qt). post_install writes into a temp resources
folder; the stand-in imports ``SuperTools/ConductorRender/__init__.py`` as a
package, reads its ``PluginRegistry`` and fires ``onStartup``.
"""

import logging
import os
import subprocess
import sys

import pytest

from ciokatana import post_install
from ciokatana.core.settings import Settings
from ciokatana.katana import constants as C
from ciokatana.katana import settings_node

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
STANDIN = os.path.join(ROOT, "tests", "katana_standin")


def test_the_init_file_registers_a_supertool_without_importing_the_editor(resources, ksc):
    names = ksc.load_superTools(str(resources))
    assert names == [C.NODE_TYPE]
    assert ksc.plugin_load_errors() == []
    module = sys.modules[C.NODE_TYPE]
    [(kind, api, name, (node_class, get_editor))] = module.PluginRegistry
    assert (kind, api, name) == ("SuperTool", 2, C.NODE_TYPE)
    from Katana import NodegraphAPI

    assert issubclass(node_class, NodegraphAPI.SuperTool)
    assert callable(get_editor)
    assert ksc.editor_requests(C.NODE_TYPE) == 0
    assert "ciokatana.katana.editor" not in sys.modules


MENUS = [C.MENU_CONDUCTOR, C.MENU_RESET]
POPUPS = [C.POPUP_CONDUCTOR]
SETTINGS = [C.FARM_OVERRIDES, C.FARM_FRAME_SPEC, C.FARM_SCOUT_SPEC, C.FARM_CHUNK_SIZE, C.FARM_VAR_SETS]


def registered(ksc):
    return ([label for label, _ in ksc.farm_menu_options()], [label for label, _ in ksc.farm_popup_menu_options()],
            list(ksc.farm_settings()))


def test_supertools_loaded_before_on_startup_register_exactly_once(resources, ksc):
    ksc.load_superTools(str(resources))
    ksc.fire_startup()
    assert registered(ksc) == (MENUS, POPUPS, SETTINGS)
    assert ksc.handler_errors() == []


def test_supertools_loaded_after_on_startup_still_register(resources, ksc):
    ksc.fire_startup()  # Katana fired onStartup before it imported the SuperTools
    ksc.load_superTools(str(resources))
    assert registered(ksc) == (MENUS, POPUPS, SETTINGS)
    ksc.fire_startup()  # and a late onStartup adds nothing
    assert registered(ksc) == (MENUS, POPUPS, SETTINGS)


def test_both_install_routes_at_once_register_one_set(resources, ksc):
    """post_install's copy and KATANA_RESOURCES pointing at the package: two SuperTool imports."""
    ksc.load_superTools(str(resources))
    sys.modules.pop(C.NODE_TYPE, None)
    ksc.load_superTools(post_install.resources_dir())
    ksc.fire_startup()
    assert registered(ksc) == (MENUS, POPUPS, SETTINGS)


@pytest.fixture
def reloading():
    """Reload Conductor swaps every ciokatana module; put the test session's back afterwards
    (test modules hold classes such as KatanaScene imported before the reload)."""
    saved = {name: module for name, module in sys.modules.items() if name.startswith("ciokatana.")}
    yield
    for name in [n for n in sys.modules if n.startswith("ciokatana.")]:
        del sys.modules[name]
    sys.modules.update(saved)
    for name, module in saved.items():  # and the package attributes that name them
        parent, _, child = name.rpartition(".")
        if parent in sys.modules:
            setattr(sys.modules[parent], child, module)


def test_reload_conductor_does_not_add_a_second_set(plugin, ksc, reloading):
    from ciokatana.katana import shelf

    lines = []
    shelf.reload_conductor(printer=lines.append)
    from ciokatana.katana import registration

    registration.register(defer=False)
    ksc.fire_startup()
    assert registered(ksc) == (MENUS, POPUPS, SETTINGS)
    assert "reloaded" in lines[0]


def test_only_missing_items_are_added(plugin, ksc, monkeypatch):
    """A session where someone removed the popup item: registering again restores just that."""
    from ciokatana.katana import registration

    ksc.reset()
    from Katana import FarmAPI

    FarmAPI.AddFarmMenuOption(C.MENU_CONDUCTOR, lambda: None)
    FarmAPI.AddFarmSettingNumber(C.FARM_OVERRIDES)
    added = registration.register_now()
    assert added == [C.FARM_FRAME_SPEC, C.FARM_SCOUT_SPEC, C.FARM_CHUNK_SIZE, C.FARM_VAR_SETS, C.MENU_RESET, C.POPUP_CONDUCTOR]
    assert registration.register_now() == []


class Opaque(object):
    """A listing entry of a shape the plugin cannot read (no label anywhere)."""

    __slots__ = ("_secret",)

    def __init__(self, secret):
        self._secret = secret


def test_listings_of_an_unknown_shape_never_register_twice(resources, ksc, monkeypatch, reloading):
    """GetFarmMenuOptions() and friends are list[None] in the stubs: their entries may be anything."""
    from Katana import FarmAPI

    for name in ("GetFarmMenuOptions", "GetFarmPopupMenuOptions", "GetAddedFarmSettings"):
        real = getattr(FarmAPI, name)
        monkeypatch.setattr(FarmAPI, name, lambda real=real: [Opaque(entry) for entry in real()])
    ksc.load_superTools(str(resources))
    assert registered(ksc) == (MENUS, POPUPS, SETTINGS)
    ksc.fire_startup()  # onStartup after the import: the listing says nothing readable
    from ciokatana.katana import registration, shelf

    shelf.reload_conductor(printer=lambda text: None)
    registration.register(defer=False)
    assert registered(ksc) == (MENUS, POPUPS, SETTINGS)


def test_a_listing_with_some_unreadable_entries_still_adds_what_is_missing(plugin, ksc, monkeypatch):
    """Readable entries count; a name that is not among them is added unless this session added it."""
    from Katana import FarmAPI

    from ciokatana.katana import registration

    ksc.reset()
    import ciokatana

    ciokatana.__dict__.pop("_katana_registered", None)  # a fresh session
    FarmAPI.AddFarmMenuOption("Studio Tool", lambda: None)
    real = FarmAPI.GetFarmMenuOptions
    monkeypatch.setattr(FarmAPI, "GetFarmMenuOptions",
                        lambda: [Opaque(e) if e[0] == "Studio Tool" else e for e in real()])
    added = registration.register_now()
    assert C.MENU_CONDUCTOR in added and C.MENU_RESET in added
    assert registration.register_now() == []
    assert [label for label, _ in ksc.farm_menu_options()] == ["Studio Tool", C.MENU_CONDUCTOR, C.MENU_RESET]


def test_the_node_type_works_once_loaded(plugin):
    from Katana import NodegraphAPI

    node = NodegraphAPI.CreateNode(C.NODE_TYPE)
    assert node.getType() == C.NODE_TYPE
    assert node.getParameter("general.project").getType() == "string"
    assert Settings.from_dict(settings_node.read_settings(node)) == Settings()


def test_the_packaged_resources_folder_loads_in_place(ksc):
    """The KATANA_RESOURCES route: no copy, the folder inside the package."""
    names = ksc.load_superTools(post_install.resources_dir())
    assert names == [C.NODE_TYPE]
    assert ksc.plugin_load_errors() == []
    ksc.fire_startup()
    assert [label for label, _ in ksc.farm_menu_options()] == [C.MENU_CONDUCTOR, C.MENU_RESET]


def test_a_broken_install_is_logged_and_katana_carries_on(resources, ksc, monkeypatch, caplog):
    from ciokatana.katana import registration

    def broken(*args, **kwargs):
        raise RuntimeError("simulated broken dependency")

    monkeypatch.setattr(registration, "register", broken)
    with caplog.at_level(logging.ERROR, logger="ciokatana"):
        names = ksc.load_superTools(str(resources))
    assert names == []
    assert sys.modules[C.NODE_TYPE].PluginRegistry == []
    assert ksc.plugin_load_errors() == []  # the init file caught it: Katana sees an empty registry
    assert "Conductor (ciokatana) could not load" in caplog.text
    assert "simulated broken dependency" in caplog.text


def test_register_can_run_now_with_an_injected_opener(ksc):
    from Katana import NodegraphAPI

    from ciokatana.katana import registration

    seen = []
    NodegraphAPI.RegisterSuperTool(C.NODE_TYPE, registration.register(opener=seen.append, defer=False))
    NodegraphAPI.CreateNode("Render")
    ksc.invoke_menu(C.MENU_CONDUCTOR, scope="all")
    assert [s.scope()[0].getName() for s in seen] == ["Render"]


def test_importing_the_package_registers_nothing_and_needs_no_katana():
    code = (
        "import sys\n"
        "import ciokatana, ciokatana.katana\n"
        "from ciokatana.katana import registration, scene, scraper, menus, batch, shelf, farm, settings_node\n"
        "from ciokatana.katana import summary, scan, dialogs, qtbinding, constants\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('Katana', 'NodegraphAPI', 'FarmAPI', 'UI4', "
        "'KatanaInfo', 'PyQt5', 'PySide2', 'PySide6', 'qtpy') or m == 'ciokatana.qt']\n"
        "assert not bad, bad\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr


def test_script_mode_loads_the_plugin_without_any_qt(tmp_path):
    """``katana --script``: the plugin loads and registers without importing a Qt binding."""
    code = (
        "import sys\n"
        "sys.path.insert(0, {standin!r})\n"
        "import katana_standin_control as ksc\n"
        "from ciokatana import post_install\n"
        "ksc.set_launch_mode('script')\n"
        "post_install.install({res!r})\n"
        "assert ksc.load_superTools({res!r}) == ['ConductorRender'], ksc.plugin_load_errors()\n"
        "ksc.fire_startup()\n"
        "from Katana import NodegraphAPI\n"
        "NodegraphAPI.CreateNode('ConductorRender')\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PyQt5', 'PySide2', 'PySide6', 'qtpy') "
        "or m == 'ciokatana.qt']\n"
        "assert not bad, bad\n"
    ).format(standin=STANDIN, res=str(tmp_path / "res"))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
