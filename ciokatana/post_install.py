"""Install the Conductor plugin into Katana's user resources (or remove it).

Layer: install script (standard library only; imports nothing of ciokatana,
so it runs with any Python 3.7+ right after ``pip install --target``)::

    pip install ciokatana --target ~/Conductor/katana
    python ~/Conductor/katana/ciokatana/post_install.py            # install
    python ~/Conductor/katana/ciokatana/post_install.py --uninstall

It copies the SuperTool init file and the shelf items shipped in
``ciokatana/katana/resources`` into ``<dir>/SuperTools/ConductorRender/``
and ``<dir>/Shelves/Conductor/``, where ``<dir>`` is ``--dir``, else
``KATANA_USER_RESOURCE_DIRECTORY``, else the ``.katana`` folder Katana
reads in the user's home (on Windows ``HOME`` before ``USERPROFILE``); it
prints which folder and why. The copies point Katana at the folder holding
this ``ciokatana`` package.

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
  a symlink where a file should be is never written through;
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
import hashlib
import ntpath
import os
import posixpath
import shutil
import sys
import tempfile
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
)
EXIT_OK, EXIT_LEFT_ALONE, EXIT_ERROR = 0, 1, 2


class InstallError(Exception):
    """The install cannot go on; the message is one line saying why and what to do."""


def user_resources_dir(environ=None, os_name=None):
    """``(folder, why)``: the Katana user resources folder and how it was chosen.

    ``KATANA_USER_RESOURCE_DIRECTORY`` when set; else ``.katana`` in the home
    folder Katana uses. On Windows that is ``HOME`` when set, then
    ``USERPROFILE`` (Python's own ``~`` uses ``USERPROFILE`` only, so a
    studio that sets ``HOME`` would otherwise get a folder Katana never
    reads). Inside Katana, ``KatanaResources.ResourceFiles.GetUserKatanaPath()``
    is the authority.
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
                why += ", which Katana prefers to USERPROFILE on Windows"
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


def is_ours(path):
    """Whether a file was written by ciokatana (its marker is near the top).

    A symlink is never ours, whatever it points at.
    """
    if os.path.islink(path):
        return False
    try:
        with open(path, "r", encoding="utf-8", errors="replace") as handle:
            return MARKER in handle.read(8192)
    except (OSError, UnicodeError):
        return False


def created_folders(path):
    """The folders (relative, ``.`` = the resources folder) recorded in one of our files."""
    try:
        with open(path, "r", encoding="utf-8", errors="replace") as handle:
            head = handle.read(8192)
    except OSError:
        return []
    for line in head.splitlines():
        if line.startswith(CREATED):
            return [f.strip() for f in line[len(CREATED):].split(",") if f.strip()]
    return []


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


def is_modified(path):
    """Whether one of our files was edited since it was installed (its hash differs)."""
    try:
        with open(path, "r", encoding="utf-8", errors="replace", newline="") as handle:
            text = handle.read()
    except OSError:
        return False
    recorded = recorded_hash(text)
    return recorded is not None and recorded != content_hash(text)


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
    path = os.path.join(RESOURCES, *rel.split("/"))
    try:
        with open(path, "r", encoding="utf-8") as handle:
            return handle.read()
    except OSError as err:
        raise InstallError("missing plugin file {} ({}); reinstall ciokatana".format(path, err.strerror or err))


def _write_atomic(path, text):
    """Write through a temp file created exclusively next to ``path``, then rename.

    ``mkstemp`` opens with ``O_CREAT | O_EXCL`` (and ``O_NOFOLLOW`` where the
    system has it) under a random name, so a file or symlink someone planted
    is never opened or written through; the rename replaces a symlink at
    ``path`` itself, never its target.
    """
    folder = os.path.dirname(path)
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".ciokatana-tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)  # mkstemp makes it private; Katana (and colleagues) must read it
        os.replace(tmp, path)
    except BaseException:
        if os.path.lexists(tmp):
            os.unlink(tmp)
        raise


def _backup(path):
    """Copy an edited file aside (exclusively created); return the backup's path."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for n in range(100):
        backup = "{}{}{}{}".format(path, BACKUP, stamp, "" if n == 0 else "-{}".format(n))
        try:
            fd = os.open(backup, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
        except FileExistsError:
            continue
        with os.fdopen(fd, "wb") as out, open(path, "rb") as src:
            shutil.copyfileobj(src, out)
        return backup
    raise InstallError("cannot make a backup of {}: too many backups; remove old ones".format(path))


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


def _make_dirs(target, rel_dir):
    """Create target/rel_dir as needed; return the relative folders created."""
    created = []
    if not os.path.isdir(target):
        if os.path.exists(target):
            raise InstallError("{} is a file, not a folder; pass a folder with --dir".format(target))
        try:
            os.makedirs(target)
        except OSError as err:
            raise _cannot_write(target, err)
        created.append(".")
    current = target
    rel_so_far = []
    for part in rel_dir.split("/"):
        rel_so_far.append(part)
        current = os.path.join(current, part)
        if os.path.isdir(current):
            continue
        if os.path.exists(current):
            raise InstallError("{} is a file where a folder is needed; move it away".format(current))
        try:
            os.mkdir(current)
        except OSError as err:
            raise _cannot_write(os.path.dirname(current), err)
        created.append("/".join(rel_so_far))
    return created


def install(target=None, parent=None, force=False):
    """Write the plugin files into a Katana resources folder.

    Args:
        target: the resources folder (``None``: :func:`default_resources_dir`).
        parent: the folder holding the ``ciokatana`` package.
        force: replace files of ours that were edited since, after a backup.

    Returns ``[(action, relative path, note)]`` with action one of
    ``wrote``, ``updated``, ``unchanged``, ``left alone``, ``replaced``.
    Raises InstallError (one line) when the folder cannot be written.
    """
    target = _check_target(target)
    parent = os.path.abspath(parent or package_parent())
    if not os.path.isfile(os.path.join(parent, "ciokatana", "__init__.py")):
        raise InstallError("{} holds no ciokatana package; run the post_install.py inside the installed package".format(parent))
    actions = []
    for rel in FILES:
        dest = os.path.join(target, *rel.split("/"))
        template = _read_template(rel)
        existed = os.path.lexists(dest)
        if existed and (os.path.isdir(dest) or not is_ours(dest)):
            actions.append(("left alone", rel, "a file not written by ciokatana is there; move it away and run again"))
            continue
        backup = ""
        if existed and is_modified(dest):
            if not force:
                actions.append(("left alone", rel, "edited since it was installed; keep your edits, or run again "
                                                   "with --force to replace it (a backup is kept)"))
                continue
            try:
                backup = _backup(dest)
            except OSError as err:
                raise _cannot_write(os.path.dirname(dest), err)
        previous = created_folders(dest) if existed else []
        new = _make_dirs(target, rel.rsplit("/", 1)[0])
        created = previous + [f for f in new if f not in previous]
        text = render(template, parent, created)
        if existed:
            with open(dest, "r", encoding="utf-8", errors="replace") as handle:
                if handle.read() == text:
                    actions.append(("unchanged", rel, ""))
                    continue
        try:
            _write_atomic(dest, text)
        except OSError as err:
            raise _cannot_write(os.path.dirname(dest), err)
        if backup:
            actions.append(("replaced", rel, "your edited copy is in " + os.path.basename(backup)))
        else:
            actions.append(("updated" if existed else "wrote", rel, ""))
    return actions


# -- uninstall ----------------------------------------------------------------------


def _remove_pycache(folder, stem):
    cache = os.path.join(folder, "__pycache__")
    if not os.path.isdir(cache):
        return
    for name in os.listdir(cache):
        if name.startswith(stem + ".") and name.endswith(".pyc"):
            os.remove(os.path.join(cache, name))
    if not os.listdir(cache):
        os.rmdir(cache)


def uninstall(target=None, force=False):
    """Remove exactly the files :func:`install` wrote, and the empty folders it created.

    Nothing outside ``target`` is touched: a recorded folder that is
    absolute, climbs out with ``..`` or resolves (through a symlink) outside
    the target is ignored. An edited file is left alone unless ``force``
    (then it is backed up first).

    Returns ``[(action, relative path, note)]`` with action one of
    ``removed``, ``removed folder``, ``left alone``, ``not installed``.
    """
    target = _check_target(target)
    actions = []
    folders = set()
    for rel in FILES:
        dest = os.path.join(target, *rel.split("/"))
        if not os.path.lexists(dest):
            actions.append(("not installed", rel, ""))
            continue
        if os.path.isdir(dest) or not is_ours(dest):
            actions.append(("left alone", rel, "not written by ciokatana"))
            continue
        if not _inside(target, dest):
            actions.append(("left alone", rel, "its folder leads outside {} (a symlink)".format(target)))
            continue
        note = ""
        if is_modified(dest):
            if not force:
                actions.append(("left alone", rel, "edited since it was installed; run again with --force "
                                                   "to remove it (a backup is kept)"))
                continue
            try:
                note = "your edited copy is in " + os.path.basename(_backup(dest))
            except OSError as err:
                raise InstallError("cannot back up {} ({})".format(dest, err.strerror or err))
        folders.update(created_folders(dest))
        try:
            os.remove(dest)
            _remove_pycache(os.path.dirname(dest), os.path.splitext(os.path.basename(dest))[0])
        except OSError as err:
            raise InstallError("cannot remove {} ({})".format(dest, err.strerror or err))
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
                  "and the Conductor shelf. Katana loads ciokatana from {}\n".format(package_parent()))
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
