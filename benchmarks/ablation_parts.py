"""Parts of earlier framing models, kept for the ablation in benchmarks/accuracy.py only:
the normalisation of framing 0.1 (no subject token, no furniture removal), and the first stance
lexicon (about 400 cue stems) with its cue-count features (the shipped model uses
framing.lexicon as word marks instead).
"""

from __future__ import annotations

import numpy as np

from framing.features import _StatelessTextTransformer
from framing.normalize import _CONTROL, _NUMBER, NEGATION_TRIGGERS, SENTENCE_END, fold_to_ascii, tokenize


from functools import lru_cache



# Benefit, progress, praise, reassurance.
BENEFIT = frozenset("""
    progres avancee avancees prometteu promesse opportunit benefi bienfait efficac efficien
    gain gagne gagner ameliore amelior sauve sauver revolutionn prouesse percee precieu
    impressionn remarquabl formidable extraordinaire reussi reussite succes rassur utile utilit
    facilit simplifi optimis fiabl fiabilit enthousias chance atout espoir espere salue salu
    felicit bluff genial excellent brillant soulag accelere accelerer democratis accessib
    innovant innovation pionnier prodig spectaculaire bravo ravi satisf benef economis
    performant puissant precis precision gratifi meilleur mieux positif positive positivement
    encourage encourageant favorable fructueu aubaine levier catalyse emancip autonomi
    miracle magique bond essor dynamis renforce sereinement serein confiance confiant
    securis protege proteger detecte detecter anticipe anticiper diagnostiqu guerir soign
    allege alleger liberer libere
""".split())

# Harm, risk, threat, failure, doubt about the technology.
RISK = frozenset("""
    menace menacant danger dangereu risque risquee inquiet inquietant inquietude alarm
    derive biais biaise discrimin surveill intrusi erreur errone hallucin faille fuite
    opaque opacite critiqu denonc deplor polemi scandal abus manipul desinform infox
    chomage precari pollu energivore gouffre illusion mirage bulle echec echoue decevant
    decep decoit inefficac toxique nefaste preoccup peur crainte craint craindre pire grave
    catastroph vigilan prudence mefian defian inequit injust exclu exclusion fragilis
    deshumanis remplac destructi detrui supprime suppression licencie licenciement coute
    couteux cout perte perdre menteu mensong faux fausse trompe tromper fraude arnaque
    vol voler pillage piller plagi contrefa emprise dependan addict controle controler
    exploitation exploite epuis stress souffr brutal violen cynique hypocri naif naivete
    deraill limite limites lacune defaillan panne bug bogue imprecis approximati douteu
    contest fustig accus alerte alerter freiner moratoire interdire interdit sanction amende
    plainte condamn proces vulnerab piratage cyberattaque deepfake hypertruquage
    inacceptable regrett malheureusement helas deplorable desastr fiasco
""".split())

# Flat reporting: attribution, announcement, schedule, figures.
REPORTING = frozenset("""
    selon annonce annoncer indique precise declare prevoit prevu devrait pourrait sera
    seront lance lancement presente publie publication rapport communique affirme explique
    rappelle ajoute souligne estime chiffre chiffres millions milliards pourcent euros
    mardi lundi mercredi jeudi vendredi samedi dimanche janvier fevrier mars avril mai juin
    juillet aout septembre octobre novembre decembre
""".split())

# Markers after which the clause usually carries the verdict.
CONCESSION = frozenset("mais cependant pourtant toutefois neanmoins revanche".split())

# Hedges and questions that keep a paragraph from a verdict.
HEDGE = frozenset("""
    peut-etre eventuellement reste debat debattre question questions interroge incertain
    incertitude ambivalen nuance nuancer mitige partage partages divise divises
""".split())

_GROUPS = (("benefit", BENEFIT), ("risk", RISK), ("reporting", REPORTING),
           ("concession", CONCESSION), ("hedge", HEDGE))


@lru_cache(maxsize=65536)
def cue_class(token: str) -> str | None:
    """The lexicon group of a normalised token (by stem prefix), or None."""
    for name, stems in _GROUPS:
        if token in stems:
            return name
    for name, stems in _GROUPS:
        if name == "reporting":  # reporting words match whole only ("sera" is not "serait")
            continue
        for n in range(len(token) - 1, 3, -1):
            if token[:n] in stems:
                return name
    return None



_CLAUSE_END = frozenset(".,;:!?()\"[]")

# What StanceCues counts, in column order. « negated » cues sit in a negation
# scope; « after_but » ones in the sentence after a concession marker (mais,
# cependant...); « last_sentence » ones close a paragraph of several sentences,
# where French puts its verdict.
CUE_FEATURES = (
    "benefit", "risk", "benefit_negated", "risk_negated", "benefit_after_but", "risk_after_but",
    "benefit_last_sentence", "risk_last_sentence",
    "reporting", "hedge", "concession", "question", "exclamation", "quote", "first_person",
)
_INDEX = {name: i for i, name in enumerate(CUE_FEATURES)}
_FIRST_PERSON = frozenset("je me moi nous perso franchement".split())


def cue_counts(text: str) -> list[float]:
    """Counts of :data:`CUE_FEATURES` in one normalised paragraph."""
    counts = [0.0] * len(CUE_FEATURES)
    tokens = tokenize(text)
    last_sentence_start = 0
    for i, tok in enumerate(tokens[:-1]):
        if tok in SENTENCE_END:
            last_sentence_start = i + 1
    negated = after_but = False
    for i, tok in enumerate(tokens):
        if tok in _CLAUSE_END:
            negated = False
            if tok in SENTENCE_END:
                after_but = False
            if tok == "?":
                counts[_INDEX["question"]] += 1
            elif tok == "!":
                counts[_INDEX["exclamation"]] += 1
            elif tok == '"':
                counts[_INDEX["quote"]] += 0.5
            continue
        if tok in NEGATION_TRIGGERS:
            negated = True
            continue
        if tok in _FIRST_PERSON:
            counts[_INDEX["first_person"]] += 1
        group = cue_class(tok)
        if group is None:
            continue
        if group == "concession":
            counts[_INDEX["concession"]] += 1
            after_but = True
        elif group in ("benefit", "risk"):
            if negated:
                counts[_INDEX[group + "_negated"]] += 1
            else:
                counts[_INDEX[group]] += 1
                if after_but:
                    counts[_INDEX[group + "_after_but"]] += 1
                if 0 < last_sentence_start <= i:
                    counts[_INDEX[group + "_last_sentence"]] += 1
        else:
            counts[_INDEX[group]] += 1
    return counts


class StanceCues(_StatelessTextTransformer):
    """Stateless transformer: normalised paragraphs -> counts of stance cues (log-scaled).

    The cues generalise beyond the phrasings of the training data: words of
    benefit and risk from :mod:`framing.lexicon`, with negation flipping them
    and the clause after a concession marker counted apart.

    Parameters
    ----------
    scale : float
        Multiplies the log-counts, to weigh them against the n-gram features.
    """

    def __init__(self, scale=1.0):
        self.scale = scale

    def fit(self, X, y=None):
        """Nothing to learn."""
        self.n_features_in_ = 1
        return self

    def transform(self, X):
        """Cue counts of every paragraph, ``log1p``-scaled, as a dense float32 array."""
        counts = np.array([cue_counts(text) for text in X], dtype=np.float32).reshape(-1, len(CUE_FEATURES))
        return np.log1p(counts) * np.float32(self.scale)

    def get_feature_names_out(self, input_features=None):
        """Names such as ``benefit_negated``."""
        return np.asarray(CUE_FEATURES, dtype=object)





def legacy_normalize(text: str) -> str:
    """framing 0.1's normalisation: folded, lowercased, elisions split, numbers as 0; AI named as
    written and page furniture kept."""
    text = fold_to_ascii(text).lower()
    if not text.isprintable():
        text = _CONTROL.sub(" ", text)
    text = " ".join(text.replace("'", "' ").replace("%", " pourcent ").split())
    return _NUMBER.sub("0", text)


class LegacyNormalizer(_StatelessTextTransformer):
    """framing 0.1's normalisation step, for the ablation."""

    def fit(self, X, y=None):
        self.n_features_in_ = 1
        return self

    def transform(self, X):
        return [legacy_normalize(text) for text in X]
