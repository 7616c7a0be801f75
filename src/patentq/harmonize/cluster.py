"""Clustering of applicant-name spelling variants (rapidfuzz), strict on purpose.

``ZHEJIANG UNIV`` and ``Zhejiang University`` become one group. Names are compared only within
blocks that share a key (``names.blocking_keys``), so the work grows with the block sizes, not
with the square of all names. A wrong merge inflates a group, a missed one only splits it, and
the big applicants that matter most are covered by the curated list anyway.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from .names import GENERIC_TOKENS, LOCATIONS, TOKEN_VARIANTS, blocking_keys, compact, has_cjk

#: Candidate pairs need at least this ``token_sort_ratio`` before the strict token check.
PREFILTER_SCORE = 80
#: Two differing tokens are spelling variants within this many edits (``tencnet``/``tencent``:
#: one transposition; ``southeast``/``southwest`` and ``northeastern``/``northwestern``: two, so
#: different). Tuned on the labelled pairs in tests/fixtures/harmonize/name_pairs.csv, where
#: allowing two edits in long words merged Northeastern and Northwestern University.
MAX_TOKEN_EDITS = 1
#: Blocks larger than this are compared only on their token key (a compact-prefix block of
#: that size is a generic prefix such as ``univ``).
MAX_BLOCK = 5000
#: Core-token blocks up to this size are compared pair by pair without the prefilter.
EXHAUSTIVE_BLOCK = 100

#: Ordinary words, where a one-letter difference is a typo rather than another name.
VOCABULARY = GENERIC_TOKENS | set(TOKEN_VARIANTS.values())



def same_applicant(a: str, b: str) -> bool:
    """Whether two normalised names are spellings of one applicant.

    Same compact form (``jiao tong`` / ``jiaotong``) or the same tokens in another order
    (``university zhejiang``) count as the same. Otherwise the tokens the names do not share
    must pair up one to one as spelling variants (``MAX_TOKEN_EDITS``, same first letter,
    neither a place name, so ``Hangzhou X`` ≠ ``Changzhou X``). An extra token on one side means
    a different applicant: ``Zhejiang University`` ≠ ``Zhejiang University of Technology``.
    A place name that the other name lacks is ignored when a distinctive word remains
    (``megvii beijing technology`` = ``megvii technology``, ``beijing anbei technology`` =
    ``anbei technology``); two different places make two applicants (``university beijing
    forestry`` ≠ ``university nanjing forestry``, ``xian jiaotong`` ≠ ``beijing jiaotong``).
    CJK names must agree exactly after normalisation: one character changes the entity
    (浙江大学 ≠ 浙江工业大学).
    """
    if a == b or compact(a) == compact(b):
        return bool(a)
    if has_cjk(a) or has_cjk(b):
        return False
    ta, tb = a.split(), b.split()
    if _same_tokens(ta, tb):
        return True
    places_a, places_b = _places(ta), _places(tb)
    if not (places_a <= places_b or places_b <= places_a):  # UNIV BEIJING FORESTRY ≠ UNIV NANJING FORESTRY
        return False
    return _same_tokens(_without_places(ta), _without_places(tb))


def _places(tokens: list[str]) -> set[str]:
    return {t for t in tokens if t in LOCATIONS}


def _same_tokens(ta: list[str], tb: list[str]) -> bool:
    only_a = [t for t in ta if t not in set(tb)]
    only_b = [t for t in tb if t not in set(ta)]
    if not only_a and not only_b:  # same tokens, another order or repeated
        return True
    if "".join(only_a) == "".join(only_b):
        return True
    if len(only_a) != len(only_b) or len(only_a) > 2 or len(only_a) * 2 > max(len(ta), len(tb)):
        return False
    remaining = list(only_b)
    for token in only_a:
        match = next((o for o in remaining if _spelling_variant(token, o)), None)
        if match is None:
            return False
        remaining.remove(match)
    return True


def _without_places(tokens: list[str]) -> list[str]:
    """Drop place names (DOCDB flattens ``Megvii (Beijing) Technology`` to ``MEGVII BEIJING
    TECH``; ``Beijing Anbei Technology`` is also filed as ``Anbei Technology (Beijing)``), but
    only when a distinctive word remains: ``UNIV DALIAN TECH`` must not become ``university
    technology``."""
    kept = [t for t in tokens if t not in LOCATIONS]
    return kept if any(t not in GENERIC_TOKENS for t in kept) else tokens


def _spelling_variant(x: str, y: str) -> bool:
    """A typo-sized difference between two differing tokens.

    In ordinary words (``technology``, ``electronics``: the generic vocabulary) one edit is a
    typo. In a distinctive word only a swap of two adjacent letters is (``tencnet``): one
    substituted, added or dropped letter is how different Pinyin names differ (``hongtai`` /
    ``tongtai``, ``zhongxing`` / ``zhongxin``). Optimal string alignment distance counts a swap
    as one edit; a ratio would not do, since ``southeast``/``southwest`` scores 89 yet differs
    by two edits."""
    if x[0] != y[0] or x in LOCATIONS or y in LOCATIONS or min(len(x), len(y)) < 4:
        return False
    if any(c.isdigit() for c in x + y) or OSA.distance(x, y) > MAX_TOKEN_EDITS:
        return False
    if x in VOCABULARY or y in VOCABULARY:
        return True
    return len(x) == len(y) and sorted(x) == sorted(y)


class _UnionFind:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri != rj:
            self.parent[max(ri, rj)] = min(ri, rj)


def cluster_normalized(names: list[str], progress=None) -> list[int]:
    """Cluster ids for distinct normalised names (index of the cluster's first member).

    Blocking: names are compared only with names sharing a blocking key; within a block,
    rapidfuzz ``cdist`` (C++) prefilters pairs by ``token_sort_ratio`` and ``same_applicant``
    decides. ``progress(done, total)`` is called per block.
    """
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, name in enumerate(names):
        for key in blocking_keys(name):
            blocks[key].append(i)
    uf = _UnionFind(len(names))
    digits = np.array([digit_bits(n) for n in names], dtype=np.int16)
    todo = [(k, m) for k, m in blocks.items() if len(m) > 1 and (len(m) <= MAX_BLOCK or k.startswith("t:"))]
    for done, (key, members) in enumerate(todo, 1):
        for i, j in _candidate_pairs([names[m] for m in members], digits[members], exhaustive=key.startswith("n:")):
            a, b = members[i], members[j]
            if uf.find(a) != uf.find(b) and same_applicant(names[a], names[b]):
                uf.union(a, b)
        if progress:
            progress(done, len(todo))
    return [uf.find(i) for i in range(len(names))]


def digit_bits(name: str) -> int:
    """The set of digits in ``name``, as ten bits. Two names with different sets are never
    ``same_applicant``: each way that check can say yes keeps the set (the same characters, the
    same tokens, differing tokens whose concatenations agree, spelling variants, which contain no
    digit, or dropped place names, which have none), so pairs whose sets differ are not checked.
    This spares the strict check the many near pairs of numbered names (``Applicant 1234`` /
    ``Applicant 1243``) that pass the ratio prefilter."""
    bits = 0
    for c in name:
        if "0" <= c <= "9":
            bits |= 1 << (ord(c) - 48)
    return bits


def _candidate_pairs(block: list[str], digits: np.ndarray, exhaustive: bool = False):
    """Index pairs worth checking (``digits``: ``digit_bits`` of each name). Small blocks on
    the distinctive core (``n:`` keys) are checked pair by pair, since reordered generic words
    score low on every ratio."""
    if len(block) == 2 or (exhaustive and len(block) <= EXHAUSTIVE_BLOCK):
        yield from ((i, j) for i in range(len(block)) for j in range(i + 1, len(block)) if digits[i] == digits[j])
        return
    scores = process.cdist(block, block, scorer=fuzz.token_sort_ratio, score_cutoff=PREFILTER_SCORE,
                           dtype=np.uint8, workers=1)
    compacts = [compact(n) for n in block]
    rows, cols = np.nonzero(np.triu(scores, k=1))
    keep = digits[rows] == digits[cols]
    yield from zip(rows[keep].tolist(), cols[keep].tolist())
    seen = defaultdict(list)  # same compact form scores low when tokens split differently
    for i, c in enumerate(compacts):
        seen[c].append(i)
    for idx in seen.values():
        yield from ((idx[0], j) for j in idx[1:])


