"""Open a file for reading only when it is a regular file.

Layer: core (stdlib only). A scene or mock path that names a FIFO blocks
the open (or the first read) for ever; one that names a device
(``/dev/zero``) never ends. :func:`open_regular` opens without blocking
(``O_NONBLOCK`` where the platform has it), then checks the *open* file with
``fstat``: there is no window between a check and the open in which the path
could be swapped for something else.
"""

from __future__ import annotations

import os
import stat


class NotRegularFile(OSError):
    """The path is a folder, pipe, socket or device. ``kind`` says which."""

    def __init__(self, path: str, kind: str):
        super().__init__("{} is {}".format(path, kind))
        self.path = path
        self.kind = kind


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def open_regular(path: str):
    """A binary file object open for reading on ``path``.

    Raises:
        NotRegularFile: the open file is not a regular file (it is closed).
        OSError: FileNotFoundError, PermissionError ... from the open.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except IsADirectoryError:
        raise NotRegularFile(path, "a folder")
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(path, _kind(mode))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_capped(handle, limit: int) -> bytes:
    """At most ``limit`` bytes of an open file; raises ValueError when the
    file holds more (a size reported by stat is not trusted)."""
    data = handle.read(limit + 1)
    if len(data) > limit:
        raise ValueError("larger than {:,} bytes".format(limit))
    return data
