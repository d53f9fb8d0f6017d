"""The ConductorRender node's settings as short lines of text.

Layer: katana (no Qt, no Katana import). The editor shows these rows; the
tests read them without a Qt binding.
"""

from ciokatana.core.settings import Settings


def _or(text, empty):
    text = str(text if text is not None else "").strip()
    return text if text else empty


def settings_rows(data, frame_range=None, render_node_count=None):
    """``[(label, text)]`` describing a settings dict (``Settings.to_dict()`` form)."""
    settings = Settings.from_dict(data)
    scene_frames = "{}-{}".format(*frame_range) if frame_range else "the scene frame range"
    software = [p.name for p in settings.software]
    rows = [
        ("Project", _or(settings.project, "(not chosen)")),
        ("Instance type", "{}{}".format(
            _or(settings.instance_type, "(not chosen)"), ", preemptible" if settings.preemptible else "")),
        ("Software", ", ".join(software) if software else "(not chosen)"),
        ("Frames", _or(settings.frame_spec, scene_frames)),
        ("Scout frames", _or(settings.scout_spec, "none")),
        ("Chunk size", _or(settings.chunk_size, "1")),
        ("Job title", _or(settings.title_template, "(empty)")),
    ]
    if settings.extra_assets:
        rows.append(("Extra assets", "{} path(s)".format(len(settings.extra_assets))))
    if settings.environment:
        rows.append(("Environment", ", ".join(e.name for e in settings.environment)))
    if render_node_count is not None:
        rows.append(("Render nodes", "{} in this scene".format(render_node_count)))
    return rows
