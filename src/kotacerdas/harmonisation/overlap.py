"""Overlap detection between initiatives of different regions: a pure, documented computation (no Django).

Two initiatives overlap when they do the same thing in two regions that should plan together (a cluster, or
neighbours). The score (0–1) is

    0.70 · text similarity  +  0.15 · same element  +  0.10 · same pillar  +  0.05 · same layer

where the text similarity is the cosine of TF-IDF vectors of title (counted twice) and description, after
lower-casing, dropping words under three letters, numbers and the stop words below (common Indonesian and
English filler and the generic verbs of program titles: pembangunan, pengembangan, peningkatan, …). A pair is
reported when its score reaches `threshold` (default 0.45) and its text similarity `min_text` (default 0.25);
each comes with the reasons: the shared words that weigh most, and which of element, pillar and layer agree.

Speed: the cosines of all pairs come from sparse matrix products (scipy, the upper triangle only, two
threads); only the best `limit` pairs are explained (the shared words), the total is counted.
"""

from __future__ import annotations

import math
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse

from kotacerdas.core.text import Text, gettext_noop

STOP_WORDS = frozenset(
    [
        "dan",
        "yang",
        "untuk",
        "dengan",
        "dari",
        "pada",
        "dalam",
        "atau",
        "serta",
        "oleh",
        "bagi",
        "ini",
        "itu",
        "tersebut",
        "sebagai",
        "secara",
        "agar",
        "akan",
        "kabupaten",
        "kota",
        "daerah",
        "wilayah",
        "pemerintah",
        "program",
        "kegiatan",
        "pembangunan",
        "pengembangan",
        "peningkatan",
        "penyediaan",
        "pengelolaan",
        "penguatan",
        "penerapan",
        "penyelenggaraan",
        "berbasis",
        "melalui",
        "terpadu",
        "terintegrasi",
        "smart",
        "city",
        "cerdas",
        "the",
        "and",
        "for",
        "with",
        "from",
        "into",
        "of",
        "to",
        "in",
        "on",
        "by",
        "a",
        "an",
        "program",
        "programme",
        "development",
        "improvement",
        "based",
    ]
)
BLOCK = 1000  # rows of the similarity product computed at a time (about 180 MB each at 15,000 initiatives)
THREADS = min(2, os.cpu_count() or 1)
WEIGHTS = {"text": 0.70, "element": 0.15, "pillar": 0.10, "layer": 0.05}
SAME = {
    "element": gettext_noop("same element"),
    "pillar": gettext_noop("same pillar"),
    "layer": gettext_noop("same layer"),
}
WORD = re.compile(r"[a-z][a-z0-9]+")


@dataclass(frozen=True, slots=True)
class Initiative:
    id: int
    region: str
    pillar: str
    element: str
    layer: str
    title: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Overlap:
    a: int
    b: int
    score: float
    text: float
    shared_words: tuple[str, ...]
    same: tuple[str, ...]  # of "element", "pillar", "layer"

    @property
    def reasons(self) -> list[str]:
        """Why the pair overlaps (Text: English, translated where shown)."""
        found: list[str]
        wording = gettext_noop("similar wording (%(similarity).2f): %(words)s")
        found = (
            [Text.of(wording, similarity=self.text, words=", ".join(self.shared_words))]
            if self.shared_words
            else []
        )
        return found + [Text.of(SAME[what]) for what in self.same]


def words(text: str) -> list[str]:
    return [w for w in WORD.findall(text.lower()) if len(w) >= 3 and w not in STOP_WORDS]


def term_counts(item: Initiative) -> Counter[str]:
    counts = Counter(words(item.title))
    counts.update(counts)  # the title counts twice
    counts.update(words(item.description))
    return counts


def vectors(items: Sequence[Initiative]) -> tuple[list[dict[str, float]], dict[str, int]]:
    """Unit-length TF-IDF vectors (log-scaled term frequency) and each word's document frequency."""
    counts = [term_counts(i) for i in items]
    frequency: Counter[str] = Counter()
    for c in counts:
        frequency.update(c.keys())
    total = len(items)
    found = []
    for c in counts:
        weights = {w: (1 + math.log(n)) * math.log(1 + total / frequency[w]) for w, n in c.items()}
        norm = math.sqrt(sum(v * v for v in weights.values())) or 1.0
        found.append({w: v / norm for w, v in weights.items()})
    return found, dict(frequency)


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b[w] for w, v in a.items() if w in b)


def explain(a: Initiative, b: Initiative, va: Mapping[str, float], vb: Mapping[str, float]) -> Overlap:
    text = cosine(va, vb)
    shared = sorted((w for w in va if w in vb), key=lambda w: (-va[w] * vb[w], w))[:5]
    same = tuple(k for k in ("element", "pillar", "layer") if getattr(a, k) == getattr(b, k))
    score = WEIGHTS["text"] * text + sum(WEIGHTS[k] for k in same)
    return Overlap(a.id, b.id, round(score, 4), round(text, 4), tuple(shared), same)


def overlaps(
    items: Sequence[Initiative],
    together: Callable[[str, str], bool] = lambda a, b: True,
    threshold: float = 0.45,
    min_text: float = 0.25,
    limit: int | None = 1000,
) -> Found:
    """Pairs of initiatives of different regions that should plan together (`together`) and overlap: how
    many there are, and the best `limit` of them (None: all) explained, best first."""
    if len(items) < 2:
        return Found(0, [])
    vecs, _frequency = vectors(items)
    first, second, text = _similar_pairs(vecs, min_text)
    score = WEIGHTS["text"] * text
    for key in ("element", "pillar", "layer"):
        codes = _codes([getattr(i, key) for i in items])
        score = score + WEIGHTS[key] * (codes[first] == codes[second])
    regions = _codes([i.region for i in items])
    keep = (score >= threshold) & (regions[first] != regions[second])
    keep &= _together_mask(items, regions, first, second, together)
    first, second, score = first[keep], second[keep], score[keep]
    best = _best(first, second, np.round(score, 4), np.array([i.id for i in items]), limit)
    explained = [_explained(items[a], items[b], vecs[a], vecs[b]) for a, b in best]
    return Found(len(score), explained)


def _best(first: Any, second: Any, score: Any, ids: Any, limit: int | None) -> list[tuple[int, int]]:
    """The `limit` best pairs (score, then ids), sorting only those that can be among them."""
    if limit is not None and len(score) > limit:
        cutoff = np.partition(score, len(score) - limit)[len(score) - limit]
        contenders = score >= cutoff  # ties at the cut-off stay in, so the order is deterministic
        first, second, score = first[contenders], second[contenders], score[contenders]
    order = np.lexsort((ids[second], ids[first], -score))
    chosen = order if limit is None else order[:limit]
    return [(int(a), int(b)) for a, b in zip(first[chosen], second[chosen], strict=True)]


@dataclass(frozen=True, slots=True)
class Found:
    total: int  # every overlapping pair
    pairs: list[Overlap]  # the best of them, explained


def _similar_pairs(vecs: Sequence[Mapping[str, float]], min_text: float) -> tuple[Any, Any, Any]:
    """(first, second, cosine) of every pair (first < second) whose text similarity reaches min_text: sparse
    matrix products (scipy) of a block of rows with the columns from that block on (the upper triangle only),
    on two threads (scipy releases the GIL), so 15,000 initiatives take about a second and a half."""
    vocabulary: dict[str, int] = {}
    rows, cols, values = [], [], []
    for index, vec in enumerate(vecs):
        for word, weight in vec.items():
            rows.append(index)
            cols.append(vocabulary.setdefault(word, len(vocabulary)))
            values.append(weight)
    matrix = sparse.csr_matrix((values, (rows, cols)), shape=(len(vecs), max(1, len(vocabulary))))
    transposed = matrix.T.tocsc()

    def block(start: int) -> tuple[Any, Any, Any]:
        found = (matrix[start : start + BLOCK] @ transposed[:, start:]).tocoo()
        keep = (found.data >= min_text - 1e-12) & (found.col > found.row)
        return found.row[keep] + start, found.col[keep] + start, found.data[keep]

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        parts = list(pool.map(block, range(0, len(vecs), BLOCK)))
    return tuple(np.concatenate([part[k] for part in parts]) for k in range(3))  # type: ignore[return-value]


def _codes(values: Sequence[str]) -> Any:
    """Small integers standing for equal strings (for vectorised comparisons)."""
    table: dict[str, int] = {}
    return np.array([table.setdefault(v, len(table)) for v in values])


def _together_mask(
    items: Sequence[Initiative], regions: Any, first: Any, second: Any, together: Callable[[str, str], bool]
) -> Any:
    """`together` asked once per pair of regions, not once per pair of initiatives."""
    names = {code: items[index].region for index, code in enumerate(regions)}
    pairs = regions[first] * (len(names) + 1) + regions[second]
    unique, back = np.unique(pairs, return_inverse=True)
    answers = np.array(
        [together(names[int(p) // (len(names) + 1)], names[int(p) % (len(names) + 1)]) for p in unique],
        dtype=bool,
    )
    return answers[back] if len(unique) else np.zeros(0, dtype=bool)


def _explained(a: Initiative, b: Initiative, va: Mapping[str, float], vb: Mapping[str, float]) -> Overlap:
    pair = explain(a, b, va, vb)
    return pair if a.id < b.id else Overlap(b.id, a.id, *_rest(pair))


def _rest(pair: Overlap) -> tuple[float, float, tuple[str, ...], tuple[str, ...]]:
    return pair.score, pair.text, pair.shared_words, pair.same


def joint_initiative(pair: Overlap, items: Mapping[int, Initiative]) -> dict[str, object]:
    """A proposed joint initiative for an overlapping pair: the shorter title, both regions, what they
    share."""
    a, b = items[pair.a], items[pair.b]
    title = min((a.title, b.title), key=lambda t: (len(t), t))
    return {
        "title": title,
        "regions": sorted({a.region, b.region}),
        "pillar": a.pillar if a.pillar == b.pillar else None,
        "element": a.element if a.element == b.element else None,
        "layer": a.layer if a.layer == b.layer else None,
        "from_initiatives": [a.id, b.id],
        "why": pair.reasons,
    }


def in_cluster(members: Iterable[str]) -> Callable[[str, str], bool]:
    """`together` for a cluster: both regions are members."""
    codes = frozenset(members)
    return lambda a, b: a in codes and b in codes
