"""Story profiles kept in the store: a run files the window's stored articles from the profiles
the runs before it kept, and reads in full only the articles of the stories it links again. The
stories must be the ones the articles themselves give."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from store_helpers import make_article, run_linked

from storydiff.link.stories import PROFILE_VERSION, Profile, StoryIndex, profile_of
from storydiff.model import Article, EntityMention, Span
from storydiff.store import Store, open_store
from storydiff.store import schema as t

DAY0 = datetime(2031, 3, 2, 9, 0)
FLOOD = (
    "The river Oska flooded the town of Serin overnight and the Serin fire brigade evacuated "
    "{n} families from the lower town, brigade chief Anton Relik said on day {day}."
)
QUAKE = (
    "An earthquake of magnitude {n} shook Dravos on day {day}; mayor Ilse Varn said "
    "{k} buildings in the old port of Dravos had collapsed."
)
BANK = (
    "Kalvoria's central bank raised its interest rate to 4.{n} percent, governor Mira Tosk said, "
    "the third rise this year for the Kalvorian economy."
)


def _runs() -> list[list[Article]]:
    """Six daily runs of three events, the bank's articles quoted (so they have PERSON mentions)."""
    out = []
    for day in range(6):
        when = DAY0 + timedelta(days=day, hours=1)
        out.append(
            [
                make_article(f"f{day}", FLOOD.format(n=300 + day, day=day), outlet=f"A{day}", published=when),
                make_article(
                    f"q{day}",
                    QUAKE.format(n=f"6.{day}", day=day, k=10 + day),
                    outlet=f"B{day}",
                    published=when + timedelta(hours=2),
                ),
            ]
            + (
                [
                    make_article(
                        f"b{day}",
                        BANK.format(n=day),
                        quotes=[("the third rise", "Mira Tosk")],
                        outlet=f"C{day}",
                        published=when,
                    )
                ]
                if day % 2 == 0
                else []
            )
        )
    return out


def _story_of(store: Store) -> dict[str, str]:
    return {a: s.id for s in store.load_analysis().stories for a in s.articles}


def test_a_profile_round_trips_through_json() -> None:
    text = "Mayor Ilse Varn said 12 buildings in Dravos collapsed and 1,200 people left Dravos."
    article = make_article("a", text, title="Quake in Dravos", published=DAY0)
    for words, label in (("Ilse Varn", "PERSON"), ("Dravos", "GPE")):
        at = text.index(words)
        article.mentions.append(EntityMention(Span(at, at + len(words)), words, label, words))
    profile = profile_of(article)
    back = Profile.from_json(json.loads(json.dumps(profile.to_json())))
    assert back == profile
    assert list(back.tf.items()) == list(profile.tf.items())  # the order fixes the vocabulary numbers
    assert back.facets.persons == {"ilse varn"} and back.facets.places == {"dravos"}
    assert "1200" in back.facets.numbers


def test_filing_from_profiles_gives_the_stories_the_articles_give() -> None:
    articles = [a for run in _runs() for a in run]
    by_article, by_profile = StoryIndex(), StoryIndex()
    for a in articles:
        by_article.add(a)
        by_profile.add_profile(a.id, profile_of(a), when=a.published)
    assert by_article.stories == by_profile.stories
    assert len(by_article.stories) == 3
    for a in articles:
        assert by_profile.profile(a.id) == profile_of(a)


def test_a_run_keeps_the_profiles_of_what_it_filed(store: Store) -> None:
    for run in _runs()[:2]:
        run_linked(store, run)
    ids = [a.id for run in _runs()[:2] for a in run]
    kept = store.story_profiles(ids, PROFILE_VERSION)
    assert set(kept) == set(ids)
    articles = {a.id: a for run in _runs() for a in run}
    for aid, data in kept.items():
        back, profile = Profile.from_json(data), profile_of(articles[aid])
        assert back == profile
        assert list(back.tf.items()) == list(profile.tf.items())  # as the database keeps JSON
    assert store.story_profiles(ids, PROFILE_VERSION + 1) == {}  # another version's code: none


def _forget_profiles(store: Store, version: int | None = None) -> None:
    """As an upgraded store, which has none (or rows written by another profile code)."""
    with store.engine.begin() as conn:
        conn.execute(t.story_profiles.delete())
        if version is not None:
            empty = {"tf": {}, "names": [], "persons": [], "places": [], "numbers": []}
            ids = conn.scalars(sa.select(t.articles.c.id))
            rows = [{"article": a, "version": version, "profile": empty} for a in ids]
            if rows:
                conn.execute(t.story_profiles.insert(), rows)


@pytest.mark.parametrize("stale_version", [None, PROFILE_VERSION + 1])
def test_runs_give_the_same_stories_with_kept_profiles_as_without(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stale_version: int | None
) -> None:
    read: list[str] = []
    original = Store.load_articles

    def load_articles(self: Store, ids: list[str]) -> list[Article]:
        read.extend(ids)
        return original(self, ids)

    monkeypatch.setattr(Store, "load_articles", load_articles)
    with open_store(str(tmp_path / "kept.db")) as kept, open_store(str(tmp_path / "computed.db")) as computed:
        for day, run in enumerate(_runs()):
            read.clear()
            run_linked(kept, run)
            read_kept = set(read)
            _forget_profiles(computed, stale_version)
            read.clear()
            run_linked(computed, run)
            assert _story_of(kept) == _story_of(computed)
            if day % 2 == 1:
                # The bank's story is in the window but gains nothing today: filed from its
                # profiles, not read; the store without them reads it.
                assert not {a for a in read_kept if a.startswith("b")}
                assert {a for a in read if a.startswith("b")}
        # What the last run filed has profiles of this version again (rows of another replaced).
        last = [a.id for a in _runs()[-1]]
        assert set(computed.story_profiles(last, PROFILE_VERSION)) == set(last)
