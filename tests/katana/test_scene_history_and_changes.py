"""KatanaScene keeps the submission history on the ConductorRender node and reports scene changes.

Layer: tests/katana (stand-in, no Qt). The history is what makes the
dialog's "already submitted" notice survive closing the dialog and reloading
the scene; the change token is what lets the dialog skip re-reading (and
re-scraping) a scene nobody touched.
"""

import json

from ciokatana.core.settings import Settings
from ciokatana.katana import constants as C
from ciokatana.katana import settings_node
from ciokatana.katana.scene import KatanaScene

import katana_scenes as ks

ENTRIES = [
    {"fingerprint": "0123456789abcdef", "title": "Katana shot beauty", "jobid": "00041",
     "submitted_at": "2024-05-02T14:05:12"},
    {"fingerprint": "fedcba9876543210", "title": "Katana shot shadow", "jobid": "",
     "submitted_at": "2024-05-02T14:05:13"},
]


def _process_events():
    from Katana import Utils

    Utils.EventModule.ProcessAllEvents()


def test_history_is_kept_on_the_node_and_comes_back_after_reloading(plugin, ksc, tmp_path, resources):
    ks.render_node("beauty")
    scene = KatanaScene()
    assert scene.load_history() == []  # no ConductorRender node yet: nothing kept
    scene.store_history(ENTRIES)
    [node] = settings_node.settings_nodes()
    param = node.getParameter("internal.submissions")
    assert json.loads(param.getValue(0)) == ENTRIES
    assert eval(param.getHintString())["widget"] == "null"  # hidden in the Parameters tab
    path = ks.save(tmp_path / "shot.katana")

    from Katana import KatanaFile

    KatanaFile.New()
    assert KatanaScene().load_history() == []
    KatanaFile.Load(path)
    assert KatanaScene().load_history() == ENTRIES


def test_history_writes_leave_the_undo_history_and_unchanged_writes_are_skipped(plugin, ksc):
    ks.render_node("beauty")
    node = settings_node.ensure_settings_node()
    before = dict(ksc.undo_stats())
    assert settings_node.write_history(node, ENTRIES) is True
    after = ksc.undo_stats()
    assert after["DisableCapture"] == before["DisableCapture"] + 1
    assert after["EnableCapture"] == before["EnableCapture"] + 1
    assert after["OpenGroup"] == before["OpenGroup"]
    assert settings_node.write_history(node, list(ENTRIES)) is False


def test_history_that_is_not_json_is_read_as_none(plugin, ksc, caplog):
    node = settings_node.ensure_settings_node()
    settings_node.write_history(node, ENTRIES)
    node.getParameter("internal.submissions").setValue("{not json", 0)
    assert KatanaScene().load_history() == []
    assert "is not JSON" in caplog.text
    node.getParameter("internal.submissions").setValue('{"a": 1}', 0)
    assert KatanaScene().load_history() == []


def test_history_and_settings_share_the_node_without_touching_each_other(plugin, ksc):
    scene = KatanaScene()
    scene.store_settings(Settings(project="Episode 104").to_dict())
    scene.store_history(ENTRIES)
    assert scene.load_settings()["project"] == "Episode 104"
    assert "submissions" not in json.dumps(scene.load_settings())
    scene.store_settings(Settings(project="Episode 105").to_dict())
    assert scene.load_history() == ENTRIES


def test_the_change_token_moves_on_graph_changes_but_not_on_the_dialogs_own_writes(plugin, ksc):
    beauty = ks.render_node("beauty")
    _process_events()
    scene = KatanaScene()
    first = scene.revision()
    assert first is not None
    _process_events()
    assert scene.revision() == first  # nothing happened

    scene.store_settings(Settings(project="Episode 104").to_dict())  # the ConductorRender node
    scene.store_history(ENTRIES)
    _process_events()
    assert scene.revision()[0] == first[0]

    beauty.setBypassed(True)
    _process_events()
    second = scene.revision()
    assert second[0] > first[0]
    ks.render_node("shadow")
    _process_events()
    assert scene.revision()[0] > second[0]
    node = settings_node.find_settings_node()
    assert node.getType() == C.NODE_TYPE
