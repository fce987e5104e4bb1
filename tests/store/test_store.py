"""The Store API on SQLite and on a real PostgreSQL server: round trip, idempotence, versions, links."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

import jsonschema
import numpy as np
import pytest
import sqlalchemy as sa
from store_helpers import HARBOUR, SUMMIT_WIRE, corpus, linked, make_article, misattributed_pair

from storydiff.archive import relink
from storydiff.clean import clean
from storydiff.model import Analysis, OffsetMap, Quote, RawDocument, Span, Speaker, Story
from storydiff.report.export import export
from storydiff.report.json import to_dict
from storydiff.store import SearchHit, Store, open_store
from storydiff.store import schema as t
from storydiff.store.search import Query, parse_query


def snapshot(store: Store) -> dict[str, list[Any]]:
    """Every row of every table (but run bookkeeping and timestamps), to compare states."""
    out: dict[str, list[Any]] = {}
    with store.engine.connect() as conn:
        for table in t.metadata.sorted_tables:
            if table.name == "runs":
                continue
            cols = [c for c in table.c if c.name not in ("added_at", "run_id")]
            out[table.name] = sorted(map(tuple, conn.execute(sa.select(*cols)).all()), key=repr)
    return out


def test_round_trip_gives_the_same_report(store: Store, report_schema: dict[str, object]) -> None:
    analysis = linked(corpus())
    store.add_articles(analysis.articles)
    store.save_links(analysis)
    loaded = store.load_analysis()
    assert to_dict(loaded) == to_dict(analysis)
    jsonschema.validate(to_dict(loaded), report_schema)
    for article in loaded.articles:
        for q in article.quotes:
            assert q.span.of(article.text) == q.text
            assert article.raw_span(q.span).of(article.raw) == q.text  # offsets back to the raw copy
        for c in article.claims:
            assert c.span.of(article.text) == c.text


def test_same_articles_twice_change_nothing(store: Store) -> None:
    analysis = linked(corpus())
    first = store.add_articles(analysis.articles, store.begin_run({"n": 1}))
    store.save_links(analysis)
    before = snapshot(store)
    again = store.add_articles(linked(corpus()).articles, store.begin_run({"n": 2}))
    store.save_links(linked(corpus()))
    assert first.added == ["a1", "a2", "a3"]
    assert again.unchanged == ["a1", "a2", "a3"] and not again.added and not again.new_versions
    assert snapshot(store) == before
    assert store.counts()["runs"] == 2


def test_same_url_with_new_text_is_a_new_version(store: Store) -> None:
    store.add_articles(corpus())
    store.save_links(linked(corpus()))
    updated_text = SUMMIT_WIRE.replace("Three soldiers", "Four soldiers")
    updated = make_article(
        "a1v2",
        updated_text,
        quotes=[("the ceasefire will hold through the winter", "Anna Berg")],
        claims=["Four soldiers were wounded near the border."],
        url="https://wire.example/summit",
        outlet="Northbridge Wire",
    )
    result = store.add_articles([updated])
    assert result.new_versions == ["a1v2"]
    versions = store.article_versions("a1")
    assert [(v["id"], v["version"], v["is_latest"]) for v in versions] == [
        ("a1", 1, False),
        ("a1v2", 2, True),
    ]
    assert store.latest_article_ids() == ["a2", "a3", "a1v2"]
    # Only the latest version is searched ...
    assert {h.id for h in store.search("soldiers wounded")} == {"a1v2:c1", "a2:c1"}
    # ... and linking the store again moves the story's links to it.
    corpus_now = relink(store, linker=_link_by_url)
    assert sorted(a.id for a in corpus_now.articles) == ["a1v2", "a2", "a3"]
    assert {tuple(s.articles) for s in store.load_analysis().stories} == {("a2", "a1v2"), ("a3",)}
    assert store.stored_article("a1") is not None  # the old version is kept
    # The old text again is not a new version of anything: it is already stored.
    assert store.add_articles([corpus()[0]]).unchanged == ["a1"]


def _link_by_url(analysis: Analysis) -> Analysis:
    """A stand-in linker: stories by topic word, nothing else."""
    summit = [a.id for a in analysis.articles if "ceasefire" in a.text]
    other = [a.id for a in analysis.articles if a.id not in summit]
    analysis.stories = [Story("s1", summit), Story("s2", other)]
    return analysis


def test_same_text_under_another_id_is_stored_once(store: Store) -> None:
    store.add_articles(corpus())
    a3 = corpus()[2]
    # Same file, same cleaned text, a raw copy that differed only in what cleaning removed.
    again = make_article(
        "a3bis",
        HARBOUR,
        quotes=[("the harbour will reopen in spring", "Lena Holm")],
        path="harbour.txt",
        raw_prefix="Advertisement\n",
    )
    stdin_twice = [
        make_article("x1", "Nothing but a rumour from 2020."),
        make_article("x2", "Nothing but a rumour from 2020."),
    ]
    result = store.add_articles([again, *stdin_twice])
    assert result.unchanged == ["a3bis", "x2"] and result.added == ["x1"]
    assert store.known_articles(["a3bis", "x2", "nope"]) == {"a3bis", "x2"}
    resumed = store.stored_article("a3bis")
    assert resumed is not None and resumed.id == a3.id
    assert store.counts()["articles"] == 4


def test_relink_links_new_articles_with_stored_ones(store: Store) -> None:
    first, second = corpus()[:1], corpus()[1:]
    store.add_articles(first)
    relink(store, Analysis(articles=first), linker=_link_by_url)
    store.add_articles(second)
    # The run's own analysis holds only today's articles: the store links them with yesterday's.
    relink(store, Analysis(articles=second, settings={"spacy_model": "m2"}), linker=_link_by_url)
    assert {tuple(s.articles) for s in store.load_analysis().stories} == {("a1", "a2"), ("a3",)}
    assert store.settings() == store.load_analysis().settings == {"spacy_model": "m2"}


def test_links_to_unstored_articles_are_left_out(store: Store) -> None:
    analysis = linked(corpus())
    store.add_articles(analysis.articles[:2])
    store.save_links(analysis)
    loaded = store.load_analysis()
    assert [s.articles for s in loaded.stories] == [["a1", "a2"]]
    assert [al.members for al in loaded.alignments] == [["a1:c1", "a2:c1"]]
    assert [e.id for e in loaded.entities] == ["e1"]


def test_search_ranks_filters_and_snippets(store: Store) -> None:
    store.add_articles(corpus())
    hits = store.search("ceasefire winter")
    assert {h.id for h in hits} == {"a1:q1", "a2:q1"}
    assert all("**ceasefire**" in h.snippet and h.speaker == "Anna Berg" for h in hits)
    # Ranking: a claim repeating the word beats one that says it once.
    store.add_articles(
        [
            make_article(
                "r1",
                "The border was calm. Nothing at the border, said 2 guards.",
                claims=["Nothing at the border, said 2 guards."],
                url="https://r.example/1",
            ),
            make_article(
                "r2",
                "Border, border, border: 3 towns on the border closed their border posts.",
                claims=["Border, border, border: 3 towns on the border closed their border posts."],
                url="https://r.example/2",
            ),
        ]
    )
    ranked = store.search("border", kind="claim")
    assert ranked[0].id == "r2:c1"
    assert ranked[0].score >= ranked[-1].score
    assert [h.id for h in store.search("ceasefire", speaker="berg")] == [h.id for h in hits]
    assert store.search("ceasefire", speaker="Holm") == []
    assert {h.id for h in store.search("ceasefire", outlet="wire")} == {"a1:q1"}
    assert {h.id for h in store.search("ceasefire OR harbour", since=datetime(2024, 3, 6))} == {"a2:q1"}
    assert {h.id for h in store.search("harbour OR fire")} == {"a3:q1", "a1:q2"}
    assert {h.id for h in store.search('"will hold through"')} == {"a1:q1", "a2:q1"}
    assert store.search('"winter ceasefire"') == []  # a phrase keeps its word order
    assert {h.id for h in store.search("reop*")} == {"a3:q1"}
    assert store.search("ceasefire", limit=1)[0].id in {"a1:q1", "a2:q1"}
    hit = store.search("harbour")[0]
    assert (hit.start, hit.end, hit.outlet, hit.path) == (
        HARBOUR.index("the harbour"),
        HARBOUR.index('" after'),
        "Meridian Ledger",
        "harbour.txt",
    )
    assert json.loads(json.dumps(hit.to_dict()))["id"] == "a3:q1"


NASTY = [
    "'; DROP TABLE quotes; --",
    "%",
    '"',
    '""',
    '"unbalanced',
    "_",
    "%_%",
    "\\",
    "*",
    "ceasefire*",
    "AND OR NOT",
    "NEAR(ceasefire winter)",
    "body:ceasefire",
    "ceasefire -winter",
    "!(&|)<->:*",
    "' OR 1=1 --",
    "\x00",
    "😀 ceasefire",
    "Ünïcödé ceasefire",
    "a" * 5000,
    "",
    "   ",
]


def assert_sound(
    store: Store, hits: list[SearchHit], *, speaker: str | None = None, outlet: str | None = None
) -> None:
    """What every hit list must be, whatever the query: stored quotes or claims, once each, best
    first, each with a marked snippet, its own text at its offsets, and within the filters (NUL,
    which no stored text holds, is dropped from them)."""
    speaker = speaker.replace("\0", "") if speaker else speaker
    outlet = outlet.replace("\0", "") if outlet else outlet
    articles = {a.id: a for a in store.load_analysis().articles}
    findings = {x.id: x for a in articles.values() for x in [*a.quotes, *a.claims]}
    assert len({h.id for h in hits}) == len(hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    for hit in hits:
        assert hit.id in findings and hit.text == findings[hit.id].text
        assert articles[hit.article].text[hit.start : hit.end] == hit.text
        assert "**" in hit.snippet and hit.snippet.replace("**", "").strip("… ") in hit.text
        if speaker:
            assert hit.kind == "quote"
            quote = findings[hit.id]
            assert isinstance(quote, Quote)
            names = (quote.speaker.name or "", quote.speaker.mention_text or "")
            assert any(speaker.casefold() in n.casefold() for n in names)
        if outlet:
            assert outlet.casefold() in (hit.outlet or "").casefold()


@pytest.mark.parametrize("query", NASTY, ids=range(len(NASTY)))
def test_sql_metacharacters_are_harmless(store: Store, query: str) -> None:
    store.add_articles(corpus())
    before = snapshot(store)
    for filters in ({}, {"speaker": query, "outlet": query}):
        assert_sound(store, store.search(query, **filters), **filters)
    for filters in ({"speaker": query}, {"outlet": query}):
        hits = store.search("ceasefire", **filters)
        assert_sound(store, hits, **filters)
        if not query.replace("\0", ""):  # an empty filter filters nothing
            assert {h.id for h in hits} == {"a1:q1", "a2:q1"}
    assert snapshot(store) == before
    assert {h.id for h in store.search("ceasefire")} == {"a1:q1", "a2:q1"}


def _canonical(query: Query) -> str:
    """A parsed query written back in the query language (what the search should have read)."""

    def term(words: tuple[str, ...], prefix: bool) -> str:
        return (f'"{" ".join(words)}"' if len(words) > 1 else words[0]) + ("*" if prefix else "")

    return " OR ".join(" ".join(term(t.words, t.prefix) for t in clause) for clause in query)


def test_random_queries_read_only_their_words(store: Store) -> None:
    """Any string is a query: what is not a word, phrase, prefix or OR is ignored, so a random
    string finds exactly what its words written cleanly find (and nothing when it has none)."""
    import random

    store.add_articles(corpus())
    rng = random.Random(4)
    alphabet = "abc XYZ\"'%_*()-:^&|!<>;\\/.,0123456789éß😀\t\n"
    punctuation = " \"'%*()-:^&|!<>;\\/.,😀\t\n"
    words = ["ceasefire", "winter", "soldiers", "harbour", "hold", "wound*", "OR", "zzyzx"]

    def junk(chars: str, most: int) -> str:
        return "".join(rng.choice(chars) for _ in range(rng.randint(0, most)))

    found = 0
    for i in range(300):
        if i % 2:  # anything at all
            query = junk(alphabet, 30)
        else:  # corpus words among non-word characters
            query = junk(punctuation, 6).join(["", *rng.sample(words, rng.randint(1, 3)), ""])
        hits = store.search(query)
        parsed = parse_query(query)
        assert_sound(store, hits)
        if not parsed:
            assert hits == []
            continue
        assert [(h.id, h.score) for h in hits] == [(h.id, h.score) for h in store.search(_canonical(parsed))]
        found += bool(hits)
    assert found > 20


def test_stories_story_and_speakers(store: Store) -> None:
    analysis = linked(corpus())
    store.add_articles(analysis.articles)
    store.save_links(analysis)
    stories = store.stories()
    assert [(s.id, s.articles, s.quotes) for s in stories] == [("s1", 2, 3), ("s2", 1, 1)]
    assert stories[0].outlets == ["Coastal Daily Post", "Northbridge Wire"]
    assert stories[0].first_published == "2024-03-05T09:30:00+02:00"
    story = store.story("s1")
    assert story is not None and [a.id for a in story.articles] == ["a1", "a2"]
    assert [al.status for al in story.alignments] == ["discrepant"] and len(story.quote_links) == 1
    assert store.story("nope") is None
    speakers = store.speakers()
    assert [(s.name, s.quotes, s.articles) for s in speakers] == [
        ("Anna Berg", 2, 2),
        ("Lena Holm", 1, 1),
        ("Tomas Ruud", 1, 1),
    ]
    assert store.speakers(limit=1)[0].name == "Anna Berg"


def test_export_formats(store: Store, report_schema: dict[str, object]) -> None:
    analysis = linked(corpus())
    store.add_articles(analysis.articles)
    store.save_links(analysis)
    stored = store.load_analysis()
    out = io.StringIO()
    export(stored, "json", out)
    report = json.loads(out.getvalue())
    jsonschema.validate(report, report_schema)
    assert report == json.loads(json.dumps(to_dict(analysis)))
    out = io.StringIO()
    count = export(stored, "jsonl", out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert count == len(records) == 3 + 2 + 4 + 3 + 2 + 1 + 2
    assert {r["record"] for r in records} == {
        "article",
        "entity",
        "quote",
        "claim",
        "story",
        "quote_link",
        "alignment",
    }
    out = io.StringIO()
    export(stored, "csv", out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [r["id"] for r in rows] == ["a1:q1", "a1:q2", "a2:q1", "a3:q1"]
    assert rows[0]["speaker"] == "Anna Berg" and rows[0]["outlet"] == "Northbridge Wire"
    out = io.StringIO()
    export(stored, "csv", out, table="claims")
    assert len(list(csv.DictReader(io.StringIO(out.getvalue())))) == 3
    with pytest.raises(ValueError):
        export(stored, "xml", io.StringIO())  # type: ignore[arg-type]


def test_writer_batches_are_transactions(store: Store) -> None:
    run = store.begin_run({"inputs": ["x"]})
    articles = [
        make_article(
            f"w{i}", f"Item {i}: the vote was {i} to 2.", claims=[f"Item {i}: the vote was {i} to 2."]
        )
        for i in range(7)
    ]
    with pytest.raises(RuntimeError), store.writer(run, batch_size=3) as writer:
        for a in articles[:5]:
            writer(a)
        assert store.counts()["articles"] == 3  # one batch committed, two waiting
        raise RuntimeError("interrupted")
    assert store.counts()["articles"] == 5  # what was analysed before the error is kept
    store.finish_run(run)
    assert store.runs()[-1]["articles_added"] == 5 and store.runs()[-1]["status"] == "done"


def test_open_store_defaults(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STORYDIFF_DB", raising=False)
    with open_store() as s:
        assert s.display_url == "storydiff.db" and s.dialect == "sqlite"
    assert (tmp_path / "storydiff.db").exists()
    monkeypatch.setenv("STORYDIFF_DB", str(tmp_path / "env.db"))
    with open_store() as s:
        assert s.display_url.endswith("env.db")
        with s.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 60000
    with pytest.raises(FileNotFoundError):
        open_store(str(tmp_path / "missing.db"), must_exist=True)


def test_what_counts_as_another_version(store: Store) -> None:
    """A URL or a one-article file's path identifies an article; a JSONL file's path does not."""
    lines = [make_article(f"j{i}", f"Line {i} of the feed.", path="feed.jsonl") for i in range(3)]
    assert store.add_articles(lines).added == ["j0", "j1", "j2"]
    edited = make_article("t2", "The file, edited.", path="notes/story.txt")
    assert store.add_articles([make_article("t1", "The file.", path="notes/story.txt")]).added == ["t1"]
    assert store.add_articles([edited]).new_versions == ["t2"]
    assert [v["id"] for v in store.article_versions("t2")] == ["t1", "t2"]
    assert store.latest_article_ids() == ["j0", "j1", "j2", "t2"]


def test_speaker_conflicts_survive_the_store(db_url: str, tmp_path: Any) -> None:
    from storydiff.cli import main

    analysis = misattributed_pair()
    conflict = {
        "story": "s1",
        "status": "discrepant",
        "claims": ["p1:q1", "p2:q1"],
        "detail": "quote attributed to Ola Dahl vs Kari Lunde",
        "confidence": 1.0,  # the same words: one remark for sure
    }
    assert conflict in to_dict(analysis)["alignments"]  # the linker made one, with quote members
    with open_store(db_url) as store:
        store.add_articles(analysis.articles)
        store.save_links(analysis)
        assert store.counts()["alignments"] == len(analysis.alignments)
        assert store.load_analysis().alignments == analysis.alignments
        story = store.story("s1")
        assert story is not None and story.alignments == analysis.alignments
    json_path = tmp_path / "report.json"
    assert main(["report", "--db", db_url, "--html", str(tmp_path / "r.html"), "--json", str(json_path)]) == 0
    from_store = json.loads(json_path.read_text(encoding="utf-8"))
    assert from_store["alignments"] == json.loads(json.dumps(to_dict(analysis)))["alignments"]


def _offsets_behaviour(offsets: OffsetMap) -> tuple[Any, ...]:
    """All an `OffsetMap` answers: its runs, and the raw span of every cleaned character (which
    covers the raw ends of replaced characters)."""
    spans = [offsets.span_to_raw(Span(k, k + 1)) for k in range(offsets.clean_len)]
    return offsets.runs(), offsets.clean_len, offsets.raw_len, spans


def test_raw_spans_of_replaced_characters_survive_the_store(store: Store) -> None:
    # NFC composes "e" + U+0301 into "é": a quote ending on it ends, in the raw text, after the
    # combining accent; the offset map keeps that in its `ends`, which the store must keep too.
    raw = 'Mayor Lena Holm said "we will meet at the cafe\u0301" on Friday.\n'
    article = clean(RawDocument(text=raw, path="cafe.txt"))
    words = "we will meet at the café"
    start = article.text.index(words)
    span = Span(start, start + len(words))
    article.quotes.append(
        Quote(f"{article.id}:q1", article.id, span, words, "direct", Speaker("Lena Holm", "named"))
    )
    assert article.raw_span(span).of(raw) == "we will meet at the cafe\u0301"
    analysis = Analysis(articles=[article])
    store.add_articles(analysis.articles)
    loaded = store.load_analysis()
    assert to_dict(loaded) == to_dict(analysis)
    assert _offsets_behaviour(loaded.articles[0].offsets) == _offsets_behaviour(article.offsets)


def test_sample_corpus_round_trip_loses_nothing(store: Store, sample_analysis: Analysis) -> None:
    """The built-in samples, analysed, stored and loaded back: the same report and the same model.

    Left out of the comparison: `skipped` (inputs a run could not analyse are reported by that
    run, not stored; the samples have none anyway) and `generator` (the storydiff that writes the
    report, the same one here)."""
    store.add_articles(sample_analysis.articles)
    relink(store, sample_analysis)  # holds exactly the stored articles: saves its links as they are
    out = io.StringIO()
    export(store.load_analysis(), "json", out)
    from_store = json.loads(out.getvalue())
    in_memory = json.loads(json.dumps(to_dict(sample_analysis)))
    for report in (from_store, in_memory):
        del report["skipped"], report["generator"]
    assert from_store == in_memory
    assert in_memory["alignments"] and in_memory["quote_links"] and in_memory["entities"]
    # Beyond the report: every field of every article and cross-article result.
    loaded = store.load_analysis()
    assert len(loaded.articles) == len(sample_analysis.articles)
    for got, want in zip(loaded.articles, sample_analysis.articles, strict=True):
        assert _offsets_behaviour(got.offsets) == _offsets_behaviour(want.offsets)
        assert replace(got, offsets=want.offsets) == want
    for name in ("entities", "stories", "quote_links", "alignments", "settings"):
        assert getattr(loaded, name) == getattr(sample_analysis, name), name


class _Counting:
    """A stand-in embedder: a fixed vector per text, and a count of the texts it embedded."""

    name = "counting-test"

    def __init__(self) -> None:
        self.embedded: list[str] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.embedded += texts
        return np.array([[len(t), 1.0] for t in texts], dtype=np.float32).reshape(-1, 2)


def test_stored_embedder_keeps_new_vectors_until_flushed_then_in_the_store(db_url: str) -> None:
    """New vectors are served from memory until `flush`, then from the store: each text is
    embedded once, and nothing is written story by story."""
    from storydiff.store.embeddings import StoredEmbedder

    inner = _Counting()
    with open_store(db_url) as store:
        stored = StoredEmbedder(store.engine, inner)
        first = stored.encode(["a dam", "a levee"])
        again = stored.encode(["a levee", "a dam", "a dam"])  # pending, not yet in the store
        assert inner.embedded == ["a dam", "a levee"]
        assert np.array_equal(again, first[[1, 0, 0]])

        def rows() -> int:
            with store.engine.connect() as conn:
                return conn.execute(sa.select(sa.func.count()).select_from(t.embeddings)).scalar_one()

        assert rows() == 0
        stored.flush()
        assert rows() == 2
        fresh = StoredEmbedder(store.engine, inner)  # another run reads them back
        assert np.array_equal(fresh.encode(["a dam"]), first[:1]) and fresh.computed == 0
        assert inner.embedded == ["a dam", "a levee"]
