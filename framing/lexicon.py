"""Our own French stance lexicon: cue-word stems for benefit, risk, reporting and concession.

Written from general knowledge of how French writes about technology, not fitted
to any evaluation item. Entries are stems of normalised text (lowercase, no
accents): a token matches a stem when it starts with it. Part of the model
format: a change here calls for a retrained model.
"""
from __future__ import annotations

from functools import lru_cache

__all__ = ["cue_class", "BENEFIT", "RISK", "REPORTING", "CONCESSION", "HEDGE"]

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
