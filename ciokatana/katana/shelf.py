"""What the Conductor shelf items do: Scan Assets, List Render Outputs,
Export Conductor Scene, Reload Conductor.

Layer: katana. The shelf files (``resources/Shelves/Conductor/*.py``) are
three lines each; they call :func:`run` with their globals so the output
goes to Katana's ``console_print`` when Katana provides it (shelf scripts
get it injected), else to ``print``. Each function takes a ``printer`` so
scripts and tests can collect the lines.

Scan Assets walks the graph on the calling thread (fast: parameters only)
and resolves the paths on a worker thread while Katana's UI thread polls
the progress with a QTimer, so a slow file server never freezes Katana.
Without a UI (or with ``background=False``) it resolves inline.
"""

import logging
import os
import sys
import time

from ciokatana.katana import constants as C
from ciokatana.katana import qtbinding, scraper, settings_node
from ciokatana.katana.scan import AssetScan
from ciokatana.katana.scene import KatanaScene, all_render_nodes

logger = logging.getLogger(__name__)

PROGRESS_EVERY_S = 2.0


def _printer(printer):
    return printer if printer is not None else print


def build_scan():
    """(AssetScan, ScrapeResult) for the open scene: the file, the references, the extra assets."""
    scene = KatanaScene(nodes=[])
    katana_file = scene.katana_file()
    base_dir = os.path.dirname(katana_file) if katana_file else os.getcwd()
    result = scraper.scrape(base_dir=os.path.dirname(katana_file) if katana_file else "")
    origins = {}  # type: dict
    for ref in result.references:
        origins.setdefault(ref.path, []).append("{}.{}".format(ref.node, ref.parameter))
    node = settings_node.find_settings_node()
    extra = settings_node.read_settings(node).get("extra_assets", []) if node is not None else []
    scene_paths = ([katana_file] if katana_file else []) + result.paths
    return AssetScan(scene_paths, extra, base_dir=base_dir, origins=origins), result


def _header(scan, result, out):
    out("Conductor: Scan Assets - {} file reference(s) found in {} node(s), {} parameter(s) ({:.0f} ms)".format(
        len(result.references), result.node_count, result.param_count, result.seconds * 1000.0))
    for node, param, value, reason in result.skipped:
        out("  skipped {}.{} = {} ({})".format(node, param, value, reason))
    for node, param, message in result.errors:
        out("  could not evaluate {}.{}: {}".format(node, param, message))
    out("Resolving {} path(s) on disk...".format(scan.total))


def _ui_available():
    if not qtbinding.ui_mode():
        return False
    try:
        qtbinding.pin_katana_binding()
        from ciokatana.qt import QtWidgets
    except ImportError:
        return False
    return QtWidgets.QApplication.instance() is not None


def scan_assets(printer=None, background=None, poll_ms=200):
    """List what a submission would upload, with file counts and sizes.

    Args:
        printer: ``printer(text)``; ``print`` by default.
        background: resolve on a worker thread and report from Katana's UI
            thread (default: when Katana runs with a UI).
        poll_ms: how often the UI thread looks at the progress.

    Returns:
        the :class:`~ciokatana.katana.scan.AssetScan` (finished unless in background).
    """
    out = _printer(printer)
    scan, result = build_scan()
    _header(scan, result, out)
    if background is None:
        background = _ui_available()
    if background:
        _poll_from_ui_thread(scan, out, poll_ms)
        return scan
    scan.run()
    out(scan.report())
    return scan


def _poll_from_ui_thread(scan, out, poll_ms):
    """Start the scan on a worker thread; a QTimer on the UI thread reports."""
    from ciokatana.qt import QtCore, QtWidgets

    timer = QtCore.QTimer(QtWidgets.QApplication.instance())  # type: ignore[attr-defined]  # stubs incomplete: PySide2.QtCore (types-katana's PyQt5-stubs/QtCore.pyi star-imports it; no PySide2 stubs ship)
    last = [time.monotonic()]

    def on_timeout():
        if scan.finished:
            timer.stop()
            timer.deleteLater()
            out(scan.report())
            return
        if time.monotonic() - last[0] >= PROGRESS_EVERY_S:
            last[0] = time.monotonic()
            done, total, current = scan.progress()
            out("  ... {}/{} resolved ({})".format(done, total, current))

    timer.timeout.connect(on_timeout)
    timer.start(poll_ms)
    scan.start()
    return timer


def list_render_outputs(printer=None):
    """Print every Render node's outputs as FarmAPI reports them.

    Marks outputs that Conductor ignores (disabled, relative, in Katana's
    temp dir) and the folder each job would download to.
    """
    from ciokatana.core.assets import under
    from ciokatana.core.plan import output_path_of, real_outputs

    out = _printer(printer)
    nodes = all_render_nodes()
    if not nodes:
        out("Conductor: this scene has no Render node.")
        return []
    scene = KatanaScene(nodes=nodes)
    temp_dir = scene.temp_dir()
    render_nodes = scene.render_nodes()
    out("Conductor: render outputs of {} Render node(s)".format(len(render_nodes)))
    for node in render_nodes:
        kept = real_outputs(node, temp_dir)
        out("{} ({})".format(node.name, node.renderer or "renderer unknown"))
        for output in node.outputs:
            note = ""
            if output not in kept:
                if not output.enabled:
                    note = "  [disabled]"
                elif temp_dir and under(output.output_location, temp_dir):
                    note = "  [Katana temp dir: not a farm output]"
                else:
                    note = "  [ignored: no absolute location]"
            out("  {:<12} {}{}".format(output.name, output.output_location or "(none)", note))
        folder = output_path_of(kept)
        out("  -> Conductor output folder: {}".format(folder or "(none: this node cannot be submitted)"))
    return render_nodes


def reload_conductor(printer=None):
    """Reload the plugin's modules; the menus and the node then run the new code.

    Every ``ciokatana`` module except the package itself and
    ``ciokatana.qt`` (the pinned binding must not change) is dropped from
    ``sys.modules`` and the registration module is imported again; it adds
    any menu item or farm setting FarmAPI does not list (none, normally).
    Menu handlers and the node class look their implementation up when they
    run, so nothing is registered twice. An open Conductor dialog keeps the old
    code until it is closed.

    Returns the names of the modules that were dropped.
    """
    out = _printer(printer)
    keep = ("ciokatana", "ciokatana.qt")
    dropped = sorted(n for n in sys.modules if n.startswith("ciokatana.") and n not in keep)
    for name in dropped:
        del sys.modules[name]
    import importlib

    registration = importlib.import_module("ciokatana.katana.registration")
    importlib.import_module("ciokatana.katana.menus")
    registration.pin_qt_binding()
    try:
        registration.register_now()  # only what is missing: never a second set
    except Exception as err:
        out("Conductor: could not check the menus and farm settings: {}".format(err))
    package_file = getattr(sys.modules["ciokatana"], "__file__", None) or ""
    out("Conductor: reloaded {} module(s) from {}; close and reopen the Conductor dialog to use them.".format(
        len(dropped), os.path.dirname(os.path.abspath(package_file))))
    return dropped


def default_export_path():
    """``<scene folder>/<scene name>.conductor.json``, or in the home folder while unsaved."""
    katana_file = KatanaScene(nodes=[]).katana_file()
    if katana_file and not scraper.is_asset_id(katana_file):
        folder, name = os.path.split(katana_file)
        return os.path.join(folder, os.path.splitext(name)[0] + ".conductor.json")
    return os.path.join(os.path.expanduser("~"), "untitled.conductor.json")


def _ask_export_path(default):
    """Katana's file browser (UI mode), or the default without a UI. ``""`` when cancelled."""
    if not qtbinding.ui_mode():
        return default
    try:
        from Katana import UI4  # type: ignore[attr-defined]  # stubs incomplete: Katana-stubs has no UI4 re-export (a UI-less session's list)

        browse = UI4.Util.AssetId.BrowseForAsset
    except Exception:
        return default
    chosen = browse(default, "Export Conductor Scene", True, {"fileTypes": "json"})
    return str(chosen or "")


def export_conductor_scene(printer=None, path=None):
    """Write the scene as a JSON scene file for ``ciokatana preview/validate/submit/gui``.

    Asks where (Katana's file browser, defaulting to
    ``<scene>.conductor.json`` next to the .katana file) when Katana has a
    UI; writes the default otherwise. Returns the path written, or None.
    """
    from ciokatana.katana import batch

    out = _printer(printer)
    target = path or _ask_export_path(default_export_path())
    if not target:
        out("Conductor: Export Conductor Scene cancelled.")
        return None
    try:
        written = batch.export_scene(target)
    except batch.BatchSubmitError as err:
        out(str(err))
        return None
    out("Conductor: exported the scene to {}\n  try: ciokatana preview --scene {}".format(written, written))
    for note in _carried_notes(written):
        out("  {}: {}: {}".format(note.get("level", ""), note.get("where", ""), note.get("message", "")))
    return written


def _carried_notes(path):
    """The errors and warnings an exported file carries (what validation will report)."""
    import json

    try:
        with open(path, "r", encoding="utf-8") as handle:
            notes = json.load(handle).get("notes") or []
    except (OSError, ValueError, AttributeError):
        return []
    return [n for n in notes if isinstance(n, dict) and n.get("level") in ("error", "warning")]


ITEMS = {
    "scan_assets": scan_assets,
    "list_render_outputs": list_render_outputs,
    "export_conductor_scene": export_conductor_scene,
    "reload_conductor": reload_conductor,
}


def run(item, namespace=None):
    """Entry point of the shelf files: ``run("scan_assets", globals())``.

    Uses the ``console_print`` Katana injects into shelf scripts when present.
    """
    console_print = (namespace or {}).get("console_print")
    printer = (lambda text: console_print(text)) if callable(console_print) else None
    try:
        return ITEMS[item](printer=printer)
    except Exception as err:
        logger.exception("Conductor shelf item %s failed", item)
        _printer(printer)("{}: {} failed: {}: {}".format(C.TITLE, item, type(err).__name__, err))
        return None
