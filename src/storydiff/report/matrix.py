"""What the HTML report draws from the linking results: the corroboration matrix and word diffs.

Pure functions over an `Analysis`; the template only lays them out.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Literal

from storydiff.model import Alignment, Analysis, Claim, Story, outlet_label

CellState = Literal["reported", "silent", "discrepant", "disputed"]
DiffOp = Literal["equal", "delete", "insert"]


@dataclass(slots=True)
class Cell:
    """One outlet's column in a matrix row: did it report the fact, and with which claim."""

    state: CellState
    claim: str | None = None  # claim id (the first, when an outlet has several)
    text: str | None = None  # that claim's text


@dataclass(slots=True)
class MatrixRow:
    label: str  # a short name for the fact: its numbers or the claim's first words
    status: str  # corroborated | exclusive | discrepant | disputed
    cells: dict[str, Cell] = field(default_factory=dict)  # outlet -> cell, in `outlets` order
    detail: str | None = None


@dataclass(slots=True)
class Matrix:
    story: str
    outlets: list[str]
    rows: list[MatrixRow]


def _label(claims: list[Claim], words: int = 10) -> str:
    first = claims[0]
    facts = [f"{k.split(':', 1)[-1].split('#')[0]} {v}" for k, v in first.values.items()
             if k.startswith(("count:", "duration"))]  # fmt: skip
    head = " ".join(first.text.split()[:words])
    if len(first.text.split()) > words:
        head += " …"
    return f"{head} [{', '.join(facts)}]" if facts else head


# how a member of an alignment shows in its outlet's cell (any other status: "reported")
_CELL_STATE: dict[str, CellState] = {"discrepant": "discrepant", "disputed": "disputed"}


def corroboration_matrix(analysis: Analysis, story: Story) -> Matrix:
    """Claims × outlets for one story: each row an alignment, each cell reported / silent / discrepant.

    Rows come discrepant first, then disputed, corroborated, exclusive; outlets in the story's order.
    """
    articles = {a.id: a for a in analysis.articles}
    claims = {c.id: c for c in analysis.claims}
    outlets: list[str] = []
    for aid in story.articles:
        if aid in articles and outlet_label(articles[aid]) not in outlets:
            outlets.append(outlet_label(articles[aid]))
    order = {"discrepant": 0, "disputed": 1, "corroborated": 2, "exclusive": 3}
    rows: list[MatrixRow] = []
    aligned: list[Alignment] = [al for al in analysis.alignments if al.story == story.id]
    for al in sorted(aligned, key=lambda al: order.get(al.status, 4)):
        members = [claims[c] for c in al.members if c in claims]
        if not members:
            continue  # e.g. a quote given to different speakers: shown with the quote links
        row = MatrixRow(label=_label(members), status=al.status, detail=al.detail)
        for outlet in outlets:
            row.cells[outlet] = Cell("silent")
        for claim in members:
            outlet = outlet_label(articles[claim.article])
            if row.cells[outlet].claim is None:
                state = _CELL_STATE.get(al.status, "reported")
                row.cells[outlet] = Cell(state, claim.id, claim.text)
        rows.append(row)
    return Matrix(story=story.id, outlets=outlets, rows=rows)


_TOKEN = re.compile(r"\s+|[^\w\s]|\w+", re.UNICODE)


def word_diff(a: str, b: str) -> list[tuple[DiffOp, str]]:
    """A word-level diff from `a` to `b`: `equal` runs, words only in `a` (`delete`), only in `b`
    (`insert`). Joining the `equal`+`delete` texts gives `a` back; `equal`+`insert` gives `b`.
    Words are compared case-insensitively, with curly and straight quote marks alike."""
    ta, tb = _TOKEN.findall(a), _TOKEN.findall(b)

    def key(t: str) -> str:
        return t.casefold().replace("’", "'").replace("“", '"').replace("”", '"')

    matcher = difflib.SequenceMatcher(None, [key(t) for t in ta], [key(t) for t in tb], autojunk=False)
    out: list[tuple[DiffOp, str]] = []

    def emit(op: DiffOp, text: str) -> None:
        if not text:
            return
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + text)
        else:
            out.append((op, text))

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            emit("equal", "".join(ta[i1:i2]))
        else:
            emit("delete", "".join(ta[i1:i2]))
            emit("insert", "".join(tb[j1:j2]))
    return out
