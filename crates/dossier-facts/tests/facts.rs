//! The fact stage on sentences written for these tests (never the seed articles), with
//! the committed models (the neural tagger and parser, as the binary's default): each fact type, each modality cue, attribution, and furniture.

use dossier_facts::{extract, Claim, MentionIn};
use dossier_nlp::pipeline::Models;
use dossier_nlp::values::DocDate;
use std::path::Path;
use std::sync::OnceLock;

/// The committed models with the neural tagger and parser, as the `dossier` binary runs
/// by default.
fn models() -> &'static Models {
    static M: OnceLock<Models> = OnceLock::new();
    M.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models");
        let neural = std::fs::read(dir.join("neural.bin.zst")).expect("neural.bin.zst is committed");
        Models::load_dir(&dir).expect("committed models load").with_neural(&neural).expect("the neural model loads")
    })
}

/// A claim as text: (subject, predicate, object, modality, source, mode, role, count, when).
#[derive(Debug)]
struct C {
    s: String,
    p: &'static str,
    o: Option<String>,
    modality: &'static str,
    source: Option<String>,
    mode: Option<String>,
    role: Option<String>,
    count: Option<i64>,
    when: Option<String>,
}

fn read_ranges(text: &str, ranges: &[std::ops::Range<usize>], date: Option<DocDate>) -> Vec<C> {
    let a = models().annotate(text, ranges, date);
    let mentions: Vec<MentionIn> = a
        .entities
        .iter()
        .filter(|e| e.label.as_str() != "MISC")
        .map(|e| MentionIn { span: e.start_byte..e.end_byte, etype: e.label.as_str() })
        .collect();
    let name = |i: usize| text[mentions[i].span.clone()].to_string();
    extract(&a, &mentions)
        .into_iter()
        .map(|c: Claim| C {
            s: name(c.subject),
            p: c.predicate,
            o: c.object.map(name),
            modality: c.modality,
            source: c.source.map(name),
            mode: c.mode,
            role: c.role,
            count: c.count,
            when: c.when.map(|w| w.value),
        })
        .collect()
}

fn read(text: &str) -> Vec<C> {
    read_ranges(text, &[0..text.len()], None)
}

fn find<'a>(cs: &'a [C], s: &str, p: &str, o: Option<&str>) -> &'a C {
    cs.iter()
        .find(|c| c.s.contains(s) && c.p == p && c.o.as_deref().map(|x| o.is_some_and(|o| x.contains(o))).unwrap_or(o.is_none()))
        .unwrap_or_else(|| panic!("no {s} {p} {o:?} in {cs:#?}"))
}

#[test]
fn consult_with_mode_count_and_date() {
    let cs = read("Angela Merkel held 12 phone calls with Emmanuel Macron in March 2019.");
    let c = find(&cs, "Merkel", "CONSULT", Some("Macron"));
    assert_eq!(c.mode.as_deref(), Some("phone"));
    assert_eq!(c.count, Some(12));
    assert_eq!(c.when.as_deref(), Some("2019-03"));
    assert_eq!(c.modality, "asserted");
}

#[test]
fn titles_become_holds_position() {
    let cs = read("French President Emmanuel Macron met German Chancellor Olaf Scholz in Paris.");
    let c = find(&cs, "Macron", "holds_position", Some("French"));
    assert_eq!(c.role.as_deref(), Some("President"));
    let c = find(&cs, "Scholz", "holds_position", Some("German"));
    assert_eq!(c.role.as_deref(), Some("Chancellor"));
    find(&cs, "Macron", "CONSULT", Some("Scholz"));
    let cs = read("The deal was signed by Jane Doe, the chief executive of Acme Corporation, on Monday.");
    let c = find(&cs, "Jane Doe", "holds_position", Some("Acme"));
    assert_eq!(c.role.as_deref(), Some("chief executive"));
}

#[test]
fn standing_relations() {
    find(&read("Norway, as a member of NATO, sent troops to Lithuania."), "Norway", "member_of", Some("NATO"));
    find(&read("John Smith founded Acme Corporation in 1998."), "John Smith", "founded", Some("Acme"));
    find(&read("George Soros funded the Open Society Foundations for decades."), "Soros", "funds", Some("Open Society"));
    let cs = read("Iranian troops have fought in Syria and Iraq.");
    find(&cs, "Iranian", "operates_in", Some("Syria"));
    find(&cs, "Iranian", "operates_in", Some("Iraq"));
    find(&read("Maria Garcia leads the Red Cross."), "Garcia", "leads", Some("Red Cross"));
}

#[test]
fn event_types_from_the_lexicon() {
    find(&read("Norway, as a member of NATO, sent troops to Lithuania."), "Norway", "MOBILIZE", Some("Lithuania"));
    find(&read("Iran supplied drones to Russia."), "Iran", "AID", Some("Russia"));
    find(&read("Israel attacked Hezbollah on Tuesday."), "Israel", "ASSAULT", Some("Hezbollah"));
    find(&read("The European Union imposed sanctions on Belarus."), "European Union", "SANCTION", Some("Belarus"));
    find(&read("Ukraine accused Russia of shelling the plant."), "Ukraine", "ACCUSE", Some("Russia"));
    find(&read("Kenya asked Ethiopia for help."), "Kenya", "REQUEST", Some("Ethiopia"));
}

#[test]
fn modality_is_read_from_cues_that_govern_the_event() {
    let m = |t: &str| read(t).into_iter().find(|c| c.p == "AID" && c.s.contains("Iran")).map(|c| c.modality);
    assert_eq!(m("Iran supplied drones to Russia."), Some("asserted"));
    assert_eq!(m("Iran allegedly supplied drones to Russia."), Some("alleged"));
    assert_eq!(m("Iran is believed to have supplied drones to Russia."), Some("alleged"));
    assert_eq!(m("Iran denied having supplied drones to Russia."), Some("denied"));
    assert_eq!(m("Iran plans to supply drones to Russia."), Some("planned"));
    assert_eq!(m("Iran tried to supply drones to Russia."), Some("attempted"));
    assert_eq!(m("Iran may supply drones to Russia."), Some("possible"));
    assert_eq!(m("Iran did not supply drones to Russia."), Some("negated"));
    // A cue elsewhere in the sentence does not govern the event.
    assert_eq!(m("Iran supplied drones to Russia, while Syria denied the report."), Some("asserted"));
}

#[test]
fn sources_and_attribution_across_a_paragraph() {
    let src = |cs: &[C], p: &str| cs.iter().find(|c| c.p == p).and_then(|c| c.source.clone());
    assert_eq!(src(&read("According to Reuters, Iran supplied drones to Russia."), "AID").as_deref(), Some("Reuters"));
    assert_eq!(src(&read("Iran supplied drones to Russia, the Pentagon said."), "AID").as_deref(), Some("Pentagon"));
    assert_eq!(src(&read("Iran supplied drones to Russia."), "AID"), None, "the article's own voice");
    let cs = read("According to Reuters, Iran supplied drones to Russia. Iran also attacked Israel.\n\nIran met Qatar.");
    assert_eq!(find(&cs, "Iran", "ASSAULT", Some("Israel")).source.as_deref(), Some("Reuters"), "same paragraph");
    assert_eq!(find(&cs, "Iran", "CONSULT", Some("Qatar")).source, None, "a new paragraph");
}

#[test]
fn text_outside_the_annotated_ranges_gives_no_facts() {
    // The pipeline is given a document's content spans only; furniture is left out.
    let text = "Related Articles: Iran supplied drones to Russia.\n\nKenya asked Ethiopia for help.\n";
    let cut = text.find("\n\n").unwrap();
    let cs = read_ranges(text, &[cut + 2..text.len()], None);
    assert!(cs.iter().all(|c| !c.s.contains("Iran")), "{cs:#?}");
    find(&cs, "Kenya", "REQUEST", Some("Ethiopia"));
}

#[test]
fn relative_dates_resolve_against_the_document_date() {
    let text = "Iran supplied drones to Russia last month.";
    let with = read_ranges(text, &[0..text.len()], DocDate::parse("2023-07-15"));
    assert_eq!(find(&with, "Iran", "AID", Some("Russia")).when.as_deref(), Some("2023-06"));
    let without = read(text);
    assert_eq!(find(&without, "Iran", "AID", Some("Russia")).when, None, "left open without a document date");
}

#[test]
fn armed_units_on_the_move_are_a_mobilisation_by_their_actor() {
    // A definite "the column" stands for the actor of the earlier "Hezbollah column"; the
    // count comes from the units' own phrase.
    let cs = read("Witnesses described a Hezbollah column near the border.\n\nThe column, made up of some 40 trucks, was moving towards Nabatieh.");
    let c = find(&cs, "Hezbollah", "MOBILIZE", Some("Nabatieh"));
    assert_eq!(c.count, Some(40));
    assert_eq!(c.mode.as_deref(), Some("troops"));
    // Words about moving, without armed units, are no mobilisation.
    let cs = read("The delegation from Turkey was heading towards Brussels.");
    assert!(!cs.iter().any(|c| c.p == "MOBILIZE"), "{cs:#?}");
}

#[test]
fn recruits_received_to_fight_are_a_mobilisation() {
    let cs = read("Iran has received more than 5,000 applications from volunteers who want to fight in Yemen.");
    let c = find(&cs, "Iran", "MOBILIZE", None);
    assert_eq!(c.count, Some(5000));
    // Applications for anything else are not.
    let cs = read("Germany has received more than 5,000 applications for its new student visas.");
    assert!(!cs.iter().any(|c| c.p == "MOBILIZE"), "{cs:#?}");
}

#[test]
fn a_trailing_speaker_with_a_title_is_the_source() {
    let cs = read("Turkey will send troops to Libya next month, Turkish President Recep Tayyip Erdogan said.");
    let c = find(&cs, "Turkey", "MOBILIZE", Some("Libya"));
    assert_eq!(c.source.as_deref(), Some("Recep Tayyip Erdogan"));
}

#[test]
fn an_actor_deep_inside_a_subject_phrase_is_not_the_subject() {
    // The buses entered, not Abkhazia.
    let cs = read("A large convoy of buses bearing number plates from the breakaway regions of South Ossetia and Abkhazia entered Georgia from Russia on Sunday.");
    assert!(!cs.iter().any(|c| c.s.contains("Abkhazia") || c.s.contains("Ossetia")), "{cs:#?}");
}

#[test]
fn a_joint_act_links_the_coordinated_parties() {
    let cs = read("Kenya and Ethiopia agreed to hold joint border patrols next year.");
    find(&cs, "Kenya", "AGREE", Some("Ethiopia"));
}

#[test]
fn whom_a_demand_is_made_of_is_the_subject_of_its_clause() {
    let cs = read("Greek officials demanded that Turkey withdraw its ships from the area.");
    find(&cs, "Greek", "REQUEST", Some("Turkey"));
}

#[test]
fn stopping_cooperation_is_a_sanction() {
    let cs = read("Germany suspended its development cooperation with Niger in July.");
    find(&cs, "Germany", "SANCTION", Some("Niger"));
    assert!(!cs.iter().any(|c| c.p == "COOPERATE"), "{cs:#?}");
}

#[test]
fn units_deployed_without_an_agent_stand_for_their_group() {
    let cs = read("Hundreds of fighters from the Hezbollah militia have been deployed to Syria.");
    find(&cs, "Hezbollah", "MOBILIZE", Some("Syria"));
}

#[test]
fn a_report_speaks_for_its_named_author() {
    let cs = read("Amnesty International published a report on Monday.\n\nThe report accused the Myanmar army of burning villages.");
    find(&cs, "Amnesty", "ACCUSE", Some("Myanmar"));
}

#[test]
fn according_to_a_ministry_of_a_nationality() {
    let cs = read("Chad and Sudan agreed to reopen their border, according to the Chadian foreign ministry.");
    let c = find(&cs, "Chad", "AGREE", Some("Sudan"));
    assert_eq!(c.source.as_deref(), Some("Chadian"));
}

#[test]
fn a_relative_clause_on_an_appositive_and_the_date_of_another_clause() {
    let cs = read("John Smith, a former army officer who founded the Vanguard Security Group with Erik Prince, died in March 2021.");
    let c = find(&cs, "John Smith", "founded", Some("Vanguard"));
    assert_eq!(c.when, None, "the date is the death's, not the founding's");
}

#[test]
fn a_participle_relation_on_a_name() {
    let cs = read("The Sinaloa Cartel, led by Joaquin Guzman, shipped cocaine to Chicago.");
    find(&cs, "Guzman", "leads", Some("Sinaloa"));
    let cs = read("Investigators said Gazprom Media, a company controlled by Alisher Usmanov, bought the newspaper.");
    find(&cs, "Usmanov", "owns", Some("Gazprom"));
}

#[test]
fn received_weapons_from_is_the_givers_aid() {
    let cs = read("Hamas received rockets and weapons from Iran in 2014.");
    let c = find(&cs, "Iran", "AID", Some("Hamas"));
    assert_eq!(c.mode.as_deref(), Some("military"));
}

#[test]
fn a_definite_description_is_not_its_own_clause_subject() {
    let cs = read("The United States imposed sanctions on Meridian Holdings in May.\n\nThe European Union followed in June, accusing the company of funding the militia.");
    find(&cs, "European Union", "ACCUSE", Some("Meridian"));
}

#[test]
fn documents_obtained_by_a_source_speak_for_it_later() {
    let cs = read("Documents obtained by Bellingcat were published on Monday.\n\nThe files show that Iran sent drones to Russia.");
    let c = find(&cs, "Iran", "AID", Some("Russia"));
    assert_eq!(c.source.as_deref(), Some("Bellingcat"));
}

#[test]
fn a_coordinated_reporting_verb_is_no_frame_for_the_first_act() {
    let cs = read("Italian Prime Minister Giorgia Meloni met Tunisian President Kais Saied in Tunis last week and warned him against any deal with Moscow.");
    for c in cs.iter().filter(|c| c.s.contains("Meloni")) {
        assert_eq!(c.source, None, "{cs:#?}");
    }
    find(&cs, "Meloni", "CONSULT", Some("Saied"));
}

#[test]
fn a_passive_relation_has_its_subject_as_object() {
    let cs = read("Sberbank is controlled by the Russian government.");
    find(&cs, "Russian", "owns", Some("Sberbank"));
}
