"""Asset paths and sequence patterns resolved against files on disk."""

import os

import pytest

from ciokatana.core import assets


@pytest.mark.parametrize(
    "pattern,names,expected",
    [
        ("img.####.exr", ["img.0001.exr", "img.0002.exr", "img.12345.exr", "img.001.exr", "img.0001.tif"], ["img.0001.exr", "img.0002.exr", "img.12345.exr"]),
        ("img.%04d.exr", ["img.0001.exr", "img.1.exr"], ["img.0001.exr"]),
        ("img.%d.exr", ["img.1.exr", "img.0010.exr"], ["img.0010.exr", "img.1.exr"]),
        ("img.$F4.exr", ["img.0001.exr", "img.01.exr"], ["img.0001.exr"]),
        ("img.$F.exr", ["img.7.exr", "img.0007.exr"], ["img.0007.exr", "img.7.exr"]),
        ("tex.<UDIM>.tx", ["tex.1001.tx", "tex.1012.tx", "tex.101.tx", "tex.u1_v1.tx"], ["tex.1001.tx", "tex.1012.tx"]),
        ("tex_<UVTILE>.tx", ["tex_u1_v1.tx", "tex_u10_v2.tx", "tex_1001.tx"], ["tex_u10_v2.tx", "tex_u1_v1.tx"]),
        ("tex.<udim>.tx", ["tex.1001.tx", "tex.abcd.tx"], ["tex.1001.tx"]),
        ("tex<tile>.tx", ["tex_u1_v1.tx", "tex_u2_v3.tx", "texu1_v1.tx"], ["tex_u1_v1.tx", "tex_u2_v3.tx"]),
        ("weird[1].####.exr", ["weird[1].0001.exr", "weird1.0001.exr"], ["weird[1].0001.exr"]),
    ],
)
def test_patterns_expand_to_matching_files_only(tmp_path, pattern, names, expected):
    for name in names:
        (tmp_path / name).write_text("x")
    found = assets.resolve([str(tmp_path / pattern)])
    assert found.files == [str(tmp_path / e) for e in sorted(expected)]
    assert found.missing == []


def test_pattern_in_a_folder_name(tmp_path):
    for frame in (1, 2):
        folder = tmp_path / "v{:03d}".format(frame)
        folder.mkdir()
        (folder / "a.exr").write_text("x")
    found = assets.resolve([str(tmp_path / "v###" / "a.exr")])
    assert len(found.files) == 2


def test_folders_expand_to_every_file_below(files, tmp_path):
    files("ocio/config.ocio", "ocio/luts/a.cube", "ocio/luts/deep/b.cube")
    found = assets.resolve([str(tmp_path / "ocio")])
    assert [os.path.relpath(f, str(tmp_path)) for f in found.files] == [
        "ocio/config.ocio",
        "ocio/luts/a.cube",
        "ocio/luts/deep/b.cube",
    ]


def test_missing_paths_are_reported_not_dropped(files, tmp_path):
    files("a.txt")
    found = assets.resolve([str(tmp_path / "a.txt"), str(tmp_path / "gone.txt"), str(tmp_path / "seq.####.exr")])
    assert found.missing == [str(tmp_path / "gone.txt"), str(tmp_path / "seq.####.exr")]
    assert found.files == [str(tmp_path / "a.txt")]


def test_relative_paths_resolve_against_the_base_dir(files, tmp_path):
    files("tex/a.tx")
    found = assets.resolve(["tex/a.tx"], base_dir=str(tmp_path))
    assert found.files == [str(tmp_path / "tex" / "a.tx")]


def test_braced_environment_variables_expand(files, tmp_path, monkeypatch):
    files("show/a.abc")
    monkeypatch.setenv("SHOW_ROOT", str(tmp_path / "show"))
    assert assets.resolve(["${SHOW_ROOT}/a.abc"]).files == [str(tmp_path / "show" / "a.abc")]


def test_sizes_and_duplicates(files, tmp_path):
    files("a.bin", size=10)
    files("b.bin", size=5)
    # a.bin named twice, then again through its folder: counted once
    found = assets.resolve([str(tmp_path / "a.bin"), str(tmp_path / "a.bin"), str(tmp_path)])
    assert found.total_size == 15
    assert len(found.files) == 2


def test_under_and_common_dir():
    assert assets.under("/renders/a/b.exr", "/renders/a")
    assert assets.under("/renders/a", "/renders/a/")
    assert not assets.under("/renders/ab/c.exr", "/renders/a")
    assert assets.under("C:\\renders\\a\\b.exr", "C:/renders/a")
    assert assets.common_dir(["/r/a/b", "/r/a/c"]) == "/r/a"
    assert assets.common_dir(["/r/a", "/s/b"]) == "/"
    assert assets.common_dir(["C:/r/a", "D:/r/a"]) is None


def test_windows_path_detection():
    assert assets.is_windows_path("C:\\a") and assets.is_windows_path("c:/a") and assets.is_windows_path("\\\\srv\\x")
    assert not assets.is_windows_path("/c/a") and not assets.is_windows_path("a:b")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs need a POSIX system")
def test_a_fifo_in_an_asset_folder_is_left_out_and_reported(tmp_path):
    """A FIFO in a folder would hang a read and made ciocore's path expansion fail (RecursionError)."""
    folder = tmp_path / "textures"
    folder.mkdir()
    (folder / "wood.tx").write_bytes(b"wood")
    os.mkfifo(str(folder / "pipe"))
    os.symlink(str(tmp_path / "gone.tx"), str(folder / "broken.tx"))
    resolved = assets.resolve([str(folder)])
    assert resolved.files == [str(folder / "wood.tx")]
    assert resolved.skipped == sorted([str(folder / "broken.tx"), str(folder / "pipe")])
    assert resolved.missing == []
