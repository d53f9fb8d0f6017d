"""post_install / ``ciokatana install``: what it writes, rewrites, leaves and removes.

Layer: tests/katana (no Qt). Every install goes to a temp folder through
``--dir`` or ``KATANA_USER_RESOURCE_DIRECTORY``; nothing touches ~/.katana.
"""

import argparse
import io
import os
import stat
import subprocess
import sys

import pytest

from ciokatana import post_install

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OURS = [
    "SuperTools/ConductorRender/__init__.py",
    "Shelves/Conductor/ScanAssets.py",
    "Shelves/Conductor/ListRenderOutputs.py",
    "Shelves/Conductor/ExportConductorScene.py",
    "Shelves/Conductor/ReloadConductor.py",
    "Plugins/ConductorFarmPlugin.py",
]


def tree(folder):
    found = []
    for root, dirs, files in os.walk(str(folder)):
        rel = os.path.relpath(root, str(folder)).replace(os.sep, "/")
        for name in dirs + files:
            found.append(name if rel == "." else rel + "/" + name)
    return sorted(found)


def run(argv, monkeypatch=None):
    parser = argparse.ArgumentParser()
    post_install.add_arguments(parser)
    args = parser.parse_args(argv)
    out, err = io.StringIO(), io.StringIO()
    code = post_install.run(args, out, err)
    return code, out.getvalue(), err.getvalue()


def test_install_writes_the_supertool_and_shelf_items(tmp_path):
    target = tmp_path / "res"
    code, out, err = run(["--dir", str(target)])
    assert code == 0, err
    assert sorted(f for f in tree(target) if f.endswith(".py")) == sorted(OURS)
    for rel in OURS:
        assert "  wrote           " + rel in out
        text = (target / rel).read_text()
        assert post_install.MARKER in text
        assert "CIOKATANA_PARENT = {!r}".format(ROOT) in text
    init = (target / OURS[0]).read_text()
    assert 'PluginRegistry = [("SuperTool", 2, "ConductorRender", (NodeClass, GetEditor))]' in init
    assert "Restart Katana" in out


@pytest.mark.parametrize("rel,name", [
    ("Shelves/Conductor/ScanAssets.py", "Scan Assets"),
    ("Shelves/Conductor/ListRenderOutputs.py", "List Render Outputs"),
    ("Shelves/Conductor/ExportConductorScene.py", "Export Conductor Scene"),
    ("Shelves/Conductor/ReloadConductor.py", "Reload Conductor"),
])
def test_shelf_items_open_with_katana_headers(resources, rel, name):
    lines = (resources / rel).read_text().splitlines()
    assert lines[0] == '"""'
    assert lines[1:5] == ["NAME: " + name, "ICON:", "KEYBOARD_SHORTCUT:", "SCOPE:"]


def test_every_shelf_item_is_written_from_the_one_template(tmp_path):
    """The shelf items installed and the copies shipped for KATANA_RESOURCES
    are post_install's template, filled in per item: they cannot drift apart."""
    assert sorted(post_install.SHELF_ITEMS) == sorted(r for r in OURS if r.startswith("Shelves/"))
    target = tmp_path / "res"
    assert run(["--dir", str(target)])[0] == 0
    for rel in post_install.SHELF_ITEMS:
        text = post_install.shelf_item_text(rel)
        shipped = os.path.join(post_install.RESOURCES, *rel.split("/"))
        with open(shipped, encoding="utf-8") as handle:
            assert handle.read() == text, (
                "{} differs from post_install.SHELF_TEMPLATE; edit the template and run "
                "python -c 'from ciokatana import post_install; post_install.write_shipped_shelf_items()'".format(rel))
        installed = (target / rel).read_text()
        body = [line for line in installed.split("\n")
                if not line.startswith((post_install.CREATED, post_install.HASH))]
        assert "\n".join(body).replace("CIOKATANA_PARENT = {!r}".format(ROOT), post_install.PARENT_LINE) == text
        assert 'run("{}", globals())'.format(post_install.SHELF_ITEMS[rel][2]) in installed


def test_default_folder_is_the_user_resource_directory(tmp_path, monkeypatch):
    monkeypatch.setenv("KATANA_USER_RESOURCE_DIRECTORY", str(tmp_path / "user"))
    code, out, _err = run([])
    assert code == 0
    assert (tmp_path / "user" / OURS[0]).is_file()
    assert str(tmp_path / "user") in out


def test_default_folder_without_the_variable_is_dot_katana(tmp_path, monkeypatch):
    monkeypatch.delenv("KATANA_USER_RESOURCE_DIRECTORY", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert post_install.default_resources_dir() == str(tmp_path / ".katana")


def test_install_is_idempotent(tmp_path):
    target = tmp_path / "res"
    run(["--dir", str(target)])
    before = {rel: (target / rel).read_text() for rel in OURS}
    code, out, _err = run(["--dir", str(target)])
    assert code == 0
    assert out.count("unchanged") == len(OURS)
    assert {rel: (target / rel).read_text() for rel in OURS} == before


def as_older_version(path, old, new):
    """Rewrite an installed file the way an older ciokatana would have written it (valid hash)."""
    text = path.read_text().replace(old, new)
    lines = [line for line in text.split("\n") if not line.startswith(post_install.HASH)]
    body = "\n".join(lines)
    index = next(i for i, line in enumerate(lines) if line.startswith(post_install.CREATED))
    lines.insert(index + 1, "{} {}".format(post_install.HASH, post_install.content_hash(body)))
    path.write_text("\n".join(lines))


def test_reinstall_updates_an_older_copy_of_its_own_file(tmp_path):
    target = tmp_path / "res"
    run(["--dir", str(target)])
    shelf = target / OURS[1]
    as_older_version(shelf, "NAME: Scan Assets", "NAME: Old Name")
    assert not post_install.is_modified(str(shelf))
    code, out, _err = run(["--dir", str(target)])
    assert code == 0
    assert "  updated         " + OURS[1] in out
    assert "NAME: Scan Assets" in shelf.read_text()


def test_foreign_files_are_left_alone(tmp_path):
    target = tmp_path / "res"
    foreign_init = target / "SuperTools" / "ConductorRender" / "__init__.py"
    foreign_init.parent.mkdir(parents=True)
    foreign_init.write_text("# someone else's SuperTool\n")
    other_supertool = target / "SuperTools" / "PonyStack" / "__init__.py"
    other_supertool.parent.mkdir(parents=True)
    other_supertool.write_text("PluginRegistry = []\n")
    code, out, err = run(["--dir", str(target)])
    assert code == 1
    assert foreign_init.read_text() == "# someone else's SuperTool\n"
    assert other_supertool.read_text() == "PluginRegistry = []\n"
    assert "left alone      SuperTools/ConductorRender/__init__.py: a file not written by ciokatana" in out
    assert "not fully installed" in err
    # The shelf items were still installed, and uninstall removes only those.
    assert (target / OURS[1]).is_file()
    code, out, _err = run(["--dir", str(target), "--uninstall"])
    assert foreign_init.read_text() == "# someone else's SuperTool\n"
    assert other_supertool.is_file()
    assert not (target / "Shelves").exists()


def test_uninstall_removes_exactly_what_it_wrote(tmp_path):
    target = tmp_path / "res"
    target.mkdir()
    (target / "SuperTools").mkdir()  # existed before: must stay
    (target / "Shelves" / "Mine").mkdir(parents=True)
    (target / "Shelves" / "Mine" / "tool.py").write_text('"""\nNAME: Mine\n"""\n')
    (target / "prefs.xml").write_text("<prefs/>")
    before = tree(target)
    run(["--dir", str(target)])
    # Katana's import leaves a cache next to the init file.
    cache = target / "SuperTools" / "ConductorRender" / "__pycache__"
    cache.mkdir()
    (cache / "__init__.cpython-311.pyc").write_bytes(b"\0")
    code, out, _err = run(["--dir", str(target), "--uninstall"])
    assert code == 0
    assert tree(target) == before
    assert out.count("  removed         ") == len(OURS)
    assert "removed folder  SuperTools/ConductorRender/" in out
    assert "removed folder  Shelves/Conductor/" in out
    assert "removed folder  SuperTools/\n" not in out


def test_uninstall_removes_the_folder_it_created_when_empty(tmp_path):
    target = tmp_path / "fresh" / ".katana"
    run(["--dir", str(target)])
    run(["--dir", str(target), "--uninstall"])
    assert not target.exists()
    assert (tmp_path / "fresh").is_dir()


def test_uninstall_keeps_folders_that_are_no_longer_empty(tmp_path):
    target = tmp_path / "res"
    run(["--dir", str(target)])
    (target / "Shelves" / "Conductor" / "my_own_tool.py").write_text("print('mine')\n")
    run(["--dir", str(target), "--uninstall"])
    assert tree(target) == ["Shelves", "Shelves/Conductor", "Shelves/Conductor/my_own_tool.py"]


def test_uninstall_of_nothing_says_so(tmp_path):
    code, out, _err = run(["--dir", str(tmp_path), "--uninstall"])
    assert code == 0
    assert out.count("not installed") == len(OURS)


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="needs POSIX permissions as a user")
def test_unwritable_folder_is_a_clear_one_line_error(tmp_path):
    target = tmp_path / "locked"
    target.mkdir()
    target.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        code, out, err = run(["--dir", str(target)])
    finally:
        target.chmod(stat.S_IRWXU)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("ciokatana install: cannot write in {}".format(target))
    assert "--dir" in err
    assert tree(target) == []


def test_a_file_in_place_of_the_folder_is_a_clear_error(tmp_path):
    target = tmp_path / "not_a_folder"
    target.write_text("x")
    code, _out, err = run(["--dir", str(target)])
    assert code == 2
    assert "is a file, not a folder" in err


def test_print_resources_names_the_packaged_folder():
    code, out, _err = run(["--print-resources"])
    assert code == 0
    folder = out.strip()
    assert folder == os.path.join(ROOT, "ciokatana", "katana", "resources")
    for rel in OURS:
        assert os.path.isfile(os.path.join(folder, *rel.split("/")))


def test_post_install_runs_as_a_script_inside_the_package(tmp_path):
    """``python DIR/ciokatana/post_install.py`` after ``pip install --target DIR``."""
    target = tmp_path / "res"
    script = os.path.join(ROOT, "ciokatana", "post_install.py")
    env = dict(os.environ, PYTHONPATH="")
    done = subprocess.run([sys.executable, script, "--dir", str(target)], capture_output=True, text=True,
                          cwd=str(tmp_path), env=env)
    assert done.returncode == 0, done.stderr
    assert (target / OURS[0]).is_file()
    done = subprocess.run([sys.executable, script, "--dir", str(target), "--uninstall"], capture_output=True,
                          text=True, cwd=str(tmp_path), env=env)
    assert done.returncode == 0, done.stderr
    assert not target.exists()


def test_top_level_post_install_for_a_source_checkout(tmp_path):
    target = tmp_path / "res"
    done = subprocess.run([sys.executable, os.path.join(ROOT, "post_install.py"), "--dir", str(target)],
                          capture_output=True, text=True, cwd=str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "CIOKATANA_PARENT = {!r}".format(ROOT) in (target / OURS[0]).read_text()


def test_ciokatana_install_subcommand_registers_its_options(tmp_path):
    from ciokatana.standalone import install

    parser = argparse.ArgumentParser(prog="ciokatana")
    sub = parser.add_subparsers(dest="command")
    install.register(sub)
    args = parser.parse_args(["install", "--dir", str(tmp_path / "res")])
    assert args.func(args) == 0
    assert (tmp_path / "res" / OURS[0]).is_file()
    args = parser.parse_args(["install", "--uninstall", "--dir", str(tmp_path / "res")])
    assert args.func(args) == 0
    assert not (tmp_path / "res").exists()


def test_permission_denied_is_a_clear_one_line_error(tmp_path, monkeypatch):
    """Same as above where the tests run as root (chmod does not stop root)."""
    target = tmp_path / "res"

    def refuse(path, *args, **kwargs):
        raise PermissionError(13, "Permission denied", path)

    monkeypatch.setattr(post_install.os, "makedirs", refuse)
    code, out, err = run(["--dir", str(target)])
    assert code == 2
    assert out == ""
    assert err == (
        "ciokatana install: cannot write in {} (Permission denied); choose a folder you can write with "
        "--dir DIR, or set KATANA_USER_RESOURCE_DIRECTORY\n".format(target)
    )


# -- issue 11.5: the installer cannot be turned against its user ------------------------------------

def test_a_symlink_planted_at_the_temp_name_is_never_written_through(tmp_path):
    target = tmp_path / "res"
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    for rel in OURS:
        dest = target / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(str(victim), str(dest) + ".ciokatana-tmp")
    code, _out, err = run(["--dir", str(target)])
    assert code == 0, err
    assert victim.read_text() == "precious\n"
    for rel in OURS:
        dest = target / rel
        assert not dest.is_symlink() and post_install.MARKER in dest.read_text()
    assert not [f for f in tree(target) if f.endswith(".ciokatana-tmp") and not (target / f).is_symlink()]


def test_a_symlink_in_place_of_an_installed_file_is_left_alone(tmp_path):
    target = tmp_path / "res"
    run(["--dir", str(target)])
    elsewhere = tmp_path / "elsewhere.py"
    elsewhere.write_text((target / OURS[1]).read_text())  # even a file carrying our marker
    (target / OURS[1]).unlink()
    os.symlink(str(elsewhere), str(target / OURS[1]))
    code, out, _err = run(["--dir", str(target), "--uninstall"])
    assert code == 1
    assert "left alone      " + OURS[1] in out
    assert elsewhere.is_file() and (target / OURS[1]).is_symlink()


def test_installed_files_are_readable_by_others(tmp_path):
    target = tmp_path / "res"
    old = os.umask(0o022)
    try:
        run(["--dir", str(target)])
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(str(target / OURS[0])).st_mode) == 0o644


def test_an_edited_file_is_left_alone_and_reported(tmp_path):
    target = tmp_path / "res"
    run(["--dir", str(target)])
    init = target / OURS[0]
    edited = init.read_text().replace("PluginRegistry = []", "PluginRegistry = []  # studio tweak")
    init.write_text(edited)
    assert post_install.is_modified(str(init))
    code, out, err = run(["--dir", str(target)])
    assert code == 1
    assert init.read_text() == edited
    assert "left alone      {}: edited since it was installed".format(OURS[0]) in out
    assert "--force" in out and "not fully installed" in err
    code, out, _err = run(["--dir", str(target), "--uninstall"])
    assert code == 1 and init.read_text() == edited
    assert "edited since it was installed" in out


def test_force_replaces_an_edited_file_and_keeps_a_backup(tmp_path):
    target = tmp_path / "res"
    run(["--dir", str(target)])
    init = target / OURS[0]
    edited = init.read_text() + "\n# studio tweak\n"
    init.write_text(edited)
    code, out, _err = run(["--dir", str(target), "--force"])
    assert code == 0
    [backup] = [f for f in tree(target) if post_install.BACKUP in f]
    assert (target / backup).read_text() == edited
    assert "replaced        {}: your edited copy is in {}".format(OURS[0], os.path.basename(backup)) in out
    assert not post_install.is_modified(str(init)) and "studio tweak" not in init.read_text()


def test_force_uninstall_removes_an_edited_file_after_a_backup(tmp_path):
    target = tmp_path / "res"
    run(["--dir", str(target)])
    shelf = target / OURS[2]
    shelf.write_text(shelf.read_text() + "# mine\n")
    code, out, _err = run(["--dir", str(target), "--uninstall", "--force"])
    assert code == 0
    assert not shelf.exists()
    [backup] = [f for f in tree(target) if post_install.BACKUP in f]
    assert (target / backup).read_text().endswith("# mine\n")


def test_an_empty_dir_is_an_error_not_the_home_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("KATANA_USER_RESOURCE_DIRECTORY", str(tmp_path / "user"))
    for argv in (["--dir", ""], ["--dir", "  "], ["--dir", "", "--uninstall"]):
        code, out, err = run(argv)
        assert code == 2 and out == ""
        assert err.startswith("ciokatana install: --dir is empty: give the Katana resources folder")
    assert not (tmp_path / "home").exists() and not (tmp_path / "user").exists()
    with pytest.raises(post_install.InstallError):
        post_install.install("")


def test_uninstall_never_removes_anything_outside_the_target(tmp_path):
    target = tmp_path / "site" / "res"
    run(["--dir", str(target)])
    outside = tmp_path / "site" / "outside"
    outside.mkdir()
    absolute = tmp_path / "absolute"
    absolute.mkdir()
    linked_to = tmp_path / "linked_to"
    linked_to.mkdir()
    os.symlink(str(linked_to), str(target / "link"))
    init = target / OURS[0]
    text = init.read_text()
    created = next(line for line in text.split("\n") if line.startswith(post_install.CREATED))
    hostile = created + ", ../outside, {}, link, Shelves/../../outside".format(absolute)
    init.write_text(text.replace(created, hostile))
    as_older_version(init, "", "")  # a marker whose hash matches: it looks untouched
    assert not post_install.is_modified(str(init))
    code, _out, _err = run(["--dir", str(target), "--uninstall"])
    assert code == 0
    assert outside.is_dir() and absolute.is_dir() and linked_to.is_dir()
    assert (target / "link").is_symlink()


def test_the_windows_user_folder_follows_home_before_userprofile():
    environ = {"HOME": "D:\\home\\ana", "USERPROFILE": "C:\\Users\\ana"}
    folder, why = post_install.user_resources_dir(environ, os_name="nt")
    assert folder == "D:\\home\\ana\\.katana"
    assert "HOME" in why and "USERPROFILE" in why
    assert "unverified for Katana itself" in why and "Katana prefers" not in why  # not stated as fact
    folder, why = post_install.user_resources_dir({"USERPROFILE": "C:\\Users\\ana"}, os_name="nt")
    assert folder == "C:\\Users\\ana\\.katana" and "USERPROFILE" in why
    folder, why = post_install.user_resources_dir(
        {"KATANA_USER_RESOURCE_DIRECTORY": "E:\\katana", "HOME": "D:\\home"}, os_name="nt")
    assert folder == "E:\\katana" and "KATANA_USER_RESOURCE_DIRECTORY" in why


def test_the_install_says_which_folder_and_why(tmp_path, monkeypatch):
    monkeypatch.delenv("KATANA_USER_RESOURCE_DIRECTORY", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    code, out, _err = run([])
    assert code == 0
    assert "Katana resources folder: {}".format(tmp_path / ".katana") in out
    assert "why this folder: KATANA_USER_RESOURCE_DIRECTORY is not set; .katana in HOME" in out


# -- never outside the target, whatever stands in the way (review of 11.5) -------------------------

def test_a_folder_symlinked_outside_the_target_stops_the_install(tmp_path):
    target = tmp_path / "res"
    target.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.symlink(str(elsewhere), str(target / "Shelves"))
    code, out, err = run(["--dir", str(target)])
    assert code == 2 and out == ""
    assert err == ("ciokatana install: {} leads to {}, outside {} (a symlink): ciokatana never writes outside "
                   "the folder it installs into; make it a real folder, or pass the folder you mean with "
                   "--dir\n".format(target / "Shelves", elsewhere, target))
    assert tree(elsewhere) == []
    assert tree(target) == ["Shelves"]  # nothing written before it stopped
    code, out, _err = run(["--dir", str(target), "--uninstall"])
    assert tree(elsewhere) == [] and (target / "Shelves").is_symlink()


def test_a_folder_symlinked_inside_the_target_is_fine(tmp_path):
    target = tmp_path / "res"
    (target / "real_shelves").mkdir(parents=True)
    os.symlink(str(target / "real_shelves"), str(target / "Shelves"))
    code, _out, err = run(["--dir", str(target)])
    assert code == 0, err
    assert post_install.MARKER in (target / "real_shelves" / "Conductor" / "ScanAssets.py").read_text()
    code, _out, _err = run(["--dir", str(target), "--uninstall"])
    assert code == 0 and not (target / "real_shelves" / "Conductor").exists()


def test_a_folder_swapped_for_a_symlink_after_the_check_is_not_written_through(tmp_path, monkeypatch):
    """The race: someone who can write the target replaces Shelves by a link once it was checked."""
    target = tmp_path / "res"
    run(["--dir", str(target)])
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "Conductor").mkdir()
    check = post_install.check_no_link_outside

    def check_then_swap(*args):
        check(*args)
        os.rename(str(target / "Shelves"), str(tmp_path / "old_shelves"))
        os.symlink(str(elsewhere), str(target / "Shelves"))

    monkeypatch.setattr(post_install, "check_no_link_outside", check_then_swap)
    (target / OURS[1]).unlink()  # so the install has a shelf item to write
    code, out, err = run(["--dir", str(target)])
    assert tree(elsewhere) == ["Conductor"]  # nothing written there
    assert code == 2 and "outside" in err


@pytest.mark.skipif(not post_install.USE_DIR_FD, reason="folders are pinned open on POSIX only")
def test_a_folder_swapped_once_opened_is_not_written_through(tmp_path, monkeypatch):
    """The later race: the folder is swapped after it was opened and checked; the write still lands in it."""
    target = tmp_path / "res"
    run(["--dir", str(target)])
    (target / OURS[1]).unlink()
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "Conductor").mkdir(parents=True)
    read = post_install.Folder.read

    def read_then_swap(folder, name):
        if name == "ScanAssets.py" and not (target / "Shelves").is_symlink():
            os.rename(str(target / "Shelves"), str(tmp_path / "old_shelves"))
            os.symlink(str(elsewhere), str(target / "Shelves"))
        return read(folder, name)

    monkeypatch.setattr(post_install.Folder, "read", read_then_swap)
    code, _out, err = run(["--dir", str(target)])
    assert tree(elsewhere) == ["Conductor"]
    assert code == 2 and "outside" in err  # the next shelf item finds the link and stops
    assert post_install.MARKER in (tmp_path / "old_shelves" / "Conductor" / "ScanAssets.py").read_text()


def test_force_backs_up_the_bytes_it_checked_not_a_file_swapped_in_meanwhile(tmp_path, monkeypatch):
    """--force must not copy someone else's file into a backup others can read (the swap race)."""
    target = tmp_path / "res"
    run(["--dir", str(target)])
    init = target / OURS[0]
    edited = init.read_text() + "\n# studio tweak\n"
    init.write_text(edited)
    init.chmod(0o600)
    secret = tmp_path / "secret.txt"
    secret.write_text("API_KEY=hunter2\n")
    real_open = os.open

    def swap_before_the_backup(path, flags, *args, **kwargs):
        if post_install.BACKUP in str(path) and flags & os.O_CREAT and not init.is_symlink():
            init.unlink()
            os.symlink(str(secret), str(init))  # swapped in after the checks
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", swap_before_the_backup)
    code, out, err = run(["--dir", str(target), "--force"])
    monkeypatch.setattr(os, "open", real_open)
    assert code == 0, err
    [backup] = [target / f for f in tree(target) if post_install.BACKUP in f]
    assert backup.read_text() == edited
    assert stat.S_IMODE(os.stat(str(backup)).st_mode) == 0o600  # the edited file's own permissions
    assert secret.read_text() == "API_KEY=hunter2\n"
    assert not init.is_symlink() and post_install.MARKER in init.read_text()
    assert not [f for f in tree(target) if (target / f).is_file() and "hunter2" in (target / f).read_text()]
