"""Content-addressed file storage and upload sessions for the sandbox.

Layer: sandbox (test and demo tooling; stdlib only, no Qt, no Katana).

Files are kept by their md5 in the form ciocore uses everywhere: the
**base64** of the 16-byte digest (``common.generate_md5``), which is also
what the ``Content-MD5`` header carries. Hex digests never appear in the
protocol; on disk they only name the files, since base64 contains ``/``.

With no directory, bytes live in memory; with one, under ``DIR/files/<hex>``,
written atomically, and found again when a sandbox restarts on that
directory (so the second run of a demo uploads nothing).

An upload session is what a presigned URL stands for: the file path the
client named, its md5 and size, and for multipart uploads the part size and
the parts received so far.
"""

import base64
import binascii
import collections
import hashlib
import os
import tempfile
import threading

#: What :meth:`FileStore.info` returns per file.
StoredFile = collections.namedtuple("StoredFile", "md5 size path")


def b64_md5(data):
    """The base64 md5 of ``data`` (bytes), as ciocore computes it."""
    return base64.b64encode(hashlib.md5(data).digest()).decode("ascii")


def md5_hex(b64):
    """Hex form of a base64 md5; raises ValueError if it is not one."""
    try:
        raw = base64.b64decode(b64.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, AttributeError):
        raise ValueError("not a base64 md5: %r" % (b64,))
    if len(raw) != 16:
        raise ValueError("not a base64 md5 (wrong length): %r" % (b64,))
    return binascii.hexlify(raw).decode("ascii")


class FileStore(object):
    """Thread-safe map of base64 md5 -> file bytes, in memory or on disk.

    Args:
        directory (str or None): Keep files under ``directory/files``.
    """

    def __init__(self, directory=None):
        self._lock = threading.Lock()
        self._mem = {}
        self._sizes = {}
        self._dir = None
        if directory:
            self._dir = os.path.join(os.path.abspath(directory), "files")
            if not os.path.isdir(self._dir):
                os.makedirs(self._dir)
            self._load()

    def _load(self):
        for name in os.listdir(self._dir):
            if len(name) != 32:
                continue
            try:
                b64 = base64.b64encode(binascii.unhexlify(name)).decode("ascii")
            except (binascii.Error, ValueError):
                continue
            self._sizes[b64] = os.path.getsize(os.path.join(self._dir, name))

    def _path(self, md5):
        return os.path.join(self._dir, md5_hex(md5)) if self._dir else None

    def has(self, md5):
        with self._lock:
            return md5 in self._sizes

    def put(self, md5, data):
        """Store ``data`` under ``md5`` (which the caller has checked). Idempotent."""
        with self._lock:
            if md5 in self._sizes:
                return
            if self._dir:
                fd, tmp = tempfile.mkstemp(dir=self._dir, prefix=".part-")
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.replace(tmp, self._path(md5))
            else:
                self._mem[md5] = bytes(data)
            self._sizes[md5] = len(data)

    def get(self, md5):
        """The stored bytes for ``md5``; KeyError if absent."""
        with self._lock:
            if md5 not in self._sizes:
                raise KeyError(md5)
            if not self._dir:
                return self._mem[md5]
            path = self._path(md5)
        with open(path, "rb") as fh:
            return fh.read()

    def info(self):
        """``{md5: StoredFile(md5, size, path or None)}`` for every stored file."""
        with self._lock:
            return {m: StoredFile(m, s, self._path(m)) for m, s in self._sizes.items()}

    def __len__(self):
        with self._lock:
            return len(self._sizes)

    def total_bytes(self):
        with self._lock:
            return sum(self._sizes.values())


class UploadSession(object):
    """What one presigned URL (single-part) or upload ID (multipart) stands for."""

    def __init__(self, token, path, md5, size, project, signature,
                 part_size=None, part_count=0):
        self.token = token
        self.path = path
        self.md5 = md5
        self.size = size
        self.project = project
        self.signature = signature
        self.part_size = part_size
        self.part_count = part_count
        self.parts = {}  # partNumber -> (etag, bytes)
        self.complete = False

    @property
    def multipart(self):
        return self.part_size is not None
