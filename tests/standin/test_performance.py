"""A 20,000-node scene builds and reads quickly (no timing assert; it must stay linear)."""

import time

from Katana import FarmAPI, NodegraphAPI


def test_twenty_thousand_nodes():
    FarmAPI.AddFarmSettingString("conductorFrameSpec", "")
    start = time.time()
    root = NodegraphAPI.GetRootNode()
    for i in range(20000):
        if i % 10 == 0:
            node = NodegraphAPI.CreateNode("Render", root)
        else:
            node = NodegraphAPI.CreateNode("Alembic_In", root)
            node.getParameter("abcAsset").setValue("/assets/a%05d.abc" % i, 0)
    built = time.time() - start
    values = 0
    for node in NodegraphAPI.GetAllNodes():
        stack = [node.getParameters()]
        while stack:
            p = stack.pop()
            if p.getType() in ("number", "string"):
                p.getValue(0)
                values += 1
            else:
                stack.extend(p.getChildren())
    assert len(NodegraphAPI.GetAllNodesByType("Render")) == 2000
    assert NodegraphAPI.GetNode("Alembic_In17999") is not None
    assert values > 40000
    print("built 20k nodes in %.2fs, read %d values in %.2fs" % (built, values, time.time() - start - built))
