"""A small sample show on disk for the demo: textures, caches, sequences.

Layer: standalone. :func:`ensure_sample_show` writes the files that
``examples/shot010.json`` references (about 5 MB), deterministically, and
leaves files that are already there alone, so a second demo run finds the
same bytes and nothing new to upload.
"""

from __future__ import annotations

import hashlib
import os
from typing import List, Tuple

KB = 1024


def _layout() -> List[Tuple[str, int]]:
    files = [("caches/char_hero_anim.abc", 1536 * KB)]
    files += [("caches/smoke/smoke.{:04d}.vdb".format(f), 96 * KB) for f in range(1001, 1011)]
    for tile in (1001, 1002, 1003, 1004):
        files.append(("textures/char_hero/skin_diffuse.{}.tx".format(tile), 256 * KB))
        files.append(("textures/char_hero/skin_rough.{}.tx".format(tile), 96 * KB))
    for u, v in ((1, 1), (2, 1), (1, 2), (2, 2)):
        files.append(("textures/env/ground_u{}_v{}.tx".format(u, v), 64 * KB))
    files += [("plates/bg_plate.{:04d}.exr".format(f), 32 * KB) for f in range(1001, 1021)]
    files += [
        ("lookdev/char_hero.klf", 24 * KB),
        ("lights/studio_rig.livegroup", 6 * KB),
        ("ocio/config.ocio", 4 * KB),
        ("ocio/luts/srgb.cube", 48 * KB),
        ("ocio/luts/acescg_to_rec709.cube", 48 * KB),
    ]
    return files


def _content(name: str, size: int) -> bytes:
    """Deterministic bytes for a file (same name -> same bytes, every run)."""
    out = bytearray()
    seed = name.encode("utf-8")
    counter = 0
    while len(out) < size:
        out += hashlib.sha256(seed + counter.to_bytes(8, "big")).digest()
        counter += 1
    return bytes(out[:size])


def ensure_sample_show(root: str) -> Tuple[int, int]:
    """Create missing sample files under ``root/sample_show``.

    Returns (files written, bytes written); (0, 0) when all were present.
    """
    written = total = 0
    base = os.path.join(root, "sample_show")
    for name, size in _layout():
        path = os.path.join(base, name)
        if os.path.isfile(path) and os.path.getsize(path) == size:
            continue
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = path + ".part"
        with open(tmp, "wb") as handle:
            handle.write(_content(name, size))
        os.replace(tmp, path)
        written += 1
        total += size
    return written, total


def sample_show_size() -> Tuple[int, int]:
    layout = _layout()
    return len(layout), sum(size for _n, size in layout)
