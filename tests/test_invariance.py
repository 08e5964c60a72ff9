"""Metamorphic tests of the bundled model: what must not change a label, and text that is not about AI.

Naming AI another way, page furniture around a paragraph and typographic variants say nothing
about how the paragraph frames AI: each transformation must leave the label of at least 98% of
a fixed set of our own paragraphs unchanged.
"""
import json
import re
from pathlib import Path

import pytest

import framing

REPO = Path(__file__).resolve().parents[1]
_AI = re.compile(r"\b([Ll])[’']IA\b")


def _paragraphs():
    """Our own paragraphs that name AI « l'IA »: the short_dev set and one training file per part."""
    texts = []
    for path in [REPO / "benchmarks" / "data" / "short_dev.jsonl", *sorted((REPO / "training_data").glob("*.jsonl"))]:
        with open(path, encoding="utf-8") as f:
            texts.extend(json.loads(line)["text"] for line in f if line.strip())
    return [t for t in texts if _AI.search(t)][:600]


PARAGRAPHS = _paragraphs()

TRANSFORMATIONS = {
    "l'IA -> l'intelligence artificielle": lambda t: _AI.sub(lambda m: m.group(1) + "’intelligence artificielle", t),
    "l'IA -> ChatGPT": lambda t: _AI.sub("ChatGPT", t),
    "l'IA -> les algorithmes": lambda t: _AI.sub(lambda m: ("L" if m.group(1) == "L" else "l") + "es algorithmes", t),
    "(Lire aussi) appended": lambda t: t + " (Lire aussi)",
    "Source : AFP on its own line": lambda t: t + "\nSource : AFP",
    "PARIS (AFP) - dateline": lambda t: "PARIS (AFP) - " + t,
    "Publié le ... line before": lambda t: "Publié le 12 mars 2025 à 08h15\n" + t,
    "’ <-> '": lambda t: t.replace("’", "\0").replace("'", "’").replace("\0", "'"),
    "double spaces": lambda t: t.replace(" ", "  "),
}


def test_the_fixed_set_is_large_enough():
    assert len(PARAGRAPHS) >= 200


@pytest.mark.parametrize("name", sorted(TRANSFORMATIONS))
def test_label_survives(name):
    change = TRANSFORMATIONS[name]
    changed = [change(t) for t in PARAGRAPHS]
    assert sum(a != b for a, b in zip(PARAGRAPHS, changed)) == len(PARAGRAPHS)  # it does transform
    before = framing.classify(PARAGRAPHS)
    after = framing.classify(changed)
    kept = sum(a.label == b.label for a, b in zip(before, after)) / len(PARAGRAPHS)
    assert kept >= 0.98, f"{name}: {kept:.1%} of labels kept"


# Written for this test: not about AI at all. (Strong praise or blame of something else, « Ce
# restaurant est une catastrophe », still gets a stance: a bag of words cannot tell what the
# evaluation is about; see the README's limits.)
OFF_TOPIC = [
    "Le gâteau au chocolat était délicieux.",
    "Quel match ! Les Bleus ont été géniaux de bout en bout.",
    "La mairie a voté mardi le budget de la nouvelle piscine municipale.",
    "Il fera beau demain sur toute la Bretagne, avec des températures de saison.",
    "Le marché de Noël ouvre ses portes samedi place Kléber.",
    "Le film sort en salles le 12 mars, avec Juliette Binoche dans le rôle principal.",
]


@pytest.mark.parametrize("text", OFF_TOPIC)
def test_text_not_about_ai_is_neutral(text):
    assert framing.classify(text).label == "neutral"


@pytest.mark.parametrize("text", ["Lire aussi", "Source : AFP", "Publié le 3 mars 2025\nPartager",
                                  "(À lire aussi : notre dossier)"])
def test_furniture_alone_is_neutral(text):
    assert framing.classify(text).label == "neutral"
