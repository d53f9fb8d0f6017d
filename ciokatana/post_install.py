"""Install the Conductor plugin into Katana's user resources (or remove it).

Layer: install script (standard library only; imports nothing of ciokatana,
so it runs with any Python 3.7+ right after ``pip install --target``)::

    pip install ciokatana --target ~/Conductor/katana
    python ~/Conductor/katana/ciokatana/post_install.py            # install
    python ~/Conductor/katana/ciokatana/post_install.py --uninstall

It copies the SuperTool init file, the shelf items and the render farm
plug-in shipped in ``ciokatana/katana/resources`` into
``<dir>/SuperTools/ConductorRender/``, ``<dir>/Shelves/Conductor/`` and
``<dir>/Plugins/ConductorFarmPlugin.py``, where ``<dir>`` is ``--dir``, else
``KATANA_USER_RESOURCE_DIRECTORY``, else the ``.katana`` folder Katana
reads in the user's home (on Windows ``HOME`` before ``USERPROFILE``, as
third-party Katana integrations resolve it; unverified for Katana itself);
it prints which folder and why. The copies point Katana at the folder
holding this ``ciokatana`` package.

Safe to run again, and safe in a folder others can write:

- every file it writes carries the marker ``ciokatana-managed-file``, the
  SHA-256 of its content and the list of folders it had to create;
- it updates only its own files and leaves a foreign file at the same
  path alone (and says so); a file of its own that someone has edited
  since (the hash no longer matches) is left alone too and reported, and
  ``--force`` replaces (or, with ``--uninstall``, removes) it after
  copying it to ``<file>.ciokatana-backup-<time>``;
- files are written through a temp file created exclusively next to the
  target (never following a symlink planted there) and renamed into place;
  a symlink where a file should be is never written through, and a file is
  read (for its marker, its hash and a backup) without following a
  symlink, once: the backup is a copy of the bytes that were checked;
- nothing is written outside the target folder: a folder on the way that
  is a symlink leading outside it (``<dir>/Shelves`` -> elsewhere) stops
  the install before anything is written, and where the system allows it
  (POSIX) each folder is opened once, checked to be inside the target,
  and every read, write and rename goes through that open folder, so a
  folder swapped for a symlink meanwhile changes nothing;
- ``--uninstall`` removes exactly its files, their ``__pycache__`` entries
  and the empty folders it created, and never anything outside the target
  folder, whatever a marker says.

Exit codes: 0 done, 1 something was left alone (a foreign or edited file
in the way), 2 the folder cannot be written, ``--dir`` is empty, or the
package is incomplete.

The other route needs no copy at all: add ``ciokatana/katana/resources``
(``--print-resources``) to ``KATANA_RESOURCES``.
"""

import argparse
import binascii
import errno
import hashlib
import ntpath
import os
import posixpath
import stat
import sys
import time

MARKER = "ciokatana-managed-file"
CREATED = "# ciokatana-created-folders:"
HASH = "# ciokatana-content-sha256:"
BACKUP = ".ciokatana-backup-"
PARENT_LINE = 'CIOKATANA_PARENT = ""'
HERE = os.path.dirname(os.path.abspath(__file__))
RESOURCES = os.path.join(HERE, "katana", "resources")
FILES = (
    "SuperTools/ConductorRender/__init__.py",
    "Shelves/Conductor/ScanAssets.py",
    "Shelves/Conductor/ListRenderOutputs.py",
    "Shelves/Conductor/ExportConductorScene.py",
    "Shelves/Conductor/ReloadConductor.py",
    "Plugins/ConductorFarmPlugin.py",
)
EXIT_OK, EXIT_LEFT_ALONE, EXIT_ERROR = 0, 1, 2

# The shelf items: one template, filled in per item. The copies shipped in
# ciokatana/katana/resources/Shelves (for the KATANA_RESOURCES route, which
# copies nothing) are this template's output; tests/katana/test_install.py
# checks that they match, and write_shipped_shelf_items() remakes them.
SHELF_TEMPLATE = '''"""
NAME: {name}
ICON:
KEYBOARD_SHORTCUT:
SCOPE:

{description}
"""
# ciokatana-managed-file: written by ciokatana's post_install; 'ciokatana install --uninstall' removes it.
# Layer: katana resources (a shelf item); ciokatana.katana.shelf does the work.

CIOKATANA_PARENT = ""


def _conductor_shelf():
    import os
    import sys

    folder = CIOKATANA_PARENT
    if not folder and "__file__" in globals():
        folder = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), *[os.pardir] * 5))
    if folder and os.path.isdir(os.path.join(folder, "ciokatana")) and folder not in sys.path:
        sys.path.insert(0, folder)
    from ciokatana.katana import shelf

    return shelf


_conductor_shelf().run("{action}", globals())
'''
# file -> (shelf label, description, ciokatana.katana.shelf action)
SHELF_ITEMS = {
    "Shelves/Conductor/ScanAssets.py": ("Scan Assets", """\
Conductor: list every file a submission of this scene would upload (the scene
file, the files its nodes read, the extra assets) with file counts and sizes.
Missing files are marked. The files are looked up on a background thread;
the listing appears in the console when it is done.""", "scan_assets"),
    "Shelves/Conductor/ListRenderOutputs.py": ("List Render Outputs", """\
Conductor: list every Render node's outputs as Katana's FarmAPI reports them,
marking those Conductor ignores (disabled, in Katana's temp dir) and the
folder each job downloads its renders to.""", "list_render_outputs"),
    "Shelves/Conductor/ExportConductorScene.py": ("Export Conductor Scene", """\
Conductor: write this scene as a JSON scene file (Render nodes, farm
settings, outputs, assets, frame range, Conductor settings and the .katana
path) for the ciokatana command line: ciokatana preview / validate / submit
/ gui --scene FILE.""", "export_conductor_scene"),
    "Shelves/Conductor/ReloadConductor.py": ("Reload Conductor", """\
Conductor: reload the plugin's Python modules (for developers). The Conductor
menus and the ConductorRender node run the reloaded code; close and reopen the
Conductor dialog to use it.""", "reload_conductor"),
}


def shelf_item_text(rel):
    """A shelf item's file text, from :data:`SHELF_TEMPLATE` (``CIOKATANA_PARENT`` still empty)."""
    name, description, action = SHELF_ITEMS[rel]
    return SHELF_TEMPLATE.format(name=name, description=description, action=action)


def write_shipped_shelf_items():
    """Remake the shelf items shipped in the package from the template (for developers)."""
    for rel in SHELF_ITEMS:
        with open(os.path.join(RESOURCES, *rel.split("/")), "w", encoding="utf-8", newline="\n") as handle:
            handle.write(shelf_item_text(rel))
# ciokatana runs in Katana 4.0 and later: Python 3.7+ (setup.py's python_requires).
MIN_PYTHON = (3, 7)
PYTHON = sys.version_info[:3]


class InstallError(Exception):
    """The install cannot go on; the message is one line saying why and what to do."""


def user_resources_dir(environ=None, os_name=None):
    """``(folder, why)``: the Katana user resources folder and how it was chosen.

    ``KATANA_USER_RESOURCE_DIRECTORY`` when set; else ``.katana`` in the home
    folder. On Windows that is ``HOME`` when set, then ``USERPROFILE``:
    third-party Katana integrations resolve it that way, and Python's own
    ``~`` uses ``USERPROFILE`` only, so a studio that sets ``HOME`` could
    otherwise get a folder Katana never reads. Which of the two Katana
    itself reads is *unverified* (Foundry's documentation does not say);
    inside Katana, ``KatanaResources.ResourceFiles.GetUserKatanaPath()`` is
    the authority.
    """
    environ = os.environ if environ is None else environ
    os_name = os.name if os_name is None else os_name
    paths = ntpath if os_name == "nt" else posixpath
    folder = (environ.get("KATANA_USER_RESOURCE_DIRECTORY") or "").strip()
    if folder:
        return _absolute(paths, os.path.expanduser(folder) if os_name == os.name else folder), (
            "KATANA_USER_RESOURCE_DIRECTORY is set")
    for name in (("HOME", "USERPROFILE") if os_name == "nt" else ("HOME",)):
        home = (environ.get(name) or "").strip()
        if home:
            why = "KATANA_USER_RESOURCE_DIRECTORY is not set; .katana in {} ({})".format(name, home)
            if os_name == "nt" and name == "HOME":
                why += (", checked before USERPROFILE as third-party Katana integrations do (unverified for "
                        "Katana itself; if Katana does not list this folder, use --dir or "
                        "KATANA_USER_RESOURCE_DIRECTORY)")
            return _absolute(paths, paths.join(home, ".katana")), why
    home = os.path.expanduser("~")
    return _absolute(paths, paths.join(home, ".katana")), (
        "KATANA_USER_RESOURCE_DIRECTORY is not set; .katana in the home folder ({})".format(home))


def _absolute(paths, path):
    return paths.normpath(path) if paths is not os.path else os.path.abspath(path)


def default_resources_dir(environ=None, os_name=None):
    """The Katana user resources folder (see :func:`user_resources_dir`)."""
    return user_resources_dir(environ, os_name)[0]


def package_parent():
    """The folder holding this ``ciokatana`` package (what Katana must import from)."""
    return os.path.dirname(HERE)


def resources_dir():
    """The resources folder shipped in the package (the ``KATANA_RESOURCES`` route)."""
    return RESOURCES


# -- file contents ----------------------------------------------------------------


def _head(data):
    """The first 8 KiB of a file's bytes as text (where the marker lines are)."""
    return data[:8192].decode("utf-8", "replace")


def _read_nofollow(path):
    """A regular file's bytes, read without following a symlink; None for
    anything else (missing, a symlink, a folder, a device)."""
    try:
        found = _read_entry(path)
    except OSError:
        return None
    return found[0] if isinstance(found, tuple) else None


def is_ours(path):
    """Whether a file was written by ciokatana (its marker is near the top).

    A symlink is never ours, whatever it points at.
    """
    data = _read_nofollow(path)
    return data is not None and MARKER in _head(data)


def _created_in(text):
    for line in text.splitlines():
        if line.startswith(CREATED):
            return [f.strip() for f in line[len(CREATED):].split(",") if f.strip()]
    return []


def created_folders(path):
    """The folders (relative, ``.`` = the resources folder) recorded in one of our files."""
    data = _read_nofollow(path)
    return _created_in(_head(data)) if data is not None else []


def content_hash(text):
    """SHA-256 of a file's text without its own hash line."""
    body = "\n".join(line for line in text.split("\n") if not line.startswith(HASH))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def recorded_hash(text):
    """The hash an installed file carries, or None (written by an older ciokatana)."""
    for line in text.split("\n")[:60]:
        if line.startswith(HASH):
            return line[len(HASH):].strip()
    return None


def _modified(text):
    recorded = recorded_hash(text)
    return recorded is not None and recorded != content_hash(text)


def is_modified(path):
    """Whether one of our files was edited since it was installed (its hash differs)."""
    data = _read_nofollow(path)
    return data is not None and _modified(data.decode("utf-8", "replace"))


def render(template, parent, created):
    """A template with the package folder, the created-folders record and the content hash."""
    if PARENT_LINE not in template or MARKER not in template:
        raise InstallError("the plugin files in {} are damaged (no marker); reinstall ciokatana".format(RESOURCES))
    text = template.replace(PARENT_LINE, "CIOKATANA_PARENT = {!r}".format(parent), 1)
    lines = [line for line in text.split("\n") if not line.startswith(CREATED) and not line.startswith(HASH)]
    for index, line in enumerate(lines):
        if MARKER in line:
            lines.insert(index + 1, "{} {}".format(CREATED, ", ".join(created)))
            break
    body = "\n".join(lines)
    for index, line in enumerate(lines):
        if line.startswith(CREATED):
            lines.insert(index + 1, "{} {}".format(HASH, content_hash(body)))
            break
    return "\n".join(lines)


def _read_template(rel):
    if rel in SHELF_ITEMS:
        return shelf_item_text(rel)
    path = os.path.join(RESOURCES, *rel.split("/"))
    try:
        with open(path, "r", encoding="utf-8") as handle:
            return handle.read()
    except OSError as err:
        raise InstallError("missing plugin file {} ({}); reinstall ciokatana".format(path, err.strerror or err))


# -- folders inside the target ------------------------------------------------------

NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
BINARY = getattr(os, "O_BINARY", 0)
DIRECTORY = getattr(os, "O_DIRECTORY", 0)
# getattr: Python 2.7 has no supports_dir_fd, and must reach check_python's message.
_DIR_FD = getattr(os, "supports_dir_fd", ())
#: Open folders once and work relative to them (POSIX); else by path, checked first.
USE_DIR_FD = bool(NOFOLLOW and DIRECTORY) and os.open in _DIR_FD and os.rename in _DIR_FD
OTHER = "other"  # something that is not a regular file: a symlink, a folder, a device


def _read_entry(path, dir_fd=None):
    """``(bytes, permission bits)`` of a regular file, OTHER, or None when nothing is there.

    Opened with ``O_NOFOLLOW`` (a symlink is OTHER, never followed) and
    checked with ``fstat`` on the open file, so what is read is what was
    checked, however the name changes meanwhile. ``path`` is relative to
    ``dir_fd`` when given.
    """
    if not NOFOLLOW and os.path.islink(path):  # no O_NOFOLLOW (Windows): checked just before
        return OTHER
    at = {"dir_fd": dir_fd} if dir_fd is not None else {}
    try:
        fd = os.open(path, os.O_RDONLY | NOFOLLOW | BINARY | getattr(os, "O_NONBLOCK", 0), **at)
    except FileNotFoundError:
        return None
    except PermissionError:  # something we cannot read is not ours
        return OTHER
    except OSError as err:
        if err.errno in (errno.ELOOP, errno.EMLINK, errno.ENXIO):  # a symlink (Linux, BSD), a socket
            return OTHER
        raise
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            return OTHER
        return handle.read(), stat.S_IMODE(info.st_mode)


class Outside(InstallError):
    """A folder on the way leads outside the target (a symlink)."""


def _outside(target, path):
    return Outside(
        "{} leads to {}, outside {} (a symlink): ciokatana never writes outside the folder it installs "
        "into; make it a real folder, or pass the folder you mean with --dir".format(
            path, os.path.realpath(path), target))


def _same_file(fd, path):
    try:
        mine, theirs = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (mine.st_dev, mine.st_ino) == (theirs.st_dev, theirs.st_ino)


class Folder(object):
    """One folder inside the target; every read, write and rename happens in it.

    On POSIX it is opened once and checked (its real path is inside the
    target and is the folder that was opened); names are then used
    relative to the open folder, so swapping it (or a folder above it) for
    a symlink afterwards changes nothing. Elsewhere names are joined to
    its path, checked just before use.
    """

    def __init__(self, path, fd=None):
        self.path = path
        self.fd = fd

    def close(self):
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def _at(self):
        return {"dir_fd": self.fd} if self.fd is not None else {}

    def _name(self, name):
        return name if self.fd is not None else os.path.join(self.path, name)

    def read(self, name):
        """``(bytes, permission bits)``, OTHER, or None (see :func:`_read_entry`)."""
        return _read_entry(self._name(name), self.fd)

    def create(self, name, data, mode):
        """Write a new file exclusively (never through a symlink or over a file)."""
        fd = os.open(self._name(name), os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW | BINARY, mode, **self._at())
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        except BaseException:
            self.unlink(name, quiet=True)
            raise

    def replace(self, source, dest):
        at = {"src_dir_fd": self.fd, "dst_dir_fd": self.fd} if self.fd is not None else {}
        os.replace(self._name(source), self._name(dest), **at)

    def unlink(self, name, quiet=False):
        try:
            os.unlink(self._name(name), **self._at())
        except OSError:
            if not quiet:
                raise

    def write_atomic(self, name, text):
        """Write through a temp file created exclusively in this folder, then rename.

        The temp name is random and created with ``O_CREAT | O_EXCL |
        O_NOFOLLOW``, so a file or symlink someone planted is never opened
        or written through; the rename replaces a symlink at ``name``
        itself, never its target. Readable by others as the umask allows
        (Katana, and colleagues, must read it).
        """
        data = text.encode("utf-8")
        for _attempt in range(100):
            tmp = ".{}.{}.ciokatana-tmp".format(name, binascii.hexlify(os.urandom(6)).decode("ascii"))
            try:
                self.create(tmp, data, 0o666)
            except FileExistsError:
                continue
            break
        else:  # pragma: no cover - 100 collisions of 48 random bits
            raise InstallError("cannot create a temp file in {}".format(self.path))
        try:
            self.replace(tmp, name)
        except BaseException:
            self.unlink(tmp, quiet=True)
            raise

    def backup(self, name, data, mode):
        """Copy the bytes that were read and checked (never the file again) to
        ``<name>.ciokatana-backup-<time>``, created exclusively with the
        file's own permissions; return the backup's name."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        for n in range(100):
            backup = "{}{}{}{}".format(name, BACKUP, stamp, "" if n == 0 else "-{}".format(n))
            try:
                self.create(backup, data, mode & 0o666)
            except FileExistsError:
                continue
            return backup
        raise InstallError("cannot make a backup of {}: too many backups; remove old ones".format(
            os.path.join(self.path, name)))

    def remove_pycache(self, stem):
        """``__pycache__/<stem>.*.pyc`` of a removed file (a symlinked ``__pycache__`` is left alone)."""
        cache = os.path.join(self.path, "__pycache__")
        if self.fd is not None:
            try:
                cfd = os.open("__pycache__", os.O_RDONLY | DIRECTORY | NOFOLLOW, dir_fd=self.fd)
            except OSError:
                return
            try:
                for entry in os.listdir(cfd):
                    if entry.startswith(stem + ".") and entry.endswith(".pyc"):
                        os.unlink(entry, dir_fd=cfd)
                empty = not os.listdir(cfd)
            finally:
                os.close(cfd)
            if empty:
                os.rmdir("__pycache__", dir_fd=self.fd)
            return
        if os.path.islink(cache) or not os.path.isdir(cache):
            return
        for entry in os.listdir(cache):
            if entry.startswith(stem + ".") and entry.endswith(".pyc"):
                os.remove(os.path.join(cache, entry))
        if not os.listdir(cache):
            os.rmdir(cache)


def check_no_link_outside(target, rel_dirs):
    """Refuse, before anything is written, a folder on the way to any of
    ``rel_dirs`` that is a symlink leading outside the target."""
    for rel_dir in rel_dirs:
        path = target
        for part in rel_dir.split("/"):
            path = os.path.join(path, part)
            if not os.path.lexists(path):
                break
            if os.path.islink(path) and not _inside(target, path):
                raise _outside(target, path)


def open_folder(target, rel_dir, create):
    """``(Folder, folders created)`` for ``target/rel_dir``, or ``(None, [])``
    when it does not exist and ``create`` is false.

    Raises :class:`Outside` when a folder on the way leads outside the
    target, InstallError when a file stands where a folder is needed.
    """
    created = []
    if not os.path.isdir(target):
        if not create:
            return None, []
        if os.path.lexists(target):
            raise InstallError("{} is a file, not a folder; pass a folder with --dir".format(target))
        try:
            os.makedirs(target)
        except OSError as err:
            raise _cannot_write(target, err)
        created.append(".")
    if not USE_DIR_FD:
        return _open_by_path(target, rel_dir, create, created)
    fd = os.open(os.path.realpath(target), os.O_RDONLY | DIRECTORY)
    path = target
    so_far = []
    try:
        for part in rel_dir.split("/"):
            path = os.path.join(path, part)
            so_far.append(part)
            if create:
                try:
                    os.mkdir(part, dir_fd=fd)  # never follows a symlink: it exists
                    created.append("/".join(so_far))
                except FileExistsError:
                    pass
                except OSError as err:
                    raise _cannot_write(os.path.dirname(path), err)
            try:
                child = os.open(part, os.O_RDONLY | DIRECTORY | NOFOLLOW, dir_fd=fd)
            except FileNotFoundError:
                os.close(fd)
                return None, []
            except OSError:
                if not os.path.islink(path):
                    raise InstallError("{} is a file where a folder is needed; move it away".format(path))
                child = os.open(part, os.O_RDONLY | DIRECTORY, dir_fd=fd)  # a symlink: checked below
                if not (_inside(target, path) and _same_file(child, os.path.realpath(path))):
                    os.close(child)
                    raise _outside(target, path)
            os.close(fd)
            fd = child
        return Folder(path, fd), created
    except BaseException:
        os.close(fd)
        raise


def _open_by_path(target, rel_dir, create, created):
    path = target
    so_far = []
    for part in rel_dir.split("/"):
        path = os.path.join(path, part)
        so_far.append(part)
        if os.path.islink(path) and not _inside(target, path):
            raise _outside(target, path)
        if os.path.isdir(path):
            continue
        if os.path.lexists(path):
            raise InstallError("{} is a file where a folder is needed; move it away".format(path))
        if not create:
            return None, []
        try:
            os.mkdir(path)
        except OSError as err:
            raise _cannot_write(os.path.dirname(path), err)
        created.append("/".join(so_far))
    if not _inside(target, path):
        raise _outside(target, path)
    return Folder(path), created


def _check_target(target):
    if target is not None and not str(target).strip():
        raise InstallError("the folder is empty (--dir ''): give the Katana resources folder to use")
    return os.path.abspath(target) if target else default_resources_dir()


def _inside(target, path):
    """Whether ``path`` (symlinks resolved) is the target folder or below it."""
    real_target = os.path.realpath(target)
    real = os.path.realpath(path)
    try:
        return os.path.commonpath([real_target, real]) == real_target
    except ValueError:  # different drives
        return False


def _safe_folder(target, rel):
    """The absolute folder for a recorded relative folder, or None when it is not inside the target."""
    if rel == ".":
        return target
    parts = rel.replace("\\", "/").split("/")
    if not rel or os.path.isabs(rel) or ntpath.isabs(rel) or ntpath.splitdrive(rel)[0] or any(
            p in ("", ".", "..") for p in parts):
        return None
    path = os.path.join(target, *parts)
    if os.path.islink(path) or not _inside(target, path):
        return None
    return path


def _cannot_write(folder, err):
    return InstallError(
        "cannot write in {} ({}); choose a folder you can write with --dir DIR, "
        "or set KATANA_USER_RESOURCE_DIRECTORY".format(folder, err.strerror or err)
    )


# -- install ------------------------------------------------------------------------


def install(target=None, parent=None, force=False):
    """Write the plugin files into a Katana resources folder.

    Args:
        target: the resources folder (``None``: :func:`default_resources_dir`).
        parent: the folder holding the ``ciokatana`` package.
        force: replace files of ours that were edited since, after a backup.

    Returns ``[(action, relative path, note)]`` with action one of
    ``wrote``, ``updated``, ``unchanged``, ``left alone``, ``replaced``.
    Raises InstallError (one line) when the folder cannot be written, or
    when a folder on the way is a symlink leading outside it.
    """
    target = _check_target(target)
    parent = os.path.abspath(parent or package_parent())
    if not os.path.isfile(os.path.join(parent, "ciokatana", "__init__.py")):
        raise InstallError("{} holds no ciokatana package; run the post_install.py inside the installed package".format(parent))
    check_no_link_outside(target, sorted({rel.rsplit("/", 1)[0] for rel in FILES}))
    actions = []
    for rel in FILES:
        folder_rel, name = rel.rsplit("/", 1)
        template = _read_template(rel)
        folder = None
        try:
            folder, _ = open_folder(target, folder_rel, create=False)
            found = folder.read(name) if folder is not None else None
            if found is OTHER or (found is not None and MARKER not in _head(found[0])):
                actions.append(("left alone", rel, "a file not written by ciokatana is there; move it away and run again"))
                continue
            data, mode = found if isinstance(found, tuple) else (None, 0)
            before = data.decode("utf-8", "replace") if data is not None else None
            backup = ""
            if folder is not None and data is not None and _modified(before or ""):
                if not force:
                    actions.append(("left alone", rel, "edited since it was installed; keep your edits, or run again "
                                                       "with --force to replace it (a backup is kept)"))
                    continue
                backup = folder.backup(name, data, mode)
            if folder is None:
                folder, new = open_folder(target, folder_rel, create=True)
            else:
                new = []
            previous = _created_in(before) if before is not None else []
            created = previous + [f for f in new if f not in previous]
            text = render(template, parent, created)
            if before == text:
                actions.append(("unchanged", rel, ""))
                continue
            folder.write_atomic(name, text)
        except OSError as err:
            raise _cannot_write(os.path.dirname(os.path.join(target, *rel.split("/"))), err)
        finally:
            if folder is not None:
                folder.close()
        if backup:
            actions.append(("replaced", rel, "your edited copy is in " + backup))
        else:
            actions.append(("updated" if before is not None else "wrote", rel, ""))
    return actions


# -- uninstall ----------------------------------------------------------------------


def uninstall(target=None, force=False):
    """Remove exactly the files :func:`install` wrote, and the empty folders it created.

    Nothing outside ``target`` is touched: a file whose folder leads
    outside the target (a symlink) is left alone, and a recorded folder
    that is absolute, climbs out with ``..`` or resolves (through a symlink)
    outside the target is ignored. An edited file is left alone unless
    ``force`` (then it is backed up first).

    Returns ``[(action, relative path, note)]`` with action one of
    ``removed``, ``removed folder``, ``left alone``, ``not installed``.
    """
    target = _check_target(target)
    actions = []
    folders = set()
    for rel in FILES:
        folder_rel, name = rel.rsplit("/", 1)
        folder = None
        try:
            try:
                folder, _ = open_folder(target, folder_rel, create=False)
            except Outside:
                actions.append(("left alone", rel, "its folder leads outside {} (a symlink)".format(target)))
                continue
            found = folder.read(name) if folder is not None else None
            if found is None:
                actions.append(("not installed", rel, ""))
                continue
            if found is OTHER or MARKER not in _head(found[0]):
                actions.append(("left alone", rel, "not written by ciokatana"))
                continue
            text = found[0].decode("utf-8", "replace")
            note = ""
            if _modified(text):
                if not force:
                    actions.append(("left alone", rel, "edited since it was installed; run again with --force "
                                                       "to remove it (a backup is kept)"))
                    continue
                note = "your edited copy is in " + folder.backup(name, found[0], found[1])
            folders.update(_created_in(_head(found[0])))
            folder.unlink(name)
            folder.remove_pycache(os.path.splitext(name)[0])
        except OSError as err:
            raise InstallError("cannot remove {} ({})".format(os.path.join(target, *rel.split("/")), err.strerror or err))
        finally:
            if folder is not None:
                folder.close()
        actions.append(("removed", rel, note))
    for rel in sorted(folders, key=lambda f: (-f.count("/"), f == ".", f)):
        path = _safe_folder(target, rel)
        if path is None:
            continue
        if os.path.isdir(path) and not os.listdir(path):
            try:
                os.rmdir(path)
            except OSError:
                continue
            actions.append(("removed folder", rel + ("" if rel == "." else "/"), ""))
    return actions


# -- command line -------------------------------------------------------------------


def add_arguments(parser):
    parser.add_argument("--uninstall", action="store_true", help="remove the files a previous install wrote")
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace (or with --uninstall remove) installed files that were edited since; a backup is kept",
    )
    parser.add_argument(
        "--dir",
        metavar="DIR",
        help="Katana resources folder (default: $KATANA_USER_RESOURCE_DIRECTORY, else ~/.katana)",
    )
    parser.add_argument(
        "--print-resources",
        action="store_true",
        help="print the folder to add to KATANA_RESOURCES instead (no files are written)",
    )


def check_python():
    """Refuse to install where the plugin cannot run (Katana 3 and older: Python 2.7)."""
    if tuple(PYTHON[:2]) < MIN_PYTHON:
        raise InstallError(
            "ciokatana needs Python {}.{} or newer (Katana 4.0 and later); this is Python {}. "
            "Run it with the Python of your Katana (Katana 4.x/5.x: 3.7, 6.x: 3.9, 7.x: 3.10, "
            "8.x: 3.11); older Katana versions are not supported.".format(
                MIN_PYTHON[0], MIN_PYTHON[1], ".".join(str(n) for n in PYTHON))
        )


def run(args, out=None, err=None):
    """Run an install/uninstall from parsed arguments; returns the exit code."""
    out = out or sys.stdout
    err = err or sys.stderr
    prog = getattr(args, "prog", "ciokatana install")
    if getattr(args, "print_resources", False):
        out.write(resources_dir() + "\n")
        return EXIT_OK
    force = bool(getattr(args, "force", False))
    try:
        if not args.uninstall:
            check_python()
        if args.dir is not None:
            if not args.dir.strip():
                raise InstallError("--dir is empty: give the Katana resources folder to use, or leave --dir out "
                                   "for the default ({})".format(default_resources_dir()))
            target, why = os.path.abspath(os.path.expanduser(args.dir)), "given with --dir"
        else:
            target, why = user_resources_dir()
        actions = uninstall(target, force=force) if args.uninstall else install(target, force=force)
    except InstallError as error:
        err.write("{}: {}\n".format(prog, error))
        return EXIT_ERROR
    out.write("Katana resources folder: {}\n  why this folder: {}\n".format(target, why))
    for action, rel, note in actions:
        out.write("  {:<15} {}{}\n".format(action, rel, ": " + note if note else ""))
    left = [a for a in actions if a[0] == "left alone"]
    if args.uninstall:
        out.write("Conductor is removed from this folder; restart Katana.\n" if not left else
                  "Files not written by ciokatana, or edited since, were left in place.\n")
    elif left:
        err.write("{}: {} file(s) left alone; Conductor is not fully installed\n".format(prog, len(left)))
    else:
        out.write("Restart Katana: Conductor is then in the Util menu, the Render Farm menu of Render nodes, "
                  "the Conductor shelf, and Katana's render menus as a render farm (Disk Render). "
                  "Katana loads ciokatana from {}\n".format(package_parent()))
    return EXIT_LEFT_ALONE if left else EXIT_OK


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="post_install.py",
        description="Install the Conductor plugin (ConductorRender SuperTool and shelf items) into Katana.",
    )
    add_arguments(parser)
    args = parser.parse_args(argv)
    args.prog = "post_install.py"
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
