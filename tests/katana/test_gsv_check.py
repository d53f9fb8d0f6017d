"""Inside Katana, a variable set naming a GSV the project lacks is a warning.

Katana's ``--var`` sets an *existing* Graph State Variable; the project's
variables are the children of the root node's ``variables`` parameter.
The stand-in has no such parameter by default (then nothing is checked), so
these tests make one through the documented Parameter calls.
"""

from ciokatana.core.scene import FarmSettings
from ciokatana.core.validation import WARNING
from ciokatana.katana import gsv_check
from ciokatana.katana.scene import KatanaScene

import katana_scenes as ks


def define_variables(*names):
    from Katana import NodegraphAPI

    root = NodegraphAPI.GetRootNode().getParameters()
    group = root.getChild("variables") or root.createChildGroup("variables")
    for name in names:
        variable = group.createChildGroup(name)
        variable.createChildString("value", "")


def with_sets(node_name, *sets):
    node = ks.render_node(node_name)
    KatanaScene(nodes=[node]).set_farm_settings(node_name, FarmSettings(var_sets=tuple(sets)))
    return node


def test_a_variable_the_project_lacks_is_a_warning_naming_it(plugin):
    define_variables("shot", "variant")
    node = with_sets("beauty", (("shot", "010"), ("variant", "a")), (("shot", "010"), ("lookdev", "b")))
    notes = [n for n in KatanaScene(nodes=[node]).notes() if n.rule == "unknown_gsv"]
    assert len(notes) == 1 and notes[0].level == WARNING and notes[0].where == "Render node 'beauty'"
    assert "'lookdev'" in notes[0].message and "'shot'" not in notes[0].message
    assert "the project has: shot, variant" in notes[0].message


def test_known_variables_give_no_note(plugin):
    define_variables("shot")
    node = with_sets("beauty", (("shot", "010"),))
    assert [n for n in KatanaScene(nodes=[node]).notes() if n.rule == "unknown_gsv"] == []


def test_when_the_projects_list_cannot_be_read_nothing_is_claimed(plugin):
    node = with_sets("beauty", (("shot", "010"),))  # the stand-in's root has no 'variables' parameter
    assert gsv_check.project_variables() is None
    assert [n for n in KatanaScene(nodes=[node]).notes() if n.rule == "unknown_gsv"] == []


def test_an_empty_list_of_project_variables_flags_every_name():
    from ciokatana.core.scene import RenderNode

    node = RenderNode("beauty", farm_settings=FarmSettings(var_sets=((("shot", "010"),),)))
    (note,) = gsv_check.unknown_variable_notes([node], known=[])
    assert "'shot'" in note.message and "the project has: none" in note.message
