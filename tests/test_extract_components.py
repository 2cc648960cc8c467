"""Unit tests of the mrtext_* rule components on Swedish strings, including the negative cases."""

from __future__ import annotations

import pytest
import spacy

from mrtext.extract.components.dates import find_dates
from mrtext.extract.components.dnr import find_diary_numbers
from mrtext.extract.components.programs import find_programs, resolve_across_documents
from mrtext.extract.components.sentences import sentence_bounds
from mrtext.extract.linear import train_linear


@pytest.mark.parametrize(
    ("text", "surface", "value"),
    [
        ("Svar på remiss, Dnr KS 2023/1159", "Dnr KS 2023/1159", "KS 2023/1159"),
        ("remitterats nämnden (dnr\nSF 2024/444).", "dnr\nSF 2024/444", "SF 2024/444"),
        ("Strategi för romsk inkludering (Dnr KS\n2018/000070)", "Dnr KS\n2018/000070", "KS 2018/000070"),
        ("programmet (Dnr\n171-116/2017)", "Dnr\n171-116/2017", "171-116/2017"),
        ("Stockholm 2018-2022 (Dnr 434-\n21/2017)", "Dnr 434-\n21/2017", "434-21/2017"),
        ("ersätter programmet (dnr KS 434-21/2017).", "dnr KS 434-21/2017", "KS 434-21/2017"),
        ("riktlinjer (KS 2018/000069) är lagstadgade", "KS 2018/000069", "KS 2018/000069"),
        ("Ärende 2006-152-307 avslutades", "2006-152-307", "2006-152-307"),
        ("Klassificering 1.5.1-135-2012 gäller", "1.5.1-135-2012", "1.5.1-135-2012"),
        ("Tingsrättens mål T 2010-313-01743", "T 2010-313-01743", "T 2010-313-01743"),
        ("Beslut S-Dp 2002-11922-54 fattades", "S-Dp 2002-11922-54", "S-DP 2002-11922-54"),
        ("enligt beslut KS/2019:123 och", "KS/2019:123", "KS/2019:123"),
        ("Diarienummer: 2019/123", "Diarienummer: 2019/123", "2019/123"),
        ("Ärendenummer BUN-2021-00417 gäller", "Ärendenummer BUN-2021-00417", "BUN-2021-00417"),
        ("Motion (dnr ks 2019/12)", "dnr ks 2019/12", "KS 2019/12"),
        ("Motion nr 19-2023 från N (M).\n  RS 867-2023\n", "RS 867-2023", "RS 867-2023"),
        ("Information 4. Dnr: 2016/433-KS Beslut", "Dnr: 2016/433-KS", "2016/433-KS"),
        ("2018-08-28 SN 18/0098 Socialnämnden", "SN 18/0098", "SN 18/0098"),
        ("Status aktiv\n\nDnr – 2022-000294 (133463)", "Dnr – 2022-000294", "2022-000294"),
        ("Ekonomiavdelningen Dnr KS/2021:34-0061\n", "Dnr KS/2021:34-0061", "KS/2021:34-0061"),
        ("justerare\n\nKs 238/2013\n\n§§ 294", "Ks 238/2013", "KS 238/2013"),
        ("Dnr 2016/0669 KS-1 Diariekod: 004", "Dnr 2016/0669 KS-1", "2016/0669 KS-1"),
    ],
)
def test_diary_numbers(text: str, surface: str, value: str) -> None:
    assert find_diary_numbers(text) == [(surface, value)]


@pytest.mark.parametrize(
    "text",
    [
        "Programmet gäller 2018-2022 och följs upp 2017.",
        "Verksamhetsåren 2015-2018",
        "Ring 08-508 290 00 eller 070-123 45 67.",
        "enligt SFS 2008:567 och SOU 2019:42",
        "Utlåtande 2017:19 RI och Motion 2016:5",
        "Svar på interpellation (2017:18) av Isabel",
        "prop. 2016/17:180 och bet. 2019/20:SoU5",
        "Sammanträdet hölls 2017-11-27 kl. 13.00-15.00.",
        "Agenda 2030 och ISO 9001:2015",
        "KS 2018-2022 (år 2019/2020)",
        "VA 2010-2020 och Nr 5/2013 samt sid 18/2013, avtal 1/2013, öppet 24/7, LSS 9-2020",
    ],
)
def test_not_diary_numbers(text: str) -> None:
    assert find_diary_numbers(text) == []


@pytest.mark.parametrize(
    ("text", "surface", "value"),
    [
        ("Arendet har behandlats den 18 september\n2024 och", "18 september\n2024", "2024-09-18"),
        ("Stockholm den 6 december 2017", "6 december 2017", "2017-12-06"),
        ("beslut 6 dec. 2017 om", "6 dec. 2017", "2017-12-06"),
        ("Datum 2017-11-27", "2017-11-27", "2017-11-27"),
        ("möte 27/11 2017 i", "27/11 2017", "2017-11-27"),
        ("justerat 27.11.2017.", "27.11.2017", "2017-11-27"),
        ("I februari 2018 lanserades", "februari 2018", "2018-02"),
        ("senast den 1:a mars 2019", "1:a mars 2019", "2019-03-01"),
    ],
)
def test_dates(text: str, surface: str, value: str) -> None:
    assert find_dates(text) == [(surface, value)]


@pytest.mark.parametrize(
    "text",
    [
        "budget 2018 och sedan 2015",
        "Program 2018-2022",
        "hösten 2015 och i april",
        "den 31 juni 2018",  # no such day
        "den 30 februari 2019",
        "tel. 08-508 290 00",
    ],
)
def test_not_dates(text: str) -> None:
    assert find_dates(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Kommunen antog Program för ett jämställt Stockholm 2018-2022 (Dnr 434-21/2017).",
            [("Program för ett jämställt Stockholm 2018-2022", "Program för ett jämställt Stockholm 2018-2022")],
        ),
        (
            "Det har funnits en HBQT-policy. En HBTQ-policy ska antas och HBTQ-policyn ska vara enkel.",
            [("HBQT-policy", "HBTQ-policy"), ("HBTQ-policy", "HBTQ-policy"), ("HBTQ-policyn", "HBTQ-policy")],
        ),
        (
            "Kommunstyrelsen har remitterat Stockholms\nstads program för de mänskliga rättigheterna (MR-\nprogrammet), för"
            " besvarande. MR-programmet ersätter andra.",
            [
                (
                    "Stockholms\nstads program för de mänskliga rättigheterna",
                    "Stockholms stads program för de mänskliga rättigheterna",
                ),
                ("MR-\nprogrammet", "Stockholms stads program för de mänskliga rättigheterna"),
                ("MR-programmet", "Stockholms stads program för de mänskliga rättigheterna"),
            ],
        ),
        (
            "Nämnden följer Resepolicy för Malmö stads medarbetare i alla förvaltningar som gäller.",
            [
                (
                    "Resepolicy för Malmö stads medarbetare i alla förvaltningar",
                    "Resepolicy för Malmö stads medarbetare i alla förvaltningar",
                )
            ],
        ),
        (
            "Motionären vill att landstinget tar fram en likabehandlingspolicy.",
            [("likabehandlingspolicy", "Likabehandlingspolicy")],
        ),
        (
            "stadens nya program mot våld i nära relationer och hedersrelaterat våld och förtryck har ett tydligt fokus.",
            [
                (
                    "program mot våld i nära relationer och hedersrelaterat våld och förtryck",
                    "Program mot våld i nära relationer och hedersrelaterat våld och förtryck",
                )
            ],
        ),
        (  # topic compounds are names alone; a list item's name ends with its line
            "- Klimatprogram\nPdf, 1.5 MB.\n- Program för VA\nPdf, 2 MB.\n- Internationell strategi\nPdf",
            [
                ("Klimatprogram", "Klimatprogram"),
                ("Program för VA", "Program för VA"),
                ("Internationell strategi", "Internationell strategi"),
            ],
        ),
        (  # a title page across a blank line; the bare compound is that name
            "Skärgårdsprogram\n\nför Östergötland och Kalmar län\n\nSkärgårdsprogrammet är ett samarbete.",
            [
                (
                    "Skärgårdsprogram\n\nför Östergötland och Kalmar län",
                    "Skärgårdsprogram för Östergötland och Kalmar län",
                ),
                ("Skärgårdsprogrammet", "Skärgårdsprogram för Östergötland och Kalmar län"),
            ],
        ),
        (  # a title line without a complement, and the name alone later
            "Strategi Hållbara Mora\n\nHållbara Mora är en strategi som kommunen har tagit fram.",
            [("Strategi Hållbara Mora", "Strategi Hållbara Mora"), ("Hållbara Mora", "Strategi Hållbara Mora")],
        ),
        (  # a cover title whose type noun follows the name; the name again, split by a stray space
            "1 På spaning efter jämställdheten Handlingsplan Kortversion\n\n2 Styrdokumentet På spaning efter"
            " jämställd heten hjälper oss.",
            [
                ("På spaning efter jämställdheten", "På spaning efter jämställdheten"),
                ("På spaning efter jämställd heten", "På spaning efter jämställdheten"),
            ],
        ),
        (  # an owner and a bare type noun is the document's one named plan; a participle names a variant
            "Handlingsplan för arbetet med deklarationen\n\nVästra Götalandsregionens handlingsplan gäller, liksom"
            " kompletterande årsplan 2018.",
            [
                ("Handlingsplan för arbetet med deklarationen", "Handlingsplan för arbetet med deklarationen"),
                ("Västra Götalandsregionens handlingsplan", "Handlingsplan för arbetet med deklarationen"),
                ("kompletterande årsplan 2018", "Kompletterande årsplan 2018"),
            ],
        ),
        (  # a short name closing the full one (", RUFS 2050") is the name alone later
            "yttrande över regionala utvecklingsplan för Stockholmsregionen, RUFS 2050. Kommunen anser att RUFS 2050 är bra.",
            [
                (
                    "regionala utvecklingsplan för Stockholmsregionen, RUFS 2050",
                    "Regional utvecklingsplan för Stockholmsregionen, RUFS 2050",
                ),
                ("RUFS 2050", "Regional utvecklingsplan för Stockholmsregionen, RUFS 2050"),
            ],
        ),
        (  # descriptions, budgets and kind-of-document compounds are no names
            "en plan för kompetensförsörjningen, investeringsprogram 2018 och plan för 2019-2022, ett åtgärdsprogram"
            " och den strategiska planen",
            [],
        ),
    ],
)
def test_programs(text: str, expected: list[tuple[str, str]]) -> None:
    assert find_programs(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Stockholms stad har tidigare haft flera olika program för att stärka rättigheterna.",
        "Elever läser utbildningsprogrammet Mentors in Violence Prevention.",
        "Programmet och handlingsplanen följs upp av policyn.",  # bare heads are coreference, not names
    ],
)
def test_not_programs(text: str) -> None:
    assert find_programs(text) == []


def test_programs_resolve_across_documents() -> None:
    maps = resolve_across_documents(
        [["Strategi för romsk inkludering"], ["Strategi för romsk inkludering 2018-2022", "Program för X 2019"]]
    )
    assert maps == [{"Strategi för romsk inkludering": "Strategi för romsk inkludering 2018-2022"}, {}]


def test_sentences_on_hard_wrapped_scan(corpus) -> None:
    text = corpus.by_id("002").text
    sents = [" ".join(text[s:e].split()) for s, e in sentence_bounds(text)]
    assert "Sammanfattning" in sents
    # a sentence wrapped over three lines stays one sentence
    assert any(
        s.startswith("Programmets syfte dr att ge vdgledning") and s.endswith("diskriminering och rasism.")
        for s in sents
    )
    # abbreviations do not end sentences
    assert not any(s.endswith("bl.a.") for s in sents)


@pytest.mark.parametrize(
    ("text", "is_goal"),
    [
        ("Programmets mål är att Stockholms stad ska vara en öppen och jämlik stad.", True),
        ("Handlingsplanen syftar till att stärka arbetet med jämställdhet i alla nämnder.", True),
        ("Vår målsättning är att policyn ska vara övergripande och enkel att ta till sig.", True),
        ("Det övergripande målet med handlingsplanen är: Staden säkerställer att alla har lika rättigheter.", True),
        ("Arbetet med att uppnå målet med programmet är nära kopplat till stadens demokratiarbete.", False),
        ("Ombudsmännen arbetar för att nå målsättningen om en stad för alla.", False),
        ("Nämnden beslutar att lägga rapporten till handlingarna.", False),
        ("Hur har målen följts upp under året?", False),
        ("Inrätta en beredning för demokrati, med syftet att kommunen ska bli en MR-kommun.", True),
        ("Mål 2. I kommunen har vi en trygg och tillgänglig infrastruktur i stad och på landsbygd", True),
        ("Vår målbild är att kommunen år 2030 ska erbjuda en aktiv och välkomnande livsmiljö.", True),
    ],
)
def test_goal_rules(text: str, is_goal: bool) -> None:
    nlp = spacy.blank("sv")
    nlp.add_pipe("mrtext_sentences")
    nlp.add_pipe("mrtext_goals")
    doc = nlp("Bakgrund\n\n" + text)
    assert [s.text for s in doc.spans["mrtext_goals"]] == ([text] if is_goal else [])


@pytest.mark.parametrize(
    ("text", "goal"),
    [
        # a heading supplies the cue: the span starts at the heading, also across a blank line
        ("Huvudsyfte\n\nAtt kommunen har jämställda verksamheter för alla invånare.\n\nMer", "Huvudsyfte\n\nAtt"),
        # a sentence with its own cue below a heading is the span on its own
        ("Syfte\n\nPlanens syfte är att stärka barns rättigheter i kommunen.\n\nMer", "Planens syfte är"),
        # flattened text: a heading runs into the sentence; "Det" starts the goal sentence
        ("Arbetet pågår. ål för jämställdheten Det politiska målet är att alla ska ha samma makt.", "Det politiska"),
        # a sentence broken by a blank line after a preposition (mirrors) stays one sentence
        ("Bakgrund\n\nSyftet med\n\nrevideringen är att förenkla för företagen.\n\nMer", "Syftet med\n\nrevideringen"),
        # a goal label printed after its sentence (flattened poster)
        ("3 Ett län där alla har samma makt över sina egna liv. Vision För länet\n\nMer", "Ett län där"),
    ],
)
def test_goal_spans_with_headings(text: str, goal: str) -> None:
    nlp = spacy.blank("sv")
    nlp.add_pipe("mrtext_sentences")
    nlp.add_pipe("mrtext_goals")
    doc = nlp(text)
    [span] = doc.spans["mrtext_goals"]
    assert span.text.startswith(goal) and span.text.endswith(".")


def test_goals_announced_as_a_list_are_the_items() -> None:
    nlp = spacy.blank("sv")
    nlp.add_pipe("mrtext_sentences")
    nlp.add_pipe("mrtext_goals")
    text = "Planen lyfter fram fyra mål.\n\nDe fyra strategiska målen för 2023-2026 är:\n\n  • Barn och elever ska klara sin utbildning\n  • Kommunen är en innovativ och effektiv organisation\n\nBakgrund"
    doc = nlp(text)
    assert [s.text for s in doc.spans["mrtext_goals"]] == [
        "Barn och elever ska klara sin utbildning",
        "Kommunen är en innovativ och effektiv organisation",
    ]


def test_linear_classifier_learns_and_round_trips() -> None:
    from mrtext.extract.linear import LinearTextModel

    texts = ["Målet är att alla ska ha lika rättigheter."] * 3 + ["Protokollet justeras den 3 maj."] * 3
    model = train_linear(texts, ["1"] * 3 + ["0"] * 3)
    again = LinearTextModel.from_dict(model.to_dict())
    p = again.scores("Målet är att kommunen ska vara tillgänglig.")["1"]
    q = again.scores("Protokollet justerades i går.")["1"]
    assert p > 0.5 > q


@pytest.mark.parametrize(
    ("text", "doc_type", "title", "date", "dnr"),
    [
        (
            "## **Svar på interpellation om stadens hbtq-program**\n\nJag svarar så här.\n\nStockholm den 6 december 2017",
            "svar_pa_interpellation",
            "Svar på interpellation om stadens hbtq-program",
            "2017-12-06",
            None,
        ),
        (
            " Svar på remiss från kommunstyrelsen, Dnr KS 2023/1159\n\nNämnden har den 18 september 2024 behandlat ärendet.",
            "remissvar",
            "Svar på remiss från kommunstyrelsen",
            None,  # a meeting date in the body is not the document's date
            "KS 2023/1159",
        ),
        (
            "Motion om en likabehandlingspolicy\n\nDatum: 2013-11-15\n\nJag föreslår att fullmäktige beslutar.",
            "motion",
            "Motion om en likabehandlingspolicy",
            "2013-11-15",
            None,
        ),
        (
            "1(1)\nSAMMANTRÄDESPROTOKOLL\nSammanträdesdag 2020-02-18\n§ 3 Rapport\nDnr Kdn 2019/159\nBeslut",
            "protokoll",
            "SAMMANTRÄDESPROTOKOLL",
            "2020-02-18",
            "KDN 2019/159",
        ),
        (  # a letter: type label, names and addresses above; the subject is the line before the first section
            "(1)\n\nTjänsteutlåtande\n\nKommunledningskontoret\n\n2016-11-15\n\nAnna Andersson Sidan 1 av 2\n\n"
            "Dnr 2016/0669 KS-1\n\nKommunstyrelsen\n\nReviderad näringslivsstrategi för kommunen\n\n"
            "Förslag till beslut\n\nKommunstyrelsen föreslår fullmäktige att anta strategin.",
            "tjansteutlatande",
            "Reviderad näringslivsstrategi för kommunen",
            "2016-11-15",
            "2016/0669 KS-1",
        ),
        (  # a meeting notice has no date of its own; its meeting day is not one
            "Kallelse till kommunfullmäktige\n\nKommunfullmäktige sammanträder onsdagen den 11 april 2018 kl. 17.30.",
            "other",
            "Kallelse till kommunfullmäktige",
            None,
            None,
        ),
        (  # a title broken by a blank line and at a line-end hyphen
            "Riktlinjer för sociala\n\ninvesteringar\n\nSammanträdes- protokollet visar.",
            "program",
            "Riktlinjer för sociala investeringar",
            None,
            None,
        ),
        (  # a decision summary dated in its heading
            "Beslut i korthet - regionstyrelsen 30 mars 2022\n\nRegionstyrelsen beslutade om en ny policy.",
            "protokoll",
            "Beslut i korthet - regionstyrelsen 30 mars 2022",
            "2022-03-30",
            None,
        ),
    ],
)
def test_document_metadata(text: str, doc_type: str, title: str, date: str | None, dnr: str | None) -> None:
    nlp = spacy.blank("sv")
    for name in ("mrtext_dnr", "mrtext_dates", "mrtext_doctype"):
        nlp.add_pipe(name)
    doc = nlp(text)
    assert (doc._.mrtext_doc_type, doc._.mrtext_title, doc._.mrtext_date, doc._.mrtext_diary_number) == (
        doc_type,
        title,
        date,
        dnr,
    )
