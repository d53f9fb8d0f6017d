"""The import rules of docs/architecture.md, checked on the source.

Layer: tests (no Qt, no Katana). Every ``import`` statement in the package,
lazy ones inside functions included, is read with :mod:`ast` and checked
against what its layer may import. A new import that crosses a layer the
wrong way fails here with the file, the line and the rule.
"""

import ast
import os

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
    "standalone": {"core", "qt", "ui", "sandbox", "examples"},  # examples: the demo shot (package data)
    "post_install": set(),
}


def layer_of(rel):
    parts = rel.split(os.sep)
    if len(parts) == 1:
        return {"qt.py": "qt", "post_install.py": "post_install", "__init__.py": "package"}[parts[0]]
    return parts[0]


def imports():
    """(file, line, imported module, layer) for every import in the package."""
    found = []
    for folder, _dirs, files in os.walk(PACKAGE):
        if "resources" in folder.split(os.sep):
            continue  # Katana resource files: scripts that put ciokatana on sys.path
        for name in files:
            if not name.endswith(".py"):
                continue
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, PACKAGE)
            with open(path, encoding="utf-8") as handle:
                tree = ast.parse(handle.read(), path)
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                elif isinstance(node, ast.ImportFrom):  # relative: inside its own layer
                    continue
                else:
                    continue
                found.extend((rel, node.lineno, module, layer_of(rel)) for module in names)
    return found


IMPORTS = imports()


def test_the_package_has_imports_to_check():
    assert len(IMPORTS) > 300 and {layer for *_, layer in IMPORTS} >= set(ALLOWED) - {"post_install"}


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_each_layer_imports_only_the_layers_below_it(layer):
    wrong = []
    for rel, line, module, where in IMPORTS:
        parts = module.split(".")
        if where != layer or parts[0] != "ciokatana" or len(parts) < 2:
            continue
        target = parts[1]
        if target != layer and target not in ALLOWED[layer]:
            wrong.append("{}:{} imports {}".format(rel, line, module))
    assert wrong == [], "{} may import only {}".format(layer, sorted(ALLOWED[layer] | {layer}))


def test_only_qt_py_imports_a_qt_binding():
    wrong = ["{}:{} imports {}".format(rel, line, module) for rel, line, module, _layer in IMPORTS
             if module.split(".")[0] in QT_BINDINGS and rel != "qt.py"]
    assert wrong == []


def test_only_the_katana_layer_imports_katana():
    wrong = ["{}:{} imports {}".format(rel, line, module) for rel, line, module, layer in IMPORTS
             if module.split(".")[0] in KATANA_API and layer != "katana"]
    assert wrong == []


def test_the_katana_layer_reaches_the_dialog_only_through_dialogs_py():
    wrong = ["{}:{} imports {}".format(rel, line, module) for rel, line, module, layer in IMPORTS
             if layer == "katana" and module.startswith("ciokatana.ui") and rel != os.path.join("katana", "dialogs.py")]
    assert wrong == []
