"""Qt item models behind the dialog's tables and lists (layer: ui)."""
