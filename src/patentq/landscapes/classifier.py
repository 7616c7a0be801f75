"""The refinement classifier: hashed TF-IDF over word and character n-grams, logistic regression.

Why this model: it works in any language without a tokenizer or a downloaded model (word
uni- and bigrams for text with spaces; character 2–3-grams of the CJK runs, where Chinese and
Japanese write no spaces), trains in seconds on a lake's seed set, is deterministic under a
seed, and every score decomposes into per-term contributions, which ``landscape explain``
shows. The hashing trick keeps memory fixed whatever the vocabulary; the fitted state is the
IDF vector and the coefficients, stored in the lake (``landscape_<name>_model``) so a score can
be explained later without retraining. Optional: sentence embeddings from a local model path
(``embeddings``), appended to the features; nothing is ever downloaded.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import numpy as np

from ..errors import UsageError
from .query import CJK_CHARS

WORD_FEATURES = 2 ** 18
CJK_FEATURES = 2 ** 17
_CJK_RUNS = re.compile(f"[{CJK_CHARS}]+")


def _require_sklearn():
    try:
        import sklearn  # noqa: F401
    except ImportError as exc:  # an optional extra
        raise UsageError("landscape refine needs scikit-learn", hint="pip install 'patentq[refine]'") from exc


def _cjk_text(text: str) -> str:
    return " ".join(_CJK_RUNS.findall(text))


def vectorizers():
    """(word, CJK character) hashing vectorizers: stateless, the same in every process."""
    _require_sklearn()
    from sklearn.feature_extraction.text import HashingVectorizer

    word = HashingVectorizer(n_features=WORD_FEATURES, ngram_range=(1, 2), alternate_sign=False, norm=None,
                             lowercase=True, token_pattern=r"(?u)\b[A-Za-z][A-Za-z0-9_]+\b", dtype=np.float32)
    cjk = HashingVectorizer(n_features=CJK_FEATURES, analyzer="char", ngram_range=(2, 3), alternate_sign=False,
                            norm=None, preprocessor=_cjk_text, dtype=np.float32)
    return word, cjk


def counts(texts: list[str]):
    """Raw term counts, word and CJK features side by side (a sparse matrix)."""
    from scipy import sparse

    word, cjk = vectorizers()
    return sparse.hstack([word.transform(texts), cjk.transform(texts)], format="csr", dtype=np.float32)


@dataclass
class Model:
    idf: np.ndarray  # per feature
    coef: np.ndarray  # per feature (+ embedding dimensions)
    intercept: float
    embeddings: str | None = None

    @property
    def hash(self) -> str:
        digest = hashlib.sha256()
        for part in (self.idf.astype(np.float32), self.coef.astype(np.float32), np.float32(self.intercept)):
            digest.update(np.ascontiguousarray(part).tobytes())
        digest.update(str(self.embeddings).encode())
        return digest.hexdigest()

    def features(self, texts: list[str]):
        from scipy import sparse
        from sklearn.preprocessing import normalize

        x = counts(texts)
        x.data = np.log1p(x.data)
        x = normalize(x.multiply(self.idf[: x.shape[1]]).tocsr())
        if self.embeddings:
            x = sparse.hstack([x, sparse.csr_matrix(embed(self.embeddings, texts))], format="csr")
        return x

    def scores(self, texts: list[str], batch: int = 20_000) -> np.ndarray:
        out = []
        for start in range(0, len(texts), batch):
            x = self.features(texts[start:start + batch])
            out.append(1.0 / (1.0 + np.exp(-(x @ self.coef + self.intercept))))
        return np.concatenate(out) if out else np.zeros(0)

    def terms(self, text: str, top: int = 8) -> list[dict]:
        """The terms of ``text`` that drove its score most, with their contributions (log-odds)."""
        from sklearn.utils import murmurhash3_32

        x = self.features([text])
        word, cjk = vectorizers()
        names: dict[int, str] = {}
        for offset, size, vec in ((0, WORD_FEATURES, word), (WORD_FEATURES, CJK_FEATURES, cjk)):
            for term in vec.build_analyzer()(text):  # the index HashingVectorizer gives a term
                names.setdefault(offset + abs(murmurhash3_32(term, seed=0)) % size, term)
        row = x.tocoo()
        parts = [(float(v * self.coef[j]), names.get(int(j), f"#{j}")) for j, v in zip(row.col, row.data)
                 if j < len(self.idf)]
        parts.sort(key=lambda p: -abs(p[0]))
        return [{"term": t, "contribution": round(c, 4)} for c, t in parts[:top]]


def train(texts: list[str], labels: np.ndarray, seed: int, embeddings: str | None = None) -> Model:
    """Fit IDF on the training texts and a class-balanced logistic regression (liblinear: one
    thread, deterministic under ``seed``)."""
    _require_sklearn()
    from sklearn.linear_model import LogisticRegression

    x = counts(texts)
    df = np.bincount(x.indices, minlength=x.shape[1]).astype(np.float64)
    idf = (np.log((1 + x.shape[0]) / (1 + df)) + 1).astype(np.float32)
    model = Model(idf, np.zeros(0, dtype=np.float32), 0.0, embeddings)
    features = model.features(texts)
    clf = LogisticRegression(C=4.0, class_weight="balanced", solver="liblinear", random_state=seed, max_iter=200)
    clf.fit(features, labels)
    model.coef = clf.coef_[0].astype(np.float32)
    model.intercept = float(clf.intercept_[0])
    return model


def embed(path: str, texts: list[str]) -> np.ndarray:
    """Sentence embeddings from a model at a local path (sentence-transformers); never downloads."""
    import os
    from pathlib import Path

    if not Path(path).is_dir():
        raise UsageError(f"--embeddings {path}: no such model folder",
                         hint="give the local folder of a sentence-transformers model; nothing is downloaded")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise UsageError("--embeddings needs the sentence-transformers package",
                         hint="pip install sentence-transformers, or leave --embeddings out") from exc
    model = SentenceTransformer(path, device="cpu", local_files_only=True)
    return np.asarray(model.encode(texts, batch_size=64, normalize_embeddings=True), dtype=np.float32)
