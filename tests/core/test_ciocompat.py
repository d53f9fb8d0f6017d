"""ciocompat: the parts of ciocore that differ between the versions ciokatana allows.

The environment tests run twice: on the installed ciocore as it is, and with
ciocompat's own ``prepend`` handling forced (what ciocore 7.0.2, Python 3.7,
gets), so both routes are checked on every Python.
"""

import pytest

from ciokatana.core import ciocompat


@pytest.fixture(params=["installed", "without-native-prepend"])
def Env(request, monkeypatch):
    if request.param == "without-native-prepend":
        monkeypatch.setattr(ciocompat, "NATIVE_PREPEND", False)
    return ciocompat.PackageEnvironment


def _var(name, value, policy):
    return {"name": name, "value": value, "merge_policy": policy}


def test_prepend_goes_before_what_the_package_set(Env):
    package = {"platform": "linux", "environment": [
        _var("PATH", "/opt/katana/bin", "append"), _var("KATANA_ROOT", "/opt/katana", "exclusive")]}
    env = Env(package)
    env.extend([_var("PATH", "/studio/bin", "prepend"), _var("PATH", "/late/bin", "append"),
                _var("PATH", "/first/bin", "prepend")])
    assert dict(env) == {"PATH": "/first/bin:/studio/bin:/opt/katana/bin:/late/bin",
                         "KATANA_ROOT": "/opt/katana"}


def test_prepend_on_a_new_variable_and_windows_separator(Env):
    env = Env({"platform": "windows", "environment": [_var("PATH", "C:/katana", "append")]})
    env.extend([_var("PYTHONPATH", "C:/studio", "prepend")])
    env.extend([_var("PATH", "C:/tools", "prepend")])
    assert dict(env) == {"PATH": "C:/tools;C:/katana", "PYTHONPATH": "C:/studio"}


def test_prepend_to_an_exclusive_variable_is_refused(Env):
    env = Env([_var("RENDERER", "prman", "exclusive")], platform="linux")
    with pytest.raises(ValueError, match="RENDERER"):
        env.extend([_var("RENDERER", "arnold", "prepend")])


def test_a_package_without_variables_still_sets_the_platform(Env):
    env = Env({"platform": "windows", "environment": []})
    with pytest.raises(ValueError, match="platform"):
        env.extend({"platform": "linux", "environment": [_var("A", "1", "exclusive")]})


def test_payload_environment_with_prepend_uses_ciocompat():
    from ciokatana.core.payload import build_environment
    from ciokatana.core.settings import Settings

    settings = Settings.from_dict({"environment": [
        {"name": "PATH", "value": "/studio/bin", "merge_policy": "prepend"},
        {"name": "PATH", "value": "/late/bin", "merge_policy": "append"},
    ]})
    assert build_environment(settings)["PATH"] == "/studio/bin:/late/bin"


def test_version_is_known():
    import ciocore

    assert ciocompat.CIOCORE_VERSION in (getattr(ciocore, "version", None), getattr(ciocore, "__version__", None))
    major = int(ciocompat.CIOCORE_VERSION.split(".")[0])
    assert major in (7, 8, 9)
    # The markers in setup.py: 7.x only on Python 3.7, 8.x/9.x from 3.8.
    import sys

    assert (major == 7) == (sys.version_info < (3, 8))
