"""Read the key/value metadata of a GGUF file's header without loading the model.

The layout (little-endian, GGUF versions 2 and 3): the magic `GGUF`, a uint32 version, a uint64
tensor count, a uint64 key/value count, then the key/value pairs. A key is a string (uint64 length,
UTF-8 bytes); a value is a uint32 type followed by the value. Arrays (type 9) hold an element type,
a uint64 count and the elements; they are skipped here, so only scalars and strings are returned.
"""

from __future__ import annotations

import struct
from collections.abc import Collection
from pathlib import Path
from typing import BinaryIO

MetadataValue = str | int | float | bool

GGUF_MAGIC = b"GGUF"
_STRING = 8
_ARRAY = 9
_SCALARS: dict[int, str] = {
    0: "<B",
    1: "<b",
    2: "<H",
    3: "<h",
    4: "<I",
    5: "<i",
    6: "<f",
    7: "<?",
    10: "<Q",
    11: "<q",
    12: "<d",
}


class GGUFHeaderError(ValueError):
    """The file is not a GGUF file, or its header is cut short or malformed."""


def read_gguf_metadata(path: str | Path, keys: Collection[str] | None = None) -> dict[str, MetadataValue]:
    """The scalar and string metadata of a GGUF file (arrays are skipped); tensors are never read.

    With `keys`, only those keys are returned and reading stops once all of them were seen.
    """
    file = Path(path)
    wanted = set(keys) if keys is not None else None
    found: dict[str, MetadataValue] = {}
    with file.open("rb") as stream:
        reader = _Reader(stream, file)
        magic = reader.take(4)
        if magic != GGUF_MAGIC:
            raise GGUFHeaderError(
                f"{file} is not a GGUF file: it starts with {magic!r}, not {GGUF_MAGIC!r}. Pass a .gguf model file."
            )
        version = reader.unpack("<I")
        if version not in (2, 3):
            raise GGUFHeaderError(
                f"{file} is GGUF version {version}; only versions 2 and 3 can be read. "
                f"Convert the model again with a current llama.cpp."
            )
        reader.unpack("<Q")  # tensor count
        for _ in range(int(reader.unpack("<Q"))):
            if wanted is not None and wanted <= found.keys():
                break
            key = reader.string()
            value_type = int(reader.unpack("<I"))
            if value_type == _ARRAY:
                reader.skip_array()
                continue
            value = reader.value(value_type)
            if wanted is None or key in wanted:
                found[key] = value
    return found


class _Reader:
    """Reads the GGUF header's primitive values from a binary stream."""

    def __init__(self, stream: BinaryIO, path: Path) -> None:
        self.stream = stream
        self.path = path

    def take(self, size: int) -> bytes:
        data = self.stream.read(size)
        if len(data) != size:
            raise GGUFHeaderError(f"{self.path} ends inside its GGUF header: the file is truncated. Download it again.")
        return data

    def unpack(self, fmt: str) -> MetadataValue:
        value: MetadataValue = struct.unpack(fmt, self.take(struct.calcsize(fmt)))[0]
        return value

    def string(self) -> str:
        return self.take(int(self.unpack("<Q"))).decode("utf-8", errors="replace")

    def value(self, value_type: int) -> MetadataValue:
        if value_type == _STRING:
            return self.string()
        if value_type in _SCALARS:
            return self.unpack(_SCALARS[value_type])
        raise GGUFHeaderError(f"{self.path} has an unknown GGUF value type {value_type}: the header is malformed.")

    def skip_array(self) -> None:
        element_type = int(self.unpack("<I"))
        count = int(self.unpack("<Q"))
        if element_type == _STRING:
            for _ in range(count):
                self.stream.seek(int(self.unpack("<Q")), 1)
        elif element_type == _ARRAY:
            for _ in range(count):
                self.skip_array()
        elif element_type in _SCALARS:
            self.stream.seek(count * struct.calcsize(_SCALARS[element_type]), 1)
        else:
            raise GGUFHeaderError(
                f"{self.path} has an array of unknown GGUF type {element_type}: the header is malformed."
            )
