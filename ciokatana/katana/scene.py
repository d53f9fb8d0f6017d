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

import os

from ciokatana.core.scene import RenderNode, RenderOutput, Scene, SceneError, SceneNote
from ciokatana.katana import constants as C
from ciokatana.katana import farm, gsv_check, scraper, settings_node


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
                    outputs=tuple(_output(o) for o in (getattr(entry, "outputs", None) or ())),
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

    def store_settings(self, data):
        if self._bound:
            node = self._settings_node
            if not settings_node.is_alive(node):
                raise SceneError(_gone(node))
        else:
            node = settings_node.ensure_settings_node()
            self._settings_node, self._bound = node, True
        settings_node.write_settings(node, data)

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


def _output(data):
    return RenderOutput(
        name=str(data.get("name", "") or ""),
        enabled=bool(data.get("enabled", True)),
        output_location=str(data.get("outputLocation", "") or ""),
        temp_render_location=str(data.get("tempRenderLocation", "") or ""),
    )
