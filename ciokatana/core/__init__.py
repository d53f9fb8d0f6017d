"""Pure-Python core: no Qt, no Katana. See the package docstring of ciokatana."""
