#!/usr/bin/env python
"""Benchmark: scraping a 20,000-node Katana scene for asset paths.

Layer: bench (runs the katana adapter against the test stand-in).

Builds a scene in the Katana stand-in (tests/katana_standin) with a mix of
the node types the scraper reads - Alembic_In, UsdIn, ImageRead,
LookFileAssign, shading nodes with texture and non-texture arguments,
file-hinted user parameters, bypassed nodes, nodes inside groups - and
Render nodes with outputs, then times :func:`ciokatana.katana.scraper.scrape`
(the parameter walk that runs on Katana's UI thread whenever the dialog
reads the scene) and ``KatanaScene.snapshot()``. Prints nodes and parameters
per second. Nothing touches the disk and nothing is asserted: the figures are
for reading (the walk is linear, so doubling the scene should double the time).

Usage: python bench/bench_scrape.py [--short] [--nodes N]
"""

import argparse
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def arg(node, path, value):
    node.getParameter(path + ".value").setValue(value, 0)
    node.getParameter(path + ".enable").setValue(1, 0)


def build(count):
    """A scene of about ``count`` nodes; returns the number of file references expected."""
    from Katana import NodegraphAPI

    root = NodegraphAPI.GetRootNode()
    groups = [NodegraphAPI.CreateNode("Group", root) for _ in range(max(1, count // 500))]
    expected = 0
    made = len(groups)
    i = 0
    while made < count:
        parent = groups[i % len(groups)] if i % 3 == 0 else root
        kind = i % 10
        if kind == 0:
            node = NodegraphAPI.CreateNode("Alembic_In", parent)
            node.getParameter("abcAsset").setValue("/show/assets/a{}/geo.####.abc".format(i), 0)
            expected += 1
        elif kind == 1:
            node = NodegraphAPI.CreateNode("UsdIn", parent)
            node.getParameter("fileName").setValue("/show/usd/set{}.usda".format(i), 0)
            expected += 1
        elif kind == 2:
            node = NodegraphAPI.CreateNode("ImageRead", parent)
            node.getParameter("file").setValue("/show/plates/p{}.%04d.exr".format(i), 0)
            expected += 1
        elif kind == 3:
            node = NodegraphAPI.CreateNode("LookFileAssign", parent)
            arg(node, "args.lookfile.asset", "/show/looks/l{}.klf".format(i))
            expected += 1
        elif kind in (4, 5):
            node = NodegraphAPI.CreateNode("PrmanShadingNode", parent)
            params = node.getParameter("parameters")
            for name, value in (("filename", "/show/tex/t{}.<UDIM>.tx".format(i)), ("colorSpace", "srgb"),
                                ("gain", "1.0"), ("label", "diffuse")):
                group = params.createChildGroup(name)
                group.createChildString("value", value)
                group.createChildNumber("enable", 1)
            expected += 1
        elif kind == 6:
            node = NodegraphAPI.CreateNode("OpScript", parent)
            user = node.getParameters().createChildGroup("user")
            user.createChildString("cache", "/show/cache/c{}.bin".format(i)).setHintString(
                repr({"widget": "fileInput"}))
            user.createChildString("mode", "fast")
            expected += 1
        elif kind == 7:
            node = NodegraphAPI.CreateNode("Alembic_In", parent)
            node.getParameter("abcAsset").setValue("/show/assets/bypassed{}.abc".format(i), 0)
            node.setBypassed(True)
        elif kind == 8:
            node = NodegraphAPI.CreateNode("Merge", parent)
        else:
            node = NodegraphAPI.CreateNode("PrimitiveCreate", parent)
        made += 1
        i += 1
    for n in range(10):
        render = NodegraphAPI.CreateNode("Render")
        render.setName("render{}".format(n))
    return expected


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", action="store_true", help="2,000 nodes (for CI)")
    parser.add_argument("--nodes", type=int, default=None, help="scene size (default 20,000)")
    args = parser.parse_args(argv)
    count = args.nodes or (2000 if args.short else 20000)
    sys.path.insert(0, os.path.join(ROOT, "tests", "katana_standin"))
    sys.path.insert(0, ROOT)
    import katana_standin_control

    from ciokatana.katana import scraper
    from ciokatana.katana.scene import KatanaScene

    katana_standin_control.reset()
    started = time.perf_counter()
    expected = build(count)
    built = time.perf_counter() - started

    runs = []
    for _ in range(3):
        result = scraper.scrape()
        runs.append(result.seconds)
    best = min(runs)
    started = time.perf_counter()
    snapshot = KatanaScene().snapshot()
    snap = time.perf_counter() - started

    print("bench_scrape: {:,} nodes built in {:.2f} s (Katana stand-in)".format(count, built))
    print("  scrape: {:,} nodes, {:,} parameters read, {:,} references ({:,} expected), {:,} unique paths".format(
        result.node_count, result.param_count, len(result.references), expected, len(result.paths)))
    print("  scrape time: best {:.3f} s of {} (runs: {})".format(
        best, len(runs), ", ".join("{:.3f}".format(r) for r in runs)))
    print("  throughput: {:,.0f} nodes/s, {:,.0f} parameters/s".format(
        result.node_count / best if best else 0, result.param_count / best if best else 0))
    print("  KatanaScene.snapshot() (scrape + {} Render nodes via FarmAPI): {:.3f} s, {} asset patterns".format(
        len(snapshot.nodes), snap, len(snapshot.assets)))
    katana_standin_control.reset()
    return 0


if __name__ == "__main__":
    sys.exit(main())
