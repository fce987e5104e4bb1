"""Who said what in one article: direct, partial and reported quotes with their speakers.

`extract_quotes(article, doc, mentions)` combines three readings of the article:

1. quoted regions from the quotation marks (`marks.find_quoted`), one per paragraph;
2. attribution frames from the parse (`cues.frames.find_frames`): cue verb, source, content;
3. speakers (`speakers.Speakers`): the source phrase resolved to a person or organisation.

A quoted region that is (nearly) the whole content of a frame is a `direct` quote of that
frame's speaker; one inside a longer content is a `partial` quote, and the content itself an
`indirect` one; a frame without quotation marks is `indirect`. A region with no frame of its own
takes the speaker of a frame in its sentence (`"...," X said`, `X said: "..."`) or of a sentence
right before it that ends on its cue (`X agreed. "..."`), else the person named just before a colon
that introduces it (`Here's X in 1992: "..."`), else that of the paragraph's previous quote, else
(for a paragraph that opens with a quote mark) that of the previous paragraph's last quote, or of
the one before a paragraph of narration that names nobody
(`The minister pledged ...` ¶ `The remark was read as ...` ¶ `“The union is ...`): `continuation`.
Every paragraph of a multi-paragraph quote is its speaker's direct quote. Quoted words in a
clause that reports someone's speech under a cue that is not itself speech (`The mayor said the
coach shows “real passion”`) are the reporting speaker's. Short quoted terms that nobody speaks
(scare quotes, titles, nicknames, foreign words; a quoted term inside a cue's subject, `The
“reform” has been debated`) and headings that repeat a quote of the body are left out.
Everything is a pass or two over the tokens and the marks: linear in the article's length.

Last, a small learned model (`rescore.py`, trained on PolNeAR train) looks again at each quote
that is not inside another: it picks the quote's extent among a few candidate spans (the clause
around a quoted phrase, one sentence of several, ...) and leaves out quotes it finds unlikely.
Then a small learned tagger (`tagger.py`, also trained on PolNeAR train) reads each paragraph. Where
it reads a found quote with other ends, a third small model (`data/extent.npz`) says which extent
to keep; and it adds, as indirect quotes, the contents it is sure of where nothing was found (`the
candidates are seen as a circus`), each with the subject of the verb it hangs on as its speaker.
`extract_quotes` gives each quote a confidence (`confidence.py`).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from storydiff import nlp
from storydiff.extract.confidence import confidences
from storydiff.extract.cues.frames import Frame, closer, find_frames, introducer, sentences
from storydiff.extract.cues.lexicon import MOVED, QUOTING, Lexicon, lemma_of, shipped_lexicon
from storydiff.extract.cues.subjects import subject_of
from storydiff.extract.entities import words
from storydiff.extract.marks import (
    CLOSERS,
    CLOSING_CHARS,
    DOUBLE_MARKS,
    Quoted,
    find_quoted,
    paragraphs_of,
)
from storydiff.extract.rescore import Context, Item, Model, choose, shipped_model
from storydiff.extract.speakers import ORG_WORDS, Speakers
from storydiff.extract.tagger import Reading, Tagger, extent_rows, shipped_tagger
from storydiff.model import Article, EntityMention, Quote, QuoteKind, Span, Speaker

if TYPE_CHECKING:
    from collections.abc import Callable

    from spacy.tokens import Doc, Token

# A quoted region whose share of a frame's content is at least this is that content, quoted; below
# it the clause is reported speech with a partial quote inside (`told reporters that Kovac was simply
# “not the right person ...”`). Chosen on 5 folds of PolNeAR train: .5 .6 .65 .7 .75 .8 .9 gave F1
# .7478 .7482 .7482 .7483 .7483 .7483 .7481, direct R .9359 .9372 .9372 .9380 .9380 .9380 .9378: the
# lowest of the plateau (at .75 a clause hung before `that “...”`, `said in a statement that`, counts).
DIRECT_SHARE = 0.7
# A quote with no cue of its own needs this many words to be taken as speech, not a term
# (one capitalised word is as likely a name or a brand) ...
MIN_SPEECH_WORDS = 2
# ... and, inside a sentence of the narrator's, this many: chants and slogans are short
# (`chants of “Save the harbor!”`); one or two words are terms or scare quotes (`the “reform”`).
LONG_QUOTE_WORDS = 3

# A title after `on` or a possessive (`on NBC's “Meet the Press”`) has at most this many words.
TITLE_WORDS = 8
_TITLE_SMALL = words("a an the of and or in on at to for with from by")
_DETERMINERS = words("a an the this that these those its their his her our")
_TITLE_BEFORE = re.compile(r"(?:['\u2019]s|\bon|\bbook|\bshow|\bpodcast|\bprogram)$")

# `Marcia "Cia" Price`, `Gov. C.L. "Butch" Otter`: one quoted capitalised word between the parts
# of a name is a nickname (in a title-case headline it may be a quoted word, so those are kept)
_NICKNAME = re.compile(r"[\"\u201c][A-Z][\w.\-]*[\"\u201d] [A-Z]\w")
_NAME_BEFORE = re.compile(r"\b[A-Z][\w.\-]* $")
_STAGE_DIRECTION = re.compile(r"[(\[][^()\[\]]*[)\]][.,]?")

MAX_HEADING_CHECKS = 200
# "A," X said. "B" is one quote while the attribution between has at most this share of the
# quoted words: beyond it the words of the whole would be mostly the narrator's (and a reading of
# A and B as one no longer holds the whole; 1.0 chosen on 5 folds of PolNeAR train, .8 to 1.5).
GAP_SHARE = 1.0
# Cues that voice words themselves: a quote they introduce inside someone else's reported speech
# stays theirs (belief, evidence and stance verbs do not: `shows`, `believes`, `suggests`).
SAYING = QUOTING - words("believe think suggest indicate reveal estimate signal hint predict wonder question")
# A quote block continues the speaker before at most this many paragraphs of narration between.
ASIDE_PARAGRAPHS = 1
# A cue this many tokens or fewer into the sentence after a quote's closing mark is its cue.
NEXT_SENTENCE_CUE = 4

_WORD = re.compile(r"\w+")
_SECOND_CUE = re.compile(r"\b(?:add(?:ed|ing|s)?|not(?:ed|ing)|continu(?:ed|ing)|explain(?:ed|ing)|saying)\b")
_LIST_GAP = re.compile(r"\s*,?\s*(?:and|or)\s+|\s*,\s*")
_ATTRIBUTION_GAP = re.compile(r"[^.!?\n\u201c\u201d\"]{0,200}[.,:;]\s*")
# a quote that ends on one of these leaves its sentence open for an attribution after it
_OPEN_END = frozenset(",?!")
_NEAR_BEFORE = re.compile(r"[^.!?\n\u201c\u201d\"]{0,60}")
# `Here's Ana Ruiz in June 2014: “...”`: how far before the colon the name may end
COLON_LEAD_CHARS = 80
COLON_LEAD_WORDS = 4
# what may follow a cue that ends the sentence before a quote: a few words, then its full stop
_CUE_ENDS = re.compile(r"[^.!?\n\u201c\u201d\"]{0,40}[.:]\s*")
_NEAR_AFTER = re.compile(r"[^.!?\n\u201c\u201d\"]{0,40}[:,]\s*")
_TURN = re.compile(r"([A-Z][A-Z.\u2019'\-]+(?: [A-Z][A-Z.\u2019'\-]+){0,2}):\s+(?=\S)")
_LABEL = re.compile(r"([A-Z][\w.\u2019'\- ]{1,40}?):\s+(?=\S)")
# A headline `Label: words` names its speaker in at most this many words (`Poll: ...`, `Ryan: ...`),
HEADLINE_LABEL_WORDS = 6
# ... unless the label is a kicker that names nobody (`Breaking: ...`, `The Latest: ...`).
_KICKERS = frozenset(
    {"the latest", "breaking", "breaking news", "exclusive", "update", "watch", "wow", "look", "just in"}
    | {"analysis", "opinion", "video", "live", "fact check", "bombshell", "just leaked", "news guide"}
    | {"revealed"}
)
# A label that is neither a name nor an entity speaks when its last word is one of these
# (`Poll: ...`, `Clinton camp: ...`, `GOP insiders: ...`); `Brennholt summit: ...` names a topic.
_SPEAKING_LABELS = ORG_WORDS | words(
    """
    poll polls survey surveys report reports study studies email emails memo memos letter statement
    fact-check newspaper editorial insiders source sources official officials aide aides ally allies
    critics experts analysts historians economists voters leaders camp campaign spokesman spokeswoman
    spokesperson lawyer lawyers attorney attorneys police prosecutors investigators researchers
    scientists doctors witnesses residents supporters democrats republicans documents records
    filing claim claims government administration board panel group team
    """
)
_TRIM_END = " \t\n,;:\u2014\u2013-"
# `“...” ― Sonya Herridge`, `“...” – @realDonaldTrump`: a signature after the closing mark (pull
# quotes, epigraphs, readers' letters, embedded posts). A name must end its line or clause.
_SIGNED = re.compile(
    r"[ \t]*(?:[\u2015\u2014\u2013]{1,2}|--?(?=[ \t]))[ \t]*"
    r"(?:(@\w{2,30})|([A-Z][\w.\u2019'-]*(?:[ \t]+(?:[A-Z][\w.\u2019'-]*|de|da|van|von|del|la)){0,4})"
    r"(?=[ \t]*(?:[,.(\n]|$)))"
)


@dataclass(slots=True)
class _Found:
    span: Span
    kind: QuoteKind
    speaker: Speaker
    cue: str | None = None
    cue_span: Span | None = None
    frame: Frame | None = None
    parts: list[Span] = field(default_factory=list)
    # a later paragraph of a multi-paragraph quote whose speaker the chain gave it: the rescorer,
    # which reads one paragraph at a time, sees no cue near it and must not drop it
    chained: bool = False


@dataclass(slots=True)
class _Region:
    quoted: Quoted
    paragraph: int
    frame: Frame | None = None
    speaker: Speaker | None = None
    kind: QuoteKind = "direct"
    chain: list[int] = field(default_factory=list)
    turn: int | None = None  # where the words start after a transcript label (`"PENCE: ...`)


def _words(text: str) -> int:
    return len(_WORD.findall(text))


# what sets an attribution off inside the words it reports
_ASIDE_MARK = re.compile(r",|\s(?:--|\u2014|\u2013)\s?|\u2014")


def _norm(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def _strip(text: str, span: Span) -> Span:
    s, e = span.start, span.end
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1] in _TRIM_END:
        e -= 1
    return Span(s, e)


def _heading(text: str, para: Span) -> bool:
    """A short paragraph with no sentence-ending punctuation outside quotes: a title or heading."""
    body = text[para.start : para.end].rstrip()
    return _words(body) <= 14 and not body.endswith((".", "!", "?", ".\u201d", '."', "?\u201d", "!\u201d"))


def extract_quotes(article: Article, doc: Doc, mentions: list[EntityMention]) -> list[Quote]:
    """Every quote in `article` with its speaker, in text order.

    `doc` is the parse of `article.text`; `mentions` its entity mentions (`extract_mentions`).
    Each quote's `text` is `article.text[span.start:span.end]`, and so is its speaker's
    `mention_text` for `mention`. Ids are `"{article.id}:q{n}"`, n from 1 in text order. Each
    has a `confidence` (`confidence.py`) where the model is shipped.
    """
    tagger, extents = shipped_tagger(), shipped_model("extent")
    found = find_quotes(article, doc, mentions, model=shipped_model(), tagger=tagger, extents=extents)
    quotes = [quote for quote, _ in found]
    paragraphs = paragraphs_of(article.text, article.paragraphs)
    chains = _chain_links(find_quoted(article.text, paragraphs))
    sure = confidences(article.text, doc, quotes, paragraphs, chains=chains)
    for quote, confidence in zip(quotes, sure, strict=True):
        quote.confidence = confidence
    return quotes


def _chain_links(quoted: list[Quoted]) -> list[tuple[Span, Span]]:
    """(earlier, later) quoted words of consecutive paragraphs of one multi-paragraph quote."""
    links: list[tuple[Span, Span]] = []
    previous: Quoted | None = None
    for q in quoted:
        if q.continued and previous is not None:
            links.append((previous.inner, q.inner))
        if q.continues:
            previous = q
        elif q.continued:
            previous = None
    return links


def find_quotes(
    article: Article,
    doc: Doc,
    mentions: list[EntityMention],
    *,
    model: Model | None = None,
    tagger: Tagger | None = None,
    extents: Model | None = None,
) -> list[tuple[Quote, Frame | None]]:
    """`extract_quotes` with the frame behind each quote, under chosen models.

    With a `model` (`rescore.py`) each quote's span is the model's pick among a few candidates,
    and quotes it finds unlikely are left out; without one, the rules' spans as they are. With a
    `tagger` (`tagger.py`), what it tags as said where no quote was found is added as well, and with
    `extents` too (a model over `tagger.extent_rows`), a quote takes the tagger's extent where that
    model trusts it over the rules'. The training scripts read the rules alone: `rule_quotes`.
    """
    scan = _rules(article, doc, mentions, shipped_lexicon())
    if model is not None and scan.found:
        context, items = _rescorer_view(scan)
        chosen = choose(context, items, model)
        spans = [_within_chain(f, span) for f, span in zip(scan.found, chosen, strict=True)]
        scan.found = _rescored(scan.text, scan.found, spans)
    _close_marks(scan.text, scan.found)
    if tagger is not None:
        _add_tagged(scan, tagger, extents)
    return _numbered(article, scan.found)


@dataclass(frozen=True, slots=True)
class RuleQuotes:
    """The rules' quotes of one article, and the rescorer's view of them (one `Item` per quote, as
    the rules found it, before `_close_marks`)."""

    quotes: list[tuple[Quote, Frame | None]]
    context: Context
    items: list[Item]


def rule_quotes(
    article: Article, doc: Doc, mentions: list[EntityMention], lexicon: Lexicon | None = None
) -> RuleQuotes:
    """The quotes of the rules alone (no rescorer, no tagger) under a chosen cue lexicon (None: the
    shipped one): what `training/train_cues.py` and `train_rescore.py` learn from."""
    scan = _rules(article, doc, mentions, shipped_lexicon() if lexicon is None else lexicon)
    context, items = _rescorer_view(scan)
    _close_marks(scan.text, scan.found)
    return RuleQuotes(_numbered(article, scan.found), context, items)


@dataclass(slots=True)
class _Scan:
    """One article as the passes of `_rules` read and fill it: its text and parse, the quoted
    regions and the frames outside them, and the quotes found so far."""

    text: str
    doc: Doc
    paragraphs: list[Span]
    para_starts: list[int]
    speakers: Speakers
    lexicon: Lexicon
    regions: list[_Region]  # quoted regions not nested in another, in text order (no nicknames)
    region_starts: list[int]
    ranges: list[tuple[int, int]]  # the sentences, cut where a paragraph ends (`cues.frames.sentences`)
    sentence_of: list[int]  # token -> the first token of its sentence
    token_starts: list[int]
    frames: list[Frame]  # in text order of the cue; none has its cue inside a quoted region
    # quoted words left out on purpose (nicknames, scare quotes, titles): the tagger may not add them
    unsaid: list[Span]
    found: list[_Found] = field(default_factory=list)

    def paragraph_of(self, pos: int) -> int:
        return _index_at(self.para_starts, pos)

    def token_at(self, pos: int) -> int:
        return _index_at(self.token_starts, pos)


def _index_at(starts: list[int], pos: int) -> int:
    """Which of the stretches starting at `starts` (sorted) holds `pos`."""
    return max(0, bisect_right(starts, pos) - 1)


def _scan(article: Article, doc: Doc, mentions: list[EntityMention], lexicon: Lexicon) -> _Scan:
    """The quoted regions, sentences and frames of one article, before any pass."""
    text = article.text
    paragraphs = paragraphs_of(text, article.paragraphs)
    para_starts = [p.start for p in paragraphs]
    quoted = find_quoted(text, paragraphs)
    nicknames = [
        q.outer for q in quoted if _nickname(text, q, paragraphs[_index_at(para_starts, q.outer.start)])
    ]
    regions = _top_level([q for q in quoted if q.outer not in nicknames], para_starts)
    region_starts = [r.quoted.outer.start for r in regions]
    ranges = sentences(doc, paragraphs)
    sentence_of = [0] * len(doc)
    for s0, s1 in ranges:
        for i in range(s0, s1):
            sentence_of[i] = s0
    return _Scan(
        text=text,
        doc=doc,
        paragraphs=paragraphs,
        para_starts=para_starts,
        speakers=Speakers(text, doc, mentions),
        lexicon=lexicon,
        regions=regions,
        region_starts=region_starts,
        ranges=ranges,
        sentence_of=sentence_of,
        token_starts=nlp.token_starts(doc),
        frames=[
            f
            for f in find_frames(doc, ranges, lexicon)
            if not _in_region(regions, region_starts, f.cue.start)
        ],
        unsaid=list(nicknames),
    )


def _rules(article: Article, doc: Doc, mentions: list[EntityMention], lexicon: Lexicon) -> _Scan:
    """The rules' quotes (`scan.found`, in text order), pass by pass: each pass may give quoted
    regions their frame and speaker, and adds what it finds."""
    scan = _scan(article, doc, mentions, lexicon)
    _transcript_turns(scan)
    _frame_contents(scan)
    _labelled_paragraphs(scan)
    _cues_beside(scan)
    _link_chains(scan.regions)  # multi-paragraph quotes share one speaker
    _region_quotes(scan)
    scan.found.sort(key=lambda f: (f.span.start, -f.span.end))
    return scan


def _transcript_turns(scan: _Scan) -> None:
    """Transcript turns quoted paragraph by paragraph: `"PENCE: Well, ...` is Pence's."""
    text = scan.text
    for region in scan.regions:
        turn = _TURN.match(text, region.quoted.inner.start, region.quoted.inner.end)
        if turn is not None and region.quoted.outer.start == scan.paragraphs[region.paragraph].start:
            region.speaker = _turn_speaker(scan.speakers, text, Span(turn.start(1), turn.end(1)))
            region.turn = turn.end()


def _frame_contents(scan: _Scan) -> None:
    """Each frame's content as an indirect quote, and the quoted regions it covers as its direct or
    partial quotes; in text order, as pronouns resolve against what came before."""
    text, regions, speakers = scan.text, scan.regions, scan.speakers
    for frame in scan.frames:
        if frame.bare:
            continue
        para = scan.paragraph_of(frame.cue.start)
        speaker = _frame_speaker(speakers, frame, para)
        lo = bisect_left(scan.region_starts, frame.content.start - 1)
        lo = max(0, lo - 1)
        inside: list[int] = []
        direct: int | None = None
        k = lo
        while k < len(regions) and regions[k].quoted.outer.start < frame.content.end:
            words = regions[k].quoted.inner
            if words.overlaps(frame.content):
                shared = min(words.end, frame.content.end) - max(words.start, frame.content.start)
                opened = frame.content.start <= words.start and frame.content.end < words.end
                if shared >= DIRECT_SHARE * len(frame.content) or _touches(text, regions[k].quoted, frame):
                    direct = k
                elif frame.content.contains(words) or shared >= 0.5 * len(words) or opened:
                    inside.append(k)
            k += 1
        if direct is not None:
            region = regions[direct]
            # the tightest frame around a quote is its own (`quoted as saying “...”` -> saying)
            if region.turn is None and _tighter(frame, region.frame):
                region.frame, region.speaker, region.kind = frame, speaker, "direct"
            continue
        # (`the suggestion that ...` is someone's even where the sentence does not say whose)
        if speaker.how != "unknown" or inside or frame.rule == "noun":
            # a content the parse ends inside a quote it opened runs to that quote's end: the words
            # of one quote are one statement (`that Cruz “don't forget us. We're ...”`)
            content = Span(
                frame.content.start, max([frame.content.end] + [regions[k].quoted.inner.end for k in inside])
            )
            around = _around(text, content, frame.cue)
            scan.found.append(_Found(content, "indirect", speaker, frame.cue_text, frame.cue, frame, around))
        for k in inside:
            # a partial quote is the tightest content's around it, as a direct one is: in `Kelly said
            # there was “A” while Cerar said “B”` the parse may hang Cerar's clause inside Kelly's
            held = regions[k].frame
            if held is None or (regions[k].kind == "partial" and _tighter(frame, held)):
                regions[k].frame, regions[k].speaker, regions[k].kind = frame, speaker, "partial"
        if speaker.name or speaker.how in {"named", "organisation"}:
            speakers.paragraph_speaker[para] = speaker


def _labelled_paragraphs(scan: _Scan) -> None:
    """`NAME: words` paragraphs (headlines, transcripts, interview answers)."""
    for n, paragraph in enumerate(scan.paragraphs):
        labelled = _labelled(scan.text, paragraph, scan.speakers, headline=n == 0)
        if labelled is None:
            continue
        content, speaker, colon = labelled
        owned = [r for r in scan.regions if r.paragraph == n and r.frame is None and r.speaker is None]
        covering = [r for r in owned if len(r.quoted.inner) >= DIRECT_SHARE * len(content)]
        for r in owned:
            r.speaker = speaker
        if not covering:
            scan.found.append(_Found(content, "indirect", speaker, ":", colon))


def _cues_beside(scan: _Scan) -> None:
    """Quoted regions with a cue beside them in their sentence (`“...,” X said`, `X said: “...”`),
    else a signature after them (`“...” ― X`)."""
    text, doc, paragraphs, sentence_of = scan.text, scan.doc, scan.paragraphs, scan.sentence_of
    frames_by_sentence: dict[int, list[Frame]] = {}
    for frame in scan.frames:
        frames_by_sentence.setdefault(frame.sentence, []).append(frame)
    for region in scan.regions:
        if region.frame is not None:
            continue
        quoted = region.quoted
        first = scan.token_at(quoted.outer.start)
        last = scan.token_at(quoted.outer.end - 1)
        sents = {sentence_of[last], sentence_of[first]}
        following = _next_sentence_cues(scan, region, sents, frames_by_sentence)
        beside = _adjacent_frame(quoted, sents, frames_by_sentence, following)
        opener = introducer(doc, first, sentence_of[first]) if doc else None
        if opener is not None and (beside is None or _opens_instead(opener, beside, quoted)):
            beside = opener
        ends_open = text[quoted.inner.start : quoted.inner.end].rstrip(CLOSING_CHARS)[-1:] in _OPEN_END
        if beside is None and doc and ends_open:
            # `“...,” an angry Hollande retaliated.`
            beside = closer(doc, scan.token_at(quoted.outer.end - 1) + 1, sentence_of[last])
        if beside is None and first > 0 and region.speaker is None:
            # `Ilse Varga agreed. “The island cannot wait ...”`: a sentence that ends on
            # its speaker's cue introduces the quote right after it
            beside = _ends_on_cue(scan, region, frames_by_sentence.get(sentence_of[first - 1], []))
        if (
            beside is None
            and region.paragraph > 0
            and quoted.outer.start == paragraphs[region.paragraph].start
        ):
            # `X declared:` closing one paragraph, the quote opening the next
            closing = scan.token_at(paragraphs[region.paragraph - 1].end - 1)
            if doc[closing].text == ":":
                beside = introducer(doc, closing + 1, sentence_of[closing])
        if beside is not None:
            region.frame = beside
            region.speaker = _frame_speaker(scan.speakers, beside, region.paragraph)
        elif region.speaker is None:
            signed = _signed(text, quoted, paragraphs[region.paragraph], scan.speakers)
            region.speaker = signed or _named_before_colon(scan, region)


def _named_before_colon(scan: _Scan, region: _Region) -> Speaker | None:
    """`Here's Ana Ruiz in June 2014: “...”`, `TURNOUT UP - Ivo Brandt: “...”`: a quote that a colon
    introduces, with no cue, is the person named in the few words before the colon."""
    text, para = scan.text, scan.paragraphs[region.paragraph]
    colon = region.quoted.outer.start - 1
    while colon > para.start and text[colon].isspace():
        colon -= 1
    if colon < para.start or text[colon] != ":":
        return None
    lead = text[max(para.start, colon - COLON_LEAD_CHARS) : colon]
    mention = scan.speakers.mention_in(colon - len(lead), colon)
    if mention is None or mention.label != "PERSON":
        return None
    between = text[mention.span.end : colon]
    if _words(between) > COLON_LEAD_WORDS or re.search(r"[.!?\u201c\u201d\"]", between):
        return None
    return _mention_speaker(mention, mention.span, mention.text)


def _ends_on_cue(scan: _Scan, region: _Region, frames: list[Frame]) -> Frame | None:
    """The cue of the sentence right before a quote, in its paragraph, when that sentence ends
    on it with no words said of its own (`X agreed.`, `Or maybe the ferry, Y says.`)."""
    start = region.quoted.outer.start
    for frame in reversed(frames):
        if (
            frame.bare
            and frame.source is not None
            and scan.doc[scan.token_at(frame.cue.start)].dep_ in {"ROOT", "parataxis"}
            and frame.cue.end <= start
            and scan.paragraph_of(frame.cue.start) == region.paragraph
            and _CUE_ENDS.fullmatch(scan.text, frame.cue.end, start) is not None
        ):
            return frame
    return None


def _next_sentence_cues(
    scan: _Scan, region: _Region, sents: set[int], frames_by_sentence: dict[int, list[Frame]]
) -> list[Frame]:
    """`“Out!” the crowd yelled.`: the parser may end the sentence at the closing mark; a
    cue among the first words of the next sentence, right after the mark, is the quote's."""
    doc = scan.doc
    end = region.quoted.outer.end
    after = scan.token_at(end) + 1
    if after >= len(doc) or not doc[after - 1].idx < end <= doc[after].idx:
        return []
    nxt = scan.sentence_of[after]
    if nxt in sents or scan.paragraph_of(doc[after].idx) != region.paragraph:
        return []
    if scan.text[end : doc[after].idx].strip(" ,"):
        return []
    # a cue with its own content after it (`X added that ...`) says something else
    # (or further on, where the whole sentence is its speaker and the cue: `“...!” Scott's
    # niece, state Del. Marcia Price, shouted to the crowd.`)
    return [
        f
        for f in frames_by_sentence.get(nxt, [])
        if (f.bare or f.content.end <= f.cue.start)
        and (
            scan.token_at(f.cue.start) - after <= NEXT_SENTENCE_CUE
            or (f.bare and f.source is not None and f.source.left_edge.i == after)
        )
    ]


def _region_quotes(scan: _Scan) -> None:
    """Each quoted region as its speaker's quote: pieces of one quote split by its attribution
    joined, lists of quoted fragments joined; a region with no speaker yet is a continuation of
    the one before, else a scare quote, term or title that nobody says (`scan.unsaid`); so are a
    heading's repeats of a quote of the body."""
    text, regions, paragraphs = scan.text, scan.regions, scan.paragraphs
    repeated = _repeated_quotes(text, regions, paragraphs)
    last_by_paragraph = _last_speakers(scan.found, scan.paragraph_of)
    merged: set[int] = set()
    unsaid = scan.unsaid
    for n, region in enumerate(regions):
        if n in merged:
            continue
        quoted = region.quoted
        inner = _strip(text, quoted.inner if region.turn is None else Span(region.turn, quoted.inner.end))
        if len(inner) == 0 or n in repeated:
            unsaid.append(quoted.outer)
            continue
        parts: list[Span] = []
        nxt = _interrupted(scan, n)
        if nxt is not None and not _joined(text, region, regions[nxt]):
            # kept apart, B is still X's: `“I would,” Melanie said to the TV. “I would, Donald.”`
            if regions[nxt].speaker is None:
                regions[nxt].speaker = region.speaker
            nxt = None
        if nxt is not None:
            # “A,” X said. “B”: one quote, interrupted by its attribution (as annotators mark it);
            # `parts` keeps the quoted pieces so the attribution is not shown as quoted words
            second = _strip(text, regions[nxt].quoted.inner)
            parts = [inner, second]
            inner = Span(inner.start, second.end)
            merged.add(nxt)
        if region.frame is not None and region.frame.bare and region.kind == "direct" and nxt is None:
            # `went on about “how the system is rigged,” and “wounded American families” and “our
            # own struggling citizens,”`: a list of quoted fragments is one quote
            k = n + 1
            while (
                k < len(regions)
                and regions[k].paragraph == region.paragraph
                and regions[k].frame in (None, region.frame)
                and _LIST_GAP.fullmatch(text, regions[k - 1].quoted.outer.end, regions[k].quoted.outer.start)
            ):
                parts = parts or [inner]
                parts.append(_strip(text, regions[k].quoted.inner))
                merged.add(k)
                k += 1
            if parts:
                inner = Span(inner.start, parts[-1].end)
        if _show_title(text, quoted, inner) or _STAGE_DIRECTION.fullmatch(text[inner.start : inner.end]):
            unsaid.append(quoted.outer)
            continue  # `on NBC's “Meet the Press”`, a transcript's `(CROSSTALK)`: words nobody said
        if region.speaker is None:
            if not _speech_like(text, quoted, inner, paragraphs[region.paragraph]):
                unsaid.append(quoted.outer)
                continue  # a term, title, nickname or scare quote: nobody says it
            # someone's sentences with no cue, signature or earlier speaker: still a quote, of
            # a speaker the article does not name here
            continued = _continuation(region.paragraph, last_by_paragraph)
            if continued is None and quoted.outer.start == paragraphs[region.paragraph].start:
                continued = _across_aside(region.paragraph, last_by_paragraph, paragraphs, scan.speakers)
            region.speaker = continued or Speaker(None, "unknown")
        own = region.frame
        paragraph = paragraphs[region.paragraph]
        chained = own is not None and region.kind == "direct" and _chained(quoted, paragraph)
        scan.found.append(
            _Found(
                inner,
                region.kind,
                region.speaker,
                own.cue_text if own else None,
                own.cue if own else None,
                own,
                parts,
                chained=chained,
            )
        )
        _note_last(
            last_by_paragraph, region.paragraph, inner, own.cue if own is not None else None, region.speaker
        )


def _rescorer_view(scan: _Scan) -> tuple[Context, list[Item]]:
    """The rules' quotes as the rescorer (`rescore.py`) reads them."""
    context = Context(scan.text, scan.doc, scan.ranges, scan.token_starts)
    items = [
        Item(
            f.span,
            f.kind,
            f.speaker.how,
            f.frame,
            f.cue_span,
            scan.paragraphs[scan.paragraph_of(f.span.start)],
            f.speaker.name is not None,
        )
        for f in scan.found
    ]
    return context, items


def _add_tagged(scan: _Scan, tagger: Tagger, extents: Model | None) -> None:
    """The tagger's reading: with `extents`, a quote takes the tagger's extent where that model
    trusts it over the rules'; what the tagger is sure was said where nothing was found is added."""
    doc, lexicon = scan.doc, scan.lexicon
    reading = tagger.read(doc, lexicon, [(f.span, f.kind) for f in scan.found])
    if extents is not None:
        scan.found = _retagged(scan.text, doc, scan.found, reading, extents)
    extra = tagger.extra(doc, lexicon, [(f.span, f.kind) for f in scan.found], reading)
    scan.found += _tagged(scan, extra)
    scan.found.sort(key=lambda f: (f.span.start, -f.span.end))


def _numbered(article: Article, found: list[_Found]) -> list[tuple[Quote, Frame | None]]:
    return [(_quote(article, i, f), f.frame) for i, f in enumerate(found, start=1)]


def _chained(quoted: Quoted, paragraph: Span) -> bool:
    """A paragraph of a multi-paragraph quote that the rescorer must not read alone: one that goes on
    from the paragraph before, or a whole paragraph of quoted words whose cue comes in a later one
    (`“The union is engaged in a fair fight.` ¶ `“We are sure ...,” the minister added.`)."""
    return quoted.continued or (quoted.continues and quoted.outer.start == paragraph.start)


def _within_chain(f: _Found, span: Span | None) -> Span | None:
    """The rescorer's pick for `f`, but a paragraph of a multi-paragraph quote keeps its own words:
    the model reads it without its cue, so it would drop it or take the frame's content instead."""
    if f.chained and (span is None or not f.span.contains(span)):
        return f.span
    return span


def _tagged(scan: _Scan, extra: list[tuple[int, int]]) -> list[_Found]:
    """The tagger's extra contents (token ranges) as indirect quotes. The speaker is the subject of
    the verb the content hangs on (`the candidates are seen as a circus` hangs on `seen`), where it
    has one outside the content; else who its sentence is about before it (`_opening_speaker`);
    else the one this paragraph's (or the previous one's) quotes end with. Nothing that lies
    within quoted words the rules left out as `unsaid` is added back."""
    text, doc, unsaid, speakers = scan.text, scan.doc, scan.unsaid, scan.speakers
    last_by_paragraph = _last_speakers(scan.found, scan.paragraph_of)
    out: list[_Found] = []
    for i, j in extra:
        span = _strip(text, nlp.token_chars(doc, i, j))
        if len(span) == 0 or any(u.contains(span) for u in unsaid):
            continue  # (a heading's copy of a quote, a title, a scare quote: not said here)
        para = scan.paragraph_of(span.start)
        head = next((t for t in doc[i:j] if not i <= t.head.i < j), doc[i])
        if head.dep_ in {"nsubj", "nsubjpass"} and _only_unsaid(text, span, unsaid):
            continue  # the narrator's scare-quoted subject: `The “reform” has been debated`
        cue = head.head if head.head.i != head.i else None
        # up from a preposition or noun to its verb (`boasted [of] his skills`)
        for _ in range(3):
            if cue is None or cue.pos_ in {"VERB", "AUX"} or cue.head.i == cue.i or i <= cue.head.i < j:
                break
            cue = cue.head
        source = subject_of(cue) if cue is not None else None
        if source is not None and cue is not None and _undergoes(source, cue.idx):
            speaker = Speaker(None, "unknown")
        elif source is not None and not i <= source.i < j:
            speaker = speakers.speaker_at(source, para)
        else:
            speaker = (
                _opening_speaker(doc, i, speakers, para)
                or _continuation(para, last_by_paragraph)
                or Speaker(None, "unknown")
            )
        verb = cue if cue is not None and cue.pos_ == "VERB" else None
        cue_span = Span(verb.idx, verb.idx + len(verb.text)) if verb is not None else None
        out.append(_Found(span, "indirect", speaker, verb.text if verb is not None else None, cue_span))
    return out


def _only_unsaid(text: str, span: Span, unsaid: list[Span]) -> bool:
    """Whether `span` is a term the rules left unsaid and a determiner: `The “reform”`."""
    inside = [u for u in unsaid if span.contains(u)]
    if not inside:
        return False
    rest = text[span.start : inside[0].start] + " " + text[inside[-1].end : span.end]
    return all(w.lower() in _DETERMINERS for w in _WORD.findall(rest))


def _retagged(text: str, doc: Doc, found: list[_Found], reading: Reading, model: Model) -> list[_Found]:
    """The quotes with the tagger's extent where `model` trusts it over the rules' (taken as the
    rescorer's picks are: `_rescored`), e.g. `the “ferry first” pledge` where the rules had the
    quoted words alone."""
    rows = extent_rows(doc, text, reading, [(f.span, f.kind) for f in found])
    if not rows:
        return found
    chosen = model.score(np.array([x for _, _, x in rows], np.float32))
    spans: list[Span | None] = [f.span for f in found]
    for (n, (i, j), _), prob in zip(rows, chosen, strict=True):
        own = found[n].frame
        if prob >= model.cutoff:
            span = _strip(text, nlp.token_chars(doc, i, j))
            if own is not None and own.setting_cut and span.end > found[n].span.end:
                continue  # (the rules ended it before where it was said, on purpose)
            if len(span):
                spans[n] = span
    out = _rescored(text, found, spans)
    _close_marks(text, out)
    return out


def _close_marks(text: str, found: list[_Found]) -> None:
    """Balance the quotation marks of the quotes that are not direct ones (see `_closed`)."""
    for f in found:
        if f.kind != "direct":
            f.span = _closed(text, f.span)


def _opening_speaker(doc: Doc, i: int, speakers: Speakers, paragraph: int) -> Speaker | None:
    """Who token `i`'s sentence is about before it: the first subject of a verb there, else the
    first person or organisation named there (a headline the parser reads as one noun phrase:
    `Mayor Lopez Blasts Board for Ignoring Ferry`). A subordinate clause's subject (`When Lopez
    arrived, ...`) is not who the sentence is about."""
    s0 = doc[i].sent.start
    for t in doc[s0:i]:
        if (
            t.dep_ in {"nsubj", "nsubjpass"}
            and t.pos_ in {"PROPN", "NOUN", "PRON"}
            and t.head.i < i
            and t.head.dep_ not in {"advcl", "relcl", "acl"}
        ):
            return speakers.speaker_at(t, paragraph)
    named = [
        m
        for m in speakers.mentions_before(doc[i].idx)
        if m.span.start >= doc[s0].idx and m.label in {"PERSON", "ORG"}
    ]
    return _mention_speaker(named[-1], named[-1].span, named[-1].text) if named else None


def _rescored(text: str, found: list[_Found], spans: list[Span | None]) -> list[_Found]:
    """The quotes with the spans the model chose, without the dropped ones and repeats.

    A quote whose chosen span is the clause around its quoted words (`called the plan “a
    disaster”`) stays as it is, a partial quote inside a new indirect one of the same speaker over
    that clause; a span across the quote's edge makes the quote an indirect one over that span.
    A span that only adds the quotation marks is the quote itself, not a second one; of two
    overlapping quotes with the same words, one stays (the direct one).
    """
    out: list[_Found] = []
    seen: dict[str, list[int]] = {}  # a quote's words -> where they are in `out`

    def add(f: _Found) -> None:
        key = _norm(text[f.span.start : f.span.end])
        for k in seen.get(key, []):
            if out[k].span.overlaps(f.span):
                if f.kind == "direct" and out[k].kind != "direct":
                    out[k] = f
                return
        seen.setdefault(key, []).append(len(out))
        out.append(f)

    for f, span in zip(found, spans, strict=True):
        if span is None:
            continue
        if _norm(text[span.start : span.end]).removeprefix("that ") == _norm(text[f.span.start : f.span.end]):
            span = f.span  # (`that “A”` is the quote A, not reported speech around it)
        if span != f.span and f.kind != "indirect" and span.contains(f.span):
            add(_Found(span, "indirect", f.speaker, f.cue, f.cue_span, f.frame))
            f.kind = "partial"
        elif f.kind != "indirect" and not f.span.contains(span):
            # across the quote's edge (`call them “lone wolves`): reported words with a quote in them
            f.span, f.kind, f.parts = span, "indirect", []
        elif span != f.span:
            parts = [
                Span(max(p.start, span.start), min(p.end, span.end)) for p in f.parts if p.overlaps(span)
            ]
            f.parts = parts if len(parts) > 1 else []
            f.span = span
        add(f)
    out.sort(key=lambda f: (f.span.start, -f.span.end))
    return out


def _around(text: str, content: Span, cue: Span) -> list[Span]:
    """The words on either side of an attribution set off by commas or dashes inside its content
    (`The deal, officials said, is dead`), so the aside is not shown as what was said; else no
    parts."""
    if not (content.start < cue.start and cue.end < content.end):
        return []
    before = list(_ASIDE_MARK.finditer(text, content.start, cue.start))
    after = _ASIDE_MARK.search(text, cue.end, content.end)
    if not before or after is None:
        return []
    parts = [
        _strip(text, Span(content.start, before[-1].start())),
        _strip(text, Span(after.end(), content.end)),
    ]
    return parts if all(len(p) for p in parts) else []


def _closed(text: str, span: Span) -> Span:
    """The span with balanced quotation marks: the closing mark of a quote it opens last (`said
    it was “a disaster.”`, `«un désastre.»`, `„eine Katastrophe.“`), and the opening mark of one
    it starts inside (`promised “Peace,” “Order” and ...`); the parse often leaves them out."""
    start, end = span.start, span.end
    if start > 0 and text[start - 1] == '"' and text[start].isalnum():
        # straight marks, the span starting inside a quote: an odd count in the span, or an even
        # one with a mark right after it too (`"A," "B" and "C."` cut to `A," "B" and "C`)
        odd = text.count('"', start, end) % 2 == 1
        tail = _closing_end(text, end, '"')
        if odd or tail is not None:
            start -= 1
        if not odd and tail is not None:
            end = tail
    opened: str | None = None  # the opening mark of a quote still open at this point
    seen = False  # a mark has been read
    for ch in text[start:end]:
        if opened is None:
            # the first mark closing a quote opened right before the span comes first: German `“`
            # closes `„` though it opens an English quote
            if not seen and start > 0 and ch in CLOSERS.get(text[start - 1], ""):
                start -= 1
            elif ch in CLOSERS:
                opened = ch
            seen = seen or ch in DOUBLE_MARKS
        elif ch in CLOSERS[opened]:
            opened = None
    if opened is not None:
        end = _closing_end(text, end, CLOSERS[opened]) or end
    return Span(start, end)


def _closing_end(text: str, pos: int, closers: str) -> int | None:
    """Where a closing mark among `closers` at `pos` ends, after at most two of `.,!?`, if one is there."""
    k = pos
    while k < len(text) and k - pos < 2 and text[k] in ".,!?":
        k += 1
    return k + 1 if k < len(text) and text[k] in closers else None


def _quote(article: Article, n: int, f: _Found) -> Quote:
    return Quote(
        id=f"{article.id}:q{n}",
        article=article.id,
        span=f.span,
        text=article.text[f.span.start : f.span.end],
        kind=f.kind,
        speaker=f.speaker,
        cue=f.cue,
        cue_span=f.cue_span,
        parts=f.parts,
    )


def _top_level(quoted: list[Quoted], para_starts: list[int]) -> list[_Region]:
    """Regions not nested in another (a quote within a quote belongs to the outer speaker)."""
    out: list[_Region] = []
    end = -1
    for q in quoted:
        if q.outer.start < end:
            continue
        end = q.outer.end
        out.append(_Region(q, _index_at(para_starts, q.outer.start)))
    return out


def _in_region(regions: list[_Region], region_starts: list[int], pos: int) -> bool:
    """Whether `pos` is inside one of `regions` (starting at `region_starts`)."""
    k = bisect_right(region_starts, pos) - 1
    return k >= 0 and regions[k].quoted.outer.start <= pos < regions[k].quoted.outer.end


def _tighter(frame: Frame, held: Frame | None) -> bool:
    """Whether `frame` is a quote's own frame rather than `held`, the one it has: the first found, or
    a shorter content that is not a mere clause inside what `held` reports (`_reported_within`)."""
    if held is None:
        return True
    return len(frame.content) < len(held.content) and not _reported_within(held, frame)


def _reported_within(outer: Frame | None, inner: Frame) -> bool:
    """Whether `inner` is a clause inside what `outer` reports and not itself speech: in `The mayor
    said the coach shows “real passion for the game”` the quoted words are the mayor's (a partial
    quote of his), the coach only `shows` them; `The mayor said the coach told players “...”` stays
    the coach's."""
    if outer is None or not outer.content.start <= inner.cue.start < outer.content.end:
        return False
    return inner.lemma not in SAYING


def _frame_speaker(speakers: Speakers, frame: Frame, paragraph: int) -> Speaker:
    if frame.source is None or _undergoes(frame.source, frame.cue.start):
        return Speaker(None, "unknown")
    return speakers.speaker_at(frame.source, paragraph)


def _undergoes(source: Token, cue_start: int) -> bool:
    """The source is the passive subject of the cue itself, so someone else did the saying: `The
    bridge is expected to reopen`, `He was told that ...` (PolNeAR marks no source for these); but
    not `X was quoted as saying` or `X was troubled by ...`."""
    return (
        source.dep_ == "nsubjpass"
        and source.head.idx == cue_start
        and lemma_of(source.head) not in _SPEAKING_PASSIVES
    )


# passives whose subject is who spoke (`X was quoted as saying`, `was heard shouting`), or who was
# moved to a view (`Ilse Varga was troubled by the state of the accounts`)
_SPEAKING_PASSIVES = frozenset({"quote", "hear", "overhear", "record", "cite", "catch"}) | MOVED


def _adjacent_frame(
    q: Quoted, sents: set[int], by_sentence: dict[int, list[Frame]], extra: list[Frame] | None = None
) -> Frame | None:
    """A frame whose cue sits outside the quote in the sentence of its opening or closing mark
    (or among `extra`, cues that open the next sentence)."""
    candidates: list[tuple[int, Frame]] = []
    for frame in [f for sent in sents for f in by_sentence.get(sent, [])] + (extra or []):
        if q.outer.start <= frame.cue.start < q.outer.end or _in_source(q, frame):
            continue
        gap = (
            frame.cue.start - q.outer.end if frame.cue.start >= q.outer.end else q.outer.start - frame.cue.end
        )
        candidates.append((gap, frame))
    if not candidates:
        return None
    return min(candidates, key=lambda c: c[0])[1]


def _in_source(q: Quoted, frame: Frame) -> bool:
    """Whether the quoted words are inside the frame's source phrase, not what it says: in the
    narrator's `The “reform” has been debated for months` the scare-quoted subject says nothing."""
    if frame.source is None:
        return False
    first, last = frame.source.left_edge, frame.source.right_edge
    # (the phrase must start before the quote: a parse that hangs a whole `“...,” X said` on X
    # gives X a subtree that starts at the quote)
    return first.idx < q.outer.start and q.inner.end <= last.idx + len(last.text)


def _labelled(
    text: str, para: Span, speakers: Speakers, headline: bool = False
) -> tuple[Span, Speaker, Span] | None:
    """`Trey Gowdy: Benghazi probe ...`, `CLINTON: Honestly, ...`: a paragraph led by its speaker.

    In the `headline` (the article's first paragraph) any short label but a kicker is a speaker
    (`Poll: Smith leads`, `Clinton camp: ...`): headlines attribute that way.
    """
    m = _LABEL.match(text, para.start, para.end)
    if m is None:
        return None
    label = Span(m.start(1), m.end(1))
    colon = Span(m.end(1), m.end(1) + 1)
    content = _strip(text, Span(m.end(), para.end))
    if _words(text[content.start : content.end]) < 3:
        return None
    words = text[label.start : label.end]
    if words.isupper() and len(words.split()) <= 3:  # a transcript's speaker label: `CLINTON:`
        if words.lower() in _KICKERS:  # `BREAKING: ...` names nobody
            return None
        return content, _turn_speaker(speakers, text, label), colon
    mention = speakers.mention_in(label.start, label.end)
    if mention is not None and mention.span.end >= label.end - 1:
        return content, _mention_speaker(mention, label, words), colon
    if headline and len(words.split()) <= HEADLINE_LABEL_WORDS and words.lower() not in _KICKERS:
        if mention is not None:
            return content, _mention_speaker(mention, label, words), colon
        person = _person_named(speakers, words)
        if person is not None:  # `Trump: ...` where the recogniser missed the name
            return content, Speaker(person, "named", label, words), colon
        if _named_label(words, text[content.start : content.end]):
            return content, Speaker(None, "description", label, words), colon
    return None


def _named_label(label: str, content: str) -> bool:
    """A headline label with no entity in it still names a speaker: a speaking noun (`GOP
    insiders`), one capitalised word (`Milbank`, `Obama on Climate Change`), or a capitalised last
    word where the headline is not in title case."""
    head = label.split(" on ")[0].split()
    if head[-1].lower() in _SPEAKING_LABELS or (len(head) == 1 and head[0][:1].isupper()):
        return True
    title_case = all(w[:1].isupper() for w in content.split() if len(w) > 3 and w[:1].isalpha())
    return head[-1][:1].isupper() and not title_case


def _mention_speaker(mention: EntityMention, span: Span, words: str) -> Speaker:
    """The person (or else organisation) an entity mention names, met at `span` as `words`."""
    how = "named" if mention.label == "PERSON" else "organisation"
    return Speaker(mention.canonical, how, span, words)  # type: ignore[arg-type]


def _signed(text: str, q: Quoted, para: Span, speakers: Speakers) -> Speaker | None:
    """The speaker a quote is signed with: `“...” ― Sonya Herridge`, `“...” – @realDonaldTrump`."""
    m = _SIGNED.match(text, q.outer.end, para.end)
    if m is None:
        return None
    handle = m.group(1)
    if handle is not None:
        span = Span(m.start(1), m.end(1))
        key = handle.lower()
        people = [p for p in speakers.people if p.split()[-1].lower() in key]
        name = people[0] if len(people) == 1 else handle
        return Speaker(name, "named", span, handle)
    span = Span(m.start(2), m.end(2))
    words = text[span.start : span.end].rstrip(".")
    span = Span(span.start, span.start + len(words))
    mention = speakers.mention_in(span.start, span.end)
    if mention is not None and mention.span.end >= span.end - 1:
        if mention.label not in {"PERSON", "ORG", "NORP"}:
            return None  # `“...” — New York, 2016`: a place or date line, not a signature
        return _mention_speaker(mention, span, words)
    if len(words.split()) < 2:  # one capitalised word is as likely a place or a brand
        person = _person_named(speakers, words)
        return Speaker(person, "named", span, words) if person else None
    return Speaker(words, "named", span, words)


def _turn_speaker(speakers: Speakers, text: str, label: Span) -> Speaker:
    """The speaker a transcript label names: `PENCE` -> Mike Pence when the article names him."""
    words = text[label.start : label.end]
    mention = speakers.mention_in(label.start, label.end)
    how = "organisation" if mention is not None and mention.label == "ORG" else "named"
    name = mention.canonical if mention is not None and mention.label in {"PERSON", "ORG"} else None
    if name is None or name.isupper():  # an all-caps label is no canonical name: `WALLACE`
        person = _person_named(speakers, words)
        if person is not None:  # (the recogniser may take `TRUMP` for an organisation)
            name, how = person, "named"
        name = name or words
    name = name.title() if name.isupper() and how == "named" else name
    return Speaker(name, how, label, words)  # type: ignore[arg-type]


def _person_named(speakers: Speakers, label: str) -> str | None:
    """The one person of the article whose name ends with the label's last word (`Trump`); an
    all-caps name is a transcript label itself, not a person's name."""
    last = label.split()[-1].lower()
    found = {p for p in speakers.people if p.split()[-1].lower() == last and not p.isupper()}
    return found.pop() if len(found) == 1 else None


def _speech_like(text: str, q: Quoted, inner: Span, para: Span) -> bool:
    """A cue-less quote that reads as someone's sentences, not a term, title or nickname.

    It has a few words, opens its sentence (or the paragraph) with a capital letter, and is not
    in title case ("The Rachel Maddow Show").
    """
    words = text[inner.start : inner.end].split()
    if len(words) < MIN_SPEECH_WORDS:
        return False
    before = text[para.start : q.outer.start].rstrip()
    first = next((c for c in text[inner.start : inner.end] if c.isalnum()), "")
    opens = (not before or before[-1] in '.!?:\u201d"\u2014') and (first.isupper() or first.isdigit())
    if not opens and len(words) < LONG_QUOTE_WORDS:
        return False
    capitalised = sum(1 for w in words if w[:1].isupper())
    return capitalised < 0.8 * len(words) or text[inner.end - 1 : inner.end] in {".", "!", "?"}


def _nickname(text: str, q: Quoted, para: Span) -> bool:
    """`Marcia "Cia" Price`: a quoted word inside a name, outside a title-case paragraph."""
    if not q.double or _NICKNAME.fullmatch(text, q.outer.start, q.outer.end + 3) is None:
        return False
    if _NAME_BEFORE.search(text[max(para.start, q.outer.start - 30) : q.outer.start]) is None:
        return False
    words = [w for w in _WORD.findall(text[para.start : para.end]) if len(w) > 3]
    return sum(1 for w in words if w[0].isupper()) < 0.6 * len(words)


def _show_title(text: str, q: Quoted, inner: Span) -> bool:
    """A title-case name right after a possessive or `on`: a programme, book or publication
    (`on CNN's “State of the Union”`, `his book “The Art of the Deal”`), whatever cue is near."""
    words = _WORD.findall(text[inner.start : inner.end])
    if not 0 < len(words) <= TITLE_WORDS or text[inner.end - 1 : inner.end] in {"!", "?"}:
        return False
    if not _TITLE_BEFORE.search(text[max(0, q.outer.start - 12) : q.outer.start].rstrip()):
        return False
    return words[0][0].isupper() and all(w[0].isupper() or w.lower() in _TITLE_SMALL for w in words)


def _opens_instead(opener: Frame, frame: Frame, q: Quoted) -> bool:
    """Whether the clause that introduces quote `q` (`Rubio fired back: “...”`) owns it rather than
    `frame`, a cue earlier in the sentence (`When Trump suggested that ..., Rubio fired back: “...”`):
    it does when it stands between that cue and the quote, outside what that cue reports
    (in `Trump said Rubio was wrong: “...”`, `was` is inside what Trump said: the quote stays his)."""
    return (
        frame.cue.end <= q.outer.start
        and frame.cue.start < opener.cue.start
        and not frame.content.start <= opener.cue.start < frame.content.end
    )


def _touches(text: str, q: Quoted, frame: Frame) -> bool:
    """The quote ends just before its cue (`,” X said`) or starts just after it (`said: “`)."""
    content = frame.content
    if q.outer.end <= frame.cue.start and q.outer.start <= content.start + 2 < frame.cue.start:
        # (a content after the cue, `.” X added that ...`, is another statement, not this quote)
        return _NEAR_BEFORE.fullmatch(text[q.outer.end : frame.cue.start]) is not None
    if frame.cue.end <= q.outer.start and q.outer.end >= content.end - 2:
        # `told reporters that if he wins, “...”`: the reported clause starts before the quote,
        # so the quote is a partial one inside it, not the whole of what was said
        lead = [w for w in _WORD.findall(text[content.start : q.outer.start]) if w.lower() != "that"]
        if len(lead) > 1:
            return False
        return _NEAR_AFTER.fullmatch(text[frame.cue.end : q.outer.start]) is not None
    return False


def _interrupted(scan: _Scan, n: int) -> int | None:
    """The next region when region n is "A," X said. "B" with B a cue-less quote right after."""
    text, regions = scan.text, scan.regions
    region = regions[n]
    frame = region.frame
    if frame is None or region.kind != "direct" or frame.cue.start < region.quoted.outer.end:
        return None
    k = n + 1
    titles: list[Span] = []
    while (
        k < len(regions)
        and frame.cue.end <= regions[k].quoted.outer.start
        and _show_title(text, regions[k].quoted, regions[k].quoted.inner)
    ):
        titles.append(regions[k].quoted.outer)  # `,” he said on “Meet the Press.” “B”`
        k += 1
    if k >= len(regions):
        return None
    nxt = regions[k]
    if nxt.paragraph != region.paragraph or (nxt.frame is not None and nxt.frame is not frame):
        return None
    if not (region.quoted.outer.end <= frame.cue.start < nxt.quoted.outer.start):
        return None
    # only the attribution between the two: `,” X said. “` or `,” X said, “`
    gap = text[frame.cue.end : nxt.quoted.outer.start]
    for title in titles:  # (a programme's name in it is the narrator's words, and so is a full
        # stop inside its closing mark: `on “Meet the Press.” “B”`)
        a, b = title.start - frame.cue.end, title.end - frame.cue.end
        end = b - 1
        while end > a and gap[end] in CLOSING_CHARS:
            end -= 1
        stop = gap[end] if gap[end] in ".,:;" else "x"
        gap = gap[:a] + "x" * (b - a - 1) + stop + gap[b:]
    gap = _abbreviations_masked(scan, frame.cue.end, gap)
    if not _ATTRIBUTION_GAP.fullmatch(gap) or _SECOND_CUE.search(gap):
        return None  # (`,” X said, adding: “B”` introduces B as a second statement)
    return k


def _abbreviations_masked(scan: _Scan, start: int, words: str) -> str:
    """`words` (the text from `start`) with the full stops inside a word masked: those of `Sen.`,
    `Mr.`, `D-Md.` or `D.C.` end no sentence (the parser keeps them in their word)."""
    doc, chars = scan.doc, list(words)
    i = bisect_left(scan.token_starts, start)
    while i < len(doc) and doc[i].idx < start + len(words):
        tok = doc[i]
        if len(tok) > 1 and any(c.isalpha() for c in tok.text):
            for m, c in enumerate(tok.text):
                if c == "." and 0 <= tok.idx + m - start < len(chars):
                    chars[tok.idx + m - start] = "_"
        i += 1
    return "".join(chars)


def _joined(text: str, region: _Region, nxt: _Region) -> bool:
    """Whether "A," X said. "B" is one quote: an attribution that outweighs the quoted words
    (`,” X said in ..., recalling ... “`) keeps the pieces apart, so a quote is not mostly narration."""
    gap = _words(text[region.quoted.outer.end : nxt.quoted.outer.start])
    quoted = _words(text[region.quoted.inner.start : region.quoted.inner.end]) + _words(
        text[nxt.quoted.inner.start : nxt.quoted.inner.end]
    )
    return gap <= GAP_SHARE * quoted


def _link_chains(regions: list[_Region]) -> None:
    """Give every paragraph of a multi-paragraph quote the speaker found for any of them."""
    n = 0
    while n < len(regions):
        chain = [n]
        while regions[chain[-1]].quoted.continues and chain[-1] + 1 < len(regions):
            nxt = chain[-1] + 1
            if regions[nxt].paragraph != regions[chain[-1]].paragraph + 1:
                break
            chain.append(nxt)
        # each paragraph takes the speaker of the latest one before it that has one (a transcript
        # changes speaker mid-chain), the first ones that of the first with a speaker
        owner = next((regions[k] for k in chain if regions[k].speaker is not None), None)
        for k in chain:
            if regions[k].speaker is not None:
                owner = regions[k]
            elif owner is not None:
                regions[k].speaker = owner.speaker
                regions[k].frame = owner.frame
        n = chain[-1] + 1


def _last_speakers(found: list[_Found], paragraph_of: Callable[[int], int]) -> dict[int, tuple[int, Speaker]]:
    """Each paragraph's last speaker in reading order, among attributions that are not inside
    another's words: in `Her friends mocked him, calling him “a buffoon,” Susan said.` the next
    paragraph's cue-less quote is Susan's, not her friends'. Each with where it ends (its words or
    its cue, whichever is later)."""
    # inside another: an earlier-starting (or as early, longer) span reaches to its end or past it
    nested: set[int] = set()
    reach, previous, previous_nested = -1, None, False
    for k in sorted(range(len(found)), key=lambda k: (found[k].span.start, -found[k].span.end)):
        span = found[k].span
        # the same words twice count as the first did
        if previous_nested if span == previous else span.end <= reach:
            nested.add(k)
        previous_nested = k in nested
        reach, previous = max(reach, span.end), span
    out: dict[int, tuple[int, Speaker]] = {}
    for k, f in enumerate(found):
        if k not in nested:
            _note_last(out, paragraph_of(f.span.start), f.span, f.cue_span, f.speaker)
    return out


def _note_last(
    last: dict[int, tuple[int, Speaker]], para: int, words: Span, cue: Span | None, speaker: Speaker
) -> None:
    """Make `speaker` paragraph `para`'s last one unless another ends later (words or cue)."""
    end = max(words.end, cue.end if cue is not None else 0)
    if end >= last.get(para, (0, speaker))[0]:
        last[para] = (end, speaker)


def _continuation(paragraph: int, last_by_paragraph: dict[int, tuple[int, Speaker]]) -> Speaker | None:
    """The speaker a cue-less quote in `paragraph` continues: this paragraph's, or the previous one's."""
    last = last_by_paragraph.get(paragraph)
    if last is None and paragraph > 0:
        last = last_by_paragraph.get(paragraph - 1)
    if last is None:
        return None
    prev = last[1]
    return Speaker(prev.name, "continuation", prev.mention, prev.mention_text, prev.role)


def _across_aside(
    paragraph: int,
    last_by_paragraph: dict[int, tuple[int, Speaker]],
    paragraphs: list[Span],
    speakers: Speakers,
) -> Speaker | None:
    """The speaker a quote block continues across an aside of the narrator's: `The minister
    pledged backing for the union's “fair demands”.` ¶ `The remark was read as a nod to the
    strike.` ¶ `“The union is ...`. The last speaker of the paragraph before the aside, when the
    aside (at most `ASIDE_PARAGRAPHS` of them) has no speaker and names nobody who could be one."""
    for back in range(2, ASIDE_PARAGRAPHS + 2):
        before = paragraph - back
        if before < 0:
            return None
        aside = paragraphs[before + 1]
        if before + 1 in last_by_paragraph or speakers.mention_in(aside.start, aside.end) is not None:
            return None
        last = last_by_paragraph.get(before)
        if last is not None:
            prev = last[1]
            if prev.how == "unknown":
                return None
            return Speaker(prev.name, "continuation", prev.mention, prev.mention_text, prev.role)
    return None


def _repeated_quotes(text: str, regions: list[_Region], paragraphs: list[Span]) -> set[int]:
    """Quotes in heading-like paragraphs that repeat a quote found in the body."""
    keys = [_norm(text[r.quoted.inner.start : r.quoted.inner.end]) for r in regions]
    headings = [n for n, r in enumerate(regions) if keys[n] and _heading(text, paragraphs[r.paragraph])]
    if not headings:
        return set()
    heading_set = set(headings)
    body = "\n".join(k for n, k in enumerate(keys) if n not in heading_set)
    # a page of nothing but headings is not what this is for: look at the first few only
    return {n for n in headings[:MAX_HEADING_CHECKS] if keys[n] in body}
