"""The asset scraper: every supported node type, sequences through the core, what it ignores.

Layer: tests/katana (no Qt). Files are created in a temp dir; the scraper
returns patterns and the core's resolver (inside ``plan_submission``)
expands them against the disk.
"""

import os

import pytest

from ciokatana.core.plan import plan_submission
from ciokatana.core.settings import Settings
from ciokatana.core.validation import validate
from ciokatana.katana import constants as C
from ciokatana.katana import scraper
from ciokatana.katana.scene import KatanaScene

import katana_scenes as ks


def set_value(node, path, value):
    node.getParameter(path).setValue(value, 0)


def make(node_type, name=None, **values):
    from Katana import NodegraphAPI

    node = NodegraphAPI.CreateNode(node_type)
    if name:
        node.setName(name)
    for path, value in values.items():
        set_value(node, path, value)
    return node


@pytest.fixture
def show(tmp_path, monkeypatch):
    """A folder of asset files, and the scene saved next to them."""
    d = tmp_path
    ks.touch(d, "caches/hero.0001.abc", "caches/hero.0002.abc", "caches/exp.abc", "usd/set.usda", "usd/env.usda",
             "plates/plate.1001.exr", "plates/plate.1002.exr", "plates/plate.1003.exr", "plates/rel.exr",
             "sgxml/layout.xml", "attrs/a.json", "looks/hero.klf", "looks/globals.klf", "looks/mats.klf",
             "livegroups/lg.livegroup", "tex/wood.1001.tx", "tex/wood.1002.tx", "tex/rust.u1_v1.tx",
             "tex/rust.u2_v1.tx", "tex/stone.0001.exr", "tex/stone.0002.exr", "hdri/sky.hdr", "cache_dir/a.bin",
             "cache_dir/sub/b.bin", "arr/one.tx", "arr/two.tx", "resolved/asset_v1.abc", size=10)
    monkeypatch.setenv("CIOKATANA_TEST_SHOW", str(d))
    return d


def every_node_type(d):
    """A scene using every node type and parameter the scraper knows. Returns expected patterns."""
    geo = make("Alembic_In", "geo", abcAsset=str(d / "caches/hero.####.abc"))
    expr = make("Alembic_In", "geo_expr")
    expr.getParameter("abcAsset").setExpression("project.dir + '/caches/exp.abc'")
    make("UsdIn", "set", fileName=str(d / "usd/set.usda"))
    make("UsdIn", "set_env", fileName="${CIOKATANA_TEST_SHOW}/usd/env.usda")
    make("ImageRead", "plate", file=str(d / "plates/plate.%04d.exr"))
    make("ImageRead", "plate_rel", file="plates/rel.exr")
    make("ScenegraphXml_In", "layout", asset=str(d / "sgxml/layout.xml"))
    make("AttributeFile_In", "attrs", filepath=str(d / "attrs/a.json"))
    look = make("LookFileAssign", "look")
    ks.arg(look, "args.lookfile.asset", str(d / "looks/hero.klf"))
    globals_ = make("LookFileGlobalsAssign", "look_globals")
    ks.arg(globals_, "args.lookfile.asset", str(d / "looks/globals.klf"))
    make("LookFileMaterialsIn", "mats", lookfile=str(d / "looks/mats.klf"))
    make("LiveGroup", "lg", source=str(d / "livegroups/lg.livegroup"))
    ks.shading("PrmanShadingNode", {"filename": str(d / "tex/wood.<UDIM>.tx"), "colorSpace": "srgb"}, name="wood")
    ks.shading("ArnoldShadingNode", {"filename": str(d / "tex/rust.<UVTILE>.tx")}, name="rust")
    ks.shading("VrayShadingNode", {"file": str(d / "tex/stone.$F4.exr")}, name="stone")
    ks.shading("PrmanShadingNode", {"lightColorMap": str(d / "hdri/sky.hdr")}, name="dome")
    ks.shading("ArnoldShadingNode", {"custom_input": str(d / "tex/wood.1001.tx")}, name="by_extension")
    ops = make("OpScript", "ops")
    user = ops.getParameters().createChildGroup("user")
    user.createChildString("cacheFolder", str(d / "cache_dir")).setHintString(repr({"widget": "fileInput"}))
    prim = make("PrimitiveCreate", "prim")
    arr = prim.getParameters().createChildStringArray("textures", 2)
    arr.setHintString(repr({"widget": "assetIdInput"}))
    arr.getChild("i0").setValue(str(d / "arr/one.tx"), 0)
    arr.getChild("i1").setValue(str(d / "arr/two.tx"), 0)
    ks.render_node("beauty", location=str(d / "renders/beauty.####.exr"), upstream=geo)
    return [
        str(d / "caches/hero.####.abc"),
        str(d / "caches/exp.abc"),
        str(d / "usd/set.usda"),
        "${CIOKATANA_TEST_SHOW}/usd/env.usda",
        str(d / "plates/plate.%04d.exr"),
        str(d / "plates/rel.exr"),
        str(d / "sgxml/layout.xml"),
        str(d / "attrs/a.json"),
        str(d / "looks/hero.klf"),
        str(d / "looks/globals.klf"),
        str(d / "looks/mats.klf"),
        str(d / "livegroups/lg.livegroup"),
        str(d / "tex/wood.<UDIM>.tx"),
        str(d / "tex/rust.<UVTILE>.tx"),
        str(d / "tex/stone.$F4.exr"),
        str(d / "hdri/sky.hdr"),
        str(d / "tex/wood.1001.tx"),
        str(d / "cache_dir"),
        str(d / "arr/one.tx"),
        str(d / "arr/two.tx"),
    ]


def test_finds_every_supported_path(plugin, show):
    expected = every_node_type(show)
    ks.save(show / "shot.katana")
    result = scraper.scrape(base_dir=str(show))
    assert sorted(result.paths) == sorted(expected)
    assert result.errors == []
    where = {(r.node, r.parameter) for r in result.references}
    assert ("look", "args.lookfile.asset.value") in where
    assert ("wood", "parameters.filename.value") in where
    assert ("ops", "user.cacheFolder") in where
    assert ("prim", "textures.i1") in where
    assert ("geo_expr", "abcAsset") in where


def test_sequences_expand_to_the_files_on_disk_through_the_core(plugin, show):
    every_node_type(show)
    ks.save(show / "shot.katana")
    snapshot = KatanaScene().snapshot()
    plan = plan_submission(snapshot, Settings(project="P", instance_type="n"))
    files = {os.path.relpath(f, str(show)) for f in plan.assets.files}
    expected = {
        "shot.katana",
        "caches/hero.0001.abc", "caches/hero.0002.abc", "caches/exp.abc", "usd/set.usda", "usd/env.usda",
        "plates/plate.1001.exr", "plates/plate.1002.exr", "plates/plate.1003.exr", "plates/rel.exr",
        "sgxml/layout.xml", "attrs/a.json", "looks/hero.klf", "looks/globals.klf", "looks/mats.klf",
        "livegroups/lg.livegroup", "tex/wood.1001.tx", "tex/wood.1002.tx", "tex/rust.u1_v1.tx",
        "tex/rust.u2_v1.tx", "tex/stone.0001.exr", "tex/stone.0002.exr", "hdri/sky.hdr",
        os.path.join("cache_dir", "a.bin"), os.path.join("cache_dir", "sub", "b.bin"), "arr/one.tx", "arr/two.tx",
    }
    assert files == expected
    assert plan.assets.missing == []
    assert sorted(plan.payloads[0]["upload_paths"]) == sorted(plan.assets.files)


def test_ignores_outputs_disabled_nodes_temp_dir_and_non_paths(plugin, ksc, show):
    from Katana import NodegraphAPI

    d = show
    ks.render_node("beauty", location=str(d / "renders/beauty.####.exr"))
    write = NodegraphAPI.CreateNode("ImageWrite")
    write.getParameter("inputs.input.file").setValue(str(d / "comp/out.####.exr"), 0)
    render = NodegraphAPI.GetNode("beauty")
    render.getParameter("farmSettings.farmFileName").setValue(str(d / "farm.xml"), 0)
    make("Alembic_In", "bypassed", abcAsset=str(d / "caches/hero.####.abc")).setBypassed(True)
    group = NodegraphAPI.CreateNode("Group")
    inner_group = NodegraphAPI.CreateNode("Group", group)
    inside = NodegraphAPI.CreateNode("UsdIn", inner_group)
    inside.getParameter("fileName").setValue(str(d / "usd/set.usda"), 0)
    group.setBypassed(True)
    look = make("LookFileAssign", "look_off")
    look.getParameter("args.lookfile.asset.value").setValue(str(d / "looks/hero.klf"), 0)  # enable stays 0
    ks.shading("PrmanShadingNode", {"filename": str(d / "tex/wood.<UDIM>.tx")}, name="off", enabled=False)
    ks.shading("PrmanShadingNode", {"colorSpace": "srgb", "label": "/not/a/texture"}, name="not_files")
    make("Alembic_In", "in_temp", abcAsset=os.path.join(ksc.temp_dir(), "preview.abc"))
    make("UsdIn", "empty", fileName="   ")
    make("ImageRead", "number", file="42")
    make("ScenegraphXml_In", "location", asset="/root/world/geo/asset")
    make("Alembic_In", "asset_id", abcAsset="mock:///show/asset/v1")
    out = make("PrimitiveCreate", "outputs")
    out.getParameters().createChildString("bake", str(d / "bake.abc")).setHintString(repr({"widget": "assetIdOutput"}))
    conductor = NodegraphAPI.CreateNode(C.NODE_TYPE)
    conductor.getParameter("advanced.mockFile").setValue(str(d / "mock.json"), 0)
    result = scraper.scrape()
    assert result.paths == []
    reasons = {(node, reason) for node, _param, _value, reason in result.skipped}
    assert reasons == {("in_temp", "in Katana's temp dir"),
                       ("asset_id", "the asset plug-in did not resolve it to a file")}


def test_asset_ids_resolve_through_the_asset_plugin(plugin, ksc, show):
    ksc.set_asset_resolver(lambda asset_id, frame: str(show / "resolved" / "asset_v1.abc"))
    make("Alembic_In", "asset_id", abcAsset="mock:///show/asset/v1")
    [ref] = scraper.scrape().references
    assert ref.value == "mock:///show/asset/v1" and ref.path == str(show / "resolved/asset_v1.abc")


def test_a_broken_expression_is_reported_not_fatal(plugin, show):
    node = make("Alembic_In", "broken")
    node.getParameter("abcAsset").setExpression("getNode('NoSuchNode').abcAsset")
    make("UsdIn", "fine", fileName=str(show / "usd/set.usda"))
    result = scraper.scrape()
    assert result.paths == [str(show / "usd/set.usda")]
    [(name, param, message)] = result.errors
    assert (name, param) == ("broken", "abcAsset") and "RuntimeError" in message


def test_missing_files_reach_validation(plugin, show):
    make("Alembic_In", "gone", abcAsset=str(show / "caches/gone.####.abc"))
    ks.render_node("beauty", location=str(show / "renders/b.####.exr"))
    ks.save(show / "shot.katana")
    plan = plan_submission(KatanaScene().snapshot(), Settings(project="P", instance_type="n2-standard-8"))
    [finding] = [f for f in validate(plan) if f.rule == "missing_assets"]
    assert finding.details == (str(show / "caches/gone.####.abc"),)


def test_the_walk_counts_what_it_read(plugin, show):
    every_node_type(show)
    result = scraper.scrape()
    assert result.node_count >= 20
    assert result.param_count > result.node_count
    assert result.seconds >= 0
