"""Our French stance lexicon: words and expressions whose polarity toward AI is known.

The entries (``lexicon_fr.tsv``, beside this module) were written by the framing team: about
1,800 single words, inflected forms and multi-word expressions, each with its polarity toward AI
(``pos``: AI framed as beneficial; ``neg``: AI framed as a problem). They reach the many
evaluative words that the training corpus will never hold: the word tokenizer
:func:`framing.normalize.word_tokens_lexicon` adds one mark per match (``zlexpos`` /
``zlexneg``, with the negation and concession prefixes of their place), and the model learns
one weight per mark. Part of the model format: a change here calls for a retrained model.
"""
from __future__ import annotations

import re
import threading
from pathlib import Path

from .normalize import normalize_text

__all__ = ["Lexicon", "default_lexicon", "POSITIVE_MARK", "NEGATIVE_MARK"]

POSITIVE_MARK, NEGATIVE_MARK = "zlexpos", "zlexneg"
_PATH = Path(__file__).with_name("lexicon_fr.tsv")
# Single words match their inflected forms through a stem: the word less a final vowel, -s,
# -x or infinitive ending, at least this long, followed by at most _MAX_SUFFIX letters.
_MIN_STEM, _MAX_SUFFIX = 5, 4
_ENDINGS = ("er", "ir", "re", "e", "s", "x")


class Lexicon:
    """Polarity of words and expressions, matched on normalised text.

    Parameters
    ----------
    entries : iterable of (str, str)
        ``(polarity, entry)`` pairs, polarity ``"pos"`` or ``"neg"``; entries as written
        (accents, capitals, elisions), normalised here like paragraphs.
    """

    def __init__(self, entries):
        words, stems, phrases = {}, {}, {}
        for polarity, entry in entries:
            if polarity not in ("pos", "neg"):
                raise ValueError(f"lexicon polarity must be 'pos' or 'neg', not {polarity!r}")
            mark = POSITIVE_MARK if polarity == "pos" else NEGATIVE_MARK
            norm = normalize_text(entry)
            norm = re.sub(r"^(?:se |s' )", "", norm)  # pronominal verbs: match the verb
            if not norm:
                continue
            if " " in norm:
                phrases.setdefault(norm, mark)
                continue
            words.setdefault(norm, mark)
            stem = norm
            for ending in _ENDINGS:
                if stem.endswith(ending) and len(stem) - len(ending) >= _MIN_STEM:
                    stem = stem[: -len(ending)]
                    break
            if len(stem) >= _MIN_STEM:
                stems.setdefault(stem, mark)
        self.words_, self.stems_, self.phrases_ = words, stems, phrases
        # Longest first, so that « pas si mal » wins over « mal ».
        alternatives = sorted(phrases, key=len, reverse=True)
        self._phrase_re = re.compile(r"\b(?:" + "|".join(map(re.escape, alternatives)) + r")\b") if alternatives else None
        self._cache: dict = {}

    def __len__(self) -> int:
        return len(self.words_) + len(self.phrases_)

    def word_mark(self, token: str):
        """The mark of one normalised token (``zlexpos``, ``zlexneg``) or None."""
        try:
            return self._cache[token]
        except KeyError:
            pass
        mark = self.words_.get(token)
        if mark is None and len(token) >= _MIN_STEM:
            for size in range(len(token), max(_MIN_STEM, len(token) - _MAX_SUFFIX) - 1, -1):
                mark = self.stems_.get(token[:size])
                if mark is not None:
                    break
        if len(self._cache) < 500_000:  # bounded: text from the wild has endless typos
            self._cache[token] = mark
        return mark

    def mark_phrases(self, text: str) -> str:
        """Normalised text with each expression preceded by its mark (« zlexneg a cote de la plaque »).

        The mark stands before the expression, so that it takes the negation and concession scope
        of the place where the expression starts, not the one the expression itself opens.
        """
        if self._phrase_re is None:
            return text
        return self._phrase_re.sub(lambda m: self.phrases_[m.group()] + " " + m.group(), text)


def _read(path: Path):
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip() and not line.startswith("#"):
                parts = line.rstrip("\n").split("\t")
                if len(parts) != 2:
                    raise ValueError(f"{path}:{n}: expected 'polarity<TAB>entry'")
                yield parts[0], parts[1]


_default = None
_lock = threading.Lock()


def default_lexicon() -> Lexicon:
    """The lexicon shipped with framing, read once on first use (thread-safe)."""
    global _default
    if _default is None:
        with _lock:
            if _default is None:
                _default = Lexicon(_read(_PATH))
    return _default
