"""Bytes -> clean Unicode text: binary detection, encoding detection, normalisation."""

from __future__ import annotations

import re
import unicodedata

from charset_normalizer import from_bytes

from wirewatch.streams.records import StageError

_DECLARED_CHARSET = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
_SPACES = re.compile(r"[\u00a0\u2007\u202f\u2009\u200a\t\f\v]+")
_NOT_CONTROL = bytes(range(32, 256)) + b"\t\n\f\r"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def looks_binary(data: bytes) -> bool:
    """NUL bytes, or a high share of control characters, mean this is not text."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = len(head.translate(None, _NOT_CONTROL))  # deleting every other byte, in C
    return controls > len(head) * 0.05


def decode(data: bytes) -> str:
    """Decode bytes to text: UTF-8, else a declared charset, else a detected one."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # UTF-16 with a byte-order mark (Windows exports): its NUL bytes are text, not binary.
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            raise StageError(
                "undecodable", "the record starts like UTF-16 but does not decode as it"
            ) from None
    if not data.strip():
        raise StageError("empty", "the record is empty (no bytes, or only whitespace)")
    if looks_binary(data):
        raise StageError(
            "binary",
            "the record is binary data (NUL bytes or control characters), not an article",
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _DECLARED_CHARSET.search(data[:4096])
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    best = from_bytes(data).best()
    if best is None:
        raise StageError("undecodable", "the text is in no encoding that could be detected")
    return str(best)


def normalise(text: str) -> str:
    """NFC, no soft hyphens or zero-width characters, plain spaces; quotes kept as written."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _SPACES.sub(" ", text)


def fold_spaces(text: str) -> str:
    return " ".join(text.split())
