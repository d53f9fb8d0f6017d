"""The shelf items: Scan Assets, List Render Outputs, Reload Conductor.

Layer: tests/katana (no Qt). The installed shelf files are executed the way
Katana runs a shelf script: its source in a namespace holding
``console_print`` (and no ``__file__``).
"""

import sys

import pytest

from ciokatana.core.settings import Settings
from ciokatana.katana import constants as C
from ciokatana.katana import shelf
from ciokatana.katana.scene import KatanaScene

import katana_scenes as ks


def run_shelf_file(path):
    lines = []
    namespace = {"__name__": "__main__", "console_print": lambda text, raisePanel=False: lines.append(text)}
    with open(str(path)) as handle:
        exec(compile(handle.read(), str(path), "exec"), namespace)
    return "\n".join(lines)


@pytest.fixture
def small_show(plugin, tmp_path):
    ks.touch(tmp_path, "caches/hero.0001.abc", "caches/hero.0002.abc", size=1000)
    ks.touch(tmp_path, "extra/lut.cube", size=50)
    geo = ks.alembic(str(tmp_path / "caches/hero.####.abc"))
    ks.alembic(str(tmp_path / "caches/gone.abc"), name="gone")
    ks.render_node("beauty", location=str(tmp_path / "renders/beauty.####.exr"), upstream=geo)
    KatanaScene().store_settings(Settings(extra_assets=["extra/lut.cube"]).to_dict())
    ks.save(tmp_path / "shot.katana")
    return tmp_path


def test_scan_assets_lists_files_counts_sizes_and_missing(small_show):
    lines = []
    scan = shelf.scan_assets(printer=lines.append, background=False)
    text = "\n".join(lines)
    assert scan.finished
    assert text.splitlines()[0].startswith("Conductor: Scan Assets - 2 file reference(s) found in ")
    assert "    2 file(s)    2.0 KB  {}".format(small_show / "caches/hero.####.abc") in text
    assert "MISSING  {}  (gone.abcAsset)".format(small_show / "caches/gone.abc") in text
    assert "Extra assets:" in text and str(small_show / "extra/lut.cube") in text
    assert str(small_show / "shot.katana") in text
    files = set(scan.files)
    assert str(small_show / "caches/hero.0002.abc") in files and str(small_show / "extra/lut.cube") in files
    assert text.splitlines()[-2].startswith("To upload: 4 file(s), ")
    assert text.splitlines()[-1].startswith("Missing: 1 path(s)")


def test_the_installed_scan_assets_shelf_file_runs_like_katana_runs_it(small_show, resources, monkeypatch):
    monkeypatch.setattr(shelf, "_ui_available", lambda: False)
    text = run_shelf_file(resources / "Shelves/Conductor/ScanAssets.py")
    assert "Conductor: Scan Assets" in text
    assert "To upload: 4 file(s)" in text


def test_list_render_outputs_marks_what_conductor_ignores(small_show, resources, ksc):
    text = run_shelf_file(resources / "Shelves/Conductor/ListRenderOutputs.py")
    assert "beauty (prman)" in text
    assert "  beauty       {}".format(small_show / "renders/beauty.####.exr") in text
    assert "[Katana temp dir: not a farm output]" in text
    assert "-> Conductor output folder: {}".format(small_show / "renders") in text


def test_list_render_outputs_without_render_nodes(plugin):
    lines = []
    assert shelf.list_render_outputs(printer=lines.append) == []
    assert lines == ["Conductor: this scene has no Render node."]


def test_a_failing_shelf_item_prints_why(plugin, monkeypatch):
    def broken(printer=None):
        raise RuntimeError("disk on fire")

    monkeypatch.setitem(shelf.ITEMS, "scan_assets", broken)
    lines = []
    shelf.run("scan_assets", {"console_print": lines.append})
    assert lines == ["Conductor: scan_assets failed: RuntimeError: disk on fire"]


@pytest.fixture
def restore_modules():
    """Put back every ciokatana module object after a reload test."""
    saved = {k: v for k, v in sys.modules.items() if k == "ciokatana" or k.startswith("ciokatana.")}
    yield
    for name in [k for k in sys.modules if k.startswith("ciokatana.")]:
        del sys.modules[name]
    sys.modules.update(saved)
    for name, module in saved.items():
        if "." in name:
            parent, child = name.rsplit(".", 1)
            if parent in saved:
                setattr(saved[parent], child, module)


def test_reload_conductor_reloads_modules_and_the_menus_use_them(plugin, ksc, resources, restore_modules):
    from ciokatana.katana import menus as old_menus

    old_qt = sys.modules.get("ciokatana.qt")
    text = run_shelf_file(resources / "Shelves/Conductor/ReloadConductor.py")
    assert text.startswith("Conductor: reloaded ")
    new_menus = sys.modules["ciokatana.katana.menus"]
    assert new_menus is not old_menus
    assert sys.modules.get("ciokatana.qt") is old_qt  # the pinned binding is kept
    seen = []
    new_menus.default_opener = seen.append
    ks.render_node("beauty")
    ksc.invoke_menu(C.MENU_CONDUCTOR, scope="all", menu="util")
    assert [type(s).__module__ for s in seen] == ["ciokatana.katana.scene"]
    assert type(seen[0]) is sys.modules["ciokatana.katana.scene"].KatanaScene
    # Nothing was registered twice.
    assert [label for label, _ in ksc.farm_menu_options()] == [C.MENU_CONDUCTOR, C.MENU_RESET]
    # The node class registered at start-up now runs the reloaded code.
    from Katana import NodegraphAPI

    node = NodegraphAPI.CreateNode(C.NODE_TYPE)
    assert node.getParameter("general.project") is not None
