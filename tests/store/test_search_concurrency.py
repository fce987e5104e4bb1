"""Searches while another connection writes, and the search statements built once per set of filters."""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import asdict, fields
from datetime import datetime

import sqlalchemy as sa
from store_helpers import corpus, make_article

from storydiff.store import Store, open_store
from storydiff.store import search as search_module


def test_search_answers_at_once_while_a_writer_holds_its_transaction_open(
    sqlite_url: str, write_held: Callable[[sa.Engine], AbstractContextManager[None]]
) -> None:
    """WAL: readers see the last commit and never wait for the writer (busy timeout is 60 s)."""
    with open_store(sqlite_url) as store, open_store(sqlite_url) as writer:
        store.add_articles(corpus())
        before = [h.id for h in store.search("ceasefire")]
        assert before
        with write_held(writer.engine):
            started = time.monotonic()
            for _ in range(20):
                assert [h.id for h in store.search("ceasefire")] == before
            assert "probe" not in store.settings()  # not committed yet: not seen
            assert time.monotonic() - started < 5
        assert store.settings()["probe"] == "1"


def test_search_sees_each_commit_of_a_concurrent_writer(sqlite_url: str) -> None:
    with open_store(sqlite_url) as store, open_store(sqlite_url) as writer:
        store.add_articles(corpus())
        for n in range(3):
            text = f"Officials said the quarry{n} would close."
            writer.add_articles([make_article(f"w{n}", text, claims=[text], url=f"https://w.example/{n}")])
            assert [h.id for h in store.search(f"quarry{n}")] == [f"w{n}:c1"]


def test_filters_are_bound_values_so_like_wildcards_match_themselves(store: Store) -> None:
    store.add_articles(corpus())
    assert store.search("ceasefire", outlet="%") == []
    assert store.search("ceasefire", outlet="North_ridge") == []
    assert store.search("ceasefire", speaker="B%g") == []
    assert {h.id for h in store.search("ceasefire", outlet="northbridge")} == {"a1:q1"}
    text = "A 50%_off/sale was promised, the owner said."
    store.add_articles(
        [make_article("p1", text, claims=[text], outlet="50%_off/outlet", url="https://p.x/1")]
    )
    assert [h.id for h in store.search("promised", outlet="50%_off/")] == ["p1:c1"]
    assert store.search("promised", outlet="50%_of/") == []


def test_search_statements_are_built_once_per_set_of_filters(store: Store) -> None:
    store.add_articles(corpus())
    search_module._ranked_statement.cache_clear()
    store.search("ceasefire")
    store.search("winter")
    store.search("harbour", limit=3)
    store.search("ceasefire", outlet="wire")
    store.search("ceasefire", outlet="post", since=datetime(2024, 1, 1))
    store.search("ceasefire", outlet="wire", since=datetime(2024, 3, 6))
    info = search_module._ranked_statement.cache_info()
    assert (info.misses, info.hits) == (3, 3)


def test_search_hit_to_dict_is_every_field(store: Store) -> None:
    store.add_articles(corpus())
    for hit in store.search("ceasefire OR border"):
        assert hit.to_dict() == asdict(hit)
        assert list(hit.to_dict()) == [f.name for f in fields(hit)]
