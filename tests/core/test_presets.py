"""Presets: the folders a studio configures, partial presets, what is never saved."""

import json
import os

import pytest

from ciokatana.core.presets import PIPELINE, SHOW, USER, Preset, PresetError, PresetExists, PresetStore
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


def test_saving_under_an_existing_name_needs_overwrite_and_says_whose_it_is(tmp_path):
    show = tmp_path / "show"
    show.mkdir()
    (show / "Lighting_4K.json").write_text(json.dumps({
        "name": "Lighting 4K", "saved_by": "kim", "saved_at": "2024-05-02T14:05:12",
        "settings": {"instance_type": "n2-highmem-32"}}))
    store = PresetStore([(USER, str(tmp_path / "user")), (SHOW, str(show))])
    with pytest.raises(PresetExists) as info:
        store.save("lighting 4k", SHOW, Settings(project="Mine"))  # the same name, any case
    assert "saved by kim on 2024-05-02 at 14:05:12" in str(info.value)
    assert info.value.existing.path == str(show / "Lighting_4K.json") and not info.value.read_only
    assert json.loads((show / "Lighting_4K.json").read_text())["saved_by"] == "kim"  # untouched
    preset = store.save("Lighting 4K", SHOW, Settings(project="Mine"), overwrite=True)
    assert preset.path == str(show / "Lighting_4K.json")
    assert json.loads((show / "Lighting_4K.json").read_text())["settings"]["project"] == "Mine"
    assert (show / "Lighting_4K.json").stat().st_mode & 0o044 == 0o044  # the show can read it
    assert store.save("Lighting 4K", USER, Settings()).scope == USER  # another folder: no clash
    assert [p.name for p in store.list()] == ["Lighting 4K", "Lighting 4K"]
    assert not [n for n in os.listdir(str(show)) if n.startswith(".tmp")]


def test_a_read_only_preset_is_never_replaced(tmp_path, monkeypatch):
    show = tmp_path / "show"
    show.mkdir()
    locked = show / "Final.json"
    locked.write_text(json.dumps({"name": "Final", "settings": {"chunk_size": 2}}))
    os.chmod(str(locked), 0o444)
    store = PresetStore([(SHOW, str(show))])
    if os.access(str(locked), os.W_OK):  # root may write anything: be the colleague who may not
        real_access = os.access
        monkeypatch.setattr(os, "access", lambda path, mode: False if str(path) == str(locked) else
                            real_access(path, mode))
    with pytest.raises(PresetExists) as info:
        store.save("Final", SHOW, Settings(), overwrite=True)
    assert info.value.read_only and "read-only" in str(info.value)
    assert json.loads(locked.read_text())["settings"] == {"chunk_size": 2}


def test_a_name_taken_while_saving_is_not_replaced(tmp_path, monkeypatch):
    from ciokatana.core import presets as presets_mod

    store = PresetStore([(USER, str(tmp_path))])
    real = presets_mod._place_new

    def someone_else_first(tmp, path):
        with open(path, "w") as handle:
            json.dump({"name": "Race", "saved_by": "lee", "settings": {}}, handle)
        real(tmp, path)

    monkeypatch.setattr(presets_mod, "_place_new", someone_else_first)
    with pytest.raises(PresetExists) as info:
        store.save("Race", USER, Settings(project="Mine"))
    assert info.value.saved_by == "lee"
    assert json.loads((tmp_path / "Race.json").read_text())["saved_by"] == "lee"
    assert sorted(os.listdir(str(tmp_path))) == ["Race.json"]  # no temp file left behind


def test_listing_skips_fifos_and_other_special_files(tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    os.mkfifo(str(tmp_path / "shared.json"))  # opening it would block until a writer comes
    (tmp_path / "real.json").write_text(json.dumps({"name": "Real", "settings": {}}))
    os.mkdir(str(tmp_path / "folder.json"))
    store = PresetStore([(SHOW, str(tmp_path))])
    assert [p.name for p in store.list()] == ["Real"]
