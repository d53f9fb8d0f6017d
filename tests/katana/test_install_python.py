"""The installer refuses a Python the plugin cannot run on (Katana 3 and older).

Layer: tests/katana (no Qt). ciokatana runs in Katana 4.0 and later (Python
3.7+); post_install.py itself runs on any Python, so it must say so instead
of registering a SuperTool that would fail when Katana loads it.
"""

import argparse
import io
import os
import shutil
import subprocess

import pytest

from ciokatana import post_install

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run(argv):
    parser = argparse.ArgumentParser()
    post_install.add_arguments(parser)
    out, err = io.StringIO(), io.StringIO()
    code = post_install.run(parser.parse_args(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_install_on_python_36_is_refused_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(post_install, "PYTHON", (3, 6, 15))
    code, out, err = run(["--dir", str(tmp_path / "res")])
    assert code == post_install.EXIT_ERROR
    assert "needs Python 3.7 or newer" in err and "this is Python 3.6.15" in err
    assert "Katana 4.x/5.x: 3.7" in err
    assert not (tmp_path / "res").exists()


def test_uninstall_still_works_on_an_old_python(tmp_path, monkeypatch):
    target = tmp_path / "res"
    assert run(["--dir", str(target)])[0] == 0
    monkeypatch.setattr(post_install, "PYTHON", (2, 7, 18))
    code, out, err = run(["--dir", str(target), "--uninstall"])
    assert code == 0, err
    assert not [p for p in target.rglob("*.py")]


def _old_python(version):
    """A pyenv-installed Python ``version`` (e.g. "2.7"), or None."""
    if not shutil.which("pyenv"):
        return None
    root = subprocess.run(["pyenv", "root"], stdout=subprocess.PIPE, universal_newlines=True,
                          check=False).stdout.strip()
    folder = os.path.join(root, "versions")
    names = sorted(os.listdir(folder)) if os.path.isdir(folder) else []
    found = [os.path.join(folder, n, "bin", "python") for n in names if n.startswith(version + ".")]
    return found[-1] if found else None


@pytest.mark.parametrize("version", ["2.7", "3.6"])
def test_the_script_refuses_when_run_by_an_old_python(tmp_path, version):
    python = _old_python(version)
    if not python:
        pytest.skip("no Python {} here (pyenv)".format(version))
    result = subprocess.run([python, os.path.join(ROOT, "post_install.py"), "--dir", str(tmp_path / "res")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
                            timeout=60, check=False)
    assert result.returncode == post_install.EXIT_ERROR, result.stdout + result.stderr
    assert "needs Python 3.7 or newer" in result.stderr
    assert not (tmp_path / "res").exists()
