#!/usr/bin/env bash
# The main job on the embedded defaults, on a fresh machine: install
# ciokatana into .venv-demo and run `ciokatana demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
export PIP_DISABLE_PIP_VERSION_CHECK=1
[ -x .venv-demo/bin/python ] || "$PY" -m venv .venv-demo
.venv-demo/bin/python -m pip install -q . 2>&1 | grep -v "^WARNING: Location" || true
exec .venv-demo/bin/ciokatana demo "$@"
