"""``ciokatana install [--uninstall] [--dir DIR] [--print-resources]``.

Layer: standalone. The same install as ``python <package>/post_install.py``
(:mod:`ciokatana.post_install`): write the ConductorRender SuperTool init
file and the Conductor shelf items into a Katana resources folder, or remove
them. ``cli.py`` wires it in with ``install.register(sub)``.
"""

from ciokatana import post_install


def cmd_install(args):
    args.prog = "ciokatana install"
    return post_install.run(args)


def register(subparsers):
    """Add the ``install`` subcommand to the ``ciokatana`` parser's subparsers."""
    parser = subparsers.add_parser(
        "install",
        help="install the Conductor plugin into Katana (SuperTool, menus, shelf items)",
        description="Writes SuperTools/ConductorRender/__init__.py and Shelves/Conductor/*.py into a Katana "
        "resources folder (default: $KATANA_USER_RESOURCE_DIRECTORY, else ~/.katana), pointing Katana at this "
        "ciokatana package. Safe to run again; never overwrites files it did not write.",
    )
    post_install.add_arguments(parser)
    parser.set_defaults(func=cmd_install)
    return parser
