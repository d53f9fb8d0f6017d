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
def ciocore_thread_exits_quietly():
    """Treat SystemExit in a thread as CPython's default excepthook does: silently.

    ciocore's uploader workers end their threads with ``exit()`` when they get
    their poison pill. pytest's session-wide thread excepthook reports that as
    an unhandled exception, which ``filterwarnings = error`` makes a failure.
    Other thread exceptions still reach pytest.

    Python 3.7 has no ``threading.excepthook`` (3.8+), and pytest has no
    thread-exception plugin there: a thread's SystemExit is already silent,
    so only the wait for ciocore's workers remains.
    """
    previous = getattr(threading, "excepthook", None)

    def hook(args):
        if args.exc_type is SystemExit:
            return
        previous(args)

    if previous is not None:
        threading.excepthook = hook
    try:
        yield
    finally:
        # Give ciocore's worker threads a moment to finish while the hook is on.
        deadline = time.time() + 3.0
        for thread in threading.enumerate():
            if thread.daemon and thread.name.split("-")[0] in _CIOCORE_WORKERS:
                thread.join(max(0.0, deadline - time.time()))
        if previous is not None:
            threading.excepthook = previous


_CIOCORE_WORKERS = {"MD5Worker", "MD5OutputWorker", "HttpBatchWorker", "FileStatWorker",
                    "UploadWorker"}


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
    ``worker.WORKING``); put them back too.
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
    return {k: v for k, v in env.items() if k != "PYTEST_CURRENT_TEST"}
