"""Self-tests of the Katana stand-in (tests/katana_standin).

Puts the stand-in directory on ``sys.path`` and gives every test a fresh,
empty Katana session.
"""

import os
import sys

import pytest

STANDIN = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "katana_standin")
if STANDIN not in sys.path:
    sys.path.insert(0, STANDIN)

import katana_standin_control  # noqa: E402


@pytest.fixture(autouse=True)
def fresh_katana():
    katana_standin_control.reset()
    yield katana_standin_control
    katana_standin_control.reset()
    # ciokatana.qt reads sys.modules["KatanaInfo"] to pick a Qt binding; do not
    # leave the stand-in's version behind for tests that run later.
    sys.modules.pop("KatanaInfo", None)


@pytest.fixture
def ksc():
    return katana_standin_control
