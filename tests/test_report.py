"""The JSON report keeps the storydiff/report@1 contract; the HTML page escapes everything."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema

from storydiff.extract.confidence import shown
from storydiff.model import Analysis
from storydiff.pipeline import analyze_texts
from storydiff.report import html as html_report
from storydiff.report import json as json_report


def test_sample_report_is_valid_against_the_contract(
    sample_analysis: Analysis, report_schema: dict[str, object]
) -> None:
    report = json.loads(json_report.dumps(sample_analysis))
    jsonschema.Draft202012Validator(report_schema).validate(report)
    assert report["schema"] == "storydiff/report@1"
    assert len(report["articles"]) == 4  # .txt, .html and two .jsonl lines
    assert report["quotes"], "the sample corpus has quotes"


def test_every_offset_in_the_report_round_trips(sample_analysis: Analysis) -> None:
    report = json.loads(json_report.dumps(sample_analysis))
    texts = {a["id"]: a["text"] for a in report["articles"]}
    for q in report["quotes"]:
        assert texts[q["article"]][q["start"] : q["end"]] == q["text"]
        mention = q["speaker"]["mention"]
        if mention is not None:
            assert texts[q["article"]][mention["start"] : mention["end"]] == mention["text"]
    for c in report["claims"]:
        assert texts[c["article"]][c["start"] : c["end"]] == c["text"]


def test_quote_raw_offsets_point_into_the_original_text(sample_analysis: Analysis) -> None:
    for article in sample_analysis.articles:
        for quote in article.quotes:
            raw = article.raw_span(quote.span).of(article.raw)
            # cleaning may repair characters but never moves words: the raw span holds the same words
            assert re.sub(r"\s+", " ", raw).strip() == re.sub(r"\s+", " ", quote.text).strip()


def test_entity_and_quote_references_resolve(sample_analysis: Analysis) -> None:
    report = json.loads(json_report.dumps(sample_analysis))
    article_ids = {a["id"] for a in report["articles"]}
    entity_ids = {e["id"] for e in report["entities"]}
    for e in report["entities"]:
        assert set(e["articles"]) <= article_ids
    for q in report["quotes"]:
        assert q["article"] in article_ids
        assert q["speaker"]["entity"] is None or q["speaker"]["entity"] in entity_ids


def test_vendored_schema_is_the_shared_contract_plus_its_minor_additions(
    report_schema: dict[str, object], shared_dir: Path
) -> None:
    """Contract 1.1 only adds to 1.0: the `disputed` status, an alignment's `confidence` and
    `schema_version`. Everything else is the team's contract as it is."""
    shared = json.loads((shared_dir / "contract" / "report.schema.json").read_text())
    ours = json.loads(json.dumps(report_schema))
    props = ours["properties"]
    assert props.pop("schema_version") == {"type": "string", "pattern": "^1\\.[0-9]+$"}
    alignment = props["alignments"]["items"]["properties"]
    assert alignment.pop("confidence") == {"type": "number", "minimum": 0, "maximum": 1}
    alignment["status"]["enum"].remove("disputed")
    assert ours == shared


def test_report_says_its_contract_minor_version() -> None:
    from .link.fixtures import two_outlets_disagree

    report = json_report.to_dict(two_outlets_disagree())
    assert report["schema"] == "storydiff/report@1" and report["schema_version"] == "1.1"


HOSTILE = (
    'The mayor said: "<script>alert(1)</script> is not a plan." '
    'A photo <img src=x onerror=alert(2)> and a <a href="javascript:alert(3)">link</a> appeared.'
)


def test_html_report_escapes_article_text(tmp_path: Path) -> None:
    analysis = analyze_texts([HOSTILE])
    out = tmp_path / "r.html"
    html_report.write(analysis, out)
    page = out.read_text()
    assert page.count("<script") == 1  # the report's own few lines, nothing from the article
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img" not in page
    assert 'href="javascript:' not in page
    assert "onerror=alert(2)" in page.replace("&#34;", '"')  # shown as text, not as an attribute


def test_html_report_references_no_external_url(sample_analysis: Analysis) -> None:
    page = html_report.render(sample_analysis)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "@import" not in page
    for quote in filter(shown, sample_analysis.quotes):  # (the JSON alone keeps the others)
        assert f'href="#{quote.id}"' in page and f'id="{quote.id}"' in page


def test_every_quote_keeps_its_confidence_in_the_json(sample_analysis: Analysis) -> None:
    report = json.loads(json_report.dumps(sample_analysis))
    by_id = {q.id: q for q in sample_analysis.quotes}
    for q in report["quotes"]:
        assert 0.0 <= q["confidence"] <= 1.0
        assert q["confidence"] == by_id[q["id"]].confidence


def test_the_terminal_lists_sure_findings_with_both_sides_and_where_they_are() -> None:
    from storydiff.report.text import format_findings

    from .link.fixtures import outlet_disputes

    lines = format_findings(outlet_disputes()).splitlines()
    assert lines[0] == ("== Where the outlets differ (1 finding; 1 less certain ones in the reports)")
    assert lines[1] == "  [disputed 0.81] Plains Courier disputes what Harbour Times reports"
    assert lines[2].startswith("      Harbour Times: The Kestrel ferry was overloaded")
    assert lines[2].endswith("  @a:0-91")
    assert lines[3].startswith("      Plains Courier: Bluewake Lines denied")
    assert len(lines) == 4  # the 0.42 discrepancy is only in the reports


def test_the_terminal_lists_one_outlet_against_several_copies_once(sample_analysis: Analysis) -> None:
    # the sample: The Meridian Ledger says 14 agreements were signed, two outlets say 12; where the
    # link step flags each pair of sentences (`link.claims.discrepancies` raises a copy of a raised
    # clash from a lower floor), the reader is told once
    from dataclasses import replace

    from storydiff.model import Alignment
    from storydiff.report.text import format_findings

    flags = [
        al
        for al in sample_analysis.alignments
        if al.status == "discrepant" and "agreements" in (al.detail or "")
    ]
    assert [al.detail for al in flags] == ["agreements: 14 (The Meridian Ledger) vs 12 (Northbridge Wire)"]
    outlet = {a.id: a.outlet for a in sample_analysis.articles}
    copy = next(c for c in sample_analysis.claims
                if outlet[c.article] == "Coastal Daily Post" and "12 agreements" in c.text)  # fmt: skip
    restated = Alignment(flags[0].story, "discrepant", [flags[0].members[0], copy.id],
                         "agreements: 14 (The Meridian Ledger) vs 12 (Coastal Daily Post)", 0.4)  # fmt: skip
    analysis = replace(sample_analysis, alignments=[*sample_analysis.alignments, restated])
    lines = format_findings(analysis).splitlines()
    assert lines[0] == "== Where the outlets differ (1 finding)"
    assert lines[1].endswith(
        "agreements: 14 (The Meridian Ledger) vs 12 (Northbridge Wire, Coastal Daily Post)"
    )
    assert [line.split(":")[0].strip() for line in lines[2:]] == [
        "The Meridian Ledger", "Northbridge Wire", "Coastal Daily Post"
    ]  # fmt: skip


def test_the_terminal_reads_a_cue_that_opened_its_sentence_in_line() -> None:
    from storydiff.pipeline import analyze_texts
    from storydiff.report.text import format_quotes

    found = analyze_texts(["According to Hanna Vogt, the deal takes effect in a month."])
    listed = format_quotes(found.quotes, found.articles, everything=True)
    assert "Hanna Vogt according to: the deal takes effect" in listed
