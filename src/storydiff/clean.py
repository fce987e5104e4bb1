"""Clean a `RawDocument` into an `Article`: the text every later stage analyses.

`clean(doc)` is pure. It normalises characters (NFC, a safe subset of NFKC, zero-width and
control characters removed, homoglyphs repaired, whitespace collapsed), finds paragraphs
(blank-line or single-newline separated, hard-wrapped lines rejoined), keeps captions, credits,
ad and promo lines, source lines and bylines out of the text (recorded as `Boilerplate`),
removes the dateline (recorded as `Dateline`) and works out the outlet. Every character of the
cleaned text maps back to the raw text through `Article.offsets`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from storydiff.ingest.dates import parse_date
from storydiff.model import (
    Article,
    Boilerplate,
    Dateline,
    OffsetMapBuilder,
    RawDocument,
    Span,
    document_id,
    where,
)

# Agency names as they appear in datelines and source lines -> the outlet name we report.
AGENCIES: dict[str, str] = {
    "reuters": "Reuters",
    "ap": "Associated Press",
    "associated press": "Associated Press",
    "the associated press": "Associated Press",
    "afp": "Agence France-Presse",
    "agence france-presse": "Agence France-Presse",
    "yonhap": "Yonhap",
    "kcna": "KCNA",
    "tass": "TASS",
    "itar-tass": "TASS",
    "xinhua": "Xinhua",
    "upi": "United Press International",
    "dpa": "dpa",
    "efe": "EFE",
    "ansa": "ANSA",
    "kyodo": "Kyodo News",
    "pti": "Press Trust of India",
    "ians": "IANS",
    "ani": "ANI",
    "bloomberg": "Bloomberg",
    "cnn": "CNN",
    "interfax": "Interfax",
    "ria novosti": "RIA Novosti",
    "anadolu": "Anadolu Agency",
    "aa": "Anadolu Agency",
    "bernama": "Bernama",
    "antara": "Antara",
    "irna": "IRNA",
    "wafa": "WAFA",
    "sana": "SANA",
    "ukrinform": "Ukrinform",
    "pap": "PAP",
    "ctk": "ČTK",
    "apa": "APA",
    "ap photo": "Associated Press",
}

# A Cyrillic or Greek letter that looks exactly like a Latin one.
HOMOGLYPHS: dict[str, str] = {
    # Cyrillic
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "Х": "X", "У": "Y", "Ѕ": "S", "І": "I", "Ј": "J", "Ԛ": "Q", "Ԝ": "W", "Һ": "H",
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "ѕ": "s", "і": "i",
    "ј": "j", "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "l", "ɡ": "g",
    # Greek
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "ο": "o", "ν": "v", "α": "a", "ι": "i",
}  # fmt: skip


def _chars(*ranges: tuple[int, int]) -> str:
    return "".join(chr(c) for first, last in ranges for c in range(first, last + 1))


_SPACE_CHARS = "\t \u00a0\u1680\u202f\u205f\u3000" + _chars((0x2000, 0x200A))
# Invisible: zero-width, soft hyphen, BOM, bidi controls, C0/C1 controls other than line breaks.
_INVISIBLE_CHARS = "\u00ad\u180e\ufeff" + _chars(
    (0x200B, 0x200F), (0x2060, 0x2064), (0x202A, 0x202E), (0x2066, 0x2069),
    (0x00, 0x08), (0x0E, 0x1F), (0x7F, 0x84), (0x86, 0x9F),
)  # fmt: skip
_SPACE = re.escape(_SPACE_CHARS)
_INVISIBLE = re.escape(_INVISIBLE_CHARS)
_MARKS = "\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
# NFKC only where it cannot change meaning: ligatures and full-width ASCII. Superscripts,
# fractions, circled numbers and the like stay as they are (x² is not x2).
_COMPAT = "\ufb00-\ufb06\uff01-\uff5e"


_ODD_SPACE = re.escape(_SPACE_CHARS.replace(" ", ""))
# Every branch opens with a character class so the scan skips ordinary text quickly; a lone
# plain space, the common case, does not match at all.
_EDIT = re.compile(
    f"(?P<space>[{_ODD_SPACE}][{_SPACE}{_INVISIBLE}]*| [{_SPACE}{_INVISIBLE}]+"
    f"|[{_INVISIBLE}]+[{_SPACE}][{_SPACE}{_INVISIBLE}]*)"
    f"|(?P<invisible>[{_INVISIBLE}]+)"
    f"|(?P<compat>[{_COMPAT}])",
)
# What NFC may change: a character with the combining marks (or Hangul vowel/final jamo) after it.
_CLUSTER = re.compile(f".[{_MARKS}\u1160-\u11ff]*", re.S)
_CYRILLIC_GREEK = re.compile("[\u0370-\u03ff\u0400-\u052f]")
_WORD = re.compile(r"[^\W\d_]+")
_LATIN_LETTER = re.compile("[A-Za-z\u00c0-\u00ff\u0100-\u024f]")
_LINE_BREAK = re.compile("\r\n|[\r\n\u2028\u2029\x0b\x0c\x85]")
_STRIP = _SPACE_CHARS + _INVISIBLE_CHARS

# --- boilerplate lines -------------------------------------------------------------------

_CAP = r"[A-Z][\w.'’&-]*"
_CAPS = rf"{_CAP}(?:\s{_CAP}){{0,4}}"
# `Lena Okafor/Northbridge Wire`, `Lena Okafor/AFP/Pool via Getty Images`
_NAME_SLASH_AGENCY = rf"{_CAPS}(?:\s?/\s?{_CAPS}){{1,3}}(?:\s+via\s+{_CAPS})?"
_PHOTO_WORD = (
    r"(?i:(?:ap |afp |reuters |epa |file |staff )?"
    r"(?:photo(?:graph)?s?|image|picture|video|illustration|graphic))"
)
_PHOTO_AGENCY = r"(?:Getty Images|Shutterstock|AP Photo|AFP|EPA(?:-EFE)?|Reuters|Pool|Bloomberg|Xinhua|Alamy)"
_CREDIT_INNER = (
    rf"(?:{_PHOTO_WORD}(?:\s+credit)?\s*(?::|by|[-–—])\s*[^\[\]()]{{2,150}}"
    rf"|{_NAME_SLASH_AGENCY}|{_PHOTO_AGENCY}(?:\s?/\s?{_CAP}(?:\s{_CAP}){{0,4}})?)"
)
_CREDIT_LINE = re.compile(rf"^(?:\[\s*{_CREDIT_INNER}\s*\]|\(\s*{_CREDIT_INNER}\s*\)|{_CREDIT_INNER})$")
# After a description, only an unmistakable photo credit makes a caption: "[Reuters]" or
# "[IBD/TIPP]" after a sentence is how digests cite their sources.
_CAPTION_CREDIT = (
    rf"(?:{_PHOTO_WORD}(?:\s+credit)?\s*(?::|by|[-–—])\s*[^\[\]()]{{2,150}}"
    rf"|{_CAP}\s{_CAPS}(?:\s?/\s?{_CAPS}){{1,3}}(?:\s+via\s+{_CAPS})?"
    rf"|{_CAPS}(?:\s?/\s?{_CAPS}){{1,3}}\s+via\s+{_CAPS}"
    rf"|(?:{_CAPS}\s?/\s?)?{_PHOTO_AGENCY}\s?/\s?{_CAPS}|{_CAPS}\s?/\s?{_PHOTO_AGENCY})"
)
_CAPTION_LINE = re.compile(
    rf"^(?P<caption>.{{10,400}}?)\s*(?:\[\s*{_CAPTION_CREDIT}\s*\]|\(\s*{_CAPTION_CREDIT}\s*\)"
    rf"|(?<=[.!?])\s*(?:Photograph|Photo|Image|Picture|Illustration)\s*:\s*[^.]{{2,100}})$"
)
# A title line above a caption repeats it: at most this many words, this share of them the caption's.
CAPTION_TITLE_WORDS = 16
CAPTION_TITLE_SHARE = 0.6
_ADVERTISEMENT = re.compile(
    r"^[\W_]*(?:advertisement|advertising|ad|sponsored(?: content)?|paid content|"
    r"(?:story|article) continues below(?: (?:this )?advertisement)?|"
    r"continue reading (?:the )?(?:main story|below)|scroll to continue with content)[\W_]*$",
    re.I,
)
_READ_MORE = re.compile(
    r"^(?:(?:read more|read also|also read|read next|see also|more on this(?: story)?|keep reading|"
    r"continue reading|recommended(?: reading)?|related(?: articles?| stories| coverage| content)?)"
    r"\s*(?:[:：.…»›>|-].{0,200})?"
    r"|(?:watch|listen|video|photos|gallery|more)\s*:\s*.{1,150}"
    r"|read the (?:rest|full (?:story|article|report)|original(?: article)?)"
    r"(?: (?:here|at .{1,60}|on .{1,60}))?"
    r"\s*[.!]?)$",
    re.I,
)
_PROMO = re.compile(
    r"^(?:(?:click|tap) here\b.{0,200}|sign up (?:for|to|here)\b.{0,200}"
    r"|subscribe (?:to|for|here|now)\b.{0,200}"
    r"|follow (?:us|@\w+|[\w .'’-]{2,40} on (?:twitter|facebook|instagram|x|threads|bluesky))\b.{0,120}"
    r"|(?:twitter|facebook|instagram)\s*:\s*@\w+\.?|like us on facebook\b.{0,80}"
    r"|(?:download|get) (?:our|the) (?:free )?(?:app|newsletter)\b.{0,150}|share (?:this|on)\b.{0,60}"
    r"|editor[’']?s note\s*:.{0,600}|(?:copyright|©)\s*.{0,40}\d{4}.{0,250}|all rights reserved\.?)$",
    re.I,
)
_SOURCE_LINE = re.compile(r"^sources?\s*:\s*(?P<source>.{2,150}?)\.?$", re.I)
_REPORTING = re.compile(
    r"^[\[(]?(?i:(?:additional |compiled |editing |writing |)"
    r"(?:reporting|writing|editing|compiled|edited|written) by"
    r"|contributing(?: reporting)?\s*:|contributors?\s*:)\s*[A-Z].{0,300}$"
)
_BYLINE = re.compile(r"^[Bb][Yy]\s+(?P<rest>.{3,120})$")
# what may follow a byline's name after a comma and is a job, not an outlet: `By Ana Ruiz, Staff Writer`
_BYLINE_ROLES = re.compile(
    r"\b(?:staff|writer|reporter|correspondent|editor|contributor|columnist|analyst|producer|chief|"
    r"bureau|special|freelance|senior|political|desk)\b",
    re.I,
)
# a page's stamp: `Published 2031-05-14`, `Last updated: May 14, 2031 10:15 ET`, `Posted on 3 May 2031`
_TIMESTAMP = re.compile(
    r"^(?P<label>(?:first\s+)?published|posted|(?:last\s+)?updated|(?:last\s+)?modified)"
    r"(?:\s*:|\s+on\b|\s+at\b)?\s*(?P<when>\S.{2,60})$",
    re.I,
)
_BYLINE_LABEL = re.compile(r"^(?:BYLINE|Byline|By)\s*:\s*\S.{0,120}$")
_BYLINE_WORD = re.compile(r"[A-Z][\w.'’-]*|[A-Z]\.")
_BYLINE_JOINERS = frozenset(
    re.split(
        " ",
        "and & of the for in at de van von der da la le du bin al el | , - – — / "
        "staff writer correspondent reporter editor",
    )
)

# --- datelines ---------------------------------------------------------------------------

_UPPER = "A-ZÀ-ÖØ-Þ"
_PLACE = rf"[{_UPPER}][{_UPPER}.'’-]*(?:\s[{_UPPER}][{_UPPER}.'’-]*){{0,3}}"
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATE = rf"(?:{_MONTH}\s+\d{{1,2}}(?:,\s*\d{{4}})?|\d{{1,2}}\s+{_MONTH}(?:\s+\d{{4}})?)"
_REGION = r"(?:[A-Z][a-z]+\.?(?:\s[A-Z][a-z]+\.?){0,2}|(?:[A-Z]\.){2,3})"
_DATELINE = re.compile(
    rf"^(?P<places>{_PLACE}(?:\s*/\s*{_PLACE})*)"
    rf"(?:,\s*(?!{_MONTH}\s*\d)(?P<region>{_REGION}))?"
    rf"(?:,?\s+(?P<date>{_DATE}))?"
    r"\s*,?\s*(?:\((?P<agency>[A-Z][\w.&'’ -]{0,40}?)\))?"
    r"\s*,?\s*(?P<sep>--|[-‒–—―:])?"
    r"(?=\s+[\"“‘'(\[A-Z0-9]|\s*$)"
)
# "New York (AFP) –" and "Dec 29 (Reuters) -": title-case places or none, only with a known agency.
_TITLE_PLACE = r"[A-Z][\w.'’-]*(?:\s[A-Z][\w.'’-]*){0,3}"
_DATELINE_TITLE = re.compile(
    rf"^(?:(?P<places>{_TITLE_PLACE}(?:\s*/\s*{_TITLE_PLACE})*)"
    rf"(?:,\s*(?!{_MONTH}\s*\d)(?P<region>{_REGION}))?(?:,?\s+(?P<date>{_DATE}))?"
    rf"|(?P<date_only>{_DATE}))"
    r"\s*,?\s*\((?P<agency>[A-Z][\w.&'’ -]{0,40}?)\)\s*,?\s*(?P<sep>--|[-‒–—―])?"
    r"(?=\s+[\"“‘'(\[A-Z0-9]|\s*$)"
)
# Words that open a line in capitals but are no place: labels, and organisations' acronyms.
_NOT_PLACES = frozenset(
    re.split(
        " ",
        "BREAKING UPDATE UPDATED EXCLUSIVE ANALYSIS OPINION EDITORIAL WATCH VIDEO PHOTOS PHOTO CORRECTION "
        "WARNING NOTE LIVE FILE ALERT URGENT FLASH COMMENTARY REVIEW FACT SPOILER PROMOTED SPONSORED "
        "NATO UN EU US USA UK FBI CIA NSA NASA WHO IMF GOP ISIS CNN AP AFP DNC RNC NFL NBA OK TV",
    )
)

_AGENCIES_TAIL = re.compile(
    r"\s*(?:,|and|with|&|/|\+)?\s*(?:other |international )?(?:news )?"
    r"(?:agenc(?:y|ies)|wires?(?: services?)?)\s*$",
    re.I,
)
_SENTENCE_END = re.compile(r"[.!?…:;\"”’'»)\]]$")


@dataclass(slots=True)
class _Line:
    start: int  # raw offset of the first non-space character
    end: int  # raw offset after the last non-space character
    text: str


def clean(doc: RawDocument, outlet: str | None = None) -> Article:
    """The cleaned `Article` for `doc`; `outlet`, when given, wins over anything detected.

    Offsets: `article.paragraphs` index `article.text`; `article.offsets` maps any cleaned
    offset to `doc.text` (= `article.raw`); dateline and boilerplate spans index the raw text.
    """
    raw = doc.text
    boilerplate: list[Boilerplate] = []
    paragraphs: list[list[_Line]] = []
    block: list[_Line] = []
    previous: _Line | None = None  # the last non-empty line, when it is article text
    stamps: list[tuple[str, str]] = []  # the (label, when) of each stamp line, which stays text
    for line in _lines(raw):
        if stamp := _stamp(line.text):
            stamps.append(stamp)
        kind = _boilerplate_kind(line.text) if line.text else None
        if kind == "caption" and previous is not None and _repeats_caption(previous.text, line.text):
            # the photo's title line right above its caption (with or without a blank line between)
            if block and block[-1] is previous:
                block.pop()
            elif not block and paragraphs and paragraphs[-1] == [previous]:
                paragraphs.pop()
            span = Span(previous.start, previous.end)
            boilerplate.append(Boilerplate(kind="caption", text=previous.text, span=span))
        if line.text:
            previous = line if kind is None else None
        if kind is not None:
            boilerplate.append(Boilerplate(kind=kind, text=line.text, span=Span(line.start, line.end)))
        if line.text and kind is None:
            block.append(line)
        elif block:
            paragraphs.extend(_split_block(block))
            block = []
    if block:
        paragraphs.extend(_split_block(block))

    title = doc.title
    body_from = 0
    if paragraphs and _dateline(paragraphs[0][0].text) is None:
        first = " ".join(line.text for line in paragraphs[0])
        if title is not None and _same_words(first, title):
            body_from = 1  # the page repeats its title as the first line; it stays in the text
        elif title is None and len(paragraphs) > 1 and _looks_like_headline(paragraphs[0]):
            body_from = 1

    # a masthead on its own line under the headline: `Brenna Bay Observer`
    for index in range(body_from, min(body_from + 2, len(paragraphs) - 1)):
        if body_from and len(paragraphs[index]) == 1 and _masthead(paragraphs[index][0].text):
            line = paragraphs.pop(index)[0]
            boilerplate.append(Boilerplate(kind="byline", text=line.text, span=Span(line.start, line.end)))
            break

    dateline = None
    # The dateline opens the body, which may follow a headline and a short standfirst or two.
    for index in range(body_from, min(body_from + 3, len(paragraphs))):
        lead = paragraphs[index][0]
        found = _dateline(lead.text)
        if found is not None:
            length, dateline = found
            dateline.span = Span(lead.start, lead.start + length)
            boilerplate.append(Boilerplate(kind="dateline", text=lead.text[:length], span=dateline.span))
            rest = lead.text[length:]
            skip = len(rest) - len(rest.lstrip(_STRIP))
            if skip == len(rest):
                paragraphs[index].pop(0)
            else:
                cut = length + skip
                paragraphs[index][0] = _Line(lead.start + cut, lead.end, lead.text[cut:])
            if not paragraphs[index]:
                paragraphs.pop(index)
            break
        if len(paragraphs[index]) > 1 or len(lead.text) > 300:
            break

    builder = OffsetMapBuilder()
    spans: list[Span] = []
    pos = 0
    repaired = 0
    previous_end: int | None = None
    for paragraph in paragraphs:
        if previous_end is not None:
            builder.replace(previous_end, "\n\n")
            pos += 2
        start = pos
        for i, line in enumerate(paragraph):
            if i:
                builder.replace(paragraph[i - 1].end, " ")
                pos += 1
            added, fixed = _emit(builder, line)
            pos += added
            repaired += fixed
        spans.append(Span(start, pos))
        previous_end = paragraph[-1].end
    text, offsets = builder.build(len(raw))

    if title is None and body_from == 1 and spans:
        title = spans[0].of(text)
    warnings = list(doc.warnings)
    if repaired:
        name = where(doc, unnamed="<text>")  # text given without a file
        warnings.append(f"{name}: repaired {repaired} look-alike Cyrillic/Greek letter(s)")
    chosen, source = _outlet(outlet, dateline, boilerplate, doc)
    published = doc.published or _stamped(stamps)
    return Article(
        id=document_id(doc),
        raw=raw,
        text=text,
        offsets=offsets,
        path=doc.path,
        outlet=chosen,
        outlet_source=source,
        title=title,
        url=doc.url,
        published=published,
        language=doc.language or "en",
        paragraphs=spans,
        dateline=dateline,
        boilerplate=sorted(boilerplate, key=lambda b: b.span),
        warnings=warnings,
    )


# --- lines and paragraphs ----------------------------------------------------------------


def _lines(raw: str) -> Iterator[_Line]:
    """Every line of `raw`, stripped of surrounding spaces and invisible characters."""
    start = 0
    for match in _LINE_BREAK.finditer(raw):
        yield _stripped(raw, start, match.start())
        start = match.end()
    yield _stripped(raw, start, len(raw))


def _stripped(raw: str, start: int, end: int) -> _Line:
    text = raw[start:end]
    lead = len(text) - len(text.lstrip(_STRIP))
    body = text.strip(_STRIP)
    return _Line(start + lead, start + lead + len(body), body)


def _split_block(lines: list[_Line]) -> list[list[_Line]]:
    """Paragraphs within a run of non-blank lines: one per line, unless lines are wrapped."""
    if len(lines) == 1:
        return [lines]
    width = max(len(line.text) for line in lines)
    open_ends = sum(1 for line in lines[:-1] if not _SENTENCE_END.search(line.text))
    wrapped = len(lines) >= 3 and width <= 100 and open_ends >= (len(lines) - 1) / 2
    paragraphs = [[lines[0]]]
    for prev, line in zip(lines, lines[1:], strict=False):
        if wrapped:
            joined = not (_SENTENCE_END.search(prev.text) and len(prev.text) < 0.75 * width)
        else:
            joined = not _SENTENCE_END.search(prev.text) and (line.text[0].islower() or line.text[0] in ",;")
        if joined:
            paragraphs[-1].append(line)
        else:
            paragraphs.append([line])
    return paragraphs


def _looks_like_headline(paragraph: list[_Line]) -> bool:
    if len(paragraph) != 1:
        return False
    text = paragraph[0].text
    return (
        len(text) <= 200
        and len(text.split()) <= 25
        and not text[0].islower()
        and not text.endswith((":", ","))
    )


def _same_words(a: str, b: str) -> bool:
    return a.casefold().split() == b.casefold().split()


# --- characters --------------------------------------------------------------------------


def _emit(builder: OffsetMapBuilder, line: _Line) -> tuple[int, int]:
    """Append `line` normalised; returns (characters added, homoglyphs repaired)."""
    text = line.text
    edits: list[tuple[int, int, str]] = []
    for match in _EDIT.finditer(text):
        group = match.lastgroup
        found = match.group()
        if group == "space":
            if found != " ":
                edits.append((match.start(), match.end(), " "))
        elif group == "invisible":
            edits.append((match.start(), match.end(), ""))
        else:
            edits.append((match.start(), match.end(), unicodedata.normalize("NFKC", found)))
    if not unicodedata.is_normalized("NFC", text):
        for match in _CLUSTER.finditer(text):
            composed = unicodedata.normalize("NFC", match.group())
            if composed != match.group():
                edits.append((match.start(), match.end(), composed))
    repaired = 0
    if _CYRILLIC_GREEK.search(text):
        for start, latin in _homoglyphs(text):
            edits.append((start, start + 1, latin))
            repaired += 1
    edits.sort()
    added = 0
    at = 0
    for start, end, replacement in edits:
        if start < at:
            continue  # overlaps an earlier edit
        builder.copy(line.start + at, text[at:start])
        builder.replace(line.start + start, replacement, raw_len=end - start)
        added += start - at + len(replacement)
        at = end
    builder.copy(line.start + at, text[at:])
    added += len(text) - at
    return added, repaired


def _homoglyphs(text: str) -> Iterator[tuple[int, str]]:
    """(offset, Latin letter) for each look-alike letter inside an otherwise Latin word."""
    for word in _WORD.finditer(text):
        letters = word.group()
        if not _CYRILLIC_GREEK.search(letters) or not _LATIN_LETTER.search(letters):
            continue
        foreign = [(i, ch) for i, ch in enumerate(letters) if not _LATIN_LETTER.match(ch)]
        if all(ch in HOMOGLYPHS for _, ch in foreign):
            for i, ch in foreign:
                yield word.start() + i, HOMOGLYPHS[ch]


# --- boilerplate, dateline, outlet -------------------------------------------------------


def _boilerplate_kind(line: str) -> str | None:
    """The kind of boilerplate a whole line is, or None for article text."""
    if len(line) > 700:
        return None
    if _ADVERTISEMENT.match(line):
        return "advertisement"
    if _READ_MORE.match(line):
        return "read-more"
    if _SOURCE_LINE.match(line):
        return "source-line"
    if _REPORTING.match(line) and (line[0] not in "[(" or line[-1] in "])"):
        return "credit"
    if len(line) <= 200 and _CREDIT_LINE.match(line):
        return "credit"
    if _CAPTION_LINE.match(line):
        return "caption"
    if _PROMO.match(line):
        return "other"
    if _is_byline(line):
        return "byline"
    return None


_WHEN_WORDS = frozenset(
    re.split(
        r"\s+",
        "jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june july "
        "august september october november december mon tue wed thu fri sat sun monday tuesday "
        "wednesday thursday friday saturday sunday at on am pm a m p gmt utc bst cet cest et est edt "
        "ct cst cdt pt pst pdt ist hrs h t z",
    )
)


def _is_when(text: str) -> bool:
    """Only a date and/or a time: `2031-05-14`, `May 14, 2031 10:15 a.m. ET`, `14/05/2031 | 10:15`."""
    if not re.search(r"\d", text) or re.search(r"[^\w\s,:./+|()-]", text):
        return False
    return all(w.lower() in _WHEN_WORDS for w in re.findall(r"[^\W\d_]+", text))


def _repeats_caption(line: str, caption: str) -> bool:
    """A title-like line (short, no sentence end) whose words are mostly the caption's below it."""
    mine = [w.lower() for w in _WORD.findall(line)]
    if not 2 <= len(mine) <= CAPTION_TITLE_WORDS or _SENTENCE_END.search(line.rstrip()):
        return False
    theirs = {w.lower() for w in _WORD.findall(caption)}
    return sum(w in theirs for w in mine) >= CAPTION_TITLE_SHARE * len(mine)


def _is_byline(line: str) -> bool:
    if _BYLINE_LABEL.match(line) or _staff_outlet(line) is not None:
        return True
    match = _BYLINE.match(line)
    if match is None or line.endswith((".", "!", "?", ":")) and not re.search(r"\b[A-Z]\.$", line):
        return False
    tokens = re.findall(r"[\w.'’-]+|[|,&/–—-]", match.group("rest"))
    names = 0
    for token in tokens:
        if token.lower() in _BYLINE_JOINERS:
            continue
        if not _BYLINE_WORD.fullmatch(token):
            return False
        names += 1
    first_part = re.split(r"[,|–—]| and ", match.group("rest"))[0].split()
    return names >= 2 and len(first_part) >= 2


def _dateline(text: str) -> tuple[int, Dateline] | None:
    """(length, Dateline with a placeholder span) when `text` opens with a dateline."""
    return _upper_dateline(text) or _title_dateline(text)


def _title_dateline(text: str) -> tuple[int, Dateline] | None:
    match = _DATELINE_TITLE.match(text)
    if match is None or match.group("agency").lower() not in AGENCIES:
        return None
    end = match.end("sep") if match.group("sep") is not None else match.end("agency") + 1
    places = match.group("places")
    dateline = Dateline(
        span=Span(0, end),
        places=[p.strip() for p in places.split("/")] if places else [],
        agency=AGENCIES[match.group("agency").lower()],
        date=match.group("date") or match.group("date_only"),
    )
    return end, dateline


def _upper_dateline(text: str) -> tuple[int, Dateline] | None:
    match = _DATELINE.match(text)
    if match is None:
        return None
    agency, sep = match.group("agency"), match.group("sep")
    if agency is None and sep is None:
        return None
    places = [p.strip() for p in match.group("places").split("/")]
    if any(sum(ch.isalpha() for ch in p) < 2 or p.split()[0] in _NOT_PLACES for p in places):
        return None
    bare = agency is None and match.group("region") is None and match.group("date") is None
    if bare and (sep == ":" or len(places) == 1 and len(places[0]) < 4):
        return None  # "BOOM:" is a kicker and "ABC — ..." an acronym rather than a city
    end = match.end("sep") if sep is not None else match.end("agency") + 1
    dateline = Dateline(
        span=Span(0, end),
        places=[_title_case(p) for p in places],
        agency=AGENCIES.get(agency.lower(), agency) if agency else None,
        date=match.group("date"),
    )
    return end, dateline


def _title_case(place: str) -> str:
    return re.sub(r"[^\W\d_]+", lambda m: m.group().capitalize(), place)


def is_stamp(line: str) -> bool:
    """A page's stamp of when it ran: `Published 2031-05-14`, `Last updated: May 14, 2031 10:15 ET`.
    It stays in the text (where it ran is part of what a page says, and stories read it), but it
    reports no event, and it dates the article (`_stamped`)."""
    return _stamp(line) is not None


def _stamp(line: str) -> tuple[str, str] | None:
    """A stamp line's label (lower case) and the date or time it gives, else None."""
    match = _TIMESTAMP.match(line.strip())
    if match is None or not _is_when(match.group("when")):
        return None
    return match.group("label").lower(), match.group("when")


def _stamped(stamps: list[tuple[str, str]]) -> datetime | None:
    """The publication date a plain text states in its stamp lines (`_stamp`); an update's stamp only
    where none says when it was first published."""
    for first in (True, False):
        for label, when in stamps:
            if label.startswith(("published", "posted", "first")) == first:
                value = parse_date(when.strip().rstrip(".")) or _date_in(when)
                if value is not None:
                    return value
    return None


# a written date inside a stamp (`THURSDAY, MAY 2, 2013, 1: 32 PM`); numeric day/month orders are
# ambiguous (`05 / 03 / 2013`) and left alone
_DATE_IN = re.compile(
    rf"\d{{4}}-\d\d-\d\d|{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH}\s+\d{{4}}", re.I
)


def _date_in(text: str) -> datetime | None:
    match = _DATE_IN.search(text)
    if match is None:
        return None
    value = re.sub(r"[.,]", "", match.group()).title()
    for form in ("%Y-%m-%d", "%B %d %Y", "%b %d %Y", "%d %B %Y", "%d %b %Y"):
        try:
            return datetime.strptime(value.replace("Sept ", "Sep "), form)
        except ValueError:
            continue
    return None


# a credit to a newsroom rather than a writer: `Marrek Daily Courier staff`, `By Reuters staff`,
# `Coastline Courier reporters`
_STAFF = re.compile(
    r"^(?:[Bb]y\s+|[Ff]rom\s+)?(?P<outlet>(?:[A-Z][\w&'’.-]*\s+){0,5}?[A-Z][\w&'’.-]*)\s+"
    r"(?:staff(?:\s+(?:and\s+agencies|reporters?|writers?))?|reporters|correspondents|news\s?desk|newsroom)\.?$"
)


def _staff_outlet(line: str) -> str | None:
    """The outlet of a newsroom credit: a known agency, or a name with a publication's word in it
    (`Marrek Daily Courier staff`; not `Port Alder reporters`, a place)."""
    match = _STAFF.match(line.strip())
    if match is None:
        return None
    name = match.group("outlet")
    known = AGENCIES.get(name.lower())
    if known is not None:
        return known
    return name if any(w.casefold().strip(".") in _PUBLICATION_WORDS for w in name.split()) else None


def _byline_outlet(line: str) -> str | None:
    """The outlet a byline names after its writer: `By Ines Harrow, Coastline Courier`, `By Ana Ruiz,
    Reuters` (not a job: `By Ana Ruiz, Staff Writer`), or a newsroom's credit (`Coastline Courier staff`)."""
    staff = _staff_outlet(line) or (line if _masthead(line) else None)
    if staff is not None:
        return staff
    match = _BYLINE.match(line)
    if match is None or "," not in match.group("rest"):
        return None
    tail = match.group("rest").split(",", 1)[1].strip().rstrip(".")
    known = AGENCIES.get(tail.lower())
    if known is not None:
        return known
    words = tail.split()
    if not 1 <= len(words) <= 6 or _BYLINE_ROLES.search(tail) or not all(w[:1].isupper() for w in words):
        return None
    # a place is as common there (`By Ana Ruiz, London`): only a name that reads as a publication's
    return tail if any(w.casefold().strip(".") in _PUBLICATION_WORDS for w in words) else None


_PUBLICATION_WORDS = frozenset(
    re.split(
        r"\s+",
        "times post news herald courier ledger gazette journal tribune chronicle daily press review star "
        "sun mail guardian observer telegraph express record register bulletin dispatch examiner "
        "enquirer inquirer monitor sentinel mirror globe independent standard weekly magazine radio tv "
        "television network agency wire online today",
    )
)


# the last word of a publication's name; not "today", "record", "review" ..., the end of many a headline
_MASTHEAD_ENDS = _PUBLICATION_WORDS - frozenset(
    re.split(
        r"\s+", "today record register review star sun magazine radio tv television network agency online"
    )
)


def _masthead(line: str) -> bool:
    """A publication's name alone on a line: two to five capitalised words, the last one a word such
    names end in (`Brenna Bay Observer`, `The Eastline News`)."""
    words = line.strip().split()
    return (
        2 <= len(words) <= 5
        and all(w[:1].isupper() and w.replace("&", "").replace("'", "").isalpha() for w in words)
        and words[-1].casefold() in _MASTHEAD_ENDS
        and words[0].casefold() not in _SECTION_WORDS
    )


# the first word of a section's or a label's name, not a publication's: `Breaking News`, `Fake News`
_SECTION_WORDS = frozenset(
    re.split(
        r"\s+",
        "breaking latest top world local national international business sports sport related more good "
        "bad fake real today's todays",
    )
)


def _source_outlet(line: str, last_lines: bool) -> str | None:
    match = _SOURCE_LINE.match(line)
    if match is None:
        return None
    source = match.group("source").strip()
    mentions_agencies = bool(re.search(r"\b(?:news )?agenc(?:y|ies)\b|\bwires?\b", source, re.I))
    trimmed = _AGENCIES_TAIL.sub("", source)
    first = re.split(r"\s*(?:,|;|/|&|\band\b)\s*", trimmed)[0].strip()
    if not first:
        return None
    known = AGENCIES.get(first.lower())
    if known is not None:
        return known
    return first if mentions_agencies or last_lines else None


def _outlet(
    given: str | None, dateline: Dateline | None, boilerplate: list[Boilerplate], doc: RawDocument
) -> tuple[str | None, str | None]:
    if given:
        return given, "given"
    if doc.outlet:  # a record's own outlet field is the user's word, not a guess
        return doc.outlet, "metadata"
    if dateline is not None and dateline.agency:
        return dateline.agency, "dateline"
    tail = len(doc.text) - 400
    for item in boilerplate:
        if item.kind == "source-line":
            found = _source_outlet(item.text, last_lines=item.span.start >= tail)
            if found:
                return found, "source-line"
    if doc.site_name:
        return doc.site_name, "site-name"
    if doc.url:
        host = urlsplit(doc.url if "//" in doc.url else f"//{doc.url}").hostname
        if host:
            return host.removeprefix("www."), "url"
    for item in boilerplate:  # a plain text's only word on where it ran
        found = _byline_outlet(item.text) if item.kind == "byline" else None
        if found:
            return found, "byline"
    return None, None
