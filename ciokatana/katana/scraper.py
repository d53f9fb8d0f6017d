"""Find the files a Katana scene reads: one walk over the node graph.

Layer: katana. :func:`scrape` reads parameters only; it never touches the
disk, so it is cheap enough to run on Katana's UI thread whenever the scene
is read (``KatanaScene.assets()``). It returns path *patterns*
(``tex.<UDIM>.tx``, ``cache.####.abc``, ``${SHOW}/x.abc``, folders);
:func:`ciokatana.core.assets.resolve` expands them against the disk on a
worker thread, and paths that name nothing reach validation as missing.

What is read, once per parameter (linear in the number of parameters):

- string parameters whose hint names a file widget (``fileInput``,
  ``assetIdInput``), on any node, including string arrays so hinted. The
  hint is the parameter's own hint string or, for Katana's built-in node
  types, which keep their widget hints at node-type level (the node
  modules' ``_ExtraHints``/``_ParamHints`` tables, reached through
  ``node.addParameterHints(attrName, inputDict)``), the node type's hint,
  asked for defensively (see :class:`_TypeHints`);
- the known path parameters of Katana's node types (reference sheet 7.3):
  ``Alembic_In.abcAsset``, ``UsdIn.fileName``, ``ImageRead.file``,
  ``ScenegraphXml_In.asset``, ``AttributeFile_In.filepath`` (the parameter
  name is a guess: the stubs hold only the node's ``_Parameter_XML`` string,
  not its contents; under another name the file is still found when the
  node type hints it as a file widget, as above),
  ``LookFileMaterialsIn.lookfile``, ``LiveGroup.source``, and the args-style
  ``args.lookfile.asset`` of ``LookFileAssign`` / ``LookFileGlobalsAssign``
  when its ``enable`` is on;
- shading nodes (``PrmanShadingNode``, ``ArnoldShadingNode``,
  ``VrayShadingNode``): every ``parameters.<arg>.value`` whose ``enable`` is
  on and that is a texture/light file argument (file hint, a name such as
  ``filename``/``file``/``lightColorMap``/``iesProfile``, or a value with an
  image/texture extension).

OpScript keeps its Lua inline (``script.lua``); Katana documents no file
parameter for it, so only OpScript user parameters with a file hint count.

Values are the *evaluated* ones (``getValue(time)``: expressions resolved).
Skipped: bypassed nodes and everything inside a bypassed group; render
outputs (Render, RenderScript, ImageWrite and RenderOutputDefine nodes, and
``assetIdOutput`` parameters); the ConductorRender node (its extra assets
are resolved by the core, relative to the scene); Katana's temp dir
(``KATANA_TMPDIR``); and values that are not file paths: empty text,
numbers, multi-line text, scene-graph locations (``/root/world/...``).

Asset ids with a scheme (``mock:///...``) are resolved by the default asset
plug-in with ``resolveAsset(id, throwOnError=True)`` (so a failure says
why), which returns what the asset references with a sequence kept as its
pattern (``cache.####.abc``); the core then expands the pattern against the
disk, so every frame of a sequence is uploaded. ``resolvePath(id, frame)``
is *not* used: Foundry documents it as resolving an asset id and frame
pair to the one numbered file of that frame (it is for code that needs one
specific frame, with an ``int`` frame: the binding rejects a float). An id that does not resolve to a path is kept in
:attr:`ScrapeResult.unresolved` (node, parameter, id, why), which the scene
hands to validation: never a silent skip. Relative paths are made absolute
against the scene's folder. Every node in the graph counts, connected or not: uploading
an unused file is cheaper than a render that misses one.
"""

import ast
import os
import re
import sys
import time as time_mod

from ciokatana.core.assets import expand_env, is_absolute, under
from ciokatana.katana import constants as C

FILE_WIDGETS = frozenset(("fileInput", "assetIdInput"))
OUTPUT_WIDGETS = frozenset(("assetIdOutput", "fileOutput"))
LOCATION_WIDGETS = frozenset(("scenegraphLocation", "newScenegraphLocation", "cel", "sceneGraphLocation"))

#: Node types whose parameters describe outputs, not inputs.
SKIP_TYPES = frozenset(C.FARM_TYPES + ("RenderOutputDefine", C.NODE_TYPE))

#: node type -> plain string parameters holding a path.
KNOWN_PARAMETERS = {
    "Alembic_In": ("abcAsset",),
    "UsdIn": ("fileName",),
    "ImageRead": ("file",),
    "ScenegraphXml_In": ("asset",),
    "AttributeFile_In": ("filepath",),  # a guess: the stubs hold only _Parameter_XML
    "LookFileMaterialsIn": ("lookfile",),
    "LiveGroup": ("source",),
}

#: node type -> args-style groups (``.value`` read only when ``.enable`` is on).
KNOWN_ARGS = {
    "LookFileAssign": ("args.lookfile.asset",),
    "LookFileGlobalsAssign": ("args.lookfile.asset",),
}

SHADING_TYPES = frozenset(("PrmanShadingNode", "ArnoldShadingNode", "VrayShadingNode"))
_TEXTURE_ARG = re.compile(
    r"^(file(name)?\d*|texture(_?name|_?file)?\d*|tex\d*|image|map|lightColorMap|iesProfile|ies(_?file)?"
    r"|ptex(_?file)?|envmap|hdri?|filename_?\w*)$",
    re.IGNORECASE,
)
_FILE_EXTENSION = re.compile(
    r"\.(tx|tex|tdl|exr|hdr|tif|tiff|png|jpe?g|tga|bmp|dpx|psd|b3d|ptx|ptex|rat|vdb|ies|ocio|abc|usd[acz]?)$",
    re.IGNORECASE,
)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_NUMBER = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")
_LOCATION_ROOTS = ("/root/world", "/root/materials", "/root/collections")


class AssetReference(object):
    """One file reference found in the scene.

    Attributes:
        node: the node name.
        parameter: the parameter path on that node (``abcAsset``).
        value: the evaluated text of the parameter.
        path: the path pattern handed to the core (absolute when possible).
    """

    __slots__ = ("node", "parameter", "value", "path")

    def __init__(self, node, parameter, value, path):
        self.node = node
        self.parameter = parameter
        self.value = value
        self.path = path

    def __repr__(self):
        return "AssetReference({!r}, {!r}, {!r})".format(self.node, self.parameter, self.path)

    def __eq__(self, other):
        return isinstance(other, AssetReference) and (
            (self.node, self.parameter, self.value, self.path) == (other.node, other.parameter, other.value, other.path)
        )

    def __hash__(self):
        return hash((self.node, self.parameter, self.path))


class ScrapeResult(object):
    """What a scrape found, what it skipped, and what it cost.

    Attributes:
        references: every :class:`AssetReference`, in graph order.
        skipped: ``(node, parameter, value, reason)`` of values left out
            (temp dir, unresolved asset id, ...), for the Scan Assets listing.
        unresolved: ``(node, parameter, asset id, reason)`` of asset ids no
            asset plug-in resolved to a file (also in ``skipped``); the
            scene reports them as validation findings.
        errors: ``(node, parameter, message)`` of values that could not be
            evaluated (a broken expression).
        node_count / param_count: how much of the graph was read.
        seconds: how long the walk took.
    """

    def __init__(self):
        self.references = []
        self.skipped = []
        self.unresolved = []
        self.errors = []
        self.node_count = 0
        self.param_count = 0
        self.seconds = 0.0

    @property
    def paths(self):
        """Unique path patterns, in the order first found."""
        seen = set()
        out = []
        for ref in self.references:
            if ref.path not in seen:
                seen.add(ref.path)
                out.append(ref.path)
        return out


def katana_temp_dir():
    """Katana's session temp dir (documented ``KATANA_TMPDIR``), or ``""``."""
    return os.environ.get("KATANA_TMPDIR", "")


class _Hints(object):
    """Parses hint strings (``repr`` of a dict) once per distinct string."""

    def __init__(self):
        self._cache = {}

    def widget(self, param):
        text = param.getHintString()
        if not text:
            return ""
        widget = self._cache.get(text)
        if widget is None:
            widget = ""
            try:
                hints = ast.literal_eval(text)
            except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
                hints = None
            if isinstance(hints, dict):
                widget = str(hints.get("widget", "") or "")
            self._cache[text] = widget
        return widget


def _widget_of(hints):
    if isinstance(hints, dict):
        return str(hints.get("widget", "") or "")
    return ""


class _TypeHints(object):
    """Widget hints that a node *type* keeps, asked for once per (type, parameter).

    Katana's built-in node types (``Nodes3DAPI/<Type>.py``) keep their UI
    hints in module tables (``_ExtraHints`` / ``_ParamHints``) and expose them
    through ``node.addParameterHints(attrName, inputDict)``; a built-in
    parameter's own hint string is usually empty. The form of ``attrName``
    is not documented, so both ``"<Type>.<path>"`` and ``"<path>"`` are
    tried, then the module tables are read directly, then Katana's UI hint
    modules (``UI4.FormMaster.NodeHints.<Type>._NodeHints``) if the UI has
    already imported them. Any error means "no hint": asking must never
    break a scan.
    """

    TABLES = ("_ExtraHints", "_ParamHints")

    def __init__(self):
        self._cache = {}

    def widget(self, node, node_type, path):
        key = (node_type, path)
        widget = self._cache.get(key)
        if widget is None:
            widget = self._lookup(node, node_type, path)
            self._cache[key] = widget
        return widget

    def _lookup(self, node, node_type, path):
        keys = (node_type + "." + path, path)
        adder = getattr(node, "addParameterHints", None)
        if callable(adder):
            for attr_name in keys:
                hints = {}  # type: dict
                try:
                    adder(attr_name, hints)
                except Exception:
                    continue
                widget = _widget_of(hints)
                if widget:
                    return widget
        modules = [sys.modules.get(getattr(type(node), "__module__", "") or "")]
        modules.append(sys.modules.get("UI4.FormMaster.NodeHints." + node_type))
        for module in modules:
            for table_name in self.TABLES + ("_NodeHints",):
                table = getattr(module, table_name, None) if module is not None else None
                if not isinstance(table, dict):
                    continue
                for attr_name in keys:
                    widget = _widget_of(table.get(attr_name))
                    if widget:
                        return widget
        return ""


class _Scraper(object):
    def __init__(self, time, base_dir, temp_dir, asset_plugin):
        self.time = time
        self.base_dir = base_dir
        self.temp_dir = temp_dir
        self.asset_plugin = asset_plugin
        self.hints = _Hints()
        self.type_hints = _TypeHints()
        self.result = ScrapeResult()
        self._bypassed = {}

    # -- nodes --------------------------------------------------------------
    def inside_bypass(self, node):
        """Whether the node or a group above it is bypassed (memoised per group)."""
        chain = []
        current = node
        answer = False
        while current is not None:
            known = self._bypassed.get(current)
            if known is not None:
                answer = known
                break
            chain.append(current)
            if _is_bypassed(current) or current.getType() == C.NODE_TYPE:
                answer = True
                break
            current = current.getParent()
        for item in chain:
            self._bypassed[item] = answer
        return answer

    def node(self, node):
        node_type = node.getType()
        if node_type in SKIP_TYPES or self.inside_bypass(node):
            return
        self.result.node_count += 1
        name = node.getName()
        done = set()
        for path in KNOWN_PARAMETERS.get(node_type, ()):
            param = node.getParameter(path)
            if param is not None:
                done.add(path)
                self.value(name, path, param)
        for path in KNOWN_ARGS.get(node_type, ()):
            group = node.getParameter(path)
            if group is not None:
                done.add(path + ".value")
                self.arg(name, path, group, always=True)
        if node_type in SHADING_TYPES:
            shading = node.getParameter("parameters")
            if shading is not None:
                for arg in shading.getChildren():
                    path = "parameters." + arg.getName()
                    if self.arg(name, path, arg, always=False):
                        done.add(path + ".value")
        self.walk(node, name, done, node_type)

    # -- parameters ---------------------------------------------------------
    def is_file(self, param, node, node_type, path):
        """Whether the parameter's hint, or its node type's, names a file widget."""
        widget = self.hints.widget(param)
        if not widget:
            widget = self.type_hints.widget(node, node_type, path)
        return widget in FILE_WIDGETS

    def walk(self, node, name, done, node_type):
        """Every parameter of the node: string parameters with a file hint."""
        stack = [(child, child.getName()) for child in node.getParameters().getChildren()]
        while stack:
            param, path = stack.pop()
            self.result.param_count += 1
            ptype = param.getType()
            if ptype == "group":
                stack.extend((child, path + "." + child.getName()) for child in param.getChildren())
            elif ptype == "string":
                if path not in done and self.is_file(param, node, node_type, path):
                    self.value(name, path, param)
            elif ptype == "stringArray":
                children = param.getChildren()
                self.result.param_count += len(children)
                if path not in done and self.is_file(param, node, node_type, path):
                    for child in children:
                        self.value(name, path + "." + child.getName(), child)

    def arg(self, name, path, group, always):
        """An args-style group: read ``.value`` when ``.enable`` is on.

        For shading arguments (``always`` False) only texture/light files
        count. Returns True when the argument was read.
        """
        value = group.getChild("value")
        if value is None or value.getType() != "string":
            return False
        enable = group.getChild("enable")
        try:
            if enable is not None and not enable.getValue(self.time):
                return True
        except (RuntimeError, TypeError, ValueError):
            return True
        if not always:
            widget = self.hints.widget(value) or self.hints.widget(group)
            if widget in LOCATION_WIDGETS or widget in OUTPUT_WIDGETS:
                return False
            if widget not in FILE_WIDGETS and not _TEXTURE_ARG.match(group.getName()):
                text = self.evaluate(name, path + ".value", value)
                if text is None or not _FILE_EXTENSION.search(_strip_frame_tokens(text.strip())):
                    return False
                self.accept(name, path + ".value", text)
                return True
        self.value(name, path + ".value", value)
        return True

    def evaluate(self, name, path, param):
        try:
            value = param.getValue(self.time)
        except Exception as err:  # a broken expression must not stop the scan
            self.result.errors.append((name, path, "{}: {}".format(type(err).__name__, err)))
            return None
        return value if isinstance(value, str) else None

    def value(self, name, path, param):
        text = self.evaluate(name, path, param)
        if text is not None:
            self.accept(name, path, text)

    # -- values -------------------------------------------------------------
    def accept(self, name, path, text):
        value = text.strip()
        if not value or "\n" in value or _NUMBER.match(value):
            return
        if value == "/root" or any(value == r or value.startswith(r + "/") for r in _LOCATION_ROOTS):
            return
        if _SCHEME.match(value):
            resolved, why = self.resolve(value)
            if not resolved:
                self.result.skipped.append((name, path, value, why))
                self.result.unresolved.append((name, path, value, why))
                return
            value = resolved
        if value.startswith("~"):
            value = os.path.expanduser(value)
        if not is_absolute(expand_env(value)) and self.base_dir:
            value = os.path.normpath(os.path.join(self.base_dir, value))
        if self.temp_dir and under(value, self.temp_dir):
            self.result.skipped.append((name, path, value, "in Katana's temp dir"))
            return
        self.result.references.append(AssetReference(name, path, text, value))

    def resolve(self, value):
        """``(path, "")`` for an asset id, or ``("", why it did not resolve)``."""
        if value.lower().startswith("file://"):
            return value[len("file://"):], ""
        plugin = self.asset_plugin
        if plugin is None:
            return "", "asset id, but Katana has no default asset plug-in to resolve it"
        try:
            if not plugin.isAssetId(value):
                return "", "not an asset id the default asset plug-in knows"
            # The pattern, not one frame's file (resolvePath would pick one).
            resolved = plugin.resolveAsset(value, throwOnError=True)
        except Exception as err:  # reported as a finding, never swallowed
            text = str(err).strip().splitlines()
            return "", "the asset plug-in could not resolve it ({}: {})".format(
                type(err).__name__, text[0] if text else "no message")
        resolved = str(resolved or "")
        if not resolved:
            return "", "the asset plug-in resolved it to nothing"
        if resolved == value:
            return "", "the asset plug-in did not resolve it to a file"
        if _SCHEME.match(resolved):
            return "", "the asset plug-in resolved it to another asset id ({})".format(resolved)
        return resolved, ""

    def resolve_asset_id(self, value):
        return self.resolve(value)[0]


def _is_bypassed(node):
    try:
        return bool(node.isBypassed())
    except AttributeError:
        return False


def _strip_frame_tokens(text):
    return re.sub(r"(#+|%0?\d*d|<UDIM>|<UVTILE>|\$\d?F\d?)", "1", text)


def _default_asset_plugin():
    try:
        from Katana import AssetAPI

        return AssetAPI.GetDefaultAssetPlugin()
    except Exception:
        return None


def is_asset_id(text):
    """Whether text is an asset id with a scheme (``mock:///show/shot/x``)."""
    return bool(_SCHEME.match(text or ""))


def resolve_asset_id(value, asset_plugin=None):
    """``(path, "")`` for an asset id (``resolveAsset``), or ``("", why it did not resolve)``."""
    plugin = asset_plugin if asset_plugin is not None else _default_asset_plugin()
    return _Scraper(0.0, "", "", plugin).resolve(value)


def scrape(nodes=None, time=None, base_dir="", temp_dir=None, asset_plugin=None):
    """Walk the node graph once and collect file references.

    Args:
        nodes: the nodes to read; every node of the project by default.
        time: the frame to evaluate at; the current time by default.
        base_dir: folder that relative paths are relative to (the scene's).
        temp_dir: Katana's temp dir; ``KATANA_TMPDIR`` by default.
        asset_plugin: resolves ``scheme://`` asset ids; Katana's default
            asset plug-in by default.

    Returns:
        a :class:`ScrapeResult`; ``result.paths`` are the patterns to resolve.
    """
    from Katana import NodegraphAPI

    started = time_mod.perf_counter()
    if time is None:
        time = NodegraphAPI.GetCurrentTime()
    if temp_dir is None:
        temp_dir = katana_temp_dir()
    if asset_plugin is None:
        asset_plugin = _default_asset_plugin()
    scraper = _Scraper(time, base_dir, temp_dir, asset_plugin)
    for node in NodegraphAPI.GetAllNodes() if nodes is None else nodes:
        scraper.node(node)
    scraper.result.seconds = time_mod.perf_counter() - started
    return scraper.result


def asset_paths(**kwargs):
    """The path patterns of :func:`scrape` (same arguments)."""
    return scrape(**kwargs).paths
