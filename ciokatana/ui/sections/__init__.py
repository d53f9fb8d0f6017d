"""The collapsible sections of the Configure tab, one per module (layer: ui)."""
