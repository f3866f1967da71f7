"""One self-contained HTML page of a run: data, separation, classification, examples, provenance.

Everything is inline: images as base64 PNG, audio as base64 16-bit WAV, styles in the page,
no script and no external resource, so the file can be mailed or archived alone.

Inputs fall in two groups. *Required* ones (manifests, quality report, separation and
classification summaries) fail with :class:`ReportInputError` naming the file. Everything
else (plots, histories, example audio, predictions, benchmarks) is optional: when missing
the page says so in place and in its "Notes" list, and the report is still written.

The library reads no config: :class:`ReportSettings` carries what the page is told (variants,
classifiers, dataset sources, seed, the config sections it prints).

Modules: ``inputs`` (paths, settings, the required tables), ``tables`` (the tables as pandas
frames), ``provenance`` (commit, versions, device, benchmark wall times, config YAML),
``examples`` (the example clips' audio and spectrograms), ``elements`` (table cells, inline
images and audio, the notes), ``sections`` (each section's values), ``render`` (the page
through ``templates/report.html.j2``).
"""

from .elements import fmt, wav_bytes
from .examples import EXAMPLE_SOURCES, choose_examples, load_example
from .inputs import ReportInputError, ReportInputs, ReportSettings, read_required_csv
from .provenance import (
    PACKAGES, SkippedBenchmark, device_description, git_commit, package_versions, rule_of_benchmark, wall_times,
)
from .render import MAX_BYTES, render, write_report
from .tables import (
    METHOD_NOTES, ORIGINAL_CLASSIFICATION, ORIGINAL_SEPARATION, classification_table, classifiers_table,
    comparison_tables, separation_table,
)

__all__ = [
    "EXAMPLE_SOURCES", "MAX_BYTES", "METHOD_NOTES", "ORIGINAL_CLASSIFICATION", "ORIGINAL_SEPARATION", "PACKAGES",
    "ReportInputError", "ReportInputs", "ReportSettings", "SkippedBenchmark", "choose_examples",
    "classification_table", "classifiers_table", "comparison_tables", "device_description", "fmt", "git_commit",
    "load_example", "package_versions", "read_required_csv", "render", "rule_of_benchmark", "separation_table",
    "wall_times", "wav_bytes", "write_report",
]
