//! Reading claims from one document's parse.

use crate::lexicon::{self, is, Triggers};
use crate::{Claim, MentionIn, WhenOut};
use dossier_nlp::pipeline::{Annotation, Word};
use dossier_nlp::values::{count_for, Normalized, Value, ValueKind};
use std::ops::Range;

/// How an argument was found; sets the claim's confidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum How {
    /// The word is (in) the mention.
    Direct,
    /// A group noun modified by the mention ("Wagner soldiers").
    Group,
    /// A pronoun or definite description resolved to an earlier mention.
    Anaphor,
}

#[derive(Debug, Clone, Copy)]
struct Arg {
    mention: usize,
    how: How,
}

/// One document being read.
struct Doc<'d, 'a> {
    ann: &'d Annotation<'a>,
    mentions: &'d [MentionIn<'d>],
    /// Mention index of each word, if it is inside one.
    mention_at: Vec<Option<usize>>,
    /// Head of each word (global index; None at the root) and its relation, as the parse
    /// gave them after `repair`.
    heads: Vec<Option<usize>>,
    rels: Vec<&'a str>,
    /// Children of each word (global indexes).
    children: Vec<Vec<usize>>,
    /// Sentence index of each word.
    sent_of: Vec<usize>,
    /// Lowercased lemma of each word.
    lemma: Vec<String>,
    /// Lowercased form of each word.
    lower: Vec<String>,
    /// Mentions that were grammatical subjects, in text order: (word, mention).
    subjects: Vec<(usize, usize)>,
    /// The source a sentence set for its paragraph ("According to X, ..."): (paragraph, mention).
    paragraph_source: Option<(usize, usize)>,
    /// Paragraph of each sentence (a new one after a line break).
    paragraph: Vec<usize>,
    /// Named sources seen so far, in order: (word, mention).
    sources: Vec<(usize, usize)>,
    values: &'d [Value],
}

const ACTOR: &[&str] = &["PERSON", "ORG", "GPE", "NORP"];
/// Group nouns that a nationality adjective turns into its state ("Russian forces").
const STATE_NOUNS: &[&str] = &[
    "force", "troop", "soldier", "military", "army", "government", "official", "authority", "leadership", "ministry",
    "regime", "administration", "diplomat", "police", "navy", "intelligence", "embassy", "delegation", "parliament",
    "side", "state", "minister", "envoy", "personnel",
];
/// Verbs whose object is the subject of the verb they introduce ("asked Iran to stop").
const OBJECT_CONTROL: &[&str] = &["appeal", "ask", "urge", "call", "order", "tell", "persuade", "force", "press", "encourage", "invite", "request", "instruct", "allow", "help", "pressure", "push"];
/// Raising and control verbs, whose subject is the subject of the verb they introduce
/// ("is believed to have supplied", "plans to send").
const CONTROL: &[&str] = &[
    "believe", "expect", "seem", "appear", "say", "report", "think", "allege", "plan", "intend", "try", "seek",
    "attempt", "want", "agree", "decide", "continue", "begin", "start", "fail", "refuse", "manage", "hope", "aim",
    "vow", "threaten", "promise", "prepare", "suspect", "claim", "pledge", "offer", "wish", "deny", "admit", "acknowledge",
];
/// Nouns for people and bodies that are sources without a name ("according to officials").
const SOURCE_NOUNS: &[&str] = &["official", "source", "analyst", "expert", "person", "people", "estimate", "diplomat", "spokesperson", "spokesman", "witness", "resident", "observer", "monitor", "ministry", "government", "statement", "one"];
/// Nouns for documents that speak for whoever published them ("the report says").
const DOC_NOUNS: &[&str] = &[
    "report", "record", "document", "data", "email", "file", "paper", "study", "investigation", "analysis",
    "statement", "leak", "doc", "finding", "assessment", "message", "log", "dossier", "research",
];
const PLACE: &[&str] = &["GPE", "LOC", "FAC"];

/// Reads the claims of one annotated document. `mentions` are the document's stored
/// mentions (byte spans, sorted by start); claims refer to them by index.
pub fn extract(ann: &Annotation<'_>, mentions: &[MentionIn<'_>]) -> Vec<Claim> {
    let n = ann.words.len();
    if n == 0 {
        return Vec::new();
    }
    let mut doc = Doc {
        ann,
        mentions,
        mention_at: vec![None; n],
        heads: vec![None; n],
        rels: ann.words.iter().map(|w| w.deprel).collect(),
        children: vec![Vec::new(); n],
        sent_of: vec![0; n],
        lemma: ann.words.iter().map(|w| w.lemma.to_lowercase()).collect(),
        lower: (0..n).map(|i| ann.form(i).to_lowercase()).collect(),
        subjects: Vec::new(),
        paragraph_source: None,
        paragraph: Vec::with_capacity(ann.sentences.len()),
        sources: Vec::new(),
        values: &ann.values,
    };
    for (mi, m) in mentions.iter().enumerate() {
        let first = ann.words.partition_point(|w| w.token.end <= m.span.start);
        for i in first..n {
            if ann.words[i].token.start >= m.span.end {
                break;
            }
            doc.mention_at[i].get_or_insert(mi);
        }
    }
    // The first word standing for each mention (None when an earlier mention covers it all).
    let mut first_word: Vec<Option<usize>> = vec![None; mentions.len()];
    for (i, m) in doc.mention_at.iter().enumerate() {
        if let Some(m) = *m {
            first_word[m].get_or_insert(i);
        }
    }
    for (si, s) in ann.sentences.iter().enumerate() {
        for i in s.clone() {
            doc.sent_of[i] = si;
        }
    }
    for (i, w) in ann.words.iter().enumerate() {
        let sent = &ann.sentences[doc.sent_of[i]];
        doc.heads[i] = w.head.checked_sub(1).map(|h| sent.start + h).filter(|&g| g < sent.end && g != i);
    }
    repair(&ann.words, &doc.lower, &ann.sentences, &doc.sent_of, &mut doc.heads, &mut doc.rels);
    for i in 0..n {
        if let Some(h) = doc.head(i) {
            doc.children[h].push(i);
        }
    }
    let mut para = 0;
    for si in 0..ann.sentences.len() {
        if si > 0 {
            let gap = ann.sentence_span(si - 1).end..ann.sentence_span(si).start;
            if ann.text.get(gap).is_some_and(|g| g.contains('\n')) {
                para += 1;
            }
        }
        doc.paragraph.push(para);
    }
    let mut claims = Vec::new();
    for si in 0..ann.sentences.len() {
        let before = claims.len();
        doc.sentence(si, &mut claims);
        // Subjects and sources of this sentence become antecedents for the next ones.
        let s = ann.sentences[si].clone();
        for i in s.clone() {
            if doc.deprel(i).starts_with("nsubj") {
                if let Some(Arg { mention, how: How::Direct | How::Group }) = doc.mention_of(i, 0) {
                    doc.subjects.push((i, mention));
                }
            }
        }
        // "X published a report", "documents obtained by X": X is the source the
        // documents will speak for.
        for i in s.clone() {
            if doc.upos(i) == "VERB" && doc.deprel(i).starts_with("acl") && doc.head(i).is_some_and(|h| is(DOC_NOUNS, &doc.lemma[h])) {
                if let Some(a) = doc.agent(i).and_then(|c| doc.mention_of(c, 0)).filter(|a| a.how != How::Anaphor && matches!(doc.etype(a.mention), "ORG" | "PERSON")) {
                    doc.note_source(i, a.mention);
                }
            }
            if doc.upos(i) == "VERB" && matches!(doc.lemma[i].as_str(), "publish" | "release" | "issue" | "produce" | "compile" | "file" | "present" | "unveil") {
                let about_doc = doc.kid(i, "obj").is_some_and(|o| is(DOC_NOUNS, &doc.lemma[o]));
                if let Some(a) = doc.kid(i, "nsubj").and_then(|n| doc.mention_of(n, 0)).filter(|a| about_doc && a.how != How::Anaphor) {
                    doc.note_source(i, a.mention);
                }
            }
        }
        for c in &claims[before..] {
            if let Some(w) = first_word[c.subject] {
                if !doc.subjects.contains(&(w, c.subject)) {
                    doc.subjects.push((w, c.subject));
                }
            }
            if let Some(src) = c.source {
                doc.note_source(first_word[src].unwrap_or(s.start), src);
            }
        }
    }
    first_titles(&doc, claims)
}

/// Mends attachments that English word order rules out, so that the rules read who did
/// what whichever parser made the tree:
/// - a nominal object before its verb ("backed General Haftar overthrow the government"
///   parsed with Haftar as the object of "overthrow"; "insisting the businessman provides"
///   with "businessman" as the object of "provides"). Under a complement clause whose
///   governor comes before it, the word becomes the governor's object; otherwise it is the
///   verb's subject. Fronted "wh" phrases ("which weapons Russia sent") are left alone.
/// - a name taken as a compound of a later name across "and": the two are conjuncts.
/// - "X, whose/who/which ..., VERB" or "X, made up of ..., VERB" parsed with the relative
///   clause or the participle as the main one.
/// - "have" taken for the main verb before a past participle ("denied having supplied").
/// - "Name, a company ...": the indefinite phrase is the name's appositive.
/// - two adjacent nouns that are both subjects of one verb: the first modifies the second.
/// - "with X saying ...": a noun under "with" right before a participle with no subject
///   becomes that participle's subject (an absolute clause), not a modifier of what
///   came before.
fn repair<'a>(words: &[Word<'_>], lower: &[String], sentences: &[Range<usize>], sent_of: &[usize], heads: &mut [Option<usize>], rels: &mut [&'a str]) {
    let n = words.len();
    // The dependents of `v`, in order (they are all in its sentence).
    let tree: &[Option<usize>] = heads;
    let kids = move |v: usize| sentences[sent_of[v]].clone().filter(move |&k| tree[k] == Some(v));
    let wh = |i: usize| matches!(lower[i].as_str(), "who" | "whom" | "which" | "what" | "whose" | "that" | "whatever" | "whichever" | "how" | "where" | "when" | "why");
    let above = |a: usize, b: usize| is_above(heads, a, b);
    let mut moves: Vec<(usize, Option<usize>, &'a str)> = Vec::new();
    for c in 0..n {
        let Some(h) = heads[c] else { continue };
        if rels[c] != "obj" || c > h || !matches!(words[c].upos, "NOUN" | "PROPN") || words[h].upos != "VERB" {
            continue;
        }
        // "which weapons Russia sent", "what Moscow wants": a fronted wh phrase.
        let fronted = (c > 0 && wh(c - 1)) || kids(c).any(|k| wh(k) || words[k].xpos.starts_with('W'));
        if fronted {
            continue;
        }
        let g = heads[h];
        let has = |v: usize, rel: &str| kids(v).any(|k| rels[k] == rel);
        match g {
            Some(g) if matches!(rels[h], "xcomp" | "ccomp") && g < c && words[g].upos == "VERB" && !has(g, "obj") => {
                moves.push((c, Some(g), "obj"));
                moves.push((h, Some(g), "xcomp"));
            }
            _ => {
                if let Some(old) = kids(h).find(|&k| k < c && rels[k] == "nsubj") {
                    // The old subject goes to a verb between it and the new one that has
                    // none ("Wagner Group insisting the businessman provides").
                    let host = (old + 1..c).find(|&u| words[u].upos == "VERB" && !has(u, "nsubj") && !above(old, u));
                    moves.push((old, host.or(Some(h)), if host.is_some() { "nsubj" } else { "dep" }));
                }
                moves.push((c, Some(h), "nsubj"));
            }
        }
    }
    // "with Putin and Ukrainian President Zelensky" with "Putin" as a compound of
    // "Zelensky": no compound spans a coordinator, so the two are conjuncts (the first
    // takes the second's place and its preposition).
    for c in 0..n {
        let Some(h) = heads[c] else { continue };
        if rels[c] != "compound" || h <= c + 1 || words[c].upos != "PROPN" || words[h].upos != "PROPN" {
            continue;
        }
        if !(c + 1..h).any(|k| words[k].upos == "CCONJ") {
            continue;
        }
        moves.push((c, heads[h], rels[h]));
        for k in kids(h).filter(|&k| k < c && rels[k] == "case") {
            moves.push((k, Some(c), "case"));
        }
        moves.push((h, Some(c), "conj"));
    }
    // "The company, whose members are mercenaries, has fought ...": a relative clause
    // between commas taken for the main clause, its verb hung from it. The verb becomes
    // the root, the noun its subject, the relative clause the noun's.
    for r in 0..n {
        if heads[r].is_some() {
            continue;
        }
        let Some(subj) = kids(r).find(|&k| k < r && rels[k] == "nsubj" && matches!(words[k].upos, "NOUN" | "PROPN")) else { continue };
        // A relative clause ("whose", "who", "which" under the root), or a bare participle
        // right after the comma ("The column, made up of 40 trucks, was moving").
        let relative = (subj + 1..r).find(|&k| matches!(lower[k].as_str(), "who" | "whose" | "which"));
        let rel = match relative {
            Some(k) if (subj + 1..k).any(|j| lower[j] == ",") && is_above(heads, r, k) => "acl:relcl",
            Some(_) => continue,
            None => {
                // A participle the tagger may have taken for a past tense ("made" VBD),
                // then only before a verb phrase with its own auxiliary ("was moving").
                let has_aux = |v: usize| kids(v).any(|j| matches!(rels[j], "aux" | "aux:pass"));
                let later_aux = kids(r).any(|k| k > r && words[k].upos == "VERB" && has_aux(k));
                let bare = words[r].upos == "VERB"
                    && (matches!(words[r].xpos, "VBN" | "VBG") || (words[r].xpos == "VBD" && later_aux))
                    && r >= 1
                    && lower[r - 1] == ","
                    && !kids(r).any(|j| matches!(rels[j], "aux" | "aux:pass" | "cop" | "nsubj:pass"));
                if !bare {
                    continue;
                }
                "acl"
            }
        };
        let main = kids(r).find(|&k| {
            k > r && words[k].upos == "VERB" && matches!(rels[k], "parataxis" | "conj" | "ccomp" | "advcl") && !kids(k).any(|j| rels[j].starts_with("nsubj"))
        });
        let Some(main) = main else { continue };
        moves.push((subj, Some(main), "nsubj"));
        moves.push((main, None, "root"));
        moves.push((r, Some(subj), rel));
    }
    // "denied having supplied drones", "soldiers have fought": a form of "have" taken for
    // the main verb before a past participle is its auxiliary; its dependents go to the
    // participle.
    for k in 0..n.saturating_sub(1) {
        if words[k].upos != "VERB" || !matches!(lower[k].as_str(), "have" | "has" | "had" | "having") {
            continue;
        }
        let v = if words[k + 1].upos == "ADV" && k + 2 < n { k + 2 } else { k + 1 };
        if words[v].xpos != "VBN" || sent_of[v] != sent_of[k] || heads[v] == Some(k) && rels[v].starts_with("aux") {
            continue;
        }
        // Only when the participle hangs inside what "have" governs, as those mis-parses
        // do; as a noun's modifier only after "having" ("they have trained soldiers" may
        // well be a possession).
        if !is_above(heads, k, v) || (rels[v] == "amod" && lower[k] != "having") {
            continue;
        }
        moves.push((v, heads[k], rels[k]));
        moves.push((k, Some(v), "aux"));
        for j in kids(k).filter(|&j| j != v) {
            moves.push((j, Some(v), rels[j]));
        }
        if heads[v] != Some(k) {
            // The participle's old head (the object it modified) is now its object.
            if let Some(o) = heads[v].filter(|&o| heads[o] == Some(k)) {
                moves.push((o, Some(v), "obj"));
            }
        }
    }
    // "Gazprom Media, a company controlled by ...": an indefinite noun phrase right after
    // a name and a comma is the name's appositive, whatever the parse made of it.
    for c in 2..n {
        if !matches!(words[c].upos, "NOUN") || rels[c] == "appos" {
            continue;
        }
        let mut j = c - 1;
        while j > 0 && matches!(words[j].upos, "ADJ" | "NOUN" | "PROPN") && !matches!(lower[j].as_str(), "a" | "an") {
            j -= 1;
        }
        if !matches!(lower[j].as_str(), "a" | "an") || j < 2 || lower[j - 1] != "," || heads[j] != Some(c) {
            continue;
        }
        let p = j - 2;
        let named = words[p].upos == "PROPN" || kids(p).any(|q| q < p && matches!(rels[q], "compound" | "flat") && words[q].upos == "PROPN");
        if !named || sent_of[p] != sent_of[c] || heads[c] == Some(p) && rels[c] == "appos" {
            continue;
        }
        moves.push((c, Some(p), "appos"));
    }
    // "the Belarusian defense ministry announced": two adjacent nouns both taken as the
    // subject; the first modifies the second.
    for c in 1..n {
        let Some(h) = heads[c] else { continue };
        if rels[c] == "nsubj" && heads[c - 1] == Some(h) && rels[c - 1] == "nsubj" && matches!(words[c - 1].upos, "NOUN" | "PROPN") && matches!(words[c].upos, "NOUN" | "PROPN") {
            moves.push((c - 1, Some(c), "compound"));
        }
    }
    for v in 1..n {
        let w = &words[v];
        if w.upos != "VERB" || !matches!(w.xpos, "VBG" | "VBN") || kids(v).any(|k| rels[k].starts_with("nsubj")) {
            continue;
        }
        if sent_of[v - 1] != sent_of[v] {
            continue;
        }
        // The noun right before the participle, or the head of the name it ends.
        let mut x = v - 1;
        while rels[x] == "flat" && heads[x].is_some_and(|h| h < x) {
            x = heads[x].unwrap_or(x);
        }
        if !matches!(words[x].upos, "NOUN" | "PROPN") || !(rels[x].starts_with("nmod") || rels[x].starts_with("obl")) {
            continue;
        }
        let Some(case) = (0..x).rev().take(4).find(|&k| heads[k] == Some(x) && rels[k] == "case") else { continue };
        if !matches!(lower[case].as_str(), "with" | "without") || above(x, v) {
            continue;
        }
        moves.push((x, Some(v), "nsubj"));
        moves.push((case, Some(v), "mark"));
    }
    // One at a time, each only if it leaves a tree (moves found on the parse as given
    // could together close a cycle, and the rules walk up heads).
    for (w, h, rel) in moves {
        if h.is_some_and(|h| is_above(heads, w, h)) {
            continue;
        }
        heads[w] = h;
        rels[w] = rel;
    }
}

/// Whether word `a` is word `b` or above it (true as well on a cycle, to be safe).
fn is_above(heads: &[Option<usize>], a: usize, mut b: usize) -> bool {
    for _ in 0..heads.len() {
        if a == b {
            return true;
        }
        match heads[b] {
            Some(h) => b = h,
            None => return false,
        }
    }
    true
}

/// Keeps a document's first statement of each (person, title): a repeated "President X"
/// adds no information. Drops bare descriptors that are no position ("leader", "aide").
fn first_titles(doc: &Doc<'_, '_>, claims: Vec<Claim>) -> Vec<Claim> {
    const GENERIC: &[&str] = &[
        "leader", "official", "boss", "aide", "officer", "adviser", "advisor", "executive", "manager", "analyst",
        "researcher", "editor", "correspondent", "representative", "diplomat", "owner", "chief", "head",
    ];
    let mut seen: Vec<(String, String)> = Vec::new();
    claims
        .into_iter()
        .filter(|c| {
            if c.predicate != "holds_position" {
                return true;
            }
            let role = c.role.as_deref().unwrap_or("").to_lowercase();
            let last = role.split_whitespace().last().unwrap_or("");
            if c.object.is_none() && is(GENERIC, last) {
                return false;
            }
            let text = &doc.ann.text[doc.mentions[c.subject].span.clone()];
            let key = (text.split_whitespace().last().unwrap_or("").to_lowercase(), role);
            if seen.contains(&key) {
                return false;
            }
            seen.push(key);
            true
        })
        .collect()
}

impl<'d, 'a> Doc<'d, 'a> {
    fn head(&self, i: usize) -> Option<usize> {
        self.heads[i]
    }

    fn deprel(&self, i: usize) -> &str {
        self.rels[i]
    }

    fn upos(&self, i: usize) -> &str {
        self.ann.words[i].upos
    }

    fn kids(&self, i: usize) -> &[usize] {
        &self.children[i]
    }

    /// Whether word `i`'s lemma or lowercased form is in `list`.
    fn word_in(&self, list: &[&str], i: usize) -> bool {
        is(list, &self.lemma[i]) || is(list, &self.lower[i])
    }

    fn kid(&self, i: usize, rel: &str) -> Option<usize> {
        self.children[i].iter().copied().find(|&c| self.deprel(c) == rel)
    }

    fn etype(&self, m: usize) -> &str {
        self.mentions[m].etype
    }

    /// The preposition (case child) of a nominal.
    fn case_of(&self, i: usize) -> Option<&str> {
        self.children[i].iter().find(|&&c| self.deprel(c) == "case" || self.deprel(c) == "mark").map(|&c| self.lower[c].as_str())
    }

    /// Every word under `i` (including it), within its sentence.
    fn subtree(&self, i: usize) -> Vec<usize> {
        let mut out = vec![i];
        let mut k = 0;
        while k < out.len() {
            let w = out[k];
            out.extend(self.children[w].iter().copied());
            k += 1;
            if out.len() > 400 {
                break;
            }
        }
        out.sort_unstable();
        out
    }

    fn span_of(&self, words: &[usize]) -> Range<usize> {
        let (Some(&a), Some(&b)) = (words.iter().min(), words.iter().max()) else { return 0..0 };
        self.ann.words[a].token.start..self.ann.words[b].token.end
    }

    /// The actor a nominal word stands for, if any.
    fn mention_of(&self, i: usize, depth: usize) -> Option<Arg> {
        if let Some(m) = self.mention_at[i] {
            return Some(Arg { mention: m, how: How::Direct });
        }
        if depth > 2 {
            return None;
        }
        let lower = self.lower[i].as_str();
        match lower {
            "its" | "his" | "her" if self.deprel(i) == "nmod:poss" => {
                // A possessive pronoun most often points at its own clause's subject
                // ("Wagner ... reached out to Turkey to buy weapons for its war").
                let types: &[&str] = if matches!(lower, "his" | "her") { &["PERSON"] } else { &["ORG", "GPE", "NORP"] };
                let mut v = self.head(i);
                while let Some(h) = v {
                    if self.upos(h) == "VERB" {
                        break;
                    }
                    v = self.head(h);
                }
                if let Some(v) = v {
                    let own_subject = self.kids(v).iter().any(|&c| self.deprel(c).starts_with("nsubj") && self.subtree(c).contains(&i));
                    if !own_subject {
                        if let Some(a) = self.subject_of(v, 1).filter(|a| a.how != How::Anaphor && types.contains(&self.etype(a.mention))) {
                            return Some(Arg { mention: a.mention, how: How::Anaphor });
                        }
                    }
                }
                let fallback: &[&str] = if matches!(lower, "his" | "her") { &["PERSON"] } else { &["ORG", "GPE"] };
                return self.antecedent(i, fallback, None).map(|m| Arg { mention: m, how: How::Anaphor });
            }
            "he" | "him" | "his" | "she" | "her" | "himself" | "herself" => {
                return self.antecedent(i, &["PERSON"], None).map(|m| Arg { mention: m, how: How::Anaphor })
            }
            "they" | "them" | "their" | "themselves" => {
                // A plural pronoun is most often a group: an organisation before a country.
                return self
                    .antecedent(i, &["ORG"], None)
                    .or_else(|| self.antecedent(i, &["GPE", "NORP"], None))
                    .map(|m| Arg { mention: m, how: How::Anaphor });
            }
            "it" | "its" | "itself" => {
                return self.antecedent(i, &["ORG", "GPE"], None).map(|m| Arg { mention: m, how: How::Anaphor })
            }
            "who" | "which" | "that" => {
                // A relative pronoun stands for the noun its clause modifies.
                let clause = self.head(i)?;
                if self.deprel(clause).starts_with("acl") {
                    let n = self.head(clause)?;
                    // "Utkin, a former officer who founded Wagner": the appositive's name; or
                    // the name the parse made an appositive of its title ("colonel Dmitry
                    // Utkin, who ...").
                    return self.mention_of(n, depth + 1).or_else(|| self.appositive_name(n, false)).or_else(|| {
                        let c = self.kids(n).iter().copied().find(|&c| self.deprel(c) == "appos" && c < clause)?;
                        self.mention_at[c].filter(|&m| ACTOR.contains(&self.etype(m))).map(|m| Arg { mention: m, how: How::Direct })
                    });
                }
                return None;
            }
            _ => {}
        }
        if !matches!(self.upos(i), "NOUN" | "PROPN" | "ADJ") {
            return None;
        }
        // A group noun stands for the actor that modifies it ("Wagner soldiers",
        // "Russian forces", "Russia's defence ministry").
        if self.word_in(lexicon::GROUP_NOUNS, i) {
            let mut best: Option<(u8, usize)> = None;
            for &c in self.kids(i) {
                let rank = match self.deprel(c) {
                    "compound" | "flat" => 0,
                    // "Russian forces" stand for Russia; "a Russian company" does not.
                    "amod" if is(STATE_NOUNS, &self.lemma[i]) || is(STATE_NOUNS, lower.trim_end_matches('s')) => 1,
                    "nmod:poss" => 2,
                    "nmod" if matches!(self.case_of(c), Some("of" | "from")) => 3,
                    _ => continue,
                };
                let m = self.mention_at[c].or_else(|| {
                    // "the Wagner group's troops": the modifier may itself be a group noun.
                    self.mention_of(c, depth + 1).filter(|a| a.how != How::Anaphor || self.deprel(c) == "nmod:poss").map(|a| a.mention)
                });
                if let Some(m) = m {
                    if ACTOR.contains(&self.etype(m)) && best.map_or(true, |(r, _)| rank < r) {
                        best = Some((rank, m));
                    }
                }
            }
            // "the Belarusian defense ministry": the nationality may modify the noun before.
            if best.is_none() && (is(STATE_NOUNS, &self.lemma[i]) || is(STATE_NOUNS, lower.trim_end_matches('s'))) {
                for &c in self.kids(i) {
                    if self.deprel(c) != "compound" || self.upos(c) != "NOUN" || c > i {
                        continue;
                    }
                    let m = self.kids(c).iter().find_map(|&g| matches!(self.deprel(g), "amod" | "compound").then(|| self.mention_at[g]).flatten());
                    if let Some(m) = m.filter(|&m| matches!(self.etype(m), "GPE" | "NORP")) {
                        best = Some((1, m));
                    }
                }
            }
            if let Some((_, m)) = best {
                return Some(Arg { mention: m, how: How::Group });
            }
            // "The convoy ..." after "a Wagner convoy": a definite group noun stands for the
            // actor of the last same noun, in the three sentences before, that named one.
            if depth == 0 && self.kids(i).iter().any(|&c| matches!(self.lower[c].as_str(), "the" | "this" | "these")) {
                let lo = self.ann.sentences[self.sent_of[i].saturating_sub(3)].start;
                for k in (lo..i).rev() {
                    if self.lemma[k] == self.lemma[i] && self.upos(k) == "NOUN" {
                        let fits = |m: usize| {
                            let ty = self.etype(m);
                            ty != "PERSON" && lexicon::lookup(lexicon::ANAPHORS, &self.lemma[i]).map_or(true, |want| want == ty)
                        };
                        if let Some(a) = self.mention_of(k, 1).filter(|a| a.how == How::Group && fits(a.mention)) {
                            return Some(Arg { mention: a.mention, how: How::Anaphor });
                        }
                    }
                }
            }
        }
        // "the group", "the country": the last actor of that type.
        if self.kids(i).iter().any(|&c| matches!(self.lower[c].as_str(), "the" | "this" | "that")) {
            if let Some(t) = lexicon::lookup(lexicon::ANAPHORS, &self.lemma[i]) {
                let types: &[&str] = if t == "ORG" { &["ORG"] } else if t == "GPE" { &["GPE"] } else { &["PERSON"] };
                // Not the subject of the description's own clause ("the EU followed,
                // accusing the company of ..." is not the EU).
                let own = self
                    .head(i)
                    .filter(|&v| self.upos(v) == "VERB")
                    .and_then(|v| self.clause_subject(v, &["advcl", "xcomp", "conj"]))
                    .filter(|&n| n != i)
                    .and_then(|n| self.mention_at[n]);
                return self.antecedent(i, types, own).map(|m| Arg { mention: m, how: How::Anaphor });
            }
        }
        // An appositive or a name under a title ("spokesperson Dmitry Peskov", "the
        // country's spy agency the FSB").
        for &c in self.kids(i) {
            if matches!(self.deprel(c), "appos" | "flat" | "compound") {
                if let Some(m) = self.mention_at[c] {
                    let person_title = self.etype(m) == "PERSON" && is(lexicon::ROLE_HEADS, &self.lemma[i]);
                    if person_title || (self.deprel(c) == "appos" && matches!(self.etype(m), "ORG" | "GPE")) {
                        return Some(Arg { mention: m, how: How::Direct });
                    }
                }
            }
        }
        None
    }

    /// The most salient earlier mention of one of `types` for a pronoun or definite
    /// description at word `i`: in the same sentence, the nearest actor that is no
    /// possessive modifier; else, over the three sentences before, a score favouring
    /// subjects of the previous sentence and actors the document names often.
    fn antecedent(&self, i: usize, types: &[&str], exclude: Option<usize>) -> Option<usize> {
        let si = self.sent_of[i];
        let start = self.ann.sentences[si].start;
        // "it", "they": a subject earlier in the sentence before the nearest name
        // ("Russia has got hold of missiles supplied by the U.S. that it can dispatch").
        if !types.contains(&"PERSON") {
            for j in (start..i).rev() {
                if let Some(m) = self.mention_at[j] {
                    if types.contains(&self.etype(m)) && self.deprel(j) == "nsubj" && Some(m) != exclude {
                        return Some(m);
                    }
                }
            }
        }
        for j in (start..i).rev() {
            if let Some(m) = self.mention_at[j] {
                if types.contains(&self.etype(m)) && Some(m) != exclude && self.deprel(j) != "nmod:poss" && !matches!(self.lower.get(j + 1).map(String::as_str), Some("'s" | "’s")) {
                    return Some(m);
                }
            }
        }
        let lo = self.ann.sentences[si.saturating_sub(3)].start;
        let last_word = |m: usize| -> String {
            let t = &self.ann.text[self.mentions[m].span.clone()];
            let mut words = t.split_whitespace();
            let w = if self.etype(m) == "PERSON" { words.next_back() } else { words.next() };
            w.unwrap_or("").trim_end_matches("'s").trim_end_matches("’s").to_lowercase()
        };
        let mut best: Option<(f32, usize, usize)> = None;
        for j in lo..start {
            let Some(m) = self.mention_at[j] else { continue };
            if !types.contains(&self.etype(m)) || (j > 0 && self.mention_at[j - 1] == Some(m)) {
                continue;
            }
            let key = last_word(m);
            let freq = (0..i).filter(|&k| self.mention_at[k].is_some_and(|o| o != m || k == j) && (k == 0 || self.mention_at[k - 1] != self.mention_at[k]) && self.mention_at[k].is_some_and(|o| last_word(o) == key)).count() as f32;
            let subj = self.subjects.iter().any(|&(w, sm)| sm == m && w >= j && self.sent_of[w] == self.sent_of[j]);
            let recency = self.sent_of[j] as f32 - si as f32; // -3..-1
            let score = freq.min(6.0) + if subj { 2.0 } else { 0.0 } + recency + j as f32 * 1e-4;
            if best.map_or(true, |(b, _, _)| score > b) {
                best = Some((score, m, j));
            }
        }
        best.map(|(_, m, _)| m)
    }

    /// The subject of a verb (following control, coordination and relative clauses),
    /// falling back on the nearest actor before it when the parse gives none.
    fn subject_of(&self, v: usize, depth: usize) -> Option<Arg> {
        if depth > 3 {
            return None;
        }
        for &c in self.kids(v) {
            if self.deprel(c) == "nsubj" || self.deprel(c) == "csubj" {
                if let Some(a) = self.mention_of(c, 0) {
                    return Some(a);
                }
                // A subject the parse found but that names no actor ("the records"): the actor
                // right before the verb ("security forces in Guinea"), unless it is buried
                // deep inside that subject.
                if !matches!(self.upos(c), "PRON") {
                    return self.left_actor(v).filter(|a| !self.buried(a.mention, c));
                }
            }
        }
        // A passive participle's agent is its subject ("weapons supplied to Ukraine by the U.S.").
        if self.kid(v, "nsubj:pass").is_none() && self.ann.words[v].xpos == "VBN" {
            if let Some(a) = self.agent(v).and_then(|c| self.mention_of(c, 0)) {
                return Some(a);
            }
        }
        if let Some(sp) = self.kid(v, "nsubj:pass") {
            for &c in self.kids(v) {
                if self.deprel(c) == "obl:agent" || (self.deprel(c).starts_with("obl") && self.case_of(c) == Some("by")) {
                    return self.mention_of(c, 0);
                }
            }
            // "Hundreds of mercenaries from the Wagner Group have been deployed": without
            // an agent, units moved stand for their own group.
            if is(lexicon::DEPLOY_VERBS, &self.lemma[v]) {
                let units = if is(lexicon::MILITARY_UNITS, &self.lemma[sp]) {
                    Some(sp)
                } else {
                    // "hundreds of", "a unit of": the counted noun.
                    self.kids(sp).iter().copied().find(|&c| self.deprel(c).starts_with("nmod") && self.case_of(c) == Some("of") && is(lexicon::MILITARY_UNITS, &self.lemma[c]))
                };
                if let Some(a) = units.and_then(|u| self.mention_of(u, 0)).filter(|a| a.how == How::Group) {
                    return Some(a);
                }
            }
            return None;
        }
        let nonfinite = self.kids(v).iter().any(|&c| self.deprel(c) == "mark" && self.lower[c] == "to");
        if let Some(h) = self.head(v) {
            match self.deprel(v) {
                "xcomp" | "conj" | "advcl" => {
                    // "who is believed to have founded": the raised passive subject.
                    if self.deprel(v) == "xcomp" {
                        if let Some(sp) = self.kid(h, "nsubj:pass") {
                            return self.mention_of(sp, 0);
                        }
                    }
                    // "appealed to Putin to deploy", "urged Iran to stop": the controller is the
                    // object; so is any object of a verb with a bare-infinitive complement
                    // ("backed Haftar overthrow the government", "helped them get there").
                    let bare = self.deprel(v) == "xcomp" && self.upos(v) == "VERB" && !self.kids(v).iter().any(|&c| self.deprel(c) == "mark");
                    let control = is(OBJECT_CONTROL, &self.lemma[h]);
                    if control || bare {
                        for &c in self.kids(h) {
                            let rel = self.deprel(c);
                            // Without a control verb, only an object between the two verbs.
                            if !control && (rel != "obj" || c < h || c > v) {
                                continue;
                            }
                            if rel == "obj" || (rel.starts_with("obl") && matches!(self.case_of(c), Some("to" | "on" | "upon"))) {
                                if let Some(a) = self.mention_of(c, 0) {
                                    return Some(a);
                                }
                            }
                        }
                    }
                    if let Some(a) = self.subject_of(h, depth + 1) {
                        return Some(a);
                    }
                }
                rel if rel.starts_with("acl") => {
                    // "the group known as X", or a verb the tagger took for a noun ("Iran plans
                    // to supply", parsed as a subject or as a compound, "the Iran plans").
                    return self.mention_of(h, 0).or_else(|| {
                        let subj = self.kids(h).iter().copied().find(|&c| self.deprel(c) == "nsubj").or_else(|| {
                            let intent = is(lexicon::INTENT_NOUNS, &self.lemma[h]);
                            (nonfinite && intent).then(|| self.kids(h).iter().copied().find(|&c| matches!(self.deprel(c), "compound" | "nmod:poss") && c < h)).flatten()
                        })?;
                        self.mention_of(subj, 0)
                    });
                }
                _ => {}
            }
            if nonfinite && matches!(self.deprel(v), "xcomp" | "advcl" | "acl" | "csubj") {
                return None;
            }
        }
        self.left_actor(v)
    }

    /// The passive agent of verb `v` ("by X"): an `obl:agent`, else an `obl` with "by".
    fn agent(&self, v: usize) -> Option<usize> {
        self.kid(v, "obl:agent").or_else(|| self.kids(v).iter().copied().find(|&c| self.deprel(c) == "obl" && self.case_of(c) == Some("by")))
    }

    /// The subject word of verb `v`, or of the verb it hangs from through `through`
    /// relations when it has none of its own ("agreed to hold", "followed, accusing").
    fn clause_subject(&self, mut v: usize, through: &[&str]) -> Option<usize> {
        while self.kid(v, "nsubj").is_none() && through.contains(&self.deprel(v)) {
            v = self.head(v)?;
        }
        self.kid(v, "nsubj")
    }

    /// The name that noun `n` describes as an appositive ("Utkin, a former officer"), or,
    /// with `loose`, as an indefinite conjunct the parse made of one ("X, a company").
    fn appositive_name(&self, n: usize, loose: bool) -> Option<Arg> {
        let indefinite = || self.kids(n).iter().any(|&c| matches!(self.lower[c].as_str(), "a" | "an"));
        let h = self.head(n).filter(|_| self.deprel(n) == "appos" || (loose && self.deprel(n) == "conj" && indefinite()))?;
        self.mention_at[h].map(|m| Arg { mention: m, how: How::Direct })
    }

    /// Whether mention `m` sits more than three words down (or more than eight words to
    /// the right) inside the phrase headed by `c` ("a convoy of vehicles bearing plates
    /// from the republics of Donetsk and Luhansk").
    fn buried(&self, m: usize, c: usize) -> bool {
        let s = &self.ann.sentences[self.sent_of[c]];
        let Some(mut w) = (s.start..s.end).find(|&w| self.mention_at[w] == Some(m)) else { return false };
        // Far to the right inside the phrase counts too, however flat the parse made it.
        let far = w > c + 8;
        let mut hops = 0;
        while let Some(h) = self.head(w) {
            if h == c {
                return hops > 3 || far;
            }
            if self.mention_at[h] != Some(m) {
                hops += 1;
            }
            w = h;
        }
        false
    }

    /// The nearest actor before word `t` in its clause: the subject a broken parse missed.
    fn left_actor(&self, t: usize) -> Option<Arg> {
        let s = &self.ann.sentences[self.sent_of[t]];
        let mut j = t;
        let mut steps = 0;
        while j > s.start && steps < 8 {
            j -= 1;
            steps += 1;
            if let Some(m) = self.mention_at[j] {
                if ACTOR.contains(&self.etype(m)) {
                    return Some(Arg { mention: m, how: How::Direct });
                }
                return None;
            }
            let lower = self.lower[j].as_str();
            match self.upos(j) {
                "AUX" | "ADV" | "PART" => continue,
                "CCONJ" if lower == "and" => continue,
                "VERB" if self.head(j) == Some(t) || self.head(t) == Some(j) || is(CONTROL, &self.lemma[j]) => continue,
                "PRON" if matches!(lower, "he" | "she" | "it" | "they") => return self.mention_of(j, 0),
                "NOUN" | "PROPN" => {
                    // The head of the noun phrase ("the head of the firm" -> "head").
                    let mut h = j;
                    while let Some(up) = self.head(h) {
                        if up < h && matches!(self.upos(up), "NOUN" | "PROPN") && (self.deprel(h).starts_with("nmod") || self.deprel(h) == "compound") {
                            h = up;
                        } else {
                            break;
                        }
                    }
                    return self.mention_of(h, 0);
                }
                _ => return None,
            }
        }
        None
    }

    /// Actors after word `t` in its clause ("with Russian President Vladimir Putin and
    /// Ukrainian President Volodymyr Zelensky"): the objects a broken parse missed. A
    /// title's country or organisation gives way to the person it introduces.
    fn right_actors(&self, t: usize) -> Vec<Arg> {
        let s = &self.ann.sentences[self.sent_of[t]];
        let mut out = Vec::new();
        let mut j = t + 1;
        let mut steps = 0;
        while j < s.end && steps < 10 {
            steps += 1;
            if let Some(m) = self.mention_at[j] {
                let mut k = j;
                while k < s.end && self.mention_at[k] == Some(m) {
                    k += 1;
                }
                // "Russian President Vladimir Putin", "Kremlin spokesperson Dmitry Peskov",
                // "Russia's head of military intelligence Alexey Dyumin".
                let mut take = m;
                let mut q = k;
                let mut role = false;
                while q < s.end && q < k + 7 {
                    if let Some(inner) = self.mention_at[q] {
                        // "ex-ambassador to the US Yury Ushakov": a place inside the title.
                        if role && q >= 1 && matches!(self.lower[q - 1].as_str(), "the" | "to" | "of") && self.etype(inner) != "PERSON" {
                            while q < s.end && self.mention_at[q] == Some(inner) {
                                q += 1;
                            }
                            continue;
                        }
                        break;
                    }
                    let l = self.lower[q].as_str();
                    if self.is_role_word(q) {
                        role = true;
                    } else if !(is(lexicon::ROLE_MODIFIERS, l) || matches!(l, "'s" | "’s" | "of" | "the" | "to")) {
                        break;
                    }
                    q += 1;
                }
                let possessive = k < s.end && matches!(self.lower[k].as_str(), "'s" | "’s");
                if possessive && !role {
                    // "Russia's Internet Research Agency": the possessed name is the actor.
                    if k + 1 < s.end && self.mention_at[k + 1].is_some() {
                        j = k + 1;
                        continue;
                    }
                    break;
                }
                if role && q > k && q < s.end {
                    if let Some(p) = self.mention_at[q] {
                        if self.etype(p) == "PERSON" {
                            take = p;
                            k = q;
                            while k < s.end && self.mention_at[k] == Some(p) {
                                k += 1;
                            }
                        }
                    }
                }
                // "Putin's aide": the object is the unnamed aide, not the possessor.
                if possessive && take == m {
                    break;
                }
                if !ACTOR.contains(&self.etype(take)) {
                    break;
                }
                out.push(Arg { mention: take, how: How::Direct });
                // Coordination: "and X", ", X and Y".
                // A comma continues a list only if an "and"/"or" closes it ("A, B and C"),
                // not before ", Shoigu said".
                let list_goes_on = |x: usize| {
                    (x..(x + 8).min(s.end)).take_while(|&y| self.upos(y) != "VERB").any(|y| matches!(self.lower[y].as_str(), "and" | "or"))
                };
                let next_ok = |x: usize| x < s.end && (self.mention_at[x].is_some() || self.is_role_word(x) || self.upos(x) == "DET") && list_goes_on(x);
                if k < s.end && (matches!(self.lower[k].as_str(), "and" | "or") || self.lower[k] == "," && next_ok(k + 1)) {
                    j = k + 1;
                    steps = 0;
                    continue;
                }
                break;
            }
            let lower = self.lower[j].as_str();
            match self.upos(j) {
                "DET" | "ADJ" | "NUM" | "PART" => {}
                "NOUN" if !is(lexicon::IN_PLACE, lower) => {}
                "ADP" if is(lexicon::OBJECT_PREPS, lower) && !is(lexicon::IN_PLACE, lower) || lower == "at" => {}
                "PROPN" => {}
                "PUNCT" if matches!(lower, "-" | "‘" | "’" | "“" | "”" | "\"" | "'") => {}
                _ => break,
            }
            j += 1;
        }
        out
    }

    /// The object of a verb: its direct object, passive subject, or a prepositional object.
    fn object_of(&self, v: usize, skip: Option<usize>) -> Option<(Arg, usize)> {
        let ok = |a: &Arg| Some(a.mention) != skip;
        for rel in ["obj", "iobj", "nsubj:pass"] {
            for &c in self.kids(v) {
                if self.deprel(c) != rel {
                    continue;
                }
                if let Some(a) = self.mention_of(c, 0).filter(ok) {
                    return Some((a, c));
                }
                // "denied links to X", "supplied weapons to X".
                for &g in self.kids(c) {
                    if self.deprel(g).starts_with("nmod") && self.case_of(g).is_some_and(|p| is(lexicon::OBJECT_PREPS, p)) {
                        if let Some(a) = self.mention_of(g, 0).filter(ok) {
                            return Some((a, g));
                        }
                    }
                }
            }
        }
        for &c in self.kids(v) {
            if self.deprel(c).starts_with("obl") && self.deprel(c) != "obl:agent" {
                let Some(p) = self.case_of(c) else { continue };
                if !is(lexicon::OBJECT_PREPS, p) || p == "from" {
                    continue;
                }
                if let Some(a) = self.mention_of(c, 0).filter(ok) {
                    // A place after "in"-like prepositions is where, not whom.
                    if p != "to" && PLACE.contains(&self.etype(a.mention)) && is(lexicon::IN_PLACE, p) {
                        continue;
                    }
                    return Some((a, c));
                }
            }
        }
        None
    }

    /// The object of a nominal trigger ("calls to X", "meetings with X", "invasion of X").
    fn noun_object(&self, n: usize, skip: Option<usize>) -> Option<(Arg, usize)> {
        for &c in self.kids(n) {
            if !(self.deprel(c).starts_with("nmod") || self.deprel(c).starts_with("obl")) || self.deprel(c) == "nmod:poss" {
                continue;
            }
            let Some(p) = self.case_of(c) else { continue };
            if !is(lexicon::OBJECT_PREPS, p) {
                continue;
            }
            if let Some(a) = self.mention_of(c, 0).filter(|a| Some(a.mention) != skip) {
                return Some((a, c));
            }
        }
        None
    }

    /// The place of an event: a GPE/LOC/FAC under "in", "at", "near"... below the trigger.
    fn place_of(&self, t: usize, skip: &[usize]) -> Option<usize> {
        let mut frontier = vec![(t, 0)];
        if matches!(self.upos(t), "NOUN" | "PROPN") {
            if let Some(h) = self.head(t).filter(|&h| self.upos(h) == "VERB") {
                frontier.push((h, 0));
            }
        }
        while let Some((w, d)) = frontier.pop() {
            for &c in self.kids(w) {
                let rel = self.deprel(c);
                // "Training of X ... has begun at a camp near Y": the clause the parse hung below the noun.
                if d == 0 && w == t && matches!(rel, "dep" | "acl" | "parataxis") && self.upos(c) == "VERB" && matches!(self.upos(t), "NOUN" | "PROPN") {
                    frontier.push((c, 0));
                    continue;
                }
                if rel.starts_with("obl") || rel.starts_with("nmod") || rel == "advmod" {
                    if self.case_of(c).is_some_and(|p| is(lexicon::IN_PLACE, p) && p != "from") {
                        if let Some(m) = self.mention_at[c] {
                            if PLACE.contains(&self.etype(m)) && !skip.contains(&m) {
                                return Some(m);
                            }
                        }
                    }
                    if d < 1 {
                        frontier.push((c, d + 1));
                    }
                }
            }
        }
        None
    }

    /// The date of an event: a DATE value below the trigger (or its clause), else the
    /// sentence's only date.
    fn when_of(&self, t: usize, si: usize) -> Option<WhenOut> {
        let mut scope = self.subtree(t);
        if let Some(h) = self.head(t) {
            if matches!(self.upos(t), "NOUN" | "PROPN") || self.deprel(t) == "xcomp" {
                scope = self.subtree(h);
            }
        }
        self.date_in(&scope, si, true)
    }

    /// The date of a standing relation: only a date below its verb ("founded in 2014"),
    /// never another clause's ("who founded X, was killed in 2023").
    fn when_under(&self, t: usize, si: usize) -> Option<WhenOut> {
        self.date_in(&self.subtree(t), si, false)
    }

    /// The first DATE value of sentence `si` that covers a word of `scope`; else, with
    /// `only_fallback`, the sentence's only date.
    fn date_in(&self, scope: &[usize], si: usize, only_fallback: bool) -> Option<WhenOut> {
        let sent = self.ann.sentence_span(si);
        let dates: Vec<&Value> = self
            .values
            .iter()
            .filter(|v| v.kind == ValueKind::Date && v.start >= sent.start && v.end <= sent.end)
            .collect();
        let covered = |v: &Value| scope.iter().any(|&w| self.ann.words[w].token.start >= v.start && self.ann.words[w].token.end <= v.end);
        let pick = dates.iter().copied().find(|v| covered(v)).or_else(|| (only_fallback && dates.len() == 1).then(|| dates[0]))?;
        let Normalized::Date { value: Some(value), precision, .. } = &pick.normalized else { return None };
        Some(WhenOut { value: value.clone(), text: pick.text(self.ann.text).to_string(), precision: precision.as_str().to_string() })
    }

    /// A count tied to the trigger: "99 phone calls", "144 times", "approximately 60 vehicles".
    fn count_of(&self, t: usize, obj_word: Option<usize>) -> Option<i64> {
        let text = self.ann.text;
        let mut nouns: Vec<usize> = Vec::new();
        if matches!(self.upos(t), "NOUN" | "PROPN") {
            nouns.push(t);
        }
        nouns.extend(obj_word);
        for &c in self.kids(t) {
            if self.lemma[c] == "time" {
                nouns.push(c);
            }
        }
        for n in nouns {
            let has_num = self.kids(n).iter().any(|&c| self.deprel(c) == "nummod");
            let mut words: Vec<usize> = vec![n];
            words.extend(self.kids(n).iter().copied().filter(|&c| matches!(self.deprel(c), "compound" | "amod" | "nummod")));
            let span = self.span_of(&words);
            if let Some(v) = count_for(text, self.values, span) {
                if let Some(c) = v.count() {
                    if has_num || v.end <= self.ann.words[n].token.start {
                        return Some(c as i64);
                    }
                }
            }
        }
        None
    }

    /// The modality of the trigger `t`, from cues that govern or modify it.
    fn modality_of(&self, t: usize, args: &[usize]) -> &'static str {
        let mut found: Vec<&'static str> = Vec::new();
        let own = |w: usize, found: &mut Vec<&'static str>| {
            for &c in self.kids(w) {
                let l = self.lemma[c].as_str();
                let lower = self.lower[c].as_str();
                match self.deprel(c) {
                    "advmod" | "det" if is(lexicon::NEGATE, lower) => found.push("negated"),
                    "aux" if is(lexicon::POSSIBLE, lower) => found.push("possible"),
                    "aux" if lower == "will" || lower == "'ll" => found.push("planned"),
                    "advmod" | "amod" if is(lexicon::ALLEGE, lower) => found.push("alleged"),
                    "advmod" if is(lexicon::POSSIBLE, l) => found.push("possible"),
                    _ => {}
                }
            }
        };
        own(t, &mut found);
        for &a in args {
            for &c in self.kids(a) {
                if self.deprel(c) == "amod" && is(lexicon::ALLEGE, &self.lower[c]) {
                    found.push("alleged");
                }
            }
        }
        let mut w = t;
        for _ in 0..5 {
            let rel = self.deprel(w).to_string();
            let Some(h) = self.head(w) else { break };
            if !(matches!(rel.as_str(), "xcomp" | "ccomp" | "obj" | "acl" | "advcl" | "csubj" | "nsubj:pass" | "obl")
                || rel.starts_with("acl")
                || rel.starts_with("nmod"))
            {
                break;
            }
            let l = self.lemma[h].as_str();
            let passive = self.kid(h, "aux:pass").is_some();
            if is(lexicon::DENY, l) {
                found.push("denied");
            } else if is(lexicon::PLAN, l) {
                found.push("planned");
            } else if is(lexicon::ATTEMPT, l) {
                found.push("attempted");
            } else if is(lexicon::ALLEGING, l) || (matches!(l, "believe" | "allege" | "report" | "say" | "think" | "suspect") && passive) {
                found.push("alleged");
            } else if l == "suggest" || l == "appear" || l == "seem" {
                found.push("possible");
            }
            own(h, &mut found);
            w = h;
        }
        if found.is_empty() {
            // The words just before the trigger, when the parse hangs it elsewhere
            // ("Iran is believed to have supplied", "tried to buy").
            let s = &self.ann.sentences[self.sent_of[t]];
            let mut j = t;
            while j > s.start && t - j < 6 {
                j -= 1;
                if self.mention_at[j].is_some() || matches!(self.upos(j), "PUNCT" | "NOUN" | "PROPN" | "SCONJ") {
                    break;
                }
                let l = self.lemma[j].as_str();
                let lower = self.lower[j].as_str();
                if is(lexicon::NEGATE, lower) {
                    found.push("negated");
                } else if is(lexicon::DENY, l) {
                    found.push("denied");
                } else if is(lexicon::PLAN, l) {
                    found.push("planned");
                } else if is(lexicon::ATTEMPT, l) {
                    found.push("attempted");
                } else if matches!(lower, "may" | "might" | "could") {
                    found.push("possible");
                } else if is(lexicon::ALLEGE, lower) || is(lexicon::ALLEGE, l) || matches!(l, "think" | "say" | "report") && self.ann.words[j].xpos == "VBN" {
                    found.push("alleged");
                }
            }
        }
        for m in ["negated", "denied", "planned", "attempted", "possible", "alleged"] {
            if found.contains(&m) {
                return m;
            }
        }
        "asserted"
    }

    /// The source of what `t` says: "according to X", a governing reporting verb's
    /// subject, or a reporting clause before or after it ("Emails seen by X show ...",
    /// "..., X claims."). A document noun ("the report says") stands for the last named
    /// source. Returns (mention, text as written, whether the verb alleges).
    fn source_of(&self, t: usize, si: usize) -> (Option<usize>, Option<String>, bool) {
        let s = self.ann.sentences[si].clone();
        // "according to X"
        for i in s.clone() {
            if self.lower[i] == "according" && i + 1 < s.end && self.lower[i + 1] == "to" {
                // "according to plan": a common noun right after "to" is no source.
                let first = (i + 2..s.end).find(|&j| !matches!(self.upos(j), "DET" | "ADJ"));
                if let Some(f) = first {
                    let lowercase = self.ann.form(f).chars().next().is_some_and(char::is_lowercase);
                    if self.mention_at[f].is_none() && lowercase && !is(DOC_NOUNS, &self.lemma[f]) && !is(SOURCE_NOUNS, &self.lemma[f]) {
                        continue;
                    }
                }
                for j in i + 2..(i + 14).min(s.end) {
                    if matches!(self.lower[j].as_str(), "," | "." | ";") {
                        break;
                    }
                    if let Some(m) = self.mention_at[j] {
                        if matches!(self.etype(m), "ORG" | "PERSON" | "GPE") {
                            return (Some(m), None, false);
                        }
                    }
                    // "according to the Russian foreign ministry": the body's state.
                    if self.upos(j) == "NOUN" && self.word_in(lexicon::GROUP_NOUNS, j) {
                        if let Some(a) = self.mention_of(j, 0).filter(|a| a.how == How::Group) {
                            return (Some(a.mention), None, false);
                        }
                    }
                }
                let text = self.ann.text[self.span_of(&[(i + 2).min(s.end - 1), (i + 6).min(s.end - 1)])].to_string();
                return (self.doc_source(i + 2), Some(text), false);
            }
        }
        // A reporting verb above the trigger, or beside its clause ("..., officials said").
        let mut reporters: Vec<usize> = Vec::new();
        let mut w = t;
        for _ in 0..6 {
            let Some(h) = self.head(w) else { break };
            if self.is_reporting(h) {
                reporters.push(h);
            }
            w = h;
        }
        let root = w;
        for &c in self.kids(root) {
            // A coordinated verb without its own subject is the same actor's next act
            // ("met X and warned him"), not a frame around the first.
            let own_frame = self.deprel(c) != "conj" || self.kid(c, "nsubj").is_some();
            if matches!(self.deprel(c), "parataxis" | "advcl" | "ccomp" | "conj") && own_frame && self.is_reporting(c) && c > t {
                reporters.push(c);
            }
        }
        // Linear frames the parse may have missed: "X shows ..." before, ", X claims" after.
        for r in s.clone() {
            if r != t && self.is_reporting_form(r) && !reporters.contains(&r) {
                let before = r < t && (s.start..r).all(|k| !matches!(self.lower[k].as_str(), ";"));
                // ", Russian President Vladimir Putin said": a comma after the trigger and
                // before the verb, with only the speaker's words between them.
                let after = r > t
                    && (r.saturating_sub(8).max(t + 1)..r).rev().find(|&k| self.lower[k] == ",").is_some_and(|k| (k + 1..r).all(|j| !matches!(self.upos(j), "VERB" | "AUX" | "PUNCT")));
                if before || after {
                    reporters.push(r);
                }
            }
        }
        for r in reporters {
            let alleging = is(lexicon::ALLEGING, &self.lemma[r]);
            let subj = self.kids(r).iter().copied().find(|&c| self.deprel(c) == "nsubj");
            let subj_words: Vec<usize> = match subj {
                Some(c) => self.subtree(c),
                None => {
                    // The words just before the reporting verb, back to a comma or the clause start.
                    let mut k = r;
                    let mut v = Vec::new();
                    while k > s.start && r - k < 6 {
                        k -= 1;
                        if matches!(self.lower[k].as_str(), "," | ";" | "“" | "”" | "\"") || k < t && r > t {
                            break;
                        }
                        v.push(k);
                    }
                    v.reverse();
                    v
                }
            };
            if subj_words.is_empty() || subj_words.iter().all(|&k| matches!(self.lower[k].as_str(), "it")) {
                continue; // "it has been reported": unnamed
            }
            if let Some(a) = subj.and_then(|c| self.mention_of(c, 0)) {
                if a.how != How::Anaphor || self.upos(subj.unwrap_or(r)) == "PRON" {
                    return (Some(a.mention), None, alleging);
                }
            }
            // A named actor in the subject ("Emails seen by Bellingcat", "Bellingcat's data").
            if let Some(m) = subj_words.iter().rev().filter_map(|&j| self.mention_at[j]).find(|&m| matches!(self.etype(m), "ORG" | "PERSON")) {
                return (Some(m), None, alleging);
            }
            if let Some(m) = subj_words.iter().rev().filter_map(|&j| self.mention_at[j]).find(|&m| self.etype(m) == "GPE") {
                return (Some(m), None, alleging);
            }
            let text = self.ann.text[self.span_of(&subj_words)].to_string();
            let head_noun = subj.unwrap_or_else(|| *subj_words.last().unwrap_or(&r));
            if is(DOC_NOUNS, &self.lemma[head_noun]) || subj_words.iter().any(|&k| is(DOC_NOUNS, &self.lemma[k])) {
                return (self.doc_source(r), Some(text), alleging);
            }
            return (None, Some(text), alleging);
        }
        (None, None, false)
    }

    /// Records mention `m`, named at word `w`, as the latest source (once in a row).
    fn note_source(&mut self, w: usize, m: usize) {
        if self.sources.last().map(|x| x.1) != Some(m) {
            self.sources.push((w, m));
        }
    }

    /// The last named source before word `i` (for "the report", "the leaked records").
    fn doc_source(&self, i: usize) -> Option<usize> {
        self.sources.iter().rev().find(|&&(w, _)| w < i).map(|&(_, m)| m)
    }

    fn is_reporting(&self, w: usize) -> bool {
        self.upos(w) == "VERB" && is(lexicon::REPORTING, &self.lemma[w]) && (self.ann.words[w].xpos != "VBG" && self.ann.words[w].xpos != "VBN" || self.kids(w).iter().any(|&c| matches!(self.deprel(c), "aux")))
    }

    fn is_reporting_form(&self, w: usize) -> bool {
        matches!(
            self.lower[w].as_str(),
            "says" | "said" | "say" | "told" | "tells" | "claims" | "claimed" | "reported" | "reports" | "shows" | "show"
                | "showed" | "revealed" | "reveals" | "alleges" | "alleged" | "wrote" | "writes" | "stated" | "insisted"
                | "confirmed" | "announced" | "added" | "suggests" | "suggested"
        ) && !matches!(self.ann.words[w].xpos, "JJ")
    }

    /// A move of armed units ("Russian troops advanced towards Kyiv", "the convoy was
    /// heading to X"): a mobilisation by the actor the units belong to.
    fn military_move(&self, v: usize) -> Option<(&'static str, String)> {
        if !is(lexicon::MOTION_VERBS, &self.lemma[v]) {
            return None;
        }
        let subj = self.kid(v, "nsubj")?;
        if !self.word_in(lexicon::MILITARY_UNITS, subj) {
            return None;
        }
        let mode = if matches!(self.lemma[subj].as_str(), "tank" | "warship" | "fleet" | "squadron") { "weapons" } else { "troops" };
        Some(("MOBILIZE", mode.to_string()))
    }

    /// Recruits received or gathered to fight ("received more than 16,000 applications
    /// ... to help fight", "recruited 500 volunteers for the war"): a mobilisation.
    fn recruitment(&self, v: usize) -> Option<(&'static str, String)> {
        if !is(lexicon::RECRUIT_VERBS, &self.lemma[v]) {
            return None;
        }
        let obj = self.kid(v, "obj").filter(|&o| is(lexicon::RECRUIT_NOUNS, &self.lemma[o]))?;
        let s = &self.ann.sentences[self.sent_of[v]];
        let combat = (obj + 1..(obj + 14).min(s.end)).any(|w| self.word_in(lexicon::COMBAT_WORDS, w));
        combat.then(|| ("MOBILIZE", "troops".to_string()))
    }

    /// Event sense of a verb lemma given its neighbourhood.
    fn verb_sense(&self, v: usize) -> Option<(&'static str, String)> {
        let l = self.lemma[v].as_str();
        let prt = self.kids(v).iter().find(|&&c| self.deprel(c) == "compound:prt").map(|&c| self.lower[c].clone());
        if let Some(p) = &prt {
            let phrase = format!("{l} {p}");
            if let Some(s) = self.cameo(v, &phrase) {
                return Some(s);
            }
        }
        if let Some((t, m)) = lexicon::lookup3(lexicon::VERB_EVENTS, l) {
            return Some((t, m.to_string()));
        }
        self.cameo(v, l)
    }

    fn cameo(&self, v: usize, lemma: &str) -> Option<(&'static str, String)> {
        let senses = Triggers::get().senses(lemma);
        if senses.is_empty() {
            return None;
        }
        let near: Vec<&str> = self.subtree(v).iter().filter(|&&w| w != v).map(|&w| self.lemma[w].as_str()).collect();
        let mut best: Option<(usize, &lexicon::EventSense)> = None;
        for s in senses {
            if s.cues.is_empty() {
                if best.is_none() {
                    best = Some((0, s));
                }
            } else if s.cues.iter().all(|c| near.contains(&c.as_str())) && best.map_or(true, |(n, _)| s.cues.len() > n) {
                best = Some((s.cues.len(), s));
            }
        }
        best.map(|(_, s)| (s.etype, s.mode.clone()))
    }

    /// Refines the mode of CONSULT/AID/COOPERATE from the words around the trigger.
    fn refine_mode(&self, etype: &str, mode: String, t: usize, si: usize) -> Option<String> {
        let s = self.ann.sentences[si].clone();
        let near: Vec<usize> = (t.saturating_sub(3).max(s.start)..(t + 8).min(s.end)).collect();
        match etype {
            "CONSULT" => {
                if near.iter().any(|&w| matches!(self.lemma[w].as_str(), "phone" | "telephone" | "call" | "text")) && mode != "mediate" {
                    return Some("phone".into());
                }
                if near.iter().any(|&w| matches!(self.lemma[w].as_str(), "meeting" | "talks" | "summit" | "face-to-face" | "meet")) {
                    return Some("meeting".into());
                }
            }
            "AID" | "COOPERATE" if mode.is_empty() => {
                let tree = self.subtree(t);
                for &w in tree.iter().chain(near.iter()) {
                    if let Some(m) = lexicon::lookup(lexicon::MODE_WORDS, &self.lower[w]) {
                        return Some(m.to_string());
                    }
                }
            }
            _ => {}
        }
        (!mode.is_empty()).then_some(mode)
    }

    fn sentence(&mut self, si: usize, out: &mut Vec<Claim>) {
        let s = self.ann.sentences[si].clone();
        let evidence = self.ann.sentence_span(si);
        let mut claims: Vec<Claim> = Vec::new();
        let base = |subject: usize, predicate: &'static str, t: usize| Claim {
            subject,
            predicate,
            object: None,
            mode: None,
            role: None,
            when: None,
            place: None,
            count: None,
            modality: "asserted",
            source: None,
            source_text: None,
            evidence: evidence.clone(),
            trigger: Some(self.ann.words[t].token.start..self.ann.words[t].token.end),
            confidence: 0.5,
        };
        // A verb right before a nominal trigger ("imposed sanctions", "held talks") leaves
        // the event to the noun and lends it its subject.
        let mut carrier: Vec<Option<usize>> = vec![None; s.end - s.start];
        for n in s.clone() {
            if self.upos(n) != "NOUN" || lexicon::lookup3(lexicon::NOUN_EVENTS, &self.lemma[n]).is_none() {
                continue;
            }
            let mut g = n;
            while g > s.start && n - g < 4 {
                g -= 1;
                match self.upos(g) {
                    "DET" | "ADJ" | "NUM" => continue,
                    "NOUN" if self.deprel(g) == "compound" => continue,
                    "VERB" => {
                        carrier[n - s.start] = Some(g);
                    }
                    _ => {}
                }
                break;
            }
        }
        let carriers: Vec<usize> = carrier.iter().flatten().copied().collect();
        for t in s.clone() {
            let upos = self.upos(t);
            let lemma = self.lemma[t].clone();
            // ---- events
            let sense = match upos {
                "VERB" => {
                    // A light verb whose object is a nominal trigger leaves it to the noun.
                    let light_noun = carriers.contains(&t)
                        || self.kids(t).iter().any(|&c| self.deprel(c) == "obj" && lexicon::lookup3(lexicon::NOUN_EVENTS, &self.lemma[c]).is_some());
                    let relation = lexicon::lookup(lexicon::RELATION_VERBS, &lemma).is_some();
                    if let Some(sense) = self.military_move(t).or_else(|| self.recruitment(t)) {
                        Some(sense)
                    } else if light_noun || relation || is(lexicon::REPORTING, &lemma) && lemma != "accuse" && lemma != "warn" {
                        None
                    } else {
                        self.verb_sense(t)
                    }
                }
                "NOUN"
                    if self.head(t).is_some_and(|h| self.upos(h) == "VERB" && is(lexicon::REPORTING, &self.lemma[h]))
                        || carrier[t - s.start].is_some_and(|g| is(lexicon::REPORTING, &self.lemma[g])) =>
                {
                    None
                }
                "NOUN" => lexicon::lookup3(lexicon::NOUN_EVENTS, &lemma)
                    .or_else(|| lexicon::lookup3(lexicon::NOUN_EVENTS, &self.lower[t]))
                    .map(|(t, m)| (t, m.to_string())),
                // A nominal trigger the tagger took for an adjective ("their failed mutiny").
                "ADJ" if t > s.start && matches!(self.upos(t - 1), "DET" | "PRON" | "VERB" | "ADJ") => {
                    lexicon::lookup3(lexicon::NOUN_EVENTS, &self.lower[t]).map(|(t, m)| (t, m.to_string()))
                }
                _ => None,
            };
            // "suspended its military cooperation", "cut off aid": stopping cooperation is a sanction.
            let sense = sense.map(|(etype, mode)| {
                if upos == "NOUN" && matches!(etype, "COOPERATE" | "AID" | "CONSULT" | "SUPPORT") {
                    let governor = carrier[t - s.start].or_else(|| self.head(t).filter(|&h| self.deprel(t) == "obj" && self.upos(h) == "VERB"));
                    if governor.is_some_and(|g| is(lexicon::STOP_VERBS, &self.lemma[g])) {
                        return ("SANCTION", String::new());
                    }
                }
                (etype, mode)
            });
            // "X received aid": the receiver is no giver (the block below reads "from Y").
            let sense = sense.filter(|(etype, _)| !(upos == "VERB" && *etype == "AID" && is(lexicon::RECEIVE_VERBS, &lemma)));
            // "send weapons" is aid; "send troops" a mobilisation.
            let sense = sense.map(|(etype, mode)| {
                if upos == "VERB" && matches!(lemma.as_str(), "send" | "ship" | "deliver" | "dispatch" | "transfer") {
                    let what: Vec<&str> = self.kids(t).iter().filter(|&&c| self.deprel(c) == "obj").map(|&c| self.lemma[c].as_str()).collect();
                    if what.iter().any(|w| matches!(*w, "weapon" | "arms" | "ammunition" | "missile" | "equipment" | "aid" | "supply" | "tank" | "drone" | "shell" | "money" | "food")) {
                        return ("AID", String::new());
                    }
                }
                (etype, mode)
            });
            if let Some((etype, mode)) = sense {
                'ev: {
                let (subj, obj) = if upos == "VERB" {
                    let subj = self.subject_of(t, 0);
                    let obj = self.object_of(t, subj.map(|a| a.mention));
                    (subj, obj)
                } else {
                    // Nominal: the possessor, or the subject of the verb it is the object of.
                    let poss = self.kids(t).iter().copied().find(|&c| self.deprel(c) == "nmod:poss").and_then(|c| self.mention_of(c, 0)).or_else(|| {
                        // "their failed mutiny": a possessive just before, over modifiers.
                        let mut j = t;
                        while j > s.start && t - j < 4 {
                            j -= 1;
                            if matches!(self.lower[j].as_str(), "its" | "his" | "her" | "their") {
                                return self.mention_of(j, 0);
                            }
                            if self.mention_at[j].is_some() && j + 1 < t && matches!(self.lower[j + 1].as_str(), "'s" | "’s") {
                                return self.mention_of(j, 0);
                            }
                            if !matches!(self.upos(j), "ADJ" | "VERB" | "NOUN" | "PART" | "NUM") {
                                break;
                            }
                        }
                        None
                    });
                    let subj = poss
                        .or_else(|| {
                            let h = self.head(t)?;
                            if self.deprel(t) == "obj" || self.deprel(t) == "nsubj:pass" || self.deprel(t).starts_with("obl") {
                                self.subject_of(h, 0)
                            } else {
                                None
                            }
                        })
                        .or_else(|| carrier[t - s.start].and_then(|g| self.subject_of(g, 0)))
                        // "training of Belarusian troops by Wagner mercenaries": the agent.
                        .or_else(|| self.noun_agent(t));
                    let mut obj = self.noun_object(t, subj.map(|a| a.mention));
                    let mut subj = subj;
                    if subj.is_none() {
                        // "talks between the Russian and Ukrainian foreign ministers": the first
                        // party is the subject, the second the object.
                        if let Some(b) = (t + 1..(t + 3).min(s.end)).find(|&j| self.lower[j] == "between") {
                            let parties: Vec<usize> = (b + 1..(b + 10).min(s.end))
                                .take_while(|&j| !matches!(self.lower[j].as_str(), "," | ";" | "." | "in" | "at" | "on" | "over" | "about"))
                                .filter_map(|j| self.mention_at[j])
                                .filter(|&m| ACTOR.contains(&self.etype(m)))
                                .fold(Vec::new(), |mut v, m| {
                                    if v.last() != Some(&m) {
                                        v.push(m);
                                    }
                                    v
                                });
                            if let [a, b2, ..] = parties.as_slice() {
                                subj = Some(Arg { mention: *a, how: How::Direct });
                                obj = Some((Arg { mention: *b2, how: How::Direct }, t));
                            }
                        }
                    }
                    (subj, obj)
                };
                // "The report accused ...": a document speaks for the last named source.
                let subj = subj.or_else(|| {
                    let n = if upos == "VERB" { self.kid(t, "nsubj")? } else { return None };
                    if !is(DOC_NOUNS, &self.lemma[n]) || !matches!(etype, "ACCUSE" | "REQUEST" | "REJECT" | "THREATEN" | "SUPPORT") {
                        return None;
                    }
                    self.doc_source(t).map(|m| Arg { mention: m, how: How::Anaphor })
                });
                let Some(subj) = subj else { break 'ev };
                if !ACTOR.contains(&self.etype(subj.mention)) {
                    break 'ev;
                }
                // Objects: the parse's, else (and for coordinations) the actors after the trigger.
                let mut objects: Vec<(Arg, Option<usize>)> = obj.map(|(a, w)| (a, Some(w))).into_iter().collect();
                if etype == "MOBILIZE" {
                    // What is sent is not whom it is sent to: keep only destinations.
                    objects.retain(|o| o.1.is_some_and(|w| self.deprel(w).starts_with("obl") && matches!(self.case_of(w), Some("to" | "into" | "toward" | "towards"))));
                }
                if objects.is_empty() && upos == "VERB" && matches!(lemma.as_str(), "intervene" | "invade" | "interfere" | "meddle") {
                    for &c in self.kids(t) {
                        if self.deprel(c).starts_with("obl") && self.case_of(c) == Some("in") {
                            if let Some(a) = self.mention_of(c, 0) {
                                objects.push((a, Some(c)));
                            }
                        }
                    }
                }
                let linear: Vec<Arg> = if etype == "MOBILIZE" {
                    Vec::new()
                } else {
                    self.right_actors(t).into_iter().filter(|a| a.mention != subj.mention).collect()
                };
                if objects.is_empty() {
                    objects.extend(linear.iter().map(|&a| (Arg { how: How::Anaphor.max(a.how), ..a }, None)));
                } else if linear.first().map(|a| a.mention) == objects.first().map(|o| o.0.mention) {
                    objects.extend(linear.iter().skip(1).map(|&a| (a, None)));
                }

                // A non-finite trigger without object borrows its governor's prepositional
                // object ("reached out to Turkey to buy").
                if objects.is_empty() && upos == "VERB" && matches!(self.deprel(t), "advcl" | "xcomp") {
                    if let Some(h) = self.head(t) {
                        if let Some((a, w)) = self.object_of(h, Some(subj.mention)).filter(|(_, w)| self.deprel(*w).starts_with("obl")) {
                            objects.push((a, Some(w)));
                        }
                    }
                }
                // "sent forces to intervene in Syria": the purpose clause says where to.
                if objects.is_empty() && etype == "MOBILIZE" {
                    for &c in self.kids(t) {
                        if matches!(self.deprel(c), "xcomp" | "advcl") && self.upos(c) == "VERB" {
                            for &g in self.kids(c) {
                                if self.deprel(g).starts_with("obl") && matches!(self.case_of(g), Some("in" | "to" | "into")) {
                                    if let Some(m) = self.mention_at[g].filter(|&m| matches!(self.etype(m), "GPE" | "LOC")) {
                                        objects.push((Arg { mention: m, how: How::Direct }, Some(g)));
                                    }
                                }
                            }
                        }
                    }
                }
                objects.retain(|o| o.0.mention != subj.mention);
                // "Jordan and Britain have agreed to ...": a joint act's other party is the
                // subject's conjunct.
                if objects.is_empty() && upos == "VERB" && matches!(etype, "AGREE" | "CONSULT" | "COOPERATE") {
                    if let Some(sw) = self.clause_subject(t, &["xcomp", "conj"]) {
                        for &c in self.kids(sw) {
                            if self.deprel(c) == "conj" {
                                if let Some(a) = self.mention_of(c, 0).filter(|a| a.mention != subj.mention && ACTOR.contains(&self.etype(a.mention))) {
                                    objects.push((a, Some(c)));
                                }
                            }
                        }
                    }
                }
                // "demanded that the United States match ...": whom a demand is made of is
                // the subject of its clause.
                if objects.is_empty() && upos == "VERB" && etype == "REQUEST" {
                    if let Some(c) = self.kids(t).iter().copied().find(|&c| self.deprel(c) == "ccomp") {
                        if let Some(a) = self.kid(c, "nsubj").or_else(|| self.kid(c, "nsubj:pass")).and_then(|w| self.mention_of(w, 0)) {
                            if a.mention != subj.mention && ACTOR.contains(&self.etype(a.mention)) {
                                objects.push((a, None));
                            }
                        }
                    }
                }
                if objects.is_empty() && !matches!(etype, "MOBILIZE" | "PROTEST" | "RETREAT") {
                    break 'ev;
                }
                let obj_slots: Vec<Option<(Arg, Option<usize>)>> =
                    if objects.is_empty() { vec![None] } else { objects.into_iter().map(Some).collect() };
                for o in obj_slots {
                    let mut c = base(subj.mention, etype, t);
                    c.object = o.map(|o| o.0.mention);
                    c.mode = self.refine_mode(etype, mode.clone(), t, si);
                    let skip: Vec<usize> = [Some(subj.mention), c.object].into_iter().flatten().collect();
                    c.place = self.place_of(t, &skip);
                    c.when = self.when_of(t, si);
                    let ow = o.and_then(|o| o.1);
                    c.count = self.count_of(t, ow.filter(|_| upos == "VERB").or_else(|| self.kid(t, "obj")));
                    if c.count.is_none() && etype == "MOBILIZE" && upos == "VERB" {
                        // "The convoy, consisting of approximately 60 vehicles, was heading ...".
                        if let Some(sw) = self.kid(t, "nsubj").filter(|&w| is(lexicon::MILITARY_UNITS, &self.lemma[w])) {
                            let counted = self.subtree(sw).into_iter().find(|&n| self.kids(n).iter().any(|&k| self.deprel(k) == "nummod"));
                            c.count = counted.and_then(|n| self.count_of(t, Some(n)));
                        }
                    }
                    let args: Vec<usize> = ow.into_iter().collect();
                    c.modality = self.modality_of(t, &args);
                    c.confidence = confidence(subj.how, o.map(|o| o.0.how));
                    // An organisation acting somewhere operates there.
                    if let Some(pl) = c.place {
                        if self.etype(subj.mention) == "ORG" && matches!(etype, "ASSAULT" | "MOBILIZE" | "COOPERATE" | "AID" | "COERCE") && !claims.iter().any(|x: &Claim| x.predicate == "operates_in" && x.subject == subj.mention && x.object == Some(pl)) {
                            let mut d = base(subj.mention, "operates_in", t);
                            d.object = Some(pl);
                            d.modality = c.modality;
                            d.when = c.when.clone();
                            d.confidence = c.confidence * 0.8;
                            claims.push(d);
                        }
                    }
                    claims.push(c);
                }
                }
            }
            // ---- "X received weapons from Y": Y aids X.
            if upos == "VERB" && is(lexicon::RECEIVE_VERBS, &lemma) {
                // The thing received, or one of its conjuncts ("rockets and weapons").
                let what = self.kid(t, "obj").and_then(|o| {
                    std::iter::once(o)
                        .chain(self.kids(o).iter().copied().filter(|&c| self.deprel(c) == "conj"))
                        .find(|&w| is(lexicon::AID_THINGS, &self.lemma[w]))
                });
                // "from Y" under the verb, or under the thing ("rockets from Iran").
                let from_kid = |w: usize, rel: &str| self.kids(w).iter().copied().find(|&c| self.deprel(c).starts_with(rel) && self.case_of(c) == Some("from"));
                let giver = from_kid(t, "obl").or_else(|| {
                    let o = self.kid(t, "obj")?;
                    from_kid(o, "nmod").or_else(|| self.kids(o).iter().copied().filter(|&c| self.deprel(c) == "conj").find_map(|c| from_kid(c, "nmod")))
                });
                if let (Some(o), Some(g)) = (what, giver) {
                    if let (Some(from), Some(to)) = (self.mention_of(g, 0), self.subject_of(t, 0)) {
                        if from.mention != to.mention && ACTOR.contains(&self.etype(from.mention)) && ACTOR.contains(&self.etype(to.mention)) {
                            let mut c = base(from.mention, "AID", t);
                            c.object = Some(to.mention);
                            let military = is(lexicon::MILITARY_THINGS, &self.lemma[o]);
                            c.mode = Some(if military { "military" } else { "economic" }.to_string());
                            c.when = self.when_of(t, si);
                            c.count = self.count_of(t, Some(o));
                            c.modality = self.modality_of(t, &[o, g]);
                            c.confidence = confidence(from.how, Some(to.how));
                            claims.push(c);
                        }
                    }
                }
            }
            // ---- standing relations from verbs
            if upos == "VERB" {
                if let Some(pred) = lexicon::lookup(lexicon::RELATION_VERBS, &lemma) {
                    // "Meroe Gold, a company controlled by X", "the RSF, led by Y": the
                    // participle's noun (or the name it describes) is the object.
                    let participle = self.ann.words[t].xpos == "VBN" && self.deprel(t).starts_with("acl") && self.kid(t, "obj").is_none() && self.agent(t).is_some();
                    let described = if participle {
                        self.head(t).and_then(|n| self.mention_of(n, 0).or_else(|| self.appositive_name(n, true)))
                    } else {
                        None
                    };
                    // "M Invest, which is controlled by X": the passive subject is the object.
                    let passive = self.kid(t, "nsubj:pass").and_then(|w| self.mention_of(w, 0).map(|a| (a, w)));
                    let obj = described
                        .map(|a| (a, t))
                        .or(passive)
                        .or_else(|| self.object_of(t, None))
                        .or_else(|| self.right_actors(t).first().map(|&a| (a, t)));
                    if let (Some(subj), Some((obj, ow))) = (self.subject_of(t, 0), obj) {
                        if self.etype(obj.mention) == "ORG" && ACTOR.contains(&self.etype(subj.mention)) && subj.mention != obj.mention {
                            let mut c = base(subj.mention, static_pred(pred), t);
                            c.object = Some(obj.mention);
                            c.modality = self.modality_of(t, &[ow]);
                            c.when = self.when_under(t, si);
                            c.confidence = confidence(subj.how, Some(obj.how));
                            claims.push(c);
                        }
                    }
                }
                if is(lexicon::PRESENCE_VERBS, &lemma) {
                    self.presence(t, si, &base, &mut claims);
                }
            }
            if upos == "NOUN" && is(lexicon::PRESENCE_NOUNS, &self.lower[t]) {
                self.presence(t, si, &base, &mut claims);
            }
            // ---- "X, a member of Y", "links to Y"
            if upos == "NOUN" {
                if let Some(pred) = lexicon::lookup(lexicon::RELATION_NOUNS, &lemma) {
                    self.relation_noun(t, static_pred(pred), &base, &mut claims);
                }
                if self.word_in(lexicon::LINK_WORDS, t) {
                    self.link_noun(t, si, &base, &mut claims);
                }
            }
        }
        self.titles(si, &base, &mut claims);
        self.possessed_orgs(si, &base, &mut claims);
        self.located(si, &base, &mut claims);
        // Sources: per trigger, and modality from an alleging source. A named source
        // stays in force for the rest of its paragraph ("According to X, ... . It also ...").
        let para = self.paragraph[si];
        let inherited = self.paragraph_source.filter(|&(p, _)| p == para).map(|(_, m)| m);
        let mut set_here = None;
        for c in &mut claims {
            let Some(tr) = c.trigger.clone() else { continue };
            let t = (s.clone()).find(|&w| self.ann.words[w].token.start == tr.start).unwrap_or(s.start);
            let (mut src, mut text, alleging) = self.source_of(t, si);
            if src.is_none() && text.is_none() {
                src = inherited;
            } else if let Some(m) = src {
                set_here = Some(m);
            } else {
                text = text.filter(|t| !t.is_empty());
            }
            if src != Some(c.subject) && (src.is_none() || src != c.object) {
                c.source = src;
                c.source_text = text;
            }
            if alleging && c.modality == "asserted" {
                c.modality = "alleged";
            }
        }
        if set_here.is_none() {
            // A sentence without claims may still set the paragraph's source.
            if let Some(i) = s.clone().find(|&i| self.lower[i] == "according") {
                set_here = self.source_of(i, si).0;
            }
        }
        if let Some(m) = set_here {
            self.paragraph_source = Some((para, m));
        }
        // One claim per (subject, predicate, object) in a sentence: keep the surest.
        claims.sort_by(|a, b| {
            (a.subject, a.predicate, a.object, a.trigger.as_ref().map(|t| t.start))
                .cmp(&(b.subject, b.predicate, b.object, b.trigger.as_ref().map(|t| t.start)))
        });
        claims.dedup_by(|b, a| {
            if a.subject == b.subject && a.predicate == b.predicate && a.object == b.object {
                if b.confidence > a.confidence {
                    std::mem::swap(a, b);
                }
                true
            } else {
                false
            }
        });
        claims.sort_by_key(|c| c.trigger.as_ref().map(|t| t.start));
        out.extend(claims);
    }

    /// `operates_in`: an actor fighting, deployed or present in places.
    fn presence(&self, t: usize, si: usize, base: &dyn Fn(usize, &'static str, usize) -> Claim, out: &mut Vec<Claim>) {
        let subj = if self.upos(t) == "VERB" {
            self.subject_of(t, 0)
        } else {
            let poss = self.kids(t).iter().copied().find(|&c| matches!(self.deprel(c), "nmod:poss" | "compound"));
            poss.and_then(|c| self.mention_of(c, 0)).or_else(|| self.noun_agent(t)).or_else(|| {
                // "their mission was ...": the noun is the subject of its clause.
                let h = self.head(t)?;
                if self.deprel(t) == "obj" || self.deprel(t).starts_with("obl") {
                    self.subject_of(h, 0)
                } else {
                    None
                }
            })
        };
        let Some(subj) = subj else { return };
        let person_ok = self.upos(t) == "NOUN" && matches!(self.lower[t].as_str(), "interests" | "activities" | "activity" | "business" | "operations");
        if !(matches!(self.etype(subj.mention), "ORG" | "GPE" | "NORP") || (self.etype(subj.mention) == "PERSON" && person_ok)) {
            return;
        }
        // Places under "in"/"near"/"across", and the items of "such as" lists below them.
        let mut places: Vec<(usize, usize)> = Vec::new();
        let mut stack: Vec<(usize, usize)> = self.kids(t).iter().map(|&c| (c, 0)).collect();
        // A fronted "In Venezuela, their mission was ..." hangs off the clause root.
        if self.upos(t) == "NOUN" {
            if let Some(h) = self.head(t) {
                stack.extend(self.kids(h).iter().filter(|&&c| c != t).map(|&c| (c, 0)));
            }
        }
        while let Some((w, d)) = stack.pop() {
            let rel = self.deprel(w);
            if !(rel.starts_with("obl") || rel.starts_with("nmod") || rel == "conj" || rel == "appos" || rel == "advmod") {
                continue;
            }
            // "fought in war zones such as Libya": a list the parse hung off the verb
            // beside the place phrase it illustrates.
            let listed = d == 0
                && matches!(self.case_of(w), Some("such" | "like" | "including"))
                && self.kids(t).iter().any(|&c| c != w && self.deprel(c).starts_with("obl") && self.case_of(c).is_some_and(|p| is(lexicon::IN_PLACE, p)));
            let prep_ok = d > 0 || listed || self.case_of(w).is_some_and(|p| is(lexicon::IN_PLACE, p) || p == "to") || rel == "advmod";
            if prep_ok {
                if let Some(m) = self.mention_at[w] {
                    if PLACE.contains(&self.etype(m)) && m != subj.mention {
                        places.push((m, w));
                    }
                }
            }
            if d < 3 && (prep_ok || rel == "conj") {
                stack.extend(self.kids(w).iter().map(|&c| (c, d + 1)));
            }
        }
        // "its war in Ukraine", "a footprint in eastern Mali": the words right after the noun.
        if self.upos(t) == "NOUN" {
            let send = self.ann.sentences[self.sent_of[t]].end;
            if t + 1 < send && is(lexicon::IN_PLACE, &self.lower[t + 1]) && self.lower[t + 1] != "from" {
                let mut j = t + 2;
                while j < send && j < t + 5 && self.mention_at[j].is_none() && matches!(self.upos(j), "DET" | "ADJ") {
                    j += 1;
                }
                if let Some(m) = (j < send).then(|| self.mention_at[j]).flatten() {
                    if PLACE.contains(&self.etype(m)) && m != subj.mention {
                        places.push((m, j));
                    }
                }
            }
        }
        places.sort_unstable();
        places.dedup_by_key(|p| p.0);
        for (m, _) in places {
            let mut c = base(subj.mention, "operates_in", t);
            c.object = Some(m);
            c.modality = self.modality_of(t, &[]);
            c.when = self.when_of(t, si);
            c.confidence = confidence(subj.how, Some(How::Direct)) * 0.9;
            out.push(c);
        }
    }

    /// The "by X" agent of an event noun ("training of Belarusian troops by Wagner
    /// mercenaries"), also when the parse hung it from the noun's own modifier.
    fn noun_agent(&self, n: usize) -> Option<Arg> {
        let mut stack: Vec<(usize, usize)> = self.kids(n).iter().map(|&c| (c, 0)).collect();
        while let Some((w, d)) = stack.pop() {
            if !self.deprel(w).starts_with("nmod") {
                continue;
            }
            if self.case_of(w) == Some("by") {
                if let Some(a) = self.mention_of(w, 0).filter(|a| ACTOR.contains(&self.etype(a.mention))) {
                    return Some(a);
                }
            }
            if d < 1 {
                stack.extend(self.kids(w).iter().map(|&c| (c, d + 1)));
            }
        }
        None
    }

    /// "Turkey, as a member of NATO", "X is part of Y", "the leader of Y".
    fn relation_noun(&self, n: usize, pred: &'static str, base: &dyn Fn(usize, &'static str, usize) -> Claim, out: &mut Vec<Claim>) {
        let Some((obj, _)) = self.kids(n).iter().find_map(|&c| {
            (self.deprel(c).starts_with("nmod") && self.case_of(c) == Some("of")).then(|| self.mention_of(c, 0).map(|a| (a, c))).flatten()
        }) else {
            return;
        };
        if !matches!(self.etype(obj.mention), "ORG" | "GPE") {
            return;
        }
        // The subject: whose predicate nominal or appositive this is.
        let h = self.head(n);
        let subj = match self.deprel(n) {
            "appos" => h.and_then(|h| self.mention_of(h, 0)),
            "root" | "conj" | "ccomp" | "xcomp" | "advcl" | "obl" => {
                self.kids(n).iter().copied().find(|&c| self.deprel(c).starts_with("nsubj")).and_then(|c| self.mention_of(c, 0)).or_else(|| {
                    // "Turkey, as a member of NATO, ...": the clause's subject.
                    let h = h?;
                    if self.case_of(n) == Some("as") {
                        // "Turkey, as a member of NATO, is aligned with ...": the governor's
                        // subject (or the governor itself when the phrase hangs off the name).
                        if let Some(m) = self.mention_at[h].filter(|&m| ACTOR.contains(&self.etype(m))) {
                            return Some(Arg { mention: m, how: How::Direct });
                        }
                        self.kids(h)
                            .iter()
                            .copied()
                            .find(|&c| self.deprel(c).starts_with("nsubj"))
                            .and_then(|c| self.mention_of(c, 0))
                            .or_else(|| self.left_actor(n))
                    } else {
                        None
                    }
                })
            }
            _ => None,
        };
        let Some(subj) = subj else { return };
        if subj.mention == obj.mention || !ACTOR.contains(&self.etype(subj.mention)) {
            return;
        }
        let mut c = base(subj.mention, pred, n);
        c.object = Some(obj.mention);
        if pred == "leads" || pred == "founded" {
            c.role = Some(self.lower[n].clone());
        }
        c.modality = self.modality_of(n, &[]);
        c.confidence = confidence(subj.how, Some(obj.how)) * 0.9;
        out.push(c);
    }

    /// "links to X", "ties with X": affiliated_with (denials keep their modality).
    fn link_noun(&self, n: usize, _si: usize, base: &dyn Fn(usize, &'static str, usize) -> Claim, out: &mut Vec<Claim>) {
        let Some((obj, _)) = self.noun_object(n, None) else { return };
        let subj = self.kids(n).iter().copied().find(|&c| self.deprel(c) == "nmod:poss").and_then(|c| self.mention_of(c, 0)).or_else(|| {
            let h = self.head(n)?;
            self.subject_of(h, 0)
        });
        let Some(subj) = subj else { return };
        if subj.mention == obj.mention || !ACTOR.contains(&self.etype(subj.mention)) || !ACTOR.contains(&self.etype(obj.mention)) {
            return;
        }
        // "X denied links to Y": the denial is the event (REJECT); no link is claimed.
        if self.head(n).is_some_and(|h| is(lexicon::DENY, &self.lemma[h])) {
            return;
        }
        let mut c = base(subj.mention, "affiliated_with", n);
        c.object = Some(obj.mention);
        c.modality = self.modality_of(n, &[]);
        c.confidence = confidence(subj.how, Some(obj.how)) * 0.8;
        out.push(c);
    }

    /// `holds_position` from titles before a name ("Russian President Vladimir Putin",
    /// "Russia's defence minister Sergey Shoigu", "Kremlin spokesperson Dmitry Peskov")
    /// and appositions after it ("Anton Vayno, who is chief of staff to ...",
    /// "Tatiana Stanovaya, founder of R. Politik").
    fn titles(&self, si: usize, base: &dyn Fn(usize, &'static str, usize) -> Claim, out: &mut Vec<Claim>) {
        let s = self.ann.sentences[si].clone();
        for (m, mstart, i) in self.mention_runs(si) {
            if self.etype(m) != "PERSON" {
                continue;
            }
            if let Some(c) = self.title_before(m, mstart, s.start, base) {
                out.push(c);
            } else if let Some(c) = self.title_after(m, i, s.end, base) {
                out.push(c);
            }
        }
    }

    /// The mentions of sentence `si` in order, each as (mention, first word, one past its last word).
    fn mention_runs(&self, si: usize) -> Vec<(usize, usize, usize)> {
        let s = self.ann.sentences[si].clone();
        let mut runs = Vec::new();
        let mut i = s.start;
        while i < s.end {
            let Some(m) = self.mention_at[i] else {
                i += 1;
                continue;
            };
            let start = i;
            while i < s.end && self.mention_at[i] == Some(m) {
                i += 1;
            }
            runs.push((m, start, i));
        }
        runs
    }

    fn is_role_word(&self, w: usize) -> bool {
        let l = self.lower[w].trim_start_matches("ex-");
        is(lexicon::ROLE_HEADS, &self.lower[w]) || is(lexicon::ROLE_HEADS, l) || is(lexicon::ROLE_HEADS, &self.lemma[w])
    }

    fn title_before(&self, m: usize, mstart: usize, sstart: usize, base: &dyn Fn(usize, &'static str, usize) -> Claim) -> Option<Claim> {
        // Walk left over the title's words.
        let mut j = mstart;
        let mut has_head = false;
        let mut object: Option<usize> = None;
        while j > sstart {
            let w = j - 1;
            let lower = self.lower[w].as_str();
            if let Some(om) = self.mention_at[w] {
                // "ex-ambassador to the US": a mention inside the title after "to"/"of".
                if j < mstart && has_head && w >= 1 && matches!(self.lower[w - 1].as_str(), "the" | "to" | "of" | "for") && matches!(self.etype(om), "GPE" | "ORG") {
                    // part of the title ("to the US"): skip over it
                    let mut k = w;
                    while k > sstart && self.mention_at[k - 1] == Some(om) {
                        k -= 1;
                    }
                    j = k;
                    continue;
                }
                if has_head && matches!(self.etype(om), "GPE" | "ORG" | "NORP" | "FAC") {
                    object = Some(om);
                }
                break;
            }
            if lower == "'s" || lower == "’s" || lower == "'" {
                // "Russia's defence minister": the possessor is whom the role serves.
                if has_head && w > sstart {
                    if let Some(om) = self.mention_at[w - 1] {
                        if matches!(self.etype(om), "GPE" | "ORG" | "NORP") {
                            object = Some(om);
                        }
                    }
                }
                break;
            }
            let role_word = self.is_role_word(w);
            let modifier = is(lexicon::ROLE_MODIFIERS, lower) || is(lexicon::ROLE_MODIFIERS, lower.trim_start_matches("ex-"));
            let inner = has_head && matches!(lower, "of" | "to" | "for" | "the" | "-") || (has_head && matches!(self.upos(w), "NOUN" | "ADJ") && j < mstart && self.lower.get(j).is_some_and(|n| n == "of" || n == "intelligence" || is(lexicon::ROLE_MODIFIERS, n)));
            if role_word {
                has_head = true;
            } else if !(modifier || inner) {
                break;
            }
            j = w;
        }
        if !has_head {
            return None;
        }
        // Trim: the title starts at its first role word or modifier, never at "of"/"the".
        let mut a = j;
        while a < mstart && !(self.is_role_word(a) || is(lexicon::ROLE_MODIFIERS, &self.lower[a]) || is(lexicon::ROLE_MODIFIERS, self.lower[a].trim_start_matches("ex-"))) {
            a += 1;
        }
        if a >= mstart {
            return None;
        }
        let span = self.ann.words[a].token.start..self.ann.words[mstart - 1].token.end;
        let role = self.ann.text[span.clone()].trim().to_string();
        if role.is_empty() || role.len() > 60 {
            return None;
        }
        let mut c = base(m, "holds_position", a);
        c.trigger = Some(span);
        c.role = Some(role);
        c.object = object;
        c.modality = if (a..mstart).any(|w| is(lexicon::ALLEGE, &self.lower[w])) { "alleged" } else { "asserted" };
        c.confidence = 0.75;
        Some(c)
    }

    fn title_after(&self, m: usize, after: usize, send: usize, base: &dyn Fn(usize, &'static str, usize) -> Claim) -> Option<Claim> {
        let mut j = after;
        if j >= send || self.lower[j] != "," {
            return None;
        }
        j += 1;
        let mut object: Option<usize> = None;
        // ", who is", ", who was", ", the", ", a", ", Russia's"
        while j < send && matches!(self.lower[j].as_str(), "who" | "is" | "was" | "the" | "a" | "an" | "currently" | "now" | "then" | "also") {
            j += 1;
        }
        if j < send {
            if let Some(om) = self.mention_at[j] {
                if matches!(self.etype(om), "GPE" | "ORG" | "NORP") {
                    object = Some(om);
                    while j < send && self.mention_at[j] == Some(om) {
                        j += 1;
                    }
                    if j < send && matches!(self.lower[j].as_str(), "'s" | "’s" | "'") {
                        j += 1;
                    }
                }
            }
        }
        let a = j;
        let mut has_head = false;
        while j < send {
            let lower = self.lower[j].as_str();
            if self.is_role_word(j) {
                has_head = true;
            } else if !(is(lexicon::ROLE_MODIFIERS, lower) || (has_head && lower == "of")) {
                break;
            }
            j += 1;
        }
        let a = (a..j).find(|&w| !is(lexicon::NOT_ROLE, &self.lower[w])).unwrap_or(a);
        if !has_head || a >= j || self.lower[j - 1] == "of" && j == a + 1 {
            return None;
        }
        let mut end = j;
        if self.lower[end - 1] == "of" {
            end -= 1;
        }
        // "... of R. Politik", "... to the Russian leader"
        if j < send && matches!(self.lower[j].as_str(), "of" | "to" | "at" | "for") || self.lower[j - 1] == "of" {
            let k0 = if self.lower[j - 1] == "of" { j } else { j + 1 };
            for k in k0..(k0 + 4).min(send) {
                if let Some(om) = self.mention_at[k] {
                    if matches!(self.etype(om), "GPE" | "ORG" | "NORP" | "PERSON") {
                        object = Some(om);
                    }
                    break;
                }
                if matches!(self.lower[k].as_str(), "," | "." | ";") {
                    break;
                }
            }
        }
        let span = self.ann.words[a].token.start..self.ann.words[end - 1].token.end;
        let role = self.ann.text[span.clone()].trim().to_string();
        if role.is_empty() || role.len() > 60 {
            return None;
        }
        let mut c = base(m, "holds_position", a);
        c.trigger = Some(span);
        c.role = Some(role);
        c.object = object;
        c.modality = if (after..j).any(|w| is(lexicon::ALLEGE, &self.lower[w])) { "alleged" } else { "asserted" };
        c.confidence = 0.7;
        Some(c)
    }

    /// "his alleged security firm Wagner Group": the possessor leads the organisation.
    fn possessed_orgs(&self, si: usize, base: &dyn Fn(usize, &'static str, usize) -> Claim, out: &mut Vec<Claim>) {
        let s = self.ann.sentences[si].clone();
        for p in s.clone() {
            if !matches!(self.lower[p].as_str(), "his" | "her") {
                continue;
            }
            // The possessed phrase: up to 5 words, ending in an ORG mention.
            let mut k = p + 1;
            let mut alleged = false;
            while k < s.end && k < p + 6 && self.mention_at[k].is_none() {
                if !matches!(self.upos(k), "ADJ" | "NOUN") {
                    break;
                }
                alleged |= is(lexicon::ALLEGE, &self.lower[k]);
                k += 1;
            }
            let Some(org) = (k < s.end).then(|| self.mention_at[k]).flatten() else { continue };
            if self.etype(org) != "ORG" || k == p + 1 {
                continue;
            }
            let noun = &self.lemma[k - 1];
            if !matches!(noun.as_str(), "firm" | "company" | "group" | "organisation" | "organization" | "outfit" | "party" | "army" | "militia" | "business" | "network" | "movement") {
                continue;
            }
            let Some(owner) = self.antecedent(p, &["PERSON"], None) else { continue };
            let mut c = base(owner, "leads", k - 1);
            c.object = Some(org);
            c.modality = if alleged { "alleged" } else { "asserted" };
            c.confidence = 0.5;
            out.push(c);
        }
    }

    /// `located_in`: "the Bocharov Ruchei residence in Sochi", "X, based in Y".
    fn located(&self, si: usize, base: &dyn Fn(usize, &'static str, usize) -> Claim, out: &mut Vec<Claim>) {
        let s = self.ann.sentences[si].clone();
        for (m, _, i) in self.mention_runs(si) {
            if !matches!(self.etype(m), "FAC" | "ORG") {
                continue;
            }
            // FAC (or ORG) [noun]? (in|near|based in|headquartered in) GPE
            let mut j = i;
            if j < s.end && matches!(self.upos(j), "NOUN") && self.etype(m) == "FAC" {
                j += 1;
            }
            if j < s.end && matches!(self.lower[j].as_str(), "based" | "headquartered" | "located") {
                j += 1;
            } else if self.etype(m) == "ORG" {
                continue;
            }
            if j + 1 < s.end && matches!(self.lower[j].as_str(), "in" | "near" | "outside") {
                if let Some(p) = self.mention_at[j + 1] {
                    if matches!(self.etype(p), "GPE" | "LOC") {
                        let mut c = base(m, "located_in", j);
                        c.object = Some(p);
                        c.confidence = 0.6;
                        out.push(c);
                    }
                }
            }
        }
    }
}

fn static_pred(p: &str) -> &'static str {
    const PREDS: [&str; 11] = [
        "holds_position", "leads", "founded", "member_of", "part_of", "funds", "owns", "located_in", "operates_in",
        "affiliated_with", "nationality_of",
    ];
    PREDS.iter().copied().find(|x| *x == p).unwrap_or("affiliated_with")
}

fn confidence(subj: How, obj: Option<How>) -> f32 {
    let s = match subj {
        How::Direct => 0.75,
        How::Group => 0.65,
        How::Anaphor => 0.55,
    };
    let o = match obj {
        None => 1.0,
        Some(How::Direct) => 1.0,
        Some(How::Group) => 0.9,
        Some(How::Anaphor) => 0.8,
    };
    s * o
}

#[cfg(test)]
mod tests {
    use super::repair;
    use dossier_nlp::pipeline::Word;
    use dossier_nlp::tokenize::{Token, TokenKind};
    use std::borrow::Cow;

    /// One sentence as "form UPOS XPOS head deprel" rows; returns each word's head after
    /// `repair` (1-based, 0 for the root) and relation.
    fn repaired(rows: &[&str]) -> Vec<(usize, String)> {
        let mut words = Vec::new();
        let mut lower = Vec::new();
        let mut at = 0;
        for r in rows {
            let f: Vec<&str> = r.split(' ').collect();
            let (form, upos, xpos, head, deprel) = (f[0], f[1], f[2], f[3].parse().unwrap(), f[4]);
            let token = Token { start: at, end: at + form.len(), kind: TokenKind::Word, fused: false };
            at += form.len() + 1;
            words.push(Word { token, upos, xpos, lemma: Cow::Borrowed(form), head, deprel });
            lower.push(form.to_lowercase());
        }
        let n = words.len();
        let mut heads: Vec<Option<usize>> = words.iter().map(|w| w.head.checked_sub(1)).collect();
        let mut rels: Vec<&str> = words.iter().map(|w| w.deprel).collect();
        repair(&words, &lower, &[0..n], &vec![0; n], &mut heads, &mut rels);
        heads.iter().zip(rels).map(|(h, r)| (h.map_or(0, |h| h + 1), r.to_string())).collect()
    }

    #[test]
    fn an_object_before_its_verb_is_mended() {
        // "they backed Haftar overthrow the government", Haftar taken as the object of
        // "overthrow": it is the object of "backed".
        let t = repaired(&["they PRON PRP 2 nsubj", "backed VERB VBD 0 root", "Haftar PROPN NNP 4 obj", "overthrow VERB VB 2 xcomp", "the DET DT 6 det", "government NOUN NN 4 obj"]);
        assert_eq!(t[2], (2, "obj".into()));
        assert_eq!(t[3], (2, "xcomp".into()));
        assert_eq!(t[5], (4, "obj".into()));
        // "the group insisting the businessman provides services": "businessman" is the
        // subject of "provides", and the old subject goes to "insisting".
        let t = repaired(&[
            "the DET DT 2 det",
            "group NOUN NN 6 nsubj",
            "insisting VERB VBG 6 advcl",
            "the DET DT 5 det",
            "businessman NOUN NN 6 obj",
            "provides VERB VBZ 0 root",
            "services NOUN NNS 6 obj",
        ]);
        assert_eq!(t[4], (6, "nsubj".into()));
        assert_eq!(t[1], (3, "nsubj".into()));
        assert_eq!(t[6], (6, "obj".into()));
        // A fronted wh phrase keeps its object: "which weapons Russia sent".
        let t = repaired(&["which DET WDT 2 det", "weapons NOUN NNS 4 obj", "Russia PROPN NNP 4 nsubj", "sent VERB VBD 0 root"]);
        assert_eq!(t[1], (4, "obj".into()));
        assert_eq!(t[2], (4, "nsubj".into()));
    }

    /// Random trees over words that trigger every rule: `repair` always leaves a tree
    /// (every word reaches the root; the rules walk up heads and would hang on a cycle).
    #[test]
    fn repair_keeps_random_trees_trees() {
        const WORDS: &[(&str, &str, &str)] = &[("Putin", "PROPN", "NNP"), ("group", "NOUN", "NN"), ("saying", "VERB", "VBG"), ("provides", "VERB", "VBZ"), ("with", "ADP", "IN")];
        const RELS: &[&str] = &["obj", "nsubj", "nmod", "case", "xcomp", "flat"];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |m: usize| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            ((seed >> 33) as usize) % m
        };
        for _ in 0..20000 {
            let n = 2 + next(7);
            let root = next(n);
            let mut rows = Vec::new();
            for i in 0..n {
                // A random tree: each word hangs from an earlier-placed word (by a random order).
                let head = if i == root { 0 } else { 1 + if i == 0 { root } else { [root, next(i), i - 1][next(3)] } };
                let (form, upos, xpos) = WORDS[next(WORDS.len())];
                let rel = if i == root { "root" } else { RELS[next(RELS.len())] };
                rows.push(format!("{form} {upos} {xpos} {head} {rel}"));
            }
            // Heads point at earlier words or the root only, so the input is a tree.
            let refs: Vec<&str> = rows.iter().map(String::as_str).collect();
            let t = repaired(&refs);
            for start in 0..n {
                let (mut w, mut steps) = (start, 0);
                while t[w].0 != 0 {
                    w = t[w].0 - 1;
                    steps += 1;
                    assert!(steps <= n, "a cycle after repair: {rows:?} -> {t:?}");
                }
            }
        }
    }

    #[test]
    fn absolute_with_clauses_and_double_subjects_are_mended() {
        // "Russia denied the claims with Putin saying ...": Putin says, not the claims.
        let t = repaired(&[
            "Russia PROPN NNP 2 nsubj",
            "denied VERB VBD 0 root",
            "the DET DT 4 det",
            "claims NOUN NNS 2 obj",
            "with ADP IN 6 case",
            "Putin PROPN NNP 4 nmod",
            "saying VERB VBG 2 advcl",
        ]);
        assert_eq!(t[5], (7, "nsubj".into()));
        assert_eq!(t[4], (7, "mark".into()));
        // "calls with Putin and Zelensky", Putin taken as a compound of Zelensky.
        let t = repaired(&[
            "calls NOUN NNS 0 root",
            "with ADP IN 5 case",
            "Putin PROPN NNP 5 compound",
            "and CCONJ CC 5 cc",
            "Zelensky PROPN NNP 1 nmod",
        ]);
        assert_eq!(t[2], (1, "nmod".into()));
        assert_eq!(t[1], (3, "case".into()));
        assert_eq!(t[4], (3, "conj".into()));
        // "The company, whose members are personnel, has fought" with "personnel" as the root.
        let t = repaired(&[
            "The DET DT 2 det",
            "company NOUN NN 7 nsubj",
            ", PUNCT , 7 punct",
            "whose PRON WP$ 5 nmod:poss",
            "members NOUN NNS 7 nsubj",
            "are AUX VBP 7 cop",
            "personnel NOUN NN 0 root",
            ", PUNCT , 10 punct",
            "has AUX VBZ 10 aux",
            "fought VERB VBN 7 parataxis",
        ]);
        assert_eq!(t[9], (0, "root".into()));
        assert_eq!(t[1], (10, "nsubj".into()));
        assert_eq!(t[6], (2, "acl:relcl".into()));
        // "The column, made up of trucks, was moving" with "made" as the root.
        let t = repaired(&[
            "The DET DT 2 det",
            "column NOUN NN 4 nsubj",
            ", PUNCT , 4 punct",
            "made VERB VBN 0 root",
            "up ADP RP 4 compound:prt",
            "of ADP IN 7 case",
            "trucks NOUN NNS 4 obl",
            ", PUNCT , 10 punct",
            "was AUX VBD 10 aux",
            "moving VERB VBG 4 parataxis",
        ]);
        assert_eq!(t[9], (0, "root".into()));
        assert_eq!(t[1], (10, "nsubj".into()));
        assert_eq!(t[3], (2, "acl".into()));
        // "Iran denied having supplied drones": "having" the main verb, "supplied" a modifier.
        let t = repaired(&[
            "Iran PROPN NNP 2 nsubj",
            "denied VERB VBD 0 root",
            "having VERB VBG 2 ccomp",
            "supplied VERB VBN 5 amod",
            "drones NOUN NNS 3 obj",
        ]);
        assert_eq!(t[3], (2, "ccomp".into()));
        assert_eq!(t[2], (4, "aux".into()));
        assert_eq!(t[4], (4, "obj".into()));
        // ... but "they have trained soldiers" may be a possession: left alone.
        let t = repaired(&["they PRON PRP 2 nsubj", "have VERB VBP 0 root", "trained VERB VBN 4 amod", "soldiers NOUN NNS 2 obj"]);
        assert_eq!(t[2], (4, "amod".into()));
        // "Gazprom Media, a company controlled by X" with "company" as a subject.
        let t = repaired(&[
            "said VERB VBD 0 root",
            "Gazprom PROPN NNP 3 compound",
            "Media NOUN NN 1 obj",
            ", PUNCT , 6 punct",
            "a DET DT 6 det",
            "company NOUN NN 1 nsubj",
        ]);
        assert_eq!(t[5], (3, "appos".into()));
        // "the defense ministry announced" with both nouns as subjects.
        let t = repaired(&["the DET DT 3 det", "defense NOUN NN 4 nsubj", "ministry NOUN NN 4 nsubj", "announced VERB VBD 0 root"]);
        assert_eq!(t[1], (3, "compound".into()));
        assert_eq!(t[2], (4, "nsubj".into()));
        // A well-formed tree is left as it is.
        let rows = ["Wagner PROPN NNP 2 nsubj", "trained VERB VBD 0 root", "Belarusian ADJ JJ 4 amod", "soldiers NOUN NNS 2 obj"];
        let t = repaired(&rows);
        let same: Vec<(usize, String)> = rows.iter().map(|r| { let f: Vec<&str> = r.split(' ').collect(); (f[3].parse().unwrap(), f[4].to_string()) }).collect();
        assert_eq!(t, same);
    }
}
