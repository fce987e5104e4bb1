"""Plain-text views for the terminal."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from storydiff.model import Alignment, Analysis, Article, Claim, Quote, outlet_label

# Findings the model gives less than even odds are folded away in the HTML and left out of the
# terminal's list (the JSON keeps them all).
SHOWN = 0.5


def speaker_names(quote: Quote) -> tuple[str | None, str | None]:
    """The names a user may search a speaker by: the canonical name and the words in the text."""
    return quote.speaker.name, quote.speaker.mention_text


def speaker_display_name(quote: Quote) -> str:
    """Who a quote is by, as a reader sees it: the canonical name, else the words in the text, else
    "unknown speaker". (Quotes are matched across outlets by `link.quotes.speaker_key`, an identity.)"""
    sp = quote.speaker
    return sp.name or sp.mention_text or "unknown speaker"


def speaker_label(quote: Quote) -> str:
    sp = quote.speaker
    label = speaker_display_name(quote)
    if sp.how in ("pronoun", "continuation") and sp.mention_text and sp.name:
        label = f"{sp.name} ({sp.how})"
    elif sp.how == "description":
        label = f"{label} (description)"
    return label


def said(quote: Quote, text: str) -> str:
    """The words a quote gives, on one line: an interrupted quote's pieces joined by " … ", without
    the `X said` between them; line breaks as spaces."""
    return " \u2026 ".join(re.sub(r"\s+", " ", text[p.start : p.end]).strip() for p in quote.pieces())


def format_quotes(quotes: Sequence[Quote], articles: Sequence[Article], everything: bool = False) -> str:
    """Who said what, grouped by article: one line per quote, with kind, cue and offsets. Quotes a
    reader is not shown by default (under the confidence threshold, `extract.confidence.shown`: a
    headline read as a noun phrase, "the mood") are counted at the end unless `everything`."""
    from storydiff.extract.confidence import default_threshold, shown

    if not quotes:
        return "no quotes found"
    listed = [q for q in quotes if everything or shown(q)]
    by_article: dict[str, list[Quote]] = {}
    for q in listed:
        by_article.setdefault(q.article, []).append(q)
    lines: list[str] = []
    for article in articles:
        found = by_article.get(article.id)
        if not found:
            continue
        where = article.path or article.id
        lines.append(f"== {article.outlet or 'outlet unknown'} · {article.title or where} ({where})")
        for q in found:
            cue = f" {_in_line(q.cue)}" if q.cue else ""
            words = said(q, article.text)
            lines.append(f"  [{q.kind}] {speaker_label(q)}{cue}: {words}  @{q.span.start}-{q.span.end}")
    hidden = len(quotes) - len(listed)
    if hidden:
        lines.append(
            f"({hidden} more under confidence {default_threshold():.2f} not listed: --all-quotes lists them, "
            "and the JSON report keeps them with their confidence)"
        )
    return "\n".join(lines)


@dataclass(slots=True)
class Restated:
    """A finding as a reader sees it: an alignment, and where the link step restated one outlet's
    figure against several outlets' copies of the other (`link.claims.discrepancies`, a flag per pair of
    sentences so that each can be checked), the odd sentence and the group's other flags."""

    lead: Alignment
    odd: str | None = None  # the member every flag of the group shares
    more: list[Alignment] = field(default_factory=list)


def _in_line(cue: str) -> str:
    """A cue as it reads after the speaker's name: "According to" opened its sentence, and reads
    "according to" there ("Hanna Vogt according to: ..."); "UN" or "Told" alone keep their case."""
    return cue[0].lower() + cue[1:] if " " in cue and cue[1:].islower() else cue


def restated_groups(alignments: Sequence[Alignment]) -> list[Restated]:
    """The alignments in their order, discrepancies of two members that share one member and say
    the same values differ ("agreements: 14 (A) vs 12 (B)", "... 12 (C) vs 14 (A)") as one group
    led by the first of them."""
    out: list[Restated] = []
    lead: dict[tuple[str, tuple[tuple[str, ...], ...]], Restated] = {}
    for al in alignments:
        if al.status != "discrepant" or len(al.members) != 2:
            out.append(Restated(al))
            continue
        values = _clash_values(al.detail or "")
        group = next((lead[m, values] for m in al.members if (m, values) in lead), None)
        if group is None:
            group = Restated(al)
            out.append(group)
            for m in al.members:
                lead.setdefault((m, values), group)
            continue
        shared = next(m for m in al.members if m in group.lead.members)
        if group.odd not in (None, shared):  # a group has one odd sentence: not this one
            out.append(Restated(al))
            continue
        group.odd = shared
        group.more.append(al)
    return out


def with_outlets(detail: str, copy: str, more: Sequence[str]) -> str:
    """A discrepancy's detail with more outlets named beside one side's ("12 (Post, Wire)")."""
    others = ", ".join(o for o in dict.fromkeys(more) if o != copy)
    return detail.replace(f"({copy})", f"({copy}, {others})") if others else detail


_OUTLET = re.compile(r"\s*\([^()]*\)")  # "12 (Northbridge Wire)": the outlet a figure is from
_LINE = re.compile(r"^(?:([^:]+): )?(.*) vs (.*)$")


def _clash_values(detail: str) -> tuple[tuple[str, ...], ...]:
    """What a discrepancy's detail says differs, without whose it is: each line's thing and its two
    values, in either order ("agreements: 12 (A) vs 14 (B)" is "agreements: 14 (C) vs 12 (A)")."""
    out: list[tuple[str, ...]] = []
    for line in detail.split("; "):
        m = _LINE.match(line)
        if m is None:
            out.append((line,))
            continue
        thing, a, b = m.groups()
        out.append((thing or "", *sorted(_OUTLET.sub("", x).strip() for x in (a, b))))
    return tuple(sorted(out))


def unfolded(alignment: Alignment) -> bool:
    """Shown unfolded: no confidence given, or at least `SHOWN`."""
    return alignment.confidence is None or alignment.confidence >= SHOWN


def format_findings(analysis: Analysis) -> str:
    """Where the outlets differ: each discrepancy and dispute at or above `SHOWN`, surest first, with
    both sides' words and where they are (article id and offsets). A group of restated flags is
    shown when its surest is, copies the model alone is less sure of included (as the HTML does)."""
    by_id: dict[str, Claim | Quote] = {c.id: c for c in analysis.claims}
    by_id.update({q.id: q for q in analysis.quotes})
    outlet = {a.id: a.outlet or a.path or a.id for a in analysis.articles}
    label = {a.id: outlet_label(a) for a in analysis.articles}
    found = sorted((al for al in analysis.alignments if al.status in ("discrepant", "disputed")),
                   key=lambda al: -(al.confidence or 0.0))  # fmt: skip
    every = restated_groups(found)
    groups = [g for g in every if unfolded(g.lead)]
    unsure = len(every) - len(groups)
    more = f"; {unsure} less certain ones in the reports" if unsure else ""
    if not groups:
        return f"no discrepancies or disputes found{more}"
    count = f"{len(groups)} finding" + ("s, surest first" if len(groups) > 1 else "")
    lines = [f"== Where the outlets differ ({count}{more})"]
    for group in groups:
        al = group.lead
        sure = "" if al.confidence is None else f" {al.confidence:.2f}"
        refs, detail = list(al.members), al.detail or ""
        if group.odd is not None:
            # the odd sentence first, then every outlet's copy of the other figure, named as the
            # detail names them (`outlet_label`, which may differ from the listing's)
            copies = [m for other in [al, *group.more] for m in other.members if m != group.odd]
            refs = [group.odd, *dict.fromkeys(copies)]
            outlets = [label[by_id[r].article] for r in refs[1:] if r in by_id]
            detail = with_outlets(detail, outlets[0], outlets[1:]) if outlets else detail
        lines.append(f"  [{al.status}{sure}] {detail}")
        for ref in refs:
            item = by_id.get(ref)
            if item is not None:
                words = re.sub(r"\s+", " ", item.text).strip()
                where = f"@{item.article}:{item.span.start}-{item.span.end}"
                lines.append(f"      {outlet[item.article]}: {words}  {where}")
    return "\n".join(lines)
