//! Actors for dossier: from typed mentions to corpus-level entities.
//!
//! The input is, per document, its text and the typed name mentions a NER
//! found in it ([`Mention`]); the output ([`Resolution`]) is one [`Entity`]
//! per real-world actor across the whole corpus, with every alias seen and
//! every mention, plus the roles read around person mentions ([`Role`]) and
//! the judgements that could not be honoured ([`Conflict`]).
//!
//! The key design choice: **one constrained union-find over "units", fed by
//! keyed blocks, never by pairwise comparison.** A unit is the set of
//! mentions of one document that share a type and a normalised name. Every
//! rule turns a unit into a few string keys (the transliteration key of a
//! full person name, the distinctive-word signature of an organisation, a
//! surname, an acronym, a masked near-miss variant) and only units that share
//! a key are ever compared, so the cost is linear in the number of mentions
//! (times the few keys each has). The rules run in a fixed order:
//!
//! 1. *strong keys*, corpus-wide: full person names by first+last
//!    transliteration key, organisations by their set of distinctive words
//!    ("Wagner", "Wagner Group", "PMC Wagner" and "Wagner private military
//!    company" share `{wagner}`), places, nationalities and products by their
//!    words, epithets;
//! 2. *within a document*: short names join the one full name they end
//!    ("Shoigu" to "Sergei Shoigu"), acronyms their expansion (parenthesised,
//!    or initials), epithets ("dubbed \"the chef\"") the person they describe;
//! 3. *weak keys* across documents: a lone surname or acronym joins the one
//!    entity in the corpus that owns it, and nothing when two do;
//! 4. *near misses* ("Vagner", "Wager Group"): one token at edit distance 1
//!    (length >= 5) or a v/w swap, same type, and agreeing context (same
//!    document, same organisation head word, or a shared co-occurring
//!    person/organisation that is rare: in at most 1% of documents, or 5);
//! 5. human [`Judgement`]s: `Distinct` and `Split` are constraints the
//!    union-find refuses to break; `Merge` is applied last and reported as a
//!    [`Conflict`] when a constraint forbids it.
//!
//! Everything is deterministic: the same input gives the same entities, ids
//! and order. Nothing here does IO or fails: bad spans only lose context.
#![deny(missing_docs)]

mod context;
mod names;
mod resolve;
mod unionfind;

pub use names::within_one_edit;
pub use resolve::resolve;

/// The type of a named mention or entity (the ONTOLOGY's entity types).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityType {
    /// A named person.
    Person,
    /// An organisation.
    Org,
    /// A country, city or region with a government.
    Gpe,
    /// A place without a government.
    Loc,
    /// A building, base, camp, airport.
    Fac,
    /// A nationality, religious or political group.
    Norp,
    /// A named weapon, vehicle or product.
    Product,
}

impl EntityType {
    /// Every type, in the order used to break ties.
    pub const ALL: [EntityType; 7] = [
        EntityType::Person,
        EntityType::Org,
        EntityType::Gpe,
        EntityType::Loc,
        EntityType::Fac,
        EntityType::Norp,
        EntityType::Product,
    ];

    /// The upper-case label used in exports: `PERSON`, `ORG`, ...
    pub fn label(self) -> &'static str {
        match self {
            EntityType::Person => "PERSON",
            EntityType::Org => "ORG",
            EntityType::Gpe => "GPE",
            EntityType::Loc => "LOC",
            EntityType::Fac => "FAC",
            EntityType::Norp => "NORP",
            EntityType::Product => "PRODUCT",
        }
    }

    /// Places (GPE, LOC, FAC) form one class: a name tagged GPE in one
    /// document and LOC in another is still one place.
    pub(crate) fn class(self) -> char {
        match self {
            EntityType::Person => 'P',
            EntityType::Org => 'O',
            EntityType::Gpe | EntityType::Loc | EntityType::Fac => 'L',
            EntityType::Norp => 'N',
            EntityType::Product => 'R',
        }
    }
}

/// The kind of an organisation (ONTOLOGY: ORG `kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OrgKind {
    /// Mercenaries, militias, private military companies.
    ArmedGroup,
    /// State armed forces.
    Military,
    /// Government bodies.
    Government,
    /// Companies.
    Company,
    /// News media.
    Media,
    /// Political parties.
    Party,
    /// Alliances and intergovernmental bodies.
    Intergovernmental,
    /// Non-governmental organisations.
    Ngo,
    /// Known to be an organisation of some other kind.
    Other,
}

impl OrgKind {
    /// The snake-case label used in exports: `armed_group`, `media`, ...
    pub fn label(self) -> &'static str {
        match self {
            OrgKind::ArmedGroup => "armed_group",
            OrgKind::Military => "military",
            OrgKind::Government => "government",
            OrgKind::Company => "company",
            OrgKind::Media => "media",
            OrgKind::Party => "party",
            OrgKind::Intergovernmental => "intergovernmental",
            OrgKind::Ngo => "ngo",
            OrgKind::Other => "other",
        }
    }
}

/// One typed name mention in a document, as the NER found it.
///
/// `start..end` are byte offsets into the document's text; they are used
/// only to read context (titles, appositions, parenthesised acronyms,
/// epithets). A span that is out of range or not on character boundaries
/// is tolerated: the mention still resolves, by its `text`, without context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// The surface text (normally `doc.text[start..end]`).
    pub text: String,
    /// The NER type.
    pub etype: EntityType,
    /// Index of the sentence the mention is in.
    pub sentence: usize,
}

/// One document to resolve: its text and its mentions.
#[derive(Clone, Copy, Debug)]
pub struct DocInput<'a> {
    /// The document's text, into which mention spans point.
    pub text: &'a str,
    /// The document's mentions, in any order.
    pub mentions: &'a [Mention],
}

/// A mention in the output: which document (index into the input slice),
/// which mention of it (index into its `mentions`), and its byte span.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MentionRef {
    /// Index of the document in the input slice.
    pub doc: usize,
    /// Index of the mention in that document's `mentions`.
    pub mention: usize,
    /// Byte start of the mention.
    pub start: usize,
    /// Byte end of the mention.
    pub end: usize,
}

/// A stable entity id: `e` and 16 hex digits of a hash of the type and the
/// normalised canonical name (with `-2`, `-3`, ... when two entities share
/// both, in order of first mention).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntityId(pub String);

impl std::fmt::Display for EntityId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// One corpus-level actor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entity {
    pub(crate) id: EntityId,
    pub(crate) etype: EntityType,
    pub(crate) name: String,
    pub(crate) aliases: Vec<String>,
    pub(crate) mentions: Vec<MentionRef>,
    pub(crate) kind: Option<OrgKind>,
}

impl Entity {
    /// The id, derived from the type and the canonical name.
    pub fn id(&self) -> &EntityId {
        &self.id
    }
    /// The type most of its mentions carry.
    pub fn etype(&self) -> EntityType {
        self.etype
    }
    /// The canonical name: the most frequent of the fullest forms seen.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// Every surface form seen (cleaned of titles, quotes and possessives),
    /// plus epithets and parenthesised acronyms; deduplicated and sorted.
    pub fn aliases(&self) -> &[String] {
        &self.aliases
    }
    /// Every mention, sorted by document, start, end.
    pub fn mentions(&self) -> &[MentionRef] {
        &self.mentions
    }
    /// For an ORG, the kind its names or appositions tell, if any.
    pub fn kind(&self) -> Option<OrgKind> {
        self.kind
    }
}

/// A role read around a person mention: a title before the name ("Defense
/// Minister Sergei Shoigu", "Kremlin spokesperson Dmitry Peskov") or an
/// apposition after it ("Anton Vayno, who is chief of staff to ...",
/// "Tatiana Stanovaya, a political consultant and founder of R. Politik").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Role {
    /// The person mention.
    pub mention: MentionRef,
    /// The role as written: "Defense Minister", "chief of staff".
    pub role_text: String,
    /// Byte span of the role text in the document.
    pub role_span: (usize, usize),
    /// The organisation, place or person served, when a mention names it
    /// ("Kremlin" in "Kremlin spokesperson", "Russia" in "Russia's defence
    /// minister", "R. Politik" in "founder of R. Politik").
    pub org_mention: Option<MentionRef>,
}

/// A human judgement, naming entities by canonical name or alias (not by id,
/// which may change). Names are compared after normalisation (case, quotes,
/// leading "the", possessive).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Judgement {
    /// The entities named `a` and `b` are one actor.
    Merge(String, String),
    /// The mentions whose alias is `alias` leave the entity named `entity`
    /// and form an entity of their own.
    Split {
        /// Canonical name or alias of the entity to split.
        entity: String,
        /// The alias whose mentions leave it.
        alias: String,
    },
    /// Whatever is called `a` and whatever is called `b` are never one entity.
    Distinct(String, String),
}

/// A judgement that could not be applied as given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    /// Index of the judgement in the input slice.
    pub judgement: usize,
    /// Why, in words.
    pub reason: String,
}

/// The output of [`resolve`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Resolution {
    /// The entities, ordered by first mention (document, start, end).
    pub entities: Vec<Entity>,
    /// The roles found, ordered by mention.
    pub roles: Vec<Role>,
    /// Judgements that could not be honoured, in judgement order.
    pub conflicts: Vec<Conflict>,
}

impl Resolution {
    /// Index of the entity holding a mention, for every mention of every
    /// document: `entity_of[doc][mention]`.
    pub fn entity_of(&self, docs: &[DocInput<'_>]) -> Vec<Vec<Option<usize>>> {
        let mut out: Vec<Vec<Option<usize>>> =
            docs.iter().map(|d| vec![None; d.mentions.len()]).collect();
        for (entity_idx, e) in self.entities.iter().enumerate() {
            for m in &e.mentions {
                if let Some(slot) = out.get_mut(m.doc).and_then(|d| d.get_mut(m.mention)) {
                    *slot = Some(entity_idx);
                }
            }
        }
        out
    }
}

/// Knobs of the resolver. `Config::default()` is what the pipeline uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// Whether near-miss spellings (edit distance 1, v/w) may merge.
    pub near_misses: bool,
    /// Shortest token (in characters) an edit-distance-1 near miss may touch.
    pub near_miss_min_len: usize,
    /// How many units per entity a near-miss context check looks at (bounds
    /// the cost when an entity has thousands of mentions).
    pub context_sample: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            near_misses: true,
            near_miss_min_len: 5,
            context_sample: 8,
        }
    }
}
