//! What a document's text says around its mentions: titles and appositions
//! (roles), epithets (`dubbed "..."`), parenthesised acronyms and expansions,
//! and descriptive phrases that tell an organisation's kind.
//!
//! Everything reads `text` through checked slices: a mention whose span is
//! out of range or off a character boundary simply has no context.

use std::borrow::Borrow;

use crate::names::{self, CleanName};
use crate::{EntityType, Mention, OrgKind};

/// A role found for a person mention (indices are into the doc's mentions).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RawRole {
    pub mention: usize,
    pub text: String,
    pub span: (usize, usize),
    pub org: Option<usize>,
}

/// What a parenthesis links a mention to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ParenTarget {
    /// Another mention (inside the parentheses, or before them).
    Mention(usize),
    /// Text that no mention covers: an alias of the mention.
    Alias(String),
}

/// The context of one document.
#[derive(Clone, Debug, Default)]
pub(crate) struct DocContext {
    pub roles: Vec<RawRole>,
    /// (person mention, epithet as written).
    pub epithets: Vec<(usize, String)>,
    /// (mention, what its parenthesis names).
    pub parens: Vec<(usize, ParenTarget)>,
    /// (org mention, kind its apposition or descriptor tells).
    pub kinds: Vec<(usize, OrgKind)>,
}

/// Spans of a document's mentions that are usable for context.
struct Index<'a> {
    text: &'a str,
    mentions: &'a [Mention],
    /// Mention indices with valid spans, sorted by (start, end, idx).
    by_start: Vec<usize>,
    /// The same, sorted by (end, start, idx).
    by_end: Vec<usize>,
}

impl<'a> Index<'a> {
    fn new(text: &'a str, mentions: &'a [Mention]) -> Index<'a> {
        let valid: Vec<usize> = (0..mentions.len())
            .filter(|&i| valid_span(text, &mentions[i]))
            .collect();
        let mut by_start = valid.clone();
        by_start.sort_by_key(|&i| (mentions[i].start, mentions[i].end, i));
        let mut by_end = valid;
        by_end.sort_by_key(|&i| (mentions[i].end, mentions[i].start, i));
        Index {
            text,
            mentions,
            by_start,
            by_end,
        }
    }

    fn starting_at(&self, pos: usize) -> Option<usize> {
        let k = self
            .by_start
            .partition_point(|&i| self.mentions[i].start < pos);
        // The longest mention starting at pos.
        self.by_start[k..]
            .iter()
            .take_while(|&&i| self.mentions[i].start == pos)
            .last()
            .copied()
    }

    fn ending_at(&self, pos: usize) -> Option<usize> {
        let k = self.by_end.partition_point(|&i| self.mentions[i].end < pos);
        self.by_end[k..]
            .iter()
            .take_while(|&&i| self.mentions[i].end == pos)
            .next()
            .copied()
    }

    /// The nearest person mention ending at or before `pos` (and after
    /// `floor`).
    fn person_before(&self, pos: usize, floor: usize) -> Option<usize> {
        let k = self
            .by_end
            .partition_point(|&i| self.mentions[i].end <= pos);
        self.by_end[..k]
            .iter()
            .rev()
            .take_while(|&&i| self.mentions[i].end >= floor)
            .find(|&&i| self.mentions[i].etype == EntityType::Person)
            .copied()
    }

    fn person_after(&self, pos: usize, ceil: usize) -> Option<usize> {
        let k = self
            .by_start
            .partition_point(|&i| self.mentions[i].start < pos);
        self.by_start[k..]
            .iter()
            .take_while(|&&i| self.mentions[i].start <= ceil)
            .find(|&&i| self.mentions[i].etype == EntityType::Person)
            .copied()
    }
}

fn valid_span(text: &str, m: &Mention) -> bool {
    m.start < m.end && text.get(m.start..m.end).is_some()
}

/// Reads the context of one document. `cleaned[i]` is mention i's name.
pub(crate) fn analyse<C: Borrow<CleanName>>(
    text: &str,
    mentions: &[Mention],
    cleaned: &[C],
) -> DocContext {
    let ix = Index::new(text, mentions);
    let mut cx = DocContext::default();
    for &i in &ix.by_start {
        let m = &mentions[i];
        match m.etype {
            EntityType::Person => {
                roles_before(&ix, i, cleaned[i].borrow(), &mut cx.roles);
                roles_after(&ix, i, &mut cx.roles);
            }
            EntityType::Org => {
                parens(&ix, i, cleaned, &mut cx.parens);
                kinds(&ix, i, &mut cx.kinds);
            }
            _ => parens(&ix, i, cleaned, &mut cx.parens),
        }
    }
    epithets(&ix, &mut cx.epithets);
    cx.roles.sort_by_key(|r| (r.mention, r.span));
    cx.roles.dedup();
    cx
}

/// Is `s` (text between two things) only whitespace, optionally after a
/// possessive?
fn possessive_gap(s: &str) -> bool {
    let t = s.trim_start();
    let t = t
        .strip_prefix("'s")
        .or_else(|| t.strip_prefix("’s"))
        .or_else(|| t.strip_prefix('\''))
        .or_else(|| t.strip_prefix('’'))
        .unwrap_or(t);
    t.chars().all(char::is_whitespace) && t.len() <= 3
}

/// The mention ending just before `pos` (across whitespace and a
/// possessive), other than `not`.
fn org_before(ix: &Index<'_>, pos: usize, not: usize) -> Option<usize> {
    let before = ix.text.get(..pos)?;
    // Walk back over whitespace, then an optional possessive.
    let trimmed = before.trim_end();
    let mut ends = vec![trimmed.len()];
    for p in ["'s", "’s", "'", "’"] {
        if let Some(t) = trimmed.strip_suffix(p) {
            ends.push(t.len());
        }
    }
    for end in ends {
        if let Some(j) = ix.ending_at(end) {
            if j != not && possessive_gap(&ix.text[end..pos]) {
                return Some(j);
            }
        }
    }
    None
}

/// A title before a name, inside the mention ("Defense Minister Sergei
/// Shoigu" as one mention) or just before it in the text.
fn roles_before(ix: &Index<'_>, i: usize, clean: &CleanName, out: &mut Vec<RawRole>) {
    let m = &ix.mentions[i];
    let consistent = ix.text.get(m.start..m.end) == Some(m.text.as_str());
    if let Some((ts, te)) = clean.title {
        if consistent {
            let span = (m.start + ts, m.start + te);
            let org = if ts == 0 {
                org_before(ix, span.0, i)
            } else {
                None
            };
            out.push(RawRole {
                mention: i,
                text: m.text[ts..te].to_string(),
                span,
                org,
            });
        }
        return;
    }
    let Some(before) = ix.text.get(..m.start) else {
        return;
    };
    // Words back from the name, each separated by one space or tab.
    let mut start = m.start;
    let mut n_words = 0;
    let mut head_seen = false;
    let mut cursor = before;
    while let Some(stripped) = cursor.strip_suffix([' ', '\u{a0}']) {
        let word_start = stripped
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_alphanumeric() || *c == '-' || *c == '.')
            .last()
            .map(|(k, _)| k);
        let Some(ws) = word_start else { break };
        let word = &stripped[ws..];
        let ok = if n_words == 0 {
            names::is_role_head(word)
        } else {
            names::is_role_word(word)
        };
        // A word ending in a period is an abbreviated title ("Gen.") or
        // the end of the previous sentence.
        let abbreviation = !word.ends_with('.') || word.chars().count() <= 5;
        if !ok || !abbreviation {
            break;
        }
        head_seen |= names::is_role_head(word);
        n_words += 1;
        start = ws;
        cursor = &stripped[..ws];
        if n_words >= 5 {
            break;
        }
    }
    if n_words == 0 || !head_seen {
        return;
    }
    let end = ix.text[..m.start].trim_end().len();
    let text = ix.text[start..end].to_string();
    let org = org_before(ix, start, i);
    out.push(RawRole {
        mention: i,
        text,
        span: (start, end),
        org,
    });
}

/// Appositions after a name: ", who is chief of staff to ...", ", a
/// political consultant and founder of R. Politik".
fn roles_after(ix: &Index<'_>, i: usize, out: &mut Vec<RawRole>) {
    let m = &ix.mentions[i];
    let Some(rest) = ix.text.get(m.end..) else {
        return;
    };
    let Some(after_comma) = rest.strip_prefix(',') else {
        return;
    };
    let base = m.end + 1;
    let window_len = floor_boundary(after_comma, 240);
    let window = &after_comma[..window_len];
    let window = &window[..window.find('\n').unwrap_or(window.len())];
    let words = names::word_offsets(window);
    let mut k = 0;
    let lower = |k: usize| words.get(k).map(|(_, w)| w.to_lowercase());
    if lower(k).as_deref() == Some("who") {
        k += 1;
        match lower(k).as_deref() {
            Some("is" | "was" | "became") => k += 1,
            Some("serves" | "served" | "acts" | "acted")
                if lower(k + 1).as_deref() == Some("as") =>
            {
                k += 2
            }
            Some("has" | "had") if lower(k + 1).as_deref() == Some("been") => k += 2,
            _ => return,
        }
    }
    if matches!(lower(k).as_deref(), Some("a" | "an" | "the")) {
        k += 1;
    }
    // Up to two leading adjectives that are not role words.
    let mut skipped = 0;
    let mut groups: Vec<(usize, usize)> = Vec::new(); // byte spans in window
    let mut org = None;
    while k < words.len() {
        let (off, raw) = words[k];
        let word = raw.trim_end_matches([',', '.', ';', ':']);
        let punct_end = word.len() != raw.len();
        if names::is_role_word(word) {
            let g_start = off;
            let mut g_end = off + word.len();
            let mut has_head = names::is_role_head(word);
            let mut stop = punct_end;
            k += 1;
            while !stop && k < words.len() {
                let (off2, raw2) = words[k];
                let w2 = raw2.trim_end_matches([',', '.', ';', ':']);
                let chief_of_staff = window[g_start..g_end].to_lowercase().ends_with("chief")
                    && w2.eq_ignore_ascii_case("of")
                    && words
                        .get(k + 1)
                        .is_some_and(|(_, w)| w.to_lowercase().starts_with("staff"));
                if chief_of_staff {
                    let (off3, raw3) = words[k + 1];
                    let w3 = raw3.trim_end_matches([',', '.', ';', ':']);
                    g_end = off3 + w3.len();
                    stop = w3.len() != raw3.len();
                    has_head = true;
                    k += 2;
                    continue;
                }
                if !names::is_role_word(w2) {
                    break;
                }
                has_head |= names::is_role_head(w2);
                g_end = off2 + w2.len();
                stop = w2.len() != raw2.len();
                k += 1;
            }
            if has_head {
                groups.push((g_start, g_end));
            }
            if stop {
                break;
            }
            match lower(k).as_deref() {
                Some("and") => {
                    k += 1;
                    continue;
                }
                Some("of" | "to" | "at" | "for" | "in" | "with") => {
                    let mut pos = base + words[k].0 + words[k].1.len();
                    let tail = &ix.text[pos..];
                    let tail_trim = tail.trim_start();
                    pos += tail.len() - tail_trim.len();
                    if let Some(rest) = tail_trim.strip_prefix("the ") {
                        if ix.starting_at(pos).is_none() {
                            pos += tail_trim.len() - rest.len();
                        }
                    }
                    org = ix.starting_at(pos).filter(|&j| {
                        j != i
                            && !matches!(
                                ix.mentions[j].etype,
                                EntityType::Norp | EntityType::Product
                            )
                    });
                    break;
                }
                _ => break,
            }
        } else {
            if !groups.is_empty()
                || skipped >= 2
                || punct_end
                || ix.starting_at(base + off).is_some() && skipped > 0
            {
                break;
            }
            if !word.chars().next().is_some_and(|c| c.is_lowercase())
                && ix.starting_at(base + off).is_none()
            {
                break;
            }
            skipped += 1;
            k += 1;
        }
    }
    let n = groups.len();
    for (g, (s, e)) in groups.into_iter().enumerate() {
        out.push(RawRole {
            mention: i,
            text: window[s..e].to_string(),
            span: (base + s, base + e),
            org: if g + 1 == n { org } else { None },
        });
    }
}

fn floor_boundary(s: &str, max: usize) -> usize {
    if s.len() <= max {
        return s.len();
    }
    let mut k = max;
    while !s.is_char_boundary(k) {
        k -= 1;
    }
    k
}

/// `X (ACR)` and `ACR (Long Form)`.
fn parens<C: Borrow<CleanName>>(
    ix: &Index<'_>,
    i: usize,
    cleaned: &[C],
    out: &mut Vec<(usize, ParenTarget)>,
) {
    let m = &ix.mentions[i];
    let Some(rest) = ix.text.get(m.end..) else {
        return;
    };
    let trimmed = rest.trim_start_matches([' ', '\u{a0}']);
    let Some(inner_all) = trimmed.strip_prefix('(') else {
        return;
    };
    let Some(close) = inner_all.find(')') else {
        return;
    };
    if close > 80 || inner_all[..close].contains(['(', '\n']) {
        return;
    }
    let open_pos = m.end + (rest.len() - trimmed.len()) + 1;
    let inner_raw = &inner_all[..close];
    let inner = inner_raw.trim();
    let inner_pos = open_pos + (inner_raw.len() - inner_raw.trim_start().len());
    let outer = &cleaned[i].borrow().display;
    let outer_words: Vec<&str> = outer.split_whitespace().collect();
    let inner_mention = ix
        .starting_at(inner_pos)
        .filter(|&j| ix.mentions[j].end <= open_pos + close);
    if let Some(acr) = names::acronym(inner) {
        // "North Atlantic Treaty Organization (NATO)".
        if outer_words.len() >= 2 && first_distinctive_letter(&outer_words) == acr.chars().next() {
            let target = match inner_mention {
                Some(j) => ParenTarget::Mention(j),
                None => ParenTarget::Alias(inner.to_string()),
            };
            out.push((i, target));
        }
    } else if let Some(acr) = names::acronym(outer) {
        // "NATO (North Atlantic Treaty Organization)".
        let inner_words: Vec<&str> = inner.split_whitespace().collect();
        let capitalised = inner_words
            .iter()
            .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
            .count();
        if inner_words.len() >= 2
            && capitalised >= 2
            && first_distinctive_letter(&inner_words) == acr.chars().next()
        {
            let target = match inner_mention {
                Some(j) => ParenTarget::Mention(j),
                None => ParenTarget::Alias(inner.to_string()),
            };
            out.push((i, target));
        }
    }
}

fn first_distinctive_letter(words: &[&str]) -> Option<char> {
    words
        .iter()
        .find(|w| !names::FUNCTION_WORDS.contains(&w.to_lowercase().as_str()))
        .and_then(|w| w.chars().find(|c| c.is_alphanumeric()))
        .and_then(|c| c.to_lowercase().next())
}

/// ", a Russian private army" after an organisation; "mercenary
/// organization known as" before it.
fn kinds(ix: &Index<'_>, i: usize, out: &mut Vec<(usize, OrgKind)>) {
    let m = &ix.mentions[i];
    if let Some(rest) = ix.text.get(m.end..) {
        if let Some(after) = rest.strip_prefix(", ") {
            let lower = after.get(..floor_boundary(after, 100)).unwrap_or("");
            let words: Vec<&str> = lower.split_whitespace().take(6).collect();
            if matches!(
                words.first().map(|w| w.to_lowercase()).as_deref(),
                Some("a" | "an" | "the")
            ) {
                let phrase_end = lower.find([',', '.', ';', '\n']).unwrap_or(lower.len());
                if let Some(kind) = names::kind_from_text(&lower[..phrase_end]) {
                    out.push((i, kind));
                }
            }
        }
    }
    if let Some(before) = ix.text.get(..m.start) {
        let from = floor_boundary_back(before, 60);
        let window = &before[from..];
        let clause = &window[window
            .rfind([',', '.', ';', ':', '!', '?', '\n'])
            .map_or(0, |k| k + 1)..];
        let l = clause.to_lowercase();
        if l.contains("mercenar") || l.contains("private military") || l.contains("militia") {
            out.push((i, OrgKind::ArmedGroup));
        }
    }
}

fn floor_boundary_back(s: &str, max: usize) -> usize {
    if s.len() <= max {
        return 0;
    }
    let mut k = s.len() - max;
    while !s.is_char_boundary(k) {
        k += 1;
    }
    k
}

const EPITHET_CUES: &[&str] = &["dubbed", "nicknamed", "known as", "aka", "a.k.a."];
const EPITHET_GAP_WORDS: &[&str] = &[
    "who",
    "is",
    "was",
    "has",
    "had",
    "been",
    "often",
    "also",
    "widely",
    "sometimes",
    "once",
    "commonly",
    "popularly",
    "long",
    "the",
    "so-called",
    "being",
    "frequently",
];

/// `Yevgeny X, dubbed "the chef"` (or `dubbed "the chef", Yevgeny X`): the
/// quoted text is an alias of the person.
fn epithets(ix: &Index<'_>, out: &mut Vec<(usize, String)>) {
    let lower = ix.text.to_ascii_lowercase();
    for cue in EPITHET_CUES {
        let mut from = 0;
        while let Some(k) = lower[from..].find(cue) {
            let cue_start = from + k;
            let cue_end = cue_start + cue.len();
            from = cue_end;
            let boundary_before =
                !matches!(lower[..cue_start].chars().next_back(), Some(c) if c.is_alphanumeric());
            if !boundary_before {
                continue;
            }
            let Some((quote_start, inner, quote_end)) = quoted_after(ix.text, cue_end) else {
                continue;
            };
            if inner.split_whitespace().count() > 6 || inner.trim().is_empty() {
                continue;
            }
            let before = ix
                .person_before(cue_start, cue_start.saturating_sub(80))
                .filter(|&p| {
                    let gap = &ix.text[ix.mentions[p].end..cue_start];
                    gap_ok(gap)
                });
            let person = before.or_else(|| {
                ix.person_after(quote_end, quote_end + 6).filter(|&p| {
                    let gap = &ix.text[quote_end..ix.mentions[p].start];
                    gap.chars().all(|c| c.is_whitespace() || c == ',')
                })
            });
            let _ = quote_start;
            if let Some(p) = person {
                out.push((p, inner.trim().to_string()));
            }
        }
    }
    out.sort();
    out.dedup();
}

fn gap_ok(gap: &str) -> bool {
    if gap.len() > 40 || gap.contains('\n') {
        return false;
    }
    gap.split(|c: char| c.is_whitespace() || matches!(c, ',' | '(' | '—' | '–'))
        .filter(|w| !w.is_empty())
        .all(|w| EPITHET_GAP_WORDS.contains(&w.to_lowercase().as_str()))
}

/// A quoted text right after `pos`: (quote start, inner text, end after
/// the closing quote).
fn quoted_after(text: &str, pos: usize) -> Option<(usize, &str, usize)> {
    let rest = text.get(pos..)?;
    let t = rest.trim_start();
    let q = pos + (rest.len() - t.len());
    let open = t.chars().next()?;
    let close: &[char] = match open {
        '“' => &['”', '"'],
        '"' => &['"', '”'],
        '‘' => &['’', '\''],
        '\'' => &['\'', '’'],
        '«' => &['»'],
        _ => return None,
    };
    let body_start = q + open.len_utf8();
    let body = &text[body_start..];
    let limit = floor_boundary(body, 100);
    let mut search = 0;
    while let Some(k) = body[search..limit].find(close) {
        let at = search + k;
        let c = body[at..].chars().next()?;
        let after = body[at + c.len_utf8()..].chars().next();
        // A single quote followed by a letter is an apostrophe ("Putin’s").
        if matches!(c, '’' | '\'') && after.is_some_and(char::is_alphanumeric) {
            search = at + c.len_utf8();
            continue;
        }
        let inner = &body[..at];
        if inner.contains('\n') {
            return None;
        }
        return Some((q, inner, body_start + at + c.len_utf8()));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds mentions by finding each (text, type) in order in `text`.
    fn doc(text: &str, ms: &[(&str, EntityType)]) -> Vec<Mention> {
        let mut from = 0;
        ms.iter()
            .map(|(t, e)| {
                let s = from
                    + text[from..]
                        .find(t)
                        .unwrap_or_else(|| panic!("{t} not in text"));
                from = s + t.len();
                Mention {
                    start: s,
                    end: s + t.len(),
                    text: t.to_string(),
                    etype: *e,
                    sentence: 0,
                }
            })
            .collect()
    }

    /// Renders roles as `person: role [org]` lines.
    fn check_roles(text: &str, ms: &[(&str, EntityType)], expect: &str) {
        let mentions = doc(text, ms);
        let cleaned: Vec<_> = mentions
            .iter()
            .map(|m| names::clean(&m.text, m.etype))
            .collect();
        let cx = analyse(text, &mentions, &cleaned);
        let got: Vec<String> = cx
            .roles
            .iter()
            .map(|r| {
                assert_eq!(&text[r.span.0..r.span.1], r.text);
                let org = r
                    .org
                    .map_or(String::new(), |o| format!(" [{}]", mentions[o].text));
                format!("{}: {}{}", cleaned[r.mention].display, r.text, org)
            })
            .collect();
        assert_eq!(got.join("\n"), expect.trim(), "roles of {text:?}");
    }

    use EntityType::*;

    #[test]
    fn titles_before_names() {
        check_roles(
            "Yesterday Defence Minister Ivan Petrov said.",
            &[("Ivan Petrov", Person)],
            "Ivan Petrov: Defence Minister",
        );
        check_roles(
            "The Kremlin spokesperson Oleg Marin denied it.",
            &[("Kremlin", Org), ("Oleg Marin", Person)],
            "Oleg Marin: spokesperson [Kremlin]",
        );
        check_roles(
            "He met Norland's defence minister Sergey Volkov twice.",
            &[("Norland", Gpe), ("Sergey Volkov", Person)],
            "Sergey Volkov: defence minister [Norland]",
        );
        check_roles(
            "Then Foreign Minister Anna Berg spoke.",
            &[("Foreign Minister Anna Berg", Person)],
            "Anna Berg: Foreign Minister",
        );
        check_roles(
            "He told Ivan Petrov nothing.",
            &[("Ivan Petrov", Person)],
            "",
        );
    }

    #[test]
    fn appositions_after_names() {
        check_roles(
            "He called Anton Varga, who is chief of staff to the Norlandic leader, twice.",
            &[("Anton Varga", Person), ("Norlandic", Norp)],
            "Anton Varga: chief of staff",
        );
        check_roles(
            "said Tamara Stone, a political consultant and founder of R. Analytica.",
            &[("Tamara Stone", Person), ("R. Analytica", Org)],
            "Tamara Stone: political consultant\nTamara Stone: founder [R. Analytica]",
        );
        check_roles(
            "Ivan Petrov, the Norland Times editor, said.",
            &[("Ivan Petrov", Person), ("Norland Times", Org)],
            "",
        );
    }

    #[test]
    fn epithets_and_parens() {
        let text = "Officials tied Boris Kalin, dubbed “Putin's cook”, to the North Sea Defence Pact (NSDP) and the NSDP.";
        let ms = doc(
            text,
            &[
                ("Boris Kalin", Person),
                ("North Sea Defence Pact", Org),
                ("NSDP", Org),
                ("NSDP", Org),
            ],
        );
        let cleaned: Vec<_> = ms.iter().map(|m| names::clean(&m.text, m.etype)).collect();
        let cx = analyse(text, &ms, &cleaned);
        assert_eq!(cx.epithets, vec![(0, "Putin's cook".to_string())]);
        assert_eq!(cx.parens, vec![(1, ParenTarget::Mention(2))]);

        let text = "The pact (NSDP) is new; so is the Acme (Alpha Beta Corp).";
        let ms = doc(text, &[("pact", Org)]);
        let cleaned: Vec<_> = ms.iter().map(|m| names::clean(&m.text, m.etype)).collect();
        assert!(
            analyse(text, &ms, &cleaned).parens.is_empty(),
            "one-word long form"
        );

        let text = "Dubbed ‘the Baker’s boy’, Ivo Hahn left. Nobody called Ivo Hahn “boss”.";
        let ms = doc(text, &[("Ivo Hahn", Person), ("Ivo Hahn", Person)]);
        let cleaned: Vec<_> = ms.iter().map(|m| names::clean(&m.text, m.etype)).collect();
        assert_eq!(
            analyse(text, &ms, &cleaned).epithets,
            vec![(0, "the Baker’s boy".to_string())]
        );
    }

    #[test]
    fn bad_spans_are_ignored() {
        let text = "é Ivan";
        let ms = vec![
            Mention {
                start: 1,
                end: 3,
                text: "x".into(),
                etype: Person,
                sentence: 0,
            },
            Mention {
                start: 5,
                end: 99,
                text: "y".into(),
                etype: Org,
                sentence: 0,
            },
            Mention {
                start: 4,
                end: 2,
                text: "z".into(),
                etype: Person,
                sentence: 0,
            },
        ];
        let cleaned: Vec<_> = ms.iter().map(|m| names::clean(&m.text, m.etype)).collect();
        let cx = analyse(text, &ms, &cleaned);
        assert!(cx.roles.is_empty() && cx.parens.is_empty());
    }
}
