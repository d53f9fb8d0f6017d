"""The file panel's model: bulk appends, ranged updates, cached files, true byte totals."""

from ciokatana.qt import QtCore
from ciokatana.ui.models import files


def _info(uploaded, size=1000, cached=False, md5="m"):
    return {"bytes_to_upload": size, "bytes_uploaded": uploaded, "already_uploaded": cached, "md5": md5,
            "md5_was_cached": False}


def test_new_paths_are_appended_in_one_insert_and_changes_in_one_range(qtbot):
    model = files.FileProgressModel()
    inserts, changes = [], []
    model.rowsInserted.connect(lambda parent, first, last: inserts.append((first, last)))
    model.dataChanged.connect(lambda tl, br, roles=None: changes.append((tl.row(), br.row())))
    model.update({"/f{}".format(i): _info(0) for i in range(10000)})
    assert inserts == [(0, 9999)]
    model.update({"/f10": _info(500), "/f20": _info(1000), "/f5": _info(0)})  # /f5 unchanged
    assert changes == [(10, 20)]
    assert model.file_state("/f10") == (0.5, files.UPLOADING)
    assert model.file_state("/f20") == (1.0, files.DONE)
    assert model.index(20, files.PROGRESS).data() == "100%"
    assert model.uploaded_bytes == 1500
    assert model.total_bytes == 10000 * 1000


def test_cached_files_show_a_badge_and_do_not_count_as_uploads(qtbot):
    model = files.FileProgressModel()
    model.update({"/a": _info(0, cached=True), "/b": _info(0, md5=None)})
    assert model.cached_count == 1
    assert model.total_bytes == 1000
    assert model.index(0, files.PROGRESS).data() == "Cached"
    assert model.index(0, files.PROGRESS).data(files.ProgressRole) == (1.0, files.CACHED)
    assert model.index(1, files.PROGRESS).data() == "Hashing"
    assert "already on Conductor" in model.index(0, files.PATH).data(QtCore.Qt.ToolTipRole)
    model.clear()
    assert model.rowCount() == 0 and model.cached_count == 0


def test_queued_maps_are_merged_and_applied_in_slices(qtbot):
    model = files.FileProgressModel(slice_size=1000)
    busy = []
    model.busy_changed.connect(busy.append)
    model.queue({"/f{}".format(i): _info(0) for i in range(3500)})
    model.queue({"/f0": _info(1000)})  # a later partial map wins
    assert busy == [True]
    assert model.rowCount() == 0 and model.pending == 3500
    qtbot.waitUntil(lambda: model.pending == 0)
    assert busy == [True, False]
    assert model.rowCount() == 3500
    assert model.file_state("/f0") == (1.0, files.DONE)
    model.queue({"/f1": _info(10)})
    model.apply_pending()
    assert model.file_state("/f1")[0] == 0.01
