"""ESC-50's class table, file table columns and folds: the layout the synthetic stand-in copies."""

from __future__ import annotations

# The real ESC-50 class table: (target, category, esc10). Targets are ESC-50's numbers;
# esc10 marks the 10 classes of the ESC-10 subset.
ESC50_CLASSES: tuple[tuple[int, str, bool], ...] = (
    (0, "dog", True),
    (1, "rooster", True),
    (2, "pig", False),
    (3, "cow", False),
    (4, "frog", False),
    (5, "cat", False),
    (6, "hen", False),
    (7, "insects", False),
    (8, "sheep", False),
    (9, "crow", False),
    (10, "rain", True),
    (11, "sea_waves", True),
    (12, "crackling_fire", True),
    (13, "crickets", False),
    (14, "chirping_birds", False),
    (15, "water_drops", False),
    (16, "wind", False),
    (17, "pouring_water", False),
    (18, "toilet_flush", False),
    (19, "thunderstorm", False),
    (20, "crying_baby", True),
    (21, "sneezing", True),
    (22, "clapping", False),
    (23, "breathing", False),
    (24, "coughing", False),
    (25, "footsteps", False),
    (26, "laughing", False),
    (27, "brushing_teeth", False),
    (28, "snoring", False),
    (29, "drinking_sipping", False),
    (30, "door_wood_knock", False),
    (31, "mouse_click", False),
    (32, "keyboard_typing", False),
    (33, "door_wood_creaks", False),
    (34, "can_opening", False),
    (35, "washing_machine", False),
    (36, "vacuum_cleaner", False),
    (37, "clock_alarm", False),
    (38, "clock_tick", True),
    (39, "glass_breaking", False),
    (40, "helicopter", True),
    (41, "chainsaw", True),
    (42, "siren", False),
    (43, "car_horn", False),
    (44, "engine", False),
    (45, "train", False),
    (46, "church_bells", False),
    (47, "airplane", False),
    (48, "fireworks", False),
    (49, "hand_saw", False),
)
TARGET = {category: target for target, category, _ in ESC50_CLASSES}
ESC10 = {category: esc10 for _, category, esc10 in ESC50_CLASSES}


CSV_COLUMNS: tuple[str, ...] = ("filename", "fold", "target", "category", "esc10", "src_file", "take")
NB_FOLDS = 5
MAX_CLIPS_PER_CLASS = 40  # ESC-50 has 40 clips per class


# Tags that keep the random streams of different purposes apart (SeedSequence entropy).
STREAM_FOLDS = 1
STREAM_CLASS = 2
STREAM_CLIP = 3
