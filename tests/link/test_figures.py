"""Which figures of two sentences fill one slot (link.figures), on sentences written for these tests."""

from storydiff.link.figures import aligned, counted, counted_in_both, tokens


def _pairs(a: str, b: str) -> list[tuple[str, str, bool]]:
    return [(p.a.text, p.b.text, p.clash) for p in aligned(a, b)]


def test_figures_at_one_place_in_two_wordings_are_paired() -> None:
    a = "The Harbour Gazette said 14 boats were lost in the storm of 2031."
    b = "The Harbour Gazette said 19 boats were lost in the storm of 2031."
    assert _pairs(a, b) == [("14", "19", True), ("2031", "2031", False)]
    [first, _] = aligned(a, b)
    assert first.equal_run and first.before and first.after and first.agreeing == 1


def test_a_figure_moved_within_the_sentence_is_paired_by_what_it_counts() -> None:
    a = "Marine patrols detained 23 smugglers off Cape Verrin on Saturday."
    b = "On Saturday, 51 suspected smugglers were detained off Cape Verrin by marine patrols."
    assert _pairs(a, b) == [("23", "51", True)]


def test_vague_and_rounded_figures_do_not_clash() -> None:
    assert _pairs("The talks lasted about five hours.", "The talks lasted 5 hours.") == [("five", "5", False)]
    assert _pairs("Some 2,000 marchers came.", "About 2,100 marchers came.") == [("2,000", "2,100", False)]
    assert _pairs("More than 80 homes burned.", "As many as 120 homes burned.") == [("80", "120", False)]


def test_a_season_of_two_years_is_no_score_and_a_year_is_exact() -> None:
    # "2008-09" names a season, not a score of 2008 to 9: its "09" is no slot for a record's "14"
    a = "The Sixers have disappointed this season, just 9-14 despite the inspired 2007-08 run."
    b = "With the acquisition of Elton Brand, the 2008-09 season was supposed to be a good one."
    assert not any(clash for _, _, clash in _pairs(a, b))
    # a round year is not a round figure: 2000 is not "about 2,000"
    assert _pairs("He left the club in 2000.", "He left the club in 2001.") == [("2000", "2001", True)]


def test_a_range_is_one_figure_and_a_bound_after_a_currency_sign_holds() -> None:
    assert _pairs("Between 10 and 15 people died in the fire.", "Twelve people died in the fire.") == [
        ("10 and 15", "Twelve", False)
    ]
    assert _pairs("Officials said 10 to 15 people died.", "Officials said 20 people died.") == [
        ("10 to 15", "20", True)
    ]
    # a sign between "between" and the figure, and a scale the two ends share
    assert _pairs(
        "The Orioles bid between $140 million and $150 million.",
        "The Orioles made an offer between $140 and $150 million.",
    ) == [("140 million and $150 million", "140 and $150 million", False)]
    # a change is two figures, not a range
    assert [f.text for f in tokens("Prices rose from 10 to 15 percent.")[1]] == ["10", "15"]
    # "at least" and "in excess of" bound a sum of money too
    a, b = "The offer is worth at least $160 million.", "The offer is worth $180 million."
    assert _pairs(a, b) == [("160 million", "180 million", False)]
    assert not any(c for _, _, c in _pairs(a.replace("at least", "in excess of"), b))


def test_a_restated_figure_in_brackets_is_skipped_whole() -> None:
    # the conversion in brackets restates the sum; its "2. 6-million", split by a stray space, is not
    # a figure of 6 million either
    text = "The men made off with a €2 million ($2. 6-million) booty, a police source said."
    assert [f.text for f in tokens(text)[1]] == ["2 million"]


def test_a_day_of_a_month_is_never_a_count() -> None:
    a = "A provisional trial date was set for October 28 with a duration of three days."
    b = "A three day trial hearing was penciled in for October, the 23-year old's plea due in September."
    assert not any(clash for _, _, clash in _pairs(a, b))
    assert [f.kind for f in tokens(b)[1]] == ["count", "age"]  # "old's" ends an age too


def test_a_decimal_written_without_its_zero_is_the_same_figure() -> None:
    a = "His blood-alcohol level was 0.41 percent, according to the charges."
    b = "A blood test showed his blood-alcohol level was .41."
    assert _pairs(a, b) == [("0.41", ".41", False)]


def test_about_one_figure_is_not_about_another_a_quarter_away() -> None:
    # "about", "some", "nearly": a tenth either way, not a fifth below
    a = "About 4,000 residents were moved from the delta."
    assert _pairs(a, "Some 3,000 residents were moved from the delta.") == [("4,000", "3,000", True)]
    assert _pairs("Nearly 4,000 residents were moved.", "In all 3,900 residents were moved.") == [
        ("4,000", "3,900", False)
    ]


def test_a_year_is_never_compared_with_a_count() -> None:
    [pair] = aligned("The mill opened in 1998 in Tolvey.", "The mill opened in 14 towns near Tolvey.")
    assert not pair.clash


def test_figures_with_nothing_in_common_around_them_are_paired_only_as_weak_evidence() -> None:
    a = "Two ferries sank near Oskar Point."
    b = "Rescuers pulled 40 people from the water after the sinking."
    [pair] = aligned(a, b)  # each is its sentence's only count: a candidate, for the model to weigh
    assert (pair.equal_run, pair.before, pair.after, pair.context) == (False, False, False, 0)
    c = "Two ferries sank near Oskar Point and 40 people were rescued."
    assert _pairs(c, b) == [("40", "40", False)]  # "people" says which of c's figures is b's


def test_number_words_with_scale_are_one_figure() -> None:
    _, figures = tokens("Thieves took 6 million euros and two paintings # from the vault.")
    assert [f.text for f in figures] == ["6 million", "two"]
    assert figures[0].low <= 6e6 <= figures[0].high and figures[1].low == figures[1].high == 2


def test_a_hyphenated_number_word_is_one_figure() -> None:
    _, figures = tokens("Forty-one people were treated, and twenty-five of them stayed overnight.")
    assert [(f.text, f.low) for f in figures] == [("Forty-one", 41), ("twenty-five", 25)]
    # spelled out at the head of one sentence, in digits in the other: the same figure
    assert _pairs("Forty-one people were treated.", "In all, 41 people were treated.") == [
        ("Forty-one", "41", False)
    ]


def test_figures_in_two_units_are_converted() -> None:
    a = "The lorry was stopped about 24km north of Delvane."
    assert _pairs(a, "The lorry was stopped about 15 miles north of Delvane.") == [("24", "15", False)]
    assert _pairs(a, "The lorry was stopped about 40 miles north of Delvane.") == [("24", "40", True)]


def test_a_speed_per_hour_is_a_speed_not_a_distance() -> None:
    # "140 km/h" read as 140 kilometres could not be set against "87 mph" at all
    a = "Storm Kessa struck with winds of 140 km/h on Friday."
    assert _pairs(a, "Storm Kessa struck with winds of 87 mph on Friday.") == [("140", "87", False)]
    assert _pairs(a, "Storm Kessa struck with winds of 120 mph on Friday.") == [("140", "120", True)]
    assert _pairs(a, "Storm Kessa struck with winds of 75 knots on Friday.") == [("140", "75", False)]


def test_rain_in_millimetres_and_inches_is_one_measure() -> None:
    a = "The storm dropped 80 mm of rain in 12 hours."
    hours = ("12", "12", False)
    assert _pairs(a, "The storm dropped 3 inches of rain in 12 hours.") == [("80", "3", False), hours]
    assert _pairs(a, "The storm dropped 5 inches of rain in 12 hours.") == [("80", "5", True), hours]


def test_two_measures_that_clash_are_named_with_their_units() -> None:
    from storydiff.link.clashes import PairEvidence, figure_clashes

    texts = ("Storm Kessa struck with winds of up to 140 km/h.", "Winds reaching 120 mph swept the coast.")
    [found] = figure_clashes(0, 1, texts, PairEvidence(0.9, True, True, 0.7), ("A", "B"))
    assert found.line == "140 km/h (A) vs 120 mph (B)"


def test_spans_of_time_in_two_units_are_converted() -> None:
    assert _pairs("The port was shut for two weeks.", "The port was shut for 14 days.") == [
        ("two", "14", False)
    ]
    assert _pairs("The port was shut for six weeks.", "The port was shut for two months.") == [
        ("six", "two", True)
    ]


def test_what_a_figure_is_comes_from_the_words_beside_it() -> None:
    _, figures = tokens("Ilse Varga, 61, paid $4m for 20 percent of Norrin FC after its 3-1 win at 4:30 p.m.")
    assert [(f.text, f.kind) for f in figures] == [
        ("61", "age"), ("4m", "money"), ("20", "percent"), ("3", "score"), ("1", "score2"), ("4:30", "clock"),
    ]  # fmt: skip
    assert figures[1].low <= 4e6 <= figures[1].high


def test_what_a_figure_counts_is_the_word_after_it_that_says_so() -> None:
    def what(text: str) -> list[str]:
        return [counted(text, f) for f in tokens(text)[1]]

    assert what("The navy seized 12 magazines and 23 pirates.") == ["magazines", "pirates"]
    # a joining word says nothing of what is counted; a date and a time of day count nothing
    assert what("He asked $20 million per season, 160 million and more.") == ["", ""]
    assert what("Voters in 2009 approved it on 20 October at 3:30 p.m.") == ["", "", ""]


def test_one_slot_is_read_through_a_plural_or_a_verb_s_and_a_word_between() -> None:
    # "would cover 11 fishing zones" / "covers nine zones": the same verb before, the same noun after
    a, b = "Vogt said the deal would cover 11 fishing zones.", "The deal covers nine zones, Vogt said."
    [pair] = aligned(a, b)
    assert pair.before and pair.after and pair.clash
    assert counted_in_both(a, pair.a, b, pair.b) == ("zones", "zones")
    assert counted(a, pair.a) == "fishing"  # alone, the first word is all there is to go by
    # two nouns that share nothing stay as each side counts them
    c, d = "The port lost 12 boats.", "The port lost nine trawlers."
    [pair] = aligned(c, d)
    assert counted_in_both(c, pair.a, d, pair.b) == ("boats", "trawlers")


def test_a_temperature_is_compared_across_its_scales() -> None:
    # 40C is 104F: no discrepancy; 40 degrees Celsius is not 90 degrees Fahrenheit (32C)
    assert _pairs("Temperatures reached 40C on Friday.", "Temperatures reached 104F on Friday.") == [
        ("40", "104", False)
    ]
    assert _pairs("a high of 38°C", "a high of 100.4°F") == [("38", "100.4", False)]
    assert _pairs("It hit 40 degrees Celsius.", "It hit 90 degrees Fahrenheit.") == [("40", "90", True)]
    assert _pairs("It hit 100 degrees.", "It hit 38C.") == [("100", "38", False)]  # no scale: no slot


def test_rose_to_a_figure_is_that_figure_and_up_to_one_is_at_most_it() -> None:
    assert _pairs("Unemployment rose to 30 per cent.", "Unemployment rose to 35%.") == [("30", "35", True)]
    assert _pairs("Up to 30 people were hurt.", "25 people were hurt.") == [("30", "25", False)]


def test_a_whole_number_may_round_a_plain_decimal() -> None:
    assert _pairs("Turnout was 67.3 percent.", "Turnout was 67 percent.") == [("67.3", "67", False)]
    assert _pairs("Turnout was 67.3 percent.", "Turnout was 68 percent.") == [("67.3", "68", True)]
    assert _pairs("The quake measured 5.9.", "The quake measured 6.") == [("5.9", "6", False)]
    # a scaled figure is compared as written: 1.5 million is no rounding of 2 million
    assert _pairs("It employs 1.5 million people.", "It employs 2 million people.") == [
        ("1.5 million", "2 million", True)
    ]


def test_numbers_in_names_ordinals_and_bracketed_conversions_are_not_figures() -> None:
    _, figures = tokens(
        "Guards seized AK-47 rifles on 117th Street; damage was put at $US1 million ($1.5 million)."
    )
    assert [f.text for f in figures] == ["1 million"]


def test_an_age_is_one_slot_however_the_two_sentences_word_it() -> None:
    a = "Police said Ilse Varga, 61, opened fire at the depot on Friday, wounding two guards."
    b = "A 64-year-old woman was charged after the shooting at the Norrin depot."
    assert ("61", "64", True) in _pairs(a, b)


def test_figures_of_different_kinds_or_currencies_never_clash() -> None:
    assert not any(p.clash for p in aligned("The gems were worth £88m.", "The gems were worth €103 million."))
    assert _pairs("The ferry left at 4 p.m. on Friday.", "The ferry left at 4:00 p.m. on Friday.") == [
        ("4", "4:00", False)
    ]
    [pair] = aligned("Ilse Varga, 61, was held.", "Police held 61 people.")  # an age and a count
    assert pair.kind == "" and not pair.clash


def test_two_figures_that_agree_are_paired_before_any_that_differ() -> None:
    a = "Tova Lind, 11, was grazed, while a 31-year-old man was shot in the arm."
    b = "An 11-year-old girl, Tova Lind, was grazed in the cheek."
    assert _pairs(a, b) == [("11", "11", False)]


def test_thousands_split_by_a_stray_space_are_one_figure_and_areas_convert() -> None:
    from storydiff.link.figures import tokens

    def read(text: str) -> list[str]:
        return [f.text for f in tokens(text)[1]]

    assert read("The tank holds 1, 500, 000 gallons.") == ["1, 500, 000"]
    assert read("The Orrin depot sold for $380, 600 in 2030.") == ["380, 600", "2030"]
    # a date and a count, a height and a weight: no number split there
    assert read("On May 5, 200 people marched.") == ["5", "200"]
    assert read("The suspect is 5-foot-8, 135 pounds.")[-1] == "135"
    # 15,800 square metres is 170,000 square feet, rounded
    a = "The 15, 800-square-metre building houses law offices."
    b = "The 170, 000-square-foot building houses law offices."
    assert _pairs(a, b) == [("15, 800", "170, 000", False)]
    assert _pairs(a, "The 21, 000-square-metre building houses law offices.")[0][2]
    assert _pairs("The fire burned 40 hectares of forest.", "The fire burned 99 acres of forest.") == [
        ("40", "99", False)
    ]


def _flags(a: str, b: str) -> list[str]:
    """The clashes of two sentences' figures that the clash model would weigh, for a sure pair."""
    from storydiff.link.clashes import PairEvidence, figure_clashes

    return [c.line for c in figure_clashes(0, 1, (a, b), PairEvidence(0.95, True, True, 0.9), ("A", "B"))]


def test_a_figure_that_counts_a_part_is_not_compared_with_the_whole() -> None:
    whole = "The three victims were taken to Orrin Hospital, a spokeswoman said."
    assert _flags(whole, "The two other victims were taken to Orrin Hospital, a spokeswoman said.") == []
    fewer = "The two victims were taken to Orrin Hospital, a spokeswoman said."
    assert _flags(whole, fewer) == ["victims: three (A) vs two (B)"]


def test_a_sentence_that_states_the_other_figure_too_does_not_dispute_it() -> None:
    one = "Paul Stenhart ran for 101 yards in the Orrin final."
    assert _flags("Ada Veen ran for 226 yards while Paul Stenhart added 101 in the Orrin final.", one) == []
    assert _flags(one, "Paul Stenhart ran for 140 yards in the Orrin final.")


def test_a_running_total_is_not_the_count_of_one_occasion() -> None:
    """ "31 rifles in their five raids so far" counts more than one raid: against "12 rifles were
    seized in the raid" it is no discrepancy; two counts of the one raid, or two totals, are."""
    total = "The coast guard has seized 31 rifles in its five raids so far, a spokesman said."
    raid = "The coast guard seized 12 rifles in the raid off Orrin, a spokesman said."
    assert _flags(total, raid) == []
    assert _flags(raid, "The coast guard seized 14 rifles in the raid off Orrin, a spokesman said.")
    assert _flags(total, "The coast guard has seized 33 rifles in its five raids to date, a spokesman said.")


def test_a_rate_is_not_one_slot_with_a_total() -> None:
    """ "$20 million per season" is what a year of the deal pays, not what the deal is worth."""
    total = "The Harbour Lions offered Ada Veen an eight-year deal worth $160 million."
    assert (
        _flags("The Harbour Lions offered Ada Veen an eight-year deal at $20 million per season.", total)
        == []
    )
    assert (
        _flags("The Harbour Lions offered Ada Veen an eight-year deal paying $20 million a year.", total)
        == []
    )
    assert _flags(total, "The Harbour Lions offered Ada Veen an eight-year deal worth $180 million.")
    # two rates are one slot, and "a season ago" makes no rate
    assert _flags("Veen scored 20 points a game for Orrin.", "Veen scored 24 points a game for Orrin.")
    assert _flags("Veen scored 20 points a season ago.", "Veen scored 24 points a season ago.")
    # nor an aside after the figure: "91-73, a game that ..." is one game's score
    assert _flags(
        "Orrin beat Dornik 91-73, a game that sealed the title.", "Orrin beat Dornik 91-85 to seal the title."
    )


def test_one_moment_on_two_clocks_is_no_discrepancy() -> None:
    """A kick-off given in local time by one outlet and in another zone by the other: a whole number
    of hours apart, with a zone named on one side only, the two times may be one moment."""
    local = "The final in Orrin kicks off on Saturday at 3:30 p.m. at the harbour ground."
    assert (
        _flags(local, "The final in Orrin kicks off on Saturday at 4:30 p.m. ET at the harbour ground.") == []
    )
    # not a whole number of hours, or both in one zone: a clash
    assert _flags(local, "The final in Orrin kicks off on Saturday at 4:45 p.m. ET at the harbour ground.")
    assert _flags(
        "The final in Orrin kicks off on Saturday at 3:30 p.m. ET at the harbour ground.",
        "The final in Orrin kicks off on Saturday at 4:30 p.m. ET at the harbour ground.",
    )
    assert _flags(local, "The final in Orrin kicks off on Saturday at 4:30 p.m. at the harbour ground.")


def test_two_readings_of_a_game_clock_are_two_plays() -> None:
    """ "with 7:42 left" dates one play of a match; another outlet's "with 14:05 left" dates another."""
    first = "With 7:42 left in the first half, Ada Veen scored from the left wing for Orrin."
    assert (
        _flags(first, "With 14:05 left in the first half, Ada Veen scored from the left wing for Orrin.")
        == []
    )
    assert _flags(
        "Orrin reached the 7-yard line with 29 seconds remaining in the final.",
        "Orrin reached the 7-yard line with 17 seconds remaining in the final.",
    ) == []  # fmt: skip
    # what is left of something other than a clock is still a count
    assert _flags(
        "Only 12 tickets are left for the Orrin final.", "Only 40 tickets are left for the Orrin final."
    )


def test_a_lead_is_a_moment_of_the_match_not_its_result() -> None:
    """ "jumping to a 14-0 lead" and "took a 17-7 lead" are two moments of one game; a lead is not the
    final score either. Two results of one match still clash."""
    early = "Orrin scored again on their second drive, jumping to a 14-0 lead over Dornik."
    assert (
        _flags(early, "Orrin kicked a field goal on their third drive to take a 17-7 lead over Dornik.") == []
    )
    assert _flags("Orrin led Dornik 14-7 at halftime on Sunday.", "Orrin beat Dornik 31-24 on Sunday.") == []
    assert _flags("Orrin beat Dornik 31-24 on Sunday.", "Orrin beat Dornik 31-17 on Sunday.")


def test_the_ages_of_two_named_people_are_not_one_slot() -> None:
    ruiz = "Ana Ruiz, 34, was killed in the crash on Harbour Road, police said."
    assert _flags(ruiz, "Jon Brask, 61, was killed in the crash on Harbour Road, police said.") == []
    assert _flags(ruiz, "A 61-year-old Jon Brask was killed in the crash on Harbour Road, police said.") == []
    # one person, however the two outlets write the age: a clash
    assert _flags(ruiz, "Ana Ruiz, aged 36, was killed in the crash on Harbour Road, police said.")
    assert _flags(ruiz, "A 36-year-old Ana Ruiz was killed in the crash on Harbour Road, police said.")
    # nobody named on one side: the ages may be one person's
    assert _flags(ruiz, "A 36-year-old woman was killed in the crash on Harbour Road, police said.")


def _named(text: str, *names: str) -> tuple[tuple[int, int, frozenset[str]], ...]:
    """Where each name stands in `text`, as `events.persons` gives it."""
    return tuple(
        (text.index(n), text.index(n) + len(n), frozenset(n.casefold().split())) for n in names
    )  # fmt: skip


def test_the_figures_of_two_named_people_are_not_one_slot() -> None:
    from storydiff.link.clashes import PairEvidence, figure_clashes

    def flags(a: str, b: str, names_a: tuple[str, ...], names_b: tuple[str, ...]) -> list[str]:
        names = (_named(a, *names_a), _named(b, *names_b))
        pair = PairEvidence(0.95, True, True, 0.9)
        return [c.line for c in figure_clashes(0, 1, (a, b), pair, ("A", "B"), names=names)]

    game = "Ivo Rask scored 23 points as Orrin beat Delmar on Friday."
    record = "Ivo Rask broke Tom Brenn's school record of 2, 116 points on Friday."
    assert flags(game, record, ("Ivo Rask",), ("Ivo Rask", "Tom Brenn")) == []
    # the same man's points in both: a clash
    assert flags(game, "Rask scored 32 points as Orrin beat Delmar on Friday.", ("Ivo Rask",), ("Rask",))
    # an age after its holder's name, however short the name
    older = "The 36-year-old Brenn has not won since May."
    assert flags(older, "The 32-year-old Rask won his tenth bout since May.", ("Brenn",), ("Rask",)) == []
    assert flags(older, "The 38-year-old Brenn has not won since May.", ("Brenn",), ("Brenn",))
    # a one-word name in the possessive is the age's holder even where the tagger named nobody there
    assert flags(older, "It was the 32-year-old Rask's tenth win since May.", ("Brenn",), ()) == []
    # one capitalised word that is no possessive may be a nationality or a place: no holder
    assert flags(older, "The 32-year-old Orrin man has not won since May.", ("Brenn",), ())


def test_one_persons_age_in_two_reports_of_one_event_is_raised() -> None:
    """ "Comeaux, 49," and "Arcade Comeaux, 53," in two reports of one escape are one man's age, however
    unlike the two sentences are; a sister's age ("Kathryn Jenkin, 20" against "John Jenkin, 23") is
    not his, and across two events an age may have grown."""
    from storydiff.link.clashes import PairEvidence, default_model, figure_clashes, raised

    def clash(a: str, b: str, names_a: tuple[str, ...], names_b: tuple[str, ...], one_event: bool = True):
        names = (_named(a, *names_a), _named(b, *names_b))
        pair = PairEvidence(0.6, False, one_event, 0.5)
        return figure_clashes(0, 1, (a, b), pair, ("A", "B"), names=names)

    escape = "Comeaux, 49, escaped from a prison van near Baytown on Monday."
    other = "Arcade Comeaux, 53, took the guards' weapons and fled on foot, police said."
    [found] = clash(escape, other, ("Comeaux",), ("Arcade Comeaux",))
    assert found.one_person
    assert raised(found, 0.05, default_model(), 0.9) == 0.6  # as sure as the pair, whatever the model says
    [later] = clash(escape, other, ("Comeaux",), ("Arcade Comeaux",), one_event=False)
    assert raised(later, 0.05, default_model(), 0.9) is None
    # however sure the clash model is: in two events one man may be 49 and 53
    assert raised(later, 0.99, default_model(), 0.9) is None
    brother = "John Jenkin, 23, was arrested on Saturday, police said."
    sister = "Kathryn Jenkin, 20, was found dead on Saturday, police said."
    [sister_age] = clash(brother, sister, ("John Jenkin",), ("Kathryn Jenkin",))
    assert not sister_age.one_person and raised(sister_age, 0.05, default_model(), 0.9) is None


def test_an_age_at_death_is_an_age() -> None:
    """ "dies at 91" and "died at the age of 91" state an age as "aged 91" does, so the two accounts of
    one death compare their ages however differently they are worded."""
    for text in ("Ilse Varga dies at 91", "Varga died at the age of 91 in Harlow.", "Varga, aged 91, died."):
        assert [f.kind for f in tokens(text)[1]] == ["age"], text
    assert [f.kind for f in tokens("The ferry arrived at 91 Harbour Road.")[1]] == ["count"]


def test_times_of_day_are_read_on_a_24_hour_dial() -> None:
    """ "6:41pm" and "18:41" are one time, as are "0241 GMT" and "02:41 GMT": no clash."""
    a = "The singer died at 6:41pm PST on Thursday (0241 GMT Friday) in a Harlow hospital."
    b = "The singer died at 18:41 on Thursday (02:41 GMT Friday) in a Harlow hospital."
    assert _pairs(a, b) == [("6:41", "18:41", False), ("0241", "02:41", False)]
    assert ("6:41", "17:41", True) in _pairs(a, b.replace("18:41", "17:41"))


def test_a_fraction_or_ratio_is_no_count() -> None:
    """Either number of "41 / 2" (a "4½" copied without its space) or "24/7" counts nothing."""
    assert tokens("He served 41 / 2 months in prison.")[1] == ()
    assert tokens("The desk is staffed 24/7.")[1] == ()
    assert _flags("He served 412 months in prison.", "He served 41 / 2 months in prison.") == []


def test_a_measure_is_not_compared_with_a_plain_count() -> None:
    """ "served 412 months" and "two reporters" are no slot in common; a unit glued on by a hyphen is
    a unit ("a 12-day search" against "searched for 10 days"), and an age is no span of years."""
    assert _flags(
        "He served 412 months in federal prison for the break-in.",
        "Two reporters covered the federal prison term for the break-in.",
    ) == []  # fmt: skip
    assert tokens("a 12-day search")[1][0].unit == ("time", 1.0)
    assert tokens("a 61-year-old man")[1][0].unit is None
    assert tokens("with 29 seconds left")[1][0].unit is not None
    assert _flags("The search for the boat lasted 10 days.", "The 12-day search for the boat ended.")


def test_a_sum_in_the_financial_press_shorthand_is_the_same_sum() -> None:
    """ "$160MM" is 160 million dollars, as the trade press writes it, not 160."""
    figure = tokens("The Orioles offered $160MM.")[1][0]
    assert figure.kind == "money" and figure.low <= 160e6 <= figure.high < 200e6
    a = "The Orioles offered Teixeira $160MM over eight years."
    same = "The Orioles offered Teixeira $160 million over eight years."
    more = "The Orioles offered Teixeira $200 million over eight years."
    assert _pairs(a, same)[0] == ("160MM", "160 million", False)
    assert _pairs(a, more)[0] == ("160MM", "200 million", True)


def test_a_time_of_day_is_never_a_count() -> None:
    """ "At 1230 hours" says when, "two boats" how many: not one slot, however the sentences align."""
    a = "Marine commandos boarded the dhow at 1230 hours and detained the smugglers."
    b = "Marine commandos boarded two boats and detained the smugglers."
    assert not any(clash for _, _, clash in _pairs(a, b))
    assert _pairs(a, a.replace("1230", "1430")) == [("1230", "1430", True)]


def test_a_scale_glued_on_by_a_hyphen_is_part_of_the_figure() -> None:
    """ "A $2.6-million haul" and "$2.6 million" are one sum, not 2.6 against 2.6 million."""
    [figure] = tokens("Thieves made off with a $2.6-million haul.")[1]
    assert figure.kind == "money" and figure.low <= 2.6e6 <= figure.high
    a = "Four men rammed a jeweller's window in Tolvey and made off with a $2.6-million haul."
    b = "Four men rammed a jeweller's window in Tolvey and made off with $2.6 million in watches."
    assert not any(clash for _, _, clash in _pairs(a, b))


def test_a_measure_is_not_paired_with_a_plain_count_as_if_they_agreed() -> None:
    # "five hours" and "two decades" cannot be compared, which is not agreeing: the hours of one
    # account are paired with the hours of the other, whichever sentence comes first
    a = "The leaders emerged from three hours of talks, the first in two decades."
    b = "The leaders agreed after talks that went on for about five hours."
    assert _pairs(a, b) == [("three", "five", True)]
    assert _pairs(b, a) == [("five", "three", True)]
    # decades and centuries are spans of time like years
    assert tokens("a feud of two decades")[1][0].unit == ("time", 3652.5)


def test_masked_reads_every_figure_as_one_token() -> None:
    from storydiff.link.figures import masked

    assert masked("The inquiry will report within three months, not 12.") == (
        "The inquiry will report within N months, not N."
    )
    assert masked("Forty-one men, 2,500 metres down") == "N men, N metres down"


def test_a_toll_is_read_from_the_verb_before_or_the_words_after_it() -> None:
    """The dead, the hurt, the missing and the arrested of an event are counted in many wordings
    ("killing two workers", "Three people died", "14 others were injured"); each is a kind of its own,
    never a span of time or a number of times."""

    def kinds(text: str) -> list[tuple[str, str]]:
        return [(f.text, f.kind) for f in tokens(text)[1]]

    fire = "The fire, killing two workers and injuring 14 others, spread."
    assert kinds(fire) == [("two", "dead"), ("14", "hurt")]
    assert kinds("Three people died when fire swept through the plant.") == [("Three", "dead")]
    assert kinds("A quake killed at least 10 people.") == [("10", "dead")]
    assert kinds("The death toll rose to 12 on Sunday.") == [("12", "dead")]
    riot = "Police said 18 people had been injured and 12 arrested."
    assert kinds(riot) == [("18", "hurt"), ("12", "arrested")]
    assert kinds("Five people are still missing.") == [("Five", "missing")]
    assert kinds("Gray had been arrested three times.") == [("three", "count")]  # how often, not how many
    assert kinds("The gunman killed three in 15 minutes.") == [("three", "dead"), ("15", "count")]
    assert kinds("She lives in 3 houses with 40 workers.") == [("3", "count"), ("40", "count")]
