"""
NAME: Scan Assets
ICON:
KEYBOARD_SHORTCUT:
SCOPE:

Conductor: list every file a submission of this scene would upload (the scene
file, the files its nodes read, the extra assets) with file counts and sizes.
Missing files are marked. The files are looked up on a background thread;
the listing appears in the console when it is done.
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


_conductor_shelf().run("scan_assets", globals())
