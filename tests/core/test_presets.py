"""Presets: the folders a studio configures, partial presets, what is never saved."""

import json

import pytest

from ciokatana.core.presets import PIPELINE, SHOW, USER, Preset, PresetError, PresetStore
from ciokatana.core.settings import EnvVar, Package, Settings


def test_default_folders_follow_katanas_user_resources_and_the_show(tmp_path):
    store = PresetStore.default({"KATANA_USER_RESOURCE_DIRECTORY": str(tmp_path / "kat"),
                                 "CIOKATANA_SHOW_PRESETS": str(tmp_path / "show"),
                                 "CIOKATANA_PRESET_PATH": "{}:{}".format(tmp_path / "p1", tmp_path / "p2")})
    assert store.folders == [(USER, str(tmp_path / "kat" / "ciokatana" / "presets")), (SHOW, str(tmp_path / "show")),
                             (PIPELINE, str(tmp_path / "p1")), (PIPELINE, str(tmp_path / "p2"))]
    assert store.scopes() == [USER, SHOW]
    assert PresetStore.default({"HOME": str(tmp_path)}).scopes() == [USER]


def test_a_preset_round_trips_without_the_mock_settings(tmp_path):
    store = PresetStore([(USER, str(tmp_path / "user"))])
    settings = Settings(project="Demo", chunk_size=3, software=[Package("katana 7.0v4 linux", "k")],
                        environment=[EnvVar("OCIO", "/x.ocio", "prepend")], mock_mode="use", mock_file="/m.json")
    preset = store.save("Lighting 4K!", USER, settings)
    assert preset.path.endswith("Lighting_4K.json") and store.list() == [preset]
    with open(preset.path) as handle:
        assert "mock_mode" not in json.load(handle)["settings"]
    loaded = store.load(preset)
    assert loaded["software"][0] == Package("katana 7.0v4 linux", "k")
    assert loaded["environment"] == [EnvVar("OCIO", "/x.ocio", "prepend")]
    assert "mock_file" not in loaded


def test_a_pipeline_preset_holds_only_some_fields_and_is_read_only(tmp_path):
    folder = tmp_path / "pipeline"
    folder.mkdir()
    (folder / "cpu.json").write_text(json.dumps({"name": "CPU", "settings": {"instance_type": "n2-highcpu-32"}}))
    store = PresetStore([(PIPELINE, str(folder))])
    preset = store.list()[0]
    assert store.load(preset) == {"instance_type": "n2-highcpu-32"}
    with pytest.raises(PresetError):
        store.delete(preset)
    with pytest.raises(PresetError):
        store.save("x", PIPELINE, Settings())


def test_broken_presets_say_which_file(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(PresetError) as info:
        PresetStore([(USER, str(tmp_path))]).load(Preset("bad", USER, str(bad)))
    assert str(bad) in str(info.value)
