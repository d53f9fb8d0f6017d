"""Issue 11 items 7 and 8: mock replay edge cases and an early Ctrl-C.

One-line files are streamed (the layout check never reads one whole),
events with wrong field types stop the replay with a clear error and the
run is not "OK", a FIFO is refused instead of hanging, a UTF-8 BOM is
accepted, escape sequences never reach the terminal raw, and Ctrl-C at any
moment of start-up gives one line, not a traceback.
"""

import io
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from ciokatana.core import mock as mock_mod
from ciokatana.core.console import TerminalReporter
from fifos import error_opening_a_fifo
from ciokatana.core.mock import MockFileError, MockReplay, check_mock_file
from ciokatana.core.printable import json_printable, printable
from ciokatana.core.runner import FAILED, SUCCEEDED, Runner
from ciokatana.standalone.cli import main

from conftest_paths import EXAMPLES, ROOT

SHIPPED = os.path.join(ROOT, "scripts", "mock_submission.json")
SHOT = os.path.join(EXAMPLES, "shot010.json")


def load(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def events(title="job1"):
    return [
        {"event": "start", "data": {"job_count": 1}},
        {"event": "job_start", "data": {"job_index": 0, "job_title": title}},
        {"event": "response", "data": {"body": "ok", "jobid": "00001", "status": "success", "uri": "/j/1",
                                       "response_code": 201, "job_title": title}},
        {"event": "done", "data": {}},
    ]


def replay(path):
    seen = []
    runner = Runner(MockReplay(str(path), 0.0), seen.append)
    runner.run()
    return runner.state, seen


class CountingReader:
    """Wraps a binary file and records the biggest single read."""

    def __init__(self, handle):
        self.handle = handle
        self.largest = 0

    def __getattr__(self, name):
        return getattr(self.handle, name)

    def readline(self, size=-1):
        line = self.handle.readline(size)
        self.largest = max(self.largest, len(line))
        return line

    def read(self, size=-1):
        data = self.handle.read(size)
        self.largest = max(self.largest, len(data))
        return data


def test_the_layout_check_never_reads_a_one_line_file_whole(tmp_path):
    path = tmp_path / "one_line.json"
    items = events()
    progress = next(e for e in load(SHIPPED) if e["event"] == "progress")
    items[2:2] = [progress for _ in range(200)]
    path.write_text(json.dumps(items))  # one line, about 100 KB
    size = path.stat().st_size
    with open(str(path), "rb") as raw:
        reader = CountingReader(raw)
        assert mock_mod._is_line_layout(reader) is False
    assert reader.largest < 1024 < size
    state, seen = replay(path)
    assert state == SUCCEEDED and len(seen) == len(items)


@pytest.mark.parametrize("field,value,shown", [
    ("job_index", "abc", "job_index = 'abc': it must be a whole number"),
    ("job_title", 5, "job_title = 5: it must be a string"),
    ("percent_complete", "50%", "percent_complete = '50%': it must be a number"),
    ("file_progress", [], "file_progress = []: it must be a object"),
    ("elapsed_time", True, "elapsed_time = True: it must be a number of seconds"),
    ("time_remaining", "soon", "time_remaining = 'soon': it must be a number of seconds or null"),
])
def test_wrong_field_types_stop_the_replay_with_a_clear_error_and_the_run_is_not_ok(tmp_path, field, value, shown):
    data = load(SHIPPED)
    progress = next(i for i, e in enumerate(data) if e["event"] == "progress")
    target = data[progress] if field not in ("job_index", "job_title") else data[1]
    target["data"][field] = value
    path = tmp_path / "bad_types.json"
    path.write_text(json.dumps(data))
    state, seen = replay(path)
    errors = [e for e in seen if e.type == "error"]
    assert state == FAILED and errors and errors[-1].data["exception_type"] == "MockFileError"
    assert shown in errors[-1].data["exception"]
    assert seen[-1].type == "done"


@pytest.mark.parametrize("entry,shown", [
    (5, "file_progress['/a'] = 5: it must be an object"),
    ({"bytes_uploaded": "lots"}, "file_progress['/a'].bytes_uploaded = 'lots'"),
    ({"already_uploaded": "no"}, "file_progress['/a'].already_uploaded = 'no'"),
    ({"md5": ["x"]}, "file_progress['/a'].md5 = ['x']"),
])
def test_a_wrong_typed_file_progress_entry_fails_the_run_without_a_traceback(tmp_path, capsys, entry, shown):
    data = load(SHIPPED)
    progress = next(i for i, e in enumerate(data) if e["event"] == "progress")
    data[progress]["data"]["file_progress"] = {"/a": entry}
    path = tmp_path / "bad_entry.json"
    path.write_text(json.dumps(data))
    code = main(["submit", "--scene", SHOT, "--mock", str(path)])
    out, err = capsys.readouterr()
    assert code == 1 and "Traceback" not in out + err, out + err
    assert "FAILED" in out and shown in out, out


def test_a_job_index_beyond_the_announced_count_is_refused_not_shown_as_100_of_1(tmp_path, capsys):
    data = events()
    data[1]["data"]["job_index"] = 99
    path = tmp_path / "index.json"
    path.write_text(json.dumps(data))
    code = main(["submit", "--scene", SHOT, "--mock", str(path)])
    out, err = capsys.readouterr()
    assert code == 1 and "[100/1]" not in out
    assert "job_index 99, but its start event announced 1 job(s)" in out, out


@pytest.mark.parametrize("layout", ["lines", "one_line", "first_event"])
def test_a_mock_nested_20000_deep_is_a_plain_error_not_a_recursion_error(tmp_path, capsys, layout):
    deep = "[" * 20000 + "]" * 20000
    start = '{"event": "start", "data": {"job_count": 1}}'
    nested = '{"event": "job_start", "data": {"job_index": 0, "job_title": "x", "extra": %s}}' % deep
    text = {"lines": "[\n" + start + ",\n" + nested + "\n]\n", "one_line": "[" + start + ", " + nested + "]",
            "first_event": '[{"event": "start", "data": {"job_count": 1, "x": %s}}]' % deep}[layout]
    path = tmp_path / "deep.json"
    path.write_text(text)
    code = main(["submit", "--scene", SHOT, "--mock", str(path)])
    out, err = capsys.readouterr()
    assert code in (1, 2) and "Recursion" not in out + err and "Traceback" not in out + err
    assert "nested thousands of levels deep" in out + err


def test_wrong_field_types_end_the_cli_run_failed_without_a_traceback(tmp_path, capsys):
    data = load(SHIPPED)
    data[1]["data"]["job_index"] = {"nested": 1}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    code = main(["submit", "--scene", SHOT, "--mock", str(path)])
    out, err = capsys.readouterr()
    assert code == 1 and "Traceback" not in out + err
    assert "FAILED" in out and "job_index" in out


def test_a_fifo_is_refused_at_once_instead_of_hanging(tmp_path):
    assert "not a regular file" in error_opening_a_fifo(tmp_path, check_mock_file, MockFileError)


def test_the_cli_refuses_a_fifo_mock_in_one_line(tmp_path, capsys):
    fifo = str(tmp_path / "mock.fifo")
    os.mkfifo(fifo)
    code = main(["submit", "--scene", SHOT, "--mock", fifo])
    _out, err = capsys.readouterr()
    assert code == 2 and "not a regular file" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("layout", ["lines", "one_line", "indented"])
def test_a_utf8_byte_order_mark_is_accepted(tmp_path, layout):
    items = events()
    if layout == "lines":
        text = "[\n" + ",\n".join(json.dumps(e) for e in items) + "\n]\n"
    elif layout == "one_line":
        text = json.dumps(items)
    else:
        text = json.dumps(items, indent=2)
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert check_mock_file(str(path)) == 1
    state, seen = replay(path)
    assert state == SUCCEEDED and [e.type for e in seen] == ["start", "job_start", "response", "done"]


HOSTILE = "beauty\x1b[2J\x1b]0;pwned\x07\u202eevil\x9b31m"


def test_escape_sequences_in_job_titles_never_reach_the_terminal_raw(tmp_path):
    path = tmp_path / "escape.json"
    path.write_text(json.dumps(events(title=HOSTILE)))
    stream = io.StringIO()
    reporter = TerminalReporter(stream, tty=False)
    Runner(MockReplay(str(path), 0.0), reporter).run()
    text = stream.getvalue() + reporter.summary()
    for raw in ("\x1b", "\x07", "\u202e", "\x9b"):
        assert raw not in text
    assert "beauty\\x1b[2J" in text and "\\u202eevil" in text


def test_escape_sequences_in_node_names_never_reach_the_terminal_raw(tmp_path, capsys):
    data = load(SHOT)
    data["katana_file"] = os.path.join(EXAMPLES, data["katana_file"])
    data["render_nodes"][0]["name"] = HOSTILE
    data["render_nodes"][0]["outputs"] = []
    path = tmp_path / "scene.json"
    path.write_text(json.dumps(data))
    for argv in (["validate", "--scene", str(path)], ["preview", "--scene", str(path)],
                 ["preview", "--scene", str(path), "--node", HOSTILE + "x"]):
        main(argv)
        out, err = capsys.readouterr()
        for raw in ("\x1b", "\x07", "\u202e", "\x9b"):
            assert raw not in out + err, argv


def test_preview_json_keeps_its_value_with_c1_and_bidi_escaped(tmp_path, capsys):
    data = load(SHOT)
    data["katana_file"] = os.path.join(EXAMPLES, data["katana_file"])
    data["render_nodes"][0]["name"] = HOSTILE
    path = tmp_path / "scene.json"
    path.write_text(json.dumps(data))
    assert main(["preview", "--scene", str(path), "--node", HOSTILE]) == 0
    out, _err = capsys.readouterr()
    assert "\x9b" not in out and "\u202e" not in out and "\x1b" not in out
    assert json.loads(out)[0]["job_title"].endswith(HOSTILE)


def test_printable_keeps_ordinary_text():
    text = "Katana shot010 beauty\tno. 1\nline two é 漢"
    assert printable(text) == text and json_printable(text) == text


# -- Ctrl-C at start-up -------------------------------------------------------

INJECT = r"""
import builtins, sys
target = sys.argv[1]
real_import = builtins.__import__
def interrupting_import(name, *args, **kwargs):
    if name == target:
        builtins.__import__ = real_import
        raise KeyboardInterrupt
    return real_import(name, *args, **kwargs)
builtins.__import__ = interrupting_import
sys.argv = ["ciokatana", "submit", "--scene", sys.argv[2], "--mock", sys.argv[3]]
from ciokatana.standalone.entry import console_main
console_main()
"""


@pytest.mark.parametrize("module", ["ciokatana.standalone.cli", "ciocore.package_environment", "json_stream", "argparse", "ciokatana.core.mock"])
def test_ctrl_c_while_modules_load_is_one_line(module):
    done = subprocess.run([sys.executable, "-c", INJECT, module, SHOT, SHIPPED], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)
    assert done.returncode == 3, done.stderr
    assert "Traceback" not in done.stderr and done.stderr.strip().splitlines() == ["ciokatana: interrupted"]


def _our_traceback(stderr):
    """A traceback that passes through ciokatana's code (one raised inside
    Python's own start-up, before any of it runs, is the interpreter's)."""
    return "Traceback" in stderr and ("ciokatana" in stderr.split("Traceback", 1)[1].replace("__editable___ciokatana", ""))


def default_ctrl_c():
    """In the child: Ctrl-C does what it does in a terminal. A parent that
    ignores SIGINT (a shell's background job, some CI runners) would
    otherwise pass SIG_IGN on through exec, and Python then never turns
    Ctrl-C into KeyboardInterrupt: the run goes on and ends with 0."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


# The child marks (a file) that it runs our entry point, as the console
# script does (it imports entry.py, tiny, then calls console_main), so a
# signal can no longer land between fork and exec, where the parent's
# Python handler would swallow it, or in the test's own -c line. Every
# delay after the mark falls in ciokatana's start-up: importing ciocore and
# the rest, reading the scene, planning.
EARLY_CHILD = ("import sys; marker = sys.argv.pop(1); from ciokatana.standalone.entry import console_main; "
               "open(marker, 'w').close(); console_main()")


def wait_for(path, timeout=60.0):
    deadline = time.monotonic() + timeout
    while not os.path.exists(path):
        if time.monotonic() > deadline:
            pytest.fail("the child never started")
        time.sleep(0.001)


def test_ctrl_c_in_the_first_tenth_of_a_second_prints_no_traceback(tmp_path):
    """From the moment the entry point is called (before ciocore or the CLI
    is imported) to well into the run, a Ctrl-C always ends in one line,
    exit 3."""
    for number, delay in enumerate((0.0, 0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.07, 0.1, 0.2)):
        marker = str(tmp_path / "started{}".format(number))
        entry = [sys.executable, "-c", EARLY_CHILD, marker, "submit", "--scene", SHOT, "--mock", SHIPPED,
                 "--interval", "0.2"]
        proc = subprocess.Popen(entry, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                                preexec_fn=default_ctrl_c)
        wait_for(marker)
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=60)
        assert not _our_traceback(err), (delay, err)
        # Never lost (exit 0). Right after the mark (or, on a loaded machine,
        # well after it) the signal may still land in the test's own -c line
        # (inside its open() of the marker, or before console_main's try):
        # Python then prints a traceback through "<string>" only and ends by
        # SIGINT (-2; 1 on Python 3.7). Anywhere else it must be our exit 3.
        in_test_line = "Traceback" in err and 'File "<string>"' in err
        allowed = (1, -signal.SIGINT) if in_test_line else (3,)
        assert proc.returncode in allowed, (delay, proc.returncode, err)
        if proc.returncode == 3:
            assert "interrupted" in err or "Cancelling" in err, (delay, err)


@pytest.mark.slow
def test_debug_log_lines_show_escape_sequences_from_node_names_not_obey_them(tmp_path):
    scene = load(os.path.join(EXAMPLES, "simple.json"))
    scene["render_nodes"][0]["name"] = "Render\x1b[2J\x1b]0;pwned\x07"
    scene["katana_file"] = os.path.join(EXAMPLES, scene["katana_file"])
    path = tmp_path / "escape.json"
    path.write_text(json.dumps(scene))
    proc = subprocess.run(
        [sys.executable, "-m", "ciokatana.standalone.cli", "--debug", "submit", "--scene", str(path), "--sandbox",
         "--frames", "1"], cwd=ROOT, env=dict(os.environ, HOME=str(tmp_path)), capture_output=True, text=True,
        timeout=120)
    text = proc.stdout + proc.stderr
    assert proc.returncode == 0, text[-2000:]
    assert "DEBUG" in text and "\\x1b[2J" in text  # the debug log ran and showed the name, escaped
    assert "\x1b" not in text and "\x07" not in text
