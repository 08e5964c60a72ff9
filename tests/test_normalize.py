from hypothesis import given, settings
from hypothesis import strategies as st

from framing.normalize import fold_to_ascii, normalize_text, word_tokens


def test_typographic_apostrophes_and_quotes_are_unified():
    assert normalize_text("L’avis") == normalize_text("L'avis") == normalize_text("Lʼavis") == "l' avis"
    assert normalize_text("L’IA") == normalize_text("L'IA") == normalize_text("Lʼia") == "xia"  # the subject token
    assert normalize_text("« Bravo »") == '" bravo "'
    assert normalize_text("“Bravo”") == '"bravo"'


def test_accents_folded_and_lowercased():
    assert normalize_text("Éthique, œuvre, naïveté, ÇA") == "ethique, oeuvre, naivete, ca"


def test_elisions_split():
    text = normalize_text("Jusqu’ici, l’avis qu’elle n’aime pas, lorsqu’il s’en sert, puisqu’on d’abord")
    for elided in ("jusqu' ici", "l' avis", "qu' elle", "n' aime", "lorsqu' il", "s' en", "puisqu' on", "d' abord"):
        assert elided in text


def test_numbers_normalised_in_every_spelling():
    assert normalize_text("12 000 postes") == normalize_text("12.000 postes") == normalize_text("12000 postes")
    assert normalize_text("3,5 % de hausse") == "0 pourcent de hausse"


def test_negation_scope_marks_words_up_to_punctuation():
    negated = word_tokens(normalize_text("L'IA n'est pas une menace pour l'emploi, dit-il."))
    plain = word_tokens(normalize_text("L'IA est une menace pour l'emploi, dit-il."))
    assert "neg_menace" in negated and "menace" not in negated
    assert "menace" in plain and "neg_menace" not in plain
    # the scope closes at the comma
    assert "il" not in negated and "neg_dit" not in negated


def test_sans_and_spoken_negation_open_a_scope():
    assert "neg_risque" in word_tokens(normalize_text("Un outil sans risque"))
    assert "neg_danger" in word_tokens(normalize_text("C'est pas un danger"))


def test_stance_words_are_not_stop_words():
    tokens = word_tokens(normalize_text("Mais c'est trop peu, et sans garantie"))
    assert {"mais", "trop", "peu", "sans"} <= set(tokens)


def test_rare_characters_fall_back_to_unidecode():
    assert fold_to_ascii("Ørsted – ß ½") == "Orsted - ss 1/2"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_normalisation_is_idempotent_ascii_and_never_raises(text):
    once = normalize_text(text)
    assert once.isascii()
    assert normalize_text(once) == once
