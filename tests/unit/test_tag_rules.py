"""The attribution and linking rules one by one, on short articles written for these tests
(not taken from the corpus, so they check that the rules are general, not fitted to it)."""

from __future__ import annotations

from wirewatch.agents.tag import Tagger
from wirewatch.agents.tag.kb import load_kb
from wirewatch.streams.records import Article, Block, TaggedArticle


def tag(*paragraphs: str, day: str = "2022-03-01", title: str = "t") -> TaggedArticle:
    article = Article(
        id="x", title=title, blocks=[Block(p) for p in paragraphs], published=f"{day}T00:00:00Z"
    )
    return Tagger()(article)


def speakers(result: TaggedArticle) -> list[str]:
    return [q.speaker for q in result.quotes]


def reported(result: TaggedArticle, words: int = 2) -> list[tuple[str, str]]:
    """Each reported-speech item as (speaker, the first words of its clause)."""
    return [(r.speaker, " ".join(r.text.split()[:words])) for r in result.reported]


def test_cue_after_the_quote_in_both_orders() -> None:
    result = tag(
        '"We will keep the channel open," Antony Blinken said.',
        '"Nobody wants a longer war," said Olaf Scholz.',
    )
    assert speakers(result) == ["Antony Blinken", "Olaf Scholz"]
    assert [q.cue for q in result.quotes] == ["said", "said"]


def test_cue_before_the_quote_colon_told_and_according_to() -> None:
    result = tag(
        'Jens Stoltenberg told reporters: "Allies are united."',
        'According to Janet Yellen, the market is "resilient but nervous".',
    )
    assert speakers(result) == ["Jens Stoltenberg", "Janet Yellen"]


def test_role_resolved_by_the_date_when_the_article_names_nobody() -> None:
    before = tag('"Tariffs work," the US president told a rally.', day="2019-06-01")
    after = tag('"Tariffs work," the US president told a rally.', day="2023-06-01")
    assert speakers(before) == ["Donald Trump"] and speakers(after) == ["Joe Biden"]
    assert "Donald Trump" in {e.name for e in before.entities}


def test_a_role_the_article_introduces_wins_over_the_knowledge_base() -> None:
    # the knowledge base's NATO chief in 2024-11 is someone else; the article says who it means
    result = tag(
        "Jens Stoltenberg, the NATO chief at the time, spoke at the summit.",
        '"The alliance is stronger than ever," the NATO chief said.',
        day="2024-11-20",
    )
    assert speakers(result) == ["Jens Stoltenberg"]


def test_pronoun_goes_to_the_person_of_the_same_gender_in_focus() -> None:
    result = tag(
        "Christine Lagarde met Jerome Powell in Frankfurt on Monday.",
        '"Inflation is coming down, but not fast enough," she said.',
        '"We are watching wages closely," he added.',
    )
    assert speakers(result) == ["Christine Lagarde", "Jerome Powell"]


def test_a_person_named_inside_the_quote_is_never_its_speaker() -> None:
    result = tag(
        "Olaf Scholz spoke after Emmanuel Macron left the room.",
        '"Emmanuel Macron and I agree on the essentials," he said.',
    )
    assert speakers(result) == ["Olaf Scholz"]


def test_quote_introduced_by_the_sentence_before() -> None:
    result = tag('Jerome Powell was cautious. "One good month is not a trend."')
    assert speakers(result) == ["Jerome Powell"]


def test_multi_paragraph_quote_keeps_its_speaker_per_paragraph() -> None:
    result = tag(
        'Antony Blinken said: "The first part runs on.',
        '"The second part runs on too.',
        '"And this one closes."',
        "Sergey Lavrov disagreed.",
    )
    assert [q.text for q in result.quotes] == [
        "The first part runs on.",
        "The second part runs on too.",
        "And this one closes.",
    ]
    assert speakers(result) == ["Antony Blinken"] * 3


def test_nested_quote_stays_inside_the_outer_one() -> None:
    result = tag("\u201cThey told us \u2018wait\u2019, and we waited,\u201d Tim Cook said.")
    assert [q.text for q in result.quotes] == ["They told us \u2018wait\u2019, and we waited,"]
    assert speakers(result) == ["Tim Cook"]


def test_titles_and_headlines_are_not_quotations() -> None:
    result = tag(
        'Satya Nadella presented a report titled "Work Trend Index" on Monday.',
        'A newspaper ran the headline "Markets Shrug Off Rate Fears".',
    )
    assert result.quotes == []


def test_scare_quotes_are_not_quotations() -> None:
    result = tag('Jerome Powell dismissed the so-called "experts" and said rates were "about right".')
    assert [(q.text, q.speaker) for q in result.quotes] == [("about right", "Jerome Powell")]


def test_an_unnamed_source_gets_no_speaker() -> None:
    result = tag(
        "Jens Stoltenberg left early.",
        '"This will not last," said one European diplomat.',
        '"Rates will go up again," a Norwegian shipowner told reporters.',
    )
    assert [(q.speaker, q.cue) for q in result.quotes] == [("", "said"), ("", "told")]


def test_reported_speech_is_kept_apart_from_quotations() -> None:
    result = tag("Rishi Sunak said that the budget would be balanced by 2027.")
    assert result.quotes == []
    assert [(r.speaker, r.text) for r in result.reported] == [
        ("Rishi Sunak", "that the budget would be balanced by 2027.")
    ]


def test_capital_is_the_government_unless_it_is_the_place() -> None:
    result = tag("Moscow rejected the proposal, officials in Berlin said.")
    names = {e.name for e in result.entities}
    assert "Russia" in names and "Moscow" not in names
    assert "Berlin" in names and "Germany" not in names


def test_demonyms_are_not_entity_mentions() -> None:
    result = tag("Italian and French officials met on Tuesday.")
    assert {e.name for e in result.entities} == set()


def test_a_surname_that_is_a_common_word_needs_an_introduction() -> None:
    assert "Theresa May" not in {e.name for e in tag("Prices may rise in May.").entities}
    assert "Theresa May" in {e.name for e in tag("Mrs May spoke to MPs.").entities}


def test_watchlist_people_extend_the_knowledge_base_without_duplicates() -> None:
    kb = load_kb([], [], {"countries": {}})
    tagger = Tagger(kb)
    tagger.add_people(["Ada Quillfeather", "Ada Quillfeather"])
    article = Article(id="x", title="t", blocks=[Block('"We are ready," Quillfeather said.')])
    result = tagger(article)
    assert [q.speaker for q in result.quotes] == ["Ada Quillfeather"]
    assert sum(1 for name, _kind in kb.names.values() if name == "Ada Quillfeather") == 1


def test_an_unknown_speaker_is_named_without_growing_the_shared_knowledge_base() -> None:
    kb = load_kb([], [], {"countries": {}})
    before = len(kb.names)
    article = Article(id="x", title="t", blocks=[Block('"The ferry runs at dawn," said Ada Quillfeather.')])
    result = Tagger(kb)(article)
    assert [(q.speaker, q.speaker_id) for q in result.quotes] == [
        ("Ada Quillfeather", "person:ada-quillfeather")
    ]
    assert "Ada Quillfeather" in {e.name for e in result.entities}
    assert len(kb.names) == before
    titled = Tagger(kb)(Article(id="y", title="t", blocks=[Block('"Closed today," said the Deputy Mayor.')]))
    assert titled.quotes[0].speaker == ""


def test_a_person_the_knowledge_base_does_not_know_is_found_as_news_introduces_them() -> None:
    """Most people the news quotes are in no knowledge base: a full name with an apposition or
    a speech verb introduces one, and the surname, a pronoun or the next sentence follows."""
    result = tag(
        "Ilona Marsk, the head of the river port authority, said on Monday that dredging would start in May.",
        'Marsk told reporters: "The channel has silted up faster than any model predicted."',
        '"We will need two seasons," she said.',
        "Passenger Services Director Jaan Õunapuu said 300 sailings had been cancelled. "
        '"Every ticket will be honoured," Õunapuu said.',
    )
    assert speakers(result) == ["Ilona Marsk", "Ilona Marsk", "Jaan Õunapuu"]
    assert [r.speaker for r in result.reported] == ["Ilona Marsk", "Jaan Õunapuu"]
    assert result.reported[0].text.startswith("on Monday that dredging")
    marsk = next(e for e in result.entities if e.name == "Ilona Marsk")
    assert marsk.type == "person" and marsk.id == "person:ilona-marsk" and len(marsk.mentions) == 2


def test_an_unknown_speaker_after_a_known_one_is_not_taken_for_them() -> None:
    """The wrong-person trap: reported speech by someone the knowledge base does not know,
    right after a quotation of someone it does."""
    result = tag(
        '"This is a difficult moment," Olaf Scholz told journalists in Berlin.',
        '"It cannot be separated from the budget," Petra Holm, an opposition lawmaker, said on Tuesday.',
        "Holm said that the vote would depend on the coalition's smaller partner.",
        "David Arnesen, an economist at a Hamburg bank, said markets were calm. "
        '"They have priced it in," he said.',
        day="2023-11-20",
    )
    assert speakers(result) == ["Olaf Scholz", "Petra Holm", "David Arnesen"]
    assert [r.speaker for r in result.reported] == ["Petra Holm", "David Arnesen"]


def test_organisations_and_places_that_speak_are_not_people() -> None:
    result = tag(
        "Nordlys Ferries said on Wednesday that its route would reopen next week.",
        '"Safety comes first," the company said.',
        '"The ramp is safe," Helsinki Port said in a statement.',
        "Storm Ciarán, the strongest of the season, said nothing; it blew the ferry off course.",
        "The fund is run by Norges Bank Investment Management, an arm of the central bank.",
        "The alliance's Maritime Command, based in Northwood, said ships were on their way.",
        day="2023-11-08",
    )
    assert speakers(result) == ["", ""]
    assert not [e for e in result.entities if e.type == "person"]
    assert not [r for r in result.reported if r.speaker]


def test_an_unknown_person_may_share_a_name_with_a_known_one_or_a_place() -> None:
    """A first name that is a capital or a known person's surname ("Sofia", "Pavel"), or a
    surname a known person has, does not make someone known; a known person the article names
    in full keeps their surname."""
    result = tag(
        "Sofia Karvel, the head of the grain exporters' union, said on Wednesday that sales would fall.",
        '"We will not sell at a loss," Karvel told reporters.',
        "Tomas Novak, a union leader, said the strike would go on.",
        '"We stay out," Novak said.',
        day="2023-03-01",
    )
    assert speakers(result) == ["Sofia Karvel", "Tomas Novak"]
    assert [r.speaker for r in result.reported] == ["Sofia Karvel", "Tomas Novak"]
    known = tag(
        "Alexander Novak, the deputy prime minister, said output would rise.",
        '"We are ready," Novak said.',
        day="2023-03-01",
    )
    assert speakers(known) == ["Alexander Novak"]


def test_what_the_introduction_says_of_an_unknown_persons_gender_guides_pronouns() -> None:
    """A title ("Ms", "Mr") or the appositive's noun ("a spokeswoman", "the union's chairman")
    gives the gender; without either, a pronoun of each gender fits the person."""
    result = tag(
        "Anna Brzeska, a spokeswoman for the operator, said the offer stood.",
        "Marek Zielak, the union's chairman, said the strike would go on.",
        '"The offer is fair," she added.',
        "Ms Lindqvist, a shareholder, called the talks a farce. Mr Aldo Ferrante, who runs the "
        'dock, disagreed. "They are the only talks there are," he said. "Nobody listens," she said.',
        day="2024-05-14",
    )
    assert speakers(result) == ["Anna Brzeska", "Aldo Ferrante", "Lindqvist"]


def test_possessive_and_bare_appositives_introduce_a_person() -> None:
    """ "X, Chile's finance minister," and "X, chief economist at a bank," introduce X as
    surely as "X, the minister,"; and "told reporters on Tuesday that" reports what follows
    "that", not who was told."""
    result = tag(
        "Teodora Vlahu, Romania's energy regulator, told reporters on Tuesday that gas tariffs would rise.",
        '"Households will pay more from July," Vlahu said.',
        "Bram Oosterhuis, chief economist at a Rotterdam bank, said the rise was overdue.",
        '"It should have come a year ago," Oosterhuis said.',
        day="2024-04-02",
    )
    assert speakers(result) == ["Teodora Vlahu", "Bram Oosterhuis"]
    assert [(r.speaker, r.text) for r in result.reported] == [
        ("Teodora Vlahu", "gas tariffs would rise."),
        ("Bram Oosterhuis", "the rise was overdue."),
    ]


def test_a_title_and_name_after_the_cue_verb_is_the_speaker_not_the_one_before() -> None:
    """The wrong-person trap of '"…," said Mayor X of Y': the person quoted just before must
    not get the quote. A title with a full stop ("Gov.", "Dr.") introduces the name after it."""
    result = tag(
        'Liesel Brandauer, an analyst at a Vienna fund, was gloomy. "Nothing will move before June," she said.',
        '"The city cannot wait that long," said Mayor Octavio Quiñones of Valparaíso.',
        "Gov. Marla Tennant said in a statement that the roads would reopen on Friday.",
        '"We are working around the clock," said Dr. Wendell Achebe, a spokesman for the road agency.',
        day="2024-04-10",
    )
    assert speakers(result) == ["Liesel Brandauer", "Octavio Quiñones", "Wendell Achebe"]
    assert result.quotes[1].speaker_id == "person:octavio-quinones"  # accents folded in ids
    assert [r.speaker for r in result.reported] == ["Marla Tennant"]


def test_a_title_with_a_full_stop_and_a_surname_finds_the_full_name_written_before() -> None:
    """American copy: "Ruth Okonkwo runs a bakery. ... Ms. Okonkwo said." The full name is
    written once without any introduction, then the title and surname introduce her."""
    result = tag(
        "Ruth Okonkwo runs a bakery on the corner of Fifth Street.",
        '"Flour costs twice what it did," Ms. Okonkwo said. "I cannot raise prices again."',
        '"She is right," Mr. Haldane, her landlord, said.',
        day="2024-04-10",
    )
    assert speakers(result) == ["Ruth Okonkwo", "Ruth Okonkwo", "Haldane"]


def test_the_first_of_two_surnames_refers_to_the_person() -> None:
    result = tag(
        "Ximena Urquiza Balmaceda, an engineer who has studied the aqueduct for years, said the pipes leaked.",
        '"Half the water never arrives," Urquiza said.',
        '"Nobody wants to dig up the streets," Urquiza Balmaceda added.',
        day="2024-04-10",
    )
    assert speakers(result) == ["Ximena Urquiza Balmaceda", "Ximena Urquiza Balmaceda"]
    assert len([e for e in result.entities if e.type == "person"]) == 1


def test_a_quote_that_names_a_speaker_no_one_answers_to_gets_no_speaker() -> None:
    """'"…," said Mayor Quiñones' with no Quiñones introduced, or "said the Financial Times":
    the quotation names its own source, so it is not given to the person quoted before."""
    result = tag(
        'Olaf Scholz spoke first. "We will act," he said.',
        '"The city cannot wait," said Mayor Quiñones.',
        '"The policy has failed," said the Financial Times in an editorial.',
        '"Capacity will follow demand," the company said.',
        day="2023-11-20",
    )
    assert speakers(result) == ["Olaf Scholz", "", "", ""]


def test_ages_brackets_and_particles_around_an_unknown_name() -> None:
    """American feature copy: "Name, 47, a nurse in El Paso, said"; a party and state in
    brackets after a name; "al-" inside a name. A run after "in" is a place, not the speaker."""
    result = tag(
        "Dolores Ybarra, 47, a nurse in El Paso, said the clinic had run out of insulin.",
        '"We ration it by the hour," she said.',
        '"The bill is dead," Sen. Warren Pickett (R-Idaho) said on the floor.',
        '"Prices double every week," said Yusuf al-Tamimi, a trader in Basra. "Nobody can plan."',
        day="2024-04-10",
    )
    assert speakers(result) == ["Dolores Ybarra", "Warren Pickett", "Yusuf al-Tamimi", "Yusuf al-Tamimi"]
    assert [r.speaker for r in result.reported] == ["Dolores Ybarra"]
    assert not [e for e in result.entities if e.name == "El Paso" and e.type == "person"]


def test_a_known_persons_surname_alone_is_them_once_named_in_full() -> None:
    """The knowledge base lists no "Costa" alias for António Costa (alone, the word names too
    much), but after the article names him in full, "Costa said" is him; and a role in
    apposition after a name is that person, whoever held the role on the day."""
    result = tag(
        "António Costa, President of the European Council, said on Monday that the summit would go ahead.",
        '"Nobody has asked us to delay it," Costa said in Brussels.',
        "Costa said that leaders would meet in Lisbon. The talks in Costa Rica were put off.",
        day="2024-03-04",
    )
    assert speakers(result) == ["António Costa"]
    assert [r.speaker for r in result.reported] == ["António Costa", "António Costa"]
    # the role is his here, not its holder on that day's (Charles Michel until December 2024)
    assert {e.name for e in result.entities if e.type == "person"} == {"António Costa"}
    costa = next(e for e in result.entities if e.name == "António Costa")
    assert [m.surface for m in costa.mentions] == [
        "António Costa",
        "President of the European Council",
        "Costa",
        "Costa",
    ]


def test_a_title_before_a_name_introduces_the_person_and_makes_them_the_subject() -> None:
    """ "Ukraine's foreign ministry spokesman Oleh Marchuk dismissed the offer": no speech verb,
    but the title introduces him, and he, not the spokesman the knowledge base knows for a
    similar role, is whom the next "he said" refers to."""
    result = tag(
        '"We are open to dialogue," Dmitry Peskov said.',
        "Ukraine's foreign ministry spokesman Oleh Marchuk dismissed the offer. "
        '"We have heard this before," he said.',
        "Her deputy, Mayor Ilse Vandermeer, was more cautious. "
        '"We will read the ruling first," Vandermeer said.',
        'Vandermeer\'s adviser, Dr. Pieter Smit, was blunter. "The ruling is thin," Smit said.',
        day="2024-05-02",
    )
    assert speakers(result) == ["Dmitry Peskov", "Oleh Marchuk", "Ilse Vandermeer", "Pieter Smit"]


def test_names_written_family_name_first_and_british_first_name_titles() -> None:
    """ "Li Qiang ... Li said" and "Wang Lihua ... Wang said": family names first; "Sir Keir"
    is Keir Starmer."""
    result = tag(
        "Li Qiang, China's premier, said growth would reach five percent.",
        '"We are confident," Li said.',
        "Wang Lihua, an economist at a Shanghai bank, said exporters were struggling.",
        '"Orders have dried up," Wang said.',
        'Keir Starmer met the premier later. "We agree on trade," Sir Keir said.',
        day="2024-09-10",
    )
    assert speakers(result) == ["Li Qiang", "Wang Lihua", "Keir Starmer"]


def test_a_possessive_and_a_noun_before_a_name_and_an_unnamed_subject() -> None:
    """ "Her colleague Lars Fenwick was less certain" introduces him; "Independent MP X" is X;
    and after "A waiter who asked not to be named said …", "she said" is that unnamed person,
    not the detective named before her."""
    result = tag(
        '"The market has moved on," said Anjali Menon, a strategist at a London bank.',
        'Her colleague Lars Fenwick was less certain. "One more rise is coming," he said.',
        "Independent MP Rosa Calloway, whose seat flooded last year, said she would back the bill. "
        '"The money must reach the towns," Calloway said.',
        "Detective Inspector Mark Oduya said two men had been charged.",
        'A waiter who asked not to be named said she had been "shaking for days". '
        '"I will not work nights again," she said.',
        day="2024-03-22",
    )
    assert speakers(result) == ["Anjali Menon", "Lars Fenwick", "Rosa Calloway", "", ""]


def test_a_possessor_in_the_who_span_is_not_the_speaker() -> None:
    """'"…," said Okafor's deputy, Lena Brandt.' is Brandt's, not Okafor's; a deputy named
    only through his chief is nobody the article names."""
    result = tag(
        "Chidi Okafor, the port authority's chairman, said the dredging would start in May.",
        '"The money is there," said Okafor\u2019s deputy, Lena Brandt.',
        '"We have the crews too," Brandt added.',
        '"It will be late," said Okafor\'s driver.',
        day="2024-02-12",
    )
    assert speakers(result) == ["Lena Brandt", "Lena Brandt", ""]


def test_a_society_or_a_rail_company_that_speaks_is_no_person() -> None:
    result = tag(
        'The Harrowgate Heritage Society said the scheme would be "a scar on the skyline".',
        'Deutsche Bahn said the walkout was "entirely avoidable".',
        'Cllr Maeve Donnelly said the council had "heard every objection".',
        day="2024-02-12",
    )
    assert speakers(result) == ["", "", "Maeve Donnelly"]


def test_names_set_off_after_a_noun_longer_names_and_letters_after_a_name() -> None:
    """ "His rival in the ward, Pieter Aalbers of the Green list," introduces Aalbers; a
    shorter form of a name written before ("Ribeiro Matos" after "Tiago Ribeiro Matos") is
    that person; "KC" after a name is no part of it."""
    result = tag(
        "Harlow Town have signed Tiago Ribeiro Matos from a Lisbon club.",
        "Ribeiro Matos, who is 20, said he had wanted to play in England for years.",
        "His rival in the ward, Pieter Aalbers of the Green list, was unmoved. "
        '"Signings do not fix the drains," Aalbers said.',
        "Defending, Imogen Walsh KC told the court that her client had acted alone.",
        day="2024-02-12",
    )
    assert speakers(result) == ["Pieter Aalbers"]
    assert [(r.speaker, r.text[:8]) for r in result.reported] == [
        ("Tiago Ribeiro Matos", "he had w"),
        ("Imogen Walsh", "her clie"),
    ]


def test_a_footballer_or_manager_named_later_by_position() -> None:
    result = tag(
        "Harlow Town have signed Portuguese winger Tiago Ribeiro Matos.",
        '"He is quick and brave," said Harlow manager Gareth Moss. "We need both."',
        'The club\'s owners paid a record fee. The winger met fans on Tuesday. "I am ready," he said.',
        '"He will start on Saturday," the manager added.',
        day="2024-02-12",
    )
    assert speakers(result) == ["Gareth Moss", "Gareth Moss", "Tiago Ribeiro Matos", "Gareth Moss"]


def test_a_surname_introduced_alone_takes_the_full_name_written_before() -> None:
    """ "Marta Lindgren-Cole repairs harps" introduces no one, but "Lindgren-Cole, 48, moved"
    does, and the full name is hers; "Cole" inside her name is not "Cole" the joiner."""
    result = tag(
        "In a shed above the bay, Marta Lindgren-Cole repairs harps.",
        '"Every crack tells you who played it," she says.',
        "Lindgren-Cole, 48, moved from Glasgow in 2021. Her brother, the joiner Euan Cole, built the shed.",
        'Cole, who still lives in the town, laughs at the idea. "She needed a door," he says.',
        day="2024-06-01",
    )
    assert speakers(result) == ["Marta Lindgren-Cole", "Euan Cole"]


def test_occupations_and_local_titles_before_a_name() -> None:
    result = tag(
        'At Brook & Finch, analyst Nadia Kersh was kinder, calling the cuts "late but right".',
        'Sheriff Dale Okonjo\'s deputies reached the farm at dawn. "We got everyone out," Okonjo said.',
        "Butcher Tommy Farrant, whose shop faces the square, has gathered 900 signatures. "
        '"Come and count the cars," he said.',
        'The chair, Cllr Aoife Gannon (FG), defended the plan. "It pays for footpaths," Gannon said.',
        day="2024-06-01",
    )
    assert speakers(result) == ["Nadia Kersh", "Dale Okonjo", "Tommy Farrant", "Aoife Gannon"]


def test_first_names_and_the_pronouns_already_resolved_tell_gender() -> None:
    """A "she" does not go to Jim Harrell, named last, nor to a councillor whom a "he" has
    already referred to."""
    result = tag(
        "The county's emergency manager, Rosa Quintero, said crews were still searching.",
        "Volunteers organised by a local pastor, Jim Harrell, handed out sandbags. "
        '"Check on your neighbours," she said.',
        '"Parking charges will empty the square," said Cllr Breda Mac Giolla.',
        'Cllr Pádraig Tully (FF) backed the plan. "The money is needed," he said.',
        'Cllr Tully later accused Cllr Mac Giolla of grandstanding. "Then I will take a bow," she replied.',
        day="2024-06-01",
    )
    assert speakers(result) == [
        "Rosa Quintero",
        "Breda Mac Giolla",
        "Pádraig Tully",
        "Breda Mac Giolla",
    ]


def test_people_who_share_a_surname_are_told_apart_by_title() -> None:
    result = tag(
        "Dr Hanna Voss, an epidemiologist who led the study, was surprised by the result.",
        "Professor Lukas Voss, a physicist who is no relation, praised the method. "
        '"It will hold," Prof Voss said.',
        'Dr Voss was more careful. "We need a second summer of data," she said.',
        "Prof Voss said the study's weakness was its small sample.",
        day="2024-06-01",
    )
    assert speakers(result) == ["Lukas Voss", "Hanna Voss"]
    assert [r.speaker for r in result.reported] == ["Lukas Voss"]


def test_a_nickname_is_no_quotation_and_asked_is_a_cue() -> None:
    result = tag(
        'Bakare, known to the fans as "the Crane", scored twice.',
        'Jana Ruiz of the Valley Echo pressed the chief. "Will you refund anyone?" Ruiz asked.',
        day="2024-06-01",
    )
    assert [q.text for q in result.quotes] == ["Will you refund anyone?"]
    assert speakers(result) == ["Jana Ruiz"]


def test_a_pronoun_learns_a_gender_only_where_it_speaks() -> None:
    """ "He was flown to hospital" (a wounded boy the article never names) says nothing of the
    sheriff; so her later "she said" is still hers."""
    result = tag(
        "Sheriff Dana Whitby said deputies found the teen near the pumps. He was flown to a "
        "hospital in Fairbury.",
        'Det. Karen Boyle is leading the inquiry. "We need witnesses," Boyle said.',
        "Whitby was blunt about the wait for the laboratory, where a team led by Capt. Ron "
        'Avery is examining the casings. "That can take two weeks," she said.',
        day="2024-06-01",
    )
    assert speakers(result) == ["Karen Boyle", "Dana Whitby"]


def test_an_age_a_preposition_and_a_person_named_after_a_preposition() -> None:
    """ "the 23-year-old said" is whoever is in focus; a surname introduced alone finds a full
    name written after "from" when its first word is a first name; "Asked where the idea had
    come from, she said:" is not a pronoun governed by "from"."""
    result = tag(
        "A maiden century from Samuel Adeyemi carried the Strikers into the final.",
        'Adeyemi was dropped on 12. "I backed myself," the 23-year-old said.',
        "Adeyemi said he would treat the final like any other match.",
        "Asked where the idea had come from, he said: \u201cFrom the nets.\u201d",
        day="2024-06-01",
    )
    assert speakers(result) == ["Samuel Adeyemi", "Samuel Adeyemi"]
    assert [r.speaker for r in result.reported] == ["Samuel Adeyemi"]


def test_the_speaker_named_in_a_later_part_of_a_quotation_speaks_the_earlier_parts() -> None:
    result = tag(
        'The crew were visited on Tuesday, a spokesperson for the ministry said. "All eleven '
        "are in good health.",
        '"We are grateful for that," said the spokesperson, Nadia Strand.',
        day="2024-06-01",
    )
    assert speakers(result) == ["Nadia Strand", "Nadia Strand"]


def test_a_role_phrase_never_starts_in_the_sentence_before() -> None:
    """ "…after the meeting.\\n\\nThe minister said" is "the minister", not "meeting minister";
    and the film a critic calls "a quiet, stubborn miracle" is no title."""
    result = tag(
        '"We will not accept it," Foreign Minister Viktor Orlov told reporters after the meeting.',
        "The minister said the ambassador had been handed a note of protest.",
        'The critic Helen Marsh called the film "a quiet, stubborn miracle".',
        day="2024-06-01",
    )
    assert [r.speaker for r in result.reported] == ["Viktor Orlov"]
    assert speakers(result) == ["Viktor Orlov", "Helen Marsh"]


def test_first_names_alone_musicians_and_a_carer() -> None:
    """In features a person is their first name after the full one ("Maya says"), unless two
    people introduced share it; "Guitarist Felix Brandt" is Felix Brandt; "the carer said" is
    the carer the article introduced."""
    result = tag(
        '"Three takes and you live with it," says singer Maya Okafor-Reyes.',
        'Guitarist Felix Brandt agrees. "You can hear the room," he says.',
        '"He went to the pub twice," Maya says.',
        'Her carer, Agnieszka Nowak, reads to her. "She corrects me," the carer said.',
        day="2024-06-01",
    )
    assert speakers(result) == ["Maya Okafor-Reyes", "Felix Brandt", "Maya Okafor-Reyes", "Agnieszka Nowak"]


def test_military_and_judicial_titles_and_appositives_with_for() -> None:
    result = tag(
        "Colonel Ruslan Petrenko, a spokesman for the army, said troops had advanced.",
        '"We are targeting the guns," Petrenko said.',
        'Helen DaSilva, for the prosecution, said the judge had been entitled to it. "It was '
        'thirty-one transfers," DaSilva said.',
        "Giving the judgment, Lady Justice Eleanor Hart said the term was too long.",
        day="2024-06-01",
    )
    assert speakers(result) == ["Ruslan Petrenko", "Helen DaSilva"]
    assert [r.speaker for r in result.reported] == ["Ruslan Petrenko", "Helen DaSilva", "Eleanor Hart"]


def test_pronouns_fit_only_their_gender_and_are_never_appositives() -> None:
    """ "she said" when the article names no woman is no one's (nor is the quotation after it),
    not the man named before; "…by his solicitor, Nadia Qureshi, he said:" is his."""
    result = tag(
        "Amira sat on a blanket with her children. They came in the van of a neighbour, Yusuf "
        'Darwish. "My husband stayed behind," she said. "Since then, nothing."',
        "Gareth Price, 58, was convicted last year. In a statement read by his solicitor, Nadia "
        'Qureshi, he said: "I have never denied what I did."',
        day="2024-06-01",
    )
    assert speakers(result) == ["", "", "Gareth Price"]


def test_a_second_verb_has_the_clauses_subject_and_capitalised_roles() -> None:
    """ "Van Doorn said he had spoken to the director, Hugo Lind, and described the talks as
    "…"": Van Doorn's; "the Premier said" is the premier the article named."""
    result = tag(
        "The agent, Pieter van Doorn, spoke on Tuesday.",
        "Van Doorn said he had spoken to the sporting director, Hugo Lind, and described the "
        'talks as "honest, if not friendly".',
        "Premier Catherine Ellison defended the offer. Asked about it, the Premier said her door was open.",
        day="2024-06-01",
    )
    assert speakers(result) == ["Pieter van Doorn"]
    assert [r.speaker for r in result.reported][-1] == "Catherine Ellison"


def test_names_inside_appositives_and_phrases_are_not_the_subject() -> None:
    """The name that ends an appositive ("…of the trade body Hospitality Forward, said") or a
    phrase with "for" ("A spokesman for the health secretary, Neil Grant, said") is not who
    spoke; a dash sets off an introduction ("Morag Munro — no relation — a retired carer")."""
    result = tag(
        'Priya Lal, chief executive of the trade body Hospitality Forward, said: "Every operator '
        'should be worried."',
        'A spokesman for the health secretary, Neil Grant, said: "We accept there is more to do."',
        "Professor Alasdair Munro chairs the commission. Among those waiting is Morag Munro — no "
        'relation — a retired carer. "Nobody has called," Mrs Munro said.',
        day="2024-06-01",
    )
    assert speakers(result) == ["Priya Lal", "", "Morag Munro"]


def test_kin_before_a_name_and_hyphenated_roles() -> None:
    result = tag(
        "Rakesh Pawar, a bank clerk, said his daughter, Sneha Pawar, had been refused a seat.",
        '"They told me the list was final," he said.',
        "The vice-chancellor, Prof. Meera Desai, apologised. Prof. Desai said a new list would "
        'follow. "The students will be offered places first," the vice-chancellor added.',
        day="2024-06-01",
    )
    assert speakers(result) == ["Rakesh Pawar", "Meera Desai"]


def test_everyday_introductions_magistrates_particles_possessors_and_unnamed_sources() -> None:
    """ "Magistrate X", "Advocate X", "Joseph ole Sankale"; '"…," said its coordinator, X';
    "Ms Faleolo's pitch was for "…"" is hers; an evacuee who gives only a first name is no one,
    not the woman named before; "One of her patients, Yohane Banda, …" is Banda."""
    result = tag(
        "Magistrate Nomvula Petersen found the councillor guilty. Advocate Thabo Khumalo said his "
        'client was "disappointed but not defeated".',
        'Elder Joseph ole Sankale said: "I did not think I would ever hold it."',
        'The cycling group welcomed the lanes. "A lane that ends suddenly is worse than none," '
        "said its coordinator, Álvaro Sanz.",
        "Mayoral candidate Sina Faleafa said the council wasted money. Ms Faleafa's pitch was for "
        '"fewer consultants and more shops".',
        "Fire officer Karen Dubois said 40 homes were lost. Another evacuee, a mother who gave "
        'only her first name, Jenna, was out of breath. "We had to carry the dog," she said.',
        "One of her patients, Yohane Banda, a 34-year-old fisherman, fell ill last week. "
        '"I thought it was bad fish," he said through an interpreter.',
        day="2024-06-01",
    )
    assert speakers(result) == [
        "Thabo Khumalo",
        "Joseph ole Sankale",
        "Álvaro Sanz",
        "Sina Faleafa",
        "",
        "Yohane Banda",
    ]


def test_a_full_name_that_starts_a_sentence_and_a_country_before_a_name() -> None:
    """ "Grace Achieng sells drinks from a kiosk." introduces her when "Grace" is a first name;
    "Ethiopia's Abebe Tadesse Worku won" is Abebe Tadesse Worku; a word in quotation marks after
    "her" is a label ("kept her "hold" rating"), not a quotation."""
    result = tag(
        "Earl Jennings, the custodian, said the roof had leaked. Grace Achieng sells drinks from "
        'a kiosk. "People count every shilling," she said.',
        "Ethiopia's Abebe Tadesse Worku won the race on Sunday.",
        '"I felt very strong today," Worku said through an interpreter.',
        'Helena Marsh called the outlook "a reasonable bet" and kept her "hold" rating.',
        day="2024-06-01",
    )
    assert [q.text for q in result.quotes][-1] == "a reasonable bet"
    assert speakers(result) == ["Grace Achieng", "Abebe Tadesse Worku", "Helena Marsh"]


def test_passive_agents_relative_speakers_and_someones_team() -> None:
    """ "The race was won by Belgium's Arne Dewaele" puts him in focus; "…by the director Rania
    Haddad, who said … "…"" is hers; "Van Dalen's team said … "…"" and "Ruffini's wife, Giulia,
    wrote … "…"" are no one's the article names."""
    result = tag(
        "Organisers said the Dutch rider Sem van Dalen, 24, had broken his collarbone.",
        "The race was won by Belgium's Arne Dewaele, who attacked on the final climb. "
        '"It does not feel right to celebrate," he said.',
        'The jury is chaired by the director Rania Haddad, who said it would watch "with open eyes".',
        "Van Dalen's team said he would miss \"at least six weeks\" of racing. Ruffini's wife, "
        'Giulia, wrote that he was "sore and confused".',
        day="2024-06-01",
    )
    assert speakers(result) == ["Arne Dewaele", "Rania Haddad", "", ""]


def test_stacked_ranks_a_special_agent_and_a_group_that_speaks() -> None:
    """ "Lt Col Ibarra said" (ranks without full stops, one after the other) is the colonel
    named before; "said Special Agent Nora Lindahl" is Nora Lindahl; "Lt. Col." alone is no
    name; "Grupo Mercantil Unidos" is a company, so what it called something is no one's."""
    result = tag(
        "Lieutenant Colonel Tomás Ibarra Quiroga, who leads the fire brigade, arrived at dawn.",
        "Lt Col Quiroga said the cause of the blaze was not yet known.",
        '"The crates were sealed with tape," said Special Agent Nora Lindahl of the customs '
        'service. "Most of the birds were alive."',
        '"Keep your distance," Lt. Col. Fenna Brouwer of the state police said.',
        'Its rival Grupo Mercantil Unidos announced cuts on what it called "every basic item."',
        day="2025-02-01",
    )
    assert [(r.speaker, r.text.split()[0]) for r in result.reported][:1] == [("Tomás Ibarra Quiroga", "the")]
    assert speakers(result) == ["Nora Lindahl", "Nora Lindahl", "Fenna Brouwer", ""]


def test_an_agent_with_a_description_a_possessive_role_and_occupations_by_suffix() -> None:
    """ "The panel, chaired by the Dutch architect X, praised the plan's "clarity"" is the
    panel's; "said the union's chairman, X" is X's; a name first written after "designed by" is
    introduced, so a later surname alone is that person; "Hydrologist X" and "Detective Garda
    X" are X."""
    result = tag(
        "The panel, chaired by the Dutch architect Pieter Van Loon, praised the plan's "
        '"clarity and restraint" in its report.',
        '"These are good jobs," said the union\'s chairman, Dieter Kessler.',
        "The second prize went to a footbridge designed by Tommaso Valenti.",
        'Valenti said the award would help. "Small studios need this," he said.',
        "Hydrologist Ana Ruiz Cordero, of the river authority, expects a dry spring. "
        '"The aquifers are low," she said.',
        "Detective Garda Ciaran Mooney, who led the inquiry, appealed for witnesses. "
        '"Someone saw something," he said.',
        day="2025-04-01",
    )
    assert speakers(result) == [
        "",
        "Dieter Kessler",
        "Tommaso Valenti",
        "Ana Ruiz Cordero",
        "Ciaran Mooney",
    ]
    assert [r.speaker for r in result.reported][:1] == ["Tommaso Valenti"]


def test_two_particles_an_undersecretary_and_a_clause_after_the_verb() -> None:
    """ "Hennie van der Merwe" is one name with two particles, and "van der Merwe said" is his;
    "the undersecretary said" is the undersecretary named before; in "Back at the farm, Ribeiro
    said he would …" the reported speech is what follows the verb, not the scene before it."""
    result = tag(
        "Club coach Hennie van der Merwe, who played in the 2006 final, was close to tears.",
        '"This one is for the farming towns," van der Merwe said.',
        "Interior Undersecretary Rodrigo Albornoz told a news conference that the army would help.",
        '"Every helicopter is flying," the undersecretary said.',
        "José Aparecido Ribeiro walked between the rows of dry bushes.",
        "Back at the farm, Ribeiro said he would water the young plants by hand.",
        day="2025-04-01",
    )
    assert speakers(result) == ["Hennie van der Merwe", "Rodrigo Albornoz"]
    assert [(r.speaker, r.text.split()[0]) for r in result.reported] == [
        ("Rodrigo Albornoz", "the"),
        ("José Aparecido Ribeiro", "he"),
    ]


def test_a_possessed_speaker_a_possessed_message_and_told_without_that() -> None:
    """ "his daughter said" is the daughter the article introduced ("His daughter, X, said"),
    and "her husband said" someone it does not name, never the owner; "Her message was blunt:
    "…"" is hers; "used her speech to announce that …" and "told Hale his driving had …" are
    reported speech."""
    result = tag(
        "Olivier Marchand, a singer whose voice filled the clubs of Lyon, died on Sunday.",
        "His daughter, Claire Marchand-Roy, said the cause was heart failure.",
        'He is survived by a son and a sister. "Dad would want it loud," his daughter said.',
        'Ines Duarte, 40, runs a bakery in Porto. "Flour costs double," her husband said.',
        "The port's energy director, Sanne Vermeer, used her speech to announce that the port would "
        'add four berths. Her message to shipowners was blunt: "Plug in when you are here."',
        "District Judge Alison Harte told Mr Dorsey his driving had put every driver at risk.",
        day="2025-04-01",
    )
    assert speakers(result) == ["Claire Marchand-Roy", "", "Sanne Vermeer"]
    openings = reported(result, 1)
    assert ("Sanne Vermeer", "the") in openings
    assert ("Alison Harte", "his") in openings


def test_a_role_phrase_does_not_run_across_a_relative_pronoun() -> None:
    """In "a stop early in the third period that coach Petri Nurmi called "…"", "the third
    period that coach" is no role phrase: the coach named there said it."""
    result = tag(
        "Lauri Salo made 34 saves, including a sprawling stop early in the third period that "
        'coach Petri Nurmi called "the save of the season."',
        day="2025-04-01",
    )
    assert speakers(result) == ["Petri Nurmi"]


def test_an_age_or_an_occupation_before_a_name_and_a_surname_the_knowledge_base_has() -> None:
    """ "Seventeen-year-old X" and "Publisher X" are X; "beating Katarina Novak" before "Novak
    said" is her, though "Novak" is a weak alias of someone the knowledge base knows; "told
    reporters the city would …" is reported speech; a lower-case quotation after "the book" is
    no title; "Combustíveis Recôncavo" is a company."""
    result = tag(
        "Seventeen-year-old Lucía Moreno reached the semi-final, beating Katarina Novak 6-4, 7-5.",
        '"I am still shaking," Moreno said. Novak, the world No 9, said she had felt "flat".',
        "Publisher Tomasz Kowalczyk, of the Wrocław house Mostowe, expects a second print run. "
        'Wróblewska\'s stories went into the book "almost unchanged", he said.',
        "Tran Van Minh, a health department spokesman, told reporters the city would spray 60 wards.",
        'The operator, Combustíveis Recôncavo, said it had "fully complied" with the order.',
        day="2025-04-01",
    )
    assert speakers(result) == ["Lucía Moreno", "Katarina Novak", "Tomasz Kowalczyk", ""]
    openings = reported(result, 1)
    assert ("Katarina Novak", "she") in openings
    assert ("Tran Van Minh", "the") in openings


def test_a_role_after_a_possessive_pronoun_is_the_role_holder_the_article_named() -> None:
    """ "His coach was in no doubt: "…"" is the coach the article named ("Rams coach Hennie van
    der Walt"), not the player "his" refers to."""
    result = tag(
        "Rams coach Hennie van der Walt was close to tears at the final whistle.",
        "Sipho Mahlangu, 21, kicked the winning penalty. "
        'His coach was in no doubt: "He has the temperament for the big stage."',
        day="2025-04-01",
    )
    assert speakers(result) == ["Hennie van der Walt"]


def test_whose_son_a_title_phrase_before_a_name_and_a_name_after_a_leading_clause() -> None:
    """ "Maria Theodorou, whose son broke his leg," is no man; "Deputy Minister for
    Infrastructure Péter Szalai" is Péter Szalai; "Food Safety" is an agency; "On the first
    morning it snowed, Amira Osman stood …" introduces her, so "she said" is hers."""
    result = tag(
        "The panel chair, Eleni Markou, asked questions. Maria Theodorou, whose son broke his "
        'leg, spoke to reporters outside. "We want answers, not excuses," she said.',
        "The account was disputed by Deputy Minister for Infrastructure Péter Szalai, who "
        "appeared before the committee later. According "
        'to Szalai, no application had "ever reached the ministry."',
        'New Zealand Food Safety said buyers should "return them for a full refund."',
        "On the first morning it snowed, Amira Osman stood at the window for an hour. "
        '"I did not believe it would be so quiet," she said.',
        day="2025-04-01",
    )
    assert speakers(result) == ["Maria Theodorou", "Péter Szalai", "", "Amira Osman"]


def test_a_first_name_that_starts_the_text_and_according_to_after_the_quote() -> None:
    """A first name and a surname that open the article introduce their bearer (the first of
    two surnames then names him); '"…," according to X, an analyst' is X's, and '"…," according
    to the ministry' no one's the article names."""
    result = tag(
        "Sebastián Ocampo Restrepo won the fourth stage on Wednesday with a solo attack.",
        '"My legs felt good," Ocampo told reporters at the finish.',
        '"Every day of this strike costs the firm a thousand cars," according to Matthias '
        "Brenner, an analyst at a consultancy in Stuttgart.",
        '"Prices will rise," according to the ministry.',
        day="2025-04-01",
    )
    assert speakers(result) == ["Sebastián Ocampo Restrepo", "Matthias Brenner", ""]


def test_an_age_for_a_speaker_a_long_way_to_that_and_a_spanish_company() -> None:
    """ "The 29-year-old, whose …, said she would …" is the singer in focus; "told reporters at a
    press conference in Valencia that …" reaches its "that" (the first, not a later one);
    "Terminales Azahar" is a company."""
    result = tag(
        "Afrobeats singer Adaeze Okonkwo will play 34 concerts next year.",
        "The 29-year-old, whose single topped the charts, said she would tour with a live band.",
        "Its chief executive, Joaquín Ferrer Soler, told reporters at a press conference in "
        "Valencia that the plans were final and that no one would lose a job.",
        'Terminales Azahar said it had offered "a fair and generous package".',
        day="2025-04-01",
    )
    openings = reported(result)
    assert ("Adaeze Okonkwo", "she would") in openings
    assert ("Joaquín Ferrer Soler", "the plans") in openings
    assert speakers(result) == [""]


def test_the_person_asked_gives_the_reply_and_an_unknown_gender_does_not_take_it() -> None:
    """ "The chair asked Okwuosa why …" brings him into focus after the asker: '"…," he replied'
    is his, not the last man quoted before; when the asked person's gender is not known, the
    asker's pronoun stays the asker's."""
    result = tag(
        "Captain Emeka Okwuosa, 61, gave evidence on the second day of the inquiry.",
        'Chief engineer Tobias Lindgren said the alarm had sounded twice. "I pressed it myself," he said.',
        "The panel's chair, retired judge Helen Marsh, asked Okwuosa why the log had no entries. "
        '"The log was not the priority that night," he replied.',
        'Ms Marsh then asked Quennell about the radio. "We will come back to that," she said.',
        day="2025-04-01",
    )
    assert speakers(result) == ["Tobias Lindgren", "Emeka Okwuosa", "Helen Marsh"]


def test_a_title_with_its_phrase_before_a_name_describes_the_name() -> None:
    """ "The Minister of Culture, Suchada Wongsawat, …" makes her "the minister" of a later
    sentence, as "the culture minister, …" does; so does "a spokesman for the Ministry of
    Health, Ana Ruiz"."""
    result = tag(
        "The statues came home on Sunday.",
        "The Minister of Culture, Suchada Wongsawat, spoke to the crowd at the temple gate.",
        "The minister said the government would build a new hall for them.",
        "A spokesman for the Ministry of Health, Ana Ruiz, visited the clinic.",
        "The spokesman said it would open in May.",
        day="2025-04-01",
    )
    openings = reported(result)
    assert openings == [("Suchada Wongsawat", "the government"), ("Ana Ruiz", "it would")]


def test_initials_particles_and_first_names_that_look_like_dates() -> None:
    """Initials are part of a name ("Thomas J. Whitaker", "P.K. Abdul Rasheed", "K. Sivan");
    "dela" is a particle, so "Dela Cruz said" is Ramon dela Cruz; "Jun" starts a name, not a
    date."""
    result = tag(
        "The storm reached the coast on Wednesday.",
        '"Leave today," said Ramon dela Cruz, the provincial disaster officer.',
        "Dela Cruz said 212 shelters had opened.",
        "In Aparri, fisherman Jun Villanueva said he had pulled his boat up the beach.",
        '"That boat is all I have," he said.',
        "Councillor P.K. Abdul Rasheed, who represents a ward by the river, said drains were blocked.",
        '"Every monsoon we write the same letter," Rasheed said.',
        "Councillor Thomas J. Whitaker, who chairs the works committee, said crews were ready.",
        '"We have four pumps," Whitaker said.',
        '"Nothing changes," said K. Sivan, a farmer.',
        day="2025-04-01",
    )
    assert speakers(result) == [
        "Ramon dela Cruz",
        "Jun Villanueva",
        "P.K. Abdul Rasheed",
        "Thomas J. Whitaker",
        "K. Sivan",
    ]
    who = [r.speaker for r in result.reported]
    assert who[:2] == ["Ramon dela Cruz", "Jun Villanueva"]


def test_a_first_name_after_an_opening_clause_or_a_set_off_description() -> None:
    """ "On a wet Tuesday, Áine Ní Bhriain is sitting …" introduces her though the clause opens
    the text; so does "Her coach, former steeplechaser Joseph Rotich, could barely speak.", and
    his '"…," he said' is his, not the runner's whose gender the text never told."""
    result = tag(
        "On a wet Tuesday in Gweedore, Áine Ní Bhriain is sitting at her kitchen table.",
        '"Half the time I do not know which language a poem wants," she says.',
        'The winner, Faith Kiprono, crossed the line alone. "I believed him," Kiprono said.',
        "Her coach, former steeplechaser Joseph Kiptanui Rotich, could barely speak. "
        '"She trains with the boys every morning," he said.',
        day="2025-04-01",
    )
    assert speakers(result) == ["Áine Ní Bhriain", "Faith Kiprono", "Joseph Kiptanui Rotich"]


def test_an_age_with_a_description_and_told_the_court_with_a_clause() -> None:
    """ "The 54-year-old former trade unionist promised …, saying the party would "…"" is the
    person in focus (a role head after the age would make it a role phrase instead); "told the
    court she had …" is reported speech without a "that"."""
    result = tag(
        "Thousands filled the stadium as Sibusiso Mthembu, leader of the opposition alliance, "
        "made his final appearance.",
        "The 54-year-old former trade unionist promised half a million jobs, saying the party "
        'would "rebuild the factories that were allowed to rot" along the corridor.',
        "The first witness, Mary Walsh, told the court she had last seen her brother at six.",
        day="2025-04-01",
    )
    assert speakers(result) == ["Sibusiso Mthembu"]
    assert ("Mary Walsh", "she had last") in reported(result, 3)


def test_her_son_said_is_the_son_and_a_title_with_of_before_a_name() -> None:
    """ "Her son said …" is the son the article introduced ("her son, Andrei Mureșan,"), and
    his '"…," he said' is his, not a woman's whose gender the text never told; "recalled a
    conversation" is no reported speech. "Ministry of Education spokesman X said" is X's (the
    "of" is inside the title), "Principal X" and "Forecaster X" are X, and "told councillors
    the work would …" is reported speech."""
    result = tag(
        "Ileana Mureșan, the puppeteer, has died at 86.",
        "Her death was announced by her son, Andrei Mureșan, who said she had died peacefully.",
        "The theatre's director, Raluca Someșan, said the company would perform. "
        '"Everything we do here, she started," Someșan said.',
        "Her son said the funeral would be private.",
        'Her son recalled a conversation from the spring. "I asked her if she was afraid," he said.',
        "Ministry of Education spokesman Ahmad Al-Khatib said 12 new schools were being built.",
        '"We do our best," Principal Huda Al-Momani said.',
        "Forecaster Tanvir Ahmed Chowdhury told councillors the rain would last two more days.",
        day="2025-04-01",
    )
    assert speakers(result) == ["Raluca Someșan", "Andrei Mureșan", "Huda Al-Momani"]
    openings = reported(result)
    assert ("Andrei Mureșan", "the funeral") in openings
    assert ("Ahmad Al-Khatib", "12 new") in openings
    assert ("Tanvir Ahmed Chowdhury", "the rain") in openings
    assert not any(text.startswith("a conversation") for _speaker, text in openings)


def test_local_titles_given_names_alone_and_a_name_before_its_firm() -> None:
    """ "Councilwoman X" and "Datuk X" are X; "the headmistress said" is the headmistress the
    article named; "Khairul Anuar said" is Khairul Anuar Ismail (the first two words of a name
    of three); "Tan Wei Ling of Meridian Securities said" introduces Tan Wei Ling, not the firm;
    "told council the department expects …" is reported speech."""
    result = tag(
        '"Tonight we stopped asking them to," Councilwoman Denise Whitaker said.',
        "The school's headmistress, Rukhsana Bibi, who has taught there for 19 years, spoke first. "
        '"Today they can see it," the headmistress said.',
        "Group managing director Datuk Khairul Anuar Ismail said output would stay firm.",
        '"We are still short of harvesters," Khairul Anuar said.',
        'Tan Wei Ling of Meridian Securities said the results were "slightly ahead of expectations".',
        "Utilities Director Ramon Ortega told council the department expects federal grants.",
        day="2025-04-01",
    )
    assert speakers(result) == [
        "Denise Whitaker",
        "Rukhsana Bibi",
        "Khairul Anuar Ismail",
        "Tan Wei Ling",
    ]
    openings = reported(result)
    assert ("Ramon Ortega", "the department") in openings


def test_places_bands_and_positions_are_not_people() -> None:
    """ "outside San Javier, the cut arrived" makes no person of the town, so "She said" is the
    grower; "the band Marée Haute, who said" is the fiddler's; "the controller said" is the
    controller the article named; "Centre-back X" is X."""
    result = tag(
        "For Carmen Valdivia Rojas, who grows grapes on 12 hectares outside San Javier, the cut "
        "arrived just as the bunches ripened. She said she had lost a fifth of her crop.",
        "Among her pupils was Rémi Gallant, now a fiddler with the band Marée Haute, who said "
        "she had taught him his first tune.",
        '"She never told you that you were playing badly," Gallant said.',
        "Civil Defence controller Mark Hollis said evacuation centres would open at 4pm.",
        '"Don\'t wait for a knock on the door," the controller said.',
        '"I just heard the noise," Centre-back Tiago Mourato said.',
        day="2025-04-01",
    )
    assert speakers(result) == ["Rémi Gallant", "Mark Hollis", "Tiago Mourato"]
    openings = reported(result, 3)
    assert ("Carmen Valdivia Rojas", "she had lost") in openings
    assert ("Rémi Gallant", "she had taught") in openings


def test_an_indefinite_role_confirmed_that_telling_and_a_capital_al() -> None:
    """ "A representative of the nurses' union … said:" is someone unnamed, not the knowledge
    base's High Representative; "confirmed that …" and "telling the court his client was …" are
    reported speech; "Al-Balushi said" at a sentence's start is Fatma al-Balushi; "Commuter X"
    is X."""
    result = tag(
        "A representative of the nurses' union, who asked not to be named, said: "
        '"Four nurses is not enough."',
        "The directorate's head, Wilber Condori, confirmed that assessors were visiting the "
        "districts this week.",
        "Defence attorney Riaan Botha asked for a suspended sentence, telling the court his "
        "client was the sole carer for her mother.",
        "Fatma al-Balushi, who runs a haulage firm, welcomed the line.",
        "Al-Balushi said her company had booked space on three trains a week.",
        '"The bus driver was great," Commuter Ben Kowalski said.',
        day="2025-04-01",
    )
    assert speakers(result) == ["", "Ben Kowalski"]
    openings = reported(result)
    assert ("Wilber Condori", "assessors were") in openings
    assert ("Riaan Botha", "his client") in openings
    assert ("Fatma al-Balushi", "her company") in openings


def test_told_them_a_number_insisting_and_a_landlady() -> None:
    """ "He told them two guest teachers would join …" and "…, insisting his side should have
    had a penalty" are reported speech; "Landlady X" is X."""
    result = tag(
        "District Education Officer Prakash Mohanty spoke to the protesters for an hour. He told "
        "them two guest teachers would join the school within a week.",
        "Coach Marcelo Ibarra was furious with the referee, insisting his side should have had a penalty.",
        '"It came under the front door," Landlady Sharon Briggs said.',
        day="2025-04-01",
    )
    assert speakers(result) == ["Sharon Briggs"]
    openings = reported(result)
    assert ("Prakash Mohanty", "two guest") in openings
    assert ("Marcelo Ibarra", "his side") in openings


def test_a_manner_verb_tags_a_quotation_for_the_age_after_it() -> None:
    """'"…," grinned the 19-year-old apprentice builder.' is the player introduced before
    ("…, with replacement first five-eighth Tama Rāwiri slotting a drop goal"); "laughed off"
    reports nothing."""
    result = tag(
        "The part-timers won 24-21, with replacement first five-eighth Tama Rāwiri slotting a "
        "drop goal two minutes from time.",
        '"I just shut my eyes and hit it," grinned the 19-year-old apprentice builder.',
        "The coach laughed off suggestions that the side had been lucky.",
        day="2025-04-01",
    )
    assert speakers(result) == ["Tama Rāwiri"]
    assert not any(r.text.startswith("off") or "lucky" in r.text for r in result.reported)


def test_a_resident_who_wrote_fr_a_substitute_and_a_long_way_to_that() -> None:
    """ "a submission by one resident, who wrote that "…"" is no one named, not the councillor
    who read it; "Fr Walsh" is Fr Declan Walsh; "Substitute X" is X; "told shareholders at the
    company's annual general meeting on Thursday that …" reaches its "that"."""
    result = tag(
        "Independent councillor Pádraig Nolan, who voted against the plan, spoke for the residents. "
        'He read from a submission by one resident, who wrote that "the water was at my back door '
        'twice last winter."',
        "Fr Declan Walsh, parish priest of Kilfenora, led the prayers.",
        '"He asked for it himself," Fr Walsh said.',
        '"I dedicate it to my mother," Substitute Matías Ibáñez said.',
        "Managing director Kwame Asamoah-Boateng told shareholders at the company's annual general "
        "meeting on Thursday that the financing had been secured.",
        day="2025-04-01",
    )
    assert speakers(result) == ["", "Declan Walsh", "Matías Ibáñez"]
    openings = reported(result)
    assert ("Kwame Asamoah-Boateng", "the financing") in openings


def test_school_years_as_titles_and_the_superintendent() -> None:
    """ "Junior Kaylee Brandt" is Kaylee Brandt; "the superintendent said" is the superintendent
    the article named; "Horacio Benedetti stops them" introduces him for a later "he says"."""
    result = tag(
        "Superintendent Dana Whitcomb said teachers had asked for the change.",
        '"We think it is money well spent," the superintendent said.',
        '"Some of my friends will be relieved," Junior Kaylee Brandt said.',
        "Horacio Benedetti stops them with a raised hand. He is 68.",
        '"The bandoneon is a stubborn instrument," he says.',
        day="2025-04-01",
    )
    assert speakers(result) == ["Dana Whitcomb", "Kaylee Brandt", "Horacio Benedetti"]


def test_sister_and_cr_as_titles_and_a_first_name_after_an_age() -> None:
    """A nursing sister and an Australian councillor ("Cr") are titles, not first names, so a
    later surname alone is the same person; "67-year-old Tshepo Mahlangu was waiting with his
    card" introduces him for the next "he said"."""
    result = tag(
        '"We go to them now," said Sister Nomsa Zulu, who leads one of the clinic teams.',
        '"The queues are gone," Sister Zulu added.',
        "Cr Jo Castellano chaired the flood meeting.",
        '"Check on your neighbours," Cr Castellano said.',
        "At the next stop, 67-year-old Tshepo Mahlangu was waiting with his card.",
        '"The taxi costs too much," he said.',
        day="2025-04-01",
    )
    assert speakers(result) == ["Nomsa Zulu", "Nomsa Zulu", "Jo Castellano", "Tshepo Mahlangu"]


def test_the_present_tense_of_features_and_an_object_that_ends_a_relative_clause() -> None:
    """ "She admits she …" reports speech as "She admitted" does; in "The publican, who runs the
    Red Lion, said:" the pub that ends the clause is not the speaker; "the centre-back said" is
    the player in focus, as "the defender said" is."""
    result = tag(
        "Selin Aydemir, 41, took on the lease with her savings. She admits she underestimated the cost.",
        "Dean Whitlock, 34, scored the winner.",
        'The publican, who runs the Red Lion, said: "I nearly missed the game."',
        day="2025-04-01",
    )
    assert ("Selin Aydemir", "she underestimated") in reported(result)
    assert "Red Lion" not in speakers(result)
    focus = tag("Dean Whitlock, 34, scored the winner.", '"I nearly missed it," the centre-back said.')
    assert speakers(focus) == ["Dean Whitlock"]
    # a country is no speaker of the present tense ("responds" is no cue verb)
    country = tag(
        "Pavel Liskar said on Wednesday that the drought would be discussed with United Arab Emirates.",
        "Liskar said that the yields would depend on how United Arab Emirates responds.",
        "The dispute has strained relations between Ethiopia and United Arab Emirates since the "
        "spring, when Emirati officials said the yields had been delayed without notice.",
    )
    assert "Arab Emirates" not in {r.speaker for r in country.reported}


def test_a_place_set_off_by_an_appositive_is_no_person() -> None:
    """ "Kelso de la Vega, a farming village of 300" is a place: the "she" who runs its shop is
    the woman named before, and "a fisherman from Ormsby village" is still a person's appositive."""
    result = tag(
        "Before dawn, Marguerite Olsson Brandt is already unlocking the post office.",
        "She has been postmistress of Kelso de la Vega, a farming village of 300, since 2009.",
        '"Half the village comes in for stamps and stays for the gossip," she says.',
        "Olsson, 61, took the job after her mother retired.",
        '"Somebody has to keep the door open," she says.',
        "Tevita Lolohea, a fisherman from Ormsby village, said he had moved his boat.",
        '"The sea was wrong all week," he said.',
        day="2025-04-01",
    )
    assert speakers(result) == [
        "Marguerite Olsson Brandt",
        "Marguerite Olsson Brandt",
        "Tevita Lolohea",
    ]
    assert "person:kelso-de-la-vega" not in {entity.id for entity in result.entities}


def test_a_name_after_now_and_a_name_after_a_lead_description() -> None:
    """ "Ruaridh Mackay, now a piper with a Glasgow band, was one of her pupils" introduces him for
    the "he recalled" that follows, not the obituary's subject; "Cup hero Callum Reid" opens a
    match report and is the "he" of the quotes after it."""
    result = tag(
        "Morven Dalgleish, the piping teacher who taught half of Lochaber, has died. She was 91.",
        '"She never missed a lesson," her son said.',
        'Ruaridh Mackay, now a piper with a Glasgow band, was one of her pupils. "I was hopeless," '
        'he recalled. "She said hopeless was only the start."',
        day="2025-04-01",
    )
    assert speakers(result)[-2:] == ["Ruaridh Mackay", "Ruaridh Mackay"]
    match = tag(
        "Cup hero Callum Reid was mobbed by supporters after his late winner at Dens Park.",
        '"I just hit it and hoped," he said. "My legs were gone."',
        day="2025-04-01",
    )
    assert speakers(match) == ["Callum Reid", "Callum Reid"]


def test_what_a_sign_reads_has_no_speaker() -> None:
    """A quotation after "reading" or "read" in a sentence with no cue verb is what a sign, a
    banner or a bedsheet says, not the words of the sentence's subject."""
    result = tag(
        "Marsh scored twice in his first game back.",
        'Dale Marsh said: "It felt like the first day of school."',
        'Marsh\'s return was marked by a banner behind the goal reading "WELCOME BACK DALE".',
        day="2025-04-01",
    )
    assert [(quote.text, quote.speaker) for quote in result.quotes][-1] == ("WELCOME BACK DALE", "")


def test_a_body_that_speaks_and_a_leading_clause_with_a_relative() -> None:
    """ "…," it said in a statement is a department's, not the person quoted before; after "In
    Tarvik, where Brenner Holzwerk is the largest employer," the sentence's subject is the mayor,
    not the firm the relative clause names."""
    result = tag(
        "Police spokesperson Sergeant Thandiwe Khumalo said the march had been peaceful.",
        'The roads department will meet the operators on Friday. "We share the commuters\' concern," '
        "it said in a statement.",
        day="2025-04-01",
    )
    assert speakers(result) == [""]
    firm = tag(
        "Brenner Holzwerk, the Tarvik-based maker of window frames, will cut 200 jobs.",
        "In Tarvik, where Brenner Holzwerk is the largest private employer, mayor Ilse Brandauer was "
        'blunt. "This is a dark day for the town."',
        day="2025-04-01",
    )
    assert speakers(firm) == ["Ilse Brandauer"]


def test_kin_before_a_name_and_an_unnamed_son_as_a_subject() -> None:
    """ "Proud mum Kalesi Vake" introduces her and tells her gender, so "she laughed" is hers;
    "Her son, who asked not to be named, was …" makes the next "he said" an unnamed son's, not
    the last man named."""
    result = tag(
        "Winger Sione Vake scored twice on debut.",
        'Proud mum Kalesi Vake watched from the stand. "He was always quick," she laughed.',
        "Crown prosecutor Dylan Moreau said the sentence was fair.",
        "Her son, who asked not to be named, was less forgiving than the court. "
        '"Two years is nothing," he said outside.',
        day="2025-04-01",
    )
    assert speakers(result) == ["Kalesi Vake", ""]


def test_local_titles_and_a_surname_that_is_also_a_title() -> None:
    """ "Corporator" and "Trustee" are titles, not part of the name; "Shaikh" after a first
    name is a surname, though "Shaikh" before a name is a title."""
    result = tag(
        'Corporator Vikas Deshmukh said the drive had come too late. "They were asleep," Deshmukh said.',
        'Trustee Lorraine Gauthier voted against. "We are moving the problem," Gauthier said.',
        "Advocate Imran Shaikh, who appeared for the hawkers, said the order mattered.",
        '"Now they must put it in writing," Shaikh said.',
        day="2025-04-01",
    )
    assert speakers(result) == ["Vikas Deshmukh", "Lorraine Gauthier", "Imran Shaikh"]


def test_a_team_after_the_is_no_person_and_as_for_names_the_topic() -> None:
    """ "a win over the Tully Sharks" and "a bitter night for the Sharks, who led" name a team,
    not a person; "As for Okafor, he said …" makes Okafor the "he" and the next quote's speaker,
    not the captain quoted before."""
    result = tag(
        "Veteran hooker Emeka Okafor kicked a late goal to give the Riverside Kites a win over the "
        "Tully Sharks at a wet oval.",
        "It was a bitter night for the Sharks, who led for most of the game.",
        'Sharks captain Tom Ashdown said the decision was wrong. "We were robbed," Ashdown said.',
        'As for Okafor, he said he had no plans to retire. "Ask me again in spring," he grinned.',
        day="2025-04-01",
    )
    assert speakers(result) == ["Tom Ashdown", "Emeka Okafor"]
    assert "person:tully-sharks" not in {entity.id for entity in result.entities}
    assert ("Emeka Okafor", "he had") in reported(result)


def test_an_unnamed_widow_and_what_her_statement_read() -> None:
    """ "One Mission widow, who was not named in court, wrote that …" is an unnamed source, and
    the quote her statement read after it is hers, not the prosecutor's named before."""
    result = tag(
        "Crown prosecutor Rachel Dumont had asked for three years.",
        "One Mission widow, who was not named in court, wrote that she had lost her savings. "
        '"I waited every morning for a truck that never came," her statement read.',
        day="2025-04-01",
    )
    assert speakers(result) == [""]


def test_initials_after_a_title_phrase_ratings_and_a_book_after_her() -> None:
    """ "Deputy Director of Public Instruction K. Lalitha said" is K. Lalitha, not a firm after
    "of"; a rating moved to "hold" from "buy" and "Her book “…”" are no quotations."""
    result = tag(
        "Deputy Director of Public Instruction K. Lalitha said the pilot would run all year.",
        '"Children learn by doing," she said.',
        'Analyst Tomás Reyes moved his rating to "hold" from "buy".',
        "Her book “Songs from the Harbour Wall”, published in 1981, is still in print.",
        day="2025-04-01",
    )
    assert [(quote.text, quote.speaker) for quote in result.quotes] == [
        ("Children learn by doing,", "K. Lalitha")
    ]


def test_a_predicate_is_no_source_and_her_daughter_after_their_daughter() -> None:
    """ "After training as a teacher in Glasgow she returned" makes no unnamed teacher the "she"
    of later quotes; "Her daughter said" is the daughter introduced as "their daughter, Isla
    Munro"; "Trucker Gurdeep Sidhu" is Gurdeep Sidhu."""
    result = tag(
        "Elspeth Munro, who has died aged 90, was a weaver and singer from Harris.",
        "After training as a teacher in Glasgow she returned to the island in 1958.",
        'She was modest about it. Asked why she had started, she replied: "Somebody had to."',
        "She is survived by their daughter, Isla Munro, and three grandsons.",
        'Her daughter said she sang until the end. "She never stopped," she said.',
        day="2025-04-01",
    )
    assert speakers(result) == ["Elspeth Munro", "Isla Munro"]
    trucker = tag(
        'Trucker Gurdeep Sidhu spent the night in his cab. "I have never seen snow like it," Sidhu said.',
        day="2025-04-01",
    )
    assert speakers(trucker) == ["Gurdeep Sidhu"]


def test_an_obituary_pronoun_far_from_anyone_else_is_its_subject() -> None:
    """In an obituary, "In 2001 he won a national prize … "…," he said then" is the man who died,
    not a colleague quoted two paragraphs before; a nickname in quotation marks is no quotation."""
    result = tag(
        "Kofi Mensah-Ansah, the trumpeter who led the Palm Wine Seven, has died in Accra. He was 81.",
        "His playing earned him the nickname “the Golden Horn”.",
        'Drummer Yaw Ofori, who toured with the band for a decade, said: "He was strict but fair."',
        'Singer Ama Owusu called him "the reason I sing". "He taught me to breathe," Owusu said.',
        'In 2001 he won a national prize for music. "I only ever wanted to play," he said then.',
        day="2025-04-01",
    )
    assert [(quote.text, quote.speaker) for quote in result.quotes][-1] == (
        "I only ever wanted to play,",
        "Kofi Mensah-Ansah",
    )
    assert "the Golden Horn" not in {quote.text for quote in result.quotes}


def test_a_rank_with_a_full_stop_a_possessor_before_the_subject_and_a_name_after_of() -> None:
    """ "said Cpl. Mark Dueck of the RCMP" is no sentence break; in "Wanjala's prize is the
    biggest she has won" the "she" is Wanjala, not the woman quoted before; "clear of Beatrice
    Wairimu" is a person for the later "Wairimu, who won bronze"."""
    result = tag(
        '"Stay off the roads," said Cpl. Mark Dueck of the RCMP\'s traffic services.',
        "Seventeen-year-old Grace Wanjala won in 33:41, four seconds clear of Beatrice Wairimu.",
        'Race director Agnes Chelagat said the crowd was a record. "We had to close the gates," '
        "Chelagat said.",
        'Wairimu, who won bronze two years ago, was gracious. "She was the strongest," she said.',
        "Wanjala's prize is the biggest she has won. Asked what she would buy, she did not hesitate. "
        '"Shoes for my sisters," she said.',
        day="2025-04-01",
    )
    assert speakers(result) == [
        "Mark Dueck",
        "Agnes Chelagat",
        "Beatrice Wairimu",
        "Grace Wanjala",
    ]


def test_an_irish_chair_a_coach_called_mentor_and_a_source_after_of_and() -> None:
    """ "Cathaoirleach Nuala Keane" is Nuala Keane; "Valley mentor Steve Kostas was gracious" is
    the "he" that follows; in "the daughter of a ploughman and a mill worker, she was given" the
    mill worker is no subject for the later "she"."""
    result = tag(
        'Cathaoirleach Nuala Keane said the scheme was fair. "Every cent stays here," Keane said.',
        'Captain Ray Tuilagi said the side had let the town down. "That is on us," the skipper said.',
        'Valley mentor Steve Kostas was gracious in victory. "They will bounce back," he said.',
        "Elspeth Grant, who has died aged 88, taught the fiddle in Angus.",
        "Born in Kirriemuir in 1936, the daughter of a ploughman and a mill worker, she was given "
        'her first fiddle at seven. She later said it was "held together with glue and hope".',
        day="2025-04-01",
    )
    assert speakers(result) == ["Nuala Keane", "Ray Tuilagi", "Steve Kostas", "Elspeth Grant"]


def test_an_obituary_subject_named_without_an_introduction_and_a_relative_of_one_surname() -> None:
    # the subject's name has nothing after it to introduce it, and her son shares the surname:
    # the surname alone, and the pronouns of her life, are hers
    result = tag(
        "Every market day for forty years, shoppers on Rynek Street bought bread from Teresa "
        "Kowalczyk before the church bells rang. She died on Sunday, aged 90.",
        "Her death was confirmed by her son, Pawel Kowalczyk, who said she had baked until March.",
        "Kowalczyk never took a holiday. In a 1999 interview she explained why.",
        '"Bread does not wait for anyone," she said then.',
    )
    assert speakers(result) == ["Teresa Kowalczyk"]
    assert ("Pawel Kowalczyk", "she had") in reported(result)


def test_a_dated_paragraph_of_an_obituary_after_a_friend_spoke() -> None:
    result = tag(
        "Duncan Munro, who has died aged 91, mended nets on the pier at Scalpay for sixty years.",
        "His friend, Donald Macleod, said Munro had taught half the island to splice rope.",
        '"He never once lost his temper with a learner," Mr Macleod said.',
        'In 1987 he was given a medal by the fishermen\'s mission. "I only fixed nets," he told '
        "the local paper.",
    )
    assert speakers(result) == ["Donald Macleod", "Duncan Munro"]


def test_a_verb_inside_an_unnamed_source_and_continued_to_deny() -> None:
    result = tag(
        "Kerstin Alm, who has died aged 79, for half a century was the woman every choir in "
        "Dalarna called when it lost its alto.",
        'Speaking to the paper in 2015, she said: "A choir is only as good as its quietest singer."',
        "Judge Ingrid Sahlin said Tord Berg had continued to deny the thefts despite "
        '"plain" evidence from the shop\'s cameras.',
    )
    assert speakers(result) == ["Kerstin Alm", "Ingrid Sahlin"]


def test_job_words_and_kin_compounds_before_a_name_and_revealed() -> None:
    result = tag(
        'Ferryman Calum Beaton, who has run the Kyleakin crossing since 2009, was blunt. "The '
        'new timetable is a mess," he said.',
        'Mum-of-three Aisha Rahman said the school run now took an hour. "It\'s exhausting," she said.',
        "Beaton revealed he would retire in the spring.",
    )
    assert speakers(result) == ["Calum Beaton", "Aisha Rahman"]
    assert ("Calum Beaton", "he would") in reported(result)
    assert {"Ferryman Calum Beaton", "Mum-of-three Aisha Rahman"}.isdisjoint(
        {q.speaker for q in result.quotes}
    )


def test_spaced_initials_a_title_phrase_before_a_first_name_and_a_known_as_nickname() -> None:
    result = tag(
        "The tabla player K. R. Venkataraman, who toured with the troupe for decades, called it "
        '"a family that happened to play music."',
        "Joint Commissioner of Public Works Lakshmi Narayanan, who opened the hall, said it was "
        'built "in record time".',
        'Known to the whole street as "Mani", the shopkeeper sold sweets to three generations.',
    )
    assert speakers(result) == ["K. R. Venkataraman", "Lakshmi Narayanan"]


def test_a_lead_source_named_later_with_the_same_title() -> None:
    result = tag(
        "A dairy farmer who lost forty cows when the river burst its banks says the council's "
        'flood plan is "a map and a prayer".',
        "The water rose overnight. Dairy farmer Morag Innes said she had moved the rest of the "
        "herd to her brother's land.",
        '"We were lucky, and luck is not a plan," Ms Innes said.',
    )
    assert speakers(result) == ["Morag Innes", "Morag Innes"]


def test_a_chant_and_a_banner_after_a_colon_are_quotations_of_no_one() -> None:
    result = tag(
        "Two late goals from winger Tomas Lindqvist sank the visitors, with the away end "
        'chanting "Out, Harrison" long before the final whistle.',
        'A flag on the terrace said it all: "Lindqvist 2 Millionaires 0".',
        'Supporters ran onto the pitch, one carrying a sheet painted with the words "LINDQVIST FOR PM".',
    )
    assert [(q.text, q.speaker) for q in result.quotes] == [
        ("Out, Harrison", ""),
        ("Lindqvist 2 Millionaires 0", ""),
        ("LINDQVIST FOR PM", ""),
    ]


def test_a_retiree_an_unnamed_neighbour_and_a_neighbour_who_is_named() -> None:
    result = tag(
        "Senior forecaster Alan Pryce said the storm had formed within an hour.",
        'On Kent Road, retiree Kerehi Waaka swept glass from her porch. "It was like gunfire," she said.',
        "Her neighbour, who asked not to be named, lost a greenhouse. \"I've never seen hail like "
        'it," he said.',
        "His neighbour and fishing partner, the plumber Gareth Lloyd, said the roof would need "
        'replacing. "Every tile is cracked," Lloyd said.',
    )
    assert speakers(result) == ["Kerehi Waaka", "", "Gareth Lloyd"]


def test_a_name_inside_a_red_faced_phrase_a_solicitor_by_role_and_a_topic_after_for() -> None:
    result = tag(
        'Coach Brendan Walsh was furious. "That was a disgrace," a red-faced Walsh told reporters.',
        'In court, solicitor Niamh Carey said her client had paid the fine. "He regrets it '
        'deeply," the solicitor added.',
        "Garda Inspector Paula Deane said the case was closed.",
        'For Ms Carey, the outcome was fair. "Justice was done today," she said.',
    )
    assert speakers(result) == ["Brendan Walsh", "Niamh Carey", "Niamh Carey"]


def test_a_railway_and_an_oval_are_no_people() -> None:
    result = tag(
        "Brockfield Railway, a heritage line run by volunteers, has bought two steam engines.",
        "A crowd of 3,000 filled Harbour End Oval, the biggest for a league game in years.",
        '"This is the best day the line has had," said Brockfield Railway chairman Colin Dunn.',
    )
    people = {e.name for e in result.entities if e.type == "person"}
    assert people == {"Colin Dunn"} and speakers(result) == ["Colin Dunn"]


def test_a_surname_that_named_one_person_alone_stays_theirs_when_a_relative_shares_it() -> None:
    result = tag(
        "Veteran prop Shane Doherty played his 250th game on Saturday.",
        '"My knees are finished, but my heart is not," Doherty said.',
        "His aunt, Maureen Doherty, 70, has watched every one of them from the same seat.",
        "Doherty, a carpenter by trade, said he would decide on his future in the summer. "
        '"Ask me after the final," he said.',
    )
    assert speakers(result) == ["Shane Doherty", "Shane Doherty"]
    assert ("Shane Doherty", "he would") in reported(result)


def test_the_first_of_two_surnames_in_an_obituary_when_a_daughter_has_it_too() -> None:
    result = tag(
        "Lúcia Ferreira dos Santos, who embroidered altar cloths for half the churches of "
        "Olinda, died on Monday. She was 93.",
        "Her daughter, Marta Ferreira, said she had sewn until the week before.",
        'Ferreira learnt the craft from her mother. "A needle is patient," she told the paper in 2010.',
    )
    assert speakers(result) == ["Lúcia Ferreira dos Santos"]


def test_a_party_in_brackets_between_a_name_and_who_told() -> None:
    result = tag(
        "The motion was put by Cllr Seamus Kiely (Ind), who told the meeting the square had been "
        '"a car park with benches" for too long.',
    )
    assert speakers(result) == ["Seamus Kiely"]


def test_a_counterpart_holds_the_same_office_for_their_country() -> None:
    result = tag(
        "Dutch Agriculture Minister Femke Wiersma met her Belgian counterpart, Joris Vandeputte, "
        "in Ghent on Monday.",
        'The Belgian minister said the two countries would share vets at the border. "Disease '
        'does not stop at a line on a map," he said.',
        day="2025-03-10",
    )
    assert speakers(result) == ["Joris Vandeputte"]
    assert ("Joris Vandeputte", "the two") in reported(result)


def test_an_aside_between_a_spokesman_and_said_and_a_participle_after_a_phrase() -> None:
    result = tag(
        "Government spokeswoman Hanne Lund, asked whether Erik Solheim Berg would resign, said: "
        '"The minister has the full confidence of the cabinet."',
        'Ms Lund said Oslo would answer "in kind" to the expulsion of a senior Norwegian diplomat, calling '
        "it a provocation.",
    )
    assert speakers(result) == ["Hanne Lund", "Hanne Lund"]


def test_hailed_a_passive_label_and_the_appositive_of_a_leading_for() -> None:
    result = tag(
        'Mayor Ana Ruiz won the vote 9-2, a result she hailed as "a new start for the harbour".',
        'Tankers of unclear ownership, often described as the "dark fleet", use the port at night.',
        "Councillor Marta Gil, who voted against, left early.",
        "For Lucía Prieto, a teacher at the harbour school, the vote was overdue. "
        '"We waited forty years," she said.',
    )
    assert [(q.text, q.speaker) for q in result.quotes] == [
        ("a new start for the harbour", "Ana Ruiz"),
        ("We waited forty years,", "Lucía Prieto"),
    ]


def test_reported_speech_before_a_role_and_the_name_set_off_after_it() -> None:
    result = tag(
        "The port will close its oldest quay by the end of the year, the authority's chief "
        "executive, Ruth Bakker, said on Friday.",
        "The lone objector on the board, Piet Smit, said the plan was rushed.",
    )
    assert reported(result, 4) == [
        ("Ruth Bakker", "The port will close"),
        ("Piet Smit", "the plan was rushed."),
    ]


def test_a_country_possessive_role_a_prince_by_title_and_a_subject_after_a_conjunction() -> None:
    result = tag(
        'Lithuania\'s foreign minister said on Monday: "Our skies are not a testing ground."',
        "Oil rose after Energy Minister Prince Abdulaziz bin Salman spoke in Riyadh. "
        '"The market knows where we stand," the prince told reporters.',
        "Talks resumed a day after the Lithuanian foreign minister warned that the region could "
        'not "wait for a disaster".',
        day="2023-11-28",
    )
    assert speakers(result) == ["Gabrielius Landsbergis", "Abdulaziz bin Salman", "Gabrielius Landsbergis"]


def test_an_office_a_spokesman_is_named_after_does_not_make_the_spokesman_its_holder() -> None:
    # the Kremlin spokesman's role is also written as the Russian president's spokesman, and
    # the German government spokesman's as "Chancellor's spokesman" (agents/tag/data/people.yaml)
    result = tag(
        '"We will not be rushed," the Russian president told a televised meeting.',
        '"Europe must carry more of the load," the German leader said.',
        day="2024-04-14",
    )
    assert speakers(result) == ["Vladimir Putin", "Olaf Scholz"]


def test_a_role_phrase_the_article_names_no_one_for_and_two_clauses_after_a_quotation() -> None:
    result = tag(
        "Iraq's electricity minister said on Monday that the southern grid would be back within a week.",
        '"The fault is found and the crews are working," the minister told state television.',
        "Iranian Foreign Minister Abbas Araghchi said gas flows were recovering.",
        'The Kremlin spokesman on Tuesday dismissed the new sanctions as "pure invention," saying '
        "the measures would do nothing to change Moscow's course.",
        'Peskov said Moscow would not be drawn into talks "at gunpoint", hours after the head of '
        "the UN nuclear watchdog called for a meeting.",
        day="2025-07-21",
    )
    assert speakers(result) == ["Ziad Ali Fadel", "Dmitry Peskov", "Dmitry Peskov"]


def test_the_head_of_the_un_nuclear_watchdog_is_its_director_general() -> None:
    result = tag(
        'The head of the UN nuclear watchdog said on Monday that inspections had reached "a critical point".',
        day="2024-11-20",
    )
    assert speakers(result) == ["Rafael Grossi"]


def test_a_weak_alias_two_people_share_is_the_one_the_article_names_in_full() -> None:
    president = tag(
        "South Korean President Lee Jae-myung spoke to reporters in Seoul.",
        '"We will keep talking," Lee said.',
        day="2025-08-01",
    )
    chairman = tag(
        "Samsung Electronics Executive Chairman Lee Jae-yong toured the plant.",
        '"Chips are a long game," Lee said.',
        day="2025-08-01",
    )
    assert speakers(president) == ["Lee Jae-myung"] and speakers(chairman) == ["Lee Jae-yong"]


def test_a_cue_after_a_contrasting_clause_is_that_clauses_own() -> None:
    result = tag(
        'Maria Lindqvist promised on Monday to "finish the bridge by spring" as she presented the '
        'budget, while Olof Berg accused her of "building castles in the air".',
    )
    assert speakers(result) == ["Maria Lindqvist", "Olof Berg"]


def test_a_participle_after_a_comma_is_the_sentences_subjects() -> None:
    result = tag(
        "Mette Holm, Denmark's farm minister, flew to Finland on Sunday.",
        "Farm Minister Jonas Aaltonen received his Danish counterpart Mette Holm in Oulu on Monday, "
        'saying the two countries would "share every scrap of data".',
        'Trade director Anna Berg met her opposite number, Piet Smit, on Friday. Smit had been "firm '
        'but fair," she said, adding: "He knew every figure."',
    )
    assert speakers(result) == ["Jonas Aaltonen", "Anna Berg", "Anna Berg"]


def test_the_prime_minister_is_the_one_introduced_as_prime_minister_not_a_premier() -> None:
    result = tag(
        "Prime Minister Anthony Albanese and NSW Premier Dominic Perrottet opened the stadium on "
        'Wednesday, with the Prime Minister saying it must be "a ground for everyone".',
        day="2023-02-15",
    )
    assert speakers(result) == ["Anthony Albanese"]


def test_an_office_quoting_him_as_saying() -> None:
    result = tag(
        "Mayor Tomas Rydell met the rail operator on Monday.",
        'His office later quoted him as saying: "The timetable cannot slip again."',
    )
    assert speakers(result) == ["Tomas Rydell"]


def test_a_surname_alone_is_the_nearest_known_person_named_in_full_with_it() -> None:
    result = tag(
        "President Luiz Inácio Lula da Silva opened the forest summit in Belém on Tuesday.",
        "Environment Minister Marina Silva, who leads the talks, said more money was needed. "
        '"Promises do not plant trees," Silva said.',
        day="2025-11-06",
    )
    assert speakers(result) == ["Marina Silva"]


def test_the_health_officer_is_the_one_introduced_with_that_title() -> None:
    result = tag(
        "District Health Officer Dr. Anita Menon said cases had doubled since June.",
        '"Empty the flower pots and the drains, every week," the health officer said.',
    )
    assert speakers(result) == ["Anita Menon"]


def test_an_unnamed_source_whose_noun_follows_a_possessive_plural() -> None:
    result = tag(
        'Head teacher Gloria Bautista said the new timetable had "settled in well".',
        "A nurses’ union representative, who asked not to be named, said night shifts were longer. "
        '"Nobody asked us about the buses," she said.',
    )
    assert speakers(result) == ["Gloria Bautista", ""]


def test_a_category_a_name_someone_went_by_and_a_county_are_no_quotations_or_people() -> None:
    result = tag(
        'Teacher Rosa Lim said 14 pupils were now classified as "struggling" readers.',
        "Nora Keane, who has died at her home near Ennis, Co Clare, taught the tin whistle for "
        'fifty years. To the village she was simply "Nonie".',
        '"She never let a child give up," said her nephew, Brendan Keane.',
    )
    assert [q.text for q in result.quotes] == ["She never let a child give up,"]
    assert speakers(result) == ["Brendan Keane"]
    assert all("Clare" not in entity.name for entity in result.entities if entity.type == "person")


def test_a_source_that_only_recorded_the_words_and_a_source_speaking_on_condition_of_anonymity() -> None:
    result = tag(
        "Iranian President Masoud Pezeshkian told the visiting envoy that the country had "
        '"nothing to conceal", according to the presidency\'s website.',
        '"The paperwork was checked twice," the diplomat said, speaking on condition of anonymity.',
        # no one's words before it: the statement's, and no one named
        '"We regret the delay," according to the ministry\'s statement.',
        day="2025-02-19",
    )
    assert speakers(result) == ["Masoud Pezeshkian", "", ""]


def test_the_eu_trade_chief_of_the_date() -> None:
    result = tag(
        "The European Union's trade chief said on Thursday that the deal was "
        '"within reach" after talks in Montevideo.',
        day="2024-09-19",
    )
    assert speakers(result) == ["Valdis Dombrovskis"]


def test_a_name_after_a_leading_clause_of_time_is_the_subject_a_described_speaker_means() -> None:
    result = tag(
        "The ferry leaves Lamu before first light. By the time it clears the channel, Amara "
        "Okafor has counted the passengers twice.",
        '"Nobody gets left on the jetty," says the 38-year-old skipper.',
    )
    assert speakers(result) == ["Amara Okafor"]


def test_its_before_a_role_is_the_organisation_the_sentence_names() -> None:
    result = tag(
        "The Bank of England held interest rates on Thursday, with its governor saying the "
        'committee wanted "a few more months of data" before cutting again.',
        day="2025-02-06",
    )
    assert speakers(result) == ["Andrew Bailey"]


def test_a_source_named_after_according_to_is_the_next_pronoun_of_their_gender() -> None:
    result = tag(
        "Her son, Tiago Ramos, said she had died at home after a short illness.",
        "She wrote every morning until the spring, according to her agent, Duarte Falcão. "
        '"She sent me the last pages in April," he said.',
    )
    assert speakers(result) == ["Duarte Falcão"]


def test_an_obituarys_she_in_a_sentence_that_opens_with_a_date_is_its_subject() -> None:
    result = tag(
        "Marta Quental, the poet who wrote of the Douro's boatmen, has died aged 84.",
        '"She read every line aloud before she let it go," said Inês Lobo, who edited her letters.',
        "Her first collection sold out in a week and made her, to her dismay, a name. In a 1998 "
        'interview she called success "a coat cut for somebody else".',
    )
    assert speakers(result) == ["Inês Lobo", "Marta Quental"]


def test_the_head_of_the_united_nations_nuclear_watchdog() -> None:
    result = tag(
        "The head of the United Nations nuclear watchdog said on Monday that inspectors had "
        '"lost sight" of parts of the programme.',
        day="2025-03-03",
    )
    assert speakers(result) == ["Rafael Grossi"]


def test_the_subject_of_the_sentence_before_a_quotation_paragraph_is_introduced() -> None:
    result = tag(
        '"Prices will settle by the summer," said Aleksi Voutilainen, an analyst at a Helsinki bank.',
        "For the boatyards on the coast, the spring has been hard. Orvo Kettunen has built wooden "
        "skiffs in the same shed since 1991.",
        '"I had four orders last March and none this year," he said.',
    )
    assert speakers(result) == ["Aleksi Voutilainen", "Orvo Kettunen"]


def test_a_trade_written_as_a_title_before_a_name() -> None:
    result = tag(
        "Brickie Callum Reeve scored twice as Ferrybridge Albion won the county cup.",
        '"I was laying a wall at eight this morning," said Reeve.',
    )
    assert speakers(result) == ["Callum Reeve"]


def test_a_family_name_written_first_and_then_alone() -> None:
    result = tag(
        "Choi Eun-ji opened her noodle bar on the harbour road in the spring.",
        '"The fishermen come in at six and they are hungry," Choi said.',
    )
    assert speakers(result) == ["Choi Eun-ji"]


def test_a_nickname_after_known_to_a_long_phrase_simply_as() -> None:
    result = tag(
        '"We will be back next year," said captain Rhys Bevan.',
        "Known to the regulars at the Anchor Inn simply as \u201cSkipper\u201d, he has led the side "
        "since 2019.",
    )
    assert [q.text for q in result.quotes] == ["We will be back next year,"]


def test_what_he_called_is_the_subject_of_the_sentence() -> None:
    result = tag(
        '"The ferry timetable stays as it is," said councillor Jonas Brekke.',
        'Harald Lien, who runs the harbour cafe, welcomed what he called "a sensible outcome".',
    )
    assert speakers(result) == ["Jonas Brekke", "Harald Lien"]


def test_a_cue_after_as_with_its_own_that_clause_is_another_speaker() -> None:
    result = tag(
        "Mayor Lena Hartmann, who chairs the finance committee, spoke at the town hall.",
        'Hartmann has ruled out a rise in the property levy "for this year", as treasurer Otto '
        "Brandl warned that the reserves were nearly spent.",
    )
    assert speakers(result) == ["Lena Hartmann"]


def test_an_unnamed_source_with_a_capitalised_adjective() -> None:
    result = tag(
        '"We agreed a calendar for the talks," said Tomas Varga, the mediator.',
        "Diplomats in Oslo were more guarded. One Scandinavian envoy, who asked not to be named "
        'because he was not cleared to speak, put it this way: "A calendar is not a deal."',
    )
    assert speakers(result) == ["Tomas Varga", ""]


def test_the_head_of_the_un_nuclear_watchdog_with_full_stops() -> None:
    result = tag(
        'The head of the U.N. nuclear watchdog said on Monday that inspectors needed "access, and soon".',
        day="2025-03-03",
    )
    assert speakers(result) == ["Rafael Grossi"]


def test_a_known_surname_at_the_end_of_another_name_is_no_mention_of_that_person() -> None:
    result = tag(
        "Jonas Pfeiffer of Bankhaus Lindner in Stuttgart said he expected another cut in the "
        'forecast. "The summer will be worse than the spring," Pfeiffer said.',
        day="2024-05-06",
    )
    assert speakers(result) == ["Jonas Pfeiffer"]
    assert "person:christian-lindner" not in {entity.id for entity in result.entities}
    assert reported(result)[0][0] == "Jonas Pfeiffer"


def test_a_word_talked_about_is_no_quotation() -> None:
    result = tag(
        'The potter never liked the word \u201cartisan\u201d. "I make cups," said Ilse Marr.',
    )
    assert [q.text for q in result.quotes] == ["I make cups,"]


def test_according_to_a_statement_from_an_office_leaves_the_speaker_to_the_cue_before() -> None:
    result = tag(
        '"We have the money for the bridge," said Ines Carvalho, the mayor.',
        "Later she told councillors that the city \u201cwill not wait another winter\u201d, "
        "according to a statement from her office.",
    )
    assert speakers(result) == ["Ines Carvalho", "Ines Carvalho"]


def test_the_called_of_so_called_is_no_cue() -> None:
    result = tag(
        "Karin Holm told Ole Dahl that so-called grey imports were \u201churting every dealer in "
        "the county\u201d, according to a readout of the meeting.",
    )
    assert speakers(result) == ["Karin Holm"]


def test_made_clear_that_reports_speech_and_made_clear_a_thing_does_not() -> None:
    result = tag(
        '"The ferry stays," said Hanne Vik, the county mayor.',
        "Vik made clear that the crossing would keep its winter timetable. She also made it clear "
        "on Friday that the council would \u201cnot sell the quay to anyone\u201d.",
        "Her deputy made clear his unease with the plan.",
    )
    assert speakers(result) == ["Hanne Vik", "Hanne Vik"]
    assert [q.cue for q in result.quotes] == ["said", "made it clear"]
    # (the deputy's unease is what he made clear, not what he said)
    assert reported(result, 4) == [
        ("Hanne Vik", "the crossing would keep"),
        ("Hanne Vik", "the council would “not"),
    ]


def test_for_a_person_a_partial_quote_without_a_cue_is_their_view() -> None:
    result = tag(
        "The harbour board voted to close the old pier on Monday.",
        "For Ilka Moreau, a historian at the maritime museum in Brest, the vote had \u201cended two "
        "centuries of the town's life on the water\u201d.",
        'For fans of Ilka Moreau, the book was "a long overdue tribute".',
    )
    assert speakers(result) == ["Ilka Moreau", ""]


def test_what_unnamed_people_described_as_is_not_the_nearest_persons() -> None:
    result = tag(
        "Mayor Dario Fumagalli met the transport minister, Elsa Brandt, for what aides on both "
        "sides described as \u201cfrank\u201d talks.",
        'Brandt later praised what Fumagalli called "a plan we can pay for".',
    )
    assert speakers(result) == ["", "Dario Fumagalli"]


def test_a_reported_clause_naming_a_role_before_a_titled_speaker() -> None:
    result = tag(
        "The county will appoint a flood commissioner to oversee the repairs, Mayor Greta "
        "Lindqvist said on Tuesday, after the river rose again.",
        "The port authority will hire forty extra pilots, Ruth Abara said.",
        "The lone dissenting harbour master, Sven Ek, said the vote was rushed.",
    )
    assert reported(result, 3) == [
        ("Greta Lindqvist", "The county will"),
        ("Ruth Abara", "The port authority"),
        ("Sven Ek", "the vote was"),
    ]


def test_told_analysts_reports_what_follows() -> None:
    result = tag(
        "Finance chief Omar Haddou told analysts the new plant would be paid for from cash, and "
        "that the firm meant to keep its debt low.",
    )
    assert reported(result, 3) == [("Omar Haddou", "the new plant")]
    assert result.reported[0].text.endswith("the firm meant to keep its debt low.")


def test_a_relative_clause_with_an_appositive_is_not_the_verbs_subject() -> None:
    result = tag(
        "Harbour master Sven Ek arrived in the morning.",
        "Mayor Ilse Brandt, who met the harbour master, Sven Ek, at the quay before noon, said the "
        "ferry would sail again on Friday.",
        'Councillor Rita Holm, who thanked the fire chief, Ole Sand, for his work, said: "We were lucky."',
    )
    assert reported(result, 3) == [("Ilse Brandt", "the ferry would")]
    assert speakers(result) == ["Rita Holm"]


def test_the_pronoun_of_a_relative_clause_is_the_sentences_subject() -> None:
    result = tag(
        "Mayor Piet Brouwer opened the bridge on Monday.",
        "Councillor Jan de Wit praised the new bus lane, which he said had cut journey times by a third.",
    )
    assert reported(result, 3) == [("Jan de Wit", "had cut journey")]


def test_a_role_phrase_fits_a_person_who_holds_that_office_and_another() -> None:
    # the Polish defence minister is a deputy prime minister too; "the defence minister" is he
    result = tag(
        "Poland will order more field hospitals this year, the defence minister said on Monday.",
        '"We learned from Ukraine," Wladyslaw Kosiniak-Kamysz told soldiers near Lublin.',
        day="2024-03-04",
    )
    assert reported(result, 3) == [("Wladyslaw Kosiniak-Kamysz", "Poland will order")]


def test_a_named_subject_with_an_appositive_after_a_conjunction_reports_speech() -> None:
    result = tag(
        "Grain prices rose a day after Anneke Visser, head of the growers' cooperative, said the "
        "harvest would be the smallest in a decade.",
    )
    assert reported(result, 3) == [("Anneke Visser", "the harvest would")]


def test_a_players_position_before_the_name_is_no_part_of_it() -> None:
    result = tag(
        "Half-forward Tahlia Brooks kicked the winner after the siren on Sunday.",
        '"I just heard the crowd," Brooks said.',
    )
    assert speakers(result) == ["Tahlia Brooks"]


def test_a_role_with_a_relative_clause_after_a_conjunction_is_the_cues_subject() -> None:
    result = tag(
        "Christine Lagarde spoke in Vienna.",
        "Her remarks came a day after the president of De Nederlandsche Bank, who sits on the "
        'governing council, described a cut in June as "sensible".',
        day="2024-02-22",
    )
    assert speakers(result) == ["Klaas Knot"]


def test_the_role_noun_of_an_unnamed_source_introduced_since_is_that_source() -> None:
    result = tag(
        "The foreign policy chief, Kaja Kallas, said talks would go on.",
        "A senior EU diplomat, speaking on condition of anonymity, was blunter. "
        '"Nobody expected anything else," the diplomat said.',
        '"We will try again in June," said the spokesperson, Anke Vos.',
        day="2025-03-20",
    )
    assert speakers(result) == ["", "Anke Vos"]


def test_a_name_set_off_after_an_age_is_introduced() -> None:
    result = tag(
        'Co-author Ilkka Saari said the data were clear. "Ice comes later," he said.',
        "One of the observers, 77-year-old Aune Kivelä, has kept the notebook since 1971.",
        '"My mother kept it before me," she said.',
    )
    assert speakers(result) == ["Ilkka Saari", "Aune Kivelä"]


def test_the_dad_of_two_is_whoever_of_his_gender_is_in_focus() -> None:
    result = tag(
        "Plumber Kieran Doyle scored the winner in the 89th minute.",
        '"I just hit it," grinned the dad-of-two.',
    )
    assert speakers(result) == ["Kieran Doyle"]


def test_a_generational_suffix_is_not_the_family_name() -> None:
    result = tag(
        "At the bench sits Joaquim Barbosa Neto, who has built violas here since 1975.",
        "His granddaughter, Luísa Barbosa, 22, helps him every afternoon.",
        '"She has good hands," Barbosa says.',
    )
    assert speakers(result) == ["Joaquim Barbosa Neto"]


def test_the_pronoun_of_in_which_he_warned_is_the_sentences_subject() -> None:
    result = tag(
        "Opposition leader Mark Tilley said the plan was unfunded.",
        "The Treasury minister, Alan Brooke, joined the row in a letter to voters, in which he "
        "warned that \u201cevery household will pay\u201d for it.",
    )
    assert speakers(result) == ["Alan Brooke"]


def test_a_role_phrase_who_asked_not_to_be_named_is_an_unnamed_source() -> None:
    result = tag(
        '"We are open to talks," said Valdis Dombrovskis.',
        "The chief executive of one supplier in Bavaria, who asked not to be named, said the mood "
        "was \u201cgrim\u201d.",
        day="2024-07-04",
    )
    assert speakers(result) == ["Valdis Dombrovskis", ""]


def test_the_agent_of_a_passive_cue_said_the_quotation() -> None:
    result = tag(
        "Finance ministers agreed on Friday to tax the very rich, a step hailed by Brazil's "
        "finance minister as \u201chistoric\u201d.",
        "Ana Torres described the levy announced by the ministers as \u201ca start\u201d.",
        day="2024-07-26",
    )
    assert speakers(result) == ["Fernando Haddad", "Ana Torres"]


def test_the_pronoun_of_a_that_relative_clause_is_the_sentences_subject() -> None:
    result = tag(
        '"Our job is to keep the supplies coming," General Tom Hale told the meeting.',
        "Defence Minister Ivan Petrenko presented allies with a list of priorities that he said "
        "put air defence and long-range missiles at the top.",
    )
    assert reported(result, 2) == [("Ivan Petrenko", "put air")]


def test_a_passive_agent_with_a_descriptor_before_the_name_is_in_focus() -> None:
    result = tag(
        '"We will come back with options," Ms Oduya said.',
        "The petition was started by Mill Lane resident Joan Pelling, 61, who sat in the gallery.",
        '"I am thrilled," she said afterwards.',
    )
    assert speakers(result) == ["Oduya", "Joan Pelling"]


def test_what_a_banner_reads_is_no_ones_though_the_sentence_has_a_speaker() -> None:
    result = tag(
        'In front of a banner reading "Keep the buses running", Mayor Lena Holt said the '
        "service would be saved.",
    )
    assert speakers(result) == [""]


def test_a_captain_coach_before_a_name_is_no_part_of_it() -> None:
    result = tag(
        "Captain-coach Rory Keogh kicked the winning goal.",
        '"The town deserved this," Keogh said.',
    )
    assert speakers(result) == ["Rory Keogh"]


def test_a_role_set_off_before_a_name_is_not_the_second_verbs_subject() -> None:
    result = tag(
        "Prime Minister Pedro Sánchez welcomed the ruling.",
        "The leader of the opposition People's Party, Alberto Núñez Feijóo, accused the government "
        "of delay and said the Socialists had built too few homes.",
        day="2024-10-16",
    )
    assert reported(result, 3) == [("Alberto Núñez Feijóo", "the Socialists had")]


def test_a_role_phrase_is_placed_by_the_sentence_opening_on_where_it_was_said() -> None:
    result = tag(
        'At the White House, the press secretary called the talks "productive".',
        'In the Kremlin, the press secretary said the offer was "not serious".',
        '"We will study it all the same," he added.',
        day="2023-03-01",
    )
    assert speakers(result) == ["Karine Jean-Pierre", "Dmitry Peskov", "Dmitry Peskov"]


def test_a_profiles_subject_is_the_lead_sentences_subject_though_nothing_introduces_them() -> None:
    result = tag(
        "Long before the first ferry leaves, Oskari Vainio is down at the shed, sharpening his "
        "chisels for a boat he has been building since spring.",
        '"Wood tells you what it wants," he says.',
        "His nephew, Timo Vainio, who paints the hulls, has heard it all before.",
    )
    assert speakers(result) == ["Oskari Vainio"]


def test_a_team_or_a_firm_that_opens_a_lead_is_no_profiles_subject() -> None:
    result = tag(
        "Harbour City Gulls forward Kane Doherty has signed a new deal, ending talk of his exit.",
        '"I never wanted to leave," he said.',
    )
    assert speakers(result) == ["Kane Doherty"]
    assert [e.name for e in result.entities if e.id.startswith("person:")] == ["Kane Doherty"]
    result = tag(
        "Aldous Freight is to close its depot at Dunmore, with the loss of 40 jobs.",
        '"This was a hard decision," a spokeswoman said.',
    )
    assert speakers(result) == [""]
    assert not [e for e in result.entities if e.id.startswith("person:")]


def test_an_obituarys_subject_of_untold_gender_is_the_pronoun_after_a_dated_opening() -> None:
    result = tag(
        "Senara Rowe-Kerrigan, who ran the ferry café at Portnahaven for forty years, died on "
        "Friday. She was 88.",
        'Her niece, Ailsa Rowe, said she "fed half the island on credit".',
        'In 1994 she was made an honorary member of the lifeboat crew. "I only made the tea," '
        "she said at the time.",
    )
    assert speakers(result) == ["Ailsa Rowe", "Senara Rowe-Kerrigan"]


def test_a_quoted_title_after_the_word_title_is_no_quotation() -> None:
    result = tag(
        'Mayor Ines Dahl said the plan, printed under the one-word title "Forward", was '
        '"paid for to the last krone".',
    )
    assert [(quote.text, quote.speaker) for quote in result.quotes] == [
        ("paid for to the last krone", "Ines Dahl")
    ]


def test_of_two_holders_of_a_role_the_one_from_the_articles_country() -> None:
    result = tag(
        "Rishi Sunak promised on Monday to cut waiting lists, and Keir Starmer called the pledge empty.",
        'The chancellor, visiting a bakery in Kent, said the sums were "fully funded".',
        day="2024-06-10",
    )
    assert speakers(result) == ["Jeremy Hunt"]


def test_the_unnamed_source_again_is_no_holder_the_article_never_named() -> None:
    result = tag(
        "Mary Barra said the plant would double its output.",
        'A company spokeswoman declined to go further. "We do not comment on future models," '
        "the spokeswoman said.",
        day="2024-06-10",
    )
    assert speakers(result) == [""]


def test_a_plural_title_before_two_names_is_no_part_of_the_first() -> None:
    result = tag(
        "A bench of Justices Devika R. Nair and Joseph Mathew dismissed the appeal.",
        '"The river is no private drain," Justice Nair wrote.',
    )
    assert speakers(result) == ["Devika R. Nair"]


def test_a_reeve_is_a_title_before_a_name() -> None:
    result = tag(
        "Reeve Dale Sorensen declared a local state of emergency on Monday.",
        '"Stay off the river roads," Sorensen said.',
    )
    assert speakers(result) == ["Dale Sorensen"]


def test_an_administrator_is_a_title_before_a_name() -> None:
    result = tag(
        "Administrator Gwen Tobias said the nursing home would stay closed to visitors until Friday.",
        '"We would rather be careful for a few more days," Tobias said.',
    )
    assert speakers(result) == ["Gwen Tobias"]


def test_a_surname_that_is_a_country_after_a_first_name() -> None:
    result = tag(
        "Carlos Panama, who manages a shipping agency in Valparaíso, said the queue of vessels "
        "had doubled since March.",
        '"Nobody is moving cargo on time," Panama said.',
    )
    assert speakers(result) == ["Carlos Panama"]


def test_a_participle_after_the_words_that_go_on_from_a_partial_quote() -> None:
    result = tag(
        'Harbourside Hawks coach Glen Mabry tore into his side after a "spineless" final quarter '
        "handed the Westport Wolves a 40-point win on Sunday, warning that places were up for grabs.",
        '"I have seen more effort at a training run," Mabry said.',
    )
    assert speakers(result) == ["Glen Mabry", "Glen Mabry"]


def test_a_rank_after_a_trade_is_a_short_first_name() -> None:
    result = tag(
        "Cattle breeder Col Dunstan, who runs 900 head north of the town, lost most of his fencing.",
        '"The creek came up faster than I have ever seen it," Mr Dunstan said.',
        "The army's liaison officer, Col Priya Nandakumar, said troops would arrive by Friday.",
        '"We will stay as long as we are needed," said Col Nandakumar.',
    )
    assert speakers(result) == ["Col Dunstan", "Priya Nandakumar"]


def test_two_appositives_joined_by_and_before_the_cue() -> None:
    result = tag(
        "Ingrid Halvorsen, the port director and a member of the county's safety board, told "
        'councillors on Monday that the old quay was "not fit for purpose".',
    )
    assert speakers(result) == ["Ingrid Halvorsen"]


def test_a_record_after_the_quotation_quoted_him_as_saying() -> None:
    result = tag(
        "Mayor Teodor Vasilescu assured the delegation that the bridge would reopen in spring, "
        "according to a statement from the town hall.",
        '"Every crew we have is on it," the statement quoted him as saying.',
    )
    assert speakers(result) == ["Teodor Vasilescu"]


def test_a_tabloid_word_in_capitals_before_the_name_opens_the_lead() -> None:
    result = tag(
        "WONDER-KID Ewan Baxter struck twice in the last ten minutes to send Kilmory United into "
        "the final last night.",
        '"I had to pinch myself on the way off," Baxter said.',
    )
    assert speakers(result) == ["Ewan Baxter"]


def test_a_district_collector_is_a_title_before_a_name() -> None:
    result = tag(
        "District collector S. Revathi opened the new ration shop in Chittoor on Monday.",
        '"Nobody should walk ten kilometres for rice," she said.',
    )
    assert speakers(result) == ["S. Revathi"]


def test_a_kin_noun_as_the_subject_of_a_cue_inside_a_sentence() -> None:
    result = tag(
        "Her grandson, Duarte Ferreira Lopes, said she had painted until the week she died.",
        '"She never sold a picture she liked," said Inês Valente, who ran the gallery.',
        "She turned down a medal in 1998, her grandson said, "
        '"because it came with a dinner she did not want to sit through".',
    )
    assert speakers(result)[-1] == "Duarte Ferreira Lopes"


def test_a_lawyer_representing_a_city_is_no_place_in_apposition() -> None:
    result = tag(
        "Kerem Yalçın, a lawyer representing the city, said the contract had been awarded openly.",
        '"Every page of the file will go to the higher court," he said.',
    )
    assert speakers(result) == ["Kerem Yalçın"]


def test_a_nickname_the_article_gives_names_the_person_later() -> None:
    result = tag(
        'Apolónia Ferreira Rocha, the baker known to the whole parish as "Tia Pola", died on '
        "Friday at her home in Viseu. She was 93.",
        "Her neighbour, Arlindo Matos, said the bakery had opened every day for sixty years.",
        'Speaking to this paper in 2019, Tia Pola said she had never once slept past four. "The '
        'dough does not wait for anybody," she said.',
    )
    assert speakers(result) == ["Apolónia Ferreira Rocha"]


def test_a_government_as_the_subject_of_a_cue_before_a_partial_quote() -> None:
    result = tag(
        "Economy Minister Robert Habeck said on Tuesday that talks on the steel tariffs would "
        'go on, as Turkey accused Berlin of "hiding behind Brussels".',
        day="2023-05-09",
    )
    assert speakers(result) == [""]


def test_an_organisation_after_of_is_no_subject() -> None:
    result = tag(
        'The president of the European Central Bank said on Thursday that inflation was "on a good path".',
        day="2024-05-16",
    )
    assert speakers(result) == ["Christine Lagarde"]


def test_a_surname_before_family_names_the_family() -> None:
    result = tag(
        "Shop owner Lorna Pettifer told the court the thefts had nearly closed the business.",
        'Outside court, a cousin of the Pettifer family said: "We can sleep again now."',
    )
    assert speakers(result) == [""]


def test_the_prince_is_the_royal_minister_the_article_named() -> None:
    result = tag(
        "Energy Minister Abdulaziz bin Salman said the kingdom would keep its cut in place.",
        '"Nobody will rush us," the prince said.',
        day="2023-10-05",
    )
    assert speakers(result) == ["Abdulaziz bin Salman"]


def test_the_minister_after_a_role_phrase_is_that_role_not_the_titled_minister() -> None:
    result = tag(
        "Foreign Minister Mevlut Cavusoglu met his Azerbaijani counterpart in Ankara on Tuesday.",
        "Turkey's energy minister told reporters that gas flows were normal. "
        '"We have enough in storage for the whole winter," the minister said.',
        day="2022-03-01",
    )
    assert speakers(result) == ["Fatih Donmez"]


def test_urging_is_a_cue_after_its_subject() -> None:
    result = tag(
        "Ministers met in Oslo for a summit on fisheries, with the host, trade minister Ingvild "
        'Brekke, urging neighbours to "stop treating the quotas as a private matter".',
    )
    assert speakers(result) == ["Ingvild Brekke"]


def test_a_cue_after_the_quotation_in_a_clause_joined_by_and_is_someone_elses() -> None:
    result = tag(
        "Mayor Carla Brandt and councillor Otto Wiese toured the flooded streets, with the mayor "
        'insisting that the repairs would "start next week, not next year" and the councillor '
        "warning residents to stay patient.",
    )
    assert speakers(result) == ["Carla Brandt"]


def test_a_court_leads_unnamed_man_is_the_name_the_next_paragraph_opens_on() -> None:
    result = tag(
        'A Cork man found with 25 stolen lawnmowers in his shed told gardaí he was "keeping them '
        'safe for a cousin", a court heard.',
        "Finbarr Creedon, 41, of Mallow Road, pleaded guilty to handling stolen property.",
    )
    assert speakers(result) == ["Finbarr Creedon"]


def test_a_span_after_nicknamed_is_no_quotation() -> None:
    result = tag(
        "Trade Commissioner Anna Lind said the bloc would look again at a side letter that "
        'farmers have nicknamed the "paper fence".',
    )
    assert [q.text for q in result.quotes] == []


def test_someone_first_named_in_a_sentence_about_another_is_in_focus() -> None:
    result = tag(
        "Baker Marta Kowal opened her first shop in 1979.",
        '"Flour is cheaper than ever," she says.',
        "Tomasz Nowicki has one apprentice: his niece, Zuzanna Nowicka, 20, who studies "
        'chemistry. "He makes me weigh everything twice," she says.',
    )
    assert speakers(result) == ["Marta Kowal", "Zuzanna Nowicka"]


def test_dona_is_a_title_before_a_name() -> None:
    result = tag(
        "The costumes are the work of Dona Rosa Maria Teixeira, who has sewn for the school since 1981.",
        '"Every sequin is counted," Dona Rosa Maria Teixeira says.',
        '"I count them twice," she adds.',
    )
    assert speakers(result) == ["Rosa Maria Teixeira", "Rosa Maria Teixeira"]


def test_in_the_words_of_an_unnamed_source() -> None:
    result = tag(
        '"The clinic is the town," Dr Alan Brisk told this paper in 2001.',
        "He wrote to the ministry every month, and his letters were, in the words of one former "
        'nurse, "short, frequent and impossible to ignore".',
    )
    assert speakers(result) == ["Alan Brisk", ""]


def test_the_dad_of_two_is_the_man_in_focus() -> None:
    result = tag(
        "Delivery driver Owen Pryce scored the winner in the last minute for Caerllan Athletic.",
        '"I had a parcel round at six this morning," grinned the father of three.',
    )
    assert speakers(result) == ["Owen Pryce"]


def test_whose_office_said_names_no_speaker() -> None:
    result = tag(
        "The visiting minister later met President Ilse Varga, whose office said the two had "
        'discussed "practical steps on energy".',
    )
    assert speakers(result) == [""]


def test_a_name_after_where_a_later_paragraph_happens() -> None:
    result = tag(
        "Snow closed every school in the district on Tuesday.",
        "In Niverville, Marit Oosterhuis spent the morning digging out her car for the second time. "
        '"You would think I would be used to it by now," she said.',
    )
    assert speakers(result) == ["Marit Oosterhuis"]


def test_a_record_published_by_an_office_names_no_speaker_in_place_of_the_subject() -> None:
    result = tag(
        "Prime Minister Ulf Kristersson told party members that the budget was "
        '"tight but fair", according to a transcript released by his office.',
        day="2024-09-10",
    )
    assert speakers(result) == ["Ulf Kristersson"]


def test_who_said_after_a_name_and_its_appositive_is_the_names() -> None:
    result = tag(
        "The review was chaired by Orla Grennan, a former county surveyor, who said the rules "
        'had been "far too loose for far too long".',
    )
    assert speakers(result) == ["Orla Grennan"]


def test_a_name_in_a_participles_phrase_set_off_before_the_verb_is_not_its_subject() -> None:
    result = tag(
        "Viktor Orbán arrived in Warsaw on Monday for talks on energy.",
        'Poland\'s prime minister, receiving Orbán later in the day, called for "a common line on Ukraine".',
        day="2024-03-04",
    )
    assert speakers(result) == ["Donald Tusk"]


def test_an_obituarys_subject_named_in_the_paragraph_is_its_pronoun_after_another_spoke() -> None:
    result = tag(
        "Tomasz Wierzbicki, who built the first rope works in the valley, has died at 88.",
        '"He never once raised his voice," said Pawel Nowicki, who ran the works after him.',
        "In the 1980s Wierzbicki sailed to Canada to sell his ropes, a trip he later called, in a "
        'letter to the paper, "the making of us".',
    )
    assert speakers(result) == ["Pawel Nowicki", "Tomasz Wierzbicki"]


def test_an_obituarys_subject_is_the_lead_name_a_pronoun_follows() -> None:
    result = tag(
        "No harvest festival in Lamego began until Guiomar Teixeira rang the bell of her "
        "chapel. She died on Friday, aged 91.",
        '"The bell was for the living," she told a radio interviewer in 2012.',
        'Her nephew, Rui Mendes, said she "never missed a harvest".',
        'In 2015 she handed the rope to a neighbour. "My arms are tired," she said then.',
    )
    assert speakers(result) == ["Guiomar Teixeira", "Rui Mendes", "Guiomar Teixeira"]


def test_a_doers_noun_before_a_first_name_is_no_part_of_the_name() -> None:
    result = tag(
        'Fiddler Karin Solberg, who has worked at the yard since 2001, said it had "never been busier".',
        '"We turn work away every week," Solberg said.',
    )
    assert speakers(result) == ["Karin Solberg", "Karin Solberg"]


def test_kin_followed_by_a_name_with_an_accented_capital_is_named() -> None:
    result = tag(
        "Pádraig Mulcahy, the piper, has died at 90.",
        "His daughter Éadaoin Mulcahy, herself a harper, said he never tuned up in front of "
        'anyone. "He said the audience should only hear the finished thing," she said.',
    )
    assert speakers(result) == ["Éadaoin Mulcahy"]


def test_kin_of_someone_named_by_a_common_noun_is_someone_unnamed() -> None:
    result = tag(
        "Solicitor Gráinne Doyle told the inquest that the family had questions about the night shift.",
        '"They want answers, nothing more," Doyle said outside the coroner\'s court.',
        "The patient's sister said the family would read the report closely. "
        '"She should have been checked every hour," she said.',
    )
    assert speakers(result) == ["Gráinne Doyle", ""]


def test_a_participle_of_being_reached_opens_a_clause_before_the_subject() -> None:
    result = tag(
        "Councillor Maeve Tierney said the bridge would reopen by Easter.",
        '"Every week it stays shut costs the town," Tierney said.',
        "Reached at her home, the ferryman's widow said the crossing had been busy all winter. "
        '"People forget the river until the bridge goes," she said.',
    )
    assert speakers(result) == ["Maeve Tierney", ""]


def test_an_organisation_before_the_cue_speaks_not_a_pronoun_after_it() -> None:
    result = tag(
        'Halfback Tomasi Vunipola limped off before the break. "It felt tight straight away," Vunipola said.',
        'He will see a specialist on Tuesday, with the club saying he was "sore but in good '
        'spirits". The council later said the pitch had been "passed fit by our inspectors".',
    )
    assert speakers(result) == ["Tomasi Vunipola", "", ""]


def test_a_line_from_someones_letter_before_a_colon_is_theirs() -> None:
    result = tag(
        "Hedda Lindqvist, who ran the ferry office in Vaxholm for forty years, has died at 93.",
        "She fought every timetable cut. A passage from her 1994 letter to the county is still "
        'pinned up in the waiting room: "An island without a boat is a prison with a view."',
    )
    assert speakers(result) == ["Hedda Lindqvist"]


def test_a_party_member_named_by_the_party_is_the_one_in_focus() -> None:
    result = tag(
        "Mark Rutte, the caretaker prime minister, said the budget would hold.",
        "Frans Timmermans answered within the hour. Speaking in Utrecht, the Social Democrat said "
        'Rutte was handing out "sweets for the rich and bills for the rest".',
        day="2023-09-20",
    )
    assert speakers(result) == ["Frans Timmermans"]
    assert reported(result)[-1] == ("Frans Timmermans", "Rutte was")


def test_a_verb_after_but_shares_the_subject_of_the_cue_before_it() -> None:
    result = tag(
        '"We are not there yet," Rafael Grossi told reporters in Vienna.',
        'Grossi said he had heard "encouraging words" from Abbas Araghchi on the phone, but '
        'added: "Words are not access."',
        day="2025-01-29",
    )
    assert speakers(result) == ["Rafael Grossi", "Rafael Grossi", "Rafael Grossi"]


def test_told_reporters_that_with_a_partial_quote_is_reported_speech() -> None:
    result = tag(
        "Ursula von der Leyen told reporters after the summit that leaders had made "
        '"solid progress" and that a deal would come by June.',
        day="2024-03-22",
    )
    assert speakers(result) == ["Ursula von der Leyen"]
    assert reported(result) == [("Ursula von der Leyen", "leaders had")]


def test_a_title_after_a_or_one_work_noun_is_no_quotation() -> None:
    result = tag(
        "Aoife Kinsella, the harpist, has died at 88.",
        'She made only one record, an album, "Tunes from the Half Door," in 1981. "Play it '
        'slowly or not at all," she told her pupils.',
    )
    assert [q.text for q in result.quotes] == ["Play it slowly or not at all,"]
    assert speakers(result) == ["Aoife Kinsella"]


def test_what_someone_is_called_is_no_quotation() -> None:
    result = tag(
        '"I just kept running," said winger Jono Pereira, 36.',
        'His team-mates call him "Uncle" and the crowd sang it as he left the field.',
    )
    assert [q.text for q in result.quotes] == ["I just kept running,"]


def test_a_role_word_that_begins_an_organisations_name_is_no_role() -> None:
    result = tag(
        '"Clubs are part of who we are," Keir Starmer said on a visit to a community pitch.',
        "The Premier League, which has fought parts of the bill, said it was still "
        '"worried about the knock-on effects" for smaller clubs.',
        day="2024-10-17",
    )
    assert speakers(result) == ["Keir Starmer", ""]


def test_told_reporters_with_a_clause_and_no_colon_is_reported_speech() -> None:
    result = tag(
        'Retno Marsudi told reporters there had been "no breakthrough" on Myanmar but that '
        "talks would go on.",
        day="2023-09-06",
    )
    assert speakers(result) == ["Retno Marsudi"]
    assert [speaker for speaker, _words in reported(result)] == ["Retno Marsudi"]


def test_a_barristers_letters_after_the_name_are_no_part_of_it() -> None:
    result = tag(
        "Colm Dineen, 47, of Bridge Street, pleaded guilty to both charges.",
        'Defending, Orla Brophy BL said her client was "deeply ashamed" of what had happened.',
    )
    assert speakers(result) == ["Orla Brophy"]


def test_a_role_of_an_organisation_after_the_quotation_is_its_holder() -> None:
    result = tag(
        'Conservative leader Friedrich Merz promised voters "a fresh start" on Monday.',
        '"We have lost three years," the leader of the Christian Democratic Union told a rally in Kassel.',
        day="2025-02-10",
    )
    assert speakers(result) == ["Friedrich Merz", "Friedrich Merz"]


def test_what_a_country_calls_its_own_thing_is_no_quotation() -> None:
    result = tag(
        "In Moscow, the Kremlin spokesman said the talks would not change the course of what "
        'Russia calls its "special military operation".',
        day="2024-11-22",
    )
    assert result.quotes == []


def test_a_pronoun_in_a_later_clause_is_the_person_the_sentence_opened_on() -> None:
    result = tag(
        'Writing on social media, Hakan Demirel said the audit had found "serious gaps".',
        '"Nobody is above the law," Demirel wrote.',
        "Mayor Selim Aksoy did not answer the charge directly, but at a rally in Izmir he said "
        'the ministry was "playing politics with rubble".',
    )
    assert speakers(result) == ["Hakan Demirel", "Hakan Demirel", "Selim Aksoy"]


def test_one_grandfather_is_someone_unnamed() -> None:
    result = tag(
        'Councillor Piotr Zawada said nothing had been decided. "We will listen," he told parents.',
        "As the hall emptied, one grandfather, leaning on a stick, had the last word. "
        '"Three generations of us learned to read here," he said.',
    )
    assert speakers(result) == ["Piotr Zawada", ""]


def test_reported_speech_ending_in_a_partial_quote_before_the_cue() -> None:
    result = tag(
        "MOSCOW, March 20 (Coastline) - Moscow sees no reason to fix a date for another round of talks until "
        '"the paperwork is done," the Kremlin spokesman said on Thursday.',
        day="2025-03-20",
    )
    assert speakers(result) == ["Dmitry Peskov"]
    assert reported(result, 3) == [("Dmitry Peskov", "Moscow sees no")]


def test_a_particle_that_opens_a_sentence_with_a_capital_names_the_person() -> None:
    result = tag(
        "Prime Minister Mohammed Shia al-Sudani ordered an inquiry into the blackouts.",
        'An engineer, who asked not to be named, said lines had failed. "The grid is old," he said.',
        'Al-Sudani also told governors to shorten working hours. "Hospitals come first," he said.',
        day="2023-07-25",
    )
    assert speakers(result) == ["", "Mohammed Shia al-Sudani"]


def test_a_quotation_over_two_paragraphs_is_the_speaker_the_second_names() -> None:
    result = tag(
        'Mayor Tomas Reiner said the dam was safe. "The inspection was passed," Reiner said.',
        "Downstream in Holtby, families keep bags packed by the door. "
        '"We check the river gauge the way other people check the weather. The children know the '
        "siren.",
        '"Nobody should have to explain that to a six-year-old," said Anneke Vos, a teacher.',
    )
    assert speakers(result) == ["Tomas Reiner", "Anneke Vos", "Anneke Vos"]


def test_what_follows_the_verb_is_reported_not_a_description_before_the_name() -> None:
    result = tag(
        'One of the council\'s best-known "doves", Dutch central bank president Klaas Knot, told '
        "the paper in an interview after the meeting that he had backed the cut.",
        day="2024-09-12",
    )
    assert reported(result) == [("Klaas Knot", "he had")]


def test_the_role_after_one_unnamed_source_is_that_source() -> None:
    result = tag(
        "Kaja Kallas, the EU's foreign policy chief, said the talks had been hard. "
        '"We kept the door open," she said.',
        'One senior diplomat, who was not authorised to speak publicly, called the session "long but civil."',
        '"Nobody walked out, which counts as progress here," the diplomat added.',
        day="2025-03-21",
    )
    assert speakers(result) == ["Kaja Kallas", "", ""]


def test_a_later_clause_with_its_own_subject_does_not_take_a_chant() -> None:
    result = tag(
        "Rovers manager Aled Pryce praised the crowd after the final whistle.",
        'The away end chanted "We are staying up" for an hour, and club president Mari Lloyd '
        "has promised to pay for the coaches next season.",
        '"They deserve it more than anyone," Lloyd said.',
    )
    assert speakers(result) == ["", "Mari Lloyd"]


def test_a_possessor_after_a_time_phrase_is_whom_the_next_pronoun_means() -> None:
    result = tag(
        "Teodora Vlaicu, 61, keeps bees on the hill above Sibiu.",
        "Dr Irina Matei, an entomologist, said Vlaicu kept better records than most labs. "
        '"Her notebooks go back twenty years," Matei said.',
        "Last year Vlaicu’s honey won a prize at a fair in Vienna. She has not been back since.",
        '"One trip was enough for me," she says.',
    )
    assert speakers(result) == ["Irina Matei", "Teodora Vlaicu"]


def test_a_profile_subject_after_a_time_of_day_is_introduced() -> None:
    result = tag(
        "At dawn Lenuța Bârsan is already checking her hives on the slope above Sibiu.",
        "Dr Ioana Pătru, an entomologist, said Bârsan kept better records than most labs. "
        '"Her notebooks go back twenty years," Pătru said.',
        "Last year Bârsan’s honey won a prize at a fair in Vienna. She has not been back since.",
        '"One trip was enough for me," she says.',
    )
    assert speakers(result) == ["Ioana Pătru", "Lenuța Bârsan"]


def test_a_run_set_off_as_a_firm_is_no_person() -> None:
    result = tag(
        "Brenner Feinmechanik, a family-owned maker of lathes based in Esslingen, will cut 90 jobs.",
        "Chief executive Ulrike Haas said orders had fallen for two years.",
        'Brenner plans to move work to its Czech plant. "We waited as long as we could," she said.',
    )
    assert speakers(result) == ["Ulrike Haas"]
    assert "Brenner Feinmechanik" not in [entity.name for entity in result.entities]


def test_a_person_with_a_first_name_set_off_as_a_supplier_is_a_person() -> None:
    result = tag(
        "Pieter van Loon, a timber supplier based in Zwolle, told the hearing that prices had doubled.",
        '"Nobody can plan like this," van Loon said.',
    )
    assert speakers(result) == ["Pieter van Loon"]


def test_the_head_teacher_is_a_teacher_not_another_head() -> None:
    result = tag(
        "Morven Gillies, 52, has been head teacher at the island's primary school since 2019.",
        'The head teacher is blunt about the roll. "Six pupils is a school," she says.',
        "Kirsty Munro, who runs the island's shop, said families had stayed because of it.",
        '"Without it we would all have gone," she said.',
    )
    assert speakers(result) == ["Morven Gillies", "Kirsty Munro"]


def test_submitted_that_reports_speech_and_submitted_invoices_does_not() -> None:
    result = tag(
        "Appearing for the state, senior counsel Meera Joshi submitted that the contractor had "
        "been paid twice for the same culverts.",
        "The court heard the contractor, Dinesh Rao, submitted invoices for work never done.",
    )
    assert reported(result, 4) == [("Meera Joshi", "the contractor had been")]


def test_a_later_even_as_clause_does_not_take_the_partial_quote_of_the_cue_before() -> None:
    result = tag(
        'Turkey\'s foreign minister said on Monday that Ankara was in "no rush" to sign the deal, '
        "even as the head of NATO warned that time was running out.",
        day="2024-06-03",
    )
    assert speakers(result) == ["Hakan Fidan"]


def test_a_known_name_with_an_initial_and_no_full_stop() -> None:
    result = tag(
        'External Affairs Minister S Jaishankar met the delegation. "We are in no hurry," he said.',
        day="2024-02-08",
    )
    assert speakers(result) == ["Subrahmanyam Jaishankar"]


def test_a_union_named_for_its_members_is_no_person() -> None:
    result = tag(
        "The United Dock Workers said on Monday the strike would go ahead.",
        "Federated Growers said in a statement that the delay would cost exporters dearly.",
    )
    assert [entity.name for entity in result.entities if entity.id.startswith("person:")] == []
    assert [speaker for speaker, _words in reported(result)] == []


def test_the_judge_is_the_justice_the_article_named() -> None:
    result = tag(
        "Justice Anjali Menon of the High Court on Friday ordered the city to clear its storm drains.",
        "The petition followed the drowning of Rohit Nair, 19, in a flooded underpass.",
        '"Every monsoon the same promises are made," the judge said in her order.',
    )
    assert speakers(result) == ["Anjali Menon"]
