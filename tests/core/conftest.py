"""Fixtures for the core tests: scene files and files on disk."""

import json

import pytest


@pytest.fixture
def write_scene(tmp_path):
    """Write a JSON scene file (with a real .katana file) and return its path."""

    def _write(data=None, katana=True, name="scene.json"):
        data = data if data is not None else {}
        full = {
            "katana_file": "shot.katana",
            "frame_range": {"start": 1, "end": 10},
            "render_nodes": [
                {
                    "name": "beauty",
                    "farm_settings": {"conductorOverrides": False},
                    "outputs": [{"name": "primary", "enabled": True, "outputLocation": "/renders/b/b.####.exr"}],
                }
            ],
            "assets": [],
            "settings": {
                "project": "Demo",
                "instance_type": "n1-standard-8",
                "software": [{"path": "katana 7.0.4 linux", "package_id": "kat704"}],
            },
        }
        full.update(data)
        if katana and full.get("katana_file"):
            (tmp_path / full["katana_file"]).write_text("katana")
        path = tmp_path / name
        path.write_text(json.dumps(full))
        return str(path)

    return _write


@pytest.fixture
def files(tmp_path):
    """Create files under tmp_path: files("a/b.txt", "c.exr") -> list of paths."""

    def _make(*names, size=3):
        made = []
        for name in names:
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(b"x" * size)
            made.append(str(path))
        return made

    return _make

