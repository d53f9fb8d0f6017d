"""Does a variable set name Graph State Variables the project has?

Layer: katana. Katana's batch option ``--var name=value`` sets an
*existing* Graph State Variable (Foundry's "Batch Mode" page), so a
variable set naming one the project does not define renders with the
variable unset. Outside Katana nothing can check this; inside, the
project's variables are the children of the root node's ``variables``
parameter (``NodegraphAPI.GetRootNode().getParameter('variables')``, one
group per variable, named for it). When that parameter cannot be read the
check is skipped: it never blocks a submission on a guess.
"""

from __future__ import annotations

from typing import Dict, Iterable, List, Optional

from ciokatana.core.scene import RenderNode, SceneNote


def _variable_groups():
    """The root node's ``variables`` groups, one per Graph State Variable (None: no such parameter)."""
    from Katana import NodegraphAPI

    parameter = NodegraphAPI.GetRootNode().getParameter("variables")
    return None if parameter is None else parameter.getChildren()


def project_variables() -> Optional[List[str]]:
    """The names of the project's Graph State Variables, or None when they
    cannot be read (no such parameter, or an API that differs)."""
    try:
        groups = _variable_groups()
        return None if groups is None else [child.getName() for child in groups]
    except Exception:  # a check that cannot run says nothing
        return None


def project_variable_values() -> Optional[Dict[str, str]]:
    """The project's Graph State Variables and their current values (each
    group's ``value``), or None when they cannot be read."""
    try:
        groups = _variable_groups()
        if groups is None:
            return None
        values = {}
        for child in groups:
            value = child.getChild("value")
            values[child.getName()] = "" if value is None else str(value.getValue(0))
        return values
    except Exception:  # a state that cannot be read decides nothing
        return None


def unknown_variable_notes(nodes: Iterable[RenderNode], known: Optional[List[str]] = None) -> List[SceneNote]:
    """A warning per Render node whose variable sets name a variable the
    project does not define (nothing when the project's list is unknown)."""
    if known is None:
        known = project_variables()
    if known is None:
        return []
    notes = []
    for node in nodes:
        missing = []
        for var_set in node.farm_settings.var_sets:
            for name, _value in var_set:
                if name not in known and name not in missing:
                    missing.append(name)
        if missing:
            notes.append(SceneNote(
                "warning", "unknown_gsv", "Render node '{}'".format(node.name),
                "its variable sets name {} {}, which this project does not define; Katana's --var sets an "
                "existing Graph State Variable, so the job would render without it: add {} to the project's "
                "Graph State Variables or fix the name (the project has: {})".format(
                    "variable" if len(missing) == 1 else "variables",
                    ", ".join(repr(n) for n in missing),
                    "it" if len(missing) == 1 else "them",
                    ", ".join(known) or "none")))
    return notes
