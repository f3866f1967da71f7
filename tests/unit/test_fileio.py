"""fileio: an output exists complete or not at all; a full or read-only folder is named.

The full and read-only folders are real mounts (tests/filesystems.py: root and CAP_SYS_ADMIN,
as in CI; skipped elsewhere)."""

from __future__ import annotations

import subprocess

import pandas as pd
import pytest
from filesystems import mount_full_disk, mount_read_only

from danet_music2vec.fileio import OutputWriteError, atomic_path, remove_path


def test_a_finished_write_is_renamed_onto_its_destination(tmp_path):
    dest = tmp_path / "new" / "table.csv"
    with atomic_path(dest) as tmp:
        assert tmp.parent == dest.parent and tmp.name.startswith(".table.csv.") and not tmp.exists()
        tmp.write_text("a,b\n1,2\n")
        assert not dest.exists()  # nothing at the destination until the block ends
    assert dest.read_text() == "a,b\n1,2\n"
    assert [p.name for p in dest.parent.iterdir()] == ["table.csv"]


def test_a_failed_write_leaves_the_old_output_and_no_temporary(tmp_path):
    dest = tmp_path / "table.csv"
    dest.write_text("old")
    with pytest.raises(RuntimeError, match="killed midway"):
        with atomic_path(dest) as tmp:
            tmp.write_text("half")
            raise RuntimeError("killed midway")
    assert dest.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["table.csv"]
    with pytest.raises(FileNotFoundError, match="nothing was written for .*table.csv"):
        with atomic_path(dest):
            pass
    assert dest.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["table.csv"]


def test_a_folder_output_replaces_the_old_folder_whole(tmp_path):
    dest = tmp_path / "separation"
    (dest / "stale").mkdir(parents=True)
    with atomic_path(dest) as tmp:
        tmp.mkdir()
        (tmp / "index.csv").write_text("mix_id\n")
    assert sorted(p.name for p in dest.iterdir()) == ["index.csv"]
    with pytest.raises(KeyboardInterrupt):  # even an interrupt leaves no half folder
        with atomic_path(dest) as tmp:
            tmp.mkdir()
            (tmp / "index.csv").write_text("half")
            raise KeyboardInterrupt
    assert (dest / "index.csv").read_text() == "mix_id\n" and [p.name for p in tmp_path.iterdir()] == ["separation"]


def test_remove_path_removes_files_links_and_folders(tmp_path):
    (tmp_path / "folder" / "inner").mkdir(parents=True)
    (tmp_path / "file").write_text("x")
    (tmp_path / "link").symlink_to(tmp_path / "folder")
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    for name in ("link", "dangling", "folder", "file", "absent"):
        remove_path(tmp_path / name)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("fault", "reason"), [("full", "No space left on device"), ("read-only", "Read-only file system")])
def test_atomic_write_into_a_full_or_read_only_folder_names_the_output_and_leaves_nothing(tmp_path, fault, reason):
    folder = tmp_path / "out"
    folder.mkdir()
    mount_full_disk(folder) if fault == "full" else mount_read_only(folder, tmp_path / "empty")
    try:
        before = sorted(path.name for path in folder.iterdir())
        dest = folder / "table.csv"
        with pytest.raises(OutputWriteError, match=f"cannot write {dest}: {reason}"):
            with atomic_path(dest) as tmp:
                pd.DataFrame({"x": range(10000)}).to_csv(tmp)
        assert sorted(path.name for path in folder.iterdir()) == before
    finally:
        subprocess.run(["umount", str(folder)], check=True)
