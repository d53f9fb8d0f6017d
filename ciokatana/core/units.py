"""Sizes as people read them.

Layer: core (standard library only). The one byte formatter: the terminal
(:mod:`ciokatana.core.console`), the Katana shelf listings and the dialog
(``ciokatana.ui.theme.human_bytes``) all show sizes with it, so the same
file is the same size everywhere.
"""

from __future__ import annotations


def human_bytes(count) -> str:
    """``1536`` -> ``1.5 KB`` (powers of 1024, as file browsers show); ``-`` for no number."""
    try:
        value = float(count)
    except (TypeError, ValueError):
        return "-"
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if abs(value) < 1024.0 or unit == "TB":
            if unit == "B":
                return "{:.0f} B".format(value)
            return "{:.1f} {}".format(value, unit)
        value /= 1024.0
    return "{:.1f} TB".format(value)  # pragma: no cover - the loop returns at TB
