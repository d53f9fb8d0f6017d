"""Conductor farm settings on Render nodes, through FarmAPI.

Layer: katana. :func:`register_farm_settings` adds five parameters to the
``farmSettings`` group of every Render (and RenderScript/ImageWrite) node,
existing and future, as FarmAPI does for any farm setting:

- ``conductorOverrides`` (check box): the node uses its own values below
  instead of the submitter's defaults;
- ``conductorFrameSpec``: the node's frames; empty means the scene frame
  range, which is what the reader reports, so the default always follows
  the scene's current range;
- ``conductorScoutSpec``: scout frames (``auto:N``, ``fml:N``, a spec, or empty);
- ``conductorChunkSize``: frames per task (integer);
- ``conductorVarSets``: Graph State Variable sets, one job each
  (``shot=010,variant=a; shot=020,variant=a``; see :mod:`ciokatana.core.gsv`).

They are registered when the SuperTool is imported and again (a no-op
when nothing is missing) from the ``onStartup`` callback; see
:mod:`ciokatana.katana.registration`.
"""

from ciokatana.core import gsv
from ciokatana.core.scene import FarmSettings, SceneError
from ciokatana.katana import constants as C

SETTINGS = (
    # name, kind, default, hints
    (C.FARM_OVERRIDES, "number", 0, {
        "widget": "checkBox", "constant": "True",
        "help": "Conductor: use this node's frames, scout frames and chunk size instead of the submitter's",
    }),
    (C.FARM_FRAME_SPEC, "string", "", {
        "constant": "True",
        "help": "Conductor: frames to render, e.g. 1001-1100 or 1-100x2; empty: the scene frame range",
    }),
    (C.FARM_SCOUT_SPEC, "string", C.DEFAULT_NODE_SCOUT, {
        "constant": "True",
        "help": "Conductor: scout frames rendered first: auto:N, fml:N, a frame spec, or empty for none",
    }),
    (C.FARM_CHUNK_SIZE, "number", 1, {
        "int": "True", "constant": "True", "min": "1",
        "help": "Conductor: frames per task",
    }),
    (C.FARM_VAR_SETS, "string", "", {
        "constant": "True",
        "help": "Conductor: Graph State Variable sets, one job each, e.g. shot=010,variant=a; shot=010,variant=b "
                "(passed to Katana as --var name=value); empty: one job",
    }),
)
_BY_NAME = {row[0]: row for row in SETTINGS}


def register_farm_settings():
    """Add the Conductor farm settings FarmAPI does not list yet; return the names added.

    ``FarmAPI.GetAddedFarmSettings()`` says what this session already has,
    so calling this again (a second start-up hook, Reload Conductor) adds
    nothing twice.
    """
    from Katana import FarmAPI

    from ciokatana.katana import registration

    flags = registration._fallback_flags()
    present = registration._present(getattr(FarmAPI, "GetAddedFarmSettings", None), registration._setting_name)
    added = []
    for name, kind, default, hints in SETTINGS:
        if registration.already_there(present, name, "setting:" + name, flags):
            continue
        if kind == "number":
            FarmAPI.AddFarmSettingNumber(name, defaultValue=int(default), hints=dict(hints))
        else:
            FarmAPI.AddFarmSettingString(name, defaultValue=str(default), hints=dict(hints))
        flags.add("setting:" + name)
        added.append(name)
    return added


def scene_frame_spec(frame_range):
    """``"start-end"`` of a (start, end) range."""
    start, end = frame_range
    return "{}-{}".format(int(start), int(end))


def _param(node, name):
    return node.getParameter("{}.{}".format(C.FARM_GROUP, name))


def read_farm_settings(node, frame_range, time=0.0):
    """A Render node's Conductor farm settings.

    Missing parameters (farm settings not registered in this session) read
    as their defaults; an empty frame spec reads as the scene frame range.
    """
    values = {}
    for name, _kind, default, _hints in SETTINGS:
        param = _param(node, name)
        values[name] = param.getValue(time) if param is not None else default
    chunk = values[C.FARM_CHUNK_SIZE]
    if isinstance(chunk, float) and chunk.is_integer():
        chunk = int(chunk)
    return FarmSettings(
        overrides=bool(values[C.FARM_OVERRIDES]),
        frame_spec=str(values[C.FARM_FRAME_SPEC] or "").strip() or scene_frame_spec(frame_range),
        scout_spec=str(values[C.FARM_SCOUT_SPEC] or ""),
        chunk_size=chunk,
        var_sets=gsv.parse_var_sets(str(values[C.FARM_VAR_SETS] or ""), strict=False),
    )


def _chunk_number(value, node_name):
    if isinstance(value, bool):
        raise SceneError("{}: chunk size must be a whole number of frames, not {!r}".format(node_name, value))
    try:
        number = float(str(value).strip()) if not isinstance(value, (int, float)) else float(value)
    except ValueError:
        raise SceneError("{}: chunk size must be a whole number of frames, not {!r}".format(node_name, value))
    if not number.is_integer() or number < 1:
        raise SceneError("{}: chunk size must be a whole number of frames (1 or more), not {!r}".format(node_name, value))
    return number


def write_farm_settings(node, farm, time=0.0):
    """Write a Render node's Conductor farm settings (one undo group).

    Parameters that do not exist yet are created with FarmAPI's hints; only
    changed values are written. Raises SceneError for a chunk size that is
    not a whole number (the parameter is a number).
    """
    from Katana import Utils

    chunk = _chunk_number(farm.chunk_size, node.getName())
    wanted = {
        C.FARM_OVERRIDES: 1.0 if farm.overrides else 0.0,
        C.FARM_FRAME_SPEC: str(farm.frame_spec or ""),
        C.FARM_SCOUT_SPEC: str(farm.scout_spec or ""),
        C.FARM_CHUNK_SIZE: chunk,
        C.FARM_VAR_SETS: gsv.format_var_sets(farm.var_sets),
    }
    group = node.getParameter(C.FARM_GROUP)
    if group is None:
        raise SceneError("{} has no farmSettings: it is not a Render node".format(node.getName()))
    Utils.UndoStack.OpenGroup("Conductor farm settings of {}".format(node.getName()))
    try:
        for name, value in wanted.items():
            param = group.getChild(name)
            if param is None:
                _name, kind, default, hints = _BY_NAME[name]
                if kind == "number":
                    param = group.createChildNumber(name, default)
                else:
                    param = group.createChildString(name, default)
                param.setHintString(repr(hints))
            if param.getValue(time) != value:
                param.setValue(value, time)
    finally:
        Utils.UndoStack.CloseGroup()
