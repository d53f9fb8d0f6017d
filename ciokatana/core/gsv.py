"""Graph State Variable sets: one Render node, several jobs.

Layer: core. A Render node is often rendered several times with different
Graph State Variables. Its farm settings hold a list of variable sets
(``conductorVarSets``); each set becomes its own job, whose title carries
the values and whose task commands pass them to Katana with its batch
option ``--var name=value`` (Foundry's Katana "Batch Mode" page), each
argument shell-quoted.

A set is an ordered ``((name, value), ...)`` tuple (hashable, so frozen
snapshots can hold it). Text form, as typed on the command line
(``--var-set``) and in Katana's farm setting: ``shot=010,variant=a``; sets
are separated by ``;`` or new lines. In a JSON scene file a set is an
object, ``{"shot": "010", "variant": "a"}``.

A name must be a valid GSV name: a letter or ``_``, then letters, digits or
``_`` (Katana's VariableSet node and ``--var`` take names of this form).
"""

from __future__ import annotations

import re
import shlex
from typing import Dict, Iterable, List, Sequence, Tuple

VarSet = Tuple[Tuple[str, str], ...]

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
NAME_HELP = "a GSV name starts with a letter or _ and holds only letters, digits and _"


class VarSetError(ValueError):
    """A variable set that cannot be used; the message says which part."""


def is_gsv_name(name: str) -> bool:
    return bool(_NAME.match(str(name)))


def bad_names(var_sets: Iterable[VarSet]) -> List[str]:
    """Names in the sets that are not valid GSV names, in order, once each."""
    found = []
    for var_set in var_sets:
        for name, _value in var_set:
            if not is_gsv_name(name) and name not in found:
                found.append(name)
    return found


def from_mapping(data: Dict[str, object]) -> VarSet:
    """A set from a JSON object (values become strings)."""
    return tuple((str(name), str(value)) for name, value in data.items())


def to_mapping(var_set: VarSet) -> Dict[str, str]:
    return {name: value for name, value in var_set}


def parse_var_set(text: str, strict: bool = True) -> VarSet:
    """``"shot=010,variant=a"`` -> ``(("shot", "010"), ("variant", "a"))``.

    Raises VarSetError for a part without ``=``, an empty or invalid name,
    or a name given twice. With ``strict=False`` (reading a value a user
    typed into Katana) it never raises: a part without ``=`` is a name with
    an empty value and bad names are kept, for validation to report.
    """
    pairs = []
    seen = set()
    for part in [p.strip() for p in str(text).split(",")]:
        if not part:
            continue
        if not strict:
            name, _sep, value = part.partition("=")
            pairs.append((name.strip(), value.strip()))
            continue
        if "=" not in part:
            raise VarSetError("variable set {!r}: {!r} has no '=': write NAME=VALUE,NAME=VALUE".format(text, part))
        name, value = part.split("=", 1)
        name = name.strip()
        if not is_gsv_name(name):
            raise VarSetError("variable set {!r}: {!r} is not a valid GSV name ({})".format(text, name, NAME_HELP))
        if name in seen:
            raise VarSetError("variable set {!r} sets {!r} twice".format(text, name))
        seen.add(name)
        pairs.append((name, value.strip()))
    if not pairs:
        raise VarSetError("variable set {!r} is empty: write NAME=VALUE,NAME=VALUE".format(text))
    return tuple(pairs)


def parse_var_sets(text: str, strict: bool = True) -> Tuple[VarSet, ...]:
    """Several sets separated by ``;`` or new lines; empty text: none."""
    parts = [p for p in re.split(r"[;\n]", str(text or "")) if p.strip()]
    return tuple(s for s in (parse_var_set(p, strict) for p in parts) if s)


def format_var_set(var_set: VarSet) -> str:
    return ",".join("{}={}".format(name, value) for name, value in var_set)


def format_var_sets(var_sets: Sequence[VarSet]) -> str:
    return "; ".join(format_var_set(s) for s in var_sets)


def title_suffix(var_set: VarSet) -> str:
    """What a job title carries: `` [shot=010 variant=a]``."""
    return " [{}]".format(" ".join("{}={}".format(n, v) for n, v in var_set)) if var_set else ""


def command_arguments(var_set: VarSet) -> str:
    """Katana's batch arguments for a set, each shell-quoted:
    `` --var shot=010 --var 'variant=a b'``."""
    return "".join(" --var " + shlex.quote("{}={}".format(n, v)) for n, v in var_set)
