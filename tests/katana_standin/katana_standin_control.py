"""Test-only controls of the Katana stand-in.  **Not part of Katana.**

Plugin code must never import this module; tests use it to set up and
inspect the simulated Katana session:

* session: ``reset()``, ``temp_dir()``, ``set_file_dirty()``,
  ``set_scene_frame_range()``, ``set_default_renderer()``
* launch mode / version: ``set_version()``, ``set_ui_mode()``,
  ``set_launch_mode()``, ``set_ui4_importable()``
* plug-in loading: ``load_superTools()``, ``load_plugins()``, ``load_tabs()``,
  ``run_startup()``, ``plugin_load_errors()``, ``registered_supertools()``,
  ``get_editor_class()``, ``editor_requests()``, ``registered_tabs()``,
  ``plugin_registry_entries()``
* farm: ``invoke_menu()``, ``farm_menu_options()``,
  ``farm_popup_menu_options()``, ``farm_settings()``,
  ``inject_validity_messages()``, ``clear_validity_messages()``
* callbacks / events: ``fire_callback()``, ``fire_startup()``,
  ``pending_events()``, ``handler_errors()``
* undo: ``undo_stats()``
* UI: ``set_message_box_answers()``, ``set_message_box_default()``,
  ``message_box_calls()``, ``set_browse_results()``, ``set_browse_default()``,
  ``browse_calls()``, ``set_main_window()``, ``set_top_tab()``,
  ``action_delegates()``, ``use_qt()``
* rendering / assets: ``render_calls()``, ``set_asset_resolver()``
"""

import importlib
import importlib.abc
import importlib.util
import logging
import os
import runpy
import sys
import traceback

from _katana_standin import callbacks, farm, graph, state

log = logging.getLogger("katana_standin")

__all__ = [
    "action_delegates", "browse_calls", "clear_validity_messages", "editor_requests", "farm_menu_options",
    "farm_popup_menu_options", "farm_settings", "fire_callback", "fire_startup", "get_editor_class",
    "handler_errors", "inject_validity_messages", "invoke_menu", "load_plugins", "load_superTools",
    "load_tabs", "message_box_calls", "pending_events", "plugin_load_errors", "plugin_registry_entries",
    "registered_supertools", "registered_tabs", "render_calls", "reset", "run_startup",
    "set_asset_resolver", "set_browse_default", "set_browse_results", "set_default_renderer",
    "set_file_dirty", "set_launch_mode", "set_main_window", "set_message_box_answers",
    "set_message_box_default", "set_scene_frame_range", "set_top_tab", "set_ui4_importable",
    "set_ui_mode", "set_version", "temp_dir", "undo_stats", "use_qt",
]


# ---------------------------------------------------------------------------
# session


def reset():
    """Start a fresh, empty Katana session (a new process, for the tests).

    Clears the graph, registered SuperTools/tabs/farm plug-ins, farm settings
    and menus, callbacks, event handlers and the queue, undo counters,
    scripted UI answers and recorded calls; replaces the session temp dir
    (and ``KATANA_TMPDIR``) with a new one;
    restores ``KatanaInfo.version`` to the default, the ``ui`` launch mode and
    the importability of ``UI4``.

    ``reset()`` does not import ``KatanaInfo`` itself: code that looks for an
    already-imported ``KatanaInfo`` in ``sys.modules`` (``ciokatana.qt``
    does) only sees it once something imported it.
    """
    state.reset()
    info = sys.modules.get("KatanaInfo")
    if info is not None:
        info.version = state.DEFAULT_VERSION
    set_ui4_importable(True)


def temp_dir():
    """The session temp dir where un-located render outputs point (created
    with the session; ``os.environ['KATANA_TMPDIR']`` holds its path, as
    Katana documents)."""
    return farm.temp_dir()


def set_file_dirty(dirty=True):
    """Force the project's dirty flag (``KatanaFile.IsFileDirty()``)."""
    graph.current_graph().dirty = bool(dirty)


def set_scene_frame_range(start, end):
    """Set the project frame range read by ``FarmAPI.GetSceneFrameRange()``.

    Writes the root node's ``inTime``/``outTime`` (and working range) quietly:
    neither events nor the dirty flag.
    """
    params = graph.current_graph().root.getParameters()
    for name, value in (("inTime", start), ("outTime", end), ("workingInTime", start),
                        ("workingOutTime", end)):
        params.getChild(name)._ks_value = float(value)


def set_default_renderer(renderer):
    """Renderer reported as ``renderService`` when no RenderSettings node sets one."""
    state.S.default_renderer = renderer


# ---------------------------------------------------------------------------
# version and launch mode


def set_version(version):
    """Set ``KatanaInfo.version`` (e.g. ``"8.0v2"``) for the rest of the test."""
    import KatanaInfo

    KatanaInfo.version = version


def set_launch_mode(mode):
    """``'ui'`` (default), ``'batch'``, ``'script'`` or ``'shell'``: which
    ``KATANA_*_MODE`` key ``Configuration.get`` reports as defined."""
    if mode not in state.LAUNCH_MODES:
        raise ValueError("launch mode must be one of %r" % (state.LAUNCH_MODES,))
    state.S.launch_mode = mode


def set_ui_mode(enabled):
    """Shorthand: ``True`` -> ``'ui'`` mode, ``False`` -> ``'batch'`` mode.

    This changes only ``Configuration``; use ``set_ui4_importable(False)`` to
    also make ``UI4`` unimportable.
    """
    set_launch_mode("ui" if enabled else "batch")


class _BlockUI4(importlib.abc.MetaPathFinder):
    """Meta-path finder that refuses ``UI4`` and its sub-modules."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname == "UI4" or fullname.startswith("UI4."):
            raise ModuleNotFoundError("No module named %r (katana stand-in: UI4 hidden)" % fullname,
                                      name=fullname)
        return None


def set_ui4_importable(importable):
    """Make ``import UI4`` / ``from Katana import UI4`` work or fail.

    ``False`` removes ``UI4`` from ``sys.modules`` and blocks re-import
    (``ImportError``), imitating a launch mode without UI modules.  Modules
    that already hold a reference to ``UI4`` keep it.
    """
    sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, _BlockUI4)]
    if not importable:
        for name in list(sys.modules):
            if name == "UI4" or name.startswith("UI4."):
                del sys.modules[name]
        sys.meta_path.insert(0, _BlockUI4())


# ---------------------------------------------------------------------------
# plug-in loading


def _record_load_error(path):
    text = traceback.format_exc()
    state.S.plugin_load_errors.append((path, text))
    log.error("katana stand-in: cannot load plug-in %s\n%s", path, text)


def _purge_modules(name):
    for mod in list(sys.modules):
        if mod == name or mod.startswith(name + "."):
            del sys.modules[mod]


def _import_file(name, path, package_dir=None):
    """Import ``path`` as module ``name`` (a package when ``package_dir``), freshly."""
    _purge_modules(name)
    if package_dir is not None:
        spec = importlib.util.spec_from_file_location(name, path, submodule_search_locations=[package_dir])
    else:
        spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module


def _registry(module, path):
    entries = getattr(module, "PluginRegistry", None) or []
    result = []
    for entry in entries:
        state.S.plugin_entries.append((path, entry))
        result.append(entry)
    return result


def _register_supertool_entry(entry, path):
    try:
        kind, api, name, payload = entry
    except (TypeError, ValueError):
        raise ValueError("PluginRegistry entry %r is not a 4-tuple" % (entry,))
    if api != 2:
        raise ValueError("SuperTool %r: API version %r, expected 2" % (name, api))
    try:
        cls, getEditor = payload
    except (TypeError, ValueError):
        raise ValueError("SuperTool %r: element 3 must be (NodeClass, GetEditor)" % (name,))
    if getEditor is not None and not callable(getEditor):
        raise ValueError("SuperTool %r: GetEditor is not callable" % (name,))
    graph.register_supertool(name, cls, getEditor, path)
    return name


def load_superTools(resources_dir):
    """Load ``<resources_dir>/SuperTools/*/`` the way Katana does at start-up.

    Each folder holding an ``__init__.py`` is imported as a package named
    after the folder (freshly: earlier copies are dropped from
    ``sys.modules``); its ``PluginRegistry`` entries of type ``"SuperTool"``
    (``("SuperTool", 2, name, (NodeClass, GetEditor))``) register node types.
    ``GetEditor`` is **not** called.  An import error or a malformed entry is
    logged and recorded (``plugin_load_errors()``) and loading continues.

    Stand-in guesses [unverified]: packages load in sorted folder order; the
    ``SuperTools`` folder is not added to ``sys.path``.

    Returns the node type names registered.
    """
    base = os.path.join(resources_dir, "SuperTools")
    registered = []
    if not os.path.isdir(base):
        return registered
    for folder in sorted(os.listdir(base)):
        package_dir = os.path.join(base, folder)
        init = os.path.join(package_dir, "__init__.py")
        if not os.path.isfile(init):
            continue
        try:
            module = _import_file(folder, init, package_dir)
        except Exception:
            _record_load_error(init)
            continue
        for entry in _registry(module, init):
            if not (isinstance(entry, tuple) and entry and entry[0] == "SuperTool"):
                continue
            try:
                registered.append(_register_supertool_entry(entry, init))
            except Exception:
                _record_load_error(init)
    return registered


def load_plugins(resources_dir):
    """Import every ``<resources_dir>/Plugins/*.py`` module (fresh import).

    ``("FarmPlugin", 2.0, name, cls)`` entries register farm plug-ins
    (``FarmAPI.FarmPluginManager.GetFarmPluginNames()`` lists them); ``"SuperTool"`` entries register node
    types; other entries are only recorded (``plugin_registry_entries()``).
    Import errors are logged and recorded.  Returns the imported modules.
    """
    from _katana_standin import farmplugins

    base = os.path.join(resources_dir, "Plugins")
    modules = []
    if not os.path.isdir(base):
        return modules
    for filename in sorted(os.listdir(base)):
        if not filename.endswith(".py") or filename.startswith("_"):
            continue
        path = os.path.join(base, filename)
        try:
            module = _import_file(filename[:-3], path)
        except Exception:
            _record_load_error(path)
            continue
        modules.append(module)
        for entry in _registry(module, path):
            try:
                if entry[0] == "FarmPlugin":
                    farmplugins.register(entry[2], entry[3])
                elif entry[0] == "SuperTool":
                    _register_supertool_entry(entry, path)
            except Exception:
                _record_load_error(path)
    return modules


def load_tabs(resources_dir):
    """Import ``<resources_dir>/Tabs/*.py``; register ``("KatanaPanel", 2.0,
    "Menu/Tab Name", TabClass)`` entries (``registered_tabs()``).  Returns the
    tab names registered."""
    base = os.path.join(resources_dir, "Tabs")
    names = []
    if not os.path.isdir(base):
        return names
    for filename in sorted(os.listdir(base)):
        if not filename.endswith(".py") or filename.startswith("_"):
            continue
        path = os.path.join(base, filename)
        try:
            module = _import_file(filename[:-3], path)
        except Exception:
            _record_load_error(path)
            continue
        for entry in _registry(module, path):
            if isinstance(entry, tuple) and len(entry) == 4 and entry[0] == "KatanaPanel":
                state.S.tabs[entry[2]] = entry[3]
                names.append(entry[2])
    return names


def run_startup(resources_dir):
    """Execute ``<resources_dir>/Startup/init.py`` if present; True when it ran cleanly.

    Errors are logged and recorded like other plug-in load errors.
    Stand-in guess [unverified]: the script runs with ``__name__ == 'init'``.
    """
    path = os.path.join(resources_dir, "Startup", "init.py")
    if not os.path.isfile(path):
        return False
    try:
        runpy.run_path(path, run_name="init")
    except Exception:
        _record_load_error(path)
        return False
    return True


def plugin_load_errors():
    """``[(path, traceback text)]`` of plug-ins that failed to load."""
    return list(state.S.plugin_load_errors)


def plugin_registry_entries():
    """``[(path, entry)]`` of every ``PluginRegistry`` entry seen while loading."""
    return list(state.S.plugin_entries)


def registered_supertools():
    """Names of the registered SuperTool node types."""
    return list(state.S.supertools)


def get_editor_class(nodeType):
    """Call the registered ``GetEditor()`` of a SuperTool (as Katana does
    lazily when its Parameters tab opens) and return the editor class."""
    st = state.S.supertools.get(nodeType)
    if st is None:
        raise KeyError("no SuperTool %r registered" % (nodeType,))
    if st.getEditor is None:
        raise LookupError("SuperTool %r was registered without GetEditor" % (nodeType,))
    st.editor_requests += 1
    return st.getEditor()


def editor_requests(nodeType):
    """How many times ``GetEditor`` of ``nodeType`` was called through ``get_editor_class``."""
    return state.S.supertools[nodeType].editor_requests


def registered_tabs():
    """``{"Menu/Tab Name": TabClass}`` registered by ``load_tabs``."""
    return dict(state.S.tabs)


# ---------------------------------------------------------------------------
# farm


def farm_menu_options():
    """``[(label, handler)]`` added with ``FarmAPI.AddFarmMenuOption`` (Util menu)."""
    return list(state.S.farm_menu)


def farm_popup_menu_options():
    """``[(label, handler)]`` added with ``FarmAPI.AddFarmPopupMenuOption``."""
    return list(state.S.farm_popup_menu)


def farm_settings():
    """``{name: (kind, default, hints)}`` of the custom farm settings added so far."""
    return dict(state.S.farm_settings)


def invoke_menu(label, scope="single", node=None, menu=None):
    """Run the farm menu handler registered under ``label`` as Katana would.

    ``scope`` is ``"single"`` (right-click on ``node``), ``"selected"`` or
    ``"all"``; while the handler runs, ``FarmAPI.GetCurrentNode()`` returns
    ``node``, ``GetSelectedNodes()`` the selected farm nodes and
    ``GetNodeList()`` the nodes of the scope.  Select nodes beforehand with
    ``NodegraphAPI.SetNodeSelected``.

    ``menu`` picks the registry: ``"popup"`` (AddFarmPopupMenuOption),
    ``"util"`` (AddFarmMenuOption) or ``None``: popup first when a ``node``
    is given or the scope is single, else util first, then the other.  The
    first handler registered under ``label`` runs.  Its exception propagates
    (Katana would log it) and its return value is returned.
    """
    S = state.S
    if menu == "popup":
        tables = [S.farm_popup_menu]
    elif menu == "util":
        tables = [S.farm_menu]
    elif menu is None:
        if node is not None or scope == farm.NODES_SINGLE:
            tables = [S.farm_popup_menu, S.farm_menu]
        else:
            tables = [S.farm_menu, S.farm_popup_menu]
    else:
        raise ValueError("menu must be 'popup', 'util' or None")
    for table in tables:
        for entry_label, handler in table:
            if entry_label == label:
                return farm.run_menu_handler(handler, scope, node)
    raise KeyError("no farm menu item %r registered" % (label,))


def inject_validity_messages(errors=(), warnings=()):
    """Messages that every later ``FarmAPI.IsSceneValid`` call adds."""
    state.S.injected_errors.extend(errors)
    state.S.injected_warnings.extend(warnings)


def clear_validity_messages():
    """Forget injected messages and empty the current message lists."""
    S = state.S
    del S.injected_errors[:]
    del S.injected_warnings[:]
    del S.error_messages[:]
    del S.warning_messages[:]


# ---------------------------------------------------------------------------
# callbacks and events


def fire_callback(callbackType, **kwargs):
    """Run every ``Callbacks`` callback of ``callbackType`` with ``kwargs``
    (plus ``objectHash``), e.g. ``fire_callback('onSceneLoad', filename=p)``."""
    callbacks.fire(callbackType, **kwargs)


def fire_startup():
    """Fire ``onStartup`` then ``onStartupComplete``, as Katana does at start-up."""
    callbacks.fire(callbacks.Type.onStartup)
    callbacks.fire(callbacks.Type.onStartupComplete)


def pending_events():
    """``[(eventType, eventID, kwargs)]`` queued and not yet processed, in processing order."""
    queue = sorted(state.S.event_queue, key=lambda e: (-e[0], e[1]))
    return [(e[2], e[3], dict(e[4])) for e in queue]


def handler_errors():
    """``[(where, traceback text)]`` of exceptions raised by event handlers,
    event filters and callbacks (Katana logs them and carries on)."""
    return list(state.S.handler_errors)


# ---------------------------------------------------------------------------
# undo


def undo_stats():
    """Counters of ``Utils.UndoStack`` calls: ``OpenGroup``, ``CloseGroup``,
    ``DisableCapture``, ``EnableCapture``, ``Undo``, ``Redo``, the current
    ``depth`` and ``captureDisabledDepth``, ``unbalanced`` closes and the
    group ``labels``."""
    stats = dict(state.S.undo)
    stats["labels"] = list(stats["labels"])
    return stats


# ---------------------------------------------------------------------------
# UI


def set_message_box_answers(*answers):
    """Queue answers returned by the next ``UI4.Widgets.MessageBox`` calls."""
    state.S.message_box_answers.extend(answers)


def set_message_box_default(answer):
    """Answer returned when no scripted answer is left (initially 0 = accept)."""
    state.S.message_box_default = answer


def message_box_calls():
    """Recorded message boxes: dicts with ``kind``, ``title``, ``text``,
    ``acceptText``, ``cancelText``, ``detailedText``, ``kwargs``."""
    return list(state.S.message_box_calls)


def set_browse_results(*results):
    """Queue paths returned by the next ``UI4.Util.AssetId.BrowseForAsset`` calls."""
    state.S.browse_results.extend(results)


def set_browse_default(result):
    """Result when no scripted one is left (initially ``''``, a cancel)."""
    state.S.browse_default = result


def browse_calls():
    """Recorded ``BrowseForAsset`` calls: dicts with ``default``, ``caption``, ``save``, ``hints``."""
    return list(state.S.browse_calls)


def set_main_window(window):
    """Object returned by ``UI4.App.MainWindow.CurrentMainWindow()``."""
    state.S.main_window = window


def set_top_tab(name, tab):
    """Object returned by ``UI4.App.Tabs.FindTopTab(name)``."""
    state.S.top_tabs[name] = tab


def use_qt(QtWidgets, QtGui):
    """Let the UI4 shims build real Qt objects from the given modules.

    After this (until ``reset()``) ``UI4.Tabs.BaseTab`` is a subclass of
    ``QtWidgets.QWidget``, ``IconManager.GetPixmap`` returns a null
    ``QtGui.QPixmap`` and ``ParameterWidgetFactory.buildWidget`` an empty
    ``QWidget``.  A QApplication must exist before any of them is built.
    ``use_qt(None, None)`` goes back to plain objects.
    """
    state.S.qt_modules = (QtWidgets, QtGui) if QtWidgets is not None else None


def action_delegates():
    """``[(nodeType, delegate)]`` registered with ``NodeActionDelegate.RegisterActionDelegate``."""
    return list(state.S.action_delegates)


# ---------------------------------------------------------------------------
# rendering / assets


def render_calls():
    """Recorded ``RenderManager.StartRender`` calls (dicts of their arguments)."""
    return list(state.S.render_calls)


def set_asset_resolver(resolver):
    """``resolver(assetId, frame) -> path`` used by the default asset plug-in
    for ``scheme://`` asset ids (``None`` restores identity)."""
    state.S.asset_resolver = resolver
