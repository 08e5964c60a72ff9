"""Training side of the tables: a fitted scikit-learn pipeline -> :class:`framing.scorer.LinearScorer`.

The pipeline must be ``FrenchNormalizer`` -> a ``FeatureUnion`` of per-term
branches -> a linear classifier. Each branch is compiled by the function
:data:`BLOCK_COMPILERS` names for its class; a branch that no compiler knows
cannot be turned into tables, and training stops with a message saying so.
"""
from __future__ import annotations

import numpy as np
from sklearn.pipeline import FeatureUnion, Pipeline

from .features import FrenchNormalizer, WordVectorFeatures
from .normalize import TOKENIZERS
from .scorer import CharBlock, LinearScorer, VectorBlock, WordBlock
from .vectorizers import CharNgramVectorizer, WordNgramVectorizer

__all__ = ["compile_pipeline", "BLOCK_COMPILERS"]


def _tfidf_table(coef: np.ndarray, idf: np.ndarray) -> np.ndarray:
    """Per term: its score for each class (coefficient × idf), then idf² (its weight in the length)."""
    idf = idf.astype(np.float64)
    return np.column_stack([(coef * idf).T, idf ** 2])


def _compile_words(name, vectorizer: WordNgramVectorizer, coef):
    if getattr(vectorizer.tokenizer, "__name__", None) not in TOKENIZERS:
        raise ValueError(f"branch {name!r}: its tokenizer is not one of framing.normalize.TOKENIZERS")
    return WordBlock(name, _tfidf_table(coef, vectorizer.idf_), "l2", vectorizer._lookup())


def _compile_chars(name, vectorizer: CharNgramVectorizer, coef):
    return CharBlock(name, _tfidf_table(coef, vectorizer.idf_), "l2", vectorizer._lookup())


def _n_idf(vectorizer) -> int:
    return len(vectorizer.idf_)


def _compile_vectors(name, features: WordVectorFeatures, coef):
    # The block is scale * sum(sign * vector) / sqrt(count): a score per vector (row), and each
    # word found counts 1 in the length.
    vectors = features._vectors()
    scores = vectors.matrix.astype(np.float64) @ coef.T * features.scale
    table = np.column_stack([scores, np.ones(len(scores))])
    return VectorBlock(name, table, "l2", dict(vectors.index), TOKENIZERS[features.tokenizer])


# Transformer class -> (number of features of a fitted one,
#                       function(branch name, fitted transformer, its coefficient columns) -> TermBlock).
BLOCK_COMPILERS = {
    WordNgramVectorizer: (_n_idf, _compile_words),
    CharNgramVectorizer: (_n_idf, _compile_chars),
    WordVectorFeatures: (lambda features: features.dim_, _compile_vectors),
}


def compile_pipeline(pipeline: Pipeline, temperature: float = 1.0) -> LinearScorer:
    """Compile a fitted framing pipeline into score tables.

    Parameters
    ----------
    pipeline : sklearn.pipeline.Pipeline
        Fitted: ``FrenchNormalizer``, ``FeatureUnion`` of compilable branches, a linear
        classifier with ``coef_`` and ``intercept_`` (multinomial logistic regression or
        :class:`framing.estimators.BlendedLinearClassifier`, at least 3 classes).
    temperature : float
        Calibration temperature stored with the tables.

    Raises
    ------
    ValueError
        When the pipeline has another shape or a branch cannot be compiled.
    """
    steps = [step for _, step in pipeline.steps]
    if (len(steps) != 3 or not isinstance(steps[0], FrenchNormalizer) or not isinstance(steps[1], FeatureUnion)
            or not all(hasattr(steps[2], a) for a in ("coef_", "intercept_", "classes_"))):
        raise ValueError("only a FrenchNormalizer -> FeatureUnion -> linear classifier (coef_, intercept_) "
                         f"pipeline can be compiled to tables, got {[type(s).__name__ for s in steps]}")
    union, model = steps[1], steps[2]
    coef = np.asarray(model.coef_, dtype=np.float64)
    if coef.shape[0] < 3:
        raise ValueError(f"expected a multinomial model of at least 3 classes, got {coef.shape[0]} rows")
    weights = union.transformer_weights or {}
    blocks, start = [], 0
    for name, transformer in union.transformer_list:
        if transformer in ("drop", None):
            continue
        compiler = BLOCK_COMPILERS.get(type(transformer))
        if compiler is None:
            raise ValueError(f"branch {name!r} ({type(transformer).__name__}) cannot be compiled to per-term "
                             "tables; add a compiler to framing.compile.BLOCK_COMPILERS")
        n_features, build = compiler
        width = n_features(transformer)
        # A branch weight scales its output, so it scales its coefficients' effect alike.
        blocks.append(build(name, transformer, coef[:, start:start + width] * weights.get(name, 1.0)))
        start += width
    if start != coef.shape[1]:
        raise ValueError(f"the branches account for {start} features, the model has {coef.shape[1]}")
    return LinearScorer(model.classes_, model.intercept_, blocks, temperature)
