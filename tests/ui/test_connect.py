"""Connect: Conductor data fetched on a worker; failure, timeout or cancel show the reason and Retry."""

import threading

import pytest

from ciokatana.core.conductor import ConductorData, ConductorError
from ciokatana.ui.widgets.connection import BUSY, FAILED, READY


def test_connect_without_credentials_shows_the_reason_and_retry(make_dialog, scene, no_credentials, ui, qtbot):
    dialog = make_dialog(scene)
    bar = dialog.tab("configure").connection_bar
    ui.click(bar.connect_button)
    qtbot.waitUntil(lambda: bar.state == FAILED, timeout=15000)
    assert "no Conductor credentials" in bar.status_label.text()
    assert "CONDUCTOR_API_KEY" in bar.status_label.text()
    assert bar.connect_button.text() == "Retry"
    assert bar.connect_button.isEnabled()
    assert dialog.controller.conductor_data is None


class GatedFetch(object):
    """A fetch that blocks until released: first it fails, then it succeeds."""

    def __init__(self):
        self.gate = threading.Event()
        self.calls = 0

    def __call__(self, force=False):
        self.calls += 1
        assert self.gate.wait(10), "the test never released the fetch"
        self.gate.clear()
        if self.calls == 1:
            raise ConductorError("cannot reach Conductor at https://example.test (Connection refused)")
        return ConductorData(
            url="https://example.test",
            projects=["Episode 104", "Previs"],
            instance_types=[
                {"name": "cpu-8", "description": "8 core, 32GB Mem", "cores": 8, "memory": 32, "operating_system": "linux"},
                {"name": "gpu-8", "description": "8 core, 30GB Mem, 1 T4", "cores": 8, "memory": 30,
                 "operating_system": "linux", "gpu": {"gpu_count": 1}},
            ],
        )


def test_the_dialog_stays_usable_while_connecting_and_retry_works(make_dialog, scene, ui, qtbot):
    fetch = GatedFetch()
    dialog = make_dialog(scene, fetch=fetch)
    bar = dialog.tab("configure").connection_bar
    ui.click(bar.connect_button)
    assert bar.state == BUSY and bar.busy_bar.isVisible()
    assert bar.connect_button.text() == "Cancel" and bar.connect_button.isEnabled()
    # the UI thread is free: switching tabs and typing work while the fetch waits
    dialog.show_tab("preview")
    dialog.show_tab("configure")
    title = ui.section(dialog, "General").title_edit
    ui.type_into(title, "busy {node}")
    assert dialog.controller.settings.title_template == "busy {node}"
    fetch.gate.set()
    qtbot.waitUntil(lambda: bar.state == FAILED)
    assert "Connection refused" in bar.status_label.text()

    ui.click(bar.connect_button)  # Retry
    assert bar.state == BUSY
    fetch.gate.set()
    qtbot.waitUntil(lambda: bar.state == READY)
    assert fetch.calls == 2
    general = ui.section(dialog, "General")
    combo = general.instance_combo
    labels = [combo.itemText(i) for i in range(combo.count())]
    assert labels[0] == "n2-standard-8  (not offered)"  # the stored choice is kept and flagged
    assert "CPU machines" in labels and "GPU machines" in labels
    assert labels.index("CPU machines") < labels.index("GPU machines")
    ui.choose(combo, "gpu-8")
    assert dialog.controller.settings.instance_type == "gpu-8"
    projects = [general.project_combo.itemText(i) for i in range(general.project_combo.count())]
    assert projects == ["Episode 104", "Previs"]


class SilentFetch(object):
    """A service that never answers until the test lets it (then with data)."""

    def __init__(self):
        self.gate = threading.Event()
        self.calls = 0

    def __call__(self, force=False):
        self.calls += 1
        self.gate.wait(20)
        return ConductorData(url="https://late.example.test", projects=["Late"], instance_types=[])


def test_a_silent_service_times_out_with_a_reason_and_retry(make_dialog, scene, ui, qtbot):
    fetch = SilentFetch()
    dialog = make_dialog(scene, fetch=fetch, connect_timeout_s=0.3)
    bar = dialog.tab("configure").connection_bar
    try:
        ui.click(bar.connect_button)
        assert bar.state == BUSY
        qtbot.waitUntil(lambda: bar.state == FAILED, timeout=5000)
        assert "did not answer within 0.3 s" in bar.status_label.text()
        assert bar.connect_button.text() == "Retry" and bar.connect_button.isEnabled()
        ui.click(bar.connect_button)  # Retry: a second attempt, which also times out
        assert bar.state == BUSY and fetch.calls == 2
        qtbot.waitUntil(lambda: bar.state == FAILED, timeout=5000)
    finally:
        fetch.gate.set()  # the abandoned fetches answer now: too late, ignored
    qtbot.waitUntil(lambda: not dialog.controller.worker_threads(), timeout=5000)
    qtbot.wait(50)
    assert bar.state == FAILED
    assert dialog.controller.conductor_data is None


def test_cancel_stops_waiting_and_a_late_answer_is_ignored(make_dialog, scene, ui, qtbot):
    fetch = SilentFetch()
    dialog = make_dialog(scene, fetch=fetch)
    bar = dialog.tab("configure").connection_bar
    ui.click(bar.connect_button)
    ui.click(bar.connect_button)  # now "Cancel"
    assert bar.state == FAILED
    assert "cancelled" in bar.status_label.text()
    assert bar.connect_button.text() == "Retry"
    fetch.gate.set()
    qtbot.waitUntil(lambda: not dialog.controller.worker_threads(), timeout=5000)
    qtbot.wait(50)
    assert bar.state == FAILED and dialog.controller.conductor_data is None


@pytest.mark.slow
def test_connect_to_the_sandbox_fills_the_lists(make_dialog, scene, ciocore_sandbox, ui, qtbot):
    dialog = make_dialog(scene)
    bar = dialog.tab("configure").connection_bar
    ui.click(bar.connect_button)
    qtbot.waitUntil(lambda: bar.state == READY, timeout=20000)
    assert ciocore_sandbox.url in bar.status_label.text()
    general = ui.section(dialog, "General")
    projects = [general.project_combo.itemText(i) for i in range(general.project_combo.count())]
    assert "Episode 104" in projects and "Archive 2022" not in projects
    software = ui.section(dialog, "Software")
    versions = [software.katana_combo.itemData(i) for i in range(software.katana_combo.count())]
    assert "katana 7.0v4 linux" in versions and "katana 8.0v2 linux" in versions
    assert software.katana_combo.currentText() == "katana 7.0v4 linux"
    renderers = [software.renderer_combo.itemText(i) for i in range(software.renderer_combo.count())]
    assert "renderman-katana 26.3 linux" in renderers
    assert renderers[0] == "None"
    ui.choose(software.katana_combo, "katana 8.0v2 linux")
    settings = dialog.controller.settings
    assert settings.katana_package.path == "katana 8.0v2 linux"
    assert settings.katana_package.package_id
    assert settings.renderer_packages == []  # the 7.0v4 plugin does not fit 8.0v2
