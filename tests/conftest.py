"""Test-wide setup: offscreen Qt before any Qt import, hypothesis profiles.

Tests mirror the package: tests/core (no Qt, no Katana), tests/standalone
(the command line), tests/sandbox, tests/ui (Qt), tests/katana (against the
Katana stand-in in tests/katana_standin).
"""

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from hypothesis import HealthCheck, settings

settings.register_profile("default", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", deadline=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = os.path.join(ROOT, "examples")
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
HELPERS = os.path.join(ROOT, "tests", "helpers")
if HELPERS not in sys.path:
    sys.path.insert(0, HELPERS)

pytest_plugins = ["sandbox_fixtures"]


import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def upload_record_in_tmp(tmp_path, monkeypatch):
    """The upload record every submission keeps goes to the test's tmp folder, never ~/.katana."""
    monkeypatch.setenv("CIOKATANA_UPLOAD_RECORD", str(tmp_path / "upload_record.json"))
