"""KatanaScene: the core Scene port over NodegraphAPI, FarmAPI and KatanaFile.

Layer: katana. Every read runs on the caller's thread (Katana's UI thread
for the dialog) and is quick: node and parameter lookups, one
``FarmAPI.GetSortedDependencies`` call and the scraper's parameter walk.
Nothing here touches the disk except :meth:`KatanaScene.save`; asset
patterns are expanded later by the core (``plan_submission``) on a worker
thread. Reads never modify the node graph (so reading a scene never marks
it dirty); writes are :meth:`store_settings` (the ConductorRender node),
:meth:`set_farm_settings` (a Render node's ``farmSettings``) and
:meth:`save`.

Scope (design guide): selected Render nodes if any are selected, else the
right-clicked node (Render Farm menu), else every Render node. A bypassed
Render node in scope is not a job: it is left out of :meth:`render_nodes`
and reported as skipped (a validation notice through :meth:`notes`).

The scene path is ``NodegraphAPI.GetProjectFile()``, the resolved
file-system path of the .katana file; ``GetSourceFile()`` (and
``FarmAPI.GetKatanaFileName()``) may be an asset id and are only a
fallback, resolved through the default asset plug-in. The menus
work it out with :func:`scope_nodes` when they are invoked and hand the
result to ``KatanaScene(nodes=...)``, so the dialog keeps the scope it was
opened with while the artist changes the selection.
"""

import logging
import os

from ciokatana.core.scene import RenderNode, RenderOutput, Scene, SceneError, SceneNote
from ciokatana.katana import constants as C
from ciokatana.katana import farm, gsv_check, scraper, settings_node

logger = logging.getLogger(__name__)

#: Katana events after which the scene may read differently (see :meth:`KatanaScene.revision`).
CHANGE_EVENTS = (
    "node_create", "node_delete", "node_setName", "node_setBypassed", "node_setSelected",
    "parameter_setValue", "parameter_finalizeValue", "parameter_deleteChild",
    "port_connect", "port_disconnect", "nodegraph_loadEnd", "nodegraph_setRootNode",
)


class _ChangeCounter(object):
    """A collapsed Katana event handler counting the passes that changed the scene.

    Changes to ConductorRender nodes (the dialog's own settings writes) do
    not count: they are not part of what a snapshot reads. The scene keeps
    this object alive; Katana holds handlers by weak reference, so it stops
    being called when the scene goes away.
    """

    def __init__(self):
        self.count = 0

    def __call__(self, args, *_more, **_kwargs):
        for entry in args or ():
            kwargs = entry[2] if len(entry) > 2 and isinstance(entry[2], dict) else {}
            node = kwargs.get("node")
            try:
                ours = node is not None and node.getType() == C.NODE_TYPE
            except Exception:
                ours = False
            if not ours:
                self.count += 1
                return


def _ng():
    from Katana import NodegraphAPI

    return NodegraphAPI


def all_render_nodes():
    """Every Render node of the project."""
    return list(_ng().GetAllNodesByType(C.RENDER_TYPE))


def selected_render_nodes():
    """The selected Render nodes, in selection order."""
    return [n for n in _ng().GetAllSelectedNodes() if n.getType() == C.RENDER_TYPE]


def scope_nodes(clicked=None):
    """The Render nodes in scope: selected, else the clicked node, else all.

    A clicked node that is not a Render node (the Render Farm menu also
    appears on RenderScript and ImageWrite nodes) gives an empty scope when
    nothing is selected.
    """
    selected = selected_render_nodes()
    if selected:
        return selected
    if clicked is not None:
        return [clicked] if clicked.getType() == C.RENDER_TYPE else []
    return all_render_nodes()


def _absolute(path):
    if not path or scraper.is_asset_id(path):
        return path or ""
    if os.path.isabs(path) or (len(path) > 2 and path[1] == ":"):
        return path
    return os.path.abspath(path)


class KatanaScene(Scene):
    """The open Katana project as a :class:`~ciokatana.core.scene.Scene`.

    Args:
        nodes: Render nodes (objects or names) in scope. ``None``: the scope
            rule is applied on every read (selected Render nodes, else all).
        settings_node: the ConductorRender node holding the settings; by
            default the scene's (created on the first :meth:`store_settings`
            when the scene has none).

    Raises:
        SceneError: a node in ``nodes`` does not exist or is not a Render node.
    """

    def __init__(self, nodes=None, settings_node=None):
        self._nodes = None if nodes is None else [self._render_node(n) for n in nodes]
        self._settings_node = settings_node
        self._bound = settings_node is not None
        self._scrape = None
        self._changes = None  # a _ChangeCounter once following Katana's events; False if it cannot

    @staticmethod
    def _render_node(node):
        if isinstance(node, str):
            found = _ng().GetNode(node)
            if found is None:
                raise SceneError("the Katana scene has no node named {!r}".format(node))
            node = found
        if node.getType() != C.RENDER_TYPE:
            raise SceneError("{} is of type {}; Conductor submits Render nodes".format(node.getName(), node.getType()))
        return node

    # -- scope ---------------------------------------------------------------
    def scope(self):
        """The live Render nodes in scope (deleted ones drop out)."""
        if self._nodes is None:
            return scope_nodes()
        return [n for n in self._nodes if settings_node.is_alive(n)]

    # -- scene ---------------------------------------------------------------
    def katana_file(self):
        return self._katana_file()[0]

    def _katana_file(self):
        """``(path, why an asset id did not resolve)``."""
        from Katana import FarmAPI

        path = _ng().GetProjectFile() or ""
        if path and not scraper.is_asset_id(path):
            return _absolute(path), ""
        path = path or FarmAPI.GetKatanaFileName() or _ng().GetSourceFile() or ""
        if scraper.is_asset_id(path):
            resolved, why = scraper.resolve_asset_id(path)
            if not resolved:
                return path, why
            path = resolved
        return _absolute(path), ""

    def frame_range(self):
        from Katana import FarmAPI

        frame_range = FarmAPI.GetSceneFrameRange()
        return int(frame_range["start"]), int(frame_range["end"])

    def is_dirty(self):
        from Katana import KatanaFile

        return bool(KatanaFile.IsFileDirty())

    def revision(self):
        """A token that moves when the node graph changes (Katana's events), with the dirty flag.

        The first call starts following the events; ``None`` when they
        cannot be followed (then callers read the scene again to know).
        """
        if self._changes is None:
            self._changes = self._follow_changes()
        if self._changes is False:
            return None
        return (self._changes.count, self.is_dirty(), _ng().GetProjectFile() or "")

    @staticmethod
    def _follow_changes():
        counter = _ChangeCounter()
        try:
            from Katana import Utils

            for event_type in CHANGE_EVENTS:
                Utils.EventModule.RegisterCollapsedHandler(counter, event_type, None, True)
        except Exception:
            logger.debug("cannot follow Katana's events; the scene is read again to see changes", exc_info=True)
            return False
        return counter

    def temp_dir(self):
        return scraper.katana_temp_dir()

    def bypassed(self):
        """The Render nodes in scope that are bypassed: skipped, not submitted."""
        return [n for n in self.scope() if _is_bypassed(n)]

    def render_nodes(self):
        from Katana import FarmAPI

        nodes = [n for n in self.scope() if not _is_bypassed(n)]
        if not nodes:
            return []
        frame_range = self.frame_range()
        time = _ng().GetCurrentTime()
        entries = {}
        try:
            found = FarmAPI.GetSortedDependencies(nodes, includeBypassed=False)
        except TypeError:  # a Katana that takes one node at a time
            found = [e for node in nodes for e in FarmAPI.GetSortedDependencies(node, includeBypassed=False)]
        # NodeRenderSettings' attributes are set in its constructor, which the
        # stubs do not list: read them with getattr.
        for settings in found:
            entries[getattr(settings, "nodeName", "")] = settings
        result = []
        for node in nodes:
            name = node.getName()
            entry = entries.get(name)
            result.append(
                RenderNode(
                    name=name,
                    selected=bool(_ng().IsNodeSelected(node)),
                    farm_settings=farm.read_farm_settings(node, frame_range, time),
                    outputs=tuple(RenderOutput.from_dict(o) for o in (getattr(entry, "outputs", None) or ())),
                    renderer=str(getattr(entry, "renderService", "") or ""),
                )
            )
        return result

    def assets(self):
        return self.scrape().paths

    def scrape(self):
        """Walk the graph for file references (kept for :meth:`notes` as :attr:`last_scrape`)."""
        katana_file = self.katana_file()
        base_dir = os.path.dirname(katana_file) if katana_file and not scraper.is_asset_id(katana_file) else ""
        self._scrape = scraper.scrape(base_dir=base_dir)
        return self._scrape

    @property
    def last_scrape(self):
        """The last :meth:`scrape` result, or None."""
        return self._scrape

    def notes(self, scrape_result=None):
        """Bypassed Render nodes in scope (skipped), and asset ids that did not resolve.

        ``scrape_result``: a :class:`~ciokatana.katana.scraper.ScrapeResult`
        already taken (the walk covers the whole graph whatever the scope).
        """
        notes = []
        for node in self.bypassed():
            notes.append(SceneNote(
                "notice", "bypassed_render_node", "Render node '{}'".format(node.getName()),
                "is bypassed, so it is skipped: no job is submitted for it; un-bypass it to render it"))
        path, why = self._katana_file()
        if why:
            notes.append(SceneNote(
                "error", "unresolved_scene", "Scene file",
                "the project was opened from asset id {} and {}: the farm needs the .katana file; "
                "save the project to a file (File > Save As) and submit again".format(path, why)))
        result = scrape_result or (self._scrape if self._scrape is not None else self.scrape())
        for node, parameter, value, reason in result.unresolved:
            notes.append(SceneNote(
                "warning", "unresolved_asset", "Parameter '{}.{}'".format(node, parameter),
                "asset id {}: {}, so its file is not uploaded and the render may fail on the farm; "
                "check the asset id or the asset plug-in".format(value, reason)))
        notes.extend(gsv_check.unknown_variable_notes(self.render_nodes()))
        return notes

    # -- settings ------------------------------------------------------------
    def settings_node(self):
        """The ConductorRender node used for the settings (None when the scene has none)."""
        if self._bound:
            return self._settings_node if settings_node.is_alive(self._settings_node) else None
        return settings_node.find_settings_node()

    def load_settings(self):
        node = self._settings_node if self._bound else settings_node.find_settings_node()
        if node is None:
            return {}
        if not settings_node.is_alive(node):
            raise SceneError(_gone(node))
        self._settings_node, self._bound = node, True
        return settings_node.read_settings(node)

    def _node_to_write(self):
        """The ConductorRender node this scene stores to (created when the scene has none).

        Once bound, always the same node: one deleted meanwhile is an error,
        never a silent write to a new one.
        """
        if self._bound:
            node = self._settings_node
            if not settings_node.is_alive(node):
                raise SceneError(_gone(node))
        else:
            node = settings_node.ensure_settings_node()
            self._settings_node, self._bound = node, True
        return node

    def store_settings(self, data):
        settings_node.write_settings(self._node_to_write(), data)

    def load_history(self):
        """Jobs submitted from this scene before, as kept on its ConductorRender node."""
        node = self._settings_node if self._bound else settings_node.find_settings_node()
        if node is None or not settings_node.is_alive(node):
            return []
        return settings_node.read_history(node)

    def store_history(self, entries):
        """Keep the submission history on the ConductorRender node (created when the scene has none)."""
        settings_node.write_history(self._node_to_write(), entries)

    def set_farm_settings(self, node_name, farm_settings):
        node = _ng().GetNode(node_name)
        if node is None or node.getType() != C.RENDER_TYPE:
            raise SceneError("the Katana scene has no Render node named {!r}".format(node_name))
        farm.write_farm_settings(node, farm_settings, _ng().GetCurrentTime())

    def save(self):
        from Katana import KatanaFile

        path = self.katana_file()
        if not path:
            raise SceneError("the scene has never been saved: save it once (File > Save As), then submit")
        try:
            KatanaFile.Save(path)
        except Exception as err:
            raise SceneError("could not save {}: {}".format(path, err))
        return path


def _is_bypassed(node):
    try:
        return bool(node.isBypassed())
    except Exception:
        return False


def _gone(node):
    name = getattr(node, "getName", lambda: "ConductorRender")()
    return (
        "the {} node {} was deleted or reset while the Conductor dialog was open; "
        "close the dialog and open it again".format(C.NODE_TYPE, name)
    )

