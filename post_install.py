"""Install the Conductor plugin into Katana from a source checkout.

Layer: install script (standard library only). Runs the real script,
``ciokatana/post_install.py``, with this checkout's ``ciokatana`` package::

    python post_install.py                 # into $KATANA_USER_RESOURCE_DIRECTORY or ~/.katana
    python post_install.py --dir DIR       # into another Katana resources folder
    python post_install.py --uninstall     # remove exactly what it wrote

After ``pip install --target DIR ciokatana`` run ``python DIR/ciokatana/post_install.py``
instead (same options); ``ciokatana install`` does the same from the command line.
"""

import os
import sys

if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from ciokatana import post_install

    sys.exit(post_install.main())
