"""The search API while `storydiff analyze --db` writes, the token guard, and `serve --workers`."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from storydiff.store import Store, open_store
from storydiff.web import cli as web_cli
from storydiff.web.app import create_app


@pytest.fixture()
def db_copy(sample_db: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "copy.db"
    shutil.copy(sample_db, copy)
    return copy


def test_searches_are_answered_while_a_writer_holds_a_write_transaction_open(
    db_copy: Path, write_held: Callable[[sa.Engine], AbstractContextManager[None]]
) -> None:
    with open_store(str(db_copy)) as store, open_store(str(db_copy)) as writer:
        client = TestClient(create_app(store))
        before = client.get("/api/search", params={"q": "door"}).json()
        assert before
        with write_held(writer.engine):
            started = time.monotonic()
            for params in (
                {"q": "door"},
                {"q": "door", "outlet": "Meridian"},
                {"q": "door", "kind": "quote"},
            ):
                response = client.get("/api/search", params=params)
                assert response.status_code == 200, response.text
            assert client.get("/api/search", params={"q": "door"}).json() == before
            assert time.monotonic() - started < 5  # not the 60 s busy timeout


def test_search_api_answers_json_as_before(store: Store) -> None:
    client = TestClient(create_app(store))
    response = client.get("/api/search", params={"q": "door", "limit": 2})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == [h.to_dict() for h in store.search("door", limit=2)]
    assert client.get("/api/search", params={"q": "'; DROP TABLE quotes; --"}).json() == []
    assert client.get("/api/search", params={"q": "door", "since": "nope"}).status_code == 400
    schema = client.get("/openapi.json").json()["paths"]["/api/search"]["get"]["responses"]["200"]
    assert schema["content"]["application/json"]["schema"]["type"] == "array"


def test_token_cookie_and_refusals_from_the_guard(store: Store) -> None:
    client = TestClient(create_app(store, token="s3cret"))
    response = client.get("/api/search", params={"q": "door", "token": "s3cret"})
    assert response.status_code == 200
    assert response.headers["set-cookie"] == "storydiff_token=s3cret; HttpOnly; Path=/; SameSite=strict"
    assert client.get("/api/search", params={"q": "door"}).status_code == 200  # by the cookie
    bearer = TestClient(create_app(store, token="s3cret"))
    ok = bearer.get("/api/speakers", headers={"Authorization": "Bearer s3cret"})
    assert ok.status_code == 200 and "set-cookie" not in ok.headers
    refused = TestClient(create_app(store, token="s3cret")).get("/api/search", params={"q": "door"})
    assert refused.status_code == 401 and "token" in refused.json()["detail"]


def test_serve_workers_option_and_the_app_each_worker_builds(
    store: Store, sample_db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from storydiff.cli import main

    with pytest.raises(SystemExit):
        main(["serve", "--workers", "0"])
    assert "--workers" in capsys.readouterr().err
    monkeypatch.setenv(web_cli.SERVE_DB_VAR, str(sample_db))
    monkeypatch.setenv(web_cli.SERVE_TOKEN_VAR, "s3cret")
    client = TestClient(web_cli.app_from_environment())
    assert client.get("/api/search", params={"q": "door"}).status_code == 401
    hits = client.get("/api/search", params={"q": "door"}, headers={"Authorization": "Bearer s3cret"}).json()
    assert hits == [h.to_dict() for h in store.search("door")]
