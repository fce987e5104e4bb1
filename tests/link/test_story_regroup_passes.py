"""The repair regroups again after a pass that merged: a merge changes which story the others join."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import pytest

from storydiff.link.stories import StoryIndex

from .fixtures import make_article

# One ferry accident reported three times, filed as three stories (as when its first reports were
# too far apart to join), beside the rest of the day's news.
FERRY = [
    "The ferry Kestrel ran aground off the island of Saltholm on Friday; 212 passengers were taken "
    "ashore by lifeboats, harbour master Tove Lindqvist said.",
    "All 212 passengers of the Kestrel, aground off Saltholm since Friday, were brought ashore, "
    "harbour master Tove Lindqvist told reporters.",
    "Divers inspected the hull of the ferry Kestrel, which ran aground off Saltholm with 212 "
    "passengers aboard; harbour master Tove Lindqvist said salvage could take a week.",
]
NEWS = [
    "The Harbour Lions beat Eastfield 3-1 on Saturday, with two goals from striker Ada Veen.",
    "Parliament in Ostrava passed the budget by 201 votes to 180 after a night of debate.",
    "Storms closed schools across the northern provinces and cut power to 40,000 homes.",
]


def _index() -> StoryIndex:
    day = datetime(2031, 6, 6)
    index = StoryIndex()
    for n, text in enumerate(NEWS):
        index.add(make_article(f"news{n}", f"Wire {n}", text, published=day))
    for n, (text, story) in enumerate(zip(FERRY, ("first", "second", "third"), strict=True)):
        index.add(make_article(f"ferry{n}", f"Outlet {n}", text, published=day), story=story)
    return index


def test_the_repair_regroups_until_a_pass_merges_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    index = _index()
    regroup = index.regroup
    passes: list[list[str]] = []

    def one_merge_a_pass(story_ids: Iterable[str]) -> dict[str, str]:
        # As if each pass found one merge only: the second is seen once the first is made.
        ids = list(story_ids)
        passes.append(ids)
        alive = list(dict.fromkeys(ids))
        return regroup(alive[:1]) if len(alive) > 1 else {}

    monkeypatch.setattr(index, "regroup", one_merge_a_pass)
    repaired = index.repair_stories(["first", "second", "third"])
    kept = index.story_of("ferry0")
    assert index.story_of("ferry1") == index.story_of("ferry2") == kept
    assert len(passes) == 3  # two passes merged, the third found nothing to merge
    assert set(repaired.merged) == {"first", "second", "third"} - {kept}
    assert set(repaired.merged.values()) == {kept} and repaired.stories == {kept}


def test_the_repair_of_one_event_filed_as_three_stories_makes_one() -> None:
    index = _index()
    repaired = index.repair_stories(["first", "second", "third"])
    kept = index.story_of("ferry0")
    assert index.story_of("ferry1") == index.story_of("ferry2") == kept
    assert all(index.resolve(old) == kept for old in repaired.merged)
    assert {index.story_of(f"news{n}") for n in range(3)}.isdisjoint({kept})
