"""Writing a JSON file so that readers see the old file or the new one, never half of one.

Layer: core (standard library only). Used for scene files, presets, the
upload record and payloads saved from the Preview tab.
"""

from __future__ import annotations

import json
import os
import tempfile
from typing import Any, Callable, Optional


def write_json(path: str, data: Any, compact: bool = False, mode: Optional[int] = None,
               place: Optional[Callable[[str, str], None]] = None) -> None:
    """Write ``data`` as JSON to a temporary file beside ``path``, then ``place`` it there.

    Args:
        compact: no indentation (for machine-only files); else 2-space
            indented UTF-8 with a final newline.
        mode: permissions for the file (``mkstemp`` makes it private).
        place: moves the finished temporary file to ``path``;
            ``os.replace`` by default (a caller may refuse to replace).
    The temporary file never outlives the call, whatever fails.
    """
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            if compact:
                json.dump(data, handle, separators=(",", ":"))
            else:
                json.dump(data, handle, indent=2, ensure_ascii=False)
                handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        (place or os.replace)(tmp, path)  # looked up now, not at import
    finally:
        if os.path.lexists(tmp):
            os.unlink(tmp)
