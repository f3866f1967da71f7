"""synthetic.noise.classes: ESC-50's class table (targets, names, ESC-10), written out here
independently of the module's table, and the target numbers of the noise world's classes."""

from __future__ import annotations

from danet_music2vec.synthetic import noise as sn

# The ESC-50 classes the brief names, written out independently of the module's table.
ESC10 = {"dog", "rooster", "rain", "sea_waves", "crackling_fire", "crying_baby", "sneezing",
         "clock_tick", "helicopter", "chainsaw"}  # fmt: skip
SPOT_TARGETS = {"dog": 0, "rooster": 1, "pig": 2, "cow": 3, "frog": 4, "cat": 5, "sheep": 8,
                "rain": 10, "crackling_fire": 12, "wind": 16, "keyboard_typing": 32,
                "vacuum_cleaner": 36, "clock_tick": 38, "helicopter": 40, "siren": 42,
                "engine": 44, "hand_saw": 49}  # fmt: skip


def test_class_table_is_esc50():
    assert [t for t, _, _ in sn.ESC50_CLASSES] == list(range(50))
    names = {c: t for t, c, _ in sn.ESC50_CLASSES}
    assert len(names) == 50
    assert all(names[c] == t for c, t in SPOT_TARGETS.items())
    assert {c for _, c, e in sn.ESC50_CLASSES if e} == ESC10
    # The procedural classes are ESC-50 classes.
    assert set(sn.PROCEDURAL_CLASSES) <= set(names) and len(set(sn.PROCEDURAL_CLASSES)) == 9

