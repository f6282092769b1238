//! Resolver tests. Documents are written with inline marks: `[Sergei
//! Shoigu:PER]` is a PERSON mention of "Sergei Shoigu" (types PER, ORG, GPE,
//! LOC, FAC, NORP, PROD). Every test goes through `check`, which renders the
//! entities one a line as `TYPE name: alias, alias [docs] kind` and compares.

use super::*;
use crate::Mention;

/// Strips the marks from `marked`, returning the text and its mentions.
fn parse(marked: &str) -> (String, Vec<Mention>) {
    let mut text = String::new();
    let mut mentions = Vec::new();
    let mut rest = marked;
    while let Some(open) = rest.find('[') {
        text.push_str(&rest[..open]);
        let close = open + rest[open..].find(']').expect("unclosed [");
        let inner = &rest[open + 1..close];
        let colon = inner.rfind(':').expect("mention without :TYPE");
        let (name, tag) = (&inner[..colon], &inner[colon + 1..]);
        let etype = match tag {
            "PER" => EntityType::Person,
            "ORG" => EntityType::Org,
            "GPE" => EntityType::Gpe,
            "LOC" => EntityType::Loc,
            "FAC" => EntityType::Fac,
            "NORP" => EntityType::Norp,
            "PROD" => EntityType::Product,
            _ => panic!("unknown type {tag}"),
        };
        let start = text.len();
        text.push_str(name);
        let sentence = text.matches(". ").count();
        mentions.push(Mention {
            start,
            end: text.len(),
            text: name.to_string(),
            etype,
            sentence,
        });
        rest = &rest[close + 1..];
    }
    text.push_str(rest);
    (text, mentions)
}

fn run(docs: &[&str], judgements: &[Judgement]) -> (Vec<(String, Vec<Mention>)>, Resolution) {
    let parsed: Vec<(String, Vec<Mention>)> = docs.iter().map(|d| parse(d)).collect();
    let inputs: Vec<DocInput<'_>> = parsed
        .iter()
        .map(|(t, m)| DocInput {
            text: t,
            mentions: m,
        })
        .collect();
    let res = resolve(&inputs, judgements, &Config::default());
    drop(inputs);
    (parsed, res)
}

fn render(res: &Resolution) -> String {
    let mut out = String::new();
    for e in &res.entities {
        let mut docs: Vec<usize> = e.mentions().iter().map(|m| m.doc).collect();
        docs.dedup();
        let docs: Vec<String> = docs.iter().map(|d| d.to_string()).collect();
        let kind = e
            .kind()
            .map_or(String::new(), |k| format!(" {}", k.label()));
        out.push_str(&format!(
            "{} {}: {} [{}]{}\n",
            e.etype().label(),
            e.name(),
            e.aliases().join(", "),
            docs.join(" "),
            kind
        ));
    }
    for c in &res.conflicts {
        out.push_str(&format!("conflict {}: {}\n", c.judgement, c.reason));
    }
    out
}

#[track_caller]
fn check(docs: &[&str], judgements: &[Judgement], expect: &str) {
    let (_, res) = run(docs, judgements);
    let got = render(&res);
    let want: String = expect
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(got == want, "\n--- expected\n{want}--- got\n{got}");
}

#[track_caller]
fn check_roles(doc: &str, expect: &str) {
    let (parsed, res) = run(&[doc], &[]);
    let mentions = &parsed[0].1;
    let got: Vec<String> = res
        .roles
        .iter()
        .map(|r| {
            let org = r.org_mention.map_or(String::new(), |o| {
                format!(" [{}]", mentions[o.mention].text)
            });
            format!(
                "{}: {}{}",
                mentions[r.mention.mention].text, r.role_text, org
            )
        })
        .collect();
    let want: Vec<&str> = expect
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(got, want);
}

use crate::Judgement::{Distinct, Merge, Split};

// Rule 1: within a document.

#[test]
fn surname_joins_the_one_full_name_in_the_document() {
    check(
        &["[Vladimir Putin:PER] arrived. [Putin:PER] said [Sergei Shoigu:PER] and [Shoigu:PER] agreed."],
        &[],
        "PERSON Vladimir Putin: Putin, Vladimir Putin [0]
         PERSON Sergei Shoigu: Sergei Shoigu, Shoigu [0]",
    );
}

#[test]
fn ambiguous_surname_or_first_name_stays_apart() {
    check(
        &["[Anna Berg:PER] met [Olaf Berg:PER]; [Berg:PER] left. [Dmitry Peskov:PER] and [Dmitry Utkin:PER]; [Dmitry:PER]."],
        &[],
        "PERSON Anna Berg: Anna Berg [0]
         PERSON Olaf Berg: Olaf Berg [0]
         PERSON Berg: Berg [0]
         PERSON Dmitry Peskov: Dmitry Peskov [0]
         PERSON Dmitry Utkin: Dmitry Utkin [0]
         PERSON Dmitry: Dmitry [0]",
    );
}

#[test]
fn org_short_forms_and_generic_heads_join() {
    check(
        &["The [Wagner Group:ORG] grew. [Wagner Group:ORG] and [Wagner:ORG] fighters, the [Wagner private military company:ORG], \
           the [Wagner security force:ORG] and [PMC Wagner:ORG] are one. [Russia:GPE]'s [Security Council:ORG] \
           met; the [Security Council:ORG] agreed."],
        &[],
        "ORG Wagner Group: PMC Wagner, Wagner, Wagner Group, Wagner private military company, Wagner security force [0] armed_group
         GPE Russia: Russia [0]
         ORG Security Council: Security Council [0] government",
    );
    check(
        &["[Russia’s Security Council:ORG] met. The [Security Council:ORG] agreed."],
        &[],
        "ORG Russia’s Security Council: Russia’s Security Council, Security Council [0] government",
    );
}

#[test]
fn short_org_form_that_is_a_place_here_stays_apart() {
    check(
        &["[Norland:GPE] said [Norland’s defense ministry:ORG] and the [Norland:ORG] team."],
        &[],
        "GPE Norland: Norland [0]
         ORG Norland’s defense ministry: Norland’s defense ministry [0] government
         ORG Norland: Norland [0]",
    );
}

#[test]
fn acronyms_join_their_expansion() {
    check(
        &[
            "The [North Atlantic Treaty Organization:ORG] ([NATO:ORG]) met. [NATO:ORG] agreed.",
            "The [Department of Defense:ORG] said; a [DOD:ORG] aide and [DoD:ORG] staff. The [Internet Research Agency:ORG] or [IRA:ORG].",
            "The [Federal Security Service:ORG] (FSB) acted.",
            "[FSB:ORG] agents and [NATO:ORG].",
        ],
        &[],
        "ORG North Atlantic Treaty Organization: NATO, North Atlantic Treaty Organization [0 3] intergovernmental
         ORG Department of Defense: DOD, Department of Defense, DoD [1] government
         ORG Internet Research Agency: IRA, Internet Research Agency [1]
         ORG Federal Security Service: FSB, Federal Security Service [2 3] government",
    );
}

#[test]
fn ambiguous_acronym_across_documents_stays_apart() {
    check(
        &[
            "The [Internet Research Agency:ORG] ([IRA:ORG]).",
            "The [Irish Republican Army:ORG] ([IRA:ORG]).",
            "The [IRA:ORG] said.",
        ],
        &[],
        "ORG Internet Research Agency: IRA, Internet Research Agency [0]
         ORG Irish Republican Army: IRA, Irish Republican Army [1] military
         ORG IRA: IRA [2]",
    );
}

#[test]
fn possessives_and_quotes_leave_names() {
    check(
        &["The [Wagner Group's:ORG] men. “[Wagner Group:ORG]” fighters. [Belarus’:GPE] army and [Belarus:GPE]."],
        &[],
        "ORG Wagner Group: Wagner Group [0]
         GPE Belarus: Belarus [0]",
    );
}

#[test]
fn titles_are_roles_not_names() {
    check(
        &["[Defense Minister Sergei Shoigu:PER] spoke. [Sergei Shoigu:PER] left."],
        &[],
        "PERSON Sergei Shoigu: Sergei Shoigu [0]",
    );
    check_roles(
        "[Defense Minister Sergei Shoigu:PER] spoke, and [Kremlin:ORG] spokesperson [Dmitry Peskov:PER] agreed \
         with [Russia:GPE]'s defence minister [Sergey Shoigu:PER].",
        "Defense Minister Sergei Shoigu: Defense Minister
         Dmitry Peskov: spokesperson [Kremlin]
         Sergey Shoigu: defence minister [Russia]",
    );
    check_roles(
        "He called [Anton Vayno:PER], who is chief of staff to the [Russian:NORP] leader. \
         [Tatiana Stanovaya:PER], a political consultant and founder of [R. Politik:ORG], said so.",
        "Anton Vayno: chief of staff
         Tatiana Stanovaya: political consultant
         Tatiana Stanovaya: founder [R. Politik]",
    );
}

#[test]
fn epithets_become_aliases_of_the_person() {
    check(
        &[
            "Officials tied [Boris Kalin:PER], dubbed “[Putin:PER]'s cook”, to [Putin:PER].",
            "The man known as “Putin's cook” met [Kalin:PER]. [Putin's cook:PER] denied it.",
        ],
        &[],
        "PERSON Boris Kalin: Boris Kalin, Kalin, Putin's cook [0 1]
         PERSON Putin: Putin [0]",
    );
}

// Rule 2: across documents.

#[test]
fn transliteration_variants_are_one_actor() {
    check(
        &[
            "[Sergei Shoigu:PER] and [Yevgeny Prigozhin:PER] met [Yury Ushakov:PER], [Anton Vayno:PER], [Alexey Dyumin:PER] and [Dmitry Peskov:PER].",
            "[Sergey Shoigu:PER] and [Evgeny Prigozhin:PER] met [Yuri Ushakov:PER], [Anton Vaino:PER], [Aleksey Dyumin:PER] and [Dmitri Peskov:PER].",
            "[Yevgeniy Prigozhin:PER], [Evgeniy Prigozhin:PER], [Yuriy Ushakov:PER], [Alexei Dyumin:PER], [Dmitriy Peskov:PER].",
        ],
        &[],
        "PERSON Sergei Shoigu: Sergei Shoigu, Sergey Shoigu [0 1]
         PERSON Evgeniy Prigozhin: Evgeniy Prigozhin, Evgeny Prigozhin, Yevgeniy Prigozhin, Yevgeny Prigozhin [0 1 2]
         PERSON Yuri Ushakov: Yuri Ushakov, Yuriy Ushakov, Yury Ushakov [0 1 2]
         PERSON Anton Vaino: Anton Vaino, Anton Vayno [0 1]
         PERSON Aleksey Dyumin: Aleksey Dyumin, Alexei Dyumin, Alexey Dyumin [0 1 2]
         PERSON Dmitri Peskov: Dmitri Peskov, Dmitriy Peskov, Dmitry Peskov [0 1 2]",
    );
}

#[test]
fn shared_first_name_or_shared_word_never_merges() {
    check(
        &[
            "[Dmitry Peskov:PER] spoke. [Belarus’ defense ministry:ORG] and [Belarus:GPE]. The [Washington Post:ORG].",
            "[Dmitry Utkin:PER] fought. [Belarus:GPE] agreed. The [Washington Examiner:ORG] and [Washington:GPE].",
        ],
        &[],
        "PERSON Dmitry Peskov: Dmitry Peskov [0]
         ORG Belarus’ defense ministry: Belarus’ defense ministry [0] government
         GPE Belarus: Belarus [0 1]
         ORG Washington Post: Washington Post [0] media
         PERSON Dmitry Utkin: Dmitry Utkin [1]
         ORG Washington Examiner: Washington Examiner [1] media
         GPE Washington: Washington [1]",
    );
}

#[test]
fn org_forms_match_across_documents_by_signature() {
    check(
        &[
            "The [Ministry of Defence of Belarus:ORG] said.",
            "[Belarus’ defense ministry:ORG] and the [Belarusian defense ministry:ORG].",
            "[Wagner:ORG] and [PMC Wagner:ORG].",
            "The [Wagner Group:ORG] and the [Wagner Group:ORG].",
        ],
        &[],
        "ORG Belarus’ defense ministry: Belarusian defense ministry, Belarus’ defense ministry, Ministry of Defence of Belarus [0 1] government
         ORG Wagner Group: PMC Wagner, Wagner, Wagner Group [2 3] armed_group",
    );
}

#[test]
fn lone_surname_joins_only_a_unique_full_name_in_the_corpus() {
    check(
        &[
            "[Vladimir Putin:PER] spoke.",
            "[Putin:PER] agreed.",
            "[Zorin:PER] and [Zorin:PER].",
            "Then [Zorin:PER] left.",
        ],
        &[],
        "PERSON Vladimir Putin: Putin, Vladimir Putin [0 1]
         PERSON Zorin: Zorin [2 3]",
    );
    check(
        &[
            "[Vladimir Putin:PER] spoke.",
            "[Putin:PER] agreed.",
            "[Igor Putin:PER] sang.",
        ],
        &[],
        "PERSON Vladimir Putin: Vladimir Putin [0]
         PERSON Putin: Putin [1]
         PERSON Igor Putin: Igor Putin [2]",
    );
}

#[test]
fn places_of_one_class_merge_across_gpe_loc_fac() {
    check(
        &[
            "The [Bocharov Ruchei residence:FAC] in [Sochi:GPE].",
            "At [Bocharov Ruchei:LOC] near [Sochi:GPE].",
        ],
        &[],
        "LOC Bocharov Ruchei residence: Bocharov Ruchei, Bocharov Ruchei residence [0 1]
         GPE Sochi: Sochi [0 1]",
    );
}

#[test]
fn near_misses_need_type_and_context() {
    // Same document: context agrees.
    check(
        &["The [Wagner Group:ORG] and [Vagner:ORG] and the [Wager Group:ORG] and the [Wagner Group:ORG]."],
        &[],
        "ORG Wagner Group: Vagner, Wager Group, Wagner Group [0]",
    );
    // Across documents: the same head word ("group") agrees.
    check(
        &[
            "The [Wagner Group:ORG] fought the [Wagner Group:ORG].",
            "The [Wager Group:ORG] fought.",
        ],
        &[],
        "ORG Wagner Group: Wager Group, Wagner Group [0 1]",
    );
    // Across documents: a shared co-occurring actor agrees; none, no merge.
    check(
        &[
            "The [Wagner Group:ORG] and [Evgeny Prigozhin:PER].",
            "[Vagner:ORG] and [Yevgeny Prigozhin:PER].",
            "[Wagnar:ORG] sang.",
        ],
        &[],
        "ORG Wagner Group: Vagner, Wagner Group [0 1]
         PERSON Evgeny Prigozhin: Evgeny Prigozhin, Yevgeny Prigozhin [0 1]
         ORG Wagnar: Wagnar [2]",
    );
    // Types must agree; and short tokens need a v/w swap, not any edit.
    check(
        &["The [Wagner Group:ORG], [Vagner:PER] and [Vagnar:ORG]; [Ivan Berg:PER] and [Ivan Berk:PER]."],
        &[],
        "ORG Wagner Group: Wagner Group [0]
         PERSON Vagner: Vagner [0]
         ORG Vagnar: Vagnar [0]
         PERSON Ivan Berg: Ivan Berg [0]
         PERSON Ivan Berk: Ivan Berk [0]",
    );
}

// Rule 4: human judgements.

#[test]
fn judgements_merge_split_and_keep_apart() {
    let docs = [
        "The [Wagner Group:ORG] and [Vagner:ORG].",
        "[Concord:ORG] paid the [Wagner Group:ORG].",
    ];
    check(
        &docs,
        &[Merge("Wagner Group".into(), "Concord".into())],
        "ORG Wagner Group: Concord, Vagner, Wagner Group [0 1]",
    );
    check(
        &docs,
        &[Split {
            entity: "Wagner Group".into(),
            alias: "vagner".into(),
        }],
        "ORG Wagner Group: Wagner Group [0 1]
         ORG Vagner: Vagner [0]
         ORG Concord: Concord [1]",
    );
    check(
        &docs,
        &[Distinct("Wagner Group".into(), "Vagner".into()), Merge("Vagner".into(), "the Wagner Group’s".into())],
        "ORG Wagner Group: Wagner Group [0 1]
         ORG Vagner: Vagner [0]
         ORG Concord: Concord [1]
         conflict 1: merging \"Vagner\" and \"the Wagner Group’s\" would break a distinct or split judgement",
    );
    check(
        &docs,
        &[
            Merge("Wagner Group".into(), "Nobody".into()),
            Split {
                entity: "Concord".into(),
                alias: "Concord".into(),
            },
        ],
        "ORG Wagner Group: Vagner, Wagner Group [0 1]
         ORG Concord: Concord [1]
         conflict 0: no entity is called \"Nobody\"
         conflict 1: no entity called \"Concord\" has other names than \"Concord\" to keep",
    );
}

#[test]
fn distinct_holds_against_surname_rules() {
    check(
        &["[Ivan Petrov:PER] spoke.", "[Petrov:PER] agreed."],
        &[Distinct("Ivan Petrov".into(), "Petrov".into())],
        "PERSON Ivan Petrov: Ivan Petrov [0]
         PERSON Petrov: Petrov [1]",
    );
}

// Rule 5: determinism.

#[test]
fn same_input_same_output_and_ids_survive_reordering() {
    let docs = [
        "[Sergei Shoigu:PER] met [Putin:PER] and [Vladimir Putin:PER] in [Moscow:GPE].",
        "[Sergey Shoigu:PER], the [Wagner Group:ORG] and [Vagner:ORG].",
        "[NATO:ORG] and the [North Atlantic Treaty Organization:ORG] ([NATO:ORG]).",
    ];
    let (_, a) = run(&docs, &[]);
    let (_, b) = run(&docs, &[]);
    assert_eq!(a, b);
    let reversed: Vec<&str> = docs.iter().rev().copied().collect();
    let (_, c) = run(&reversed, &[]);
    let ids = |r: &Resolution| {
        let mut v: Vec<(String, String)> = r
            .entities
            .iter()
            .map(|e| (e.id().0.clone(), e.name().to_string()))
            .collect();
        v.sort();
        v
    };
    assert_eq!(ids(&a), ids(&c));
    assert!(a
        .entities
        .iter()
        .all(|e| e.id().0.starts_with('e') && e.id().0.len() == 17));
}

#[test]
fn same_canonical_name_gets_distinct_ids() {
    let (_, res) = run(
        &[
            "[Vladimir Putin:PER]. [Putin:PER].",
            "[Igor Putin:PER]. [Putin:PER].",
        ],
        &[],
    );
    let ids: Vec<&str> = res.entities.iter().map(|e| e.id().0.as_str()).collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(ids.len(), unique.len(), "{ids:?}");
}

// Robustness: random input never panics and every mention lands once.

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn etype() -> impl Strategy<Value = EntityType> {
        prop::sample::select(EntityType::ALL.to_vec())
    }

    fn name() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(vec![
                "Wagner",
                "Vagner",
                "Wager Group",
                "Wagner Group",
                "Putin",
                "Vladimir Putin",
                "Igor Putin",
                "NATO",
                "North Atlantic Treaty Organization",
                "Sergei Shoigu",
                "Sergey Shoigu",
                "Shoigu",
                "the group",
                "’s",
                "“",
                "",
                " ",
                "U.S.",
                "Belarus’",
                "Mr.",
                "Defense Minister",
                "é",
            ])
            .prop_map(String::from),
            "\\PC{0,12}",
        ]
    }

    fn doc() -> impl Strategy<Value = (String, Vec<Mention>)> {
        (
            "\\PC{0,80}",
            prop::collection::vec((0usize..100, 0usize..30, name(), etype()), 0..12),
        )
            .prop_map(|(text, raw)| {
                let mentions = raw
                    .into_iter()
                    .map(|(start, len, text, etype)| Mention {
                        start,
                        end: start + len,
                        text,
                        etype,
                        sentence: 0,
                    })
                    .collect();
                (text, mentions)
            })
    }

    proptest! {
        #[test]
        fn every_mention_in_exactly_one_entity(docs in prop::collection::vec(doc(), 0..6), judge in 0usize..4) {
            let inputs: Vec<DocInput<'_>> = docs.iter().map(|(t, m)| DocInput { text: t, mentions: m }).collect();
            let judgements = match judge {
                0 => vec![],
                1 => vec![Merge("Wagner".into(), "Putin".into())],
                2 => vec![Split { entity: "Wagner Group".into(), alias: "Vagner".into() }],
                _ => vec![Distinct("Vagner".into(), "Wagner".into()), Merge("Vagner".into(), "Wagner".into())],
            };
            let res = resolve(&inputs, &judgements, &Config::default());
            let mut seen: Vec<Vec<usize>> = docs.iter().map(|(_, m)| vec![0; m.len()]).collect();
            for e in &res.entities {
                prop_assert!(!e.mentions().is_empty());
                for m in e.mentions() {
                    seen[m.doc][m.mention] += 1;
                }
            }
            prop_assert!(seen.iter().flatten().all(|&n| n == 1));
            let again = resolve(&inputs, &judgements, &Config::default());
            prop_assert_eq!(res, again);
        }
    }
}
