"""Rendering synthetic clips with TinySoundFont and the ``TimGM6mb.sf2`` SoundFont, and writing
a genre's folder of the dataset."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from ...audio import write_wav
from ...fileio import atomic_path
from .score import Part
from .styles import check_clip_args, check_int, compose_clip
from .theory import DRUM_BANK, KIT_NAMES, MAX_CLIPS_PER_GENRE, METADATA_COLUMNS, PITCH_NAMES, SAMPLE_RATE

# --------------------------------------------------------------------------- rendering


def default_soundfont() -> Path:
    """The General MIDI SoundFont ``TimGM6mb.sf2`` shipped inside ``pretty_midi``."""
    import pretty_midi

    path = Path(pretty_midi.__file__).parent / "TimGM6mb.sf2"
    if not path.is_file():
        raise FileNotFoundError(
            f"General MIDI SoundFont not found at {path}; it ships with the pretty_midi "
            "package; reinstall pretty_midi or pass soundfont=<path to a .sf2>"
        )
    return path


class Renderer:
    """One loaded SoundFont reused for many clips and parts, reset between renders."""

    def __init__(self, soundfont: Path | None, sample_rate: int) -> None:
        import tinysoundfont

        path = Path(soundfont) if soundfont is not None else default_soundfont()
        if not path.is_file():
            raise FileNotFoundError(f"SoundFont not found: {path}")
        self.sample_rate = sample_rate
        self.synth = tinysoundfont.Synth(samplerate=sample_rate)
        self.sfid = self.synth.sfload(str(path))
        self._dirty = False

    def _reset(self) -> None:
        # Kill all voices and render until their quick release has died out, so every
        # render starts from the silent state of a freshly loaded synth: a clip's bytes
        # must not depend on what was rendered before it.
        self.synth.sounds_off()
        block = 512
        for _ in range(4 * self.sample_rate // block):
            out = np.frombuffer(self.synth.generate(block), dtype=np.float32)
            if not out.any():
                break
        self._dirty = False

    def render_part(self, part: Part, start_s: float, nb_samples: int) -> np.ndarray:
        """Render one part from song time 0; return mono float32 from ``start_s`` on."""
        if self._dirty:
            self._reset()
        self._dirty = True
        synth, sr = self.synth, self.sample_rate
        bank = DRUM_BANK if part.drums else 0
        synth.program_select(part.channel, self.sfid, bank, part.program, is_drums=part.drums)
        # Explicit controller values: fresh and reused synths must agree exactly. The mix
        # gain is applied later in numpy, where it is exact.
        for controller, value in ((7, 127), (10, 64), (11, 127), (64, 0)):
            synth.control_change(part.channel, controller, value)
        offset = int(round(start_s * sr))
        total = offset + nb_samples
        # Cut each note before the next one of the same key, so a late note-off cannot
        # silence a re-struck note.
        by_key: dict[int, list[tuple[float, float, int]]] = {}
        for start, end, key, vel in part.notes:
            by_key.setdefault(key, []).append((start, end, vel))
        events = []
        for key, notes in by_key.items():
            notes.sort()
            for i, (start, end, vel) in enumerate(notes):
                if i + 1 < len(notes):
                    end = min(end, notes[i + 1][0] - 0.002)
                on = int(round(start * sr))
                if on < total:
                    events.append((on, 1, key, vel))
                    events.append((max(int(round(end * sr)), on + 1), 0, key, 0))
        events.sort()  # note-offs before note-ons at the same sample
        buffer = memoryview(bytearray(total * 8))  # interleaved stereo float32
        pos = 0
        channel = part.channel
        for sample, is_on, key, vel in events:
            if sample >= total:
                break
            if sample > pos:
                synth.generate(sample - pos, buffer=buffer[pos * 8: sample * 8])
                pos = sample
            if is_on:
                synth.noteon(channel, key, vel)
            else:
                synth.noteoff(channel, key)
        if pos < total:
            synth.generate(total - pos, buffer=buffer[pos * 8:])
        stereo = np.frombuffer(buffer, dtype=np.float32).reshape(-1, 2)[offset:]
        return stereo.mean(axis=1, dtype=np.float32)

    def render_mix(self, parts: Sequence[Part], start_s: float, nb_samples: int) -> np.ndarray:
        """Render each part alone and mix them at their target RMS levels.

        SoundFont presets differ by 30 dB in loudness, so a part's ``gain_db`` is its
        RMS level in the mix rather than a MIDI volume.
        """
        mix = np.zeros(nb_samples, dtype=np.float64)
        for part in parts:
            audio = self.render_part(part, start_s, nb_samples)
            rms = float(np.sqrt(np.mean(np.square(audio, dtype=np.float64))))
            if rms > 1e-7:  # a part with no notes inside the clip stays silent
                mix += audio * (10 ** (part.gain_db / 20) / rms)
        return mix.astype(np.float32)


def finish(audio: np.ndarray, rng: np.random.Generator, sample_rate: int) -> np.ndarray:
    """Fade the edges and normalise to a random peak between -6 and -1 dBFS."""
    audio = np.nan_to_num(audio.astype(np.float32), nan=0.0, posinf=0.0, neginf=0.0)
    fade_in, fade_out = int(0.005 * sample_rate), int(0.03 * sample_rate)
    if len(audio) > fade_in + fade_out:
        audio[:fade_in] *= np.linspace(0, 1, fade_in, dtype=np.float32)
        audio[-fade_out:] *= np.linspace(1, 0, fade_out, dtype=np.float32)
    peak = float(np.max(np.abs(audio))) if audio.size else 0.0
    if peak < 1e-6:
        raise RuntimeError("rendered clip is silent; the SoundFont may lack the needed presets")
    target = 10 ** (rng.uniform(-6.0, -1.0) / 20)
    return (audio * (target / peak)).astype(np.float32)


def instrument_string(parts: Sequence[Part]) -> str:
    import pretty_midi

    names = []
    for part in parts:
        if part.drums:
            names.append(f"drums={KIT_NAMES.get(part.program, str(part.program))}")
        else:
            names.append(f"{part.role}={pretty_midi.program_to_instrument_name(part.program)}")
    return "|".join(names)


def render_with(renderer: Renderer, genre: str, clip_index: int, seed: int,
                 duration_s: float, clips_per_artist: int) -> tuple[np.ndarray, dict]:
    clip = compose_clip(genre, clip_index, seed=seed, duration_s=duration_s,
                        clips_per_artist=clips_per_artist)
    nb_samples = int(round(duration_s * renderer.sample_rate))
    audio = renderer.render_mix(clip.parts, clip.pre_s, nb_samples)
    audio = finish(audio, clip.rng, renderer.sample_rate)
    meta = {
        "clip_id": f"{genre}.{clip_index:05d}",
        "genre": genre,
        "artist": clip.artist.name,
        "tempo_bpm": round(clip.tempo, 2),
        "key": f"{PITCH_NAMES[clip.key]} {'minor' if clip.minor else 'major'}",
        "instruments": instrument_string(clip.parts),
        "seed": seed,
    }
    return audio, meta


def render_clip(genre: str, clip_index: int, *, seed: int, duration_s: float,
                sample_rate: int = SAMPLE_RATE, clips_per_artist: int = 4,
                soundfont: Path | None = None) -> tuple[np.ndarray, dict]:
    """Compose and render one clip.

    Returns:
        ``(audio, metadata)``: mono float32 of exactly ``round(duration_s * sample_rate)``
        samples peaking between -6 and -1 dBFS, and a dict with clip_id, genre, artist,
        tempo_bpm, key, instruments and seed.
    """
    check_clip_args(genre, clip_index, duration_s, clips_per_artist, seed)
    check_int("sample_rate", sample_rate, 8000, 192000)
    return render_with(Renderer(soundfont, sample_rate), genre, clip_index, seed,
                        float(duration_s), clips_per_artist)


def build_genre(root: Path, genre: str, *, clips_per_genre: int, duration_s: float, seed: int,
                sample_rate: int = SAMPLE_RATE, clips_per_artist: int = 4,
                soundfont: Path | None = None) -> pd.DataFrame:
    """Write ``root/genres/<genre>/<genre>.000NN.wav`` clips and their ``metadata.csv``.

    Returns:
        The metadata frame, one row per clip (columns ``METADATA_COLUMNS``).

    Raises:
        ValueError: unknown genre, clips_per_genre outside 1..100, duration_s outside
            (0, 30], or other bad arguments.
        FileNotFoundError: the SoundFont is missing.
    """
    check_clip_args(genre, 0, duration_s, clips_per_artist, seed)
    check_int("clips_per_genre", clips_per_genre, 1, MAX_CLIPS_PER_GENRE)
    check_int("sample_rate", sample_rate, 8000, 192000)
    folder = Path(root) / "genres" / genre
    renderer = Renderer(soundfont, sample_rate)  # the SoundFont is loaded once per genre
    rows = []
    for index in range(clips_per_genre):
        audio, meta = render_with(renderer, genre, index, seed, float(duration_s), clips_per_artist)
        write_wav(folder / f"{meta['clip_id']}.wav", audio, sample_rate, subtype="PCM_16")
        rows.append(meta)
    frame = pd.DataFrame(rows, columns=list(METADATA_COLUMNS))
    with atomic_path(folder / "metadata.csv") as tmp:
        frame.to_csv(tmp, index=False)
    return frame
