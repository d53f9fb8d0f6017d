#!/usr/bin/env bash
# Every check CI runs (.ci/run calls this), on a fresh machine: it builds its
# own virtualenvs (.venv-test-*) and installs ciokatana with its test tools.
#
#   1. checks on Python 3.11: the plugin is Python 3.7 syntax (vermin), lint (ruff),
#      the Katana adapter against Katana's API stubs (mypy, types-katana)
#   2. the tests without Qt (core, CLI, sandbox, Katana adapter on the stand-in)
#      on the Python of every supported Katana, one venv each:
#        3.7  Katana 4.x, 5.x   ciocore 7.0.2 (the newest that installs on 3.7)
#        3.9  Katana 6.x        ciocore 9.x
#        3.10 Katana 7.x        ciocore 8.0.0 (the oldest setup.py allows there)
#        3.11 Katana 8.x        ciocore 9.x
#      These suites mostly wait on ciocore's uploader (it polls every 5 s), so
#      they run side by side.
#   3. benchmarks in short mode on 3.11 (figures only, nothing asserted)
#   4. the UI tests on 3.11 with PySide6, PyQt5 and PySide2 (offscreen)
# and ends with a table of what ran where.
#
# Usage: scripts/test.sh [pytest args...]
#   CIOKATANA_PYTHONS="3.7 3.11"  limit step 2's Pythons (default: 3.7 3.9 3.10 3.11; "" for none)
#   CIOKATANA_BINDINGS="pyside6"  limit step 4's bindings (default: pyside6 pyqt5 pyside2; "" for none)
#   CIOKATANA_TEST_JOBS=1         how many of step 2's suites run at once (default 4)
# Interpreters come from $(pyenv root)/versions/3.X.*, else python3.X on PATH.
# A missing one is reported and skipped; when CI is set, that fails the run.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PYTHONS=${CIOKATANA_PYTHONS-"3.7 3.9 3.10 3.11"}
BINDINGS=${CIOKATANA_BINDINGS-"pyside6 pyqt5 pyside2"}
JOBS=${CIOKATANA_TEST_JOBS:-4}
export QT_QPA_PLATFORM=offscreen
export PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
LOGS=$(mktemp -d "${TMPDIR:-/tmp}/ciokatana-test.XXXXXX")
trap 'rm -rf "$LOGS"' EXIT
START=$SECONDS
FAILED=0
STEPS=()  # result keys, in the order of the summary

section() { printf '\n==== %s ====\n' "$*"; }
note() { printf '  .. %s\n' "$*"; }

# What each Python gets beyond setup.py's markers: 3.10 tests the floor of the
# ciocore range for Python 3.8+ (3.9 and 3.11 get the newest).
extra_requirements() {
  case $1 in
    3.10) echo "ciocore==8.0.0" ;;
  esac
}
venv_name() {  # 3.11 keeps the name the developer guide uses
  case $1 in 3.11) echo core ;; *) echo "py${1/./}" ;; esac
}

find_python() {  # find_python 3.7 -> the path of a Python 3.7, or nothing
  local want=$1 root="" cand
  if command -v pyenv >/dev/null 2>&1; then root=$(pyenv root 2>/dev/null || true); fi
  root=${root:-${PYENV_ROOT:-$HOME/.pyenv}}
  for cand in $(ls -d "$root"/versions/"$want".*/bin/python 2>/dev/null | sort -rV) \
              "$(command -v "python$want" 2>/dev/null)" "$(command -v python3 2>/dev/null)"; do
    [ -n "$cand" ] && [ -x "$cand" ] || continue
    if [ "$("$cand" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" = "$want" ]; then
      echo "$cand"
      return 0
    fi
  done
  return 1
}

record() {  # record KEY STEP PYTHON CIOCORE RESULT TESTS SECONDS (see STEPS)
  printf '%s|%s|%s|%s|%s|%s\n' "$2" "$3" "$4" "$5" "$6" "$7" > "$LOGS/$1.result"
}

count_of() {  # count_of "3 failed, 5 passed" passed -> 5 (0 when absent)
  local n
  n=$(echo "$1" | grep -oE "[0-9]+ $2" | head -n 1 | cut -d' ' -f1)
  echo "${n:-0}"
}

pytest_counts() {  # the closing counts of a pytest run's output file
  tail -n 5 "$1" | grep -E '[0-9]+ (passed|failed|error|errors|skipped|deselected)' | tail -n 1 \
    | sed -E 's/^=+ //; s/ in [0-9.]+s.*$//; s/ =+$//'
}

make_venv() {  # make_venv NAME PYTHON EXTRAS [pip args...]: builds or updates .venv-test-NAME from $WHEEL
  local dir="$ROOT/.venv-test-$1" python=$2 extras=$3; shift 3
  local want
  want=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  if [ -x "$dir/bin/python" ] && [ "$("$dir/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" != "$want" ]; then
    rm -rf "$dir"
  fi
  [ -x "$dir/bin/python" ] || "$python" -m venv "$dir" || return 1
  # The wheel's version does not change between runs: force this checkout's files in.
  pip_quietly "$dir" --upgrade "pip>=23" && pip_quietly "$dir" "$WHEEL[$extras]" "$@" \
    && pip_quietly "$dir" --force-reinstall --no-deps "$WHEEL" && "$dir/bin/python" -c "import ciokatana"
}

pip_quietly() {  # pip_quietly VENV ARGS...: pip install, without this machine's index notices
  local out rc=0
  out=$("$1/bin/python" -m pip install -q "${@:2}" 2>&1) || rc=$?
  [ -z "$out" ] || echo "$out" | grep -v "^WARNING: Location" || true
  return $rc
}

ciocore_of() {
  "$1/bin/python" -c "from ciokatana.core import ciocompat; print(ciocompat.CIOCORE_VERSION)" 2>/dev/null || echo "?"
}

# One Python's suite without Qt: venv, install, tests. Writes its log and result.
run_python() {  # run_python 3.7 [pytest args...]
  local want=$1; shift
  local key="py-$want" log="$LOGS/py-$want.log" started=$SECONDS python name dir extra
  python=$(find_python "$want") || {
    echo "no Python $want found (looked in \$(pyenv root)/versions/$want.* and for python$want on PATH); install it with: pyenv install $want" > "$log"
    record "$key" "tests without Qt" "$want" "-" "MISSING" "-" 0
    return 0
  }
  name=$(venv_name "$want")
  dir="$ROOT/.venv-test-$name"
  extra=$(extra_requirements "$want")
  {
    echo "interpreter: $python"
    local t0=$SECONDS
    if ! make_venv "$name" "$python" test $extra; then
      echo "could not build $dir"
      record "$key" "tests without Qt" "$("$python" -V 2>&1 | cut -d' ' -f2)" "-" "FAILED" "install failed" $((SECONDS - started))
      return 0
    fi
    echo "venv: .venv-test-$name, installed in $((SECONDS - t0)) s; ciocore $(ciocore_of "$dir")"
    "$dir/bin/python" -m pip list 2>/dev/null | grep -iE '^(ciocore|pytest|hypothesis|requests|pyjwt) ' | sed 's/^/  /'
    echo
  } > "$log" 2>&1
  local rc=0
  # Suites run side by side: each gets its own temp dir (ciocore's default md5
  # cache lives there).
  mkdir -p "$LOGS/tmp-$want"
  TMPDIR="$LOGS/tmp-$want" PATH="$dir/bin:$PATH" "$dir/bin/python" -m pytest -q --ignore=tests/ui --ignore=tests/katana/ui \
    -p no:pytest-qt "$@" >> "$log" 2>&1 || rc=$?
  local result=ok
  [ $rc -eq 0 ] || result=FAILED
  record "$key" "tests without Qt" "$("$dir/bin/python" -V 2>&1 | cut -d' ' -f2)" "$(ciocore_of "$dir")" \
    "$result" "$(pytest_counts "$log")" $((SECONDS - started))
}

# -- 1. checks ---------------------------------------------------------------
section "checks on Python 3.11: Python 3.7 syntax (vermin), lint (ruff), Katana API types (mypy)"
PY311=$(find_python 3.11) || { echo "Python 3.11 is needed for the checks and the UI tests"; exit 1; }
started=$SECONDS
# One wheel (pure Python, py3-none-any) for every venv: installs running side by
# side from the source folder would share its build/ folder and collide.
"$PY311" -m pip wheel -q --no-deps -w "$LOGS/wheel" "$ROOT" > "$LOGS/wheel.log" 2>&1 \
  || { grep -v "^WARNING: Location" "$LOGS/wheel.log"; exit 1; }
WHEEL=$(ls "$LOGS"/wheel/ciokatana-*.whl)
make_venv core "$PY311" test > "$LOGS/core-venv.log" 2>&1 || { cat "$LOGS/core-venv.log"; exit 1; }
CORE="$ROOT/.venv-test-core"
note "venv .venv-test-core ready in $((SECONDS - started)) s"
result=ok
TOO_NEW=$("$CORE/bin/vermin" -q -t=3.7- --violations --no-tips ciokatana $( [ -f post_install.py ] && echo post_install.py ) || true)
if [ -n "$TOO_NEW" ]; then
  echo "$TOO_NEW"; echo "vermin: the code above needs a Python newer than 3.7"; result=FAILED
else
  echo "ok: plugin code is valid Python 3.7"
fi
"$CORE/bin/ruff" check ciokatana tests scripts bench $( [ -f post_install.py ] && echo post_install.py ) || result=FAILED
# The Katana adapter against Katana 5.0v5's API (katana stream): the stubs come
# with the test extra; ignores are allowed only where the stubs are
# incomplete, each with a comment.
echo "types: the Katana adapter against Katana 5.0v5's API (mypy, types-katana stubs)"
"$CORE/bin/python" -m mypy --check-untyped-defs --follow-imports=silent --cache-dir "$ROOT/.mypy_cache" \
  ciokatana/katana ciokatana/post_install.py $( [ -f post_install.py ] && echo post_install.py ) || result=FAILED
STEPS+=(checks)
record checks "checks (vermin, ruff, mypy)" "$("$CORE/bin/python" -V | cut -d' ' -f2)" "-" "$result" "-" $((SECONDS - started))

# -- 2. tests without Qt on every Python ------------------------------------------
section "tests without Qt on Python $(echo $PYTHONS | sed 's/ /, /g') ($JOBS at a time)"
running=0
for want in $PYTHONS; do
  STEPS+=("py-$want")
  if [ "$running" -ge "$JOBS" ]; then wait -n; running=$((running - 1)); fi
  note "Python $want: started"
  ( run_python "$want" "$@"; IFS='|' read -r _ _ _ res counts secs < "$LOGS/py-$want.result"
    note "Python $want: $res ${counts:+($counts) }after ${secs} s" ) &
  running=$((running + 1))
done
wait
for want in $PYTHONS; do
  section "tests without Qt: Python $want"
  cat "$LOGS/py-$want.log"
done

# -- 3. benchmarks --------------------------------------------------------------------
section "benchmarks on Python 3.11 (short mode; figures only, nothing asserted)"
started=$SECONDS
result=ok
for bench in bench/bench_*.py; do
  case $bench in bench/bench_ui_*) continue ;; esac
  "$CORE/bin/python" "$bench" --short || result=FAILED
done
STEPS+=(bench)
record bench "benchmarks (short)" "$("$CORE/bin/python" -V | cut -d' ' -f2)" "$(ciocore_of "$CORE")" "$result" "-" $((SECONDS - started))

# -- 4. UI tests per binding --------------------------------------------------------------
[ -d tests/ui ] || BINDINGS=""
for binding in $BINDINGS; do
  STEPS+=("ui-$binding")
  section "UI tests on Python 3.11 with $binding"
  started=$SECONDS
  case $binding in
    pyside2) extra="pytest-qt<4.3" ;;  # pytest-qt 4.3 dropped PySide2
    *) extra="" ;;
  esac
  log="$LOGS/ui-$binding.log"
  if ! make_venv "$binding" "$PY311" "test,$binding" $extra > "$LOGS/ui-$binding-venv.log" 2>&1; then
    cat "$LOGS/ui-$binding-venv.log"
    record "ui-$binding" "UI tests $binding" "3.11" "-" "FAILED" "install failed" $((SECONDS - started))
    continue
  fi
  DIR="$ROOT/.venv-test-$binding"
  note "venv .venv-test-$binding ready in $((SECONDS - started)) s"
  result=ok
  CIOKATANA_QT_API=$binding PATH="$DIR/bin:$PATH" "$DIR/bin/python" -m pytest -q tests/ui tests/katana/ui "$@" 2>&1 \
    | tee "$log" || result=FAILED
  if [ -z "${UI_BENCH_DONE:-}" ]; then
    section "UI benchmark on $binding (short mode; figures only)"
    CIOKATANA_QT_API=$binding "$DIR/bin/python" bench/bench_ui_progress.py --short || result=FAILED
    UI_BENCH_DONE=1
  fi
  record "ui-$binding" "UI tests $binding" "$("$DIR/bin/python" -V | cut -d' ' -f2)" "$(ciocore_of "$DIR")" \
    "$result" "$(pytest_counts "$log")" $((SECONDS - started))
done

# -- summary ----------------------------------------------------------------------------------
section "summary"
printf '%-28s %-8s %-8s %-8s %-40s %6s\n' "step" "python" "ciocore" "result" "tests" "time"
passed=0; failed=0; skipped=0; missing=""
for key in "${STEPS[@]}"; do
  IFS='|' read -r step python ciocore res counts secs < "$LOGS/$key.result"
  printf '%-28s %-8s %-8s %-8s %-40s %5ss\n' "$step" "$python" "$ciocore" "$res" "$counts" "$secs"
  case $res in
    FAILED) FAILED=1 ;;
    MISSING) missing="$missing $python" ;;
  esac
  passed=$((passed + $(count_of "$counts" passed)))
  failed=$((failed + $(count_of "$counts" failed) + $(count_of "$counts" error)))
  skipped=$((skipped + $(count_of "$counts" skipped)))
done
echo "wall time: $((SECONDS - START)) s"
if [ -n "$missing" ]; then
  echo "not run: no interpreter for Python$missing (see its section above)"
  if [ -n "${CI:-}" ]; then FAILED=1; fi
fi
# One closing line for the whole run (pytest prints one per suite above).
echo "total: $passed passed, $failed failed, $skipped skipped"
if [ "$FAILED" -ne 0 ]; then
  echo "SOME CHECKS FAILED (see the table above)"
  exit 1
fi
echo "all checks passed"
