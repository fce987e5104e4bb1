"""Stories across runs: each run links only its new articles, against the stories active within a
time window; a story that grows keeps its id, and an id that went into another story resolves."""

from __future__ import annotations

from datetime import datetime, timedelta

from store_helpers import make_article, quick_linker, run_linked

from storydiff.archive import relink
from storydiff.link.stories import StoryIndex
from storydiff.model import Article
from storydiff.store import Store

DAY0 = datetime(2031, 3, 2, 9, 0)
FLOOD = (
    "The river Oska flooded the town of Serin overnight and the Serin fire brigade evacuated "
    "{n} families from the lower town, brigade chief Anton Relik said on {day}."
)
BANK = (
    "Kalvoria's central bank raised its interest rate to 4.5 percent, governor Mira Tosk said, "
    "the third rise this year for the Kalvorian economy."
)


def _flood(aid: str, day: int, n: int) -> Article:
    text = FLOOD.format(n=300 + n, day=f"day {day}")
    return make_article(aid, text, outlet=f"Outlet {aid}", published=DAY0 + timedelta(days=day))


def _story_of(store: Store) -> dict[str, str]:
    return {a: s.id for s in store.load_analysis().stories for a in s.articles}


def test_a_story_that_grows_over_three_runs_keeps_its_id(store: Store) -> None:
    run_linked(store, [_flood("f1", 0, 0), make_article("b1", BANK, published=DAY0)])
    first = _story_of(store)
    assert first["f1"] != first["b1"]
    run_linked(store, [_flood("f2", 1, 1)])
    run_linked(store, [_flood("f3", 2, 2), _flood("f4", 2, 3)])
    now = _story_of(store)
    assert now["f1"] == now["f2"] == now["f3"] == now["f4"] == first["f1"]
    assert now["b1"] == first["b1"]
    assert store.story(first["f1"]) is not None
    assert [a.id for a in store.story(first["f1"]).articles] == ["f1", "f2", "f3", "f4"]  # type: ignore[union-attr]


def test_a_run_reads_only_the_stories_in_its_window(store: Store) -> None:
    run_linked(store, [_flood("f1", 0, 0), make_article("b1", BANK, published=DAY0 - timedelta(days=40))])
    linked = run_linked(store, [_flood("f2", 1, 1)])
    # The bank story lies outside the window of the new article: it is neither read nor rewritten.
    assert {a.id for a in linked.articles} == {"f1", "f2"}


def test_an_article_outside_the_window_starts_a_new_story_unless_relinked(store: Store) -> None:
    run_linked(store, [_flood("f1", 0, 0), _flood("f2", 1, 1)])
    run_linked(store, [_flood("late", 30, 2)])  # the same flood, a month later: outside the 7 days
    before = _story_of(store)
    assert before["late"] != before["f1"] == before["f2"]
    relink(store, linker=lambda analysis: quick_linker(analysis, StoryIndex(window=None)))
    after = _story_of(store)
    assert after["late"] == after["f1"] == after["f2"] == before["f1"]  # the older id carries over


def test_a_merged_story_id_still_resolves(store: Store) -> None:
    run_linked(store, [_flood("f1", 0, 0)])
    run_linked(store, [_flood("late", 30, 2)])
    old = _story_of(store)
    assert old["late"] != old["f1"]
    relink(store, linker=lambda analysis: quick_linker(analysis, StoryIndex(window=None)))
    assert store.resolve_story(old["late"]) == old["f1"]
    story = store.story(old["late"])  # the old id gives the story it went into
    assert story is not None and {a.id for a in story.articles} == {"f1", "late"}


def test_undated_articles_fall_back_to_when_they_were_stored(store: Store) -> None:
    undated = [make_article(f"u{i}", FLOOD.format(n=i, day="Monday"), outlet=f"O{i}") for i in range(3)]
    run_linked(store, undated[:1])
    run_linked(store, undated[1:])  # stored minutes apart: one story
    assert len(set(_story_of(store).values())) == 1


def test_a_story_older_than_the_window_keeps_all_its_articles(store: Store) -> None:
    run_linked(store, [_flood("f1", 0, 0)])
    run_linked(store, [_flood("f2", 6, 1)])
    run_linked(store, [_flood("f3", 12, 2)])  # within 7 days of f2, not of f1: f1 is not read, yet stays
    story = store.story(_story_of(store)["f1"])
    assert story is not None and [a.id for a in story.articles] == ["f1", "f2", "f3"]
