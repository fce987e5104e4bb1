"""Event corpora built like ../shared/data/ecbplus (`docs.jsonl` + `gold.json`): reading the gold,
placing its sentences in storydiff's articles, and scoring a report's findings the way
`../shared/tools/score_events.py` does (the same rules, rewritten here; benchmarks/events.py prints
both side by side so they can be checked against each other).

Sentences are `(doc_id, index)`; a gold pair is two scored sentences of different documents that
share an event chain.
"""

from __future__ import annotations

import itertools
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Sentence = tuple[str, int]
Pair = tuple[Sentence, Sentence]


def cross_doc_pairs(sentences: Iterable[Sentence]) -> list[Pair]:
    """Every pair of distinct sentences from two documents, each as (smaller, larger)."""
    return [(a, b) for a, b in itertools.combinations(sorted(set(sentences)), 2) if a[0] != b[0]]


@dataclass
class Gold:
    docs: list[dict[str, Any]]
    gold: dict[str, Any]

    @classmethod
    def read(cls, folder: Path) -> Gold:
        with open(folder / "docs.jsonl", encoding="utf-8") as fh:
            docs = [json.loads(line) for line in fh if line.strip()]
        with open(folder / "gold.json", encoding="utf-8") as fh:
            return cls(docs, json.load(fh))

    def topic(self, doc_id: str) -> str:
        return str(self.gold[doc_id]["subtopic"]).split("-")[0]

    def subtopic(self, doc_id: str) -> str:
        return str(self.gold[doc_id]["subtopic"])

    def chains(self, s: Sentence) -> list[str]:
        return list(self.gold[s[0]]["sentences"][s[1]][2])

    def scored(self, s: Sentence) -> bool:
        return bool(self.gold[s[0]]["sentences"][s[1]][1])

    def pairs(self) -> set[Pair]:
        by_chain: dict[str, set[Sentence]] = defaultdict(set)
        for d, g in self.gold.items():
            for i, (_, scored, chains) in enumerate(g["sentences"]):
                if scored:
                    for c in chains:
                        by_chain[c].add((d, i))
        return {pair for members in by_chain.values() for pair in cross_doc_pairs(members)}


def sentence_spans(text: str, sentences: Sequence[Sequence[Any]]) -> list[tuple[int, int] | None]:
    """Where each gold sentence lies in an article's cleaned text (the scorer's search)."""
    spans: list[tuple[int, int] | None] = []
    cur = 0
    for s, _, _ in sentences:
        k = text.find(s, cur)
        if k < 0:  # cleaning changed it: look for its first words
            k = text.find(s[: max(12, len(s) // 3)], cur)
        if k < 0:
            spans.append(None)
            continue
        spans.append((k, k + len(s)))
        cur = k + 1
    return spans


def place(start: int, end: int, spans: Sequence[tuple[int, int] | None]) -> int | None:
    """The gold sentence a span overlaps most (None: none)."""
    best, where = 0, None
    for i, sp in enumerate(spans):
        if sp:
            overlap = min(sp[1], end) - max(sp[0], start)
            if overlap > best:
                best, where = overlap, i
    return where


def claim_sentences(gold: Gold, articles: Sequence[Any], doc_of: Mapping[str, str]) -> list[Sentence | None]:
    """The gold sentence each claim of these storydiff articles lies on (article after article, claims
    in order); None where it lies on none. `doc_of`: article id -> gold document id."""
    out: list[Sentence | None] = []
    for a in articles:
        spans = sentence_spans(a.text, gold.gold[doc_of[a.id]]["sentences"])
        for c in a.claims:
            i = place(c.span.start, c.span.end, spans)
            out.append(None if i is None else (doc_of[a.id], i))
    return out


def b_cubed(gold_of: Mapping[str, str], pred_of: Mapping[str, str]) -> tuple[float, float, float]:
    gc: dict[str, set[str]] = defaultdict(set)
    pc: dict[str, set[str]] = defaultdict(set)
    for i in gold_of:
        gc[gold_of[i]].add(i)
        pc[pred_of[i]].add(i)
    n = len(gold_of)
    p = sum(len(gc[gold_of[i]] & pc[pred_of[i]]) / len(pc[pred_of[i]]) for i in gold_of) / n
    r = sum(len(gc[gold_of[i]] & pc[pred_of[i]]) / len(gc[gold_of[i]]) for i in gold_of) / n
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def pair_scores(
    found: Iterable[Pair], gold: Gold, gold_pairs: set[Pair]
) -> tuple[int, int, float, float, float]:
    """(judgeable, same event, P, R, F1) of a set of sentence pairs, as the scorer counts them."""
    found = set(found)
    judgeable = [p for p in found if gold.scored(p[0]) and gold.scored(p[1])]
    good = sum(1 for p in judgeable if p in gold_pairs)
    precision = good / len(judgeable) if judgeable else 0.0
    recall = len(found & gold_pairs) / len(gold_pairs) if gold_pairs else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return len(judgeable), good, precision, recall, f1


def report_pairs(report: Mapping[str, Any], gold: Gold) -> tuple[set[Pair], set[Pair], dict[str, str]]:
    """The sentence pairs a storydiff report aligns, those it flags, and each document's story."""
    by_url = {d["url"]: d["id"] for d in gold.docs}
    doc_of: dict[str, str] = {}
    spans: dict[str, list[tuple[int, int] | None]] = {}
    for a in report["articles"]:
        doc = by_url.get(a.get("url"))
        if doc is not None:
            doc_of[a["id"]] = doc
            spans[a["id"]] = sentence_spans(a["text"], gold.gold[doc]["sentences"])
    where: dict[str, Sentence] = {}
    for x in [*report.get("claims", []), *report.get("quotes", [])]:
        if x["article"] in doc_of:
            i = place(x["start"], x["end"], spans[x["article"]])
            if i is not None:
                where[x["id"]] = (doc_of[x["article"]], i)
    pairs: set[Pair] = set()
    flagged: set[Pair] = set()
    for al in report.get("alignments", []):
        ids = [*al.get("claims", []), *al.get("quotes", [])]
        found = cross_doc_pairs(where[m] for m in ids if m in where)
        pairs.update(found)
        if al.get("status") in ("discrepant", "disputed"):
            flagged.update(found)
    story_of = {
        doc_of[a]: st["id"] for st in report.get("stories", []) for a in st["articles"] if a in doc_of
    }
    return pairs, flagged, story_of
