"""evaluation.bss on a real workflow run: the default backend (fast_bss_eval) that scored the
run agrees with mir_eval on every method's separated test clips."""

from __future__ import annotations

import numpy as np
import pytest

from danet_music2vec.evaluation.bss import (
    CLIP_COLUMNS,
    NUMERICAL_CEILING_DB,
    evaluate_method,
    read_clip_metrics,
)
from danet_music2vec.methods import BSS_METHODS

pytestmark = pytest.mark.workflow


def test_fast_backend_agrees_with_mir_eval_on_every_method_of_the_test_run(completed_test_run):
    """The run scores with the default backend (fast_bss_eval); mir_eval rescores the same clips."""
    workdir = completed_test_run
    numeric = [c for c in CLIP_COLUMNS
               if c not in ("mix_id", "music_id", "snr_db", "noise_classes", "swapped", "silent_music", "silent_noise")]
    compared = 0
    for table in sorted((workdir / "results/metrics/separation").glob("*/*.csv")):
        variant, method = table.parent.name, table.stem
        fast = read_clip_metrics(table).set_index("mix_id")
        exact = evaluate_method(workdir / f"results/features/{variant}/test.h5",
                                workdir / f"results/separation/{variant}/{method}", backend="mir_eval")
        exact = exact.set_index("mix_id").loc[fast.index]
        for column in numeric:
            beyond = exact[column] > NUMERICAL_CEILING_DB  # rounding-level artifacts: both must say so
            assert (fast.loc[beyond, column] > NUMERICAL_CEILING_DB).all(), (table, column)
            np.testing.assert_allclose(fast.loc[~beyond, column], exact.loc[~beyond, column], rtol=0, atol=1e-3,
                                       err_msg=f"{variant}/{method} {column}")
        assert (fast["swapped"] == exact["swapped"]).all(), table
        assert (fast["noise_classes"] == exact["noise_classes"]).all(), table
        compared += len(fast)
    # 2 variants x every scored method (the separations and the no-harm outputs) x 4 music clips
    # (evaluation.bss_clips_per_snr) x 3 test SNRs
    assert compared == 2 * len(BSS_METHODS) * 4 * 3
