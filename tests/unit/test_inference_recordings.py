"""inference.recordings: what the Snakefile reads of the recordings folder, without torch."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from danet_music2vec.inference import recordings, user_audio

REPO = Path(__file__).resolve().parents[2]


def test_the_package_modules_the_workflow_files_import_do_not_import_torch():
    # Every Snakemake start parses the workflow (on SLURM each job twice); torch alone took 1.5 s.
    imports = sorted({line.strip() for path in [REPO / "Snakefile", *sorted((REPO / "rules").glob("*.smk"))]
                      for line in path.read_text().splitlines()
                      if re.match(r"\s*(from|import) danet_music2vec\b", line)})
    assert any("recordings" in line for line in imports) and any("settings" in line for line in imports)
    code = "\n".join([*imports, "import sys", "print(sorted(m for m in ('torch', 'h5py', 'librosa') if m in sys.modules))"])
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]", result.stdout


def test_user_audio_still_offers_the_recordings_api_it_moved_out():
    for name in ("AUDIO_SUFFIXES", "USER_METHODS", "UserAudioSettings", "list_recordings", "file_key",
                 "resolve_method", "base_method"):
        assert getattr(user_audio, name) is getattr(recordings, name), name


def test_the_headline_method_is_used_for_recordings_only_where_danet_separates(tmp_path):
    assert recordings.resolve_method("", "danet_fusion") == "danet_fusion"
    assert recordings.resolve_method("", "noisereduce_oa") == "danet"
    assert recordings.resolve_method("noisereduce", "danet_fusion") == "noisereduce"
    (tmp_path / "take 1.WAV").write_bytes(b"")
    (tmp_path / "notes.txt").write_text("not audio")
    audio, other = recordings.list_recordings(tmp_path)
    assert list(audio.values()) == ["take 1.WAV"] and other == ["notes.txt"]
