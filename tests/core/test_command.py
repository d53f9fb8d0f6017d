"""Task commands: template fields and shell quoting of every value."""

import shlex

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ciokatana.core.command import TemplateError, posix_path, render_command, template_fields
from ciokatana.core.plan import plan_submission
from ciokatana.core.settings import DEFAULT_TASK_TEMPLATE

from builders import node, settings, snapshot


def test_posix_path_strips_drive_and_backslashes():
    assert posix_path("C:\\shows\\demo\\shot.katana") == "/shows/demo/shot.katana"
    assert posix_path("\\\\server\\share\\a.katana") == "//server/share/a.katana"
    assert posix_path("/shows/$HOME/a.katana") == "/shows/$HOME/a.katana"


def test_default_template_makes_the_katana_batch_command():
    cmd = render_command(DEFAULT_TASK_TEMPLATE, {"scene": "/s/a.katana", "node": "beauty", "chunk": "1-5,7"})
    assert cmd == "katana --batch --katana-file=/s/a.katana --render-node=beauty -t 1-5,7"


@pytest.mark.parametrize(
    "template,message",
    [
        ("katana {nope}", "unknown field {nope}"),
        ("katana --render-node='{node}' -t {chunk}", "quotes around"),
        ("katana --render-node=\"{node}\"", "quotes around"),
        ("katana {node!r}", "format or conversion"),
        ("katana {", "malformed"),
        ("katana --batch", "no fields"),
    ],
)
def test_bad_templates_are_explained(template, message):
    with pytest.raises(TemplateError, match=message):
        template_fields(template)


hostile = st.text(
    alphabet=st.sampled_from(list("ab_ 1;'\"$()`|&<>*?!#~\\{}é漢🙂\t")) | st.characters(blacklist_categories=("Cs", "Cc")),
    min_size=1,
    max_size=30,
)


@given(name=hostile, folder=hostile)
def test_hostile_node_names_and_paths_come_back_exactly(name, folder):
    scene_path = "/shows/" + folder.replace("/", "_") + "/shot.katana"
    snap = snapshot(katana_file=scene_path, nodes=[node(name=name, outputs=None)])
    plan = plan_submission(snap, settings())
    job = plan.jobs[0]
    assert not job.problems, job.problems
    for task in job.payload["tasks_data"]:
        argv = shlex.split(task["command"])
        assert argv[:2] == ["katana", "--batch"]
        assert argv[2] == "--katana-file=" + posix_path(scene_path)
        assert argv[3] == "--render-node=" + name
        assert argv[4] == "-t" and len(argv) == 6


@given(name=hostile)
def test_every_template_field_is_quoted(name):
    """{scene_name}, {start} and {end} go through the same quoting as {node}."""
    scene_path = "/shows/" + name.replace("/", "_") + ".katana"
    template = "render {scene_name} {start} {end} --node={node}"
    snap = snapshot(katana_file=scene_path, nodes=[node(name=name)], frame_range=(1, 4))
    plan = plan_submission(snap, settings(task_template=template, chunk_size=2))
    for task, (start, end) in zip(plan.jobs[0].payload["tasks_data"], [(1, 2), (3, 4)]):
        assert shlex.split(task["command"]) == [
            "render", snap.scene_name, str(start), str(end), "--node=" + name
        ]


TEMPLATES = [
    "katana --batch --katana-file={scene} --render-node={node} -t {chunk}",
    "render {scene_name} {start} {end} --node={node} {{literal braces}} {chunk} {node}",
    "{chunk}",
]


@given(name=hostile, folder=hostile, template=st.sampled_from(TEMPLATES),
       start=st.integers(-100, 100000), end=st.integers(-100, 100000), chunk=st.from_regex(r"-?\d+(-\d+)?(,\d+)*", fullmatch=True))
def test_bound_template_renders_exactly_like_render_command(name, folder, template, start, end, chunk):
    from ciokatana.core.command import bind_command

    constants = {"scene": "/shows/" + folder, "node": name, "scene_name": folder}
    render = bind_command(template, constants)
    assert render(chunk, start, end) == render_command(template, dict(constants, chunk=chunk, start=start, end=end))


def test_bind_command_checks_the_template_once_up_front():
    from ciokatana.core.command import bind_command

    with pytest.raises(TemplateError, match="quotes around"):
        bind_command("katana '{node}' -t {chunk}", {"scene": "/s", "node": "n", "scene_name": "s"})
