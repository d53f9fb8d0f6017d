"""Upload files and their md5s, with ciocore's md5 cache.

Layer: core (no Qt, no Katana). The one place where the upload estimate
(:mod:`ciokatana.core.estimate`) and the shared upload
(:mod:`ciokatana.core.shared_upload`) turn a payload's ``upload_paths``
into files and md5s, so the estimate counts what the upload then does:

- :func:`expand`: upload paths (folders, sequences, ``$VARS``) into files,
  as ciocore's ``Submit.main`` expands them (``file_utils``'s
  ``process_upload_filepath``), each file once, in order;
- :func:`md5_caching`: whether a submission may use the md5 cache (every
  job that uploads itself keeps the payload's ``md5_caching``);
- :func:`md5s`: the md5 of every file: from ciocore's cache where it still
  vouches for the file, else hashed (concurrently, cancellable block by
  block) and stored in the cache.

ciocore keeps the base64 md5 of every file it hashed in a sqlite file
(``client_db.FilesDB``: path, modification time, size, md5); a file whose
path, time and size match its entry is not read again. :func:`cached_md5s`
looks the whole list up in one pass (ciocore's ``FilesDB.query_files``)
with ciocore's own staleness rule (``FilesDB.get_comparison_column_names``)
and file info (``uploader._uploader.get_file_info``), so entries written
here and by ciocore's own uploader are interchangeable. :func:`hash_file`
hashes with ``common.generate_md5``; :func:`remember` stores new entries
in one transaction (``FilesDB.add_files``).
"""

from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Dict, Iterable, List, Optional, Tuple

logger = logging.getLogger(__name__)


class Cancelled(Exception):
    """Listing or hashing stopped because ``cancelled()`` turned True."""


def expand(paths: Iterable[str], cancelled: Optional[Callable[[], bool]] = None,
           on_count: Optional[Callable[[int], None]] = None) -> Tuple[List[str], List[Tuple[str, Exception]]]:
    """``(files, missing)``: the files upload ``paths`` name, as ciocore's ``Submit.main`` finds them.

    Each path goes through ciocore's ``file_utils.process_upload_filepath``
    (a folder lists its files, a sequence its frames); ``files`` holds each
    file once, in order (ciocore's ``Submit`` keeps them in a dict too).
    ``missing`` holds ``(path, error)`` for every path that names nothing
    (ciocore's error, which names the path). ``on_count(files so far)`` is
    called after each path; ``cancelled()`` is polled before each and
    raises :class:`Cancelled`.
    """
    from ciocore import file_utils

    files = OrderedDict()
    missing = []
    for path in paths:
        if cancelled is not None and cancelled():
            raise Cancelled()
        try:
            expanded = file_utils.process_upload_filepath(path)
        except Exception as err:  # ciocore raises a bare exception for a path that names nothing
            missing.append((path, err))
            continue
        for item in expanded:
            files[item] = None
        if on_count is not None:
            on_count(len(files))
    return list(files), missing


def md5_caching(payloads: Iterable[dict]) -> bool:
    """Whether ciocore's md5 cache may be trusted and written for these jobs.

    Off when any job that uploads its own files (``local_upload``) says
    ``md5_caching: false``, as the shared upload has always read it.
    """
    return all(p.get("md5_caching", True) for p in payloads if p.get("local_upload", True))


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


class Md5s(object):
    """What :func:`md5s` found.

    Attributes:
        md5s: ``{path: md5}`` of every file with an md5.
        cached: paths whose md5 came from ciocore's cache.
        todo: the file infos the cache did not vouch for (to hash).
        hashed: paths hashed now, in the order they finished.
        failed: ``{path: error}`` of the files that could not be hashed.
    """

    def __init__(self):
        self.md5s = {}  # type: Dict[str, str]
        self.cached = []  # type: List[str]
        self.todo = []  # type: List[dict]
        self.hashed = []  # type: List[str]
        self.failed = OrderedDict()  # type: Dict[str, Exception]


def default_threads() -> int:
    """Files hashed at once by default: the cores, at most 8."""
    return max(1, min(os.cpu_count() or 2, 8))


def md5s(infos: Iterable[dict], database_filepath: str = "", caching: bool = True,
         cancelled: Optional[Callable[[], bool]] = None, threads: Optional[int] = None,
         run: Optional[Callable[[Callable[[dict], None], List[dict]], None]] = None,
         on_lookup: Optional[Callable[[Md5s], None]] = None,
         on_bytes: Optional[Callable[[dict, int], None]] = None,
         on_file: Optional[Callable[[dict, Optional[str], Optional[Exception]], None]] = None) -> Md5s:
    """The md5 of every file: from ciocore's md5 cache, else hashed now (blocking).

    With ``caching`` the cache is consulted first and every md5 hashed here
    is stored in it (also when hashing stops early: what was hashed is not
    hashed again); without it the cache is neither read nor written, as
    ciocore's uploader does with ``md5_caching`` off.

    Args:
        infos: :func:`file_info` of each file.
        database_filepath: ciocore's md5 cache (its default when empty).
        caching: trust and update the cache.
        cancelled: polled before each file and after each block; when True
            the file in hand is left unhashed (neither in ``md5s`` nor in
            ``failed``). The caller decides what a cancel means.
        threads: files hashed at once (:func:`default_threads`).
        run: ``run(work, todo)`` calls ``work(info)`` for every info of
            ``todo`` (a caller's own pool, which may raise to stop early);
            by default a thread pool of ``threads``.
        on_lookup: called with the result once the cache was read
            (``md5s``/``cached`` hold the cached files, ``todo`` the rest).
        on_bytes: ``on_bytes(info, count)``: ``count`` more bytes of a file
            were hashed (never more than the file holds).
        on_file: ``on_file(info, md5, error)`` when a file was hashed (md5)
            or could not be (error).

    ``on_bytes`` and ``on_file`` run on the hashing threads, one at a time.
    """
    infos = list(infos)
    cancelled = cancelled or (lambda: False)
    result = Md5s()
    found = cached_md5s(infos, database_filepath) if caching else {}
    for info in infos:
        path = info["filepath"]
        if path in found:
            result.md5s[path] = found[path]
            result.cached.append(path)
        else:
            result.todo.append(info)
    if on_lookup is not None:
        on_lookup(result)
    lock = threading.Lock()

    def work(info):
        path = info["filepath"]
        size = int(info["size"])
        if cancelled():
            return
        base = [0]

        def on_block(done):
            if cancelled():
                raise Cancelled()
            done = min(done, size)  # ciocore counts whole blocks, the last one too
            if on_bytes is not None:
                with lock:
                    on_bytes(info, done - base[0])
            base[0] = done

        try:
            md5 = hash_file(path, on_block)
        except Cancelled:
            return
        except Exception as err:  # an unreadable file fails alone
            with lock:
                result.failed[path] = err
                if on_file is not None:
                    on_file(info, None, err)
            return
        with lock:
            result.md5s[path] = md5
            result.hashed.append(path)
            if on_file is not None:
                on_file(info, md5, None)

    try:
        if result.todo:
            if run is not None:
                run(work, result.todo)
            else:
                _pool(work, result.todo, threads)
    finally:  # even when stopped early: what was hashed is not hashed again
        if caching:
            remember([(i, result.md5s[i["filepath"]]) for i in result.todo if i["filepath"] in result.md5s],
                     database_filepath)
    return result


def _pool(work, todo, threads):
    count = max(1, min(int(threads or default_threads()), len(todo)))
    if count == 1:
        for info in todo:
            work(info)
        return
    with ThreadPoolExecutor(max_workers=count, thread_name_prefix="ciokatana-md5") as pool:
        list(pool.map(work, todo))
