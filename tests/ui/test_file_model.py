"""The file panel's model, a view of the run's FileTally: bulk appends, ranged updates, cached sizes."""

from ciokatana.qt import QtCore
from ciokatana.ui.models import files
from ciokatana.ui.runs import FileTally


def _info(uploaded, size=1000, cached=False, md5="m"):
    return {"bytes_to_upload": size, "bytes_uploaded": uploaded, "already_uploaded": cached, "md5": md5,
            "md5_was_cached": False}


def test_new_paths_are_appended_in_one_insert_and_changes_in_one_range(qtbot):
    tally = FileTally()
    model = files.FileProgressModel(tally=tally)
    inserts, changes = [], []
    model.rowsInserted.connect(lambda parent, first, last: inserts.append((first, last)))
    model.dataChanged.connect(lambda tl, br, roles=None: changes.append((tl.row(), br.row())))
    tally.update({"/f{}".format(i): _info(0) for i in range(10000)})
    assert model.rowCount() == 0  # nothing shown until the model is told
    model.sync()
    assert inserts == [(0, 9999)] and model.rowCount() == 10000
    tally.update({"/f10": _info(500), "/f20": _info(1000), "/f5": _info(0)})  # /f5 unchanged
    tally.update({"/f10000": _info(0)})
    model.sync()
    assert changes == [(10, 20)]
    assert inserts[-1] == (10000, 10000)
    assert model.file_state("/f10") == (0.5, files.UPLOADING)
    assert model.file_state("/f20") == (1.0, files.DONE)
    assert model.index(20, files.PROGRESS).data() == "100%"
    assert model.uploaded_bytes == 1500 == tally.uploaded_bytes
    assert model.total_bytes == 10001 * 1000


def test_cached_files_show_a_badge_and_their_known_size(qtbot):
    tally = FileTally()
    model = files.FileProgressModel(tally=tally)
    model.set_known_sizes({"/a": 2048})
    tally.update({"/a": _info(0, size=0, cached=True), "/b": _info(0, md5=None), "/c": _info(0, size=0, cached=True)})
    model.sync()
    assert model.cached_count == 2
    assert model.total_bytes == 1000
    assert model.index(0, files.PROGRESS).data() == "Cached"
    assert model.index(0, files.SIZE).data() == "2.0 KB"  # the plan's size, not ciocore's 0
    assert model.index(2, files.SIZE).data() == "\u2014"  # unknown
    assert model.index(0, files.PROGRESS).data(files.ProgressRole) == (1.0, files.CACHED)
    assert model.index(1, files.PROGRESS).data() == "Hashing"
    assert "already on Conductor" in model.index(0, files.PATH).data(QtCore.Qt.ToolTipRole)
    model.clear()
    assert model.rowCount() == 0 and model.cached_count == 0


def test_a_new_tally_resets_the_view(qtbot):
    first = FileTally()
    first.update({"/a": _info(0)})
    model = files.FileProgressModel(tally=first)
    resets = []
    model.modelReset.connect(lambda: resets.append(1))
    second = FileTally()
    second.update({"/x": _info(0), "/y": _info(0)})
    model.set_tally(second)
    assert resets == [1] and model.paths() == ["/x", "/y"]


def test_sorting_and_filtering_keep_up_with_new_files(qtbot):
    tally = FileTally()
    model = files.FileProgressModel(tally=tally)
    tally.update({"/tex/b.tx": _info(0, size=300), "/tex/a.tx": _info(0, size=100), "/geo/c.abc": _info(0, size=200)})
    model.sync()
    model.sort(files.SIZE, QtCore.Qt.DescendingOrder)
    assert [model.index(r, files.PATH).data() for r in range(3)] == ["/tex/b.tx", "/geo/c.abc", "/tex/a.tx"]
    model.set_filter("TEX")
    assert model.rowCount() == 2
    tally.update({"/tex/d.tx": _info(0), "/geo/e.abc": _info(0), "/tex/b.tx": _info(300, size=300)})
    model.sync()
    assert [model.index(r, files.PATH).data() for r in range(model.rowCount())] == ["/tex/b.tx", "/tex/a.tx", "/tex/d.tx"]
    assert model.index(0, files.PROGRESS).data(files.ProgressRole) == (1.0, files.DONE)
    model.set_filter("")
    assert model.rowCount() == 5
