"""Who said what: every pattern of the quote issue, on small sentences written for the purpose."""

from __future__ import annotations

import pytest

from storydiff import nlp
from storydiff.extract.cues.frames import find_frames, sentences
from storydiff.extract.entities import extract_mentions
from storydiff.extract.quotes import extract_quotes, rule_quotes
from storydiff.model import Article, OffsetMap, Quote


def quotes_of(text: str) -> list[Quote]:
    article = Article(id="t", raw=text, text=text, offsets=OffsetMap.identity(len(text)))
    doc = nlp.parse(text)
    found = extract_quotes(article, doc, extract_mentions(article, doc))
    for q in found:  # offsets are sacred
        assert q.text == text[q.span.start : q.span.end]
        if q.speaker.mention is not None:
            assert q.speaker.mention_text == text[q.speaker.mention.start : q.speaker.mention.end]
        if q.cue_span is not None and q.cue is not None:
            assert text[q.cue_span.start : q.cue_span.end] == q.cue
    assert [q.id for q in found] == [f"t:q{n}" for n in range(1, len(found) + 1)]
    return found


def one(found: list[Quote], words: str) -> Quote:
    """The quote whose text contains `words` (exactly one)."""
    hits = [q for q in found if words in q.text]
    assert hits, f"no quote contains {words!r}: {[q.text for q in found]}"
    return min(hits, key=lambda q: len(q.text))


def said_by(found: list[Quote], words: str) -> str | None:
    return one(found, words).speaker.name


# --- direct quotes: marks and speaker placement ------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "\u201cWe will build the bridge next year,\u201d Maria Lopez said.",
        '"We will build the bridge next year," Maria Lopez said.',
        "\u201cWe will build the bridge next year,\u201d said Maria Lopez.",
        "Maria Lopez said: \u201cWe will build the bridge next year.\u201d",
        "Maria Lopez replied, \u201cWe will build the bridge next year.\u201d",
        "Maria Lopez said \u00abWe will build the bridge next year.\u00bb",
        "Maria Lopez said \u201eWe will build the bridge next year.\u201c",
    ],
)
def test_direct_quote_with_speaker_before_or_after(text: str) -> None:
    found = quotes_of(text)
    q = one(found, "build the bridge")
    assert q.kind == "direct"
    assert q.text.startswith("We will build the bridge next year")
    assert q.speaker.name == "Maria Lopez" and q.speaker.how == "named"
    assert q.cue in {"said", "replied"}


@pytest.mark.parametrize(
    ("text", "mention"),
    [
        ("''I'm better with my hands than with my head,'' said Jonas Pell, half joking.", "Jonas Pell"),
        ("''The ferry will sail on time,'' said Jonas Pell, half joking.", "Jonas Pell"),
        (
            '"Nobody came to ask us about the fishing quotas," said the harbor master, who like many '
            "on the docks did not want to be named.",
            "the harbor master",
        ),
        (
            '"I\'m not going to say it was a mistake," said retired ferry captain Jonas Pell, asked '
            "about the crossing.",
            "retired ferry captain Jonas Pell",
        ),
    ],
)
def test_speaker_right_after_said_that_the_parser_hangs_elsewhere(text: str, mention: str) -> None:
    # the parse makes the speaker the subject of the next clause (`joking`, `want`, `asked`): it is
    # still who said the quote, and `Jonas Pell, half joking` is nothing he said
    q = next(q for q in quotes_of(text) if q.kind == "direct")
    assert q.speaker.mention_text == mention
    assert not any(q.text.startswith(mention) for q in quotes_of(text))


def test_speaker_in_the_middle_covers_both_halves() -> None:
    text = "\u201cThe talks were useful,\u201d Maria Lopez said. \u201cWe will meet again in May.\u201d"
    found = quotes_of(text)
    assert said_by(found, "The talks were useful") == "Maria Lopez"
    assert said_by(found, "We will meet again in May") == "Maria Lopez"
    # one quote across the attribution, whose parts are only the quoted words
    whole = one(found, "The talks were useful")
    assert [p.of(text) for p in whole.parts] == ["The talks were useful", "We will meet again in May."]
    assert all(whole.span.contains(p) for p in whole.parts)


def test_single_quotes_inside_double_belong_to_the_outer_speaker() -> None:
    found = quotes_of("\u201cThey called it \u2018a disgrace\u2019 on Monday,\u201d Maria Lopez said.")
    assert len(found) == 1 and found[0].speaker.name == "Maria Lopez"


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("Maria Lopez told reporters, \u201cThe bridge will open in May.\u201d", "told"),
        ("Maria Lopez said in a statement: \u201cThe bridge will open in May.\u201d", "said"),
        ("Maria Lopez wrote: \u201cThe bridge will open in May.\u201d", "wrote"),
        ("Maria Lopez was quoted as saying that \u201cthe bridge will open in May.\u201d", "saying"),
        (
            "Maria Lopez signed the order with a short note: \u201cThe bridge will open in May.\u201d",
            "signed",
        ),
    ],
)
def test_cue_forms(text: str, cue: str) -> None:
    q = one(quotes_of(text), "bridge will open")
    assert q.speaker.name == "Maria Lopez"
    assert q.cue == cue


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        # any verb with its subject, right after a quote that leaves its sentence open
        ("\u201cThe ferry will run again in May,\u201d Maria Lopez shrugged.", "shrugged"),
        ("\u201cWill the ferry run again in May?\u201d an angry Maria Lopez glowered at him.", "glowered"),
        # any main verb right before a comma that opens the quote
        ("Later, Maria Lopez grinned, \u201cThe ferry will run again in May.\u201d", "grinned"),
        # not: the verb before the comma is subordinate, or has an object
        ("When Maria Lopez arrived, \u201cthe ferry was already gone for the day.\u201d", None),
        ("Maria Lopez won the vote, \u201cthe ferry was already gone for the day.\u201d", None),
        # not: a dash follows the quote, and the sentence runs on
        ("\u201cThe ferry was gone!\u201d \u2014 the gulls circled over Maria Lopez and the harbour.", None),
    ],
)
def test_any_verb_beside_a_quote_names_its_speaker(text: str, cue: str | None) -> None:
    q = one(quotes_of("Pedro Alves opened the meeting. " + text), "ferry")
    if cue is None:
        assert q.speaker.name != "Maria Lopez" and q.cue in {None, "opened"}
    else:
        assert q.speaker.name == "Maria Lopez" and q.speaker.how == "named" and q.cue == cue


def test_the_clause_that_opens_a_quote_owns_it_over_an_earlier_cue() -> None:
    text = "When Pedro Alves suggested that the ferry would stop, Maria Lopez fired back: "
    q = one(quotes_of(text + "\u201cThe ferry will run again in May.\u201d"), "run again")
    assert q.speaker.name == "Maria Lopez" and q.cue == "fired" and q.kind == "direct"
    # not when that clause is what the earlier cue reports: the quote stays the reporter's
    q = one(
        quotes_of("Pedro Alves said Maria Lopez was wrong: \u201cThe ferry will run again.\u201d"),
        "run again",
    )
    assert q.speaker.name == "Pedro Alves"


def test_according_to() -> None:
    found = quotes_of("According to Maria Lopez, the bridge will open in May.")
    q = one(found, "bridge will open")
    assert q.kind == "indirect" and q.speaker.name == "Maria Lopez" and q.cue == "According to"
    found = quotes_of("The bridge will open in May, according to the city council.")
    assert one(found, "bridge will open").speaker.mention_text == "the city council"
    # the parse takes the clause for an appositive of the name: the name still ends at its comma
    found = quotes_of("According to harbor master Jonas Pell, the plan reeks of \u201cpanic\u201d and haste.")
    q = one(found, "reeks")
    assert q.text == "the plan reeks of \u201cpanic\u201d and haste" and q.speaker.name == "Jonas Pell"
    # not where `according to` does not open the sentence: nothing is cut at a comma in a list
    text = "That's according to members of the Harbor Caucus \u2014 a group of pilots, dockers and skippers."
    assert not any("according to" in q.text for q in quotes_of(text))


def test_according_to_is_not_part_of_the_words_it_attributes() -> None:
    text = (
        "Mayor Maria Lopez said she would have closed the bridge if such a crack had appeared in "
        "her city, according to press reports."
    )
    found = quotes_of(text)
    q = one(found, "she would have closed")
    assert q.speaker.name == "Maria Lopez" and q.text.endswith("in her city")
    assert one(found, "Maria Lopez said she").speaker.mention_text == "press reports"


def test_according_to_leaves_a_linking_word_out_but_not_a_subject() -> None:
    found = quotes_of("But, according to the city council, the bridge will open in May.")
    assert one(found, "bridge will open").text == "the bridge will open in May"
    found = quotes_of("The bridge, according to the city council, will open in May.")
    q = one(found, "will open")
    assert q.text.startswith("The bridge") and q.speaker.mention_text == "the city council"


# --- multi-paragraph quotes and continuations --------------------------------------------------


def test_multi_paragraph_quote_every_paragraph_attributed() -> None:
    text = (
        "Maria Lopez spoke at the opening.\n\n"
        "\u201cThe bridge took four years to build. Nobody thought we could do it.\n\n"
        "\u201cBut we did it, and it cost less than planned,\u201d she said."
    )
    found = quotes_of(text)
    assert said_by(found, "took four years") == "Maria Lopez"
    assert said_by(found, "cost less than planned") == "Maria Lopez"


def test_the_first_paragraph_of_a_quote_whose_cue_comes_later_is_kept() -> None:
    # the cue is in the last paragraph; the first, read alone without it, must not be dropped
    text = (
        "The minister spoke to reporters on Tuesday.\n\n"
        "\u201cThe union is engaged in a fair fight for decent pay.\n\n"
        "\u201cWe are sure the two sides will meet halfway,\u201d the minister added."
    )
    found = quotes_of(text)
    first = one(found, "a fair fight")
    assert first.kind == "direct" and first.speaker.mention_text == "the minister"
    assert said_by(found, "meet halfway") == said_by(found, "a fair fight")


def test_continuation_paragraph_takes_the_previous_speaker() -> None:
    text = (
        "\u201cThe bridge is finished,\u201d Maria Lopez said on Monday.\n\n"
        "\u201cWe are proud of the workers who built it in the cold winter.\u201d"
    )
    q = one(quotes_of(text), "proud of the workers")
    assert q.speaker.name == "Maria Lopez" and q.speaker.how == "continuation"


def test_continuation_takes_the_paragraphs_main_speaker_not_one_it_reports() -> None:
    # the neighbours' words are inside what Lopez says: the next paragraph is hers
    text = (
        "Maria Lopez, a ferry captain, spoke after the vote.\n\n"
        "Her neighbours have mocked the new timetable, calling it \u201ca joke for tourists,\u201d "
        "Lopez said.\n\n"
        "\u201cBut it is our timetable. We wrote it, we voted for it, and the boats will keep to it "
        "every single day of the year.\u201d"
    )
    q = one(quotes_of(text), "our timetable")
    assert q.speaker.how == "continuation" and q.speaker.mention_text == "Lopez"


def test_transcript_turns_quoted_paragraph_by_paragraph() -> None:
    text = (
        "Mayor Maria Lopez spoke to the host Tom Halvard on Sunday.\n\n"
        '"HALVARD: Will the bridge open on time this year?\n\n'
        '"LOPEZ: Well, some people think it is an episode of \u201cBridge Wars.\u201d It is not.\n\n'
        '"It will open in May, and the buses will use it first.\n\n'
        '"HALVARD: Thank you, mayor."'
    )
    found = quotes_of(text)
    host = one(found, "open on time")
    assert host.speaker.name == "Tom Halvard" and host.speaker.mention_text == "HALVARD"
    assert host.text.startswith("Will the bridge")  # the label is not part of the words
    assert said_by(found, "an episode of") == "Maria Lopez"  # not the people who "think"
    assert said_by(found, "buses will use it first") == "Maria Lopez"  # her turn goes on
    assert said_by(found, "Thank you, mayor") == "Tom Halvard"
    # a transcript printed without quotation marks: each label is the person the article names
    text = (
        "Maria Lopez and Tom Halvard met for a debate on Monday.\n\n"
        "HALVARD: Will the bridge open on time this year, mayor?\n\n"
        "LOPEZ: It will open in May, and the buses will use it first."
    )
    found = quotes_of(text)
    assert said_by(found, "open on time") == "Tom Halvard"
    q = one(found, "buses will use it first")
    assert q.speaker.name == "Maria Lopez" and q.speaker.how == "named" and q.speaker.mention_text == "LOPEZ"
    # a caller the article names only by the label: the label is the name, not shouted
    caller = one(quotes_of('"KOWALSKI: The buses to the bridge are late again today."'), "buses")
    assert caller.speaker.name == "Kowalski" and caller.speaker.mention_text == "KOWALSKI"


def test_quotes_signed_after_a_dash() -> None:
    # readers' letters, pull quotes and embedded posts: `“...” ― Name`, `“...” – @handle`
    text = (
        "Readers wrote to us about the new bridge.\n"
        "\u201cThe bridge has changed how I get to work every single day.\u201d \u2015 Sonya Halvard\n"
        "\u201dIt is too narrow for the buses and the bikes at once.\u201d\u2014 Pedro Amsel.\n"
        "Mayor Maria Lopez answered online.\n"
        "\u201cWe will widen it next spring, I promise you that.\u201d \u2013 @MayorMariaLopez"
    )
    found = quotes_of(text)
    assert said_by(found, "changed how I get to work") == "Sonya Halvard"
    assert said_by(found, "too narrow for the buses") == "Pedro Amsel"
    q = one(found, "widen it next spring")
    assert q.speaker.name == "Maria Lopez" and q.speaker.mention_text == "@MayorMariaLopez"


def test_a_dash_before_a_place_or_narration_is_no_signature() -> None:
    text = (
        "The \u201cold ferry days\u201d \u2014 Kalvoria, after all, forgets fast \u2014 are over.\n"
        "Then came the \u201cwinter plan\u201d \u2014 a scheme nobody liked."
    )
    found = quotes_of(text)
    assert all(q.speaker.name != "Kalvoria" for q in found)
    assert not [q for q in found if q.text in {"old ferry days", "winter plan"}]


def test_speech_with_no_speaker_in_sight_is_kept_as_unknown() -> None:
    text = (
        "The bridge opened on Monday after four years of work.\n\n"
        "\u201cNobody here thought they would ever finish this thing on time.\u201d"
    )
    q = one(quotes_of(text), "Nobody here thought")
    assert q.kind == "direct"
    assert q.speaker.name is None and q.speaker.how == "unknown" and q.speaker.mention is None


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            "The ferry pulled away from Dock Street at noon.\n\n"
            '"Not this year." The harbor master shrugged and walked back to his office.',
            "Not this year.",
        ),
        ('The crowd in Harlow booed. "Go home!" Then the band started to play.', "Go home!"),
    ],
)
def test_a_short_answer_or_shout_with_no_cue_is_still_speech(text: str, words: str) -> None:
    q = one(quotes_of(text), words)
    assert q.text == words and q.kind == "direct"
    assert q.speaker.how == "unknown"


def test_a_chant_inside_the_narrators_sentence_is_a_quote_but_a_scare_quoted_term_is_not() -> None:
    found = quotes_of(
        'Marchers kept up chants of "Save the harbor!" until dusk. '
        'The so-called "harbor tax" fell on fishermen, and the "reform" stalled.'
    )
    q = one(found, "Save the harbor")
    assert q.text == "Save the harbor!" and q.kind == "direct"
    assert not [q for q in found if "tax" in q.text or "reform" in q.text], [q.text for q in found]


# --- partial quotes and reported speech --------------------------------------------------------


def test_partial_quote_takes_the_sentence_speaker() -> None:
    found = quotes_of("Putin said they would discuss \u201call issues\u201d with the president.")
    partial = one(found, "all issues")
    assert partial.kind == "partial" and partial.speaker.name == "Putin"
    assert one(found, "they would discuss").kind == "indirect"


def test_called_it_partial_quote() -> None:
    found = quotes_of("Maria Lopez called the decision \u201ctroubling\u201d on Tuesday.")
    assert said_by(found, "troubling") == "Maria Lopez"


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        (
            # the `that` opens the reported clause and belongs to it, as annotators mark it
            "Maria Lopez said that the bridge would open in May.",
            "Maria Lopez",
            "that the bridge would open in May",
        ),
        ("Maria Lopez said the bridge would open in May.", "Maria Lopez", "the bridge would open in May"),
        ("The bridge will open in May, Maria Lopez said.", "Maria Lopez", "The bridge will open in May"),
        (
            "Maria Lopez told reporters that the bridge would open in May.",
            "Maria Lopez",
            "that the bridge would open in May",
        ),
        ("Maria Lopez warned that the bridge would be late.", "Maria Lopez", "that the bridge would be late"),
        (
            "Maria Lopez urged the council to approve the budget.",
            "Maria Lopez",
            "the council to approve the budget",
        ),
        ("Maria Lopez denied the reports about the bridge.", "Maria Lopez", "the reports about the bridge"),
        # the parser hangs the clause before the cue on it as a second complement
        (
            "It is an unlikely outcome; the harbor council says the ferry will sail on Friday.",
            "harbor council",
            "the ferry will sail on Friday",
        ),
        ("The talks were hard; Vartan says the deal will hold.", "Vartan", "the deal will hold"),
        # the cue hangs on an adjective (`quick to deny`): the subject is that of `was`
        ("Ilse Varga was quick to deny the reports.", "Ilse Varga", "the reports"),
        # a gerund under a noun (`the step of criticizing`): the subject of the clause it is in
        ("Varga took the unusual step of criticizing the harbor council.", "Varga", "the harbor council"),
        # a passive cue speaks through its agent ...
        (
            "Ferry operators were criticized by harbor officials for delaying the crossing.",
            "harbor officials",
            "for delaying the crossing",
        ),
        ("The senator was pressed by the host about his taxes.", "the host", "about his taxes"),
        (
            "The captain was asked by a reporter why the ferry left early.",
            "a reporter",
            "why the ferry left early",
        ),
        # ... but what moves someone is what they react to, and they are the source
        ("Ilse Varga was troubled by the state of the accounts.", "Ilse Varga", "the state of the accounts"),
        # a poll speaks for what it found, wherever the phrase stands
        (
            "In a harbor council poll released Monday, 58 percent backed the ferry.",
            "a harbor council poll",
            "58 percent backed the ferry",
        ),
        ("Varga is ahead in the latest polls in Brennholt.", "the latest polls", "Varga is ahead"),
        # an `as X noted` aside: the clause it hangs on is what X said, before it or after it
        (
            "As the harbor master noted last week, the ferry would need a new hull.",
            "the harbor master",
            "the ferry would need a new hull",
        ),
        (
            "The ferry will stop at Brennholt, as the Coastal Courier reported on Tuesday.",
            "Coastal Courier",
            "The ferry will stop at Brennholt",
        ),
        ("As Varga put it, the old ferry is finished.", "Varga", "the old ferry is finished"),
        # in the middle, the clause around it (a content is one stretch of text)
        (
            "The ferry fare, as the harbor master points out, is quite high right now.",
            "the harbor master",
            "The ferry fare, as the harbor master points out, is quite high right now",
        ),
        # an attribution set off by commas before the verb: neither side says anything alone
        (
            "The new ferry, harbor officials said, will sail on Friday.",
            "harbor officials",
            "The new ferry, harbor officials said, will sail on Friday",
        ),
    ],
)
def test_reported_speech(text: str, speaker: str, content: str) -> None:
    q = one(quotes_of(text), content)
    assert q.kind == "indirect" and q.text == content
    assert speaker in {q.speaker.name, q.speaker.mention_text}  # a description has no name


def test_an_attribution_inside_reported_speech_is_left_out_of_its_parts() -> None:
    text = "The new ferry, harbor officials said, will sail on Friday."
    q = one(quotes_of(text), "will sail")
    assert [text[p.start : p.end] for p in q.parts] == ["The new ferry", "will sail on Friday"]
    text = "The ferry fare \u2014 as the harbor master points out \u2014 is quite high right now."
    q = one(quotes_of(text), "quite high")
    assert [text[p.start : p.end] for p in q.parts] == ["The ferry fare", "is quite high right now"]
    # the clause before its verb is the whole content; one after its verb stands alone
    q = one(quotes_of("The new ferry will sail on Friday, harbor officials said, and not before."), "sail")
    assert q.text.startswith("The new ferry will sail on Friday") and "officials" not in q.text


@pytest.mark.parametrize(
    ("text", "words", "mention"),
    [
        ("Crowds chanting \u201cNo ferry, no peace\u201d blocked the harbor gate.", "No ferry", "Crowds"),
        # what someone wrote speaks for the writer
        (
            "Ferry workers placed newspaper ads calling the merger \u201ca costly mistake.\u201d",
            "a costly mistake",
            "Ferry workers",
        ),
    ],
)
def test_participle_cue_speaks_for_the_noun_it_describes(text: str, words: str, mention: str) -> None:
    assert one(quotes_of(text), words).speaker.mention_text == mention


def test_a_poll_inside_someones_words_is_not_a_second_source() -> None:
    found = quotes_of("Varga said she would win in the polls.")
    assert [(q.text, q.speaker.mention_text) for q in found] == [("she would win in the polls", "Varga")]


def test_a_verb_the_parse_gives_two_subjects_takes_the_nearer_one() -> None:
    # the parse makes both `spokesman` and `campaign` subjects of `noted`
    text = (
        "City Council spokesman Leo Brandt -- as Varga's campaign noted this week -- even promoted Kessler."
    )
    q = one(quotes_of(text), "promoted Kessler")
    assert q.speaker.mention_text == "Varga's campaign"


@pytest.mark.parametrize(
    "text",
    [
        "As Varga said this, the crowd rose to its feet.",  # a time, not a source
        "As the vote began, the crowd rose to its feet.",  # not a speech verb
        "As Varga put the flag up, the crowd rose to its feet.",
    ],
)
def test_an_as_clause_that_is_no_aside_speaks_for_nobody(text: str) -> None:
    assert not [q for q in quotes_of(text) if "crowd" in q.text]


def test_passive_cue_with_only_its_agent_says_nothing() -> None:
    assert quotes_of("The plan was endorsed by the mayor of Brennholt on Monday.") == []


def test_subject_the_parser_hangs_on_an_earlier_noun() -> None:
    # the small parser reads `Varga and Brandt` as conjuncts of `war`, leaving `call` no subject
    found = quotes_of(
        "When smugglers are revealed as part of the second front of the brutal Brennish border war, "
        "Varga and Brandt call them \u201clone wolves.\u201d"
    )
    assert said_by(found, "lone wolves") == "Varga and Brandt"


def test_reported_clause_that_is_all_quote_is_one_direct_quote() -> None:
    (q,) = quotes_of("Varga told her aides that \u201cthe bridge is the answer.\u201d")
    assert (q.kind, q.text, q.speaker.name) == ("direct", "the bridge is the answer.", "Varga")


@pytest.mark.parametrize(
    ("text", "mention"),
    [
        ("The Kremlin said the talks would continue next week.", "The Kremlin"),
        ("The missile test was a success, KCNA reported.", "KCNA"),
    ],
)
def test_organisations_and_agencies_as_speakers(text: str, mention: str) -> None:
    found = quotes_of(text)
    assert len(found) == 1
    q = found[0]
    assert q.kind == "indirect" and q.speaker.mention_text == mention
    assert q.speaker.how in {"organisation", "named"}


# --- not quotes ----------------------------------------------------------------------------------


def test_scare_quotes_foreign_words_titles_and_nicknames_are_not_quotes() -> None:
    text = (
        "Guests ate Russian \u201cpelmeni\u201d dumplings at the dinner. "
        "Later they watched the film \u201cThe Long Bridge Home\u201d together. "
        "The senator, known as \u201cthe Hammer,\u201d arrived late."
    )
    assert quotes_of(text) == []


def test_a_programme_named_beside_a_cue_is_not_what_was_said() -> None:
    found = quotes_of(
        "\u201cThe ferry will sail on Friday,\u201d Varga said on HBC\u2019s \u201cMeet the Harbor.\u201d\n\n"
        '"BRANDT: We will not sail.\n\n"(CROSSTALK.)\n\n'
        '"BRANDT: Not on Friday, not ever, not with this crew."'
    )
    assert [q.text for q in found] == [
        "The ferry will sail on Friday",
        "We will not sail.",
        "Not on Friday, not ever, not with this crew.",
    ]


def test_heading_repeating_a_body_quote_is_not_a_second_quote() -> None:
    text = (
        "\u201cWe will not give up on the bridge\u201d\n\n"
        "\u201cWe will not give up on the bridge,\u201d Maria Lopez said on Monday."
    )
    found = quotes_of(text)
    assert len(found) == 1
    assert found[0].span.start > text.index("\n")


# --- speakers ------------------------------------------------------------------------------------


def test_surname_resolves_to_the_full_name() -> None:
    text = (
        "Kim Jong Un visited the factory on Monday.\n\n"
        "\u201cThe workers have done well this year,\u201d Kim said."
    )
    q = one(quotes_of(text), "workers have done well")
    assert q.speaker.name == "Kim Jong Un" and q.speaker.mention_text == "Kim"


def test_title_is_kept_as_the_role() -> None:
    text = "U.S. State Department spokesman Matthew Miller said the talks were productive."
    q = one(quotes_of(text), "talks were productive")
    assert q.speaker.name == "Matthew Miller"
    assert q.speaker.role == "U.S. State Department spokesman"
    assert q.speaker.mention_text == text[: text.index(" said")]


def test_pronouns_resolve_by_gender_and_recency() -> None:
    text = (
        "Maria Lopez met John Carter in the capital on Monday.\n\n"
        "She said the meeting had gone well.\n\n"
        "He said the two sides still disagreed on the budget."
    )
    found = quotes_of(text)
    she = one(found, "meeting had gone well")
    he = one(found, "still disagreed")
    assert (
        she.speaker.how == "pronoun"
        and she.speaker.mention_text == "She"
        and she.speaker.name == "Maria Lopez"
    )
    assert he.speaker.how == "pronoun" and he.speaker.name == "John Carter"


def test_they_resolves_to_a_group() -> None:
    text = "The city council met on Monday. They said the bridge would cost more than planned."
    q = one(quotes_of(text), "bridge would cost")
    assert q.speaker.how == "pronoun" and q.speaker.mention_text == "They"


def test_coordinated_speakers_are_one_speaker() -> None:
    text = (
        "Prime Minister Maria Lopez and President John Carter agreed on Monday to reopen the bridge.\n\n"
        "They said the first trucks would cross in June."
    )
    found = quotes_of(text)
    q = one(found, "reopen the bridge")
    assert q.speaker.mention_text == "Prime Minister Maria Lopez and President John Carter"
    assert q.speaker.name == "Maria Lopez and John Carter" and q.speaker.how == "named"
    they = one(found, "first trucks")  # "they" is the two of them
    assert they.speaker.how == "pronoun" and they.speaker.name == "Maria Lopez and John Carter"
    found = quotes_of("The mayor of Springfield and the head of the port said the bridge would open.")
    q = one(found, "would open")
    assert q.speaker.mention_text == "The mayor of Springfield and the head of the port"
    assert q.speaker.how == "description" and q.speaker.name is None


def test_coordination_that_is_not_one_speaker() -> None:
    # `or` offers a choice of speakers; a name with a description keeps the named one
    q = one(quotes_of("Maria Lopez or John Carter will say the bridge is late."), "bridge is late")
    assert q.speaker.name != "Maria Lopez and John Carter"
    q = one(quotes_of("Maria Lopez and an aide said the bridge would open in May."), "would open")
    assert q.speaker.name == "Maria Lopez" and q.speaker.mention_text == "Maria Lopez"


def test_descriptions_get_no_invented_name() -> None:
    for text, mention in [
        ("A source said the bridge would be delayed.", "A source"),
        ("Analysts said the bridge would be delayed.", "Analysts"),
        # an affiliation does not make the person an organisation
        ("A State Department spokesman said the bridge would be delayed.", "A State Department spokesman"),
        (
            "According to a senior Kalvorian official, the bridge would be delayed.",
            "a senior Kalvorian official",
        ),
        # nor does a home state, and the parser's object after the verb is its subject
        (
            "\u201cThe bridge would be delayed,\u201d added a South Carolina Democrat.",
            "a South Carolina Democrat",
        ),
        (
            "\u201cThe bridge would be delayed,\u201d said another New Hampshire Republican.",
            "another New Hampshire Republican",
        ),
    ]:
        q = one(quotes_of(text), "bridge would be delayed")
        assert q.speaker.how == "description" and q.speaker.name is None
        assert q.speaker.mention_text == mention


def test_an_organisation_itself_stays_an_organisation() -> None:
    q = one(quotes_of("The Kalvorian foreign ministry said the bridge would be delayed."), "bridge would")
    assert q.speaker.how == "organisation"
    q = one(quotes_of("The Pentagon said the bridge would be delayed."), "bridge would")
    assert q.speaker.how == "organisation" and q.speaker.name == "Pentagon"


def test_format_quotes_lines() -> None:
    from storydiff.report.text import format_quotes

    text = "\u201cWe will build the bridge next year,\u201d Maria Lopez said."
    found = quotes_of(text)
    article = Article(id="t", raw=text, text=text, offsets=OffsetMap.identity(len(text)), outlet="Wire")
    lines = format_quotes(found, [article]).splitlines()
    assert lines[0] == "== Wire · t (t)"
    assert lines[1] == "  [direct] Maria Lopez said: We will build the bridge next year  @1-35"


def test_format_quotes_counts_the_quotes_a_reader_is_not_shown() -> None:
    from dataclasses import replace

    from storydiff.report.text import format_quotes

    text = "\u201cWe will build the bridge next year,\u201d Maria Lopez said."
    article = Article(id="t", raw=text, text=text, offsets=OffsetMap.identity(len(text)), outlet="Wire")
    unsure = [replace(q, confidence=0.2) for q in quotes_of(text)]
    lines = format_quotes(unsure, [article]).splitlines()
    assert len(lines) == 1 and lines[0].startswith("(1 more under confidence")
    assert "Maria Lopez said: We will build" in format_quotes(unsure, [article], everything=True)


def test_format_quotes_shows_an_interrupted_quote_without_its_attribution() -> None:
    from storydiff.report.text import format_quotes

    text = "\u201cWe will build the bridge,\u201d Maria Lopez said. \u201cIt opens in June.\u201d"
    found = quotes_of(text)
    q = one(found, "build the bridge")
    assert len(q.parts) == 2 and "said" in q.text  # the span runs across the attribution
    article = Article(id="t", raw=text, text=text, offsets=OffsetMap.identity(len(text)))
    line = format_quotes(found, [article]).splitlines()[1]
    assert "said: We will build the bridge \u2026 It opens in June.  @" in line


def test_a_sentence_that_ends_on_its_cue_introduces_the_quote_after_it() -> None:
    # not the speaker of the paragraph before (a continuation): Varga's own sentence names her
    found = quotes_of(
        "\u201cThe ferry will run all winter,\u201d said Tomas Brandvik, the harbor master.\n\n"
        "Council member Ilse Varga agreed. \u201cThe island cannot wait another year for a crossing.\u201d"
    )
    q = one(found, "cannot wait")
    assert q.speaker.name == "Ilse Varga" and q.speaker.how == "named" and q.cue == "agreed"


def test_a_gerund_the_parse_makes_the_quotes_subject_is_still_said_by_the_sentences_subject() -> None:
    # the parse hangs `writing` on the quoted `Feels` as its subject; the source is not `writing`
    found = quotes_of(
        "Band member Flint shared the news on social media last week, writing \u201cFeels great to "
        "support someone I believe in. The band offered to pay for the hall.\u201d"
    )
    q = one(found, "Feels great")
    assert q.speaker.mention_text == "Band member Flint" and q.cue == "writing"


def test_the_subject_before_an_aside_set_off_by_commas_is_the_speaker() -> None:
    # the parse hangs `Col. Tomas Brandvik` on the date as an appositive: `said` has no subject
    found = quotes_of(
        "But in a call with reporters on Dec. 2, Col. Tomas Brandvik, a spokesman in Harlow, said, "
        '"A raid is a combat operation."'
    )
    q = one(found, "combat operation")
    assert q.speaker.name == "Tomas Brandvik" and q.speaker.mention_text == "Col. Tomas Brandvik"


def test_reported_words_go_on_past_a_closing_mark_into_the_clause_hung_on_the_cue() -> None:
    # the parse hangs `and have been unreliable` on `told`; it is still what Varga told them
    found = quotes_of(
        'Senator Ilse Varga told reporters that the polls could be "way off," and have been unreliable in '
        "past races."
    )
    q = one(found, "unreliable")
    assert q.text == 'that the polls could be "way off," and have been unreliable in past races'
    assert q.kind == "indirect" and q.speaker.name == "Ilse Varga"
    # the speaker's next act is not what was said
    found = quotes_of('The mayor said the plan was "a disaster," and vowed to scrap it.')
    reported = [q.text for q in found if "disaster" in q.text and q.kind == "indirect"]
    assert reported == ['the plan was "a disaster,"']


def test_a_quote_a_colon_introduces_is_the_person_named_just_before_the_colon() -> None:
    # no cue: not a continuation of the paragraph before
    found = quotes_of(
        "\u201cThe ferry will run all winter,\u201d said Tomas Brandvik, the harbor master.\n\n"
        "Maria Lopez in December 1992: \u201cOur new direction must rest on an understanding of the new "
        "realities.\u201d"
    )
    q = one(found, "new direction")
    assert q.speaker.name == "Maria Lopez" and q.speaker.mention_text == "Maria Lopez"


def test_many_unmatched_marks_do_not_break_extraction() -> None:
    text = ("He \u201c said. " * 2_000) + "\n\n\u201cThe bridge is open now,\u201d Maria Lopez said."
    found = quotes_of(text)
    assert said_by(found, "bridge is open now") == "Maria Lopez"


# --- PolNeAR error analysis (train): patterns added for issue #3 ---------------------------------


def test_cue_opening_the_sentence_after_the_closing_mark() -> None:
    # the parser ends the sentence at `!”` / `?”`; the cue right after is still the quote's
    found = quotes_of("\u201cOut!\u201d the crowd yelled.")
    q = one(found, "Out!")
    assert q.kind == "direct" and q.speaker.mention_text == "the crowd"
    found = quotes_of("\u201cDoes he not understand we wrote the Constitution?\u201d Joe Biden said.")
    assert said_by(found, "Does he not understand") == "Joe Biden"


def test_cue_deep_in_the_next_sentence_does_not_claim_a_quote() -> None:
    found = quotes_of(
        "\u201cNonsense.\u201d In a long speech later that day in Ohio, "
        "Donald Trump said the polls were wrong."
    )
    assert not [q for q in found if "Nonsense" in q.text]


def test_interrupted_quote_with_a_long_attribution_stays_in_two_pieces() -> None:
    text = (
        "\u201cWe will win this state,\u201d Maria Lopez said on Tuesday in a long speech to supporters "
        "at the state fairground in Springfield, recalling the campaign of 2008. "
        "\u201cThe polls are wrong.\u201d"
    )
    found = quotes_of(text)
    assert not [q for q in found if "win this state" in q.text and "polls are wrong" in q.text]
    assert said_by(found, "We will win this state") == "Maria Lopez"
    assert said_by(found, "The polls are wrong") == "Maria Lopez"


def pieces_join(first: str, attribution: str, second: str, speaker: str | None = None) -> bool:
    """Whether `“first,” attribution “second”` comes out as one quote (of `speaker`, if given)."""
    text = f"\u201c{first},\u201d {attribution} \u201c{second}\u201d"
    q = one(quotes_of(text), first.split(",")[0])
    assert speaker is None or q.speaker.name == speaker
    return second.rstrip(".") in q.text


@pytest.mark.parametrize(
    ("attribution", "one_quote"),
    [
        # 15 words between 16 quoted ones: one quote (scored whole, it still holds its words)
        ("Maria Lopez said on Tuesday to supporters at the state fair in Springfield last night.", True),
        # 17: mostly the narrator's words, two quotes
        (
            "Maria Lopez said on Tuesday to fans at the state fair in Springfield late at night, grinning.",
            False,
        ),
    ],
)
def test_interrupted_quote_is_one_while_its_attribution_has_no_more_words_than_it(
    attribution: str, one_quote: bool
) -> None:
    pieces = ("We will win this state and the next one too", "The polls are wrong about us.")
    assert pieces_join(pieces[0], attribution, pieces[1], "Maria Lopez") is one_quote


@pytest.mark.parametrize(
    ("attribution", "one_quote"),
    [
        ("said Sen. Tom Carper of Delaware.", True),  # `Sen.` ends no sentence
        ("said Rep. Ana Ruiz (D-Md.), a member of the panel.", True),
        ("said Tom Carper. Others in the room were not so sure.", False),  # a sentence of narration
    ],
)
def test_a_full_stop_of_an_abbreviation_does_not_split_an_interrupted_quote(
    attribution: str, one_quote: bool
) -> None:
    pieces = ("It is something we should debate this year", "There is probably a middle ground somewhere.")
    assert pieces_join(pieces[0], attribution, pieces[1]) is one_quote


@pytest.mark.parametrize(
    ("where", "one_quote"),
    [
        ("on NBC\u2019s \u201cMeet the Press\u201d on Sunday.", True),  # a programme: the narrator's
        ("on Sunday on NBC\u2019s \u201cMeet the Press.\u201d", True),  # (its full stop inside the mark)
        ("of the \u201crigged\u201d harbor board on Sunday.", False),  # someone's word: kept apart
    ],
)
def test_a_programme_named_in_the_attribution_still_joins_the_pieces(where: str, one_quote: bool) -> None:
    pieces = ("We will keep the ferry running all winter", "The boats and the crews are ready for it.")
    assert pieces_join(pieces[0], f"Lopez said {where}", pieces[1], "Lopez") is one_quote


def test_a_programme_in_doubled_apostrophes_with_its_full_stop_inside_still_joins_the_pieces() -> None:
    text = (
        "''We will keep the ferry running all winter,'' Lopez said on Sunday on NBC's ''Meet the Press.'' "
        "''The boats and the crews are ready for it.''"
    )
    q = one(quotes_of(text), "keep the ferry")
    assert "crews are ready" in q.text and q.speaker.name == "Lopez"


@pytest.mark.parametrize(
    "between",
    [", Varga said, adding that the crew was ready. ", " Varga said before adding: "],
)
def test_a_second_cue_between_the_pieces_makes_a_second_quote(between: str) -> None:
    found = quotes_of(
        f"\u201cWe will sail on Friday if the weather holds,\u201d{between}"
        "\u201cThe harbor is calm and the ferry is loaded.\u201d"
    )
    first, second = one(found, "We will sail"), one(found, "The harbor is calm")
    assert first is not second and first.parts == [] and "said" not in second.text
    assert first.speaker.name == second.speaker.name == "Varga"


def test_short_second_piece_after_a_long_attribution_is_still_the_speakers() -> None:
    # a short piece kept apart from a long attribution is still the speaker's, not an unknown's
    text = "\u201cI would,\u201d Maria Lopez said to the television in the kitchen. \u201cYes, Donald.\u201d"
    found = quotes_of(text)
    assert said_by(found, "I would") == "Maria Lopez"
    assert said_by(found, "Yes, Donald") == "Maria Lopez"
    # one quoted word with no attribution before it is not taken for speech (as likely a name)
    found = quotes_of("The rally ended at noon. \u201cDonald.\u201d")
    assert not [q for q in found if "Donald" in q.text]


def test_partial_quote_ending_a_reported_clause_keeps_the_clause() -> None:
    found = quotes_of("Greg Abbott told reporters that if he wants their guns, \u201ccome and take it.\u201d")
    q = one(found, "if he wants their guns")
    assert q.kind == "indirect" and q.speaker.name == "Greg Abbott"
    assert "come and take it" in q.text
    assert one(found, "come and take it").kind == "partial"


def test_quote_of_two_thirds_of_a_reported_clause_is_a_partial_one_in_the_rules() -> None:
    # the words before the mark (`that Kovac was simply`) are reported too: the clause is an indirect
    # quote and the quoted words a partial one inside it, already in the rules' reading
    text = "Ana Ruiz told reporters that Kovac was simply \u201cnot the right person for the harbour.\u201d"
    article = Article(id="t", raw=text, text=text, offsets=OffsetMap.identity(len(text)))
    doc = nlp.parse(text)
    found = [q for q, _ in rule_quotes(article, doc, extract_mentions(article, doc)).quotes]
    clause = one(found, "that Kovac was")
    assert clause.kind == "indirect" and clause.speaker.name == "Ana Ruiz"
    assert one(found, "not the right person").kind == "partial"


def test_reported_clause_runs_to_the_end_of_a_quote_it_opens() -> None:
    # the parse ends the clause with the quote's first sentence; the quote's sentences are one
    found = quotes_of(
        "Lopez said that the council and its staff \u201cdo not forget the people of the harbour. "
        "We are ferry folks out here.\u201d"
    )
    q = one(found, "that the council")
    assert q.kind == "indirect" and q.text.endswith("ferry folks out here.\u201d")
    # ... and where it ends the clause at a comma inside the quote
    found = quotes_of(
        "Lopez added that the new timetable was like saying the ferry \u201cleft on time in the "
        "morning, but after that, we lost the whole day.\u201d"
    )
    q = one(found, "that the new timetable")
    assert q.kind == "indirect" and q.text.endswith("the whole day.\u201d")


def test_reported_clause_ends_before_a_relative_aside() -> None:
    found = quotes_of(
        "Officials said the FBI had secured the cooperation of Bryan Pagliano, "
        "who worked on the campaign in 2008."
    )
    q = one(found, "secured the cooperation")
    assert q.text == "the FBI had secured the cooperation of Bryan Pagliano"


@pytest.mark.parametrize(
    ("text", "content"),
    [
        # a concession with a source of its own is the narrator's aside ...
        (
            "Varga said the ferry would sail on Friday, though she did not say when it would return.",
            "the ferry would sail on Friday",
        ),
        (
            "Most dockers said the strike should go on, while a third said it should end.",
            "the strike should go on",
        ),
        # ... one without is part of what was said
        (
            "Varga said the ferry would sail on Friday, although it is often late.",
            "the ferry would sail on Friday, although it is often late",
        ),
    ],
)
def test_reported_clause_ends_before_a_concession_with_its_own_cue(text: str, content: str) -> None:
    assert one(quotes_of(text), content.split(",")[0]).text == content


@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("The harbor council welcomed the agreement in a statement on Tuesday.", "the agreement"),
        ("The harbor council praised the new bridge during a briefing.", "the new bridge"),
        ("The harbor council promised on Tuesday to reopen the ferry line.", "to reopen the ferry line"),
        # the speaker's next act, hung on the object's verb, is not part of it
        ("Brennland pledged to expand its navy, reversing decades of caution.", "to expand its navy"),
        # a place or time that is the object's own stays
        ("The harbor council criticised the delay in the bridge works.", "the delay in the bridge works"),
    ],
)
def test_verb_object_content_leaves_out_where_when_and_what_came_next(text: str, content: str) -> None:
    q = one(quotes_of(text), content.split()[1])
    assert q.text == content and q.kind == "indirect"


def test_reported_clause_keeps_its_but_clause_and_drops_the_speakers_next_act() -> None:
    found = quotes_of(
        "Hillary Clinton said she supports a $12 wage nationally but supports cities that go higher."
    )
    assert one(found, "$12 wage nationally").text.endswith("cities that go higher")
    found = quotes_of("Hillary Clinton said the plan was sound but conceded it was late.")
    q = one(found, "the plan was sound")
    assert q.text == "the plan was sound"


def test_speech_noun_with_a_that_clause() -> None:
    found = quotes_of("Donald Trump repeated his claim that Barack Obama founded the group.")
    q = one(found, "Barack Obama founded the group")
    assert q.text == "that Barack Obama founded the group" and q.speaker.name == "Donald Trump"
    # a `that` relative clause on the noun is no content
    assert quotes_of("The claim that he made in the book was false.") == []


@pytest.mark.parametrize(
    ("text", "mention"),
    [
        ("Varga made the argument that the ferry was safe.", "Varga"),
        ("The council welcomed an admission from Varga that the ferry was late.", "Varga"),
        ("The dockers have a firm belief that the ferry was late.", "The dockers"),
        # whose suggestion it was, the sentence does not say: not the one who rejects it
        ("Varga rejected the suggestion that the ferry was unsafe.", None),
        ("The suggestion that the ferry was unsafe angered the dockers.", None),
    ],
)
def test_speech_noun_source_from_its_clause(text: str, mention: str | None) -> None:
    q = one(quotes_of(text), "the ferry was")
    assert q.text.startswith("that the ferry was") and q.speaker.mention_text == mention


@pytest.mark.parametrize(
    ("text", "mention"),
    [
        (
            'Jonas Pell, who is running for mayor, said in a statement that "City Hall delays have '
            'kept the ferry docked for a month."',
            "Jonas Pell",
        ),
        (
            'Anna Varga, who leads the dockers, said in a statement that "Harbor Board dysfunction '
            'has stopped the ferry from sailing."',
            "Anna Varga",
        ),
    ],
)
def test_said_in_a_statement_is_the_speakers(text: str, mention: str) -> None:
    # the parser may hang the clause on `statement`: its source is still who said it
    q = one(quotes_of(text), "ferry")
    assert q.kind == "direct" and q.speaker.mention_text == mention and q.speaker.how == "named"


def test_headline_label_names_its_speaker() -> None:
    text = (
        "Lopez: The bridge will open in May.\n\n"
        "Maria Lopez spoke to reporters in Springfield on Monday about the new bridge."
    )
    q = one(quotes_of(text), "The bridge will open in May")
    assert q.speaker.mention_text == "Lopez" and q.speaker.name == "Maria Lopez"
    assert q.cue == ":" and q.span.end <= text.index("\n")
    found = quotes_of("Harbor council: Ferry fares will rise in June.\n\nThe council met on Monday.")
    q = one(found, "Ferry fares will rise")
    assert q.speaker.mention_text == "Harbor council"


def test_headline_kicker_and_body_labels_name_nobody() -> None:
    # a kicker (`Breaking:`) is no speaker; outside the headline a lowercase-led label is no speaker
    found = quotes_of("Breaking: The bridge will open in May.\n\nThe council met on Monday.")
    assert not [q for q in found if q.cue == ":"]
    found = quotes_of("UPDATE: The bridge will open in May.\n\nThe council met on Monday.")
    assert not [q for q in found if q.cue == ":"]
    found = quotes_of(
        "The council met on Monday.\n\nHarbor council: Ferry fares will rise in June, the notice read."
    )
    assert not [q for q in found if q.speaker.mention_text == "Harbor council"]
    # a headline label that names a topic, not someone who speaks
    found = quotes_of("Harbor summit: leaders promise cheaper ferries.\n\nThe council met on Monday.")
    assert not [q for q in found if q.speaker.mention_text == "Harbor summit"]
    found = quotes_of("New poll: ferry fares are too high.\n\nThe council met on Monday.")
    assert one(found, "fares are too high").speaker.mention_text == "New poll"


def test_colon_closing_a_paragraph_introduces_the_quote_below() -> None:
    text = (
        "At the rally on Friday, Maria Lopez declared:\n\n"
        "\u201cWe will finish the bridge before the winter comes, whatever the council decides.\u201d"
    )
    q = one(quotes_of(text), "finish the bridge")
    assert q.kind == "direct" and q.speaker.name == "Maria Lopez" and q.cue == "declared"


def test_colon_paragraph_without_a_speaker_gives_the_quote_none() -> None:
    text = (
        "Maria Lopez left early.\n\n"
        "The notice on the door:\n\n"
        "\u201cWe will finish the bridge before the winter comes, whatever the council decides.\u201d"
    )
    found = quotes_of(text)
    assert not [q for q in found if "finish the bridge" in q.text and q.cue is not None]


def test_cue_after_a_quote_with_its_own_clause_is_not_the_quotes() -> None:
    # `.” Lopez added that ...`: the quote belongs to the earlier `said`, not to `added`
    text = (
        "\u201cThe ferry is late again,\u201d said Maria Lopez, a council member. "
        "\u201cThe schedule has been wrong for a month.\u201d Lopez added that the council would meet."
    )
    found = quotes_of(text)
    whole = one(found, "The ferry is late again")
    assert "schedule has been wrong" in whole.text and whole.cue == "said"
    added = one(found, "the council would meet")
    assert added.kind == "indirect" and added.cue == "added"


def test_reported_clause_ending_in_a_partial_quote_keeps_its_closing_mark() -> None:
    # the parser hangs the closing mark on the cue verb, outside the reported clause
    text = "Maria Lopez added that the new bridge would \u201cchange daily life on both banks.\u201d"
    found = quotes_of(text)
    q = one(found, "the new bridge")
    assert q.kind == "indirect" and q.text.endswith("banks.\u201d")
    assert one(found, "change daily life").kind == "partial"


@pytest.mark.parametrize(
    ("opening", "closing"),
    [("\u00ab", "\u00bb"), ("\u201e", "\u201c"), ("\u201e", "\u201d")],
)
def test_reported_clause_keeps_the_closing_guillemet_or_low_mark(opening: str, closing: str) -> None:
    text = f"Maria Lopez added that the new bridge would {opening}change daily life on both banks.{closing}"
    q = one(quotes_of(text), "the new bridge")
    assert q.text.endswith(f"banks.{closing}")


@pytest.mark.parametrize(
    ("opening", "closing"),
    [("\u201c", "\u201d"), ('"', '"'), ("\u201e", "\u201c"), ("\u00ab", "\u00bb")],
)
def test_reported_words_starting_inside_a_quote_take_its_opening_mark(opening: str, closing: str) -> None:
    # the parse leaves out the first opening mark and the last closing one
    o, c = opening, closing
    words = f"{o}Peace Through Strength,{c} {o}Law and Order{c} and {o}Sanity.{c}"
    (q,) = [q for q in quotes_of(f"Maria Lopez promised {words}") if q.kind == "indirect"]
    assert q.speaker.name == "Maria Lopez" and q.text == words


@pytest.mark.parametrize(
    "text",
    [
        "The ad ends with footage of Lopez saying during the debate last week, “The ferry runs late.”",
        'The ad ends with footage of Lopez saying on Monday, "The ferry runs late."',
    ],
)
def test_where_and_when_before_a_quote_are_not_what_was_said(text: str) -> None:
    found = quotes_of(text)
    # `during the debate last week` is the narrator's setting, not Lopez's words
    assert [q.text for q in found] == ["The ferry runs late."]
    assert found[0].kind == "direct" and found[0].speaker.mention_text == "Lopez"


def test_setting_before_a_title_in_quotes_is_still_content() -> None:
    # the straight mark after the comma closes `"Women in Power,"`: nothing opens there
    text = 'Lopez agreed to an interview for the paper\'s series on "Women in Power," answering questions.'
    assert [q.text for q in quotes_of(text) if q.kind == "indirect"] == [
        'to an interview for the paper\'s series on "Women in Power,"'
    ]


@pytest.mark.parametrize(
    ("text", "mention"),
    [
        ("The ad ends with footage of Lopez saying that the ferry runs late.", "Lopez"),
        ("Voters heard her saying that the ferry runs late.", "her"),
        # a gerund set off by a comma is still the clause subject's
        ("The ad attacked Lopez, saying that the ferry runs late.", "The ad"),
    ],
)
def test_gerund_after_who_is_shown_is_theirs(text: str, mention: str) -> None:
    q = one(quotes_of(text), "ferry runs late")
    assert q.text == "that the ferry runs late" and q.speaker.mention_text == mention


def test_a_quote_after_saying_is_not_swallowed_by_the_content_before_it() -> None:
    text = (
        "Lopez defended not paying a contractor who said he was owed money after the repairs, "
        "saying, \u201cMaybe he did not do a good job.\u201d"
    )
    found = quotes_of(text)
    q = one(found, "Maybe he did not")
    assert q.kind == "direct" and q.text == "Maybe he did not do a good job."
    # the content of `defended` ends before the aside that opens the quote
    assert not [o for o in found if o is not q and o.span.contains(q.span)]


@pytest.mark.parametrize(
    "text",
    [
        "A harbor official said Lopez will have to choose a side soon, saying, \u201cWe can't wait.\u201d",
        "A harbor official said Lopez will have to choose a side soon, adding that the ferry cannot wait.",
    ],
)
def test_an_aside_after_what_someone_said_is_theirs(text: str) -> None:
    # the parse hangs `saying` inside what the official said; the official still says it
    q = one(quotes_of(text), "wait")
    assert q.text.endswith("wait.") or q.text.endswith("wait")
    assert q.speaker.mention_text == "A harbor official"


@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("Lopez rejected that plan outright.", "that plan"),
        ("Lopez said that plan would fail.", "that plan would fail"),
        ("The ad concludes with a clip, \u201cThat makes me smart,\u201d as the music fades.", None),
    ],
)
def test_a_leading_that_pronoun_or_determiner_stays_in_the_content(text: str, content: str | None) -> None:
    found = quotes_of(text)
    if content is not None:
        assert content in [q.text for q in found]
    # never a content that starts after a pronoun `That` that was cut off
    assert not [q for q in found if q.text.startswith("makes")]


@pytest.mark.parametrize(
    "text",
    [
        "Ferry fares rose 30 percent last year, compared to 11 percent for buses.",
        "The council sent a letter regarding the ferry schedule to every household.",
    ],
)
def test_a_participle_used_as_a_preposition_is_no_cue(text: str) -> None:
    assert not [q for q in quotes_of(text) if (q.cue or "").lower() in {"compared", "regarding"}]


def test_a_nickname_inside_a_name_is_not_a_quote() -> None:
    text = (
        '"The ferry will run all winter!" the mayor\'s aide, Ana "Pip" Lopez, shouted to the crowd. '
        '"We have the boats and the crews."'
    )
    found = quotes_of(text)
    assert not [q for q in found if "Pip" in q.text and "ferry" not in q.text]
    assert found[0].text.startswith("The ferry will run all winter!")
    assert found[-1].text.endswith("We have the boats and the crews.")
    assert {q.speaker.mention_text for q in found} == {"the mayor's aide"}
    assert found[0].cue == "shouted"  # `to the crowd` is whom it was shouted to, not what


def test_shouted_to_the_crowd_after_a_quote_is_its_cue() -> None:
    found = quotes_of('"The ferry runs late!" Lopez shouted to the crowd.')
    assert [(q.kind, q.text, q.cue) for q in found] == [("direct", "The ferry runs late!", "shouted")]


@pytest.mark.parametrize(
    ("text", "mention", "name"),
    [
        (
            "Mayor Lopez's spokeswoman Dana Ruiz said the ferry would run.",
            "Mayor Lopez's spokeswoman Dana Ruiz",
            "Dana Ruiz",
        ),
        ("Lopez's aide said the ferry would run.", "Lopez's aide", None),
    ],
)
def test_the_owner_in_a_possessive_is_not_the_speaker(text: str, mention: str, name: str | None) -> None:
    q = one(quotes_of(text), "ferry would run")
    assert (q.speaker.mention_text, q.speaker.name) == (mention, name)


@pytest.mark.parametrize(
    "text",
    [
        'Lopez likened the plan to "sinking the fleet" - a charge that stung the council.',
        "Lopez likened the plan to \u201csinking the fleet\u201d \u2014 a charge that stung the council.",
    ],
)
def test_a_dash_after_a_quote_sets_off_the_narrators_aside(text: str) -> None:
    q = one([q for q in quotes_of(text) if q.kind == "indirect"], "sinking")
    assert q.text.startswith("the plan to") and q.text.rstrip('"\u201d').endswith("sinking the fleet")


def test_during_after_a_quote_is_the_narrators_setting() -> None:
    found = quotes_of("Lopez called the timetable a \u201ccruel joke\u201d during a stop in Port Avel.")
    assert [q.text for q in found if q.kind == "indirect"] == ["the timetable a \u201ccruel joke\u201d"]


def test_a_cue_parsed_as_a_modifier_of_its_long_subject_still_has_that_speaker() -> None:
    # the small parser reads `compared` as a participle on `Kall`, the sentence having no verb
    text = (
        "Ana Kall, the director of debate at the University of Avel, compared Lopez to a coach "
        'at a basketball game who is "working the referees" in hopes that "they\'ll go easier" on him.'
    )
    q = one([q for q in quotes_of(text) if q.kind == "indirect"], "working the referees")
    assert q.speaker.mention_text == "Ana Kall" and q.cue == "compared"
    assert q.text.endswith("on him")


@pytest.mark.parametrize(
    ("text", "cut"),
    [
        ("Lopez called the timetable a \u201ccruel joke\u201d during a stop in Port Avel.", True),
        ("Lopez called the timetable a \u201ccruel joke\u201d in a statement on the council's site.", True),
        ("Lopez called the timetable a \u201ccruel joke\u201d - a charge that stung.", False),
        ("Lopez called the timetable a \u201ccruel joke\u201d for the whole town.", False),
    ],
)
def test_a_content_cut_before_where_it_was_said_says_so(text: str, cut: bool) -> None:
    # `setting_cut` keeps the tagger from running the quote on into where it was said; other asides
    # (a dash, a relative clause) the tagger may read as said, and on PolNeAR train often rightly
    doc = nlp.parse(text)
    frames = [f for f in find_frames(doc, sentences(doc, []), None) if f.cue_text == "called"]
    assert [f.setting_cut for f in frames] == [cut]


def test_a_second_verb_hung_on_the_content_is_the_cues_twin() -> None:
    # the parse hangs `urge` on `duped`; it is Lopez's second act, not part of the first
    text = (
        "Lopez went on the radio to accuse Vartan\u2019s aides of being \u201cduped\u201d by "
        "\u201ca fraud\u201d and urge voters to read the report."
    )
    found = [q for q in quotes_of(text) if q.kind == "indirect"]
    accused = one(found, "duped")
    assert accused.text == "Vartan\u2019s aides of being \u201cduped\u201d by \u201ca fraud\u201d"
    urged = one(found, "voters")
    assert urged.cue == "urge" and urged.speaker.mention_text == "Lopez"


@pytest.mark.parametrize(
    ("text", "first"),
    [
        (
            'Lopez urged the council to act before the vote -- a delay the mayor said is to "buy time".',
            "the council to act before the vote",
        ),
        # between two dashes the attribution is an aside, and what Lopez said goes on after it
        ("Lopez said the plan -- which Vartan said was late -- would pass in May.", None),
    ],
)
def test_a_dash_before_an_attribution_of_its_own_ends_a_content(text: str, first: str | None) -> None:
    found = [q for q in quotes_of(text) if q.kind == "indirect"]
    lopez = [q.text for q in found if q.speaker.mention_text == "Lopez"]
    assert lopez == [first or "the plan -- which Vartan said was late -- would pass in May"]


def test_by_saying_a_quote_is_the_sayings() -> None:
    found = quotes_of(
        'Warren responded to one of the mayor\'s messages by saying, "Seriously, just stop lying."'
    )
    assert [q.text for q in found if q.cue == "responded"] == ["to one of the mayor's messages"]
    assert [q.text for q in found if q.cue == "saying"] == ["Seriously, just stop lying."]


def test_before_doing_something_after_a_quote_is_the_narrators() -> None:
    text = (
        "Vartan answered the questions with \u201clet\u2019s not get ahead of ourselves,\u201d before "
        "cheerfully predicting that the ferry would run."
    )
    found = quotes_of(text)
    answered = [q.text for q in found if q.cue == "answered" and q.kind == "indirect"]
    assert answered == ["the questions with \u201clet\u2019s not get ahead of ourselves,\u201d"]


def test_a_colon_before_a_quote_ends_the_content_before_it() -> None:
    found = quotes_of(
        'Lopez suggested he had silenced the council: "They signed a confidentiality agreement."'
    )
    assert [(q.kind, q.text) for q in found] == [
        ("indirect", "he had silenced the council"),
        ("direct", "They signed a confidentiality agreement."),
    ]
    assert {q.speaker.mention_text for q in found} == {"Lopez"}


def test_on_twitter_before_doing_more_is_the_narrators_and_the_speakers_next_act() -> None:
    text = (
        "Lopez wrote that the ferry had \u201ckept us afloat\u201d on Twitter before claiming that the "
        "bridge was \u201cfalling apart.\u201d"
    )
    found = [q for q in quotes_of(text) if q.kind == "indirect"]
    assert [(q.text, q.speaker.mention_text) for q in found] == [
        ("that the ferry had \u201ckept us afloat\u201d", "Lopez"),
        ("that the bridge was \u201cfalling apart.\u201d", "Lopez"),
    ]


def test_a_list_of_quoted_fragments_is_one_quote() -> None:
    text = (
        "Lopez went on about \u201chow the ferry is rigged,\u201d and \u201cstranded island families\u201d "
        "and \u201cour own struggling towns.\u201d"
    )
    found = quotes_of(text)
    assert [q.text for q in found] == [text[text.index("how") : text.rindex(".") + 1]]
    assert found[0].speaker.mention_text == "Lopez"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (
            'Lopez said the council will help "re-skill" ferry crews - and he makes sure to name the docks.',
            'the council will help "re-skill" ferry crews',
        ),
        (
            "Lopez said the council has the money for the bridge -- having hinted in May that it does not.",
            "the council has the money for the bridge",
        ),
        # `including ...` after a dash still belongs to what was said
        (
            "Lopez said the plan would cost more - including some fees added just hours earlier.",
            "the plan would cost more - including some fees added just hours earlier",
        ),
    ],
)
def test_a_dash_before_the_narrators_next_words_ends_a_content(text: str, said: str) -> None:
    assert [q.text for q in quotes_of(text) if q.cue == "said" and q.kind == "indirect"] == [said]


# --- as a reader sees it (issue 35) -------------------------------------------------------------


def test_multi_paragraph_quote_is_direct_to_its_last_paragraph() -> None:
    # each paragraph of a continuing quote opens with a mark, only the last one closes
    text = (
        "Mayor Ines Varga spoke after the vote on Tuesday.\n\n"
        "The council chair, Petra Holm, replied, \u201cThe ferry will run every hour from May.\n\n"
        "\u201cWe have the boats and we have the crews for it.\n\n"
        "\u201cNobody will wait on the pier in the rain again.\u201d\n\n"
        "\u201cThe boats are old and slow,\u201d said the harbor master, Jonas Pell."
    )
    found = quotes_of(text)
    for words in ("every hour from May", "we have the crews", "wait on the pier"):
        q = one(found, words)
        assert q.kind == "direct" and q.speaker.name == "Petra Holm", (words, q)
        assert "\u201d" not in q.text  # the words, not the closing mark
    # the quote after the closed block has its own speaker
    assert said_by(found, "boats are old") == "Jonas Pell"


def test_quote_block_after_an_aside_is_the_introducers() -> None:
    text = (
        "The minister, Karl Brandt, pledged backing for the dockers' union's \u201cfair demands\u201d.\n\n"
        "The remark was read as a nod to the strike at the port.\n\n"
        "\u201cThe union is engaged in a fair fight for better wages and safer docks.\n\n"
        "\u201cWe are sure the owners will come back to the table before winter.\u201d"
    )
    found = quotes_of(text)
    assert said_by(found, "a fair fight") == "Karl Brandt"
    assert said_by(found, "come back to the table") == "Karl Brandt"


def test_quote_block_after_an_aside_naming_someone_else_is_not_the_introducers() -> None:
    # the paragraph between names another person who could be speaking: the block is not the minister's
    text = (
        "The minister, Karl Brandt, pledged backing for the dockers' union's \u201cfair demands\u201d.\n\n"
        "The remark was read as a nod to Jonas Pell, who leads the strike at the port.\n\n"
        "\u201cThe union is engaged in a fair fight for better wages and safer docks.\n\n"
        "\u201cWe are sure the owners will come back to the table before winter.\u201d"
    )
    assert said_by(quotes_of(text), "a fair fight") != "Karl Brandt"


def test_pronoun_is_the_previous_paragraphs_speaker_not_the_most_named_person() -> None:
    text = (
        "Mayor Sofia Weller praised the deal on Monday. Weller said the port would reopen. "
        "Sofia Weller has led the city since 2019.\n\n"
        "But the head of the port authority, Ana Ruiz, told a local radio station that the "
        "dispute was over.\n\n"
        "\u201cIt was settled weeks ago,\u201d she said."
    )
    q = one(quotes_of(text), "settled weeks ago")
    assert q.speaker.name == "Ana Ruiz" and q.speaker.mention_text == "she"


def test_pronoun_skips_a_previous_speaker_of_the_other_gender() -> None:
    text = (
        "Mayor Sofia Weller praised the deal on Monday. Weller said the port would reopen.\n\n"
        "But the harbor master, John Pell, told a local radio station that the dispute was over.\n\n"
        "\u201cIt was settled weeks ago,\u201d she said."
    )
    assert said_by(quotes_of(text), "settled weeks ago") == "Sofia Weller"


def test_pronoun_is_the_person_its_own_paragraph_names_not_the_previous_speaker() -> None:
    text = (
        "Mayor Lina Ostrova said the bridge would reopen in May.\n\n"
        "Harbour master Pavel Dorn, who oversaw the repairs, was more cautious. "
        "\u201cSteel is slow,\u201d he said. \u201cWe will see in June.\u201d"
    )
    assert said_by(quotes_of(text), "Steel is slow") == "Pavel Dorn"


def test_partial_quote_inside_reported_speech_is_the_reporting_speakers() -> None:
    text = "The mayor, Tom Weller, said the new coach Sara Lind shows \u201creal passion for the game\u201d."
    q = one(quotes_of(text), "real passion")
    assert q.speaker.name == "Tom Weller"
    assert q.kind == "partial"


def test_quote_of_someone_who_speaks_inside_reported_speech_stays_theirs() -> None:
    text = "The mayor, Tom Weller, said the coach Sara Lind told players: \u201cWe will win the cup.\u201d"
    assert said_by(quotes_of(text), "win the cup") == "Sara Lind"


def test_partial_quote_of_a_second_speaker_in_one_sentence_is_theirs() -> None:
    """ "Ruiz told the paper there was “A” while Brandvik ... said “B”": the parse may hang Brandvik's
    clause inside what Ruiz told, but B is inside Brandvik's content, the tighter one, so it is his."""
    text = (
        "Mayor Ana Ruiz told the Harbour Times there was \u201cno sign of a leak at the dam\u201d while "
        "Tomas Brandvik, the former harbour master, said \u201cit looks like a clean repair\u201d under "
        "the circumstances."
    )
    found = quotes_of(text)
    assert said_by(found, "no sign of a leak") == "Ana Ruiz"
    b = one(found, "a clean repair")
    assert b.kind == "partial" and b.speaker.name == "Tomas Brandvik"


@pytest.mark.parametrize(
    "text",
    [
        "Mayor Tom Weller said he would sign the bill. The \u201creform\u201d has been debated for months.",
        "The \u201creform\u201d has been debated for months. Mayor Tom Weller said he would sign it.",
    ],
)
def test_scare_quoted_term_of_the_narrator_is_no_quote(text: str) -> None:
    found = quotes_of(text)
    assert not [q for q in found if "reform" in q.text], [q.text for q in found]
    assert said_by(found, "would sign") == "Tom Weller"


def test_quoted_words_someone_says_in_the_same_sentence_stay_a_quote() -> None:
    text = "The \u201creform\u201d is \u201ca disgrace to this city,\u201d Mayor Tom Weller said on Tuesday."
    q = one(quotes_of(text), "a disgrace")
    assert q.speaker.name == "Tom Weller"


def test_every_quote_has_a_confidence_and_nominal_spans_are_not_shown() -> None:
    from storydiff.extract.confidence import shown

    text = (
        "Mayor Maria Lopez said on Monday that the board had ignored the ferry for years.\n\n"
        "The two mayors praised each other at the summit.\n\n"
        "\u201cWe will build the bridge next year,\u201d Lopez said."
    )
    found = quotes_of(text)
    assert all(q.confidence is not None and 0.0 <= q.confidence <= 1.0 for q in found)
    assert shown(one(found, "build the bridge")) and shown(one(found, "ignored the ferry"))
    # kept (the JSON has it), with a confidence under the display threshold
    assert not shown(one(found, "each other"))


def test_quoted_words_inside_a_shown_quote_are_shown_with_it() -> None:
    from storydiff.extract.confidence import shown

    found = quotes_of("Mayor Maria Lopez called the new timetable \u201cmuddled\u201d on Monday.")
    inner = one(found, "muddled")
    outer = max((q for q in found if q.span.contains(inner.span)), key=lambda q: len(q.text))
    assert shown(outer) and shown(inner)


def test_the_paragraphs_of_one_quote_are_shown_together() -> None:
    from storydiff.extract.confidence import shown

    text = (
        "Dock workers walked out on Monday.\n\n"
        "The minister pledged backing for the union\u2019s \u201cfair demands\u201d.\n\n"
        "The remark was read as a nod to the strike.\n\n"
        "\u201cThe union is engaged in a fair fight for its members.\n\n"
        "\u201cWe are sure the owners will listen.\u201d"
    )
    found = quotes_of(text)
    first, last = one(found, "a fair fight"), one(found, "owners will listen")
    assert first.speaker.mention_text == last.speaker.mention_text == "The minister"
    assert last.confidence is not None and first.confidence is not None
    assert last.confidence >= first.confidence and shown(last) == shown(first)


@pytest.mark.parametrize(
    "middle",
    [
        "Later, the harbor chief, Ana Ruiz, arrived at the port with two aides.",
        "The port authority\u2019s chief, Ana Ruiz, was less sure. She warned that the strike could return.",
    ],
)
def test_pronoun_is_the_subject_of_the_paragraph_before(middle: str) -> None:
    text = (
        "Mayor Sofia Weller opened the summit. Weller said the talks would be long. "
        "Sofia Weller has led the city since 2019.\n\n"
        f"{middle}\n\n"
        "\u201cNothing is settled yet,\u201d she said."
    )
    assert said_by(quotes_of(text), "Nothing is settled") == "Ana Ruiz"


def test_pronoun_of_the_other_gender_skips_the_subject_of_the_paragraph_before() -> None:
    text = (
        "Mayor Sofia Weller opened the summit. Weller said the talks would be long.\n\n"
        "Later, harbor chief John Pell arrived at the port with two aides.\n\n"
        "\u201cNothing is settled yet,\u201d she said."
    )
    assert said_by(quotes_of(text), "Nothing is settled") == "Sofia Weller"


def test_the_passive_subject_of_a_cue_is_not_who_spoke() -> None:
    text = (
        "The Harlow bridge is expected to reopen next week, officials in Dunmere say.\n\n"
        "Councillor Ada Brisk was told that the repairs would cost more.\n\n"
        "Mayor Ilse Varga was quoted as saying the ferry would run again by May."
    )
    found = quotes_of(text)
    subjects = [q.speaker.mention_text for q in found if q.speaker.mention_text]
    assert not any("bridge" in s or "Brisk" in s for s in subjects)  # someone expected it, told her
    assert said_by(found, "the ferry would run again") == "Ilse Varga"  # `quoted as saying`: she spoke


def test_a_title_before_a_name_the_recogniser_missed_is_a_role() -> None:
    found = quotes_of("“We have found 12 bodies in the wreck so far,” police chief Ana Ruiz said.")
    speaker = one(found, "12 bodies").speaker
    assert (speaker.name, speaker.role, speaker.mention_text) == (
        "Ana Ruiz",
        "police chief",
        "police chief Ana Ruiz",
    )


def test_a_relative_who_on_a_description_of_a_name_is_that_person() -> None:
    """ "Mark Kantrowitz, a student loan expert who said ...": the expert is Kantrowitz, and so is
    the speaker of the relative clause."""
    found = quotes_of(
        "The plan was criticised by Mark Kantrowitz, a student loan expert who said the limits were too low."
    )
    q = one(found, "the limits were too low")
    assert q.speaker.mention_text == "who" and q.speaker.name == "Mark Kantrowitz"
    assert q.speaker.role == "student loan expert"


def test_a_cue_particle_is_not_what_was_said() -> None:
    # `pointed out`, `lashed out`: the particle belongs to the cue, the content starts after it
    found = quotes_of("Ana Ruiz pointed out the flaws in the new ferry timetable.")
    q = one(found, "the flaws in the new ferry timetable")
    assert q.text == "the flaws in the new ferry timetable" and q.speaker.name == "Ana Ruiz"
    # ... and a particle alone says nothing (`would not back down`)
    found = quotes_of("Ana Ruiz, 54, a former captain, said the union would not back down.")
    assert [q.text for q in found] == ["the union would not back down"]


def test_after_hung_on_the_cue_is_when_not_what() -> None:
    # `after ...` on the cue verb says when the union spoke up, not what it backed
    found = quotes_of("The dockers' union backed the ferry strike after a long meeting on Sunday.")
    q = one(found, "the ferry strike")
    assert q.text == "the ferry strike" and q.speaker.mention_text == "The dockers' union"
    # ... while an `after` inside the reported clause is said
    found = quotes_of("Ana Ruiz said the ferry would sail after the storm.")
    assert one(found, "the ferry would sail").text == "the ferry would sail after the storm"


def test_who_was_told_is_not_what_was_said() -> None:
    # `told reporters`, `told the Harbour Gazette on Monday`: to whom, where and when
    found = quotes_of("\u201cThey never listen.\u201d Ana Ruiz later told reporters.")
    assert [q.text for q in found] == ["They never listen."]
    found = quotes_of("The ferry sailed late. Ana Ruiz told the Harbour Gazette on Monday.")
    assert found == []
    # ... while a story is what was told
    found = quotes_of("Ana Ruiz told a slightly different story.")
    assert one(found, "story").text == "a slightly different story"


def test_a_time_alone_is_not_what_was_said() -> None:
    # "listed" names what is listed, but a ship listing "about 40 minutes after leaving" says nothing
    text = (
        "The vessel was carrying 212 passengers when it listed sharply about 40 minutes after leaving "
        "Brenna Bay, according to survivors. The coast guard listed the names of the missing."
    )
    found = quotes_of(text)
    assert not [q for q in found if q.cue == "listed" and "minutes" in q.text]
    assert [q.text for q in found if q.cue == "listed"] == ["the names of the missing"]


def test_saying_nothing_is_not_a_quote() -> None:
    found = quotes_of("President Vartan praised the deal. Moretsky, for his part, said nothing.")
    assert [q.text for q in found] == ["the deal"]
    assert [q.text for q in quotes_of("Moretsky said nothing would change.")] == ["nothing would change"]
