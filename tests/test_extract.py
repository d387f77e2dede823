"""The rule extractor on sentences we wrote: lemma triggers, interactions, reversals, group states."""

from __future__ import annotations

import datetime as dt

import pytest

from kg.extract import extract
from kg.extract.doc import Doc, lemma, load_lexicon
from kg.model import Article, Extraction

DAY = dt.datetime(2025, 3, 14, tzinfo=dt.timezone.utc)


def run(text: str, language: str = "en") -> Extraction:
    return extract(Article(key="t", text=text, source="test", language=language, published=DAY), "rules")


def types(x: Extraction) -> list[str]:
    return [e.type for e in x.events]


@pytest.mark.parametrize(("word", "language", "want"), [
    ("ditangkap", "id", "tangkap"), ("tuntutannya", "id", "tuntut"), ("mengecam", "id", "kecam"),
    ("withdrew", "en", "withdraw"), ("criticised", "en", "criticise"), ("sanctions", "en", "sanction"),
])
def test_lemmas_strip_affixes_and_inflection(word: str, language: str, want: str) -> None:
    assert lemma(word, language) == want


def test_unsupported_language_keeps_words() -> None:
    assert lemma("ditangkap", "xx") == "ditangkap"
    assert Doc("Polisi menangkapnya.", "id").lemmas == ["polisi", "tangkap"]


def test_one_lemma_entry_covers_every_inflected_form() -> None:
    lex = load_lexicon("id")
    assert lex is not None
    for text in ("Buruh menuntut kenaikan upah.", "Tuntutan buruh ditolak.", "Mereka dituntut mundur."):
        found = {v for _, _, v, _ in lex.trigger_lemmas.find(Doc(text, "id"))}
        assert "demand" in found, text


def test_surface_phrase_wins_over_the_lemma_of_one_of_its_words() -> None:
    # "menarik pasukan" is listed as a withdrawal; "tarik" alone would say nothing more specific
    x = run("Rusia mulai menarik pasukan dari Kherson pada Senin.", "id")
    assert "withdrawal" in types(x)


@pytest.mark.parametrize(("text", "want"), [
    ("Kenya demanded that Somalia release the detained aid workers.", "demand"),
    ("Iran rejected the proposal on Tuesday.", "rejection"),
    ("France condemned the attack on the embassy.", "disapproval"),
    ("Ghana pledged to send engineers to the mission.", "intent-to-cooperate"),
    ("The United Nations launched an investigation into the killings.", "investigation"),
    ("Canada expelled two Russian diplomats on Friday.", "reduce-relations"),
])
def test_english_interactions(text: str, want: str) -> None:
    x = run(text)
    assert types(x)[:1] == [want]


@pytest.mark.parametrize(("text", "want"), [
    ("Pemerintah Thailand mengecam serangan itu.", "disapproval"),
    ("Kamboja menolak usulan gencatan senjata tersebut.", "rejection"),
    ("Mahasiswa mendesak pemerintah membatalkan undang-undang itu.", "demand"),
])
def test_indonesian_interactions(text: str, want: str) -> None:
    assert want in types(run(text, "id"))


def test_lifting_a_measure_is_its_reversal() -> None:
    assert types(run("Serbia lifted the night curfew in the province on Sunday.")) == ["concession"]
    assert types(run("The army imposed a curfew in the province on Sunday.")) == ["restriction-of-freedoms"]


def test_negated_interaction_makes_no_event() -> None:
    assert "intent-to-cooperate" not in types(run("Mali did not agree to the plan."))


def test_group_after_a_demonym_belongs_to_that_state() -> None:
    x = run("Rwandan rebels attacked a border post on Monday.")
    rebels = next(e for e in x.entities.values() if e.kind == "group")
    assert rebels.country == "RW"
    assert rebels.affiliation == "country:RW"


def test_group_named_with_two_states_gets_neither() -> None:
    x = run("Rwandan rebels attacked a border post. Ugandan rebels denied any role.")
    rebels = next(e for e in x.entities.values() if e.kind == "group" and "rebels" in e.name.lower())
    assert rebels.country is None


def test_demonym_title_gives_an_unlisted_person_a_state() -> None:
    x = run("Gambian President Dawda Jawara will visit Dakar next week.")
    person = next(e for e in x.entities.values() if e.kind == "person")
    assert person.affiliation == "country:GM"


def test_every_type_the_lexicons_emit_is_documented_and_in_the_scheme() -> None:
    import json
    import re
    from pathlib import Path

    import rdflib
    from rdflib.namespace import SKOS

    from kg.config import resource_dir
    from kg.draw.style import EVENT_FAMILIES
    from kg.extract.triggers import REVERSED

    emitted = set(REVERSED.values())
    for language in ("en", "id"):
        lex = json.loads((Path(__file__).resolve().parents[1] / "kg/extract/lexicons" / f"{language}.json")
                         .read_text(encoding="utf-8"))
        emitted |= set(lex["triggers"]) | set(lex["trigger_lemmas"])
        emitted |= {t for narrower in lex.get("refine_after", {}).values() for t in narrower}
    doc = (Path(__file__).resolve().parents[1] / "docs" / "graph-model.md").read_text(encoding="utf-8")
    block = doc.split("## Event types the extractor emits", 1)[1].split("\n\n", 1)[0].split("\n", 1)[1]
    documented = {s.strip() for s in re.sub(r"\([^)]*\)", "", block).replace("\n", " ").split(",") if s.strip()}
    assert emitted <= documented, sorted(emitted - documented)
    g = rdflib.Graph().parse(resource_dir("ontology") / "event-types.ttl")
    slugs = {str(s).rsplit("/", 1)[-1] for s in g.subjects(SKOS.inScheme, None)}
    assert documented <= slugs, sorted(documented - slugs)
    coloured = {t for _, _, members in EVENT_FAMILIES.values() for t in members}
    assert emitted - {"displacement"} <= coloured, sorted(emitted - coloured)


def roles(x: Extraction, typ: str) -> set[tuple[str, str]]:
    return {(r.role, r.entity) for e in x.events if e.type == typ for r in e.roles}


@pytest.mark.parametrize(("text", "language", "typ", "want"), [
    ("A camp for refugees was attacked by militiamen armed with machetes.", "en", "armed-attack",
     {("agent", "group:militia"), ("target", "group:refugees")}),
    ("Seorang mahasiswa ditangkap polisi di Makassar.", "id", "arrest",
     {("agent", "forces:police"), ("target", "group:students")}),
    ("Tiga warga sipil diserang oleh kelompok bersenjata di Nduga.", "id", "armed-attack",
     {("agent", "group:militants"), ("target", "group:civilians")}),
    ("Police arrested four protesters in Nairobi.", "en", "arrest",
     {("agent", "forces:police"), ("target", "group:protesters")}),
])
def test_the_passive_and_the_agent_phrase_say_who_acts(text: str, language: str, typ: str,
                                                       want: set[tuple[str, str]]) -> None:
    assert roles(run(text, language), typ) == want


def test_a_subject_killed_by_a_weapon_is_not_its_user() -> None:
    x = run("Three civilians were killed by a bomb in Kabul.")
    assert ("agent", "group:civilians") not in roles(x, "explosion")
    assert ("target", "group:civilians") in roles(x, "explosion")


def test_by_after_an_active_verb_belongs_to_its_object() -> None:
    x = run("Berlin rejected recent calls by Belarusian officials for aid.")
    assert not any(role == "agent" and key == "country:BY" for role, key in roles(x, "rejection"))


def test_saying_another_must_act_is_a_demand_on_them() -> None:
    x = run("Russia said on Tuesday that Sudan must return a helicopter.")
    assert roles(x, "demand") == {("agent", "country:RU"), ("target", "country:SD")}
    assert any(e.type == "demand" for e in x.events) and x.claims[0].about_events
    assert not roles(run("Indonesia said Indonesia must defend its borders."), "demand")


def test_irregular_demonyms_name_their_state() -> None:
    x = run("Palestinian detainees were beaten, and French soldiers fired on a crowd.")
    assert x.entities["group:prisoners"].country == "PS"


def test_office_words_are_not_part_of_a_name_and_give_its_state() -> None:
    x = run("British Defence Secretary Tom King promised to continue aid to Mozambique.")
    person = next(e for e in x.entities.values() if e.kind == "person")
    assert person.name == "Tom King" and person.affiliation == "country:GB"
    y = run("Palestinian leader Yasser Arafat Wednesday rejected a US offer to host a summit.")
    assert any(e.name == "Yasser Arafat" for e in y.entities.values())
    assert not any(e.kind == "person" and e.name == "Palestinian" for e in y.entities.values())


def test_names_and_compounds_hold_no_events() -> None:
    assert "riot" not in types(run("Riot police dispersed the crowd in Monrovia on Monday."))
    assert "property-destruction" not in types(run("Harga bahan bakar naik tajam di Almaty.", "id"))


def test_a_force_with_its_own_state_keeps_it_in_a_story_set_elsewhere() -> None:
    x = run("Israeli helicopters shelled positions of the Palestinian security forces near Rafah.")
    assert x.entities["forces:security-forces"].country == "PS"


def test_an_act_announced_on_a_condition_is_a_threat() -> None:
    x = run("Nigeria announced that it will withdraw its peacekeepers from Chad unless a ceasefire is arranged.")
    threat = next(e for e in x.events if e.type == "threat")
    assert threat.status == "occurred" and ("agent", "country:NG") in roles(x, "threat")
    assert "withdrawal" not in types(x)


def test_failing_to_reach_a_deal_makes_no_agreement() -> None:
    assert "agreement" not in types(run("Israelis and Palestinians failed to reach agreement on Sunday."))


@pytest.mark.parametrize(("text", "language", "want"), [
    ("Serbia lodged an official protest with Albania on Friday.", "en", "disapproval"),
    ("Kementerian Luar Negeri melayangkan nota protes kepada Malaysia.", "id", "disapproval"),
    ("The vice-president declined to resign despite the pressure.", "en", "rejection"),
    ("The United States suspended a military aid program for Bosnia.", "en", "reduce-relations"),
])
def test_diplomatic_protests_refusals_and_cut_aid(text: str, language: str, want: str) -> None:
    assert want in types(run(text, language))


def test_a_weekday_is_no_person() -> None:
    x = run("Talks between the two sides resumed in Geneva Sunday, officials said.")
    assert not any(e.kind == "person" and e.name == "Sunday" for e in x.entities.values())


@pytest.mark.parametrize(("text", "language", "typ", "want"), [
    ("Heavy fighting broke out on Wednesday between the Congolese army and M23 rebels near Sake.", "en",
     "armed-clash", {"forces:military", "organization:m23"}),
    ("Thailand dan Kamboja sepakat melakukan gencatan senjata mulai Senin.", "id", "agreement",
     {"country:TH", "country:KH"}),
    ("The death toll from a Russian drone strike on Odesa rose to ten, rescue workers said.", "en",
     "air-strike", {"country:RU"}),
    ("The base was handed over, the first step in a withdrawal of 1,000 American soldiers.", "en",
     "withdrawal", {"country:US"}),
])
def test_sides_modifiers_objects_and_coordinated_subjects(text: str, language: str, typ: str,
                                                          want: set[str]) -> None:
    x = run(text, language)
    assert {key for role, key in roles(x, typ) if role in ("agent", "target")} >= want
    assert ("agent", "group:workers") not in roles(x, typ)


def test_who_reports_a_meeting_is_not_at_it() -> None:
    x = run("Spokeswoman Yolande Makolo said the meeting in Luanda between Rwanda and Congo failed.")
    assert not any(key == "person:yolande-makolo" for _, key in roles(x, "meeting"))


def test_the_states_visited_host_the_visit() -> None:
    x = run("Gambian President Dawda Jawara will visit Mauritania and Senegal to mediate in a border dispute.")
    assert {("host", "country:MR"), ("host", "country:SN")} <= roles(x, "meeting")


def test_a_group_placed_in_a_state_belongs_to_it() -> None:
    x = run("Opposition groups in Zimbabwe are demanding that the president resign.")
    assert x.entities["group:opposition"].country == "ZW"


def test_a_group_word_inside_a_trigger_takes_no_part() -> None:
    x = run("The minister promised to continue military aid to Mozambique.")
    assert not any(key == "forces:military" for _, key in roles(x, "intent-to-cooperate"))


@pytest.mark.parametrize(("text", "language"), [
    ("Polisi menembakkan gas air mata untuk memukul mundur massa.", "id"),
    ("Massa melempari aparat dengan batu serta bom molotov di Slipi.", "id"),
    ("Rioters threw petrol bombs at police lines in Belfast.", "en"),
])
def test_idioms_and_weapons_are_not_events_of_their_own(text: str, language: str) -> None:
    assert not {"physical-assault", "explosion"} & set(types(run(text, language)))


def test_who_protests_is_before_the_trigger_or_after_by() -> None:
    x = run("Police clashed with students protesting against quotas in government jobs in Dhaka.")
    assert ("participant", "group:government") not in roles(x, "protest")
    y = run("What started as protests by supporters of the former president turned into looting.")
    assert ("participant", "group:supporters") in roles(y, "protest")


def test_the_sides_after_between_stop_where_the_list_ends() -> None:
    x = run("There were clashes between police and students protesting against quotas in government jobs.")
    assert {key for _, key in roles(x, "armed-clash")} == {"forces:police", "group:students"}


def test_an_adjective_several_states_share_names_no_organisation() -> None:
    x = run("Heavy fighting broke out between the Congolese army and M23 rebels near Sake.")
    assert not any(e.kind == "organization" and e.name == "Congolese" for e in x.entities.values())


def test_a_verb_and_its_force_a_few_words_on_make_a_deployment() -> None:
    x = run("Rwanda sent about 1,000 soldiers to Mozambique in July.")
    dep = next(e for e in x.events if "deployment" in e.type)
    assert dep.type == "foreign-military-deployment" and ("agent", "country:RW") in {(r.role, r.entity) for r in dep.roles}
    y = run("Polri mengirim 450 personel ke Wamena, Papua.", "id")
    assert any("deployment" in e.type for e in y.events)


def test_what_an_accusation_alleges_is_a_claim_not_an_event() -> None:
    x = run("Kinshasa accused Rwanda of sending soldiers into North Kivu, but Kigali denied it.")
    assert not any("deployment" in e.type for e in x.events)
    assert any("accusation" in c.event_types for c in x.claims)


def test_a_state_named_by_its_adjective_or_as_owner_is_not_where_it_happens() -> None:
    x = run("Mozambique's armed forces and Rwandan troops have recaptured the port town of Mocímboa da Praia.")
    clash = next(e for e in x.events if e.type == "armed-clash")
    assert clash.places and all(x.entities[k].kind == "place" for k in clash.places)


@pytest.mark.parametrize(("text", "language", "country"), [
    ("Beirut again rejected a United Nations appeal on Thursday.", "en", "country:LB"),
    ("Washington has demanded that Hamas renounce its armed struggle.", "en", "country:US"),
    ("Jakarta menolak tuntutan itu pada Senin.", "id", "country:ID"),
])
def test_a_capital_that_acts_is_its_state(text: str, language: str, country: str) -> None:
    x = run(text, language)
    assert any(key == country and role == "agent" for e in x.events for role, key in
               {(r.role, r.entity) for r in e.roles})


def test_a_capital_as_a_place_stays_a_place() -> None:
    x = run("Thousands protested in Beirut on Thursday.")
    assert not any(e.kind == "country" and e.key == "country:LB" for e in x.entities.values())


def test_an_act_on_a_condition_has_not_happened() -> None:
    x = run("Putin menyatakan Moskow siap berunding jika Ukraina menarik pasukannya dari empat wilayah.", "id")
    assert "withdrawal" not in types(x)


def test_a_mention_that_refers_back_joins_the_event_without_new_actors() -> None:
    x = run("Militer Gabon mengambil alih kekuasaan pada Rabu. Ratusan warga merayakan kudeta tersebut di Libreville.",
            "id")
    coups = [e for e in x.events if e.type == "coup-attempt"]
    assert len(coups) == 1 and ("agent", "group:civilians") not in {(r.role, r.entity) for r in coups[0].roles}


def test_two_refusals_by_different_actors_stay_two() -> None:
    x = run("China menolak hadir. Kyiv menolak tawaran itu pada Sabtu.", "id")
    assert len([e for e in x.events if e.type == "rejection"]) == 2


def test_a_label_is_what_the_speaker_calls_it() -> None:
    x = run("Kyiv menolak tawaran itu dan menyebutnya sebagai ultimatum.", "id")
    assert "threat" not in types(x)


@pytest.mark.parametrize(("text", "language", "speaker"), [
    ("Heavy fighting broke out near Sake on Wednesday, local officials said.", "en", "group:officials"),
    ("Witnesses said the police fired live ammunition at the crowd.", "en", "group:witnesses"),
    ("Menurut saksi mata, polisi menembakkan gas air mata ke arah massa.", "id", "group:witnesses"),
])
def test_unnamed_speakers_are_groups(text: str, language: str, speaker: str) -> None:
    assert any(c.speaker == speaker for c in run(text, language).claims)


@pytest.mark.parametrize(("text", "language", "first", "last"), [
    ("Rwanda sent about 1,000 soldiers to the province in July.", "en", dt.date(2024, 7, 1), dt.date(2024, 7, 31)),
    ("Militer menyerang desa itu pada akhir Maret.", "id", dt.date(2025, 3, 1), dt.date(2025, 3, 31)),
    ("Insurgents attacked the town in August 2020.", "en", dt.date(2020, 8, 1), dt.date(2020, 8, 31)),
    ("Rebels attacked the base in 2019, officials said.", "en", dt.date(2019, 1, 1), dt.date(2019, 12, 31)),
])
def test_a_month_or_a_year_is_as_precise_as_that(text: str, language: str, first: dt.date, last: dt.date) -> None:
    e = run(text, language).events[0]
    assert e.time is not None and (e.time.earliest, e.time.latest) == (first, last)


def test_may_the_verb_and_since_are_no_dates() -> None:
    x = run("You may see that police arrested dozens of people on Friday.")
    assert x.events[0].time is not None and x.events[0].time.precision == "day"
    y = run("Fighting has killed more than 3,000 people since July, aid agencies said.")
    assert all(e.time is None or e.time.precision != "month" for e in y.events)


@pytest.mark.parametrize(("text", "language", "want"), [
    ("A roadside bomb struck a convoy, killing seven soldiers and wounding two.", "en", ("killed", 7)),
    ("At least 12 people were killed, among them five civilians caught in crossfire near a camp for displaced "
     "families.", "en", ("killed", 5)),
    ("The death toll from the drone strike rose to 93 on Tuesday.", "en", ("killed", 93)),
    ("Jumlah korban tewas dalam kerusuhan bertambah menjadi 33 orang.", "id", ("killed", 33)),
])
def test_count_kinds_from_the_verb_before_the_part_before_and_the_toll(text: str, language: str,
                                                                       want: tuple[str, int]) -> None:
    from kg.extract.counts import find_counts

    found = {(c.count.kind, c.count.value) for c in find_counts(Doc(text, language), load_lexicon(language))}
    assert want in found


def test_a_year_after_to_is_no_toll() -> None:
    from kg.extract.counts import find_counts

    assert not find_counts(Doc("The talks were moved to 2025 by both parties.", "en"), load_lexicon("en"))


@pytest.mark.parametrize(("text", "language", "place", "not_place"), [
    ("Boats were rammed near the Second Thomas Shoal on Monday.", "en", "Second Thomas Shoal", "Second"),
    ("Warga desa Kirants memblokir jalan menuju perbatasan.", "id", "Kirants", "desa Kirants"),
    ("Ratusan warga dievakuasi ke Jayapura dengan pesawat Hercules milik TNI AU.", "id", "Jayapura", "Hercules"),
    ("Ribuan mahasiswa berunjuk rasa di depan Gedung DPR, Jakarta.", "id", "Jakarta", "Gedung DPR"),
])
def test_places_are_named_places_not_buildings_planes_or_common_words(text: str, language: str, place: str,
                                                                        not_place: str) -> None:
    places = {e.name for e in run(text, language).entities.values() if e.is_place}
    assert place in places and not_place not in places, places


def test_a_hospital_with_a_title_word_is_an_organisation() -> None:
    x = run("More than 150 people were wounded, according to Lady Reading Hospital.")
    assert {(e.kind, e.name) for e in x.entities.values()} >= {("organization", "Lady Reading Hospital")}


def test_what_is_denied_is_no_event() -> None:
    assert "armed-attack" not in types(run("A spokesman denied that Chinese personnel had attacked anyone."))
    assert "armed-attack" not in types(run("Militer membantah pasukannya menyerang warga sipil.", "id"))


def test_a_month_last_year_is_in_the_year_before() -> None:
    e = run("The army seized power in a coup in July last year.").events[0]
    assert e.time is not None and e.time.earliest == dt.date(2024, 7, 1)


def test_a_time_after_setelah_dates_its_own_clause() -> None:
    x = run("TNI mengirim 450 prajurit ke Intan Jaya. Pengerahan pasukan ini dilakukan setelah dua warga sipil "
            "tewas ditembak pada akhir Maret.", "id")
    dep = next(e for e in x.events if "deployment" in e.type)
    assert dep.time is None or dep.time.precision != "month"


def test_short_and_repeated_names_are_one_person_and_a_named_title_holder_wins() -> None:
    x = run("Perdana Menteri Kamboja Hun Manet dan Penjabat Perdana Menteri Thailand Phumtham Wechayachai hadir. "
            "Hun Manet menyatakan berharap perundingan itu berjalan lancar, sedangkan Phumtham mengatakan "
            "Thailand tidak akan ragu.", "id")
    persons = {e.name: e for e in x.entities.values() if e.kind == "person"}
    assert set(persons) == {"Hun Manet", "Phumtham Wechayachai"}
    assert persons["Phumtham Wechayachai"].affiliation == "country:TH"
    assert {(c.speaker, c.text) for c in x.claims} >= {("person:hun-manet", "berharap perundingan itu berjalan lancar")}


def test_generic_police_are_the_national_police_the_article_names() -> None:
    x = run("Polri menangkap 257 orang. Polisi juga menyita uang dari para tersangka.", "id")
    assert "forces:police" not in x.entities and ("agent", "organization:polri") in roles(x, "property-seizure")


def test_the_audience_takes_no_part() -> None:
    x = run("The town is under our control, the spokesman told reporters on Sunday.")
    assert "group:journalists" not in x.entities


def test_an_act_carried_out_by_someone_has_them_as_agent() -> None:
    x = run("Laporan itu juga mencatat kasus penculikan yang dilakukan anggota RSF di Darfur.", "id")
    assert ("agent", "organization:rsf") in roles(x, "abduction")


def test_a_crowd_named_elsewhere_is_who_riots() -> None:
    x = run("Ribuan pengunjuk rasa berkumpul di depan gedung DPR. Menjelang petang, aksi itu berubah ricuh.", "id")
    assert ("participant", "group:protesters") in roles(x, "riot")


def test_dotted_acronyms_name_their_state_and_body() -> None:
    x = run("One U.S. soldier was wounded when U.N. helicopters landed, the U.K. said.")
    assert {"country:US", "organization:un", "country:GB"} <= set(x.entities)
    assert x.entities["forces:military"].affiliation == "country:US"


def test_a_listed_office_holder_named_alone_holds_the_office() -> None:
    x = run("Putin offered to negotiate with Armenia.")
    putin = x.entities["person:vladimir-putin"]
    assert (putin.affiliation, putin.country, putin.job_title) == ("country:RU", "RU", "President of Russia")
    assert "country:RU" not in x.entities  # the article never names Russia, so it holds no mention of it


def test_the_state_a_person_serves_is_described_even_when_unnamed() -> None:
    from pyoxigraph import NamedNode

    from kg.namespaces import RDFS, SCHEMA
    from kg.rdf import to_quads

    m = to_quads(run("Putin offered to negotiate with Armenia."), "https://example.org/")
    served = [q.object for q in m.article if q.predicate == NamedNode(str(SCHEMA.affiliation))]
    assert len(served) == 1
    labels = [q.object.value for q in m.gazetteer if q.subject == served[0]
              and q.predicate == NamedNode(str(RDFS.label))]
    assert labels == ["Russia"]


def test_an_appositive_between_subject_and_verb_acts_in_nothing() -> None:
    x = run("Pakistan, a key U.S. ally in the war against terrorism, has refused to deploy troops in Iraq.")
    assert ("agent", "country:PK") in roles(x, "rejection") and ("agent", "country:US") not in roles(x, "rejection")


@pytest.mark.parametrize(("text", "codes"), [
    ("The Sri Lankan army has been holding refugees.", {"LK"}),
    ("The Turkish and Greek sides agreed to share information.", {"TR", "GR"}),
    ("Senior Hungarian and Romanian officials agreed on Wednesday.", {"HU", "RO"}),
    ("Palestinians blamed Israel for the bombing.", {"PS", "IL"}),
    ("Benin was still refusing admittance to Ghanaians.", {"BJ", "GH"}),
])
def test_state_adjectives_of_two_words_joined_by_and_or_plural_name_their_states(text: str, codes: set[str]) -> None:
    x = run(text)
    assert {k.split(":", 1)[1] for k in x.entities if k.startswith("country:")} == codes
    assert not any(e.kind == "place" for e in x.entities.values())


def test_plural_words_that_merely_look_like_demonyms_name_no_state() -> None:
    x = run("Officers gathered in the Police Lines compound.")
    assert not any(k.startswith("country:") for k in x.entities)


def test_group_names_written_with_a_small_al_are_found_mid_sentence() -> None:
    x = run("US drone strikes have killed at least eight top al-Qaeda leaders since July.")
    assert "organization:al-qaeda" in x.entities and not any(e.kind == "person" for e in x.entities.values())


def test_a_faith_or_people_word_alone_is_no_place() -> None:
    x = run("A newspaper based in Christian east Beirut has violated a ban.")
    assert not any(e.name == "Christian" for e in x.entities.values())


@pytest.mark.parametrize(("text", "language", "typ", "want"), [
    ("Rebels killed two soldiers near the border on Sunday.", "en", "armed-attack",
     {("agent", "group:rebels"), ("target", "forces:military")}),
    ("Police shot dead two protesters in Nairobi.", "en", "attack-on-civilians",
     {("agent", "forces:police"), ("victim", "group:protesters")}),
    ("Orang bersenjata menewaskan tiga warga desa pada Minggu.", "id", "attack-on-civilians",
     {("agent", "group:militants"), ("victim", "group:civilians")}),
])
def test_a_killing_no_other_word_names_is_an_attack(text: str, language: str, typ: str,
                                                     want: set[tuple[str, str]]) -> None:
    x = run(text, language)
    assert types(x) == [typ] and roles(x, typ) == want


@pytest.mark.parametrize(("text", "language"), [
    ("A bomb exploded in Kabul on Sunday. Five people were killed.", "en"),
    ("Insurgents have killed thousands of people in the region over the past decade.", "en"),
    ("Konflik antara PKK dan Turki sejak 1984 telah menewaskan lebih dari 40.000 orang.", "id"),
])
def test_deaths_of_a_told_attack_or_a_tally_over_years_are_no_new_attack(text: str, language: str) -> None:
    assert "armed-attack" not in types(run(text, language))


@pytest.mark.parametrize(("text", "language", "typ", "want"), [
    ("The United States continued to send arms to Pakistan last year.", "en", "military-aid",
     {("agent", "country:US"), ("recipient", "country:PK")}),
    ("Finland will give Tanzania a grant of 580 million shillings.", "en", "economic-aid",
     {("agent", "country:FI"), ("recipient", "country:TZ")}),
    ("Swiss doctors handed over 700 kg of medicine in Bam.", "en", "humanitarian-aid", {("agent", "country:CH")}),
    ("Jerman memasok senjata ke Ukraina.", "id", "military-aid", {("agent", "country:DE"), ("recipient", "country:UA")}),
    ("Pemerintah menyalurkan obat dan makanan ke Gaza.", "id", "humanitarian-aid",
     {("agent", "group:government"), ("recipient", "country:PS")}),
])
def test_a_verb_of_giving_and_what_is_given_is_aid_to_whoever_it_goes_to(
        text: str, language: str, typ: str, want: set[tuple[str, str]]) -> None:
    x = run(text, language)
    assert typ in types(x) and roles(x, typ) == want


@pytest.mark.parametrize(("text", "language", "typ", "want"), [
    ("Police arrested five suspects in Karachi on Monday.", "en", "arrest",
     {("agent", "forces:police"), ("target", "group:suspects")}),
    ("Gunmen killed three villagers on Sunday.", "en", "attack-on-civilians",
     {("agent", "group:militants"), ("victim", "group:civilians")}),
    ("Polisi menangkap tiga tersangka di Makassar.", "id", "arrest",
     {("agent", "forces:police"), ("target", "group:suspects")}),
])
def test_suspects_villagers_and_other_unnamed_groups_take_part(text: str, language: str, typ: str,
                                                              want: set[tuple[str, str]]) -> None:
    assert roles(run(text, language), typ) == want


def _places_of(x: Extraction, typ: str) -> list[str]:
    return sorted(x.entities[p].name for e in x.events if e.type == typ for p in e.places)


def test_places_listed_with_and_are_one_event_each_but_an_address_is_one_place() -> None:
    x = run("Mahasiswa berunjuk rasa di Jakarta. Aksi serupa digelar di Bandung, Semarang, dan Makassar.", "id")
    assert _places_of(x, "protest") == ["Bandung", "Jakarta", "Makassar", "Semarang"]
    assert ("participant", "group:students") in {(r.role, r.entity) for e in x.events if e.places
                                                  and x.entities[e.places[0]].name == "Jakarta" for r in e.roles}
    y = run("Protesters rallied in Lagos and Abuja on Monday.")
    assert _places_of(y, "protest") == ["Abuja", "Lagos"]
    z = run("Kerusuhan pecah di Wamena, Kabupaten Jayawijaya, Papua.", "id")
    assert [e.type for e in z.events] == ["riot"] and _places_of(z, "riot") == ["Wamena"]


def test_burning_in_a_riot_is_the_riot() -> None:
    x = run("Kerusuhan pecah di Wamena. Massa membakar kantor bupati dan ratusan rumah.", "id")
    assert types(x) == ["riot"] and len(x.events[0].mentions) == 2


def test_the_day_something_was_said_does_not_date_what_it_tells() -> None:
    x = run("Jumlah korban tewas dalam kerusuhan di Wamena bertambah menjadi 33 orang, kata Kapolda Papua, "
            "Rabu (12/3/2025). Kerusuhan pecah pada Senin pagi.", "id")
    riot = next(e for e in x.events if e.type == "riot")
    assert riot.time is not None and riot.time.stamp == dt.date(2025, 3, 10)
    y = run("Rwandan troops have recaptured the town of Sake, the army said on Sunday.")
    t = y.events[0].time
    assert t is not None and (t.earliest, t.latest) == (dt.date(2025, 3, 3), dt.date(2025, 3, 9))


def test_arrests_someone_made_beside_a_toll_are_events_and_a_bare_tally_is_not() -> None:
    x = run("Kerusuhan pecah di Wamena. Sedikitnya 70 orang luka-luka dan polisi telah menangkap belasan orang.", "id")
    assert ("agent", "forces:police") in roles(x, "arrest")
    y = run("Kerusuhan pecah di Almaty. Sebanyak 164 orang tewas, sementara 8.000 orang ditangkap.", "id")
    assert "arrest" not in types(y)


@pytest.mark.parametrize(("text", "language", "place"), [
    ("KTT perdamaian untuk Ukraina digelar di resor Burgenstock, Swiss.", "id", "Burgenstock"),
    ("Peacekeepers were shipped out of the eastern enclave of Gorazde on Friday.", "en", "Gorazde"),
])
def test_a_place_noun_before_an_unknown_name_makes_it_a_place(text: str, language: str, place: str) -> None:
    x = run(text, language)
    assert any(e.name == place and e.kind == "place" for e in x.entities.values())


def test_a_state_adjective_before_a_modified_title_is_the_office_holders_state() -> None:
    x = run("On Tuesday, Nigerian junior foreign minister Dubem Oniya summoned the envoy.")
    assert x.entities["person:dubem-oniya"].affiliation == "country:NG"
    assert [m.text for m in x.entities["country:NG"].mentions] == ["Nigerian"]


def test_unnamed_local_groups_belong_to_the_country_where_they_act() -> None:
    x = run("Police opened fire to disperse demonstrators in Cairo on Monday night.")
    assert x.entities["group:protesters"].affiliation == "country:EG"
    y = run("Thousands of refugees have fled to camps in Chad since the fighting began.")
    assert all(e.affiliation is None for k, e in y.entities.items() if k.startswith("group:"))


@pytest.mark.parametrize(("text", "language"), [
    ("Demonstrators in Baghdad blocked a road to show their disapproval.", "en"),
    ("Di Tavush, warga desa Kirants memblokade jalan raya menuju Georgia selama beberapa hari.", "id"),
])
def test_blocking_roads_is_a_protest(text: str, language: str) -> None:
    assert types(run(text, language)) == ["protest"]


def test_what_an_act_was_for_is_pursued_by_whoever_did_it() -> None:
    x = run("About 200 supporters of former President Ahmed Ben Bella blocked roads in Algiers, "
            "demanding that he be reinstated.")
    assert roles(x, "demand") == {("agent", "group:supporters")}
    y = run("Thousands of people blocked streets in Hong Kong in defiance of Chinese authorities to demand reforms.")
    assert roles(y, "demand") == set()


def test_appeals_are_reported_speech_and_a_family_name_is_the_person_named_first() -> None:
    x = run("Presiden Ali Bongo Ondimba kalah. Putranya, Noureddin Bongo Valentin, ditangkap. "
            "Bongo meminta semua teman di seluruh dunia untuk bersuara.", "id")
    assert not any(e.name == "Bongo" for e in x.entities.values())
    assert any(c.speaker == "person:ali-bongo-ondimba" and "bersuara" in c.text for c in x.claims)
    y = run("Wiranto meminta para pengungsi tidak meninggalkan Wamena.", "id")
    assert [(c.speaker, c.text) for c in y.claims] == [("person:wiranto", "para pengungsi tidak meninggalkan Wamena")]


@pytest.mark.parametrize(("text", "language", "typ", "agent"), [
    ("A bomb exploded at a market in Mogadishu on Monday. Al-Shabaab claimed responsibility for the attack.", "en",
     "explosion", "organization:al-shabaab"),
    ("A checkpoint in Kech was attacked on Friday. The Balochistan Liberation Army claimed the attack.", "en",
     "armed-attack", "organization:balochistan-liberation-army"),
    ("Bom meledak di pasar Mogadishu pada Senin. Al-Shabaab mengaku bertanggung jawab atas serangan itu.", "id",
     "explosion", "organization:al-shabaab"),
])
def test_who_claims_an_attack_is_its_agent_and_a_group_word_ending_a_name_is_the_name(
        text: str, language: str, typ: str, agent: str) -> None:
    x = run(text, language)
    assert ("agent", agent) in roles(x, typ) and "forces:military" not in x.entities


def test_an_acronym_defined_in_brackets_is_the_body_not_a_person() -> None:
    x = run("Partai Pekerja Kurdistan (PKK) mengumumkan pembubaran diri. PKK mengatakan perjuangan telah selesai.", "id")
    assert [e.kind for e in x.entities.values()] == ["organization"]
    assert {c.speaker for c in x.claims} == {"organization:partai-pekerja-kurdistan"}


@pytest.mark.parametrize(("text", "language", "unwanted"), [
    ("Kedua negara sepakat menghentikan aksi militer mulai Sabtu pukul 17.00.", "id", "physical-assault"),
    ("India kemudian menangguhkan Perjanjian Perairan Indus pada Rabu.", "id", "intent-to-cooperate"),
    ("Serangan itu disebut sebagai bentuk dukungan terhadap Palestina.", "id", "diplomatic-cooperation"),
    ("The army vowed to win back the territory it lost in September.", "en", "diplomatic-cooperation"),
])
def test_clock_times_treaty_names_and_idioms_hold_no_act(text: str, language: str, unwanted: str) -> None:
    assert unwanted not in types(run(text, language))


@pytest.mark.parametrize(("text", "language", "typ", "want"), [
    ("Moscow summoned the British ambassador to protest.", "en", "disapproval", ("agent", "country:RU")),
    ("Rusia memanggil duta besar Inggris untuk memprotes.", "id", "disapproval", ("agent", "country:RU")),
    ("Pakistan closed its airspace to Indian airlines.", "en", "sanctions", ("agent", "country:PK")),
    ("India menangguhkan perjanjian itu.", "id", "reduce-relations", ("agent", "country:IN")),
])
def test_diplomatic_summons_airspace_bans_and_suspended_treaties(
        text: str, language: str, typ: str, want: tuple[str, str]) -> None:
    x = run(text, language)
    assert want in roles(x, typ) and "protest" not in types(x) and "intent-to-cooperate" not in types(x)


def test_a_rank_inside_a_recognised_place_starts_the_persons_name() -> None:
    x = run("Kapolda Kepulauan Riau Irjen Tabana Bangun mengatakan 43 orang ditangkap.", "id")
    assert {e.name for e in x.entities.values()} >= {"Tabana Bangun", "Kepulauan Riau"}
    assert not any("Irjen" in e.name for e in x.entities.values())


def test_a_state_adjective_the_recogniser_calls_a_place_is_none() -> None:
    x = run("The envoy announced the deal in the South African capital, officials told Russian media.")
    assert not any(e.kind == "place" for e in x.entities.values())


def test_a_government_named_by_its_state_is_the_state_and_no_place() -> None:
    x = run("Talks between the Ethiopian government and the TPLF ended in Pretoria on Wednesday.")
    assert "group:government" not in x.entities
    assert roles(x, "meeting") == {("participant", "country:ET"), ("participant", "organization:tplf")}
    assert [x.entities[p].name for e in x.events for p in e.places] == ["Pretoria"]


@pytest.mark.parametrize(("text", "language", "want", "unwanted"), [
    ("Gunmen took 20 people hostage in Mali on Sunday.", "en", "hostage-taking", None),
    ("The hostages, among them four babies, were found near Tougouri.", "en", None, "hostage-taking"),
    ("Houthi membebaskan 25 awak kapal Galaxy Leader.", "id", "release-of-detainees", None),
    ("Sulaiman menuntut polisi membebaskan 43 warga yang ditahan.", "id", "demand", "release-of-detainees"),
])
def test_hostages_are_taken_and_freed_and_a_demanded_release_has_not_happened(
        text: str, language: str, want: str | None, unwanted: str | None) -> None:
    found = types(run(text, language))
    assert (want is None or want in found) and (unwanted is None or unwanted not in found)


@pytest.mark.parametrize(("text", "kind", "bounds"), [
    ("Soldiers freed 66 women and children who had been abducted last week.", "abducted", (66, None, None)),
    ("Residents said at least 50 women had been taken away by armed men.", "abducted", (None, 50, None)),
    ("Jihadist groups have forced nearly two million people to flee their homes.", "displaced", (None, None, 2000000)),
])
def test_women_hostages_and_the_fleeing_are_counted(text: str, kind: str, bounds: tuple) -> None:  # type: ignore[type-arg]
    from kg.extract.counts import find_counts

    lex = load_lexicon("en")
    assert lex is not None
    got = [(c.count.kind, (c.count.value, c.count.min_value, c.count.max_value)) for c in find_counts(Doc(text, "en"), lex)]
    assert got == [(kind, bounds)]


def test_who_agreed_after_talks_took_part_in_them_and_names_keep_their_possessive() -> None:
    x = run("Ethiopia's government and the Tigray People's Liberation Front (TPLF) agreed on Wednesday to a "
            "permanent cessation of hostilities, after 10 days of talks in Pretoria.")
    assert "organization:tigray-people-s-liberation-front" in x.entities and "group:government" not in x.entities
    assert ("participant", "organization:tigray-people-s-liberation-front") in roles(x, "meeting")


@pytest.mark.parametrize(("text", "language"), [
    ("The union called off the strike on Thursday.", "en"),
    ("The Latvian Constitutional Court cancelled restrictions on the use of the Russian language.", "en"),
    ("Serbia eased emergency measures on Wednesday in Montenegro.", "en"),
])
def test_calling_off_a_strike_and_cancelling_restrictions_are_concessions(text: str, language: str) -> None:
    assert types(run(text, language)) == ["concession"]


def test_aid_a_verb_of_the_future_gives_is_promised() -> None:
    x = run("The United Nations will provide nearly 25,000 tons of emergency food aid to refugees in Liberia.")
    y = run("Japan sent 500 tons of food aid to Myanmar.")
    assert [e.status for e in x.events] == ["announced"] and [e.status for e in y.events] == ["occurred"]


@pytest.mark.parametrize(("text", "language", "typ", "want"), [
    ("Israeli tanks fired four shell bombs at targets in Jericho, witnesses said.", "en", "shelling",
     {("agent", "country:IL")}),
    ("Hamas meluncurkan puluhan roket ke Israel.", "id", "shelling", {("agent", "organization:hamas")}),
    ("Britain mobilized army reservists for a possible war against Iraq on Tuesday.", "en", "force-posture",
     {("agent", "country:GB")}),
])
def test_firing_shells_is_shelling_mobilising_is_posture_and_witnesses_are_no_target(
        text: str, language: str, typ: str, want: set[tuple[str, str]]) -> None:
    assert roles(run(text, language), typ) == want


@pytest.mark.parametrize(("text", "language", "typ"), [
    ("Czechia and Albania have upgraded their diplomatic ties to ambassadorial level.", "en", "diplomatic-cooperation"),
    ("Indonesia dan Israel tidak pernah menjalin hubungan diplomatik, tetapi Fiji memulihkan hubungan diplomatik.", "id",
     "diplomatic-cooperation"),
    ("The German government today welcomed the latest policy statement.", "en", "diplomatic-cooperation"),
    ("Italy announced a suspension of air links with Serbia on Wednesday.", "en", "reduce-relations"),
    ("The United States suspended part of a military aid program for Bosnia.", "en", "reduce-relations"),
])
def test_ties_restored_praise_and_links_or_aid_suspended(text: str, language: str, typ: str) -> None:
    assert typ in types(run(text, language))


def test_a_release_someone_asks_for_has_not_happened() -> None:
    x = run("Ia juga meminta agar para tahanan politik segera dibebaskan.", "id")
    assert types(x) == ["request"]
