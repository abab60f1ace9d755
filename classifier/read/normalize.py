"""Text normalisation: raw extracted text -> the document text that every span refers to.

NFKC, ``(cid:N)`` dropped, hyphenated line breaks joined (pdfium marks them
U+FFFE), control characters and runs of spaces folded, line breaks kept. Used
by every reader, and by ``classify_text`` for text already in memory.
"""

from __future__ import annotations

import re
import unicodedata

_CID = re.compile(r"\(cid:\d+\)")


_PDFIUM_HYPHEN = re.compile(r"[\ufffe\x02]\n?[ \t]*")


# A word broken at a line end: "develop-\nment" -> "development". (The letter before the
# hyphen is looked behind from the hyphen, so that the search skips to hyphens.)
_HYPHEN_BREAK = re.compile(r"[-\u00ad](?<=[^\W\d_][-\u00ad])\n[ \t]*(?=[a-zß-ÿ])")


# Runs of spaces other than line breaks, folded to one space. A lone space is already one:
# matching only longer runs and lone other spaces gives the same text without replacing
# every space of it.
_SPACES = re.compile(r"[^\S\n]{2,}|[^\S\n ]")


_MANY_NEWLINES = re.compile(r"\n{3,}")


# Control characters other than newline (NUL, form feeds, U+FFFE ...).
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\ufffe\uffff]")


def normalize(raw: str) -> str:
    """NFKC, drop ``(cid:N)``, join hyphenated line breaks, fold spaces; keep line breaks.

    Idempotent: ``normalize(normalize(s)) == normalize(s)``.
    """
    text = unicodedata.normalize("NFKC", raw)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "(cid:" in text:
        text = _CID.sub(" ", text)
    # pdfium marks a line-break hyphen as U+FFFE (or U+0002), with or without the
    # line break after it: the word continues, so join it.
    if "\ufffe" in text or "\x02" in text:
        text = _PDFIUM_HYPHEN.sub("", text)
    if "-\n" in text or "\u00ad" in text:
        text = _HYPHEN_BREAK.sub("", text)
        text = text.replace("\u00ad", "")
    text = _CONTROL.sub(" ", text)
    text = _SPACES.sub(" ", text)
    lines = [line.strip() for line in text.split("\n")]
    text = "\n".join(lines).strip("\n")
    if "\n\n\n" in text:
        text = _MANY_NEWLINES.sub("\n\n", text)
    return unicodedata.normalize("NFKC", text)
