"""Stand-in for Katana's ``Configuration`` module (test equipment, not Katana).

Imitates ``Configuration.get(key)`` for the launch-mode flags
``KATANA_UI_MODE``, ``KATANA_BATCH_MODE``, ``KATANA_SCRIPT_MODE`` and
``KATANA_SHELL_MODE``: the flag of the current mode is defined, the others
are not (documented 4.0+).  The mode is ``ui`` by default and set with
``katana_standin_control.set_ui_mode`` / ``set_launch_mode``.
"""

from _katana_standin import state

_MODE_KEYS = {
    "KATANA_UI_MODE": "ui",
    "KATANA_BATCH_MODE": "batch",
    "KATANA_SCRIPT_MODE": "script",
    "KATANA_SHELL_MODE": "shell",
}


def get(key):
    """The configuration value of ``key``, or ``None`` when undefined.

    Stand-in guess [unverified]: a defined launch-mode flag has the value
    ``'1'``; every other key is undefined (``None``).
    """
    mode = _MODE_KEYS.get(key)
    if mode is not None and state.S.launch_mode == mode:
        return "1"
    return None
