"""ciokatana: submit Katana Render nodes to Conductor.

Importing the package has no side effects: it registers nothing with Katana,
imports no Qt binding and reads no configuration. Layers, from the bottom up:

- ``ciokatana.core``: pure Python (scene port, settings, payloads, validation,
  events, mocks, the submission runner). Imports neither Qt nor Katana.
- ``ciokatana.sandbox``: a local Conductor service for tests and demos.
- ``ciokatana.qt``: the one module that picks a Qt binding.
- ``ciokatana.ui``: the Qt dialog.
- ``ciokatana.katana``: the Katana adapter (SuperTool, menus, scene, scraper).
- ``ciokatana.standalone``: the command line and the dialog outside Katana.
"""

__version__ = "0.2.0"
