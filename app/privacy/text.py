"""Text hygiene: what free text is stored as, and the normal form the guard matches on.

Two different jobs. `clean_text` changes what is saved as little as possible: control characters
(other than newline and tab) are never stored, line endings become "\\n". `normalise` is only for
matching: one spelling of every character that can hide an identifier (full-width digits and
"＠", invisible joiners between digits, odd spaces, dashes and slashes), so a BSN split by a
zero-width space or a soft hyphen looks to the guard like the plain nine digits.
"""

from __future__ import annotations

import re
import unicodedata
from typing import overload

# Characters that show nothing but are not format characters (Cf) in Unicode: fillers, the
# combining grapheme joiner and the variation selectors.
_INVISIBLE = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u180e\u3164\uffa0" + "".join(chr(c) for c in range(0xFE00, 0xFE10))
)
_SLASHES = frozenset("\u2044\u2215\u29f8")
_MINUS = frozenset("\u2212\u2796")
_ASCII_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")


@overload
def clean_text(text: str) -> str: ...
@overload
def clean_text(text: None) -> None: ...
def clean_text(text: str | None) -> str | None:
    """`text` as it may be stored: line endings as "\\n", no control characters but newline and tab."""
    if text is None:
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")


def normalise(text: str) -> str:
    """The text the guard matches on: NFKC, invisible and control characters dropped, separators unified.

    Every kind of space becomes " ", every dash "-", every slash "/"; newlines stay. Positions in the
    result do not map back onto `text`: findings quote the normalised spelling.
    """
    if text.isascii():  # the common case, quickly: only tabs and control characters to handle
        return _ASCII_CONTROL.sub("", text.replace("\t", " "))
    out: list[str] = []
    for ch in unicodedata.normalize("NFKC", text):
        category = unicodedata.category(ch)
        if ch == "\n":
            out.append(ch)
        elif ch == "\t" or category in ("Zs", "Zl", "Zp"):
            out.append(" ")
        elif category in ("Cc", "Cf") or ch in _INVISIBLE:
            continue
        elif category == "Nd":
            out.append(str(unicodedata.decimal(ch)))  # Arabic-Indic, Devanagari … digits as 0-9
        elif category == "Pd" or ch in _MINUS:
            out.append("-")
        elif ch in _SLASHES:
            out.append("/")
        else:
            out.append(ch)
    return "".join(out)
