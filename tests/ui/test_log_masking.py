"""Opening the dialog installs log masking (ciocore runs in this process).

Runs in a fresh process: masking, once installed, lasts for the process.
"""

import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_open_dialog_installs_log_masking(tmp_path):
    scene = tmp_path / "simple.json"
    with open(os.path.join(ROOT, "examples", "simple.json"), encoding="utf-8") as handle:
        data = json.load(handle)
    data["katana_file"] = os.path.join(ROOT, "examples", data["katana_file"])
    scene.write_text(json.dumps(data))
    code = (
        "import io, logging\n"
        "from ciokatana.qt import QtWidgets\n"
        "from ciokatana.core.filescene import FileScene\n"
        "from ciokatana.ui import open_dialog\n"
        "app = QtWidgets.QApplication([])\n"
        "dialog = open_dialog(FileScene({scene!r}))\n"
        "stream = io.StringIO()\n"
        "logger = logging.getLogger('urllib3.connectionpool')\n"
        "logger.addHandler(logging.StreamHandler(stream)); logger.setLevel(logging.DEBUG)\n"
        "logger.debug('GET /oauth?client_id=%s', 'dialog-client-55aa11')\n"
        "assert 'dialog-client-55aa11' not in stream.getvalue(), stream.getvalue()\n"
        "assert 'GET /oauth?client_id=********' in stream.getvalue(), stream.getvalue()\n"  # masked, not dropped
        "dialog.close(); app.processEvents()\n"
    ).format(scene=str(scene))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
               CONDUCTOR_API_KEY=json.dumps({"client_id": "dialog-client-55aa11", "private_key": "p" * 20}))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
