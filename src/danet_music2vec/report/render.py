"""The page: every section's values through ``templates/report.html.j2``, written atomically."""

from __future__ import annotations

import datetime as _dt
import os
from functools import cache
from pathlib import Path

import jinja2

from ..fileio import atomic_path
from . import sections, tables
from .elements import Notes, table
from .examples import example_variants
from .inputs import ReportInputs, ReportSettings, read_required, report_variants

MAX_BYTES = 15 * 1024 * 1024


@cache
def environment() -> jinja2.Environment:
    """The templates of this package, autoescaped (every value is text unless marked otherwise)."""
    env = jinja2.Environment(loader=jinja2.PackageLoader("danet_music2vec.report", "templates"), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    env.filters["g"] = lambda value: f"{value:g}"  # a number as Python's general format
    return env


def render(inputs: ReportInputs, settings: ReportSettings | None = None) -> str:
    """The report page as one HTML string."""
    settings = settings or ReportSettings()
    required = read_required(inputs)
    variants = report_variants(settings, required.separation, required.summary)
    notes = Notes()
    data = sections.data_section(inputs, settings, required, variants, notes)
    context = {
        "title": settings.title,
        "generated": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "headline": table(tables.headline_table(required.summary, required.separation, variants,
                                                settings.headline_method),
                          css_class="headline"),
        "data": data,
        "separation": sections.separation_section(required.separation, variants),
        "method_notes": tables.METHOD_NOTES,
        "classification": sections.classification_section(inputs, settings, required.summary, variants, notes),
        "no_harm": sections.no_harm_section(inputs, settings, required.summary, variants, notes),
        "examples": {"clips": settings.example_clips, "seconds": settings.audio_seconds,
                     "variants": example_variants(inputs, settings, variants, required.music, notes)
                     if settings.example_clips > 0 else []},
        "training": sections.training_section(inputs, notes),
        "original": sections.original_section(required, settings, variants, data["facts"]),
        "provenance": sections.provenance_section(inputs, settings, notes),
        "notes": notes.items,
    }
    return environment().get_template("report.html.j2").render(context)


def write_report(inputs: ReportInputs, out: str | os.PathLike, settings: ReportSettings | None = None,
                 max_bytes: int = MAX_BYTES) -> Path:
    """Render and write the page atomically; warns (on stdout) when it exceeds ``max_bytes``."""
    text = render(inputs, settings)
    with atomic_path(out) as tmp:
        tmp.write_text(text, encoding="utf-8")
    size = Path(out).stat().st_size
    print(f"wrote {out}: {size / 1e6:.1f} MB")
    if size > max_bytes:
        print(f"warning: {out} is {size / 1e6:.1f} MB, above {max_bytes / 1e6:.0f} MB; "
              "lower report.example_clips or report.audio_seconds")
    return Path(out)
