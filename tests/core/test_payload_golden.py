"""Payloads stay byte-identical to what the planner wrote before it was sped up.

The ``golden/*.json`` files were written by the planner at commit 2bf265f
(cioseq chunking, per-task template parsing, whole-payload masking):
``cases.json`` holds nine Render nodes covering gaps, negative frames,
steps, lists, every scout form, odd chunk sizes, a hostile node name, a
Windows scene path, every task-template field and secret-named variables.
"""

import io
import json
import os
import sys

import pytest

from ciokatana.core.filescene import FileScene
from ciokatana.core.plan import plan_submission
from ciokatana.core.settings import Settings
from ciokatana.standalone.cli import main

from conftest_paths import EXAMPLES, ROOT

GOLDEN = os.path.join(ROOT, "tests", "core", "golden")


def _read(name):
    with open(os.path.join(GOLDEN, name), encoding="utf-8") as handle:
        return handle.read()


def _preview(scene, monkeypatch):
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    assert main(["preview", "--scene", scene]) == 0
    return out.getvalue()


@pytest.mark.parametrize("scene,golden", [
    (os.path.join(GOLDEN, "cases.json"), "cases.preview.json"),
    (os.path.join(EXAMPLES, "shot010.json"), "shot010.preview.json"),
    (os.path.join(EXAMPLES, "simple.json"), "simple.preview.json"),
])
def test_preview_output_is_byte_identical_to_the_old_planner(scene, golden, monkeypatch):
    text = _preview(scene, monkeypatch).replace(EXAMPLES, "<EXAMPLES>")
    assert text == _read(golden)


def test_unmasked_payloads_are_identical_to_the_old_planner():
    scene = FileScene(os.path.join(GOLDEN, "cases.json"))
    plan = plan_submission(scene.snapshot(), Settings.from_dict(scene.load_settings()))
    expected = json.loads(_read("cases.payloads.json"))
    assert json.dumps(plan.payloads, ensure_ascii=False) == json.dumps(expected, ensure_ascii=False)
    assert "hunter2" in json.dumps(plan.payloads)  # the real value reaches Conductor
