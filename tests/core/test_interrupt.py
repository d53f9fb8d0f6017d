"""A Ctrl-C whose KeyboardInterrupt Python lost still stops a submission.

Python raises Ctrl-C's KeyboardInterrupt wherever the main thread is; inside
one of its own callbacks (an import lock's weakref callback, seen in CI) it
prints "Exception ignored in ..." and goes on. The latch in
``core/interrupt.py`` remembers the Ctrl-C, so nothing is sent.
"""

import io
import os
import signal

import pytest

from ciokatana.core import interrupt, submission
from ciokatana.core.runner import CANCELLED, Runner, Source
from ciokatana.standalone.cli import main
from conftest_paths import EXAMPLES


@pytest.fixture
def latch():
    previous = signal.getsignal(signal.SIGINT)
    interrupt.install()
    yield
    interrupt.reset()
    signal.signal(signal.SIGINT, previous)


class Recording(Source):
    """Runs until cancelled, or 5 s (a submission nobody stopped)."""

    def __init__(self):
        self.ran = False

    def run(self, emit, control):
        self.ran = True
        control.wait(5.0)


def _lose_a_ctrl_c():
    """What happens when Python swallows the exception: the handler ran, nothing was raised."""
    try:
        os.kill(os.getpid(), signal.SIGINT)
    except KeyboardInterrupt:
        pass  # lost, as in an "Exception ignored in" callback


def test_a_lost_ctrl_c_before_the_run_sends_nothing(latch):
    _lose_a_ctrl_c()
    source = Recording()
    with pytest.raises(KeyboardInterrupt):
        submission.run_until_done(Runner(source), io.StringIO())
    assert not source.ran


def test_a_lost_ctrl_c_during_the_run_cancels_it(latch):
    import threading

    source = Recording()
    runner = Runner(source)
    threading.Timer(0.3, _lose_a_ctrl_c_from_another_thread).start()
    state = submission.run_until_done(runner, io.StringIO())
    assert source.ran and state == CANCELLED


def _lose_a_ctrl_c_from_another_thread():
    interrupt._PRESSED.set()  # the handler's effect, without an exception anywhere


def test_the_command_line_says_interrupted_and_submits_nothing(latch, capsys):
    _lose_a_ctrl_c()
    code = main(["submit", "--scene", os.path.join(EXAMPLES, "simple.json"), "--sandbox", "--quiet"])
    out, err = capsys.readouterr()
    assert code == 3 and "interrupted" in err
    assert "OK " not in out
