"""Fixtures for every test that talks to the Conductor sandbox through ciocore.

Loaded for the whole suite by tests/conftest.py (``pytest_plugins``):
``sandbox`` (a running Sandbox), ``ciocore_sandbox`` (this process's ciocore
pointed at it with a throw-away HOME, all global state restored after),
and two autouse guards: ciocore's worker threads may end with SystemExit
(CPython ignores that; so do we), and no test may leave a non-daemon thread
running.
"""

import os
import signal
import threading
import time

import pytest

from ciokatana.sandbox import Sandbox, configure_ciocore


@pytest.fixture(autouse=True)
def ciocore_thread_exits_quietly(request):
    """Treat SystemExit in a thread as CPython's default excepthook does: silently;
    and fail the test that leaves a ciocore worker thread running.

    ciocore's uploader workers end their threads with ``exit()`` when they get
    their poison pill. pytest's session-wide thread excepthook reports that as
    an unhandled exception, which ``filterwarnings = error`` makes a failure.
    Other thread exceptions still reach pytest.

    Python 3.7 has no ``threading.excepthook`` (3.8+), and pytest has no
    thread-exception plugin there: a thread's SystemExit is already silent.

    Leaks: a ciocore worker this test started (queue workers, MetricStore,
    ErrorThread) must end within :data:`CIOCORE_GRACE` seconds of the test;
    one that does not fails this test by name (issue 11.2: no ciocore thread
    may outlive ``done`` by more than a few seconds). ciocore's status
    threads (PrintStatusThread, ReporterThread) end on their own after a
    sleep of up to 5 s: they are not waited for here, but one still alive
    :data:`SLEEPER_GRACE` seconds after its test fails the test that finds
    it, naming the test that started it. A leaked thread is reported once,
    so no later test waits for it.
    """
    previous = getattr(threading, "excepthook", None)

    def hook(args):
        if args.exc_type is SystemExit:
            return
        previous(args)

    before = set(threading.enumerate())
    if previous is not None:
        threading.excepthook = hook
    try:
        yield
    finally:
        try:
            problems = _ciocore_leaks(before, request.node.nodeid)
        finally:
            if previous is not None:
                threading.excepthook = previous
        assert not problems, "ciocore threads outlived their test: " + "; ".join(problems)


CIOCORE_GRACE = 4.0
SLEEPER_GRACE = 8.0
CIOCORE_WORKERS = {"MD5Worker", "MD5OutputWorker", "HttpBatchWorker", "FileStatWorker",
                    "UploadWorker", "MetricStore", "ErrorThread"}
_CIOCORE_SLEEPERS = {"PrintStatusThread", "ReporterThread"}
_sleepers = {}  # thread -> (test id, when its test ended)
_reported = set()  # leaked threads already blamed on a test


def _ciocore_leaks(before, nodeid):
    """Join this test's ciocore workers (up to CIOCORE_GRACE s); describe any left."""
    now = time.monotonic()
    deadline = now + CIOCORE_GRACE
    problems = []
    leaked = []
    for thread in threading.enumerate():
        if thread in before or thread in _reported or not thread.is_alive():
            continue
        kind = thread.name.split("-")[0]
        if kind in _CIOCORE_SLEEPERS:
            _sleepers.setdefault(thread, (nodeid, now))
        elif kind in CIOCORE_WORKERS:
            thread.join(max(0.0, deadline - time.monotonic()))
            if thread.is_alive():
                leaked.append(thread.name)
                _reported.add(thread)
    if leaked:
        problems.append("{} left {} running {:g} s after it ended".format(
            nodeid, ", ".join(sorted(leaked)), CIOCORE_GRACE))
    for thread, (owner, ended) in list(_sleepers.items()):
        if not thread.is_alive():
            del _sleepers[thread]
        elif now - ended > SLEEPER_GRACE:
            del _sleepers[thread]
            _reported.add(thread)
            problems.append("{} left {} running over {:g} s after it ended".format(
                owner, thread.name, SLEEPER_GRACE))
    return problems


@pytest.fixture(autouse=True)
def no_leaked_threads():
    """Every test must leave only daemon threads (ciocore's workers are daemons)."""
    yield
    leaked = [
        t for t in threading.enumerate()
        if t is not threading.main_thread() and not t.daemon and t.is_alive()
    ]
    assert not leaked, "non-daemon threads left running: %s" % leaked


@pytest.fixture
def sandbox():
    sb = Sandbox().start()
    try:
        yield sb
    finally:
        sb.stop()
        alive = [t for t in threading.enumerate()
                 if t.name.startswith("ciokatana-sandbox") and t.is_alive()]
        assert not alive, "sandbox threads survived stop(): %s" % alive


@pytest.fixture
def ciocore_sandbox(sandbox, tmp_path):
    """A sandbox with this process's ciocore pointed at it; everything restored after.

    ciocore's uploader installs its own SIGINT handler when it runs on the main
    thread and keeps module globals (``common.SIGINT_EXIT``,
    ``worker.WORKING``); put them back too. The variables that point ciocore
    somewhere (``CONDUCTOR_*``, ``HOME``, ``USERPROFILE``) must be back as they
    were; what the test itself set (``monkeypatch.setenv("CIO_FEATURE_MOCK")``
    after this fixture, say) is its monkeypatch's to undo, later.
    """
    from ciocore import common, worker

    saved_env = dict(os.environ)
    saved_sigint = signal.getsignal(signal.SIGINT)
    home = tmp_path / "home"
    with configure_ciocore(sandbox.url, sandbox.api_key, str(home)) as cfg:
        sandbox.ciocore_config = cfg
        yield sandbox
    signal.signal(signal.SIGINT, saved_sigint)
    common.SIGINT_EXIT = False
    worker.WORKING = True
    assert _ours(os.environ) == _ours(saved_env)


def _ours(env):
    """The variables that decide which Conductor ciocore talks to, and as whom."""
    return {k: v for k, v in env.items() if k.startswith("CONDUCTOR_") or k in ("HOME", "USERPROFILE")}
