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
# Single words match their inflected forms through a stem: the word less its inflecting ending
# (infinitive, -eur/-euse, -if/-ive, final -e, -s, -x), at least _MIN_STEM letters long; a token
# matches a stem followed by one of _INFLECTIONS only (« prometteur » -> « promett » ->
# « prometteuses »), so that derived words (« généraliser » / « génération ») do not.
_MIN_STEM = 5
_ENDINGS = ("euse", "eur", "eux", "ive", "if", "er", "ir", "re", "e", "s", "x")
_INFLECTIONS = tuple(sorted({
    "", "e", "s", "es", "x", "er", "ir", "re", "ee", "ees", "es", "ent", "ant", "ants", "ante", "antes",
    "ait", "aient", "ais", "ons", "ez", "era", "eront", "era", "i", "ie", "ies", "is", "it", "issent",
    "issant", "eur", "eurs", "euse", "euses", "eux", "if", "ifs", "ive", "ives", "u", "ue", "us", "ues",
    "t", "ts", "te", "tes",
}, key=len, reverse=True))


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
            if len(norm) >= _MIN_STEM:
                stems.setdefault(norm, mark)  # « performant » -> « performants »
            for ending in _ENDINGS:
                if norm.endswith(ending) and len(norm) - len(ending) >= _MIN_STEM:
                    stems.setdefault(norm[: -len(ending)], mark)
                    break
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
        # Per token seen, its code for the tokenizer (see token_code): one dict lookup per token
        # on the hot path.
        self.token_codes: dict = {}

    def __len__(self) -> int:
        return len(self.words_) + len(self.phrases_)

    def word_mark(self, token: str):
        """The mark of one normalised token (``zlexpos``, ``zlexneg``) or None.

        Not remembered here: the tokenizer remembers every token's code (:meth:`token_code`)."""
        mark = self.words_.get(token)
        if mark is None and len(token) > _MIN_STEM:
            for ending in _INFLECTIONS:
                if token.endswith(ending) and len(token) - len(ending) >= _MIN_STEM:
                    mark = self.stems_.get(token[: len(token) - len(ending)] if ending else token)
                    if mark is not None:
                        break
        return mark

    def token_code(self, token: str) -> int:
        """The code :func:`framing.normalize.mark_concession_lexicon` reads for a token (its kind,
        its word mark, whether it may start an expression), remembered in :attr:`token_codes`."""
        from .normalize import (LEX_NEGATIVE, LEX_PLAIN, LEX_POSITIVE, STARTS_EXPRESSION, token_kind_code)

        code = token_kind_code(token)
        if code is None:
            mark = self.word_mark(token)
            code = LEX_PLAIN if mark is None else LEX_POSITIVE if mark == POSITIVE_MARK else LEX_NEGATIVE
        if token in self.phrase_starts_:
            code += STARTS_EXPRESSION
        if len(self.token_codes) < 500_000:  # bounded: text from the wild has endless typos
            self.token_codes[token] = code
        return code

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
