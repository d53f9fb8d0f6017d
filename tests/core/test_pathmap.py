"""Issue 15 item 4: every path as the Linux render node sees it, and its fate."""

import json

import pytest

from ciokatana.core import pathmap
from ciokatana.core.plan import plan_submission
from ciokatana.standalone.cli import main

from builders import node, output, settings, snapshot


@pytest.mark.parametrize("local,farm", [
    ("C:\\shows\\demo\\a.exr", "/shows/demo/a.exr"),
    ("r:/renders/x.####.exr", "/renders/x.####.exr"),
    ("\\\\server\\share\\tex\\a.tx", "//server/share/tex/a.tx"),
    ("/abs/path.abc", "/abs/path.abc"),
])
def test_farm_paths_follow_ciocores_drive_letter_rule(local, farm):
    from ciocore.file_utils import strip_drive_letter

    assert pathmap.farm_path(local) == farm == strip_drive_letter(local).replace("\\", "/")


def test_rows_say_uploaded_on_farm_or_missing(files, tmp_path):
    scene, tex, old_render = files("shot.katana", "tex/a.1001.tx", "renders/beauty/old.0001.exr")
    snap = snapshot(
        katana_file=scene,
        nodes=[node("beauty", outputs=[output(str(tmp_path / "renders/beauty/beauty.####.exr"))])],
        assets=[str(tmp_path / "tex/a.<UDIM>.tx"), str(tmp_path / "renders/beauty/old.####.exr"),
                "T:\\library\\hdri\\sky.exr", str(tmp_path / "gone.abc")],
    )
    rows = pathmap.path_rows(plan_submission(snap, settings(extra_assets=["C:\\luts\\show.cube"])))
    table = [(r.kind, r.status, r.farm) for r in rows]
    assert table == [
        ("scene", "upload", scene),
        ("asset", "upload", tex),
        ("asset", "on farm", old_render),
        ("asset", "missing", "/library/hdri/sky.exr"),
        ("asset", "missing", str(tmp_path / "gone.abc")),
        ("extra asset", "missing", "/luts/show.cube"),
        ("output", "on farm", str(tmp_path / "renders/beauty/beauty.####.exr")),
    ]
    sky = rows[3]
    assert sky.local == "T:\\library\\hdri\\sky.exr" and sky.source == "T:\\library\\hdri\\sky.exr"
    assert rows[1].source == str(tmp_path / "tex/a.<UDIM>.tx")
    assert "under a job's output path" in rows[2].note
    assert rows[-1].nodes == "beauty"


def test_windows_outputs_are_mapped_and_named_by_node():
    snap = snapshot(nodes=[node("env", outputs=[output("R:\\renders\\env\\env.####.exr")])])
    (row,) = [r for r in pathmap.path_rows(plan_submission(snap, settings())) if r.kind == "output"]
    assert row.farm == "/renders/env/env.####.exr" and row.local == "R:\\renders\\env\\env.####.exr"
    assert row.status == "on farm" and row.nodes == "env" and row.note == ""


def test_a_farm_path_ciocore_would_refuse_carries_its_reason(files, tmp_path):
    snap = snapshot(katana_file=files("shot.katana")[0], assets=["C:relative\\tex.tx"])
    rows = pathmap.path_rows(plan_submission(snap, settings()))
    bad = [r for r in rows if r.local == "C:relative\\tex.tx"][0]
    assert bad.farm == "relative/tex.tx" and "ciocore refuses it" in bad.note


def test_rows_filter_on_any_column():
    row = pathmap.PathRow("asset", "T:\\lib\\sky.exr", "/lib/sky.exr", "missing")
    assert row.matches("SKY") and row.matches("missing") and not row.matches("upload")


def test_validate_paths_prints_the_table_and_json(capsys, write_scene, tmp_path):
    path = write_scene({"assets": ["C:\\shows\\tex\\wood.tx"],
                        "render_nodes": [{"name": "beauty", "outputs": [{"name": "p", "enabled": True,
                                                                         "outputLocation": "R:\\renders\\b.####.exr"}]}]})
    code = main(["validate", "--scene", path, "--paths"])
    out, _ = capsys.readouterr()
    assert code == 0
    assert "missing  asset       /shows/tex/wood.tx  (from C:\\shows\\tex\\wood.tx)" in out
    assert "on farm  output      /renders/b.####.exr  (from R:\\renders\\b.####.exr; node beauty)" in out
    assert "upload   scene       " + str(tmp_path / "shot.katana") in out
    code = main(["validate", "--scene", path, "--paths", "--json"])
    data = json.loads(capsys.readouterr()[0])
    assert [p["status"] for p in data["paths"]] == ["upload", "missing", "on farm"]
    assert data["paths"][1]["farm"] == "/shows/tex/wood.tx" and data["findings"]
