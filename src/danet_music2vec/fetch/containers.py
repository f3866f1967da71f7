"""Read the sound containers two Debian packages use: OpenTTD's .cat and Qt's .rcc.

``openttd-opensfx`` ships its 73 sounds as WAV files inside one ``opensfx.cat``, and
``gcompris-qt-data`` ships each activity's files inside a Qt resource bundle
(``*.rcc``). Both readers take the container's bytes (as :func:`read_deb_members`
returns them) and give the files' bytes, checking every offset and size against the
data so that a truncated or foreign file fails with a message instead of garbage.
"""

from __future__ import annotations

import struct
import zlib

_CAT_NEW_FORMAT = 0x8000_0000

_RCC_MAGIC = b"qres"
_RCC_COMPRESSED = 0x01
_RCC_DIRECTORY = 0x02
_RCC_COMPRESSED_ZSTD = 0x04
_RCC_MAX_DEPTH = 64


def opensfx_cat_entries(data: bytes, source: str = "opensfx.cat") -> list[tuple[str, bytes]]:
    """The sounds of an OpenTTD (OpenSFX) sample catalogue as ``(name, WAV file bytes)``.

    The format, as OpenTTD and its ``catcodec`` tool read it (integers little-endian):

    - A table of ``count`` pairs of uint32 ``(offset, size)`` at the start. The first
      offset points just past the table, so ``count = (offset & 0x7FFFFFFF) / 8``; the
      top bit of each offset is set in the "new" format OpenSFX uses (the original
      game's ``sample.cat`` lacks it and holds one raw-PCM entry, so it is refused).
    - At each ``offset & 0x7FFFFFFF``: a name as one length byte followed by that many
      bytes ending in NUL (OpenSFX puts the title and the credit line there, e.g.
      ``"Good Year". By Janis Lukss. License: ...``), then a complete RIFF/WAVE file of
      exactly ``size`` bytes (its RIFF length field is ``size - 8``), then one unused
      separator byte and the source file name as another length-prefixed string
      (``src/wav/osfx_00.wav``), which is not returned.

    Returns:
        the entries in container order; names decoded as UTF-8 (Latin-1 where that
        fails), without the NUL. Empty sounds are returned too: they are valid 44-byte WAVs.

    Raises:
        ValueError: malformed data (table, offsets, sizes, names or RIFF headers);
            the message names ``source`` and the entry.
    """
    data = bytes(data)
    if len(data) < 8:
        raise ValueError(f"{source}: too short for an OpenTTD sample catalogue ({len(data)} bytes)")
    first_offset = struct.unpack_from("<I", data, 0)[0]
    if not first_offset & _CAT_NEW_FORMAT:
        raise ValueError(f"{source}: not a new-format (OpenSFX) sample catalogue: the first offset lacks "
                         "the top bit (the original game's sample.cat is not supported)")
    table_bytes = first_offset & ~_CAT_NEW_FORMAT
    if table_bytes == 0 or table_bytes % 8 or table_bytes > len(data):
        raise ValueError(f"{source}: malformed catalogue table: first offset {table_bytes} is not a "
                         f"multiple of 8 within the file ({len(data)} bytes)")
    entries: list[tuple[str, bytes]] = []
    for index in range(table_bytes // 8):
        raw_offset, size = struct.unpack_from("<II", data, 8 * index)
        offset = raw_offset & ~_CAT_NEW_FORMAT
        where = f"{source}: entry {index}"
        if offset < table_bytes or offset >= len(data):
            raise ValueError(f"{where}: offset {offset} is outside the file's entries "
                             f"(table ends at {table_bytes}, file has {len(data)} bytes)")
        name_length = data[offset]
        name_end = offset + 1 + name_length
        raw_name = data[offset + 1:name_end]
        if name_length == 0 or len(raw_name) != name_length or raw_name[-1] != 0:
            raise ValueError(f"{where}: malformed name (length byte {name_length}, not NUL-terminated "
                             "or past the end of the file)")
        wav = data[name_end:name_end + size]
        if len(wav) != size:
            raise ValueError(f"{where}: WAV of {size} bytes runs past the end of the file")
        if size < 12 or wav[:4] != b"RIFF" or wav[8:12] != b"WAVE":
            raise ValueError(f"{where}: does not hold a RIFF/WAVE file")
        riff_length = struct.unpack_from("<I", wav, 4)[0]
        if riff_length + 8 != size:
            raise ValueError(f"{where}: RIFF length {riff_length} + 8 differs from the table's size {size}")
        entries.append((_decode_name(raw_name[:-1]), wav))
    return entries


def _decode_name(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:  # catcodec stores bytes as they were typed; old names may be Latin-1
        return raw.decode("latin-1")


def qt_rcc_files(data: bytes, source: str = "bundle.rcc") -> dict[str, bytes]:
    """Every file in a Qt resource bundle (.rcc, format versions 1 to 3), keyed by its path.

    The format, as Qt's ``rcc`` writes it (integers big-endian):

    - Header: ``b"qres"``, uint32 version, then uint32 offsets of the tree, the data and
      the names sections; version 3 adds a uint32 of overall flags (header of 24 bytes
      instead of 20).
    - Tree: fixed-size nodes (14 bytes in version 1, 22 from version 2, which appends a
      uint64 modification time). Node 0 is the root folder. Each node starts with uint32
      name offset and uint16 flags (0x01 zlib-compressed, 0x02 folder, 0x04
      zstd-compressed); a folder continues with uint32 child count and uint32 index of
      its first child (children are consecutive nodes), a file with uint16 territory,
      uint16 language and uint32 data offset.
    - Names: at each name offset, uint16 length in UTF-16 code units, uint32 hash, then
      the name in UTF-16 big-endian.
    - Data: at each data offset, uint32 length and the bytes. A zlib-compressed entry's
      bytes are Qt's ``qCompress`` layout: uint32 uncompressed length, then a zlib stream.

    Returns:
        ``{"gcompris/src/activities/.../dog.ogg": bytes}``, paths without a leading
        slash, zlib entries uncompressed, in tree order.

    Raises:
        ValueError: not an rcc, an unsupported version, malformed or out-of-range
            offsets, a name that is empty or holds "/", the same path twice (locale
            variants), a corrupt zlib entry, or a zstd-compressed entry (flag 4, not
            readable with the standard library); the message names ``source``.
    """
    data = bytes(data)
    if len(data) < 20 or data[:4] != _RCC_MAGIC:
        raise ValueError(f"{source}: not a Qt resource bundle (no 'qres' header)")
    version, tree, payload, names = struct.unpack_from(">IIII", data, 4)
    if not 1 <= version <= 3:
        raise ValueError(f"{source}: unsupported Qt resource format version {version} (supported: 1 to 3)")
    node_bytes = 14 if version == 1 else 22
    files: dict[str, bytes] = {}
    seen: set[int] = set()

    def node(index: int) -> tuple[int, int, bytes]:
        start = tree + index * node_bytes
        if start + node_bytes > len(data):
            raise ValueError(f"{source}: tree node {index} lies past the end of the file")
        if index in seen:
            raise ValueError(f"{source}: tree node {index} is reached twice (a loop in the tree)")
        seen.add(index)
        name_offset, flags = struct.unpack_from(">IH", data, start)
        return name_offset, flags, data[start + 6:start + 14]

    def name_at(offset: int) -> str:
        start = names + offset
        if start + 6 > len(data):
            raise ValueError(f"{source}: name at offset {offset} lies past the end of the file")
        length = struct.unpack_from(">H", data, start)[0]
        raw = data[start + 6:start + 6 + 2 * length]
        if len(raw) != 2 * length:
            raise ValueError(f"{source}: name at offset {offset} runs past the end of the file")
        try:
            text = raw.decode("utf-16-be")
        except UnicodeDecodeError:
            raise ValueError(f"{source}: name at offset {offset} is not valid UTF-16") from None
        # Paths are returned for callers to write; a name must not move them elsewhere.
        if text in ("", ".", "..") or "/" in text or "\\" in text or "\x00" in text:
            raise ValueError(f"{source}: unsafe or empty name {text!r} at offset {offset}")
        return text

    def contents(path: str, flags: int, data_offset: int) -> bytes:
        start = payload + data_offset
        if start + 4 > len(data):
            raise ValueError(f"{source}: {path}: data offset {data_offset} lies past the end of the file")
        length = struct.unpack_from(">I", data, start)[0]
        raw = data[start + 4:start + 4 + length]
        if len(raw) != length:
            raise ValueError(f"{source}: {path}: {length} bytes of data run past the end of the file")
        if flags & _RCC_COMPRESSED_ZSTD:
            raise ValueError(f"{source}: {path} is zstd-compressed (rcc flag 4), which the Python standard "
                             "library cannot read")
        if not flags & _RCC_COMPRESSED:
            return raw
        if length < 4:
            raise ValueError(f"{source}: {path}: compressed entry of {length} bytes has no length prefix")
        expected = struct.unpack_from(">I", raw, 0)[0]
        try:
            unpacked = zlib.decompress(raw[4:])
        except zlib.error as error:
            raise ValueError(f"{source}: {path}: corrupt zlib data ({error})") from None
        if len(unpacked) != expected:
            raise ValueError(f"{source}: {path}: uncompressed to {len(unpacked)} bytes, "
                             f"its header says {expected}")
        return unpacked

    def walk(index: int, prefix: str, depth: int) -> None:
        if depth > _RCC_MAX_DEPTH:
            raise ValueError(f"{source}: folders nested deeper than {_RCC_MAX_DEPTH} at {prefix!r}")
        name_offset, flags, rest = node(index)
        path = prefix + name_at(name_offset) if index else ""  # the root's name is not part of paths
        if flags & _RCC_DIRECTORY:
            count, first = struct.unpack(">II", rest)
            for child in range(first, first + count):
                walk(child, f"{path}/" if path else "", depth + 1)
            return
        if index == 0:
            raise ValueError(f"{source}: the tree's root is not a folder")
        data_offset = struct.unpack(">I", rest[4:8])[0]
        if path in files:
            raise ValueError(f"{source}: {path} appears twice (locale variants are not supported)")
        files[path] = contents(path, flags, data_offset)

    walk(0, "", 0)
    return files
