#!/usr/bin/env python
"""Record scripts/mock_submission.json from a real run against the sandbox.

How the shipped mock was made, so anyone can remake it: the example shot's
four Render nodes are submitted through ciocore to an embedded Conductor
sandbox whose uploads are slowed (``--upload-delay`` seconds per file) so
that the recording shows uploads in progress, not just 0 % and 100 %.
Job 1 uploads the sample show; jobs 2-4 find every file cached.

Usage: python scripts/record_mock.py [--out FILE] [--upload-delay S]
"""

import argparse
import os
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from ciokatana.core.filescene import FileScene  # noqa: E402
from ciokatana.core.plan import plan_submission  # noqa: E402
from ciokatana.core.settings import Settings  # noqa: E402
from ciokatana.standalone.submit import embedded_sandbox, prepare_demo, submit_plan  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(HERE, "mock_submission.json"))
    parser.add_argument("--upload-delay", type=float, default=0.4)
    args = parser.parse_args(argv)
    folder = os.path.join(tempfile.gettempdir(), "ciokatana-demo")
    shutil.rmtree(folder, ignore_errors=True)
    scene_path = prepare_demo(folder, sys.stdout)
    scene = FileScene(scene_path)
    plan = plan_submission(scene.snapshot(), Settings.from_dict(scene.load_settings()))
    home = os.path.join(folder, ".conductor-home")
    os.makedirs(home)
    run_args = argparse.Namespace(record=args.out, quiet=False, mock=None, interval=0.0)
    with embedded_sandbox(None, home, sys.stdout) as (sandbox, cfg):
        sandbox.faults.add("upload", delay=args.upload_delay, times=None)
        return submit_plan(plan, run_args, sys.stdout, sys.stderr, cfg.database_filepath, sandbox.url)


if __name__ == "__main__":
    sys.exit(main())
