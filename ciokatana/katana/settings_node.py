"""The submitter settings as parameters of the ConductorRender node.

Layer: katana. The node's parameters *are* the stored settings: they save
and load with the ``.katana`` file, show in the Parameters tab, and survive
any number of dialog re-opens (the dialog and the editor keep no state of
their own). This module maps :class:`ciokatana.core.settings.Settings`
(through its lossless dict form) onto parameters and back, and finds,
creates and resets the one ConductorRender node of a scene.

Layout (group.parameter, all created by :func:`build`)::

    general.jobTitle / project / instanceType / preemptible / autoretry
    software.packages                 JSON list of packages (path, id, env ...)
    frames.frameSpec / scoutSpec / chunkSize
    environment.variables / metadata  JSON
    assets.extraAssets                string array
    advanced.taskTemplate / notify / location / useDaemon
    advanced.mockMode / mockFile / mockInterval
    internal.schemaVersion / otherSettings
    internal.submissions              hidden: the scene's submission history (JSON)

Simple fields are real parameters of their natural type (check boxes for
booleans, integer/float numbers, strings, string arrays); nested values are
JSON text. ``chunkSize`` is text because an artist may type a bad value,
which validation then reports rather than the node refusing it. A value that
does not fit its parameter's type, and any key this version does not know,
goes to ``internal.otherSettings`` (JSON), so the dict form stays lossless.

Writes only touch parameters whose value changes (so storing unchanged
settings never marks the project dirty) and happen inside one undo group.
No function here imports Katana at module level.
"""

import json
import logging
import re

from ciokatana.katana import constants as C

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 1
_INTEGER = re.compile(r"^-?[0-9]+$")

# kind: bool / int / float / string / text (chunk size) / strings / json
_SPECS = (
    # field, group, parameter, kind, extra hints
    ("title_template", "general", "jobTitle", "string",
     {"help": "Job title; fields {node} {scene} {project} {instance_type}"}),
    ("project", "general", "project", "string", {"help": "Conductor project"}),
    ("instance_type", "general", "instanceType", "string", {"help": "Conductor instance type (machine)"}),
    ("preemptible", "general", "preemptible", "bool", {"help": "Use preemptible (cheaper, may be interrupted) machines"}),
    ("autoretry", "general", "autoretry", "int", {"help": "Retries of preempted tasks"}),
    ("software", "software", "packages", "json",
     {"help": "Conductor software packages as JSON (Katana first, then renderer plug-ins); set in the dialog"}),
    ("frame_spec", "frames", "frameSpec", "string", {"help": "Default frames, e.g. 1001-1100; empty: the scene frame range"}),
    ("scout_spec", "frames", "scoutSpec", "string", {"help": "Default scout frames: auto:N, fml:N, a frame spec, or empty"}),
    ("chunk_size", "frames", "chunkSize", "text", {"help": "Default frames per task"}),
    ("environment", "environment", "variables", "json", {"help": "Extra environment variables as JSON; set in the dialog"}),
    ("metadata", "environment", "metadata", "json", {"help": "Job metadata as JSON; set in the dialog"}),
    ("extra_assets", "assets", "extraAssets", "strings",
     {"help": "Extra files or folders to upload (relative paths: from the scene's folder)"}),
    ("task_template", "advanced", "taskTemplate", "string", {"help": "Task command template"}),
    ("notify", "advanced", "notify", "strings", {"help": "Emails to notify"}),
    ("location", "advanced", "location", "string", {"help": "Conductor location tag for the upload daemon"}),
    ("use_daemon", "advanced", "useDaemon", "bool", {"help": "Let the upload daemon upload the files"}),
    ("uploader", "advanced", "uploader", "string",
     {"widget": "popup", "options": ["shared", "stock"],
      "help": "shared: upload every job's files once, then create the jobs; stock: ciocore's uploader per job"}),
    ("timeout", "advanced", "timeout", "float",
     {"help": "Seconds without an answer or progress before a submission step is ended as stalled"}),
    ("mock_mode", "advanced", "mockMode", "string",
     {"widget": "popup", "options": ["off", "use", "generate"], "help": "Mock submissions (CIO_FEATURE_MOCK=1)"}),
    ("mock_file", "advanced", "mockFile", "string", {"help": "Mock submission file"}),
    ("mock_interval", "advanced", "mockInterval", "float", {"help": "Seconds between replayed mock events"}),
)

INTERNAL = "internal"
SCHEMA_PARAM = "schemaVersion"
OTHER_PARAM = "otherSettings"
HISTORY_PARAM = "submissions"
HISTORY_HINTS = {"widget": "null", "help": "Jobs submitted from this scene (JSON), for the dialog's "
                 "'already submitted' notice"}


class Spec(object):
    """How one Settings field is stored."""

    __slots__ = ("field", "group", "name", "kind", "hints")

    def __init__(self, field, group, name, kind, hints):
        self.field = field
        self.group = group
        self.name = name
        self.kind = kind
        self.hints = dict(hints)
        if kind == "bool":
            self.hints.setdefault("widget", "checkBox")
        elif kind == "int":
            self.hints.setdefault("int", "True")

    @property
    def path(self):
        return "{}.{}".format(self.group, self.name)


SPECS = tuple(Spec(*row) for row in _SPECS)
SPEC_BY_FIELD = {s.field: s for s in SPECS}


# -- finding the node ----------------------------------------------------------


def _ng():
    from Katana import NodegraphAPI

    return NodegraphAPI


def is_alive(node):
    """Whether a node still exists in the current project (not deleted)."""
    if node is None:
        return False
    try:
        return _ng().GetNode(node.getName()) is node
    except Exception:
        return False


def settings_nodes():
    """Every ConductorRender node of the project (normally one)."""
    return list(_ng().GetAllNodesByType(C.NODE_TYPE))


def find_settings_node():
    """The ConductorRender node holding the scene's settings, or None."""
    nodes = settings_nodes()
    return nodes[0] if nodes else None


def ensure_settings_node():
    """The scene's ConductorRender node, created (with defaults) when missing."""
    node = find_settings_node()
    if node is not None:
        return node
    return create_settings_node()


def create_settings_node():
    """Create a ConductorRender node at the top of the graph (one undo step)."""
    from Katana import Utils

    NodegraphAPI = _ng()
    Utils.UndoStack.OpenGroup("Create {}".format(C.NODE_TYPE))
    try:
        node = NodegraphAPI.CreateNode(C.NODE_TYPE, NodegraphAPI.GetRootNode())
    finally:
        Utils.UndoStack.CloseGroup()
    return node


def reset_settings_node():
    """Delete every ConductorRender node and create a fresh one with defaults."""
    from Katana import Utils

    NodegraphAPI = _ng()
    Utils.UndoStack.OpenGroup("Reset Conductor")
    try:
        position = None
        for node in settings_nodes():
            if position is None:
                position = NodegraphAPI.GetNodePosition(node)
            node.delete()
        node = NodegraphAPI.CreateNode(C.NODE_TYPE, NodegraphAPI.GetRootNode())
        if position is not None:
            NodegraphAPI.SetNodePosition(node, position)
    finally:
        Utils.UndoStack.CloseGroup()
    return node


# -- building the parameters -------------------------------------------------------


def _hint(params, hints):
    if hints:
        params.setHintString(repr(hints))


def _default_settings_dict():
    from ciokatana.core.settings import Settings

    return Settings().to_dict()


def build(node):
    """Create every missing settings parameter with its default value.

    Called by the node's ``__init__`` (new nodes) and ``polish`` (nodes saved
    by an older version, which may lack newer parameters). Existing
    parameters are never changed.
    """
    root = node.getParameters()
    defaults = _default_settings_dict()
    for spec in SPECS:
        group = root.getChild(spec.group) or root.createChildGroup(spec.group)
        if group.getChild(spec.name) is not None:
            continue
        param = _create(group, spec, defaults.get(spec.field))
        _hint(param, spec.hints)
    internal = root.getChild(INTERNAL) or root.createChildGroup(INTERNAL)
    if internal.getChild(SCHEMA_PARAM) is None:
        _hint(internal.createChildNumber(SCHEMA_PARAM, SCHEMA_VERSION),
              {"int": "True", "help": "Layout version of these parameters (for upgrades)"})
    if internal.getChild(OTHER_PARAM) is None:
        _hint(internal.createChildString(OTHER_PARAM, ""),
              {"help": "Settings this version stores as JSON (unknown keys, values of another type)"})


def _create(group, spec, value):
    kind = spec.kind
    if kind in ("bool", "int", "float"):
        return group.createChildNumber(spec.name, _number(kind, value))
    if kind == "strings":
        items = [str(v) for v in value or []]
        param = group.createChildStringArray(spec.name, len(items))
        for child, item in zip(param.getChildren(), items):
            child.setValue(item, 0)
        return param
    return group.createChildString(spec.name, _encode_text(kind, value))


# -- values ----------------------------------------------------------------------


def _number(kind, value):
    if kind == "bool":
        return 1.0 if value else 0.0
    return float(value or 0)


def _encode_text(kind, value):
    if kind == "string":
        return value if isinstance(value, str) else ""
    if kind == "json":
        return json.dumps(value, sort_keys=False, separators=(",", ":"))
    # "text": chunk size, an int normally, anything the artist typed otherwise
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and not _looks_like_json(value):
        return value
    return json.dumps(value)


def _looks_like_json(text):
    text = text.strip()
    if not text:
        return True
    try:
        json.loads(text)
        return True
    except ValueError:
        return False


def _decode_text(text):
    stripped = text.strip()
    if _INTEGER.match(stripped):
        return int(stripped)
    if not stripped:
        return text
    try:
        return json.loads(stripped)
    except ValueError:
        return text


def _fits(kind, value):
    """Whether a value can live in the spec's parameter without loss."""
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "float":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "string":
        return isinstance(value, str)
    if kind == "strings":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind == "json":
        try:
            return json.loads(json.dumps(value)) == value
        except (TypeError, ValueError):
            return False
    return True  # text


def _read(param, spec, time):
    kind = spec.kind
    if kind == "strings":
        return [c.getValue(time) for c in param.getChildren()]
    value = param.getValue(time)
    if kind == "bool":
        return bool(value)
    if kind == "int":
        return int(round(value))
    if kind == "float":
        return float(value)
    if kind == "json":
        return json.loads(value) if value.strip() else None
    if kind == "text":
        return _decode_text(value)
    return value


def _time():
    try:
        return _ng().GetCurrentTime()
    except Exception:
        return 0.0


def read_settings(node, time=None):
    """The settings stored on a ConductorRender node, as a dict.

    Keys are those of ``Settings.to_dict()``; a parameter that is missing
    (a node from an older version) or unreadable is left out, so
    ``Settings.from_dict`` falls back to its default.
    """
    if time is None:
        time = _time()
    root = node.getParameters()
    data = {}
    for spec in SPECS:
        param = node.getParameter(spec.path)
        if param is None:
            continue
        try:
            value = _read(param, spec, time)
        except (ValueError, TypeError, RuntimeError) as err:
            logger.warning("Conductor: cannot read %s.%s (%s); using the default", node.getName(), spec.path, err)
            continue
        if value is None and spec.kind == "json":
            continue
        data[spec.field] = value
    other = root.getChild(INTERNAL)
    other = other.getChild(OTHER_PARAM) if other is not None else None
    if other is not None:
        text = other.getValue(time)
        if text.strip():
            try:
                extra = json.loads(text)
            except ValueError as err:
                logger.warning("Conductor: %s.%s.%s is not JSON (%s); ignored", node.getName(), INTERNAL, OTHER_PARAM, err)
                extra = {}
            if isinstance(extra, dict):
                data.update(extra)
    return data


def write_settings(node, data, time=None):
    """Store a settings dict (``Settings.to_dict()``) on a ConductorRender node.

    Only parameters whose value changes are written, inside one undo group,
    so writing unchanged settings leaves the project clean. Missing
    parameters are created first. Returns the number of parameters written.
    """
    from Katana import Utils

    if time is None:
        time = _time()
    current = read_settings(node, time)
    other = {k: v for k, v in _stored_other(node, time).items() if k not in data and k not in SPEC_BY_FIELD}
    changes = []
    for key, value in data.items():
        spec = SPEC_BY_FIELD.get(key)
        if spec is None or not _fits(spec.kind, value):
            other[key] = value
            continue
        if key in current and current[key] == value and (spec.kind == "float" or type(current[key]) is type(value)):
            continue
        changes.append((spec, value))
    other_text = json.dumps(other, sort_keys=True) if other else ""
    other_param = node.getParameter("{}.{}".format(INTERNAL, OTHER_PARAM))
    other_changed = other_param is None or other_param.getValue(time) != other_text
    if not changes and not other_changed:
        return 0
    Utils.UndoStack.OpenGroup("Conductor settings")
    try:
        build(node)
        for spec, value in changes:
            _write(node.getParameter(spec.path), spec, value, time)
        if other_changed:
            node.getParameter("{}.{}".format(INTERNAL, OTHER_PARAM)).setValue(other_text, time)
    finally:
        Utils.UndoStack.CloseGroup()
    return len(changes) + (1 if other_changed else 0)


def _stored_other(node, time):
    param = node.getParameter("{}.{}".format(INTERNAL, OTHER_PARAM))
    if param is None:
        return {}
    try:
        value = json.loads(param.getValue(time) or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _write(param, spec, value, time):
    kind = spec.kind
    if kind in ("bool", "int", "float"):
        param.setValue(_number(kind, value), time)
    elif kind == "strings":
        items = [str(v) for v in value]
        old = [c.getValue(time) for c in param.getChildren()]
        if len(old) != len(items):
            param.resizeArray(len(items))
        for child, item, before in zip(param.getChildren(), items, old + [None] * len(items)):
            if item != before:
                child.setValue(item, time)
    else:
        param.setValue(_encode_text(kind, value), time)


# -- submission history ----------------------------------------------------------


def read_history(node, time=None):
    """The submission history kept on a ConductorRender node: a list of dicts (``[]`` when none).

    Entries are ``{"fingerprint", "title", "jobid", "submitted_at"}`` (see
    ``Scene.load_history``); text that is not a JSON list is logged and
    read as no history, never raised.
    """
    param = node.getParameter("{}.{}".format(INTERNAL, HISTORY_PARAM))
    if param is None:
        return []
    text = param.getValue(_time() if time is None else time)
    if not text.strip():
        return []
    try:
        entries = json.loads(text)
    except ValueError as err:
        logger.warning("Conductor: %s.%s.%s is not JSON (%s); no submission history is used",
                       node.getName(), INTERNAL, HISTORY_PARAM, err)
        return []
    if not isinstance(entries, list):
        return []
    return [dict(e) for e in entries if isinstance(e, dict) and e.get("fingerprint")]


def write_history(node, entries, time=None):
    """Keep the submission history on a ConductorRender node, in a hidden string parameter.

    The write is left out of the undo history (an Undo must not make the
    scene forget a job Conductor has), and skipped when nothing changes.
    Returns True when the parameter was written.
    """
    from Katana import Utils

    time = _time() if time is None else time
    text = json.dumps(list(entries), separators=(",", ":"), sort_keys=True)
    param = node.getParameter("{}.{}".format(INTERNAL, HISTORY_PARAM))
    if param is not None and param.getValue(time) == text:
        return False
    Utils.UndoStack.DisableCapture()
    try:
        if param is None:
            root = node.getParameters()
            internal = root.getChild(INTERNAL) or root.createChildGroup(INTERNAL)
            param = internal.createChildString(HISTORY_PARAM, "")
            _hint(param, HISTORY_HINTS)
        param.setValue(text, time)
    finally:
        Utils.UndoStack.EnableCapture()
    return True
