"""md5 of upload files, with ciocore's md5 cache.

Layer: core (no Qt, no Katana). ciocore keeps the base64 md5 of every file
it hashed in a sqlite file (``client_db.FilesDB``: path, modification time,
size, md5); a file whose path, time and size match its entry is not read
again. :func:`cached_md5s` looks the whole list up in one pass (ciocore's
``FilesDB.query_files``) with ciocore's own staleness rule
(``FilesDB.get_comparison_column_names``) and file info
(``uploader._uploader.get_file_info``), so entries written here and by
ciocore's own uploader are interchangeable. :func:`hash_file` hashes with
``common.generate_md5``; :func:`remember` stores new entries in one
transaction (``FilesDB.add_files``).
"""

from __future__ import annotations

import logging
from typing import Callable, Dict, Iterable, List, Optional, Tuple

logger = logging.getLogger(__name__)


def file_info(path: str) -> dict:
    """ciocore's cache key for a file: ``{filepath, modtime, size}``."""
    from ciocore.uploader._uploader import get_file_info

    return get_file_info(path)


def cached_md5s(infos: Iterable[dict], database_filepath: str = "") -> Dict[str, str]:
    """``{path: md5}`` for the files whose cache entry is still valid."""
    from ciocore import client_db

    infos = list(infos)
    if not infos:
        return {}
    try:
        rows = client_db.FilesDB.query_files(
            [i["filepath"] for i in infos], return_dict=True, db_filepath=database_filepath or None
        )
    except Exception:  # an unreadable cache only costs hashing time
        logger.warning("ciocore's md5 cache %s could not be read; hashing every file", database_filepath,
                       exc_info=True)
        return {}
    columns = client_db.FilesDB.get_comparison_column_names()
    found = {}
    for info in infos:
        row = rows.get(info["filepath"])
        if row and row.get("md5") and all(info.get(c) == row.get(c) for c in columns):
            found[info["filepath"]] = row["md5"]
    return found


def hash_file(path: str, on_block: Optional[Callable[[int], None]] = None) -> str:
    """The base64 md5 of a file (ciocore's ``generate_md5``).

    ``on_block(bytes_done)`` is called after each block; it may raise to
    stop hashing (a cancel).
    """
    from ciocore import common

    callback = None
    if on_block is not None:

        def callback(_path, _size, done, log_level=None):
            on_block(done)

    return common.generate_md5(path, poll_seconds=None, callback=callback, log_level=logging.DEBUG)


def remember(entries: List[Tuple[dict, str]], database_filepath: str = "") -> None:
    """Store ``(file_info, md5)`` pairs in the cache in one transaction."""
    from ciocore import client_db

    rows = []
    for info, md5 in entries:
        row = dict(info)
        row["md5"] = md5
        rows.append(row)
    if not rows:
        return
    try:
        client_db.FilesDB.add_files(rows, db_filepath=database_filepath or None)
    except Exception:  # the next run hashes again; nothing is lost
        logger.warning("Could not store md5s in ciocore's cache %s", database_filepath, exc_info=True)
