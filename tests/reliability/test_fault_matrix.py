"""The fault matrix (short mode): every endpoint x error/drop/slow/hang/lost answer x once/always,
random cancels with a fixed seed, and the ghost job, on the default (shared) path.

Each case is checked by ``matrix.run_case`` (one done, every job ended, no
run over timeout + 5 s, no unreported job on the service, no secret in any
output); the full matrix of both paths, with its figures, is
``python tests/reliability/matrix.py`` (see docs/reliability.md).
"""

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import matrix

TIMEOUT = 1.5
SAFE_TO_REPEAT = ("oauth", "upload_urls", "upload", "multipart_complete")


def _id(case):
    if "endpoint" in case:
        return "{endpoint}-{kind}-{times}".format(**case)
    return "cancel-at-{cancel_after}".format(**case)


CASES = list(matrix.matrix(["shared"], TIMEOUT))
CANCELS = list(matrix.cancels(["shared"], 4, timeout=TIMEOUT))


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_fault(case):
    record = matrix.run_case(**case)
    assert not record["violations"], record
    outcomes = record["outcomes"]
    endpoint, kind, times = case["endpoint"], case["kind"], case["times"]
    if kind == "slow" or (times == "once" and kind in ("error", "drop", "lost") and endpoint in SAFE_TO_REPEAT):
        assert record["state"] == "succeeded", record  # waited for, or retried because it is safe
    elif endpoint == "jobs" and kind in ("drop", "hang", "lost"):
        assert outcomes["job1"][0][0] == "may_exist", record  # never "failed" or "cancelled"
    else:
        assert record["state"] == "failed", record
    if kind == "hang":
        assert record["duration"] < TIMEOUT + 3.0, record


@pytest.mark.parametrize("case", CANCELS, ids=[_id(c) for c in CANCELS])
def test_cancel_at_a_random_moment(case):
    record = matrix.run_case(**case)
    assert not record["violations"], record


def test_ghost_job():
    record = matrix.run_case("shared", ghost=True, timeout=TIMEOUT)
    assert not record["violations"], record
    assert record["state"] == "cancelled" and record["outcomes"]["job2"] == [("may_exist", "JobMayHaveBeenCreated")]
    assert [title for title, _ in record["held"]] == ["job1", "job2"]  # the service did create it
