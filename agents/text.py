"""Text helpers that more than one stage needs (no faust, no stage state)."""

from __future__ import annotations

import unicodedata

# Letters that Unicode does not decompose into a base letter and an accent (lower case).
_UNDECOMPOSED = str.maketrans(
    {"ł": "l", "ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)


def fold_accents(text: str) -> str:
    """Lower-case `text` without its accents: "josé álvarez" -> "jose alvarez", "łódź" ->
    "lodz". ASCII text comes back as it is. The tag stage's ids and the dedup stage's story
    terms fold the same way, so a name spelled with and without accents meets itself."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSED))
    return "".join(char for char in decomposed if not unicodedata.combining(char))
