"""Point ciocore at a local Conductor sandbox, in this process or a subprocess.

Layer: sandbox (test and demo tooling; no Qt, no Katana; imports ciocore
only when called).

ciocore reads its configuration from the environment and caches it per
process (``ciocore.config``), caches account data at module level
(``ciocore.data``), and caches bearer tokens in
``$HOME/.config/conductor/api_key_credentials``. To use a sandbox safely:

- ``CONDUCTOR_URL`` and ``CONDUCTOR_API_URL`` name the sandbox (no trailing
  slash: ciocore compares the token's audience with the last ``/``-part of
  the API URL);
- ``CONDUCTOR_API_KEY`` holds the sandbox's throw-away key as JSON, and
  ``CONDUCTOR_API_KEY_PATH`` is unset so a real key file cannot win;
- ``HOME`` (and ``USERPROFILE``) point at a throw-away directory, so the
  token cache is never the user's; ``CONDUCTOR_USER_DIR`` goes under it.

ciocore's md5 cache is a sqlite file that defaults to
``tempfile.gettempdir()/conductor_db`` whatever the environment says; pass
:attr:`CiocoreSandboxConfig.database_filepath` as ``database_filepath`` in
the ``Submit`` arguments to keep it in the throw-away home too.

Changing ``os.environ`` affects the whole process; use one configuration at
a time.
"""

import json
import os

_MANAGED_VARS = (
    "CONDUCTOR_URL",
    "CONDUCTOR_API_URL",
    "CONDUCTOR_API_KEY",
    "CONDUCTOR_API_KEY_PATH",
    "CONDUCTOR_USER_DIR",
    "HOME",
    "USERPROFILE",
)


def _overrides(url, api_key, home):
    url = url.rstrip("/")
    home = os.path.abspath(home)
    return {
        "CONDUCTOR_URL": url,
        "CONDUCTOR_API_URL": url,
        "CONDUCTOR_API_KEY": json.dumps(api_key),
        "CONDUCTOR_USER_DIR": os.path.join(home, ".conductor"),
        "HOME": home,
        "USERPROFILE": home,
    }


def client_env(url, api_key, home, base=None):
    """A complete environment for a subprocess whose ciocore should use the sandbox.

    Args:
        url (str): The sandbox URL (``Sandbox.url``).
        api_key (dict): The sandbox's key (``Sandbox.api_key``).
        home (str): A throw-away directory to serve as ``HOME``.
        base (dict): Environment to start from; ``os.environ`` by default.

    Returns:
        dict: ``base`` plus the sandbox settings, without ``CONDUCTOR_API_KEY_PATH``.
    """
    env = dict(os.environ if base is None else base)
    env.update(_overrides(url, api_key, home))
    env.pop("CONDUCTOR_API_KEY_PATH", None)
    return env


def _real_homes():
    homes = set()
    for candidate in (os.environ.get("HOME"), os.path.expanduser("~")):
        if candidate:
            homes.add(os.path.realpath(candidate))
    try:
        import pwd

        homes.add(os.path.realpath(pwd.getpwuid(os.getuid()).pw_dir))
    except (ImportError, KeyError, AttributeError):
        pass
    return homes


class CiocoreSandboxConfig(object):
    """This process's ciocore pointed at a sandbox; a context manager that undoes it.

    Use :func:`configure_ciocore` to make one (it is applied at once).

    Attributes:
        url (str): The sandbox URL.
        home (str): The throw-away home directory.
        database_filepath (str): Where to keep ciocore's md5 cache; pass it to
            ``Submit`` as ``database_filepath``.
    """

    def __init__(self, url, api_key, home):
        self.url = url.rstrip("/")
        self.home = os.path.abspath(home)
        self.database_filepath = os.path.join(self.home, "conductor_db")
        self._api_key = dict(api_key)
        self._saved = None

    def apply(self):
        """Set the environment, reload ciocore's config and clear ``ciocore.data``."""
        if self._saved is not None:
            return self
        if os.path.realpath(self.home) in _real_homes():
            raise ValueError(
                "Refusing to use %s as the sandbox HOME: it is the real home directory, "
                "whose Conductor credentials must not be touched. Pass a throw-away "
                "directory." % self.home
            )
        overrides = _overrides(self.url, self._api_key, self.home)
        for path in (self.home, overrides["CONDUCTOR_USER_DIR"]):
            if not os.path.isdir(path):
                os.makedirs(path)
        # A token cached by an earlier sandbox on the same port would carry a
        # signature this sandbox rejects; the home is throw-away, so drop it.
        stale = os.path.join(self.home, ".config", "conductor", "api_key_credentials")
        if os.path.isfile(stale):
            os.remove(stale)

        self._saved = {name: os.environ.get(name) for name in _MANAGED_VARS}
        os.environ.pop("CONDUCTOR_API_KEY_PATH", None)
        os.environ.update(overrides)
        _reset_ciocore()
        return self

    def restore(self):
        """Put the environment back as it was and drop ciocore's cached config and data."""
        if self._saved is None:
            return
        for name, value in self._saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        self._saved = None
        _reset_ciocore()

    def __enter__(self):
        return self.apply()

    def __exit__(self, *exc):
        self.restore()
        return False


def configure_ciocore(url, api_key, home):
    """Point this process's ciocore at a sandbox now; returns a :class:`CiocoreSandboxConfig`.

    Use it as a context manager to restore everything on exit::

        with configure_ciocore(sandbox.url, sandbox.api_key, tmp_home) as cfg:
            api_client.request_projects()

    Raises:
        ValueError: ``home`` is the user's real home directory.
    """
    return CiocoreSandboxConfig(url, api_key, home).apply()


def _reset_ciocore():
    from ciocore import config as cio_config
    from ciocore import data as cio_data

    cio_data.clear()
    try:
        cio_config.get(force=True)
    except ValueError:
        # The restored environment has a URL ciocore rejects; let it fail
        # later, where the caller asks for the config, not here.
        cio_config.__config__ = None
