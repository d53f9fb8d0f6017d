"""The dialog on a Katana scene: it re-reads the scene only when it changed, and reopening remembers.

Layer: tests/katana/ui (stand-in Katana, a real Qt binding). Katana's
events (processed here with ``ProcessAllEvents``, by Katana's idle loop in a
session) tell the dialog when the node graph changed, so showing the
Preview tab does not scrape an unchanged scene again; the ConductorRender
node keeps the submission history, and the session keeps the runs, so a
dialog opened again still says "already submitted" and lists the jobs.
"""

import json
import os

import pytest

from ciokatana.core.settings import Settings
from ciokatana.katana import scraper
from ciokatana.katana.scene import KatanaScene
from ciokatana.ui import session

import katana_scenes as ks


EXAMPLE = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))),
                       "examples", "shot010.json")


class FakeSubmit(object):
    """ciocore's Submit stand-in: answers every job with the next job id."""

    made = []

    def __init__(self, payload):
        self.payload = payload
        self.progress_handler = None

    def main(self):
        jobid = "{:05d}".format(len(FakeSubmit.made) + 1)
        FakeSubmit.made.append((jobid, self.payload["job_title"]))
        return {"body": "job submitted.", "jobid": jobid, "status": "success", "uri": "/jobs/" + jobid}, 201

    def stop_work(self):
        pass


@pytest.fixture
def katana_shot(plugin, tmp_path):
    from Katana import Utils

    FakeSubmit.made = []
    session.forget()
    ks.render_node("beauty", location=str(tmp_path / "renders/beauty.####.exr"))
    ks.render_node("shadow", location=str(tmp_path / "renders/shadow.####.exr"))
    with open(EXAMPLE) as handle:  # the example shot's project, machine and software
        settings = Settings.from_dict(json.load(handle)["settings"])
    settings.extra_assets = []
    KatanaScene().store_settings(settings.to_dict())
    path = ks.save(tmp_path / "shot010.katana")
    Utils.EventModule.ProcessAllEvents()
    yield path
    session.forget()


def _open(qtbot, **kwargs):
    from ciokatana.ui import open_dialog
    from ciokatana.ui.controller import Controller

    scene = KatanaScene()
    controller = Controller(scene, submit_factory=FakeSubmit, url_opener=lambda url: None, **kwargs)
    dialog = open_dialog(scene, controller=controller)
    qtbot.waitUntil(lambda: controller.plan_result is not None, timeout=10000)
    return dialog


def _close(qtbot, dialog):
    dialog.close()
    qtbot.waitUntil(lambda: dialog.is_closed, timeout=10000)


def test_preview_reads_the_scene_again_only_after_it_changed(katana_shot, qtbot, monkeypatch):
    from Katana import NodegraphAPI, Utils

    dialog = _open(qtbot)
    scrapes = []
    real = scraper.scrape
    monkeypatch.setattr(scraper, "scrape", lambda *a, **k: scrapes.append(1) or real(*a, **k))
    try:
        for _ in range(3):
            dialog.show_tab("preview")
            dialog.show_tab("configure")
        assert scrapes == []  # an untouched scene is not read again

        NodegraphAPI.GetNode("beauty").setBypassed(True)  # the artist changes the graph
        Utils.EventModule.ProcessAllEvents()
        dialog.show_tab("preview")
        assert len(scrapes) == 1
        assert [n.name for n in dialog.controller.snapshot.nodes] == ["shadow"]
        dialog.show_tab("configure")
        dialog.show_tab("preview")
        assert len(scrapes) == 1
    finally:
        _close(qtbot, dialog)


def _submit(dialog, qtbot):
    """Press Submit and say yes to any warnings, as the artist would; wait for the run's end."""
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.prompt is not None or bool(dialog.controller.runs), timeout=10000)
    if dialog.prompt is not None:
        assert "submit" in dialog.prompt.keys(), (dialog.prompt.text(), dialog.status_label.text())
        qtbot.mouseClick(dialog.prompt.button("submit"), left())
    qtbot.waitUntil(lambda: bool(dialog.controller.runs) and not dialog.controller.is_running
                    and dialog.flow.state == "idle", timeout=15000)


def left():
    from ciokatana.qt import QtCore

    return QtCore.Qt.LeftButton


def test_reopening_keeps_the_runs_and_the_already_submitted_notice(katana_shot, qtbot):
    first = _open(qtbot)
    _submit(first, qtbot)
    assert [jobid for jobid, _title in FakeSubmit.made] == ["00001", "00002"]
    _close(qtbot, first)

    again = _open(qtbot)  # Util > Conductor again: a new scene object and controller
    try:
        [group] = again.tab("response").groups()
        assert [c.jobid for c in group.cards()] == ["00001", "00002"]
        again.submit()
        # Recording the jobs on the ConductorRender node is a change to the scene: saving keeps it.
        qtbot.waitUntil(lambda: again.prompt is not None, timeout=10000)
        assert "save" in again.prompt.keys()
        qtbot.mouseClick(again.prompt.button("save"), left())
        qtbot.waitUntil(lambda: again.prompt is not None and "again" in again.prompt.keys(), timeout=10000)
        assert "already submitted as jobs 00001\u201300002" in again.prompt.text()
        qtbot.mouseClick(again.prompt.button("cancel"), left())
    finally:
        _close(qtbot, again)

    session.forget()  # a new Katana session: the ConductorRender node still remembers
    third = _open(qtbot)
    try:
        assert third.tab("response").groups() == []
        third.submit()
        qtbot.waitUntil(lambda: third.prompt is not None and "again" in third.prompt.keys(), timeout=10000)
        text = third.prompt.text()
        assert "already submitted as jobs 00001\u201300002" in text and "submission history" in text
        qtbot.mouseClick(third.prompt.button("cancel"), left())
    finally:
        _close(qtbot, third)
    assert len(FakeSubmit.made) == 2
