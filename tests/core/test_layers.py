"""The import rules of docs/architecture.md, checked on the source.

Layer: tests (no Qt, no Katana). Every ``import`` statement in the package,
lazy ones inside functions included, is read with :mod:`ast` and checked
against what its layer may import. A new import that crosses a layer the
wrong way fails here with the file, the line and the rule.
"""

import ast
import importlib.util
import os
import sys
import sysconfig

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PACKAGE = os.path.join(ROOT, "ciokatana")

QT_BINDINGS = {"qtpy", "PySide2", "PySide6", "PyQt5", "PyQt6", "shiboken2", "shiboken6", "sip"}
KATANA_API = {"Katana", "NodegraphAPI", "FarmAPI", "UI4", "Nodes3DAPI", "Callbacks", "KatanaFile", "AssetAPI",
              "RenderingAPI", "Utils", "PyFnAttribute", "PyFnGeolib", "Configuration", "KatanaInfo",
              "KatanaResources", "QT4FormWidgets", "DrawingModule", "RenderManager"}
# What each layer may import of ciokatana (its own layer always).
ALLOWED = {
    "core": {"core"},
    "sandbox": {"sandbox"},
    "qt": set(),
    "ui": {"core", "qt"},
    "katana": {"core", "qt", "ui"},
    # examples: the demo shot (package data); post_install: `ciokatana install` runs it
    "standalone": {"core", "qt", "ui", "sandbox", "examples", "post_install"},
    "post_install": set(),
    "package": set(),  # ciokatana/__init__.py: imports nothing of its own
}
# The standard library, for post_install.py.
STDLIB = set(getattr(sys, "stdlib_module_names", ()))  # Python 3.10+


def is_stdlib(name):
    if STDLIB:
        return name in STDLIB
    if name in sys.builtin_module_names:
        return True
    spec = importlib.util.find_spec(name)  # before 3.10: where the module comes from
    if spec is None:
        return False
    origin = spec.origin or ""
    return origin in ("built-in", "frozen") or (
        os.path.realpath(origin).startswith(os.path.realpath(sysconfig.get_paths()["stdlib"]))
        and "site-packages" not in origin)


# The Katana layer imports Katana inside functions, except these (they subclass Katana classes).
KATANA_AT_MODULE_LEVEL = {os.path.join("katana", "node.py"), os.path.join("katana", "farm_plugin.py")}
SANDBOX_CIOCORE = os.path.join("sandbox", "client.py")  # the only sandbox module that imports ciocore


def layer_of(rel):
    parts = rel.split(os.sep)
    if len(parts) == 1:
        return {"qt.py": "qt", "post_install.py": "post_install", "__init__.py": "package"}.get(parts[0], rel)
    return parts[0]


def _absolute(rel, node):
    """The modules an import statement names, relative ones made absolute.

    ``from ciokatana import ui`` names ``ciokatana.ui`` (not just
    ``ciokatana``), and ``from .. import ui`` in ``core/x.py`` names
    ``ciokatana.ui``: both cross a layer as surely as ``import ciokatana.ui``.
    """
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    if node.level:
        package = ["ciokatana"] + rel.split(os.sep)[:-1]
        if node.level > 1:
            package = package[:-(node.level - 1)]
        base = ".".join(package + ([node.module] if node.module else []))
    else:
        base = node.module or ""
    return [base + "." + a.name if a.name != "*" else base for a in node.names]


def _module_level(tree):
    """Import statements that run when the module is imported (not inside a function or class)."""
    found, stack = [], list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        stack.extend(ast.iter_child_nodes(node))
    return found


def imports(package=PACKAGE):
    """(file, line, imported module, layer, at module level) for every import in the package."""
    found = []
    for folder, _dirs, files in os.walk(package):
        if "resources" in folder.split(os.sep):
            continue  # Katana resource files: scripts that put ciokatana on sys.path
        for name in files:
            if not name.endswith(".py"):
                continue
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, package)
            with open(path, encoding="utf-8") as handle:
                tree = ast.parse(handle.read(), path)
            top = set(id(n) for n in _module_level(tree))
            for node in ast.walk(tree):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    found.extend((rel, node.lineno, module, layer_of(rel), id(node) in top)
                                 for module in _absolute(rel, node))
    return found


def wrong_imports(found):
    """Every import in ``found`` that breaks a rule of docs/architecture.md, as "file:line imports module"."""
    wrong = []
    for rel, line, module, layer, top in found:
        parts = module.split(".")
        where = "{}:{} imports {}".format(rel, line, module)
        if layer not in ALLOWED:
            wrong.append("{} (a layer docs/architecture.md does not name)".format(where))
            continue
        if parts[0] == "ciokatana" and len(parts) > 1 and not parts[1].startswith("__"):  # __version__: any
            target = parts[1]
            if target != layer and target not in ALLOWED[layer]:
                wrong.append("{} ({} may import only {})".format(where, layer, sorted(ALLOWED[layer] | {layer})))
            elif layer == "katana" and target == "ui" and rel != os.path.join("katana", "dialogs.py"):
                wrong.append("{} (the katana layer reaches ui only through katana/dialogs.py)".format(where))
        if parts[0] in QT_BINDINGS and rel != "qt.py":
            wrong.append("{} (only ciokatana/qt.py imports a Qt binding)".format(where))
        if parts[0] in KATANA_API:
            if layer != "katana":
                wrong.append("{} (only the katana layer imports Katana)".format(where))
            elif top and rel not in KATANA_AT_MODULE_LEVEL:
                wrong.append("{} (Katana is imported inside functions)".format(where))
        if parts[0] == "ciocore" and layer == "sandbox" and rel != SANDBOX_CIOCORE:
            wrong.append("{} (the sandbox imports ciocore only in sandbox/client.py)".format(where))
        if layer == "post_install" and not is_stdlib(parts[0]):
            wrong.append("{} (post_install.py runs before any dependency is importable)".format(where))
    return wrong


IMPORTS = imports()


def test_the_package_has_imports_to_check():
    assert len(IMPORTS) > 300 and {f[3] for f in IMPORTS} >= set(ALLOWED) - {"post_install", "package"}


@pytest.mark.parametrize("layer", sorted(set(ALLOWED) | {f[3] for f in IMPORTS}))
def test_each_layer_imports_only_what_docs_architecture_allows(layer):
    assert wrong_imports([f for f in IMPORTS if f[3] == layer]) == []


# One wrong-way import per layer and per way of writing it; each must be caught.
PLANTED = {
    "core/a.py": ["from ciokatana import ui", "from .. import katana", "from ..qt import QtCore",
                  "import ciokatana.standalone.cli", "import PySide6", "import NodegraphAPI"],
    "core/validation/b.py": ["from ... import ui", "from ...katana import scene"],
    "sandbox/c.py": ["from ciokatana import core", "from ..core import plan", "import ciocore"],
    "ui/d.py": ["from ciokatana import katana", "from ..standalone import gui", "from .. import sandbox",
                "import Katana"],
    "katana/e.py": ["from ciokatana import standalone", "import NodegraphAPI", "import FarmAPI",
                    "from ..ui import dialog"],
    "standalone/f.py": ["from ciokatana import katana", "from ..katana import batch", "import FarmAPI"],
    "qt.py": ["from ciokatana import core", "from .core import plan"],
    "post_install.py": ["from ciokatana import core", "import ciocore"],
    "__init__.py": ["from . import ui"],
    "farm/g.py": ["import os"],  # a new layer must be placed in the table first
}


def test_a_planted_wrong_way_import_is_caught_in_every_layer(tmp_path):
    package = tmp_path / "ciokatana"
    for rel, lines in PLANTED.items():
        path = package / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        # half at module level, half inside a function (lazy imports count too)
        body = ["def lazy():"] + ["    " + line for line in lines[1::2]] + ["    pass"]
        path.write_text("\n".join(lines[::2] + body) + "\n")
    wrong = wrong_imports(imports(str(package)))
    for rel, lines in PLANTED.items():
        for line in lines:
            if rel == "katana/e.py" and line == "import NodegraphAPI":
                continue  # inside a function there: allowed
            caught = [w for w in wrong if w.startswith(rel.replace("/", os.sep) + ":")
                      and line.split()[-1].split(".")[-1] in w]
            assert caught, "{}: {!r} was not caught".format(rel, line)
    # a lazy Katana import in katana/ is allowed (the module-level FarmAPI one above is not)
    assert not [w for w in wrong if "NodegraphAPI" in w and w.startswith(os.path.join("katana", "e.py"))]
