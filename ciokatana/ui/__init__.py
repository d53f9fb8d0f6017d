"""The Qt dialog: tabs, progress widgets and the worker bridge (Qt via ciokatana.qt)."""
