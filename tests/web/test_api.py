"""The web app's pages and JSON API over a store holding the sample corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from storydiff.archive import relink
from storydiff.link.stories import StoryIndex
from storydiff.model import Analysis, Story
from storydiff.store import Store, open_store
from storydiff.web.app import create_app
from storydiff.web.cli import is_loopback


@pytest.fixture()
def client(store: Store) -> TestClient:
    return TestClient(create_app(store))


def test_stories_api_and_story_as_a_contract_report(client: TestClient, sample_analysis: Analysis) -> None:
    stories = client.get("/api/stories").json()
    assert stories and stories[0]["articles"] == 3
    report = client.get(f"/api/stories/{stories[0]['id']}").json()
    assert report["schema"] == "storydiff/report@1"
    assert len(report["articles"]) == 3
    assert report["quote_links"], "the sample story has a quote reported by several outlets"


def test_article_api_and_404s(client: TestClient, sample_analysis: Analysis) -> None:
    article = sample_analysis.articles[0]
    got = client.get(f"/api/articles/{article.id}").json()
    assert got["articles"][0]["text"] == article.text
    assert len(got["quotes"]) == len(article.quotes)
    for path in ("/api/articles/nope", "/api/stories/nope", "/articles/nope", "/stories/nope"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "nope" in response.text


def test_search_api_ranks_filters_and_rejects_bad_parameters(client: TestClient) -> None:
    hits = client.get("/api/search", params={"q": "door"}).json()
    assert hits and all("door" in h["text"].lower() for h in hits)
    only = client.get("/api/search", params={"q": "door", "outlet": "Meridian"}).json()
    assert only and {h["outlet"] for h in only} == {"The Meridian Ledger"}
    assert client.get("/api/search", params={"q": "'; DROP TABLE quotes; --"}).status_code == 200
    for params in ({}, {"q": ""}, {"q": "door", "limit": "0"}, {"q": "door", "since": "yesterday-ish"},
                   {"q": "door", "kind": "essay"}):  # fmt: skip
        response = client.get("/api/search", params=params)
        assert response.status_code in (400, 422), params
        assert response.json()["detail"]


def test_speakers_and_outlets(client: TestClient) -> None:
    speakers = client.get("/api/speakers").json()
    assert any("Moretsky" in s["name"] for s in speakers)
    outlets = {o["outlet"] for o in client.get("/api/outlets").json()}
    assert {"Northbridge Wire", "The Meridian Ledger", "Coastal Daily Post"} <= outlets
    assert client.get("/api/speakers", params={"limit": "-1"}).status_code == 422


def test_openapi_document_lists_the_api(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/stories", "/api/stories/{story_id}", "/api/search", "/api/analyze"} <= set(paths)


def test_pages_render(client: TestClient) -> None:
    home = client.get("/")
    assert home.status_code == 200 and "Kalvoria" in home.text
    story_id = client.get("/api/stories").json()[0]["id"]
    story = client.get(f"/stories/{story_id}").text
    assert "Corroboration matrix" in story or "The same remark in several outlets" in story
    assert "door" in client.get("/search", params={"q": "door"}).text
    assert client.get("/speakers").status_code == 200 and client.get("/outlets").status_code == 200


HOSTILE = 'Officials said: "<script>alert(1)</script>" and <a href="javascript:alert(2)">this</a>.'


def test_analyze_api_stores_and_escapes(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "fresh.db")) as fresh:
        client = TestClient(create_app(fresh))
        assert client.post("/api/analyze", json={"text": "  "}).status_code == 400
        assert client.post("/api/analyze", json={"text": "x", "title": 3}).status_code == 400
        report = client.post("/api/analyze", json={"text": HOSTILE, "outlet": "Test Wire"}).json()
        article_id = report["articles"][0]["id"]
        page = client.get(f"/articles/{article_id}").text
        assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert 'href="javascript:' not in page
        form = client.post("/analyze", data={"text": "", "title": ""})
        assert "paste an article" in form.text


def test_body_size_limit(store: Store) -> None:
    client = TestClient(create_app(store, max_body=1000))
    response = client.post("/api/analyze", json={"text": "x" * 5000})
    assert response.status_code == 413


def test_token_required_on_every_request_when_set(store: Store) -> None:
    client = TestClient(create_app(store, token="s3cret"))
    assert client.get("/api/stories").status_code == 401
    assert client.get("/").status_code == 401
    assert client.get("/api/stories", headers={"Authorization": "Bearer s3cret"}).status_code == 200
    assert client.get("/", params={"token": "s3cret"}).status_code == 200
    assert client.get("/api/stories").status_code == 200  # the cookie set by ?token=
    assert (
        TestClient(create_app(store, token="s3cret")).get("/", params={"token": "wrong"}).status_code == 401
    )


def test_serve_off_loopback_requires_a_token(capsys: pytest.CaptureFixture[str]) -> None:
    from storydiff.cli import main

    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.4")
    assert main(["serve", "--host", "0.0.0.0", "--token", ""]) == 2
    assert "--token" in capsys.readouterr().err


def _merged_store(path: Path, sample: Analysis) -> None:
    """The sample in two stories, then relinked as one: the smaller story's id is merged."""
    ids = [a.id for a in sample.articles]
    with open_store(str(path)) as store:
        store.add_articles(sample.articles)
        store.save_links(
            Analysis(articles=sample.articles, stories=[Story("s1", ids[:-1]), Story("s2", ids[-1:])])
        )

        def one_story(analysis: Analysis) -> Analysis:
            analysis.stories = [Story("x", [a.id for a in analysis.articles])]
            return analysis

        relink(store, linker=one_story)


def test_a_merged_story_id_redirects_to_the_story_it_went_into(
    tmp_path: Path, sample_analysis: Analysis
) -> None:
    _merged_store(tmp_path / "merged.db", sample_analysis)
    with open_store(str(tmp_path / "merged.db")) as store:
        assert [s.id for s in store.stories()] == ["s1"] and store.resolve_story("s2") == "s1"
        client = TestClient(create_app(store))
        for prefix in ("/stories/", "/api/stories/"):
            moved = client.get(prefix + "s2", follow_redirects=False)
            assert moved.status_code == 301 and moved.headers["location"] == prefix + "s1"
            assert client.get(prefix + "s1", follow_redirects=False).status_code == 200
            assert client.get(prefix + "s3").status_code == 404  # never a story: still not found
        story = client.get("/api/stories/s2").json()  # followed
        assert [s["id"] for s in story["stories"]] == ["s1"]
        assert len(story["articles"]) == len(sample_analysis.articles)


FERRY = (
    "VALDER BAY -- The Valder Bay ferry will stop running on Sundays from March, the operator said. "
    '"We cannot crew the Sunday crossings any more," said Ingrid Sol, the operator\'s director.'
)


def test_a_pasted_article_is_a_recorded_run_linking_only_its_story(
    tmp_path: Path, sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from storydiff import archive

    db = tmp_path / "copy.db"
    shutil.copy(sample_db, db)
    linked: list[list[str]] = []
    default_linker = archive.default_linker

    def watched(store: Store) -> archive.IndexLinker:
        inner = default_linker(store)

        def linker(analysis: Analysis, index: StoryIndex | None = None) -> Analysis:
            linked.append([a.id for a in analysis.articles])
            return inner(analysis, index)

        return linker

    monkeypatch.setattr(archive, "default_linker", watched)
    with open_store(str(db)) as store:
        before = {s.id: s for s in store.stories()}
        runs, articles = len(store.runs()), store.counts()["articles"]
        client = TestClient(create_app(store))
        report = client.post("/api/analyze", json={"text": FERRY, "outlet": "Bay Gazette"}).json()
        new = report["articles"][0]["id"]
        # The sample's stories are left as they were; the ferry, of another matter, is a story alone.
        assert linked == [[new]]
        after = {s.id: s for s in store.stories()}
        assert {k: v for k, v in after.items() if k in before} == before
        assert [s.articles for k, s in after.items() if k not in before] == [1]
        run = store.runs()[-1]
        assert run["status"] == "done" and run["articles_added"] == 1 and run["settings"]["via"] == "web"
        # The same text again is stored already: a run that adds and links nothing.
        client.post("/api/analyze", json={"text": FERRY, "outlet": "Bay Gazette"})
        assert linked == [[new]] and len(store.runs()) == runs + 2
        assert store.counts()["articles"] == articles + 1
