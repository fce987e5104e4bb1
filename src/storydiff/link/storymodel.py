"""The learned merge decision of story clustering: does this article continue that story?

A logistic regression over a few article-vs-story features (`FEATURES`, computed by
`storydiff.link.stories.StoryIndex`), trained by `training/train_stories.py` on FNC-1 `train_*`
and ECB+ topics 1-35 (first in gold replay, then on the candidates it meets clustering them
itself), with its thresholds -- to join (a story of one article, and any other), and for the repair to
regroup and to split stories --
chosen on folds by story and topic. With it, a second small regression (`FragmentModel`, over
`FRAGMENT_FEATURES`) that the regroup asks whether a story is a fragment of the story its articles
would likeliest join, fitted on the stories a clustering run of the first meets (its threshold
chosen on the same folds). Inference is numpy only; the weights live in
`storydiff/data/stories.json`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

# What `StoryIndex` measures between a new article and a candidate story, in this order.
FEATURES = (
    "cos_max",  # best TF-IDF cosine with one of the story's latest articles
    "cos_centroid",  # TF-IDF cosine with the story's centroid (its articles' normalised mean)
    "names_shared",  # share of the article's names the story has
    "story_names_shared",  # share of the story's name mentions (by article) the article shares
    "names_missing",  # the article or the story has no names at all
    "persons_disjoint",  # both name people, and no person in common
    "places_shared",  # share of the article's places the story has
    "places_disjoint",  # both name places, and none in common
    "numbers_shared",  # share of the article's numbers the story has
    "numbers_disjoint",  # both hold numbers, and none in common
    "log_size",  # log(1 + the story's articles)
    "core_names",  # share of the names most of the story's articles give that the article gives
    "core_persons",  # the same for persons
    "core_numbers",  # and numbers
    "cos_x_persons_disjoint",  # cos_max where persons_disjoint
    "centroid_x_names",  # cos_centroid * names_shared
    "years_disjoint",  # both name years (1900-2099), and none in common
    "years_shared",  # share of the article's years the story names
    "cos_mean",  # mean TF-IDF cosine with the story's latest articles (average linkage)
    "cos_min",  # the least of those cosines
)

Vector = npt.NDArray[np.float64]

# What the regroup measures between a story (a fragment) and the story its articles would likeliest
# join, for `FragmentModel`, in this order.
FRAGMENT_FEATURES = (
    "vote_mean",  # mean probability of the fragment's latest articles for the other story (0: no candidate)
    "vote_max",  # the highest of those probabilities
    "vote_share",  # share of the fragment's latest articles to which the other story is a candidate
    "centroid_cos",  # TF-IDF cosine of the two stories' centroids
    "log_size",  # log(1 + the fragment's articles)
    "log_other_size",  # log(1 + the other story's articles)
)


@dataclass(frozen=True, slots=True)
class FragmentModel:
    """Story-level features (`FRAGMENT_FEATURES`) -> probability that a story is a fragment of the
    other: merged by the regroup when it reaches `threshold`."""

    mean: Vector
    scale: Vector
    weights: Vector
    bias: float
    threshold: float

    def probability(self, x: Vector) -> float:
        z = float(((x - self.mean) / self.scale) @ self.weights) + self.bias
        return 1.0 / (1.0 + float(np.exp(-z)))

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FragmentModel:
        if tuple(data["features"]) != FRAGMENT_FEATURES:
            raise ValueError(
                "stories.json was trained on other fragment features; retrain: training/train_stories.py"
            )
        return cls(
            mean=np.asarray(data["mean"], dtype=np.float64),
            scale=np.asarray(data["scale"], dtype=np.float64),
            weights=np.asarray(data["weights"], dtype=np.float64),
            bias=float(data["bias"]),
            threshold=float(data["threshold"]),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "features": list(FRAGMENT_FEATURES),
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "weights": self.weights.tolist(),
            "bias": self.bias,
            "threshold": self.threshold,
        }


@dataclass(frozen=True, slots=True)
class MergeModel:
    """Standardised features -> probability that the article belongs to the story."""

    features: tuple[str, ...]
    mean: Vector
    scale: Vector
    weights: Vector
    bias: float
    threshold: float  # join the likeliest story when its probability reaches this
    merge_threshold: float  # and merge in every other story whose probability reaches this
    story_threshold: float = 1.01  # merge a story whose articles would join another at this (>1: never)
    split_threshold: float = 0.0  # split off a story's half whose articles would join the rest below this
    # join a story of one article only at this (or `threshold`, if higher): its one article is all
    # the evidence it has, and a second article of another event sets the story on the wrong course
    single_threshold: float = 0.0
    hidden: Vector | None = None  # a hidden layer (features x units), when the model has one:
    hidden_bias: Vector | None = None  # then `weights` read its ReLU units instead of the features
    fragment: FragmentModel | None = None  # the regroup's story-vs-story decision, when trained

    def probabilities(self, x: Vector) -> Vector:
        """One probability per row of `x` (rows in `FEATURES` order)."""
        if len(x) == 0:
            return np.zeros(0)
        h = (x - self.mean) / self.scale
        if self.hidden is not None and self.hidden_bias is not None:
            h = np.maximum(h @ self.hidden + self.hidden_bias, 0.0)
        z = h @ self.weights + self.bias
        out: Vector = 1.0 / (1.0 + np.exp(-z))
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MergeModel:
        if tuple(data["features"]) != FEATURES:
            raise ValueError("stories.json was trained on other features; retrain: training/train_stories.py")
        return cls(
            features=tuple(data["features"]),
            mean=np.asarray(data["mean"], dtype=np.float64),
            scale=np.asarray(data["scale"], dtype=np.float64),
            weights=np.asarray(data["weights"], dtype=np.float64),
            bias=float(data["bias"]),
            threshold=float(data["threshold"]),
            merge_threshold=float(data["merge_threshold"]),
            story_threshold=float(data.get("story_threshold", 1.01)),
            split_threshold=float(data.get("split_threshold", 0.0)),
            single_threshold=float(data.get("single_threshold", 0.0)),
            hidden=np.asarray(data["hidden"], dtype=np.float64) if data.get("hidden") else None,
            hidden_bias=np.asarray(data["hidden_bias"], dtype=np.float64) if data.get("hidden") else None,
            fragment=FragmentModel.from_json(data["fragment"]) if data.get("fragment") else None,
        )

    def to_json(self) -> dict[str, Any]:
        return (
            {
                "features": list(self.features),
                "mean": self.mean.tolist(),
                "scale": self.scale.tolist(),
                "weights": self.weights.tolist(),
                "bias": self.bias,
                "threshold": self.threshold,
                "merge_threshold": self.merge_threshold,
                "story_threshold": self.story_threshold,
                "split_threshold": self.split_threshold,
                "single_threshold": self.single_threshold,
            }
            | (
                {"hidden": self.hidden.tolist(), "hidden_bias": self.hidden_bias.tolist()}
                if self.hidden is not None and self.hidden_bias is not None
                else {}
            )
            | ({"fragment": self.fragment.to_json()} if self.fragment is not None else {})
        )


@lru_cache(maxsize=1)
def default_model() -> MergeModel:
    text = resources.files("storydiff").joinpath("data/stories.json").read_text(encoding="utf-8")
    return MergeModel.from_json(json.loads(text))
