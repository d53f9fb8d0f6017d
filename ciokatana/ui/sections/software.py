"""Software: the Katana version and renderer plugin the farm renders with.

Layer: ui. The choices come from Conductor's package tree, filtered to the
operating system of the chosen instance type, and the renderer list to the
plugins built for the chosen Katana version. Choosing a package copies its
id and environment into the settings, so payloads build without a
connection. Before connecting, the stored packages are shown as they are.
"""

from ciokatana.qt import QtWidgets
from ciokatana.ui.sections.base import Section
from ciokatana.ui.widgets.combos import Item, current_value, fill_combo
from ciokatana.ui.widgets.form import add_row

TIPS = {
    "katana": "The Katana version installed on the render machines; only versions offered for "
    "the instance type's operating system are listed",
    "renderer": "The renderer plugin loaded by Katana on the render machines; only plugins built "
    "for the chosen Katana version are listed",
    "scene": "The renderers the Render nodes in scope use, as Katana reports them",
}


class SoftwareSection(Section):
    TITLE = "Software"
    TOOLTIP = "Katana version and renderer plugin on the farm"

    def __init__(self, controller, parent=None):
        super().__init__(controller, parent)
        self.katana_combo = QtWidgets.QComboBox()
        self.renderer_combo = QtWidgets.QComboBox()
        self.scene_label = QtWidgets.QLabel()
        self.scene_label.setWordWrap(True)

        add_row(self.form, "Katana version", self.katana_combo, TIPS["katana"])
        add_row(self.form, "Renderer plugin", self.renderer_combo, TIPS["renderer"])
        add_row(self.form, "Scene renderers", self.scene_label, TIPS["scene"])

        self.katana_combo.currentIndexChanged.connect(self._on_katana_combo_changed)
        self.renderer_combo.currentIndexChanged.connect(self._on_renderer_combo_changed)
        self.show_settings(controller.settings)
        self.show_scene(controller.snapshot)

    # -- hooks -------------------------------------------------------------
    def show_settings(self, settings):
        self._fill(settings)

    def show_conductor(self, data):
        settings = self.controller.settings
        versions = self._versions(settings)
        if settings.katana_package is None and versions:
            self._choose_katana(versions[0])  # nothing stored yet: offer the newest
        else:
            self._fill(settings)

    def show_scene(self, snapshot):
        names = sorted({n.renderer for n in snapshot.nodes if n.renderer})
        self.scene_label.setText(", ".join(names) if names else "unknown")

    # -- lists -------------------------------------------------------------
    def _versions(self, settings):
        data = self.controller.conductor_data
        if data is None:
            return []
        found = []
        for platform in data.platforms_of(settings.instance_type):
            for path in data.katana_versions(platform):
                if path not in found:
                    found.append(path)
        return found

    def _fill(self, settings):
        data = self.controller.conductor_data
        katana = settings.katana_package.path if settings.katana_package else None
        renderers = settings.renderer_packages
        renderer = renderers[0].path if renderers else None
        versions = self._versions(settings)
        items = [Item(v, v) for v in versions]
        if katana and katana not in versions:
            note = "  (not offered for this machine)" if data is not None else ""
            items.insert(0, Item(katana + note, katana))
        if not katana:
            items.insert(0, Item("Choose a version" if data is not None else "Not set: connect to choose", None))
        fill_combo(self.katana_combo, items, katana)

        plugins = data.renderers(katana) if data is not None and katana else []
        r_items = [Item("None", None)] + [Item(p.rsplit("/", 1)[-1], p, tooltip=p) for p in plugins]
        if renderer and renderer not in plugins:
            note = "  (not offered for this version)" if data is not None else ""
            r_items.insert(1, Item(renderer.rsplit("/", 1)[-1] + note, renderer, tooltip=renderer))
        fill_combo(self.renderer_combo, r_items, renderer)

    def _package(self, path):
        data = self.controller.conductor_data
        return data.package(path) if data is not None and path else None

    def _choose_katana(self, path):
        package = self._package(path)
        if package is None:
            return
        settings = self.controller.settings
        old_renderers = settings.renderer_packages
        keep = [p for p in old_renderers if p.path.startswith(path + "/")]
        self.controller.update_settings(software=[package] + keep)
        self._fill(self.controller.settings)

    # -- slots -------------------------------------------------------------
    def _on_katana_combo_changed(self, _index):
        path = current_value(self.katana_combo)
        if path:
            self._choose_katana(path)

    def _on_renderer_combo_changed(self, _index):
        settings = self.controller.settings
        host = settings.katana_package
        path = current_value(self.renderer_combo)
        software = [host] if host is not None else []
        if path:
            package = self._package(path)
            if package is None:
                return
            software.append(package)
        self.controller.update_settings(software=software)
