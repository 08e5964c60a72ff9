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

from .normalize import normalize_text, tokenize

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
        # Expressions as token tuples, looked up by their first two tokens (a dict lookup per
        # token of a paragraph, a second one at the few that start an expression); the longest
        # first, so that « pas si mal » wins over a shorter one.
        starts: dict = {}
        for phrase, mark in sorted(phrases.items(), key=lambda p: -len(p[0])):
            toks = tuple(tokenize(phrase))
            if len(toks) >= 2:
                starts.setdefault(toks[0], {}).setdefault(toks[1], []).append((toks, mark))
        self.phrase_starts_ = starts
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

    def phrase_mark(self, tokens: list, i: int):
        """The mark of the longest expression starting at ``tokens[i]``, or None."""
        seconds = self.phrase_starts_.get(tokens[i])
        if seconds is None or i + 1 >= len(tokens):
            return None
        for toks, mark in seconds.get(tokens[i + 1], ()):
            if tuple(tokens[i:i + len(toks)]) == toks:
                return mark
        return None


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
