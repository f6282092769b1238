//! The words the fact stage reads: event triggers (from the CAMEO verb dictionary mapped
//! onto PLOVER, built by `scripts/make_triggers.py`, plus the nominal and common verbal
//! triggers of the PLOVER codebook's category definitions), reporting verbs, modality
//! cues, titles, and the verbs and nouns of standing relations. Every list here is
//! general English; none is taken from a particular article.

use rustc_hash::FxHashMap;
use std::sync::OnceLock;

/// An event reading of a trigger word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventSense {
    /// PLOVER type.
    pub etype: &'static str,
    /// PLOVER mode, empty when none.
    pub mode: String,
    /// Words that must occur near the trigger for this sense (empty: the default).
    pub cues: Vec<String>,
}

/// The CAMEO-derived verb lexicon: lemma -> senses (defaults first, then patterns).
pub struct Triggers {
    verbs: FxHashMap<String, Vec<EventSense>>,
}

static TRIGGERS: OnceLock<Triggers> = OnceLock::new();

const TRIGGERS_ZST: &[u8] = include_bytes!("../data/triggers.tsv.zst");

fn intern(t: &str) -> Option<&'static str> {
    const TYPES: [&str; 16] = [
        "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT", "THREATEN",
        "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
    ];
    TYPES.iter().copied().find(|x| *x == t)
}

impl Triggers {
    /// The embedded lexicon (decoded once).
    pub fn get() -> &'static Triggers {
        TRIGGERS.get_or_init(|| {
            let text = zstd::decode_all(TRIGGERS_ZST).map(String::from_utf8);
            let text = match text {
                Ok(Ok(t)) => t,
                _ => String::new(),
            };
            Triggers::parse(&text)
        })
    }

    /// Parses `lemma<TAB>cues<TAB>TYPE<TAB>mode` lines.
    pub fn parse(text: &str) -> Triggers {
        let mut verbs: FxHashMap<String, Vec<EventSense>> = FxHashMap::default();
        for line in text.lines() {
            if line.starts_with('#') {
                continue;
            }
            let mut f = line.split('\t');
            let (Some(lemma), Some(cues), Some(t), mode) = (f.next(), f.next(), f.next(), f.next()) else { continue };
            let Some(etype) = intern(t) else { continue };
            let sense = EventSense {
                etype,
                mode: mode.unwrap_or("").to_string(),
                cues: cues.split_whitespace().map(String::from).collect(),
            };
            verbs.entry(lemma.to_string()).or_default().push(sense);
        }
        for v in verbs.values_mut() {
            v.sort_by_key(|s| !s.cues.is_empty());
        }
        Triggers { verbs }
    }

    /// The senses of a verb lemma (or "verb particle").
    pub fn senses(&self, lemma: &str) -> &[EventSense] {
        self.verbs.get(lemma).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Number of verbs.
    pub fn len(&self) -> usize {
        self.verbs.len()
    }

    /// Whether empty.
    pub fn is_empty(&self) -> bool {
        self.verbs.is_empty()
    }
}

/// Verbs whose common reading PLOVER's category definitions give directly; they win over
/// the CAMEO default, whose defaults for frequent verbs are often a rare sense.
/// (lemma, type, mode).
pub const VERB_EVENTS: &[(&str, &str, &str)] = &[
    ("meet", "CONSULT", "meeting"),
    ("talk", "CONSULT", "meeting"),
    ("negotiate", "CONSULT", "meeting"),
    ("confer", "CONSULT", "meeting"),
    ("visit", "CONSULT", "visit"),
    ("host", "CONSULT", "visit"),
    ("call", "CONSULT", "phone"),
    ("phone", "CONSULT", "phone"),
    ("telephone", "CONSULT", "phone"),
    ("text", "CONSULT", "phone"),
    ("mediate", "CONSULT", "mediate"),
    ("agree", "AGREE", ""),
    ("sign", "AGREE", ""),
    ("pledge", "AGREE", ""),
    ("promise", "AGREE", ""),
    ("endorse", "SUPPORT", ""),
    ("praise", "SUPPORT", ""),
    ("back", "SUPPORT", ""),
    ("recognize", "SUPPORT", ""),
    ("recognise", "SUPPORT", ""),
    ("defend", "SUPPORT", ""),
    ("cooperate", "COOPERATE", ""),
    ("collaborate", "COOPERATE", ""),
    ("partner", "COOPERATE", ""),
    ("train", "COOPERATE", "military"),
    ("buy", "COOPERATE", "economic"),
    ("trade", "COOPERATE", "economic"),
    ("aid", "AID", ""),
    ("help", "AID", ""),
    ("assist", "AID", ""),
    ("supply", "AID", ""),
    ("provide", "AID", ""),
    ("deliver", "AID", ""),
    ("arm", "AID", "military"),
    ("protect", "AID", "military"),
    ("donate", "AID", "economic"),
    ("lend", "AID", "economic"),
    ("concede", "CONCEDE", ""),
    ("yield", "CONCEDE", ""),
    ("surrender", "CONCEDE", ""),
    ("release", "CONCEDE", ""),
    ("withdraw", "RETREAT", "withdraw"),
    ("retreat", "RETREAT", "withdraw"),
    ("pull", "RETREAT", "withdraw"),
    ("ask", "REQUEST", ""),
    ("request", "REQUEST", ""),
    ("appeal", "REQUEST", ""),
    ("urge", "REQUEST", ""),
    ("demand", "REQUEST", ""),
    ("seek", "REQUEST", ""),
    ("plead", "REQUEST", ""),
    ("accuse", "ACCUSE", "allege"),
    ("blame", "ACCUSE", "allege"),
    ("criticize", "ACCUSE", "disapprove"),
    ("criticise", "ACCUSE", "disapprove"),
    ("condemn", "ACCUSE", "disapprove"),
    ("investigate", "ACCUSE", "investigate"),
    ("probe", "ACCUSE", "investigate"),
    ("charge", "ACCUSE", "allege"),
    ("indict", "ACCUSE", "allege"),
    ("deny", "REJECT", ""),
    ("reject", "REJECT", ""),
    ("refuse", "REJECT", ""),
    ("veto", "REJECT", ""),
    ("dismiss", "REJECT", ""),
    ("threaten", "THREATEN", ""),
    ("warn", "THREATEN", ""),
    ("protest", "PROTEST", "demo"),
    ("rally", "PROTEST", "demo"),
    ("demonstrate", "PROTEST", "demo"),
    ("strike", "ASSAULT", ""),
    ("mutiny", "PROTEST", ""),
    ("rebel", "PROTEST", ""),
    ("sanction", "SANCTION", ""),
    ("expel", "SANCTION", ""),
    ("ban", "SANCTION", ""),
    ("embargo", "SANCTION", ""),
    ("boycott", "SANCTION", ""),
    ("deploy", "MOBILIZE", ""),
    ("mobilize", "MOBILIZE", ""),
    ("mobilise", "MOBILIZE", ""),
    ("recruit", "MOBILIZE", ""),
    ("station", "MOBILIZE", ""),
    ("mass", "MOBILIZE", ""),
    ("send", "MOBILIZE", ""),
    ("arrest", "COERCE", "arrest"),
    ("detain", "COERCE", "arrest"),
    ("seize", "COERCE", "seize"),
    ("interfere", "COERCE", ""),
    ("abduct", "COERCE", "abduct"),
    ("kidnap", "COERCE", "abduct"),
    ("attack", "ASSAULT", ""),
    ("invade", "ASSAULT", ""),
    ("bomb", "ASSAULT", "aerial"),
    ("shell", "ASSAULT", "heavy-weapons"),
    ("kill", "ASSAULT", ""),
    ("assault", "ASSAULT", ""),
    ("fight", "ASSAULT", ""),
    ("raid", "ASSAULT", ""),
    ("intervene", "ASSAULT", ""),
    ("wage", "ASSAULT", ""),
    ("shoot", "ASSAULT", ""),
];

/// Nouns that name an event (lemma, type, mode).
pub const NOUN_EVENTS: &[(&str, &str, &str)] = &[
    ("call", "CONSULT", "phone"),
    ("conversation", "CONSULT", "phone"),
    ("phone", "CONSULT", "phone"),
    ("meeting", "CONSULT", "meeting"),
    ("talk", "CONSULT", "meeting"),
    ("talks", "CONSULT", "meeting"),
    ("summit", "CONSULT", "meeting"),
    ("negotiation", "CONSULT", "meeting"),
    ("visit", "CONSULT", "visit"),
    ("mediation", "CONSULT", "mediate"),
    ("agreement", "AGREE", ""),
    ("deal", "AGREE", ""),
    ("accord", "AGREE", ""),
    ("treaty", "AGREE", ""),
    ("ceasefire", "AGREE", ""),
    ("truce", "AGREE", ""),
    ("cooperation", "COOPERATE", ""),
    ("collaboration", "COOPERATE", ""),
    ("partnership", "COOPERATE", ""),
    ("alliance", "COOPERATE", ""),
    ("training", "COOPERATE", "military"),
    ("aid", "AID", ""),
    ("assistance", "AID", ""),
    ("delivery", "AID", ""),
    ("shipment", "AID", ""),
    ("withdrawal", "RETREAT", "withdraw"),
    ("retreat", "RETREAT", "withdraw"),
    ("request", "REQUEST", ""),
    ("appeal", "REQUEST", ""),
    ("demand", "REQUEST", ""),
    ("accusation", "ACCUSE", "allege"),
    ("allegation", "ACCUSE", "allege"),
    ("investigation", "ACCUSE", "investigate"),
    ("indictment", "ACCUSE", "allege"),
    ("criticism", "ACCUSE", "disapprove"),
    ("denial", "REJECT", ""),
    ("rejection", "REJECT", ""),
    ("refusal", "REJECT", ""),
    ("threat", "THREATEN", ""),
    ("ultimatum", "THREATEN", ""),
    ("protest", "PROTEST", "demo"),
    ("demonstration", "PROTEST", "demo"),
    ("mutiny", "PROTEST", ""),
    ("rebellion", "PROTEST", ""),
    ("uprising", "PROTEST", ""),
    ("sanction", "SANCTION", ""),
    ("sanctions", "SANCTION", ""),
    ("embargo", "SANCTION", ""),
    ("boycott", "SANCTION", ""),
    ("deployment", "MOBILIZE", ""),
    ("mobilization", "MOBILIZE", ""),
    ("mobilisation", "MOBILIZE", ""),
    ("recruitment", "MOBILIZE", ""),
    ("buildup", "MOBILIZE", ""),
    ("arrest", "COERCE", "arrest"),
    ("detention", "COERCE", "arrest"),
    ("interference", "COERCE", ""),
    ("attack", "ASSAULT", ""),
    ("invasion", "ASSAULT", ""),
    ("offensive", "ASSAULT", ""),
    ("assault", "ASSAULT", ""),
    ("airstrike", "ASSAULT", "aerial"),
    ("bombing", "ASSAULT", "aerial"),
    ("shelling", "ASSAULT", "heavy-weapons"),
    ("raid", "ASSAULT", ""),
    ("strike", "ASSAULT", ""),
];

/// Verbs that carry a nominal trigger ("had 99 calls", "held talks", "made a request").
pub const LIGHT_VERBS: &[&str] = &[
    "have", "make", "hold", "conduct", "launch", "carry", "stage", "give", "begin", "start", "sign", "reach", "strike",
    "announce", "unveil", "receive", "host", "impose", "issue", "place", "put", "deliver", "continue", "resume", "lead",
];

/// Verbs (and "according") that attribute what follows to their subject.
pub const REPORTING: &[&str] = &[
    "say", "tell", "claim", "report", "allege", "show", "state", "announce", "add", "write", "reveal", "confirm",
    "insist", "assert", "argue", "suggest", "estimate", "note", "explain", "declare", "testify", "indicate", "acknowledge",
    "admit", "believe", "accuse", "warn", "contend", "maintain", "publish", "tweet", "post", "quote", "describe",
];

/// Reporting verbs whose claims are allegations rather than facts in the article's voice.
pub const ALLEGING: &[&str] = &["allege", "claim", "accuse", "suggest", "believe", "suspect", "contend"];

/// Governing words that deny what they govern.
pub const DENY: &[&str] = &["deny", "refute", "dismiss", "reject"];
/// Nouns of intent whose possessor or noun modifier is the actor of the "to" clause they
/// take ("Russia's plans to send", "an Iranian bid to buy").
pub const INTENT_NOUNS: &[&str] = &[
    "plan", "aim", "intention", "bid", "effort", "attempt", "push", "move", "pledge", "promise", "vow", "threat",
    "offer", "proposal", "decision", "readiness", "refusal", "failure",
];
/// Governing words of plans and intentions.
pub const PLAN: &[&str] = &["plan", "intend", "prepare", "aim", "propose", "proposal", "plot", "schedule", "expect", "vow", "pledge", "threaten", "decide", "agree", "promise"];
/// Governing words of attempts.
pub const ATTEMPT: &[&str] = &["try", "seek", "attempt", "strive", "endeavour", "endeavor", "bid", "effort", "reach"];
/// Auxiliaries, adverbs and governing words of possibility.
pub const POSSIBLE: &[&str] = &["may", "might", "could", "suggest", "appear", "seem", "likely", "possibly", "perhaps", "possible", "probably"];
/// Modifiers and governing words of allegations.
pub const ALLEGE: &[&str] = &["alleged", "allegedly", "reportedly", "purportedly", "supposedly", "suspected", "believe", "allege", "reported", "accused", "claim", "rumoured", "rumored"];
/// Negation.
pub const NEGATE: &[&str] = &["not", "never", "n't", "no"];

/// Words of a title or position ("Defense Minister", "chief of staff", "spokesperson").
pub const ROLE_HEADS: &[&str] = &[
    "president", "minister", "spokesperson", "spokesman", "spokeswoman", "chief", "head", "leader", "founder",
    "co-founder", "cofounder", "chairman", "chairwoman", "chair", "director", "commander", "general", "ambassador",
    "secretary", "envoy", "governor", "mayor", "senator", "prime", "premier", "chancellor", "king", "queen", "prince",
    "emir", "sheikh", "ceo", "boss", "owner", "officer", "official", "adviser", "advisor", "aide", "deputy", "admiral", "marshal", "representative", "lawmaker", "legislator",
    "judge", "prosecutor", "attorney", "editor", "correspondent", "analyst", "researcher", "executive", "manager",
    "administrator", "coordinator", "negotiator", "diplomat", "consul", "attache",
    "patriarch", "pope", "cardinal", "bishop", "imam", "ayatollah", "rapporteur", "inspector", "superintendent",
    "mp", "congressman", "congresswoman", "speaker", "vice-president", "vice", "ex-ambassador", "ex-president",
    "ex-minister", "ex-chief", "ex-head", "ex-leader",
];

/// Words that may stand inside a title ("Defense Minister", "former head", "deputy chief").
pub const ROLE_MODIFIERS: &[&str] = &[
    "defense", "defence", "foreign", "interior", "finance", "justice", "economy", "economic", "health", "energy",
    "trade", "prime", "deputy", "vice", "acting", "former", "ex", "senior", "top", "chief", "first", "second",
    "assistant", "associate", "executive", "military", "security", "intelligence", "national", "state", "press",
    "foreign-affairs", "general", "supreme", "commander-in-chief", "lead", "special", "interim", "then", "current",
    "de", "facto", "staff", "armed", "forces", "army", "navy", "air", "force", "spy", "agency", "service", "under",
];

/// Modifiers of a title that are not part of it ("embattled President").
pub const NOT_ROLE: &[&str] = &["embattled", "late", "ousted", "longtime", "veteran", "new", "powerful", "beleaguered", "outgoing", "incoming", "self-styled", "then-"];

/// Group nouns that stand for the actor that modifies them ("Russian forces", "Wagner soldiers", "U.S. officials").
pub const GROUP_NOUNS: &[&str] = &[
    "force", "forces", "troop", "troops", "soldier", "soldiers", "military", "army", "government", "official",
    "officials", "authority", "authorities", "leadership", "mercenary", "mercenaries", "fighter", "fighters",
    "ministry", "regime", "administration", "diplomat", "diplomats", "police", "navy", "intelligence", "agent",
    "agents", "militant", "militants", "rebel", "rebels", "leader", "leaders", "unit", "units", "personnel",
    "commander", "commanders", "operative", "operatives", "contractor", "contractors", "group", "side", "delegation",
    "envoys", "ministers", "people",
    "embassy", "consulate", "court", "prosecutors", "investigators", "lawmakers", "parliament", "state", "company",
    "firm", "convoy", "column", "battalion", "brigade", "division", "militia", "militias", "paramilitaries",
];

/// Armed personnel, units and their vehicles: a group noun whose moves are a mobilisation
/// ("Russian troops moved towards the border", "the convoy was heading to X").
pub const MILITARY_UNITS: &[&str] = &[
    "force", "forces", "troop", "troops", "soldier", "soldiers", "mercenary", "mercenaries", "fighter", "fighters",
    "unit", "units", "convoy", "column", "battalion", "brigade", "division", "regiment", "militia", "militias",
    "paramilitary", "paramilitaries", "militant", "militants", "rebel", "rebels", "army", "tank", "tanks",
    "warship", "warships", "fleet", "squadron", "platoon", "company", "detachment", "contingent",
];

/// Verbs of movement that, with armed units as subject, say the units were moved.
pub const MOTION_VERBS: &[&str] = &[
    "head", "move", "advance", "march", "roll", "drive", "travel", "proceed", "redeploy", "relocate", "converge",
    "mass", "gather", "cross", "enter", "arrive", "approach", "sail", "fly",
];

/// People signing up to fight, as the object of a verb of receiving or gathering
/// ("received 16,000 applications ... to fight", "recruited 500 volunteers").
pub const RECRUIT_NOUNS: &[&str] = &[
    "volunteer", "recruit", "applicant", "application", "conscript", "reservist", "enlistee", "draftee", "mercenary",
    "fighter",
];

/// Verbs of receiving, gathering or enlisting people.
pub const RECRUIT_VERBS: &[&str] = &[
    "receive", "get", "attract", "recruit", "enlist", "gather", "register", "draft", "sign", "hire", "collect",
    "mobilize", "mobilise", "raise",
];

/// Words that make a recruitment military ("to fight", "to join the war").
pub const COMBAT_WORDS: &[&str] = &[
    "fight", "fighting", "combat", "war", "front", "frontline", "battle", "battlefield", "army", "forces", "troops",
    "military", "militia", "defend", "defense", "defence", "conflict",
];

/// Verbs that put units somewhere; in the passive without an agent, the units' group is
/// the actor ("mercenaries from X were deployed to Y").
pub const DEPLOY_VERBS: &[&str] = &["deploy", "send", "dispatch", "station", "move", "transfer", "redeploy", "post", "fly", "ship", "airlift"];

/// Verbs that stop an act of cooperation: "suspended its military cooperation",
/// "cut off aid", "froze talks" make a sanction.
pub const STOP_VERBS: &[&str] = &["suspend", "halt", "end", "cut", "stop", "freeze", "cancel", "terminate", "withdraw", "sever", "curtail", "break", "scrap", "abandon"];

/// Verbs of receiving: "X received weapons from Y" is Y's aid to X (buying is not aid).
pub const RECEIVE_VERBS: &[&str] = &["receive", "obtain", "get", "accept", "take"];

/// What aid consists of.
pub const AID_THINGS: &[&str] = &[
    "weapon", "arms", "ammunition", "munition", "missile", "equipment", "aid", "money", "funding", "fund", "loan",
    "drone", "tank", "supply", "assistance", "support", "training", "grant", "cash", "payment", "rifle", "shell",
    "artillery", "vehicle", "fuel", "food", "medicine", "rocket", "grenade", "mortar", "bomb", "jet", "helicopter",
];

/// The military part of [`AID_THINGS`].
pub const MILITARY_THINGS: &[&str] = &[
    "weapon", "arms", "ammunition", "munition", "missile", "equipment", "drone", "tank", "training", "rifle", "shell",
    "artillery", "vehicle", "rocket", "grenade", "mortar", "bomb", "jet", "helicopter",
];

/// Nouns an anaphoric definite description uses for an earlier actor, with its type.
pub const ANAPHORS: &[(&str, &str)] = &[
    ("group", "ORG"),
    ("firm", "ORG"),
    ("company", "ORG"),
    ("organisation", "ORG"),
    ("organization", "ORG"),
    ("ministry", "ORG"),
    ("agency", "ORG"),
    ("outfit", "ORG"),
    ("militia", "ORG"),
    ("country", "GPE"),
    ("nation", "GPE"),
    ("kremlin", "ORG"),
    ("businessman", "PERSON"),
    ("president", "PERSON"),
    ("leader", "PERSON"),
    ("minister", "PERSON"),
    ("tycoon", "PERSON"),
    ("oligarch", "PERSON"),
    ("founder", "PERSON"),
    ("head", "PERSON"),
    ("boss", "PERSON"),
    ("chief", "PERSON"),
];

/// Standing relations read from a verb: (lemma, predicate).
pub const RELATION_VERBS: &[(&str, &str)] = &[
    ("lead", "leads"),
    ("head", "leads"),
    ("command", "leads"),
    ("run", "leads"),
    ("chair", "leads"),
    ("found", "founded"),
    ("co-found", "founded"),
    ("establish", "founded"),
    ("create", "founded"),
    ("fund", "funds"),
    ("finance", "funds"),
    ("bankroll", "funds"),
    ("sponsor", "funds"),
    ("own", "owns"),
    ("control", "owns"),
    ("join", "member_of"),
];

/// Standing relations read from "NOUN of X" after the subject ("a member of NATO").
pub const RELATION_NOUNS: &[(&str, &str)] = &[
    ("member", "member_of"),
    ("part", "part_of"),
    ("unit", "part_of"),
    ("subsidiary", "part_of"),
    ("branch", "part_of"),
    ("division", "part_of"),
    ("wing", "part_of"),
    ("arm", "part_of"),
    ("ally", "affiliated_with"),
    ("proxy", "affiliated_with"),
    ("affiliate", "affiliated_with"),
    ("owner", "owns"),
    ("founder", "founded"),
    ("leader", "leads"),
];

/// Nouns and verbs of links between actors ("links to", "ties with", "linked to").
pub const LINK_WORDS: &[&str] = &["link", "links", "tie", "ties", "connection", "connections", "affiliate", "associate"];

/// Verbs and nouns that put an actor in a place ("fought in", "its war in", "deployed to").
pub const PRESENCE_VERBS: &[&str] = &[
    "fight", "operate", "deploy", "station", "base", "intervene", "serve", "work", "arrive", "train", "active", "present",
    "wage", "fought", "patrol", "occupy", "enter", "land", "invade", "send",
];
/// Nouns that put an actor in a place ("its war in", "a footprint in").
pub const PRESENCE_NOUNS: &[&str] = &[
    "war", "footprint", "presence", "mission", "operation", "operations", "campaign", "deployment", "base", "bases",
    "interests", "activities", "activity", "involvement", "zone", "zones", "conflict",
];

/// Prepositions that put something in a place.
pub const IN_PLACE: &[&str] = &["in", "at", "near", "inside", "across", "throughout", "around", "outside", "within", "from"];

/// Prepositions that introduce an event's object ("with X", "to X", "against X").
pub const OBJECT_PREPS: &[&str] = &["with", "to", "against", "on", "at", "toward", "towards", "into", "for", "from", "between", "of", "upon", "over"];

/// Words that make an AID or COOPERATE military, economic or humanitarian.
pub const MODE_WORDS: &[(&str, &str)] = &[
    ("weapon", "military"),
    ("weapons", "military"),
    ("arms", "military"),
    ("troops", "military"),
    ("soldiers", "military"),
    ("military", "military"),
    ("ammunition", "military"),
    ("missiles", "military"),
    ("missile", "military"),
    ("equipment", "military"),
    ("training", "military"),
    ("train", "military"),
    ("anti-aircraft", "military"),
    ("anti-tank", "military"),
    ("tanks", "military"),
    ("drones", "military"),
    ("combat", "military"),
    ("fighters", "military"),
    ("money", "economic"),
    ("loan", "economic"),
    ("loans", "economic"),
    ("funds", "economic"),
    ("funding", "economic"),
    ("investment", "economic"),
    ("trade", "economic"),
    ("food", "humanitarian"),
    ("medicine", "humanitarian"),
    ("medical", "humanitarian"),
    ("humanitarian", "humanitarian"),
    ("refugees", "humanitarian"),
    ("intelligence", "intelligence"),
];

/// Whether `w` is in `list`.
pub fn is(list: &[&str], w: &str) -> bool {
    list.contains(&w)
}

/// The value of `w` in a (key, value) table.
pub fn lookup<'a>(table: &'a [(&'a str, &'a str)], w: &str) -> Option<&'a str> {
    table.iter().find(|(k, _)| *k == w).map(|(_, v)| *v)
}

/// The (type, mode) of a lexicon row.
pub fn lookup3(table: &'static [(&'static str, &'static str, &'static str)], w: &str) -> Option<(&'static str, &'static str)> {
    table.iter().find(|(k, _, _)| *k == w).map(|(_, t, m)| (*t, *m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_triggers_load() {
        let t = Triggers::get();
        assert!(t.len() > 1000, "{} verbs", t.len());
        assert!(t.senses("meet").iter().any(|s| s.etype == "CONSULT"));
        assert!(t.senses("invade").iter().all(|s| intern(s.etype).is_some()));
    }

    #[test]
    fn parse_skips_unknown_types() {
        let t = Triggers::parse("# header\nfoo\t\tAGREE\t\nfoo\tbar baz\tNOPE\t\nfoo\tbar\tAID\tmilitary\n");
        let s = t.senses("foo");
        assert_eq!(s.len(), 2);
        assert!(s[0].cues.is_empty());
        assert_eq!(s[1].mode, "military");
    }
}
