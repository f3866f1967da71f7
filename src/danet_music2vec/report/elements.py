"""What the template draws, built from plain values: tables (cell text, numeric cells,
highlighted rows), inline images and audio players (base64 data URIs).

Nothing here writes HTML; ``templates/macros.html.j2`` does, with autoescaping.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd


def fmt(value: object, digits: int = 2) -> str:
    """A number for a table cell; NaN/None as an en dash."""
    if value is None:
        return "–"
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        if not np.isfinite(value):
            return "–"
        if float(value).is_integer() and abs(value) >= 1000:
            return f"{int(value):d}"
        return f"{value:.{digits}f}"
    if isinstance(value, str) and value.lower() == "nan":
        return "–"
    return str(value)


@dataclass(frozen=True)
class Cell:
    text: str
    numeric: bool  # right-aligned


@dataclass(frozen=True)
class Row:
    cells: list[Cell]
    highlight: bool


@dataclass(frozen=True)
class Table:
    columns: list[str]
    rows: list[Row]
    css_class: str = ""


def table(frame: pd.DataFrame, formats: Mapping[str, Callable[[object], str]] | None = None,
          css_class: str = "", highlight: Callable[[pd.Series], bool] | None = None) -> Table:
    """A frame as table cells: each value through its column's format (default :func:`fmt`);
    numbers are right-aligned; ``highlight(row)`` marks rows."""
    formats = formats or {}
    rows = []
    for _, row in frame.iterrows():
        cells = []
        for column in frame.columns:
            value = row[column]
            numeric = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
            cells.append(Cell(formats.get(column, fmt)(value), numeric))
        rows.append(Row(cells, highlight is not None and bool(highlight(row))))
    return Table([str(c) for c in frame.columns], rows, css_class)


def data_uri(data: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


@dataclass(frozen=True)
class Image:
    src: str  # a data: URI
    alt: str
    width: int | None = None  # the largest width in CSS pixels


def image(png: bytes, alt: str, width: int | None = None) -> Image:
    """An inline PNG; anything else is refused (ValueError naming ``alt``)."""
    if not png.startswith(b"\x89PNG\r\n\x1a\n"):
        raise ValueError(f"{alt}: not a PNG image")
    return Image(data_uri(png, "image/png"), alt, width)


@dataclass(frozen=True)
class Audio:
    src: str  # a data: URI of a 16-bit WAV
    label: str


def wav_bytes(audio: np.ndarray, sample_rate: int) -> bytes:
    """16-bit PCM WAV in memory (every browser plays it); ``audio`` (n_samples,) in [-1, 1]."""
    import soundfile as sf

    buffer = io.BytesIO()
    sf.write(buffer, np.clip(audio, -1.0, 1.0), sample_rate, format="WAV", subtype="PCM_16")
    return buffer.getvalue()


def audio(signal: np.ndarray, sample_rate: int, label: str) -> Audio:
    """An inline player of ``signal`` (n_samples,) at ``sample_rate`` Hz."""
    return Audio(data_uri(wav_bytes(signal, sample_rate), "audio/wav"), label)


class Notes:
    """The page's notes (the last section), in the order they arose: missing optional inputs,
    skipped files. Each is shown in place too, so the methods return the sentence."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def missing(self, what: str, path: object = None) -> str:
        """``what`` is not available (``path`` is missing)."""
        return self.add(f"{what} is not available" + (f" ({path} is missing)" if path is not None else "") + ".")

    def add(self, message: str) -> str:
        self.items.append(message)
        return message
