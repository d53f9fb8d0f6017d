"""Every ``from ciokatana... import name`` in the repo's scripts, benches and docs still resolves.

Layer: tests. Names move (the cleanup of issue 13 moved the demo to
``standalone/demo.py``, ``run_jobs`` to ``submission.run_until_done``); a
script written against the old place fails only when someone runs it, often
weeks later. This reads the scripts with :mod:`ast` (and the Python blocks
of the docs) and imports only ciokatana modules that need neither Qt nor
Katana, so it runs everywhere the core tests run.
"""

import ast
import importlib
import os
import re

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FOLDERS = ("scripts", "bench")
QT_OR_KATANA = ("ciokatana.ui", "ciokatana.qt", "ciokatana.katana")


def _python_texts():
    for folder in FOLDERS:
        for name in sorted(os.listdir(os.path.join(ROOT, folder))):
            if name.endswith(".py"):
                path = os.path.join(ROOT, folder, name)
                with open(path, encoding="utf-8") as handle:
                    yield os.path.join(folder, name), handle.read()
    for folder in ("docs", "."):
        for name in sorted(os.listdir(os.path.join(ROOT, folder))):
            if name.endswith(".md"):
                with open(os.path.join(ROOT, folder, name), encoding="utf-8") as handle:
                    text = handle.read()
                for index, block in enumerate(re.findall(r"```python\n(.*?)```", text, re.S)):
                    yield "{}#python-block-{}".format(os.path.join(folder, name), index + 1), block


def names_imported():
    """(where, module, name) for every ``from ciokatana.x import name``."""
    found = []
    for where, text in _python_texts():
        try:
            tree = ast.parse(text)
        except SyntaxError:
            continue  # a doc fragment, not a program
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("ciokatana"):
                found.extend((where, node.module, a.name) for a in node.names if a.name != "*")
            elif isinstance(node, ast.Import):
                found.extend((where, a.name, None) for a in node.names if a.name.startswith("ciokatana"))
    return found


NAMES = names_imported()


def test_the_scripts_import_from_ciokatana():
    assert len(NAMES) > 20


@pytest.mark.parametrize("where,module,name", [n for n in NAMES if not n[1].startswith(QT_OR_KATANA)],
                         ids=lambda v: str(v))
def test_each_name_a_script_imports_exists(where, module, name):
    imported = importlib.import_module(module)
    if name is not None and not hasattr(imported, name):
        importlib.import_module("{}.{}".format(module, name))  # a submodule


# Public names a pipeline script could import before issue 13's cleanup moved them.
MOVED = [
    ("ciokatana.core.console", "run_jobs", "ciokatana.core.submission", "run_until_done"),
    ("ciokatana.core.console", "human_size", "ciokatana.core.units", "human_bytes"),
    ("ciokatana.katana.scan", "human_size", "ciokatana.core.units", "human_bytes"),
    ("ciokatana.standalone.submit", "prepare_demo", "ciokatana.standalone.demo", "prepare_demo"),
    ("ciokatana.standalone.submit", "cmd_demo", "ciokatana.standalone.demo", "cmd_demo"),
    ("ciokatana.standalone.submit", "examples_dir", "ciokatana.standalone.demo", "examples_dir"),
    ("ciokatana.standalone.submit", "default_demo_dir", "ciokatana.standalone.demo", "default_demo_dir"),
    ("ciokatana.standalone.submit", "DEMO_SCENE", "ciokatana.standalone.demo", "DEMO_SCENE"),
    ("ciokatana.standalone.submit", "embedded_sandbox", "ciokatana.standalone.embedded", "embedded_sandbox"),
]


@pytest.mark.parametrize("old,name,new,new_name", MOVED, ids=lambda v: str(v))
def test_a_name_the_cleanup_moved_still_imports_from_its_old_place(old, name, new, new_name):
    assert getattr(importlib.import_module(old), name) is getattr(importlib.import_module(new), new_name)


def test_job_problem_lines_still_gives_the_plans_problem_lines():
    from ciokatana.core.filescene import FileScene
    from ciokatana.core.plan import plan_submission
    from ciokatana.core.settings import Settings
    from ciokatana.standalone.options import job_problem_lines

    shot = FileScene(os.path.join(ROOT, "examples", "shot010.json"))
    plan = plan_submission(shot.snapshot(), Settings.from_dict(dict(shot.load_settings(), task_template="{bad")))
    assert job_problem_lines(plan) == plan.problem_lines() and job_problem_lines(plan)
