"""Install the Conductor plugin into Katana's user resources (or remove it).

Layer: install script (standard library only; imports nothing of ciokatana,
so it runs with any Python 3.7+ right after ``pip install --target``)::

    pip install ciokatana --target ~/Conductor/katana
    python ~/Conductor/katana/ciokatana/post_install.py            # install
    python ~/Conductor/katana/ciokatana/post_install.py --uninstall

It copies the SuperTool init file and the shelf items shipped in
``ciokatana/katana/resources`` into ``<dir>/SuperTools/ConductorRender/``
and ``<dir>/Shelves/Conductor/``, where ``<dir>`` is ``--dir``, else
``KATANA_USER_RESOURCE_DIRECTORY``, else ``~/.katana``. The copies point
Katana at the folder holding this ``ciokatana`` package.

Safe to run again: every file it writes carries the marker
``ciokatana-managed-file`` and a list of the folders it had to create; it
updates only its own files, leaves a foreign file at the same path alone
(and says so), and ``--uninstall`` removes exactly its files, their
``__pycache__`` entries and the folders it created once they are empty.

Exit codes: 0 done, 1 something was left alone (a foreign file in the
way), 2 the folder cannot be written or the package is incomplete.

The other route needs no copy at all: add ``ciokatana/katana/resources``
(``--print-resources``) to ``KATANA_RESOURCES``.
"""

import argparse
import os
import sys

MARKER = "ciokatana-managed-file"
CREATED = "# ciokatana-created-folders:"
PARENT_LINE = 'CIOKATANA_PARENT = ""'
HERE = os.path.dirname(os.path.abspath(__file__))
RESOURCES = os.path.join(HERE, "katana", "resources")
FILES = (
    "SuperTools/ConductorRender/__init__.py",
    "Shelves/Conductor/ScanAssets.py",
    "Shelves/Conductor/ListRenderOutputs.py",
    "Shelves/Conductor/ReloadConductor.py",
)
EXIT_OK, EXIT_LEFT_ALONE, EXIT_ERROR = 0, 1, 2
# ciokatana runs in Katana 4.0 and later: Python 3.7+ (setup.py's python_requires).
MIN_PYTHON = (3, 7)
PYTHON = sys.version_info[:3]


class InstallError(Exception):
    """The install cannot go on; the message is one line saying why and what to do."""


def default_resources_dir(environ=None):
    """``KATANA_USER_RESOURCE_DIRECTORY``, else ``~/.katana``."""
    environ = os.environ if environ is None else environ
    folder = (environ.get("KATANA_USER_RESOURCE_DIRECTORY") or "").strip()
    return os.path.abspath(os.path.expanduser(folder or os.path.join("~", ".katana")))


def package_parent():
    """The folder holding this ``ciokatana`` package (what Katana must import from)."""
    return os.path.dirname(HERE)


def resources_dir():
    """The resources folder shipped in the package (the ``KATANA_RESOURCES`` route)."""
    return RESOURCES


# -- file contents ----------------------------------------------------------------


def is_ours(path):
    """Whether a file was written by ciokatana (its marker is near the top)."""
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


def render(template, parent, created):
    """A template with the package folder and the created-folders record filled in."""
    if PARENT_LINE not in template or MARKER not in template:
        raise InstallError("the plugin files in {} are damaged (no marker); reinstall ciokatana".format(RESOURCES))
    text = template.replace(PARENT_LINE, "CIOKATANA_PARENT = {!r}".format(parent), 1)
    lines = [line for line in text.split("\n") if not line.startswith(CREATED)]
    for index, line in enumerate(lines):
        if MARKER in line:
            lines.insert(index + 1, "{} {}".format(CREATED, ", ".join(created)))
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
    tmp = path + ".ciokatana-tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    os.replace(tmp, path)


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


def install(target=None, parent=None):
    """Write the plugin files into a Katana resources folder.

    Returns ``[(action, relative path, note)]`` with action one of
    ``wrote``, ``updated``, ``unchanged``, ``left alone``.
    Raises InstallError (one line) when the folder cannot be written.
    """
    target = os.path.abspath(target or default_resources_dir())
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


def uninstall(target=None):
    """Remove exactly the files :func:`install` wrote, and the empty folders it created.

    Returns ``[(action, relative path, note)]`` with action one of
    ``removed``, ``removed folder``, ``left alone``, ``not installed``.
    """
    target = os.path.abspath(target or default_resources_dir())
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
        folders.update(created_folders(dest))
        try:
            os.remove(dest)
            _remove_pycache(os.path.dirname(dest), os.path.splitext(os.path.basename(dest))[0])
        except OSError as err:
            raise InstallError("cannot remove {} ({})".format(dest, err.strerror or err))
        actions.append(("removed", rel, ""))
    for rel in sorted(folders, key=lambda f: (-f.count("/"), f == ".", f)):
        path = target if rel == "." else os.path.join(target, *rel.split("/"))
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
    target = os.path.abspath(os.path.expanduser(args.dir)) if args.dir else default_resources_dir()
    try:
        if not args.uninstall:
            check_python()
        actions = uninstall(target) if args.uninstall else install(target)
    except InstallError as error:
        err.write("{}: {}\n".format(prog, error))
        return EXIT_ERROR
    out.write("Katana resources folder: {}\n".format(target))
    for action, rel, note in actions:
        out.write("  {:<15} {}{}\n".format(action, rel, ": " + note if note else ""))
    left = [a for a in actions if a[0] == "left alone"]
    if args.uninstall:
        out.write("Conductor is removed from this folder; restart Katana.\n" if not left else
                  "Files not written by ciokatana were left in place.\n")
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
