"""French text normalisation: the first step of every framing model.

The functions here are referred to by saved pipelines, so they are part of the
model format: keep them module-level, keep their names, and change what they
return only together with a retrained model.

The hot path avoids calling ``unidecode`` per character: accents and
typographic signs are folded with a table built once from ``unidecode``, and
``unidecode`` itself only sees the rare characters the table does not hold.
"""
from __future__ import annotations

import re
import unicodedata

from unidecode import unidecode

__all__ = [
    "normalize_text",
    "fold_to_ascii",
    "tokenize",
    "mark_negation",
    "word_tokens",
    "NEGATION_TRIGGERS",
    "NEGATION_PREFIX",
    "STOP_WORDS",
    "SUBJECT_TOKEN",
    "strip_furniture",
]

# Signs French web text writes in several ways, unified before folding.
_APOSTROPHES = "\u2019\u2018\u02bc\u00b4\u0060\u2032\u201b"
_QUOTES = "\u00ab\u00bb\u201c\u201d\u201e\u201f\u2039\u203a"


# Characters that NFKD leaves alone but French web text uses all the time:
# folded by plain str.replace, which is much faster than a regex callback.
_COMMON_SIGNS = (
    [(ch, "'") for ch in _APOSTROPHES]
    + [(ch, '"') for ch in _QUOTES]
    + [("\u2013", "-"), ("\u2014", "-"), ("\u0153", "oe"), ("\u00e6", "ae"),
       ("\u20ac", " euros "), ("\u00df", "ss")]
)
_COMBINING = re.compile(r"[\u0300-\u036f]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_SIGNS = re.compile("[" + "".join(sign for sign, _ in _COMMON_SIGNS if sign != "\u2019") + "]")
_NOT_ASCII_OR_ACCENT = re.compile(r"[^\x00-\x7f\u0300-\u036f]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _fold_char(match: re.Match) -> str:
    # Rare characters only (other scripts, symbols, emoji): unidecode knows them.
    ch = match.group()
    if "\ud800" <= ch <= "\udfff":  # a lone surrogate (broken UTF-16): no character at all
        return ""
    return unidecode(ch)


def fold_to_ascii(text: str) -> str:
    """Fold accents, ligatures and typographic signs to ASCII.

    ’ ‘ ʼ become ', « » “ ” become ", accents are stripped (NFKD, then the
    combining marks removed), and what is left of non-ASCII goes through
    ``unidecode``. Characters with no ASCII form (emoji, for instance) are dropped.

    Parameters
    ----------
    text : str
        Any Unicode text.

    Returns
    -------
    str
        ASCII text.
    """
    if text.isascii():
        return text
    text = text.replace("\u2019", "'")  # by far the most frequent sign
    if _SIGNS.search(text):
        for sign, plain in _COMMON_SIGNS:
            if sign in text:
                text = text.replace(sign, plain)
    text = unicodedata.normalize("NFKD", text)
    if not _NOT_ASCII_OR_ACCENT.search(text):
        return text.encode("ascii", "ignore").decode("ascii")  # only accents were left: drop them
    text = _COMBINING.sub("", text)
    return _NON_ASCII.sub(_fold_char, text)


_NUMBER = re.compile(r"[0-9]+(?:[., ][0-9]+)*")  # text is ASCII here


def normalize_text(text: str) -> str:
    """Normalise one French paragraph for feature extraction.

    Steps: Unicode compatibility decomposition (NFKD) with accents, ligatures
    and typographic signs folded to ASCII (’ ‘ ʼ -> ', « » “ ” -> "); lowercase;
    control characters removed; elisions split (« l'IA » -> « l' ia »,
    « jusqu'ici » -> « jusqu' ici »); every number written as ``0`` (12 000,
    12.000, 3,5 alike); ``%`` -> ``pourcent``; white space collapsed.
    The result is idempotent: ``normalize_text(normalize_text(t)) == normalize_text(t)``.

    Parameters
    ----------
    text : str
        A paragraph as the user gave it.

    Returns
    -------
    str
        Lowercase ASCII text, single-spaced, without leading or trailing space.
    """
    text = fold_to_ascii(text).lower()
    if any(key in text for key in _FURNITURE_KEYS):  # plain substring tests: far faster than a regex
        text = strip_furniture(text)
    if not text.isprintable():
        text = _CONTROL.sub(" ", text)
    text = " ".join(text.replace("'", "' ").replace("%", " pourcent ").split())
    if any(key in text for key in _SUBJECT_KEYS):
        text = _SUBJECT.sub(SUBJECT_TOKEN, text)
    # Numbers last: on single-spaced text, so that a second pass finds nothing to change.
    return _NUMBER.sub("0", text)


# Page furniture: lines and fragments that a web page puts around a paragraph and that say
# nothing about AI. They are removed so that they carry no stance (and a paragraph that is only
# furniture reads as empty). Text is lowercase ASCII here, lines not yet joined.
# Substrings one of which every piece of furniture holds: the regular expressions below run only then.
_FURNITURE_KEYS = ("lire ", "voir aussi", "source", "credit", "photo", "illustration", "image", "copyright",
                   "publie", "mis a jour", "modifie le", "partager", "tweeter", "imprimer", "envoyer",
                   "(afp)", "(reuters)", "(ap)", "(ats)", "(belga)")
_FURNITURE_LINE = re.compile(
    r"^[ \t]*(?:"
    r"\(?(?:a )?(?:lire|voir) (?:aussi|egalement)\b[^\n]*"                          # (A) lire aussi : ...
    r"|(?:sources?|credits?|photos?|illustrations?|images?|copyright)(?: [a-z]+){0,2}[ \t]*:[^\n]{0,100}"  # Source : AFP
    r"|(?:publie|mis a jour|modifie) le\b[^\n]{0,80}"                              # Publie le 3 mars
    r"|(?:partager|tweeter|imprimer|envoyer)(?: (?:sur|par|l' article|cet article)\b[^\n]{0,40})?"
    r")[ \t]*$",
    re.MULTILINE,
)
# « (Lire aussi) » or « (À lire aussi : ...) » inside a line.
_FURNITURE_INLINE = re.compile(r"\((?:a )?(?:lire|voir) (?:aussi|egalement)[^)]{0,200}\)")
# A dateline opening a dispatch: « PARIS (AFP) - », « LYON, 6 fevr. (Reuters) - ».
_DATELINE = re.compile(r"^[ \t]*[a-z][a-z' .-]{1,40}(?:,[ \t]*[0-9]{1,2}(?:er)? [a-z]{3,9}\.?(?: [0-9]{4})?)?[ \t]*"
                       r"\((?:afp|reuters|ap|ats|belga)\)[ \t]*[-:][ \t]*", re.MULTILINE)


def strip_furniture(text: str) -> str:
    """Remove page furniture from lowercase ASCII text: « Lire aussi » lines and fragments,
    source and credit lines, « Publie le ... » lines, share buttons, agency datelines."""
    text = _FURNITURE_LINE.sub(" ", text)
    text = _FURNITURE_INLINE.sub(" ", text)
    return _DATELINE.sub(" ", text)


# Every way of naming the subject becomes one token, so that naming carries no stance
# (« l'IA », « l'intelligence artificielle », « ChatGPT », « les algorithmes », « ces outils »...).
# Text is normalised and single-spaced here, elisions split.
SUBJECT_TOKEN = "xia"
_SUBJECT_KEYS = ("ia", "i. a", "i.a", "intelligence", "gpt", "algo", "chatbot", "llm", "modele", "outil",
                 "robot", "agent", "assistant", "mistral", "gemini", "copilot", "claude", "llama", "deepseek", "grok",
                 "midjourney", "dall-e", "sora", "perplexity")
_SUBJECT = re.compile(
    r"\b(?:"
    r"(?:les |l' |une |des |d' |cette |ces |cet )?(?:"
    r"intelligences? artificielles?(?: generatives?)?"
    r"|ia(?:s)?(?: generatives?| conversationnelles?)?"
    r"|i\. ?a\.?"
    r"|chat ?gpt|gpt(?:-[a-z0-9]+)?|mistral ai|mistral|le chat de mistral|gemini|copilot|claude|llama|deepseek|grok"
    r"|midjourney|dall-e|sora|perplexity"
    r"|llms?|grands? modeles? de langage|modeles? de langage|modeles? d' xia|modeles? d' ia"
    r"|algorithmes?|algos?"
    r"|chatbots?|robots? conversationnels?|agents? conversationnels?|assistants? conversationnels?"
    r"|outils?"
    r"))\b"
)


# Negation scope: after one of these words, the following words up to the next
# punctuation sign are marked, so that « n'est pas une menace » and « est une
# menace » give different features. « plus » and « rien » only negate after
# « ne », which opens the scope already; spoken « c'est pas » opens it at « pas ».
NEGATION_TRIGGERS = frozenset(
    {"n", "ne", "pas", "jamais", "aucun", "aucune", "guere", "sans", "non", "ni", "nullement"}
)
_SILENT_TRIGGERS = frozenset({"n", "ne"})
NEGATION_PREFIX = "neg_"
_TOKEN = re.compile(r"[a-z0-9_]+|[.,;:!?()\"\[\]]")
_WORD_START = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")

# Our own French stop words: function words that carry no stance. Negations and
# stance-bearing words (pas, mais, sans, trop, peu, plus, moins, bien, mal, ...)
# are deliberately absent.
STOP_WORDS = frozenset(
    """
    l d j c m t s qu jusqu lorsqu puisqu
    le la les un une des du de au aux ce cet cette ces se sa son ses leur leurs
    mon ma mes ton ta tes notre nos votre vos et ou que qui quoi dont ou a en dans
    par pour sur sous vers chez avec entre je tu il elle on nous vous ils elles me
    te lui y est sont ete etre ai as avons avez ont avait avaient sera seront
    fait faire cela ca ceci celui celle ceux celles dit
    """.split()
)


def tokenize(text: str) -> list[str]:
    """Split normalised text into word and punctuation tokens."""
    return _TOKEN.findall(text)


def mark_negation(tokens: list[str]) -> list[str]:
    """Mark the words in a negation's scope and drop punctuation and stop words.

    A negation trigger opens a scope that the next punctuation sign closes;
    every content word inside it gets the ``neg_`` prefix. The triggers
    themselves are kept as words (« pas », « sans » carry stance), except
    « ne » / « n' », which only announce the scope.

    Parameters
    ----------
    tokens : list of str
        Output of :func:`tokenize`.

    Returns
    -------
    list of str
        Content words, negated ones prefixed.
    """
    out = []
    negated = False
    for tok in tokens:
        if tok[0] not in _WORD_START:
            negated = False
            continue
        if tok in NEGATION_TRIGGERS:
            negated = True
            if tok not in _SILENT_TRIGGERS:
                out.append(tok)
            continue
        if tok in STOP_WORDS:
            continue
        out.append(NEGATION_PREFIX + tok if negated else tok)
    return out


def word_tokens(text: str) -> list[str]:
    """Tokenizer of the word features: normalised text -> negation-marked content words."""
    return mark_negation(_TOKEN.findall(text))


# After these words, French usually states its verdict (annotation rule 3).
CONCESSION_MARKERS = frozenset({"mais", "cependant", "pourtant", "toutefois", "neanmoins", "revanche"})
CONCESSION_PREFIX = "but_"
SENTENCE_END = frozenset(".!?;")


# What each special token does in mark_concession: one dict lookup per token.
_CLAUSE_END, _SENTENCE_STOP, _CONCEDE, _NEGATE_SILENT, _NEGATE, _STOP = range(6)
_TOKEN_KIND = {
    **{w: _STOP for w in STOP_WORDS},
    **{w: _NEGATE for w in NEGATION_TRIGGERS},
    **{w: _NEGATE_SILENT for w in _SILENT_TRIGGERS},
    **{w: _CONCEDE for w in CONCESSION_MARKERS},
    **{p: _CLAUSE_END for p in ',:()"[]'},
    **{p: _SENTENCE_STOP for p in SENTENCE_END},
}


def mark_concession(tokens: list[str]) -> list[str]:
    """Negation-marked content words, plus a ``but_`` copy of each word of the
    sentence that follows a concession marker (« mais », « cependant »...), so
    that the model can weigh the clause that carries the verdict apart.
    """
    from .lexicon import Lexicon  # the same loop as the lexicon's, with no entry: one definition

    global _NO_LEXICON
    if _NO_LEXICON is None:
        _NO_LEXICON = Lexicon([])
    return mark_concession_lexicon(tokens, _NO_LEXICON)


_NO_LEXICON = None


def word_tokens_concession(text: str) -> list[str]:
    """Tokenizer of the word features with the concession clause marked (see :func:`mark_concession`)."""
    return mark_concession(_TOKEN.findall(text))


# Token codes of mark_concession_lexicon, one dict lookup per token (see Lexicon.token_code):
# a content word without mark, with a positive or a negative mark, then mark_concession's kinds;
# STARTS_EXPRESSION is added when the token may start an expression of the lexicon.
LEX_PLAIN, LEX_POSITIVE, LEX_NEGATIVE = 0, 1, 2
_LEX_STOP, _LEX_CLAUSE_END, _LEX_SENTENCE_STOP = 3 + _STOP, 3 + _CLAUSE_END, 3 + _SENTENCE_STOP
_LEX_NEGATE, _LEX_NEGATE_SILENT = 3 + _NEGATE, 3 + _NEGATE_SILENT
STARTS_EXPRESSION = 16
_LEX_MARKS = (None, "zlexpos", "zlexneg")


def token_kind_code(token: str):
    """mark_concession's kind of a token shifted past the three content codes, or None for a
    content word."""
    kind = _TOKEN_KIND.get(token)
    return None if kind is None else 3 + kind


def mark_concession_lexicon(tokens: list[str], lexicon) -> list[str]:
    """:func:`mark_concession`, plus one lexicon mark per evaluative word or expression.

    A mark (``zlexpos`` / ``zlexneg``) takes the prefixes of its place: ``neg_`` inside a
    negation scope, and a ``but_`` copy in the clause after a concession marker. An
    expression's mark takes the scope of the place where the expression starts, not the one it
    opens itself (« pas si mal » is positive). Marks go after the words, so that they add no
    bigram in the middle of the text.
    """
    out, marks = [], []
    append, add_mark = out.append, marks.append
    code_of, code_new = lexicon.token_codes.get, lexicon.token_code
    phrase_mark = lexicon.phrase_mark
    negated = conceded = False
    for i, tok in enumerate(tokens):
        code = code_of(tok)
        if code is None:
            code = code_new(tok)
        if code >= STARTS_EXPRESSION:
            code -= STARTS_EXPRESSION
            mark = phrase_mark(tokens, i)
            if mark is not None:
                mark = NEGATION_PREFIX + mark if negated else mark
                add_mark(mark)
                if conceded:
                    add_mark(CONCESSION_PREFIX + mark)
        if code <= LEX_NEGATIVE:  # a content word: most tokens
            word = NEGATION_PREFIX + tok if negated else tok
            append(word)
            if conceded:
                append(CONCESSION_PREFIX + word)
            if code:
                mark = NEGATION_PREFIX + _LEX_MARKS[code] if negated else _LEX_MARKS[code]
                add_mark(mark)
                if conceded:
                    add_mark(CONCESSION_PREFIX + mark)
        elif code == _LEX_STOP:
            continue
        elif code == _LEX_CLAUSE_END:
            negated = False
        elif code == _LEX_SENTENCE_STOP:
            negated = conceded = False
        elif code == _LEX_NEGATE:
            negated = True
            append(tok)
        elif code == _LEX_NEGATE_SILENT:
            negated = True
        else:  # concession marker
            conceded = True
            append(tok)
    return out + marks


def word_tokens_lexicon(text: str) -> list[str]:
    """Tokenizer of the word features with the concession clause and the stance lexicon marked
    (see :func:`mark_concession_lexicon` and :mod:`framing.lexicon`)."""
    from .lexicon import default_lexicon  # the lexicon needs normalize_text: imported late

    return mark_concession_lexicon(_TOKEN.findall(text), default_lexicon())


# What the word-vector block does not read: lexicon marks and the subject token.
_NOT_VECTOR_WORDS = frozenset({"zlexpos", "zlexneg", SUBJECT_TOKEN})


def vector_terms(tokens):
    """The (word, sign) pairs the word-vector block reads from a word tokenizer's output: content
    words once each (no ``but_`` copies, no lexicon marks, not the subject token), a negated
    word with sign -1 (« pas fiable » reads as the opposite of « fiable »)."""
    for tok in tokens:
        if tok.startswith(CONCESSION_PREFIX):
            continue
        sign = 1.0
        if tok.startswith(NEGATION_PREFIX):
            tok, sign = tok[len(NEGATION_PREFIX):], -1.0
        if tok not in _NOT_VECTOR_WORDS:
            yield tok, sign


# The word tokenizers a saved model may name (see framing.scorer): name -> function.
TOKENIZERS = {f.__name__: f for f in (word_tokens, word_tokens_concession, word_tokens_lexicon)}
