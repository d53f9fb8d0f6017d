"""Log masking is installed in Katana sessions and by batch.submit.

Each check runs in a fresh process, since masking, once installed, lasts
for the process.
"""

import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
STANDIN = os.path.join(ROOT, "tests", "katana_standin")
HERE = os.path.dirname(os.path.abspath(__file__))
KEY = {"client_id": "katana-client-4d2e91", "private_key": "k" * 20}

CHECK = (
    "import io, logging\n"
    "stream = io.StringIO()\n"
    "logger = logging.getLogger('ciocore.api_client')\n"
    "logger.addHandler(logging.StreamHandler(stream)); logger.setLevel(logging.DEBUG)\n"
    "logger.debug('token for %s', 'katana-client-4d2e91')\n"
    "assert 'katana-client-4d2e91' not in stream.getvalue(), stream.getvalue()\n"
)

SETUP = (
    "import io, sys\n"
    "sys.path.insert(0, {standin!r}); sys.path.insert(0, {tests!r})\n"
    "import katana_standin_control as ksc\n"
)


@pytest.mark.parametrize("entry", ["batch", "session"])
def test_katana_entry_points_install_log_masking(tmp_path, entry):
    setup = SETUP.format(standin=STANDIN, tests=HERE)
    if entry == "batch":
        body = (
            "ksc.set_launch_mode('script')\n"
            "from ciokatana.katana import batch\n"
            "try:\n"
            "    batch.submit(stream=io.StringIO(), err=io.StringIO(), check_credentials=False)\n"
            "except Exception:\n"
            "    pass\n"
        )
    else:
        body = (
            "from ciokatana.katana import registration\n"
            "registration.register(opener=lambda scene: None, defer=False)\n"
        )
    env = dict(os.environ, CONDUCTOR_API_KEY=json.dumps(KEY))
    done = subprocess.run([sys.executable, "-c", setup + body + CHECK], capture_output=True, text=True, cwd=ROOT, env=env)
    assert done.returncode == 0, done.stderr


def test_the_command_line_installs_it_for_every_subcommand(tmp_path):
    body = (
        "from ciokatana.standalone.cli import main\n"
        "import contextlib\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['preview', '--scene', {scene!r}])\n"
    ).format(scene=os.path.join(ROOT, "examples", "simple.json"))
    env = dict(os.environ, CONDUCTOR_API_KEY=json.dumps(KEY))
    done = subprocess.run([sys.executable, "-c", "import io\n" + body + CHECK], capture_output=True, text=True, cwd=ROOT, env=env)
    assert done.returncode == 0, done.stderr
