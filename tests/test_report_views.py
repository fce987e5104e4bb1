"""Everything the JSON report holds is visible in the HTML report and in the app."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from storydiff.archive import relink
from storydiff.cli import EXIT_OK, main
from storydiff.extract.confidence import default_threshold
from storydiff.model import Analysis, Claim, Quote
from storydiff.report import html as html_report
from storydiff.report import json as json_report
from storydiff.store import open_store
from storydiff.web.app import create_app

GOLDEN = Path(__file__).parent / "data" / "sample_report_structure.json"


class Outline(HTMLParser):
    """The report's skeleton: headings, anchors, in-page links, variant blocks, matrix shape."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[str] = []
        self.ids: set[str] = set()
        self.hrefs: set[str] = set()
        self.variant_hrefs: list[set[str]] = []
        self.list_hrefs: dict[str, set[str]] = {
            "discrepancy": set(),
            "dispute": set(),
            "exclusive": set(),
            "corroborated": set(),
        }
        self._heading: str | None = None
        self._stack: list[str] = []
        self.matrix_rows = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        self._stack.append(" ".join(classes))
        if tag in ("h1", "h2", "h3"):
            self._heading = ""
        if a.get("id"):
            self.ids.add(a["id"] or "")
        if "variants" in classes:
            self.variant_hrefs.append(set())
        if tag == "tr" and any("row-" in c for c in classes):
            self.matrix_rows += 1
        href = a.get("href") or ""
        if tag == "a" and href.startswith("#"):
            self.hrefs.add(href[1:])
            if any("variants" in s for s in self._stack):
                self.variant_hrefs[-1].add(href[1:])
            for kind in self.list_hrefs:
                if any(kind in s.split() for s in self._stack):
                    self.list_hrefs[kind].add(href[1:])

    def handle_endtag(self, tag: str) -> None:
        if self._stack:
            self._stack.pop()
        if tag in ("h1", "h2", "h3") and self._heading is not None:
            self.headings.append(self._heading.strip())
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading += data


def outline(page: str) -> Outline:
    parser = Outline()
    parser.feed(page)
    return parser


def assert_everything_visible(page: str, report: dict[str, object]) -> None:
    o = outline(page)
    for q in report["quotes"]:  # type: ignore[attr-defined]
        if q.get("confidence", 1.0) < default_threshold():  # kept in the JSON, not shown to a reader
            assert q["id"] not in o.ids and q["id"] not in o.hrefs, f"quote {q['id']} is shown"
            continue
        assert q["id"] in o.ids and q["id"] in o.hrefs, f"quote {q['id']} is not shown and linked"
    for c in report["claims"]:  # type: ignore[attr-defined]
        assert c["id"] in o.ids, f"claim {c['id']} is not highlighted"
    for link in report["quote_links"]:  # type: ignore[attr-defined]
        assert any(set(link["quotes"]) <= hrefs for hrefs in o.variant_hrefs), f"link {link} not side by side"
    for al in report["alignments"]:  # type: ignore[attr-defined]
        kind = {"discrepant": "discrepancy", "disputed": "dispute", "exclusive": "exclusive",
                "corroborated": "corroborated"}[al["status"]]  # fmt: skip
        assert set(al["claims"]) <= o.list_hrefs[kind], f"{al['status']} {al['claims']} not listed"


def test_html_report_shows_every_finding(sample_analysis: Analysis) -> None:
    report = json.loads(json_report.dumps(sample_analysis))
    assert_everything_visible(html_report.render(sample_analysis), report)


def test_app_story_pages_show_every_finding(sample_analysis: Analysis, tmp_path: Path) -> None:
    with open_store(str(tmp_path / "s.db")) as store:
        store.add_articles(sample_analysis.articles)
        relink(store, sample_analysis)
        client = TestClient(create_app(store))
        for story in client.get("/api/stories").json():
            report = client.get(f"/api/stories/{story['id']}").json()
            assert_everything_visible(client.get(f"/stories/{story['id']}").text, report)


# elements without an end tag, so never on the stack of open ones
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
FINDING_CLASSES = ("discrepancy", "dispute", "exclusive", "corroborated")
CELL_STATES = ("reported", "silent", "discrepant", "disputed")


@dataclass(slots=True)
class Element:
    tag: str
    classes: list[str]
    links: list[str] | None = None  # where the anchors inside go: a finding's, a cell's or a remark's


class Findings(HTMLParser):
    """What the page says, story by story, as the anchors it links to: each finding (its class,
    whether it is folded away, its sides), each matrix row (status, one state per outlet and the
    claim it links), each pair of quotes of one remark, and each speaker's quotes. Markup, wording
    and confidence figures are left out, so that only a change in what is reported changes it."""

    def __init__(self) -> None:
        super().__init__()
        self.stories: list[dict[str, Any]] = []
        self._open: list[Element] = []
        self._words: list[str] | None = None  # a story's title or a speaker's name, while inside it
        self._speaker_quotes: list[str] | None = None  # the quotes table's current speaker's

    def _inside(self, tag: str, cls: str) -> bool:
        return any(e.tag == tag and cls in e.classes for e in self._open)

    def _in_matrix_row(self) -> bool:
        return any(e.tag == "tr" and any(c.startswith("row-") for c in e.classes) for e in self._open)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        element = Element(tag, (a.get("class") or "").split())
        href = a.get("href") or ""
        kinds = [c for c in element.classes if c in FINDING_CLASSES]
        row_status = [c.removeprefix("row-") for c in element.classes if c.startswith("row-")]
        states = [c for c in element.classes if c in CELL_STATES]
        story = self.stories[-1] if self.stories else {}
        if tag == "section" and "story" in element.classes:
            self.stories.append({"title": "", "findings": [], "matrix": [], "remarks": [], "speakers": {}})
        elif (tag == "h2" and story) or (tag == "b" and self._inside("table", "quotes")):
            self._words = []
        elif kinds:
            element.links = []
            folded = self._inside("details", "unsure")
            story["findings"].append({"kind": kinds[0], "folded": folded, "sides": element.links})
        elif tag == "tr" and row_status:
            story["matrix"].append({"status": row_status[0], "cells": []})
        elif tag == "td" and states and self._in_matrix_row():
            element.links = []
            story["matrix"][-1]["cells"].append({"state": states[0], "claim": element.links})
        elif "variants" in element.classes and a.get("data-relation"):
            element.links = []
            story["remarks"].append({"relation": a["data-relation"], "quotes": element.links})
        elif tag == "a" and href.startswith("#"):
            into = next((e.links for e in reversed(self._open) if e.links is not None), None)
            if into is None and self._inside("table", "quotes"):
                into = self._speaker_quotes
            if into is not None:
                into.append(href[1:])
        if tag not in VOID:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        while self._open and self._open.pop().tag != tag:
            pass
        if self._words is None or tag not in ("h2", "b"):
            return
        words = " ".join("".join(self._words).split())
        if tag == "h2":
            self.stories[-1]["title"] = re.sub(r"\d+", "N", words)
        else:
            self._speaker_quotes = self.stories[-1]["speakers"][words] = []
        self._words = None

    def handle_data(self, data: str) -> None:
        if self._words is not None:
            self._words.append(data)


def structure(page: str, analysis: Analysis) -> dict[str, object]:
    """The page's headings (numbers as N) and its `Findings`, each anchor as the outlet and offsets
    it stands for (`Outlet start-end`), not its id."""
    where: dict[str, str] = {}
    for article in analysis.articles:
        items: list[Quote | Claim] = [*article.quotes, *article.claims]
        for item in items:
            where[item.id] = f"{article.outlet or article.id} {item.span.start}-{item.span.end}"

    def located(ids: list[str]) -> list[str]:
        return [where.get(i, f"no such quote or claim: {i}") for i in ids]

    findings = Findings()
    findings.feed(page)
    for story in findings.stories:
        for finding in story["findings"]:
            finding["sides"] = located(finding["sides"])
        for row in story["matrix"]:
            row["cells"] = [" ".join([cell["state"], *located(cell["claim"])]) for cell in row["cells"]]
        for remark in story["remarks"]:
            remark["quotes"] = located(remark["quotes"])
        story["speakers"] = {name: located(ids) for name, ids in story["speakers"].items()}
    return {"headings": [re.sub(r"\d+", "N", h) for h in outline(page).headings], "stories": findings.stories}


def test_sample_report_structure_matches_the_golden_file(sample_analysis: Analysis) -> None:
    """What the sample report shows (regenerate with STORYDIFF_UPDATE_GOLDEN=1 when a change to what
    it reports is meant, and read the diff)."""
    got = structure(html_report.render(sample_analysis, title="storydiff demo"), sample_analysis)
    if os.environ.get("STORYDIFF_UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(json.dumps(got, indent=1, ensure_ascii=False) + "\n")
    assert got == json.loads(GOLDEN.read_text())


def test_report_command_from_the_store(sample_analysis: Analysis, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with open_store(str(db)) as store:
        store.add_articles(sample_analysis.articles)
        relink(store, sample_analysis)
        story_id = store.stories()[0].id
    out = tmp_path / "story.html"
    assert main(["report", "--db", str(db), "--story", story_id, "--html", str(out)]) == EXIT_OK
    assert "Corroboration matrix" in out.read_text()
    assert main(["report", "--db", str(db), "--story", "no-such-story", "--html", str(out)]) == 2
    assert main(["report", "--db", str(tmp_path / "missing.db"), "--html", str(out)]) == 2


def test_discrepancies_lead_side_by_side_with_the_differing_words_marked() -> None:
    from .link.fixtures import two_outlets_disagree

    analysis = two_outlets_disagree()
    page = html_report.render(analysis)
    o = outline(page)
    assert o.headings.index("Discrepancies") < o.headings.index("Corroboration matrix")
    assert "<del>14</del>" in page and "<ins> two</ins>" in page and "<ins>12</ins>" in page
    assert "same event: 0.97" in page and "same event 0.71" in page
    assert_everything_visible(page, json.loads(json_report.dumps(analysis)))


def test_disputes_lead_and_unsure_findings_are_folded_but_kept() -> None:
    from .link.fixtures import outlet_disputes

    analysis = outlet_disputes()
    page = html_report.render(analysis)
    lead = page.index('class="dispute"')
    assert lead < page.index('<details class="unsure">') < page.index('class="discrepancy"')
    assert lead < page.index("Corroboration matrix")
    report = json.loads(json_report.dumps(analysis))
    assert [al["confidence"] for al in report["alignments"]] == [0.81, 0.42]  # the JSON keeps both
    assert_everything_visible(page, report)


def test_one_outlet_against_several_copies_is_one_finding() -> None:
    from storydiff.model import Alignment
    from storydiff.report.matrix import DiffOp
    from storydiff.report.views import AlignmentView, ClaimSide, together

    def diff(a: ClaimSide, b: ClaimSide) -> list[tuple[DiffOp, str]]:
        return [("equal", "signed "), ("delete", a.text[:2]), ("insert", b.text[:2])]

    def flag(a: ClaimSide, b: ClaimSide, detail: str, confidence: float) -> AlignmentView:
        al = Alignment("s", "discrepant", [a.id, b.id], detail, confidence)
        return AlignmentView(al, [a, b], diff(a, b))

    odd = ClaimSide("l:c3", "14 agreements were signed", "Ledger")
    post, wire, gazette = (
        ClaimSide(f"{o}:c1", "12 agreements were signed", o) for o in ("Post", "Wire", "Gazette")
    )
    other = ClaimSide("w:c9", "the crossing opens on June 1", "Wire")
    views = [
        flag(post, odd, "agreements: 12 (Post) vs 14 (Ledger)", 0.91),
        flag(odd, wire, "agreements: 14 (Ledger) vs 12 (Wire)", 0.91),
        flag(
            other, ClaimSide("g:c4", "the crossing opens on June 3", "Gazette"), "day: 1 (Wire) vs 3 (G)", 0.8
        ),
        flag(odd, gazette, "agreements: 14 (Ledger) vs 12 (Gazette)", 0.7),
    ]
    found = together(views)
    assert len(found) == 2
    lead = found[0]
    # the odd sentence first, the copy beside it, the other copies under them
    assert [s.outlet for s in lead.sides] == ["Ledger", "Post"]
    assert [s.outlet for s in lead.also] == ["Wire", "Gazette"]
    assert lead.diff[1:] == [("insert", "12"), ("delete", "14")]  # the marks follow the sides
    assert lead.headline == "agreements: 12 (Post, Wire, Gazette) vs 14 (Ledger)"
    assert found[1].alignment.detail == "day: 1 (Wire) vs 3 (G)" and not found[1].also
    # two flags of different values on one sentence stay two findings
    assert len(together([flag(post, odd, "agreements: 12 (Post) vs 14 (Ledger)", 0.9),
                         flag(post, odd, "days: 2 (Post) vs 3 (Ledger)", 0.9)])) == 2  # fmt: skip
