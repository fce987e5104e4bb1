"""The corroboration matrix and the word diff, on a few hand-made articles and claims (no parser)."""

from __future__ import annotations

from storydiff.model import Alignment, Analysis, Article, Claim, OffsetMap, Quote, Span, Speaker, Story
from storydiff.report.matrix import Cell, corroboration_matrix, word_diff


def article(aid: str, outlet: str | None, *sentences: str) -> Article:
    """An article of `sentences`, each one claim `<aid>:c<n>` at its offsets."""
    text = " ".join(sentences)
    made = Article(id=aid, raw=text, text=text, offsets=OffsetMap.identity(len(text)), outlet=outlet)
    for n, sentence in enumerate(sentences, start=1):
        start = text.index(sentence)
        made.claims.append(Claim(f"{aid}:c{n}", aid, Span(start, start + len(sentence)), sentence))
    return made


def ferry_story() -> Analysis:
    """Four articles of one story from three outlets (two from Harbour Times, one without an outlet),
    and a story of its own for a fifth."""
    a1 = article("a1", "Harbour Times", "The ferry sank on Sunday.", "It carried 40 passengers.")
    a2 = article("a2", "Harbour Times", "Divers reached the wreck on Monday.")
    b = article("b", "Plains Courier", "The ferry sank on Sunday.", "It carried 52 passengers.")
    c = article("c", None, "The ferry was not overloaded, its owner said.")
    other = article("d", "Plains Courier", "The regatta was postponed.")
    b.claims[1].values = {"count:passenger#1": "52", "date": "2031-05-04"}
    c.quotes.append(
        Quote("c:q1", "c", Span(0, 30), c.text[:30], "indirect", Speaker("Bluewake Lines", "named"))
    )
    return Analysis(
        articles=[a1, a2, b, c, other],
        stories=[Story("s1", ["a1", "b", "a2", "c"]), Story("s2", ["d"])],
        alignments=[
            Alignment("s1", "exclusive", ["a2:c1"]),
            Alignment("s1", "corroborated", ["a1:c1", "a2:c1", "b:c1"]),
            Alignment("s1", "disputed", ["a1:c1", "c:c1"], "disputed: Harbour Times vs c"),
            Alignment("s1", "discrepant", ["a1:c2", "b:c2"], "passenger: 40 vs 52"),
            Alignment("s1", "corroborated", ["c:q1"]),  # quotes only: shown with the quote links
            Alignment("s2", "exclusive", ["d:c1"]),
        ],
    )


def test_rows_come_discrepant_disputed_corroborated_exclusive_with_a_column_per_outlet() -> None:
    analysis = ferry_story()
    matrix = corroboration_matrix(analysis, analysis.stories[0])
    assert matrix.story == "s1"
    # the story's order, each outlet once; an article without an outlet is named by its id
    assert matrix.outlets == ["Harbour Times", "Plains Courier", "c"]
    assert [(row.status, row.detail) for row in matrix.rows] == [
        ("discrepant", "passenger: 40 vs 52"),
        ("disputed", "disputed: Harbour Times vs c"),
        ("corroborated", None),
        ("exclusive", None),
    ]
    discrepant, disputed, corroborated, exclusive = matrix.rows
    assert discrepant.cells == {
        "Harbour Times": Cell("discrepant", "a1:c2", "It carried 40 passengers."),
        "Plains Courier": Cell("discrepant", "b:c2", "It carried 52 passengers."),
        "c": Cell("silent"),
    }
    assert disputed.cells["Harbour Times"].state == disputed.cells["c"].state == "disputed"
    assert disputed.cells["Plains Courier"] == Cell("silent")
    # an outlet with two claims in the row shows its first
    assert corroborated.cells["Harbour Times"] == Cell("reported", "a1:c1", "The ferry sank on Sunday.")
    assert [cell.state for cell in corroborated.cells.values()] == ["reported", "reported", "silent"]
    assert [cell.state for cell in exclusive.cells.values()] == ["reported", "silent", "silent"]
    assert exclusive.cells["Harbour Times"].claim == "a2:c1"


def test_a_story_sees_only_its_own_alignments() -> None:
    analysis = ferry_story()
    matrix = corroboration_matrix(analysis, analysis.stories[1])
    assert matrix.outlets == ["Plains Courier"]
    assert [(row.status, row.cells) for row in matrix.rows] == [
        ("exclusive", {"Plains Courier": Cell("reported", "d:c1", "The regatta was postponed.")})
    ]


def test_a_row_is_labelled_by_its_first_claim_and_the_counts_it_gives() -> None:
    analysis = ferry_story()
    labels = [row.label for row in corroboration_matrix(analysis, analysis.stories[0]).rows]
    # the discrepant row's first claim is a1:c2, which gives no count; b:c2 gives one, and its date
    # is not a count
    assert labels[0] == "It carried 40 passengers."
    analysis.alignments[3] = Alignment("s1", "discrepant", ["b:c2", "a1:c2"], "passenger: 52 vs 40")
    long = "The ferry that sank on Sunday off Orrin had been refitted in Saltmere last spring."
    analysis.articles[1].claims[0].text = long
    first, *_, last = [row.label for row in corroboration_matrix(analysis, analysis.stories[0]).rows]
    assert first == "It carried 52 passengers. [passenger 52]"
    assert last == "The ferry that sank on Sunday off Orrin had been …"  # ten words at most


def test_word_diff_marks_what_only_one_side_wrote_and_gives_both_back() -> None:
    a = "Vartan said the governments signed 14 agreements."
    b = "Vartan said the two governments had signed 12 agreements."
    diff = word_diff(a, b)
    assert diff == [
        ("equal", "Vartan said the "),
        ("insert", "two "),
        ("equal", "governments"),
        ("insert", " had"),
        ("equal", " signed "),
        ("delete", "14"),
        ("insert", "12"),
        ("equal", " agreements."),
    ]
    assert "".join(text for op, text in diff if op != "insert") == a
    assert "".join(text for op, text in diff if op != "delete") == b


def test_word_diff_takes_case_and_curly_quote_marks_as_the_same_word() -> None:
    diff = word_diff("\u201cWe opened a door,\u201d he said", '"we opened a door," he said')
    assert [op for op, _ in diff] == ["equal"]
    assert diff[0][1] == "\u201cWe opened a door,\u201d he said"  # the first side's words
    assert word_diff("", "") == []
