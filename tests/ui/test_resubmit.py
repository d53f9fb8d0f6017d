"""Submitting again: the duplicate notice, every run kept in the Response tab, resubmitting failed jobs."""

import os

from ciokatana.qt import QtCore, QtWidgets
from ciokatana.ui import theme

TITLES = ["Katana shot010_lighting_v003 {}".format(n) for n in ("beauty", "char_hero", "fx_smoke", "env_bg")]


def _submit(dialog, ui, qtbot):
    ui.submit(dialog)
    ui.answer(dialog, "submit")  # the example's warnings
    ui.wait_run_done(dialog)


def test_resubmitting_names_the_jobs_already_made_and_defaults_to_cancel(make_dialog, scene, fake_conductor, ui, qtbot):
    dialog = make_dialog(scene, submit_factory=fake_conductor)
    _submit(dialog, ui, qtbot)
    assert dialog.status_label.text() == "Done: 4 of 4 jobs submitted"
    assert [jobid for jobid, _title in fake_conductor.submitted] == ["00001", "00002", "00003", "00004"]

    ui.submit(dialog)
    qtbot.waitUntil(lambda: dialog.prompt is not None and "again" in dialog.prompt.keys())
    prompt = dialog.prompt
    assert "These 4 payloads were already submitted as jobs 00001\u201300004" in prompt.text()
    assert all(title in prompt.informativeText() for title in TITLES)
    assert prompt.defaultButton() is prompt.button("cancel")
    qtbot.keyClick(prompt, QtCore.Qt.Key_Return)  # Enter takes the safe answer
    qtbot.waitUntil(lambda: dialog.flow.state == "idle")
    assert len(fake_conductor.submitted) == 4 and len(dialog.controller.runs) == 1

    ui.submit(dialog)
    ui.answer(dialog, "again")
    ui.answer(dialog, "submit")
    ui.wait_run_done(dialog)
    assert len(fake_conductor.submitted) == 8
    response = dialog.tab("response")
    groups = response.groups()
    assert [g.record.number for g in groups] == [2, 1]  # newest first, the first run still there
    assert [c.jobid for c in groups[1].cards()] == ["00001", "00002", "00003", "00004"]
    assert [c.jobid for c in groups[0].cards()] == ["00005", "00006", "00007", "00008"]
    assert [c.jobid for c in response.card_list()] == ["00005", "00006", "00007", "00008"]


def test_only_unchanged_payloads_count_as_duplicates(make_dialog, scene, fake_conductor, ui, qtbot):
    dialog = make_dialog(scene, submit_factory=fake_conductor)
    _submit(dialog, ui, qtbot)
    # new default frames: beauty and env_bg get new payloads; char_hero and fx_smoke override theirs
    ui.type_into(ui.section(dialog, "Frames and tasks").frames_edit, "1001-1010")
    ui.submit(dialog)
    qtbot.waitUntil(lambda: dialog.prompt is not None)
    assert dialog.prompt.text().startswith("2 of these 4 payloads were already submitted as jobs 00002\u201300003")
    informative = dialog.prompt.informativeText()
    assert TITLES[1] in informative and TITLES[2] in informative and TITLES[0] not in informative
    ui.answer(dialog, "cancel")
    # a new title for every job: nothing is a duplicate, straight to the warnings
    ui.type_into(ui.section(dialog, "General").title_edit, "{scene} {node} take 2")
    ui.submit(dialog)
    qtbot.waitUntil(lambda: dialog.prompt is not None)
    assert "again" not in dialog.prompt.keys()
    ui.answer(dialog, "cancel")


def test_a_partial_success_is_labelled_and_only_the_failed_job_is_resubmitted(
        make_dialog, scene, fake_conductor, ui, qtbot, opened):
    fake_conductor.fail = {"fx_smoke"}
    dialog = make_dialog(scene, submit_factory=fake_conductor)
    _submit(dialog, ui, qtbot)
    assert dialog.status_label.text() == "Partly submitted: 3 of 4 jobs submitted, 1 failed"
    assert dialog.status_level == "warning"
    response = dialog.tab("response")
    assert response.summary_label.text().startswith("Partly submitted")
    cards = response.card_list()
    assert [c.level for c in cards] == ["success", "success", "error", "success"]
    assert "the service refused" in cards[2].message
    # a real job has a link, Copy Link and Copy Job ID; the upload summary stays on the card
    ui.click(cards[0].copy_id_button)
    assert QtWidgets.QApplication.clipboard().text() == "00001"
    ui.click(cards[0].copy_link_button)
    assert QtWidgets.QApplication.clipboard().text().endswith("/job/00001")
    progress = dialog.tab("progress")
    model = progress.file_model
    fresh_size = theme.human_bytes(os.path.getsize(model.paths()[1]))
    assert "Uploaded 1 of 1 files ({}), 1 already on Conductor".format(fresh_size) in cards[0].message
    # a file already on Conductor shows its size as the plan measured it (ciocore reports 0)
    cached = model.paths()[0]
    assert model.file_state(cached)[1] == "cached"
    assert model.index(0, 1).data() == theme.human_bytes(os.path.getsize(cached))
    assert progress.jobs_bar.text() == "4 of 4 done"
    rows = [[progress.jobs_table.topLevelItem(i).text(c) for c in range(3)] for i in range(4)]
    assert rows[2][1] == "failed" and rows[0] == [TITLES[0], "submitted", "2"]

    group = response.groups()[0]
    assert group.resubmit_button.isVisible() and group.resubmit_button.text() == "Resubmit Failed Job (1)"
    fake_conductor.fail = set()
    ui.click(group.resubmit_button)
    ui.answer(dialog, "submit")  # warnings; no duplicate notice: fx_smoke never became a job
    ui.wait_run_done(dialog)
    assert fake_conductor.submitted[-1] == ("00004", TITLES[2])
    newest = response.groups()[0].record
    assert [j.title for j in newest.jobs] == [TITLES[2]] and newest.outcome() == "succeeded"


def test_the_scenes_history_warns_after_the_dialog_is_reopened(make_dialog, shot_path, fake_conductor, ui, qtbot):
    import json

    from ciokatana.core.filescene import FileScene
    from ciokatana.ui import session

    first = make_dialog(FileScene(shot_path), submit_factory=fake_conductor)
    _submit(first, ui, qtbot)
    first.close()
    with open(shot_path) as handle:
        stored = json.load(handle)["submissions"]
    assert [e["jobid"] for e in stored] == ["00001", "00002", "00003", "00004"]
    assert all(len(e["fingerprint"]) == 16 and e["submitted_at"] for e in stored)

    session.forget()  # a new Katana session: only the scene remembers
    again = make_dialog(FileScene(shot_path), submit_factory=fake_conductor)
    assert again.controller.runs == []
    ui.submit(again)
    qtbot.waitUntil(lambda: again.prompt is not None and "again" in again.prompt.keys())
    text = again.prompt.text()
    assert "already submitted as jobs 00001\u201300004" in text and "per this scene's submission history" in text
    ui.answer(again, "cancel")


def test_reopening_in_the_same_session_lists_the_earlier_runs(make_dialog, shot_path, fake_conductor, ui, qtbot):
    from ciokatana.core.filescene import FileScene

    first = make_dialog(FileScene(shot_path), submit_factory=fake_conductor)
    _submit(first, ui, qtbot)
    first.close()

    again = make_dialog(FileScene(shot_path), submit_factory=fake_conductor)  # the same session
    response = again.tab("response")
    [group] = response.groups()
    assert group.record.number == 1
    assert [c.jobid for c in group.cards()] == ["00001", "00002", "00003", "00004"]
    assert response.summary_label.text() == "4 of 4 jobs submitted."
    ui.submit(again)
    qtbot.waitUntil(lambda: again.prompt is not None and "again" in again.prompt.keys())
    assert "already submitted as jobs 00001\u201300004" in again.prompt.text()
    assert "in this session" in again.prompt.text()
    ui.answer(again, "again")
    ui.answer(again, "submit")
    ui.wait_run_done(again)
    assert [g.record.number for g in response.groups()] == [2, 1]
