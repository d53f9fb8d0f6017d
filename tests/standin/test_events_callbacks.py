"""Callbacks, Utils.EventModule and Utils.UndoStack."""

import gc

import pytest
from Katana import Callbacks, NodegraphAPI, Utils

EventModule = Utils.EventModule


def test_callback_types_present():
    for name in ("onStartup", "onStartupComplete", "onSceneLoad", "onSceneSave", "onNodeCreate",
                 "onNodeDelete", "onNewScene", "onSceneAboutToLoad", "onShutdown", "onRenderSetup"):
        assert getattr(Callbacks.Type, name)


def test_add_fire_and_delete_callbacks(ksc):
    seen = []

    def on_load(**kwargs):
        seen.append(kwargs)

    Callbacks.addCallback(Callbacks.Type.onSceneLoad, on_load)
    Callbacks.addCallback(Callbacks.Type.onSceneLoad, on_load, callbackObjectHash=7)
    ksc.fire_callback(Callbacks.Type.onSceneLoad, filename="/a.katana")
    assert seen == [{"objectHash": None, "filename": "/a.katana"}, {"objectHash": 7, "filename": "/a.katana"}]
    Callbacks.delCallback(Callbacks.Type.onSceneLoad, on_load)
    Callbacks.delCallback(Callbacks.Type.onSceneLoad, on_load, callbackObjectHash=7)
    ksc.fire_callback(Callbacks.Type.onSceneLoad, filename="/b.katana")
    assert len(seen) == 2
    with pytest.raises(ValueError):
        Callbacks.addCallback("noSuchType", on_load)


def test_startup_and_node_callbacks(ksc):
    seen = []
    Callbacks.addCallback(Callbacks.Type.onStartup, lambda **kw: seen.append("startup"))
    Callbacks.addCallback(Callbacks.Type.onStartupComplete, lambda **kw: seen.append("complete"))
    Callbacks.addCallback(Callbacks.Type.onNodeCreate, lambda **kw: seen.append(("create", kw["node"].getName())))
    Callbacks.addCallback(Callbacks.Type.onNodeDelete, lambda **kw: seen.append(("delete", kw["node"].getName())))
    ksc.fire_startup()
    NodegraphAPI.CreateNode("Render").delete()
    assert seen == ["startup", "complete", ("create", "Render"), ("delete", "Render")]


def test_failing_callback_is_recorded_not_raised(ksc):
    def bad(**kwargs):
        raise RuntimeError("bad callback")

    Callbacks.addCallback(Callbacks.Type.onStartup, bad)
    ksc.fire_startup()
    assert "bad callback" in ksc.handler_errors()[0][1]


class Recorder(object):
    def __init__(self):
        self.events = []
        self.batches = []

    def handle(self, eventType, eventID, **kwargs):
        self.events.append((eventType, kwargs))

    def collapsed(self, args):
        self.batches.append(args)


def test_graph_changes_queue_events():
    rec = Recorder()
    EventModule.RegisterEventHandler(rec.handle)
    node = NodegraphAPI.CreateNode("Render")
    node.setName("beauty")
    node.getParameter("farmSettings.dependAll").setValue(1, 0)
    node.getParameter("farmSettings.farmFileName").setValue("x", 0, final=False)
    assert rec.events == []  # nothing until processed
    EventModule.ProcessAllEvents()
    types = [t for t, _ in rec.events]
    assert types == ["node_create", "node_setName", "parameter_setValue", "parameter_finalizeValue",
                     "parameter_setValue"]
    assert rec.events[1][1] == {"node": node, "oldName": "Render", "newName": "beauty"}
    finalize = rec.events[3][1]
    assert finalize["node"] is node and finalize["param"] is node.getParameter("farmSettings.dependAll")
    node.delete()
    EventModule.ProcessAllEvents()
    assert rec.events[-1][0] == "node_delete"


def test_filters_by_type_and_id():
    rec = Recorder()
    EventModule.RegisterEventHandler(rec.handle, "custom", eventID=1)
    EventModule.QueueEvent("custom", 1, value="a")
    EventModule.QueueEvent("custom", 2, value="b")
    EventModule.QueueEvent("other", 1, value="c")
    assert EventModule.ProcessEvents() is True
    assert rec.events == [("custom", {"value": "a"})]
    assert EventModule.ProcessEvents() is False


def test_collapsed_handler_gets_three_tuples_once_per_pass():
    rec = Recorder()
    EventModule.RegisterCollapsedHandler(rec.collapsed, "parameter_finalizeValue")
    node = NodegraphAPI.CreateNode("Render")
    node.getParameter("farmSettings.dependAll").setValue(1, 0)
    node.getParameter("farmSettings.farmFileName").setValue("f", 0)
    EventModule.ProcessAllEvents()
    assert len(rec.batches) == 1
    batch = rec.batches[0]
    assert [len(item) for item in batch] == [3, 3]
    assert all(item[0] == "parameter_finalizeValue" and isinstance(item[2], dict) for item in batch)


def test_enabled_false_removes_handlers():
    rec = Recorder()
    EventModule.RegisterEventHandler(rec.handle, "custom")
    EventModule.RegisterCollapsedHandler(rec.collapsed, "custom")
    EventModule.RegisterEventHandler(rec.handle, "custom", enabled=False)
    EventModule.RegisterCollapsedHandler(rec.collapsed, "custom", enabled=False)
    EventModule.QueueEvent("custom", None)
    EventModule.ProcessAllEvents()
    assert rec.events == [] and rec.batches == []


def test_handlers_are_weakly_held():
    rec = Recorder()
    EventModule.RegisterEventHandler(rec.handle, "custom")
    seen = []
    keep = Recorder()
    keep.handle = lambda *a, **k: seen.append(a)  # instance attribute function: strong via `keep`
    EventModule.RegisterEventHandler(keep.handle, "custom")
    del rec
    gc.collect()
    EventModule.QueueEvent("custom", None)
    EventModule.ProcessAllEvents()
    assert seen == [("custom", None)]


def test_priority_order_and_process_all():
    order = []

    def handler(eventType, eventID, **kwargs):
        order.append(kwargs["n"])
        if kwargs["n"] == 1:
            EventModule.QueueEvent("custom", None, n=4)

    EventModule.RegisterEventHandler(handler, "custom")
    EventModule.QueueEvent("custom", None, n=1)
    EventModule.QueueEvent("custom", None, priority=-1, n=3)
    EventModule.QueuePriorityEvent("custom", None, n=0)
    EventModule.QueueEvent("custom", None, n=2)
    EventModule.ProcessEvents()
    assert order == [0, 1, 2, 3]
    EventModule.ProcessAllEvents()
    assert order == [0, 1, 2, 3, 4]


def test_pending_events_and_handler_errors(ksc):
    NodegraphAPI.CreateNode("Merge")
    assert [e[0] for e in ksc.pending_events()] == ["node_create"]

    def bad(eventType, eventID, **kwargs):
        raise ValueError("handler broke")

    EventModule.RegisterEventHandler(bad)
    EventModule.ProcessAllEvents()
    assert "handler broke" in ksc.handler_errors()[0][1]


def test_undo_stack_counts(ksc):
    UndoStack = Utils.UndoStack
    UndoStack.OpenGroup("Submit")
    try:
        UndoStack.DisableCapture()
        UndoStack.EnableCapture()
    finally:
        UndoStack.CloseGroup()
    stats = ksc.undo_stats()
    assert stats["OpenGroup"] == 1 and stats["CloseGroup"] == 1
    assert stats["DisableCapture"] == 1 and stats["EnableCapture"] == 1
    assert stats["depth"] == 0 and stats["unbalanced"] == 0
    assert stats["labels"] == ["Submit"]
    UndoStack.CloseGroup()
    assert ksc.undo_stats()["unbalanced"] == 1
