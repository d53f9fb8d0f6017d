"""Engine of the Katana stand-in (test equipment, not Katana).

The public, Katana-named modules next to this package (``NodegraphAPI``,
``FarmAPI``, ``KatanaFile`` ...) re-export the classes and functions defined
here, so every docstring written in this package is the docstring a user of
the Katana-named module sees.

Nothing in this package is part of Katana's API.  Test-only controls live in
the top-level module ``katana_standin_control``.
"""
