"""The dialog's tabs, one class per module, sharing :class:`~ciokatana.ui.tabs.base.Tab` (layer: ui)."""
