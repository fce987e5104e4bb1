"""Exports of a corpus (`storydiff export`): the JSON report, JSONL records, or CSV rows.

json: one report in the storydiff/report@1 contract. jsonl: one contract-shaped record per line,
each with a `record` key (article, entity, quote, claim, story, quote_link, alignment). csv: one
row per quote (or claim, with `table="claims"`) with its article's outlet, title, date and source.
"""

from __future__ import annotations

import csv
import json
from typing import Any, Literal, TextIO

from storydiff.model import Analysis
from storydiff.report.json import to_dict

ExportFormat = Literal["json", "jsonl", "csv"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("json", "jsonl", "csv")
# report key -> the `record` value of its JSONL lines
JSONL_RECORDS = (
    ("articles", "article"),
    ("entities", "entity"),
    ("quotes", "quote"),
    ("claims", "claim"),
    ("stories", "story"),
    ("quote_links", "quote_link"),
    ("alignments", "alignment"),
)
ARTICLE_COLUMNS = ["id", "article", "outlet", "title", "published", "url", "path"]
QUOTE_COLUMNS = ["speaker", "speaker_how", "speaker_role", "cue", "kind", "start", "end", "text"]
CLAIM_COLUMNS = ["kind", "start", "end", "text", "values"]


def export(
    analysis: Analysis, fmt: ExportFormat, out: TextIO, table: Literal["quotes", "claims"] = "quotes"
) -> int:
    """Write `analysis` to `out` in `fmt`; returns the number of records written."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    report = to_dict(analysis)
    if fmt == "json":
        json.dump(report, out, ensure_ascii=False, indent=1)
        out.write("\n")
        return 1
    if fmt == "jsonl":
        return write_jsonl(report, out)
    return write_csv(report, out, table)


def write_jsonl(report: dict[str, Any], out: TextIO) -> int:
    count = 0
    for key, name in JSONL_RECORDS:
        for record in report[key]:
            out.write(json.dumps({"record": name, **record}, ensure_ascii=False) + "\n")
            count += 1
    return count


def write_csv(report: dict[str, Any], out: TextIO, table: Literal["quotes", "claims"]) -> int:
    articles = {a["id"]: a for a in report["articles"]}
    columns = ARTICLE_COLUMNS + (QUOTE_COLUMNS if table == "quotes" else CLAIM_COLUMNS)
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for record in report[table]:
        art = articles[record["article"]]
        row = {k: art[k] for k in ("outlet", "title", "published", "url", "path")}
        row.update({k: record[k] for k in ("id", "article", "kind", "start", "end", "text")})
        if table == "quotes":
            sp = record["speaker"]
            row.update(speaker=sp["name"], speaker_how=sp["how"], speaker_role=sp["role"], cue=record["cue"])
        else:
            row["values"] = json.dumps(record["values"], ensure_ascii=False)
        writer.writerow(row)
    return len(report[table])
