"""Reusable widgets of the dialog: sections, editors, cards, bars (layer: ui)."""
