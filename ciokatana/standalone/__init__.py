"""Outside Katana: the command line and the dialog on a JSON scene file."""
