"""The first thing a user tries: the seed article, paragraph by paragraph."""
import framing


def _paragraph(article, start):
    return next(p for p in article.paragraphs if p.text.startswith(start))


def test_seed_article_paragraphs(seed_text):
    article = framing.classify_article(seed_text)
    assert len(article.paragraphs) == 7
    assert _paragraph(article, "Cependant, il y a toujours un coût humain").label == "critical"
    assert _paragraph(article, "Quelle que soit la taille").label == "critical"
    assert _paragraph(article, "Fiverr supprime 250 emplois").label == "neutral"
    assert _paragraph(article, "Alors, Fiverr").label == "neutral"
