"""A real submission through ciocore to the local sandbox, recorded as a mock and replayed.

Slow: ciocore's uploader polls every 5 s, so the job with uploads takes ~10 s.
"""


import pytest

from ciokatana.core.runner import conductor_submit_factory
from builders import small_scene_file
from ciokatana.core.filescene import FileScene
from ciokatana.core.mock import check_mock_file


@pytest.mark.slow
def test_real_submission_to_the_sandbox(make_dialog, ciocore_sandbox, tmp_path, mock_feature, ui, qtbot, opened):
    sandbox = ciocore_sandbox
    dialog = make_dialog(FileScene(small_scene_file(tmp_path)),
                         submit_factory=conductor_submit_factory(sandbox.ciocore_config.database_filepath))
    ui.connect(dialog)
    settings = dialog.controller.settings
    assert settings.katana_package is not None  # the newest Katana was offered
    recorded = str(tmp_path / "recorded.json")
    advanced = ui.section(dialog, "Advanced")
    ui.choose(advanced.mock_mode_combo, "generate")
    ui.type_into(advanced.mock_file_field.edit, recorded)

    ui.submit(dialog)
    ui.wait_asked_or_started(dialog, runs_before=0)
    if dialog.prompt is not None:
        ui.answer(dialog, "submit")
    progress = dialog.tab("progress")
    qtbot.waitUntil(lambda: bool(dialog.controller.is_running or dialog.controller.runs), timeout=10000)
    assert not progress.raise_button.isVisible()  # only mock replays can raise
    ui.wait_run_done(dialog, timeout=90000)

    jobs = sandbox.jobs
    assert len(jobs) == 1
    jobid = jobs[0]["jobid"]
    assert jobs[0]["payload"]["project"] == "Previs"
    cards = dialog.tab("response").card_list()
    assert [c.level for c in cards] == ["success"]
    assert cards[0].jobid == jobid
    assert cards[0].url == "{}/job/{}".format(sandbox.url, jobid)
    ui.click(cards[0].link_button)
    assert opened == [cards[0].url]
    assert progress.upload_bar.value() == progress.upload_bar.maximum()
    assert progress.file_model.rowCount() == 3  # the scene file and two textures
    assert check_mock_file(recorded) == 1
    assert dialog.status_label.text() == "Done: 1 of 1 job submitted; recorded to {}".format(recorded)

    # the recording replays in the same dialog
    ui.use_mock(dialog, recorded, 0.05)
    ui.submit(dialog)
    ui.wait_asked_or_started(dialog, runs_before=1)
    if dialog.prompt is not None:
        ui.answer(dialog, "submit")
    ui.wait_run_done(dialog)
    replayed = dialog.tab("response").card_list()
    assert [c.jobid for c in replayed] == [jobid]
    assert len(sandbox.jobs) == 1  # nothing was sent
