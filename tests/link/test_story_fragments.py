"""The regroup's fragment model: a one-line story restating a claim merges into its big story."""

from __future__ import annotations

from datetime import datetime

import numpy as np

from storydiff.link.stories import StoryIndex
from storydiff.link.storymodel import FRAGMENT_FEATURES, FragmentModel, MergeModel, default_model

from .fixtures import make_article

# A dam failure in the fictional town of Brennick, covered at length, and a one-line report of it.
DAM = [
    "The Ossery dam above Brennick gave way on Monday night, flooding 300 homes; engineer Mara Quill "
    "said cracks in the spillway had been reported to the Brennick council in March.",
    "Floodwater from the failed Ossery dam reached the centre of Brennick on Tuesday; Mara Quill, the "
    "engineer who warned of cracks in the spillway, said 300 homes were under water.",
    "Brennick council members met on Wednesday as residents of 300 flooded homes asked why the "
    "warning from engineer Mara Quill about the Ossery dam spillway cracks was ignored.",
]
ONE_LINER = "Ossery dam at Brennick failed, engineer Mara Quill says."
NEWS = [
    "The Harbour Lions beat Eastfield 3-1 on Saturday, with two goals from striker Ada Veen.",
    "Parliament in Ostrava passed the budget by 201 votes to 180 after a night of debate.",
    "Storms closed schools across the northern provinces and cut power to 40,000 homes.",
]

# Merges a story whose articles' best probability for the other story is high, whatever its size.
_ON_MOST = FragmentModel(
    mean=np.zeros(len(FRAGMENT_FEATURES)),
    scale=np.ones(len(FRAGMENT_FEATURES)),
    weights=np.array([0.0, 10.0, 0.0, 10.0, 0.0, 0.0]),
    bias=-1.0,
    threshold=0.5,
)


def _index(fragment: FragmentModel | None) -> StoryIndex:
    day = datetime(2031, 5, 4)
    index = StoryIndex(story_threshold=1.0, split_threshold=0.0)  # the mean alone never merges here
    index.fragment = fragment
    for n, text in enumerate(NEWS):
        index.add(make_article(f"news{n}", f"Wire {n}", text, published=day))
    for n, text in enumerate(DAM):
        index.add(make_article(f"dam{n}", f"Outlet {n}", text, published=day), story="dam")
    index.add(make_article("short", "Digest", ONE_LINER, published=day), story="fragment")
    return index


def test_the_fragment_row_names_the_big_story_and_measures_it() -> None:
    index = _index(None)
    best, row = index._fragment_row("fragment")
    assert best == "dam" and row.shape == (len(FRAGMENT_FEATURES),)
    features = dict(zip(FRAGMENT_FEATURES, row.tolist(), strict=True))
    assert 0.0 < features["vote_mean"] <= features["vote_max"] <= 1.0 and features["vote_share"] == 1.0
    assert features["centroid_cos"] > 0.2
    assert features["log_size"] == np.log1p(1) and features["log_other_size"] == np.log1p(3)


def test_a_fragment_merges_into_its_story_only_with_the_fragment_model() -> None:
    alone = _index(None)
    assert alone.regroup(["fragment", "dam"]) == {} and alone.story_of("short") == "fragment"
    index = _index(_ON_MOST)
    assert index.regroup(["fragment", "dam"]) == {"fragment": "dam"}
    assert index.story_of("short") == "dam" and index.resolve("fragment") == "dam"
    assert {index.story_of(f"news{n}") for n in range(3)}.isdisjoint({"dam"})


def test_no_regroup_means_no_fragment_merge_either() -> None:
    index = _index(_ON_MOST)
    index.story_threshold = 1.01
    assert index.regroup(["fragment", "dam"]) == {} and index.story_of("short") == "fragment"


def test_the_fragment_model_travels_with_the_merge_model_in_json() -> None:
    model = MergeModel.from_json(default_model().to_json() | {"fragment": _ON_MOST.to_json()})
    assert model.fragment is not None and model.fragment.threshold == 0.5
    again = MergeModel.from_json(model.to_json())
    assert again.fragment is not None and np.array_equal(again.fragment.weights, _ON_MOST.weights)
    x = np.array([0.1, 0.9, 1.0, 0.6, 0.7, 1.4])
    assert again.fragment.probability(x) == _ON_MOST.probability(x) > 0.5
