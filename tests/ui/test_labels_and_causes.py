"""Words on buttons and cards say exactly what happened and what a click does."""

import os

from ciokatana.core import events as ev
from ciokatana.ui import runs as runs_mod
from ciokatana.ui.tabs.response import RunGroup

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHIPPED_MOCK = os.path.join(ROOT, "scripts", "mock_submission.json")
CIOCORE_500 = 'Job Submission failed: Error 500 ...\n{"error": "Internal error while creating the job"}'


def test_the_mock_warnings_prompt_offers_to_replay_not_to_submit(make_dialog, scene, mock_feature, ui, qtbot):
    dialog = make_dialog(scene)
    ui.use_mock(dialog, SHIPPED_MOCK)
    ui.submit(dialog)
    qtbot.waitUntil(lambda: dialog.prompt is not None and "submit" in dialog.prompt.keys())
    prompt = dialog.prompt
    assert prompt.button("submit").text() == "Replay Anyway"
    assert prompt.windowTitle() == "Replay with warnings?"
    assert "Submit" not in [prompt.button(k).text().split()[0] for k in prompt.keys()]
    ui.answer(dialog, "cancel")


def test_a_refused_job_shows_the_cause_in_plain_words_first(make_dialog, scene, fake_conductor, ui, qtbot):
    def factory(payload):
        submit = fake_conductor(payload)
        if payload["job_title"].endswith("char_hero"):
            def main():
                raise Exception(CIOCORE_500)
            submit.main = main
        return submit

    dialog = make_dialog(scene, submit_factory=factory)
    ui.submit(dialog)
    ui.answer(dialog, "submit")
    ui.wait_run_done(dialog)
    card = [c for c in dialog.tab("response").card_list() if c.level == "error"][0]
    first_line = card.message.splitlines()[0]
    assert first_line.startswith("Conductor did not create the job: it had an internal error")
    assert "(HTTP 500: Internal error while creating the job)" in first_line
    assert not first_line.startswith("Exception")
    assert "{" not in card.message
    assert CIOCORE_500 in card.details  # the raw answer behind Show details


def _record(states):
    """A finished run whose jobs ended in ``states`` (built from its events)."""
    planned = [("node{}".format(i), "job {}".format(i), {"job_title": "job {}".format(i)}) for i in range(len(states))]
    record = runs_mod.RunRecord(1, planned=planned)
    record.apply(ev.Event("start", {"job_count": len(states)}))
    for index, state in enumerate(states):
        if state == "not_started":
            continue
        record.apply(ev.Event("job_start", {"job_index": index, "job_title": "job {}".format(index)}))
        if state == "submitted":
            record.apply(ev.Event("response", {"jobid": "0000{}".format(index), "job_title": "job {}".format(index)}))
        elif state == "failed":
            record.apply(ev.Event("error", {"exception": "boom", "exception_type": "RuntimeError",
                                            "job_title": "job {}".format(index)}))
        elif state == "cancelled":
            record.apply(ev.Event("error", {"exception": "stopped", "exception_type": "UserCanceledError",
                                            "job_title": "job {}".format(index)}))
    record.apply(ev.Event("done", {}))
    record.finish("cancelled")
    return record


def test_the_resubmit_button_names_what_it_resubmits(qtbot):
    cases = [
        (["submitted", "failed"], "Resubmit Failed Job (1)"),
        (["failed", "failed", "submitted"], "Resubmit Failed Jobs (2)"),
        (["submitted", "cancelled", "not_started", "not_started"], "Resubmit Cancelled and Not-Started Jobs (3)"),
        (["cancelled"], "Resubmit Cancelled Job (1)"),
        (["failed", "cancelled", "not_started"], "Resubmit Failed, Cancelled and Not-Started Jobs (3)"),
    ]
    for states, label in cases:
        group = RunGroup(_record(states))
        qtbot.addWidget(group)
        assert group.resubmit_button.text() == label, states
        # a click resubmits exactly the nodes of the jobs Conductor did not take
        with qtbot.waitSignal(group.resubmit_requested, timeout=1000) as clicked:
            group.resubmit_button.click()
        assert clicked.args == [["node{}".format(i) for i, s in enumerate(states) if s != "submitted"]], states
    group = RunGroup(_record(["submitted", "submitted"]))
    qtbot.addWidget(group)
    assert group.resubmit_button.isHidden()
