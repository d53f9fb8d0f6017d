"""The Katana adapter: the only package that imports Katana modules.

Layer: katana. Importing it (or any module below it except ``node`` and
``editor``) imports no Katana module and registers nothing: Katana modules
are imported inside the functions that use them. Registration is an
explicit call made by the ConductorRender SuperTool init file
(:mod:`ciokatana.katana.registration`).

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
