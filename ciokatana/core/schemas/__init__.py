"""JSON Schemas shipped with ciokatana (package data).

Layer: core. ``scene.schema.json`` is the scene-file format that
:mod:`ciokatana.core.schema` checks and ``docs/scene-format.md`` documents.
"""
