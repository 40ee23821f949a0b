"""Bytes -> clean Unicode text: binary detection, encoding detection, normalisation."""

from __future__ import annotations

import re
import unicodedata

from charset_normalizer import from_bytes

from wirewatch.streams.records import StageError

_DECLARED_CHARSET = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"  # soft hyphen, zero-width characters, BOM
_SPACE_CHARS = "\u00a0\u2007\u202f\u2009\u200a\t\f\v"
_SPACES = re.compile(f"[{_SPACE_CHARS}]+")
_NOT_CONTROL = bytes(range(32, 256)) + b"\t\n\f\r"
_CONTROL_CHARS = "".join(map(chr, [*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F]))
_CONTROL = re.compile(f"[{re.escape(_CONTROL_CHARS)}]")


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
    text = unicodedata.normalize("NFC", text)
    # Most text holds none of the characters to remove or replace. Looking for each one with
    # `in` (a C substring search) costs a few microseconds an article; str.translate with a
    # table or a regular expression over the whole text cost tens to hundreds.
    for invisible in _INVISIBLE:
        if invisible in text:
            text = text.replace(invisible, "")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if any(control in text for control in _CONTROL_CHARS):
        text = _CONTROL.sub("", text)
    if any(space in text for space in _SPACE_CHARS):
        text = _SPACES.sub(" ", text)
    return text


def fold_spaces(text: str) -> str:
    """Runs of whitespace become one space; none at either end."""
    # Most text arrives folded already (each reader folds its blocks, and refinement folds
    # them again): it is returned as it is after checks in C. Every whitespace character but
    # the plain space is unprintable (a unit test checks this over all of Unicode), so a
    # printable text with no double space and no space at either end has nothing to fold.
    if text.isprintable() and "  " not in text and not text.startswith(" ") and not text.endswith(" "):
        return text
    return " ".join(text.split())
