"""Is a text mostly English? Function words tell, without a language-detection model.

The vocabulary is English, so on a resume written mostly in German or Spanish
the model would judge from a handful of English tool names. We count common
function words of English and of the languages resumes here most often come in;
when English holds less than :data:`~classifier.config.MIN_ENGLISH_SHARE` of
them, the verdict is "undetermined" with a warning.
"""

from __future__ import annotations

import re
from collections import Counter

from classifier.config import MIN_ENGLISH_SHARE, MIN_FUNCTION_WORDS

_WORD = re.compile(r"[^\W\d_]+")
_WORD_ASCII = re.compile(r"[a-z]+")  # the same words in lower-cased ASCII text, faster

# Characters for which lower-casing a whole text is not lower-casing each character alone:
# U+0130 (İ) becomes two characters, a capital sigma depends on what follows it, and
# U+0131 (ı) and U+017F (ſ) match an ASCII letter in a case-insensitive regular expression
# although their lower case is no ASCII letter. (tests/test_analyzer_equivalence.py checks
# this list against every code point.)
_CASE_SPECIAL = re.compile("[\u0130\u0131\u017f\u03a3]")

# Frequent function words, minus those shared with English spelling ("a", "in", "die" ...).
_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "english": frozenset(
        "the and of to with for on at by from as is are was were be been this that these "
        "which who we our my i have has had will would can could into over under using "
        "including while where when than also their its an".split()
    ),
    "german": frozenset(
        "und der das den dem des ein eine einer eines mit für von zu zur zum auf bei ist "
        "sind wurde wurden werden nicht sowie durch über nach ich wir im am vom".split()
    ),
    "french": frozenset(
        "le la les des du de et en un une pour avec dans sur par est sont été au aux ce "
        "cette qui que je nous mes leur dont ainsi".split()
    ),
    "spanish": frozenset(
        "el la los las del de y en un una para con por es son fue como que se al su sus "
        "mediante sobre entre desde también mis".split()
    ),
    "portuguese": frozenset(
        "o os as do da dos das de e em um uma para com por é são foi como que se ao sua "
        "seu nos nas pela pelo também meus".split()
    ),
    "italian": frozenset(
        "il lo gli della delle degli del di e per con su una uno sono è stato come che "
        "nella nel alla allo".split()
    ),
    "dutch": frozenset(
        "het een van en voor met op bij zijn werd worden niet ook door naar ik wij mijn".split()
    ),
}


def simple_lower(text: str) -> str | None:
    """``text.lower()`` when it lower-cases character by character: same length and
    offsets, letters stay letters (and the same word characters), and a case-insensitive
    match of an ASCII pattern in ``text`` is a plain match in the result. None for the rare
    text with a character for which that does not hold (see ``_CASE_SPECIAL``)."""
    if not text.isascii() and _CASE_SPECIAL.search(text):
        return None
    return text.lower()


def language_shares(text: str) -> dict[str, int]:
    """How many function words of each language the text holds."""
    low = simple_lower(text)
    if low is None:
        words = [w.lower() for w in _WORD.findall(text)]
    else:
        words = (_WORD_ASCII if low.isascii() else _WORD).findall(low)
    seen = Counter(words)
    present = seen.keys()
    return {
        language: sum(map(seen.__getitem__, present & function_words))
        for language, function_words in _FUNCTION_WORDS.items()
    }


def non_english_warning(text: str) -> str | None:
    """A warning when the text is mostly not English, else None."""
    counts = language_shares(text)
    total = sum(counts.values())
    if total < MIN_FUNCTION_WORDS:
        return None
    english = counts["english"] / total
    if english >= MIN_ENGLISH_SHARE:
        return None
    other = max((n, lang) for lang, n in counts.items() if lang != "english")[1]
    return (
        f"the text reads as mostly {other.capitalize()}, not English "
        f"({english:.0%} of its function words are English): the role vocabulary is English, "
        "so the verdict is left undetermined rather than guessed from a few tool names"
    )
