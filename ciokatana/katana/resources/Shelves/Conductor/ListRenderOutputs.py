"""
NAME: List Render Outputs
ICON:
KEYBOARD_SHORTCUT:
SCOPE:

Conductor: list every Render node's outputs as Katana's FarmAPI reports them,
marking those Conductor ignores (disabled, in Katana's temp dir) and the
folder each job downloads its renders to.
"""
# ciokatana-managed-file: written by ciokatana's post_install; 'ciokatana install --uninstall' removes it.
# Layer: katana resources (a shelf item); ciokatana.katana.shelf does the work.

CIOKATANA_PARENT = ""


def _conductor_shelf():
    import os
    import sys

    folder = CIOKATANA_PARENT
    if not folder and "__file__" in globals():
        folder = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), *[os.pardir] * 5))
    if folder and os.path.isdir(os.path.join(folder, "ciokatana")) and folder not in sys.path:
        sys.path.insert(0, folder)
    from ciokatana.katana import shelf

    return shelf


_conductor_shelf().run("list_render_outputs", globals())
