"""Is a text mostly English? Function words tell, without a language-detection model.

The vocabulary is English, so on a resume written mostly in German or Spanish
the model would judge from a handful of English tool names. We count common
function words of English and of the languages resumes here most often come in;
when English holds less than :data:`~classifier.config.MIN_ENGLISH_SHARE` of
them, the verdict is "undetermined" with a warning.
"""

from __future__ import annotations

import re

from classifier.config import MIN_ENGLISH_SHARE, MIN_FUNCTION_WORDS

_WORD = re.compile(r"[^\W\d_]+")

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


def language_shares(text: str) -> dict[str, int]:
    """How many function words of each language the text holds."""
    counts = dict.fromkeys(_FUNCTION_WORDS, 0)
    for match in _WORD.finditer(text):
        word = match.group().lower()
        for language, words in _FUNCTION_WORDS.items():
            if word in words:
                counts[language] += 1
    return counts


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
