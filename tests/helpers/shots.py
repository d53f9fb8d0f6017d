"""Shots for submission tests: files on disk and payloads the sandbox accepts."""

import base64
import hashlib
import os

from ciokatana.core.filescene import FileScene
from ciokatana.core.plan import plan_submission
from ciokatana.core.settings import Settings

from conftest_paths import EXAMPLES


def b64md5(path):
    with open(path, "rb") as handle:
        return base64.b64encode(hashlib.md5(handle.read()).digest()).decode()


def make_files(folder, sizes, seed=b"ciokatana"):
    """Write files of the given sizes ({relative name: bytes}) with distinct contents; return their paths."""
    paths = []
    for name, size in sorted(sizes.items()):
        path = os.path.join(str(folder), name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        block = hashlib.sha256(seed + name.encode()).digest()
        data = (block * (size // len(block) + 1))[:size]
        with open(path, "wb") as handle:
            handle.write(data)
        paths.append(path)
    return paths


def base_payload(tasks=2):
    """A payload of the example shot, valid for the sandbox's catalog."""
    shot = FileScene(os.path.join(EXAMPLES, "shot010.json"))
    plan = plan_submission(shot.snapshot(), Settings.from_dict(shot.load_settings()))
    return dict(plan.payloads[0], upload_paths=[], tasks_data=plan.payloads[0]["tasks_data"][:tasks])


def payloads(count, files=(), per_job=None, bad=None, **extra):
    """``count`` payloads titled job1..jobN sharing ``files`` (or ``per_job[i]``)."""
    base = base_payload()
    out = []
    for i in range(count):
        paths = list(per_job[i]) if per_job is not None else list(files)
        payload = dict(base, job_title="job{}".format(i + 1), upload_paths=paths, **extra)
        if bad == i + 1:
            payload["project"] = "No Such Project"
        out.append(payload)
    return out
