"""The whole dialog driven by a small fake controller: no Conductor, no scene file, no runner."""

import pytest

from ciokatana.core import events as ev
from ciokatana.core.plan import plan_submission
from ciokatana.core.scene import RenderNode, RenderOutput, SceneSnapshot
from ciokatana.core.settings import Package, Settings
from ciokatana.core.validation import WARNING, Finding
from ciokatana.qt import QtCore
from ciokatana.ui.compat import is_deleted
from ciokatana.ui.dialog import ConductorDialog
from ciokatana.ui.interface import AbstractController
from ciokatana.core.submission import Prepared
from ciokatana.ui.runs import SUBMIT, RunRecord


def _node(name):
    return RenderNode(name, outputs=(RenderOutput("primary", True, "/renders/{}/img.####.exr".format(name)),),
                      renderer="prman")


class FakeController(AbstractController):
    """Settings in memory, a fixed plan, and a run that replays three scripted events."""

    def __init__(self):
        super().__init__()
        self._settings = Settings(project="Demo", instance_type="n2-standard-8",
                                  software=[Package("katana 7.0v4 linux", "k704")])
        self._snapshot = SceneSnapshot("/shows/demo/shot.katana", (1, 10), nodes=(_node("beauty"), _node("fx")))
        plan = plan_submission(self._snapshot, self.settings)
        finding = Finding(WARNING, "demo", "Render node 'fx'", "is a demonstration warning")
        self._result = Prepared(generation=1, plan=plan, findings=[finding])
        self.calls = []

    settings = property(lambda self: self._settings.copy())
    snapshot = property(lambda self: self._snapshot)
    plan_result = property(lambda self: self._result)

    def update_settings(self, **changes):
        for name, value in changes.items():
            setattr(self._settings, name, value)
        self.settings_changed.emit(self.settings)
        return True

    def scene_state(self):
        return self._snapshot.katana_file, False

    def save_scene(self):
        return self._snapshot.katana_file

    def set_node_farm(self, node_name, **changes):
        self.calls.append(("set_node_farm", node_name, changes))
        return True

    def request_plan(self):
        self.plan_ready.emit(self._result)

    def prepare_submission(self, nodes=None):
        QtCore.QTimer.singleShot(0, lambda: self.submission_prepared.emit(self._result))

    def connect_conductor(self, force=True):
        self.conductor_failed.emit("this fake has no Conductor")

    def start_run(self, result, nodes=None):
        jobs = [(job.name, job.title, job.payload) for job in result.jobs]
        record = RunRecord(1, SUBMIT, planned=jobs, link_for="https://fake.test/job/{}".format)
        self.begin_run(record)
        QtCore.QTimer.singleShot(0, lambda: self._play(jobs))
        return record

    def _play(self, jobs):
        self.deliver_event(ev.start(len(jobs)))
        for index, (_node, title, _payload) in enumerate(jobs):
            self.deliver_event(ev.job_start(index, title))
            self.deliver_event(ev.response({"jobid": "0004{}".format(index)}, 201, title))
        self.deliver_event(ev.done())
        self.end_run("succeeded")

    def cancel_run(self):
        self.calls.append(("cancel_run",))

    def open_url(self, url):
        self.calls.append(("open_url", url))

    def shutdown(self):
        self.calls.append(("shutdown",))


def test_a_controller_missing_part_of_the_interface_is_refused(qtbot):
    class Half(AbstractController):
        def request_plan(self):
            pass

    with pytest.raises(TypeError) as info:
        Half()
    assert "start_run" in str(info.value) and "settings" in str(info.value)
    with pytest.raises(TypeError):
        ConductorDialog(object())


def test_the_whole_dialog_runs_on_a_fake_controller(qtbot, ui):
    fake = FakeController()
    dialog = ConductorDialog(fake)  # closed at the end: a closed dialog deletes itself
    dialog.show()
    assert dialog.windowTitle().endswith("shot")
    general = ui.section(dialog, "General")
    assert general.title_edit.text() == "Katana {scene} {node}"
    ui.type_into(general.title_edit, "{node} v2")
    assert fake.settings.title_template == "{node} v2"
    assert ui.section(dialog, "Frames and tasks").model.node_names() == ["beauty", "fx"]
    ui.click(dialog.tab("configure").connection_bar.connect_button)
    assert "this fake has no Conductor" in dialog.tab("configure").connection_bar.status_label.text()

    dialog.show_tab("preview")
    assert '"job_title": "Katana shot beauty"' in dialog.tab("preview").text.toPlainText()
    assert [c.title for c in dialog.tab("validation").cards.cards()] == ["Render node 'fx'"]
    assert "warning" in dialog.status_label.text()

    ui.submit(dialog)
    ui.answer(dialog, "submit")  # the fake's warning is asked about
    qtbot.waitUntil(lambda: dialog.current_tab().KEY == "response")
    progress = dialog.tab("progress")
    assert progress.jobs_bar.text() == "2 of 2 done"
    cards = dialog.tab("response").card_list()
    assert [(c.level, c.jobid) for c in cards] == [("success", "00040"), ("success", "00041")]
    ui.click(cards[1].link_button)
    assert ("open_url", "https://fake.test/job/00041") in fake.calls
    assert dialog.status_label.text().startswith("Done: 2 of 2 jobs submitted")
    dialog.close()
    assert ("shutdown",) in fake.calls
    qtbot.waitUntil(lambda: is_deleted(dialog))  # deleted by Qt, on this thread
