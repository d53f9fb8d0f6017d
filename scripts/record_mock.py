#!/usr/bin/env python
"""Record scripts/mock_submission.json from a real run against the sandbox.

How the shipped mock was made, so anyone can remake it: the example shot's
four Render nodes are submitted through ciocore to an embedded Conductor
sandbox whose uploads are slowed (``--upload-delay`` seconds per file) so
that the recording shows uploads in progress, not just 0 % and 100 %.
By default (``--uploader shared``) the sample show is uploaded once for all
four jobs, then the jobs are created; ``--uploader stock`` records
ciocore's per-job path instead (job 1 uploads, jobs 2-4 find every file
cached; about 40 s).

Usage: python scripts/record_mock.py [--out FILE] [--upload-delay S] [--uploader shared|stock]
"""

import argparse
import os
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from ciokatana.core import submission  # noqa: E402
from ciokatana.core.filescene import FileScene  # noqa: E402
from ciokatana.core.settings import UPLOADERS, Settings  # noqa: E402
from ciokatana.standalone.demo import prepare_demo  # noqa: E402
from ciokatana.standalone.embedded import embedded_sandbox  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(HERE, "mock_submission.json"))
    parser.add_argument("--upload-delay", type=float, default=0.4)
    parser.add_argument("--uploader", choices=UPLOADERS, default="shared")
    args = parser.parse_args(argv)
    folder = os.path.join(tempfile.gettempdir(), "ciokatana-demo")
    shutil.rmtree(folder, ignore_errors=True)
    scene_path = prepare_demo(folder, sys.stdout)
    scene = FileScene(scene_path)
    prepared = submission.prepare(scene.snapshot(), Settings.from_dict(scene.load_settings()))
    home = os.path.join(folder, ".conductor-home")
    os.makedirs(home)
    with embedded_sandbox(None, home, sys.stdout) as (sandbox, cfg):
        sandbox.faults.add("upload", delay=args.upload_delay, times=None)
        spec = submission.SourceSpec(record_file=args.out, uploader=args.uploader,
                                     database_filepath=cfg.database_filepath, url=sandbox.url)
        run = submission.run_in_terminal(prepared, spec, sys.stdout, sys.stderr, url=sandbox.url)
    return 0 if run.ok else 1


if __name__ == "__main__":
    sys.exit(main())
