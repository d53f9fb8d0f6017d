"""
NAME: Export Conductor Scene
ICON:
KEYBOARD_SHORTCUT:
SCOPE:

Conductor: write this scene as a JSON scene file (Render nodes, farm
settings, outputs, assets, frame range, Conductor settings and the .katana
path) for the ciokatana command line: ciokatana preview / validate / submit
/ gui --scene FILE.
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


_conductor_shelf().run("export_conductor_scene", globals())
