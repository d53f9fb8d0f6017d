"""The Katana adapter: the only package that imports Katana modules.

Layer: katana. Importing it registers nothing, and imports neither Katana
nor Qt. Two rules, for the modules below it:

- Katana: imported inside the functions that use it, except in ``node``
  (it subclasses ``NodegraphAPI.SuperTool``) and ``farm_plugin`` (it
  subclasses ``FarmAPI.BaseFarmPlugin``), which import it at module level.
- Qt: only through :mod:`ciokatana.qt`; at module level only in ``editor``,
  inside functions in ``dialogs`` and ``shelf``. ``dialogs`` is the only
  module that reaches :mod:`ciokatana.ui`.

Registration is an explicit call made by the ConductorRender SuperTool init
file (:mod:`ciokatana.katana.registration`).

Modules:

- ``registration``: the entry point the SuperTool init file calls;
- ``node`` / ``settings_node``: the ConductorRender node and its parameters;
- ``editor`` / ``summary``: its Parameters-tab panel (Qt) and text;
- ``menus`` / ``dialogs``: Util and Render Farm menu items, the dialog;
- ``farm``: ``farmSettings.conductor*`` on Render nodes;
- ``scene``: :class:`~ciokatana.katana.scene.KatanaScene`, the Scene port;
- ``scraper`` / ``scan``: file references in the graph, and their listing;
- ``shelf``: the Scan Assets, List Render Outputs and Reload Conductor items;
- ``batch``: :func:`~ciokatana.katana.batch.submit` for ``katana --script``;
- ``farm_plugin``: ``ConductorFarmPlugin``, Conductor as a Katana render farm
  (``FarmAPI.BaseFarmPlugin``; imports ``FarmAPI`` at module level);
- ``qtbinding``: the Qt binding Katana ships, by ``KatanaInfo.version``;
- ``resources/``: SuperTool, shelf and farm plug-in files for ``KATANA_RESOURCES``.
"""
