"""Validation: findings about a planned submission, before anything is sent.

Layer: core. Validators are plain functions ``fn(context) -> iterable of
Finding`` registered with :func:`validator`. The built-in rules live in
:mod:`ciokatana.core.validation.rules`; a studio adds its own by registering
functions (or through the ``ciokatana.validators`` entry-point group), with
no change to the dialog: the Validation tab and ``ciokatana validate`` only
show what :func:`validate` returns.

Levels: ERROR stops a submission, WARNING asks the artist to confirm,
NOTICE informs. Every message names where (node or setting), what is wrong,
and how to fix it.
"""

from __future__ import annotations

import logging
import os
import traceback
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, List, Optional, Tuple

logger = logging.getLogger(__name__)

ERROR = "error"
WARNING = "warning"
NOTICE = "notice"
LEVELS = (ERROR, WARNING, NOTICE)

DEFAULT_TASK_LIMIT = 1000


@dataclass(frozen=True)
class Finding:
    """One thing validation found.

    Attributes:
        level: ERROR, WARNING or NOTICE.
        rule: the id of the rule that found it (``task_limit``...).
        where: the node or setting concerned (``Render node 'beauty'``).
        message: what is wrong and how to fix it, as a sentence.
        details: extra lines (e.g. the missing files), may be empty.
    """

    level: str
    rule: str
    where: str
    message: str
    details: Tuple[str, ...] = ()

    def __str__(self) -> str:
        return "{}: {}".format(self.where, self.message) if self.where else self.message


@dataclass
class Context:
    """What validators see: the plan, and Conductor data when connected.

    ``instance_types`` maps names to Conductor instance-type dicts when the
    dialog or CLI has fetched them; validators fall back to name rules
    without it.
    """

    plan: Any
    instance_types: Optional[dict] = None
    projects: Optional[List[str]] = None
    task_limit: int = field(default_factory=lambda: task_limit_from_env())


def task_limit_from_env() -> int:
    try:
        return max(1, int(os.environ.get("CIOKATANA_TASK_LIMIT", DEFAULT_TASK_LIMIT)))
    except ValueError:
        return DEFAULT_TASK_LIMIT


Validator = Callable[[Context], Iterable[Finding]]
_REGISTRY: List[Validator] = []
_ENTRY_POINTS_LOADED = [False]


def validator(fn: Validator) -> Validator:
    """Register a validator function (usable as a decorator)."""
    if fn not in _REGISTRY:
        _REGISTRY.append(fn)
    return fn


def unregister(fn: Validator) -> None:
    if fn in _REGISTRY:
        _REGISTRY.remove(fn)


def registered() -> List[Validator]:
    _load_builtins()
    return list(_REGISTRY)


def _load_builtins() -> None:
    from ciokatana.core.validation import rules  # noqa: F401  (registers on import)

    if _ENTRY_POINTS_LOADED[0]:
        return
    _ENTRY_POINTS_LOADED[0] = True
    try:
        from importlib.metadata import entry_points  # novermin
    except ImportError:  # pragma: no cover - Python 3.7
        return
    try:
        eps = entry_points()
        group = eps.select(group="ciokatana.validators") if hasattr(eps, "select") else eps.get("ciokatana.validators", [])
        for ep in group:
            validator(ep.load())
    except Exception:  # a broken studio plug-in must not break submitting
        logger.exception("Could not load ciokatana.validators entry points")


def validate(plan, instance_types=None, projects=None, task_limit=None) -> List[Finding]:
    """Run every registered validator; findings sorted errors first.

    A validator that raises becomes an ERROR finding naming it, so a broken
    rule is visible instead of silently passing.
    """
    context = Context(plan=plan, instance_types=instance_types, projects=projects)
    if task_limit is not None:
        context.task_limit = task_limit
    findings: List[Finding] = []
    for fn in registered():
        try:
            findings.extend(fn(context) or [])
        except Exception as err:
            findings.append(
                Finding(
                    ERROR,
                    "validator_crashed",
                    "Validator {}".format(getattr(fn, "__name__", fn)),
                    "crashed ({}: {}); fix or remove the validator".format(type(err).__name__, err),
                    tuple(traceback.format_exc().splitlines()[-6:]),
                )
            )
    return sorted(findings, key=lambda f: LEVELS.index(f.level))


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.level == ERROR for f in findings)


def by_level(findings: Iterable[Finding], level: str) -> List[Finding]:
    return [f for f in findings if f.level == level]
