"""A separation method's inference options under a workflow config: what the rules pass to
:class:`~danet_music2vec.inference.separation.SeparationSettings`. Plain dictionaries, so the
Snakefile reads it without importing torch."""

from __future__ import annotations


def settings_from_config(config: dict, method: str) -> dict:
    """The :class:`SeparationSettings` fields of one method under a workflow config, as a dict
    (a rule's params): the workflow's rules and the separation bench read the config alike."""
    setup = config["danet"]["setups"].get(method, {})
    noisereduce = config["separation"]["noisereduce"]
    return {
        "attractors": setup.get("attractors", "kmeans"),
        "threshold_db": config["danet"]["threshold_db"],
        "kmeans_max_points": config["separation"]["kmeans_max_points"],
        "window_overlap": config["separation"]["window_overlap"],
        "noisereduce_stationary": noisereduce["stationary"],
        "noisereduce_prop_decrease": noisereduce["prop_decrease"],
        "seed": config["seed"],
    }
