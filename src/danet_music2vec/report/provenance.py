"""Where a run's numbers come from: git commit, package versions, device, the wall time per
rule from Snakemake's benchmark files, and the configuration shown on the page."""

from __future__ import annotations

import os
import platform
import re
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

PACKAGES = ("torch", "snakemake", "numpy", "librosa", "mir_eval", "fast_bss_eval", "scikit-learn",
            "scipy", "pandas", "matplotlib", "h5py", "noisereduce")
WALL_TIME_COLUMNS = ["rule", "jobs", "seconds (sum)", "seconds (longest job)"]


def git_commit(repo: str | os.PathLike) -> str:
    """HEAD's commit (with '+ uncommitted changes' when tracked files differ), or 'unknown'."""
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True,
                              timeout=20, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    if not re.fullmatch(r"[0-9a-f]{40}", head):
        return "unknown"
    try:
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=repo,
                               capture_output=True, text=True, timeout=20, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        dirty = ""
    return head + (" + uncommitted changes" if dirty else "")


def package_versions(names: Iterable[str] = PACKAGES) -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for name in names:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def device_description() -> str:
    try:
        import torch
    except ImportError:
        return f"cpu ({os.cpu_count()} cores; torch not installed)"
    if torch.cuda.is_available():
        return f"cuda ({torch.cuda.get_device_name(0)}), {os.cpu_count()} CPU cores"
    return f"cpu ({os.cpu_count()} cores, {platform.machine()}; no CUDA device visible)"


def provenance_facts(repo: str | os.PathLike, seed: int | None) -> pd.DataFrame:
    """item/value rows: git commit, seed, device, python, platform, then each package's version."""
    return pd.DataFrame([
        {"item": "git commit", "value": git_commit(repo)},
        {"item": "seed", "value": "unknown" if seed is None else str(seed)},
        {"item": "device", "value": device_description()},
        {"item": "python", "value": platform.python_version()},
        {"item": "platform", "value": platform.platform()},
        *({"item": name, "value": version} for name, version in package_versions().items()),
    ])


# --------------------------------------------------------------------------- benchmark files


def _pattern_regex(pattern: str) -> re.Pattern:
    """A Snakemake path pattern as a regex matching the end of a path ({wildcard} = one path part)."""
    parts = re.split(r"(\{[^{}]+\})", pattern)
    regex = "".join("[^/]+" if p.startswith("{") and p.endswith("}") else re.escape(p) for p in parts)
    return re.compile(r"(?:^|/)" + regex + r"\Z")


def rule_of_benchmark(path: str | os.PathLike, patterns: Mapping[str, str]) -> str:
    """The rule whose benchmark pattern matches the end of ``path`` (the most literal one on
    ties), else the path's last two parts without the suffix."""
    posix = Path(path).as_posix()
    best, best_literal = None, -1
    for rule, pattern in patterns.items():
        if _pattern_regex(pattern).search(posix):
            literal = len(re.sub(r"\{[^{}]+\}", "", pattern))
            if literal > best_literal:
                best, best_literal = rule, literal
    return best or "/".join(Path(path).with_suffix("").parts[-2:])


@dataclass(frozen=True)
class SkippedBenchmark:
    """A benchmark file that gave no wall time, and why."""

    path: Path
    reason: str


def benchmark_seconds(tsv: Path) -> float:
    """Seconds of one benchmark file: the mean of its ``s`` column over repeats.

    Raises what a half-written or foreign file raises: EmptyDataError (empty), ParserError
    (not a TSV), KeyError (no ``s`` column), ValueError (seconds that are not numbers)."""
    return float(pd.read_csv(tsv, sep="\t")["s"].astype(float).mean())


def _skip_reason(error: Exception) -> str:
    if isinstance(error, pd.errors.EmptyDataError):
        return "the file is empty"
    if isinstance(error, pd.errors.ParserError):
        return f"not a tab-separated table ({str(error).strip()})"
    if isinstance(error, KeyError):
        return "it has no 's' (seconds) column"
    return f"its seconds are not numbers ({error})"


def wall_times(benchmarks_dir: str | os.PathLike, patterns: Mapping[str, str]
               ) -> tuple[pd.DataFrame, list[SkippedBenchmark]]:
    """Per rule: jobs, summed and longest seconds of Snakemake's benchmark files (column ``s``;
    the mean over repeats of one file), most seconds first; and the files that gave none
    (half-written or foreign), each with the reason, named under ``benchmarks_dir``."""
    root = Path(benchmarks_dir)
    rows, skipped = [], []
    for tsv in sorted(root.resolve().rglob("*.tsv")):
        shown = root / tsv.relative_to(root.resolve())
        try:
            seconds = benchmark_seconds(tsv)
        except (pd.errors.EmptyDataError, pd.errors.ParserError, KeyError, ValueError) as error:
            skipped.append(SkippedBenchmark(shown, _skip_reason(error)))
            continue
        if not np.isfinite(seconds):
            skipped.append(SkippedBenchmark(shown, "it holds no seconds (no data row, or an empty value)"))
            continue
        rows.append({"rule": rule_of_benchmark(tsv, patterns), "seconds": seconds})
    if not rows:
        return pd.DataFrame(columns=WALL_TIME_COLUMNS), skipped
    table = pd.DataFrame(rows).groupby("rule", sort=False)["seconds"].agg(["count", "sum", "max"]).reset_index()
    table.columns = WALL_TIME_COLUMNS
    return table.sort_values("seconds (sum)", ascending=False, ignore_index=True), skipped


def with_total(times: pd.DataFrame) -> pd.DataFrame:
    """A :func:`wall_times` table with an ``all rules`` row last."""
    total = pd.DataFrame([{"rule": "all rules", "jobs": int(times["jobs"].sum()),
                           "seconds (sum)": times["seconds (sum)"].sum(),
                           "seconds (longest job)": times["seconds (longest job)"].max()}])
    return pd.concat([times, total], ignore_index=True)


# --------------------------------------------------------------------------- configuration


def plain(value: object) -> object:
    """Snakemake's config as plain dicts and lists (for YAML)."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (np.integer, np.floating)):
        return value.item()
    return value


def config_yaml(config: Mapping) -> str:
    """The configuration sections shown on the page, as YAML in their order."""
    import yaml

    return yaml.safe_dump(plain(config), sort_keys=False, default_flow_style=None, width=110)
