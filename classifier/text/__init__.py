"""Text analysis: the role vocabulary, the one analyzer, language and section headings.

:mod:`~.vocabulary` reads the human-edited ``vocabulary.toml``; :mod:`~.analyzer`
finds its terms (used in training and scoring alike); :mod:`~.language` tells
whether a text is mostly English; :mod:`~.headings` finds resume sections.
"""

from classifier.text.analyzer import Analyzer
from classifier.text.vocabulary import Vocabulary, load_vocabulary

__all__ = ["Analyzer", "Vocabulary", "load_vocabulary"]
