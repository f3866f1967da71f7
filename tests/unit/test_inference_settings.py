"""inference.settings: the workflow config's separation options per method, as the rules pass them."""

from __future__ import annotations

from pathlib import Path

import yaml

from danet_music2vec.inference.separation import SeparationSettings
from danet_music2vec.inference.settings import settings_from_config

CONFIG = yaml.safe_load((Path(__file__).resolve().parents[2] / "config" / "config.yaml").read_text())


def test_every_field_comes_from_the_config_and_builds_separation_settings():
    values = settings_from_config(CONFIG, "danet")
    settings = SeparationSettings(**values)  # every key is a field: nothing left at its default by a typo
    assert settings.kmeans_max_points == CONFIG["separation"]["kmeans_max_points"] == 4000
    assert settings.window_overlap == CONFIG["separation"]["window_overlap"] == 0.25
    assert settings.seed == CONFIG["seed"] and settings.threshold_db == CONFIG["danet"]["threshold_db"]
    assert settings.noisereduce_stationary is CONFIG["separation"]["noisereduce"]["stationary"]


def test_attractors_follow_the_methods_danet_setup_and_other_methods_get_kmeans():
    changed = {**CONFIG, "danet": {**CONFIG["danet"], "setups": {
        **CONFIG["danet"]["setups"], "danet_original": {**CONFIG["danet"]["setups"]["danet_original"],
                                                        "attractors": "fixed"}}}}
    assert settings_from_config(changed, "danet_original")["attractors"] == "fixed"
    assert settings_from_config(changed, "danet")["attractors"] == "kmeans"
    assert settings_from_config(changed, "noisereduce")["attractors"] == "kmeans"
