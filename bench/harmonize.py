"""Benchmark: applicant harmonisation (blocked clustering) vs all-pairs rapidfuzz.

The reference is what one would write without blocking: ``rapidfuzz.process.cdist`` over all
pairs of normalised names (C++, one core, ``token_sort_ratio`` ≥ 80) followed by the same strict
``same_applicant`` check on the surviving pairs. Both get the same generated names: Pinyin
company names in several spellings (DOCDB upper case, abbreviations, legal forms, a city
qualifier, Pinyin spacing, typos), each labelled with its true company. The script prints the
time of each, the ratio, and each one's pairwise precision and recall against the true
companies (blocking must not lose what the all-pairs scan finds).

    python bench/harmonize.py                # 20,000 names
    python bench/harmonize.py --names 50000  # the reference needs n²/2 bytes of score matrix
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from patentq import harmonize  # noqa: E402
from patentq.harmonize.cluster import _UnionFind  # noqa: E402
from patentq.harmonize.names import normalize_name  # noqa: E402

SYLLABLES = ["zhi", "hua", "xin", "tong", "kang", "rui", "jia", "long", "feng", "yuan", "sheng", "tai", "bo",
             "da", "mei", "neng", "qi", "wei", "hong", "lan", "an", "bei", "chen", "de", "fu", "guo", "hai"]
CITIES = ["Beijing", "Shanghai", "Shenzhen", "Hangzhou", "Nanjing", "Chengdu"]
TAILS = ["Technology", "Intelligent Technology", "Network Technology", "Information Technology", "Electronics"]


def generate(n: int, seed: int) -> dict[str, int]:
    """``n`` raw names: about half the companies appear in two to five spellings, some of which
    only clustering can join (Pinyin spacing, a typo in an ordinary word)."""
    rng = random.Random(seed)
    names: dict[str, int] = {}
    company = 0
    cores: set[str] = set()
    while len(names) < n:
        syllables = [rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))]
        core = "".join(syllables).capitalize()
        if core in cores:  # one company per name core, so the truth is unambiguous
            continue
        cores.add(core)
        company += 1
        variants = []
        city, tail = rng.choice(CITIES), rng.choice(TAILS)
        variants.append(f"{city} {core} {tail} Co., Ltd.")
        if rng.random() < 0.35:
            variants.append(f"{city.upper()} {core.upper()} {tail.upper().replace('TECHNOLOGY', 'TECH')} CO LTD")
        if rng.random() < 0.15:
            variants.append(f"{core} {tail} ({city}) Company Limited")
        if rng.random() < 0.10:
            variants.append(f"{city} {' '.join(s.capitalize() for s in syllables)} {tail} Co Ltd")
        if rng.random() < 0.05 and "Technology" in tail:
            variants.append(f"{city} {core} {tail.replace('Technology', 'Techonlogy')} Co., Ltd.")
        for name in variants:  # a name drawn twice is one company: keep the first
            names.setdefault(name, company)
    return dict(sorted(names.items())[:n])


def all_pairs_reference(normalized: list[str]) -> list[int]:
    scores = process.cdist(normalized, normalized, scorer=fuzz.token_sort_ratio,
                           score_cutoff=harmonize.PREFILTER_SCORE, dtype=np.uint8, workers=1)
    rows, cols = np.nonzero(np.triu(scores, k=1))
    uf = _UnionFind(len(normalized))
    for i, j in zip(rows.tolist(), cols.tolist()):
        if uf.find(i) != uf.find(j) and harmonize.same_applicant(normalized[i], normalized[j]):
            uf.union(i, j)
    return [uf.find(i) for i in range(len(normalized))]


def pairwise(predicted: list, truth: list) -> tuple[float, float]:
    """Pairwise precision and recall of a clustering against the true companies, from counts
    (no pair enumeration): pairs together in both / together in predicted / together in truth."""
    from collections import Counter

    def pairs(counter):
        return sum(c * (c - 1) // 2 for c in counter.values())

    both = pairs(Counter(zip(predicted, truth)))
    return both / max(pairs(Counter(predicted)), 1), both / max(pairs(Counter(truth)), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--names", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    truth = generate(args.names, args.seed)
    raw = list(truth)
    norm_of = {r: normalize_name(r) for r in raw}
    normalized = sorted(set(norm_of.values()))
    index = {n: i for i, n in enumerate(normalized)}
    started = time.perf_counter()
    ours = harmonize.cluster_normalized(normalized)
    ours_s = time.perf_counter() - started
    started = time.perf_counter()
    reference = all_pairs_reference(normalized)
    ref_s = time.perf_counter() - started
    companies = [truth[r] for r in raw]
    p_ours, r_ours = pairwise([ours[index[norm_of[r]]] for r in raw], companies)
    p_ref, r_ref = pairwise([reference[index[norm_of[r]]] for r in raw], companies)
    print(f"{len(raw):,} raw names of {len(set(companies)):,} companies, {len(normalized):,} distinct normalised")
    print(f"blocked clustering: {ours_s:.2f} s, {len(set(ours)):,} clusters, pairwise precision {p_ours:.4f} "
          f"recall {r_ours:.4f}")
    print(f"all-pairs cdist:    {ref_s:.2f} s, {len(set(reference)):,} clusters, pairwise precision {p_ref:.4f} "
          f"recall {r_ref:.4f}")
    print(f"speed-up {ref_s / ours_s:.1f}x")
    started = time.perf_counter()
    harmonize.harmonize_names(raw)
    print(f"full harmonize_names (normalise + curated groups + clustering): {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
