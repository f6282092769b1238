//! Names: cleaning a mention's text into a name, the normalised alias key,
//! the transliteration key of a token, organisation signatures, acronyms,
//! and the small word lists the rules use.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::{EntityType, OrgKind};

/// Words that never carry identity: skipped in signatures and (optionally)
/// in acronym initials.
pub(crate) const FUNCTION_WORDS: &[&str] = &[
    "of", "the", "and", "for", "&", "de", "du", "des", "la", "le",
];

/// Organisation head nouns that describe rather than name: "Wagner Group",
/// "Wagner security force", "Wagner private military company".
const ORG_HEADS: &[&str] = &[
    "group",
    "company",
    "co",
    "co.",
    "corp",
    "corp.",
    "corporation",
    "inc",
    "inc.",
    "incorporated",
    "ltd",
    "ltd.",
    "limited",
    "llc",
    "plc",
    "gmbh",
    "firm",
    "outfit",
    "force",
    "forces",
    "contractor",
    "contractors",
    "mercenaries",
    "mercenary",
    "fighters",
];

/// Modifiers stripped only together with a head ("private military company").
const ORG_HEAD_MODIFIERS: &[&str] = &["private", "military", "security", "mercenary", "pmc"];

/// Prefix descriptors ("PMC Wagner").
const ORG_PREFIXES: &[&str] = &["pmc"];

/// Place heads that name the same place as the bare name ("Bocharov Ruchei
/// residence").
const PLACE_HEADS: &[&str] = &["residence", "estate", "compound", "dacha"];

/// Nouns that head a role ("minister", "spokesperson", "chief").
pub(crate) const ROLE_HEADS: &[&str] = &[
    "minister",
    "president",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "secretary",
    "chief",
    "head",
    "director",
    "commander",
    "general",
    "leader",
    "founder",
    "co-founder",
    "cofounder",
    "chairman",
    "chairwoman",
    "chair",
    "ceo",
    "ambassador",
    "envoy",
    "adviser",
    "advisor",
    "aide",
    "consultant",
    "analyst",
    "governor",
    "mayor",
    "senator",
    "chancellor",
    "premier",
    "king",
    "queen",
    "prince",
    "officer",
    "deputy",
    "lawmaker",
    "judge",
    "prosecutor",
    "editor",
    "correspondent",
    "reporter",
    "journalist",
    "owner",
    "boss",
    "colonel",
    "lieutenant",
    "sergeant",
    "major",
    "captain",
    "admiral",
    "marshal",
    "commissioner",
    "representative",
    "businessman",
    "businesswoman",
    "oligarch",
    "negotiator",
    "official",
    "tycoon",
    "mogul",
    "gen",
    "col",
    "lt",
    "sgt",
    "capt",
    "adm",
    "maj",
    "sen",
    "rep",
    "gov",
    "pres",
    "mp",
];

/// Words that modify a role head ("Defense Minister", "press secretary").
pub(crate) const ROLE_MODIFIERS: &[&str] = &[
    "defense",
    "defence",
    "foreign",
    "interior",
    "finance",
    "economy",
    "justice",
    "health",
    "prime",
    "deputy",
    "vice",
    "first",
    "press",
    "senior",
    "top",
    "acting",
    "chief",
    "executive",
    "political",
    "military",
    "security",
    "national",
    "presidential",
    "state",
    "general",
    "former",
    "longtime",
    "mercenary",
    "army",
    "intelligence",
    "lieutenant",
    "attorney",
];

/// Honorifics: stripped from names, not roles.
pub(crate) const HONORIFICS: &[&str] =
    &["mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dame", "mx"];

/// Name suffixes ignored in person keys.
const NAME_SUFFIXES: &[&str] = &["jr", "sr", "ii", "iii", "iv"];

/// Nationality adjectives mapped to their country inside organisation
/// signatures ("Belarusian defense ministry" ~ "Belarus' defense ministry").
const DEMONYMS: &[(&str, &str)] = &[
    ("russian", "russia"),
    ("belarusian", "belarus"),
    ("belarussian", "belarus"),
    ("ukrainian", "ukraine"),
    ("syrian", "syria"),
    ("turkish", "turkey"),
    ("chinese", "china"),
    ("iranian", "iran"),
    ("israeli", "israel"),
    ("british", "britain"),
    ("french", "france"),
    ("german", "germany"),
    ("libyan", "libya"),
    ("malian", "mali"),
    ("georgian", "georgia"),
    ("polish", "poland"),
    ("chechen", "chechnya"),
    ("kazakh", "kazakhstan"),
    ("venezuelan", "venezuela"),
    ("sudanese", "sudan"),
    ("american", "america"),
];

/// British/American spellings folded in tokens.
const SPELLINGS: &[(&str, &str)] = &[
    ("defence", "defense"),
    ("organisation", "organization"),
    ("programme", "program"),
    ("centre", "center"),
    ("labour", "labor"),
    ("honour", "honor"),
];

/// Given names whose transliterations the general rules do not reach
/// (keys are the rules' output).
const GIVEN_NAMES: &[(&str, &str)] = &[
    ("aleksander", "aleksandr"),
    ("oleksandr", "aleksandr"),
    ("oleksander", "aleksandr"),
    ("aliaksandr", "aleksandr"),
    ("michail", "mihail"),
    ("mihailo", "mihail"),
    ("petr", "piotr"),
    ("fedor", "fiodor"),
    ("andri", "andrei"),
];

fn is_in(list: &[&str], w: &str) -> bool {
    list.contains(&w)
}

/// A word as looked up in the lists: lower case, without a trailing period.
pub(crate) fn lex(word: &str) -> String {
    word.trim_end_matches('.').to_lowercase()
}

pub(crate) fn is_role_head(w: &str) -> bool {
    is_in(ROLE_HEADS, &lex(w))
}

pub(crate) fn is_role_word(w: &str) -> bool {
    let l = lex(w);
    is_in(ROLE_HEADS, &l) || is_in(ROLE_MODIFIERS, &l)
}

pub(crate) fn is_honorific(w: &str) -> bool {
    is_in(HONORIFICS, &lex(w))
}

fn is_trim_char(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '"' | '\''
                | '“'
                | '”'
                | '„'
                | '‟'
                | '‘'
                | '’'
                | '‚'
                | '«'
                | '»'
                | '‹'
                | '›'
                | '('
                | ')'
                | '['
                | ']'
                | '{'
                | '}'
                | ','
                | ';'
                | ':'
                | '!'
                | '?'
                | '*'
                | '`'
                | '´'
        )
}

/// A mention's text cleaned into a name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CleanName {
    /// The name as displayed (NFKC, trimmed, no possessive, no title).
    pub display: String,
    /// Byte range, in the raw mention text, of a title stripped from the
    /// front of a person's name ("Defense Minister"), if any.
    pub title: Option<(usize, usize)>,
}

/// Trims quotes and punctuation, a trailing possessive, and (for persons)
/// leading titles and honorifics. Never empty unless the input has no
/// name characters at all.
pub(crate) fn clean(raw: &str, etype: EntityType) -> CleanName {
    let (mut s, mut e) = trim_range(raw, 0, raw.len());
    // A trailing possessive: "Wagner Group's", "Belarus’" (the bare quote
    // was trimmed above).
    for suffix in ["'s", "’s", "'S", "’S"] {
        if raw[s..e].ends_with(suffix) && e - s > suffix.len() {
            e -= suffix.len();
            let r = trim_range(raw, s, e);
            s = r.0;
            e = r.1;
            break;
        }
    }
    // A sentence period glued to a long last word ("Moscow.").
    if raw[s..e].ends_with('.') {
        let last = raw[s..e].split_whitespace().last().unwrap_or("");
        if last.matches('.').count() == 1 && last.chars().count() >= 5 {
            e -= 1;
        }
    }
    let mut title = None;
    if etype == EntityType::Person {
        if let Some((ts, te, name_start)) = title_prefix(&raw[s..e]) {
            if te > ts {
                title = Some((s + ts, s + te));
            }
            s += name_start;
        }
    }
    let display: String = raw[s..e].nfkc().collect::<String>();
    let display = display.split_whitespace().collect::<Vec<_>>().join(" ");
    CleanName { display, title }
}

fn trim_range(raw: &str, mut s: usize, mut e: usize) -> (usize, usize) {
    while let Some(c) = raw[s..e].chars().next() {
        if is_trim_char(c) {
            s += c.len_utf8();
        } else {
            break;
        }
    }
    while let Some(c) = raw[s..e].chars().next_back() {
        if is_trim_char(c) {
            e -= c.len_utf8();
        } else {
            break;
        }
    }
    (s, e)
}

/// Finds a title inside a person mention: the last run of role words and
/// honorifics ending in a head or honorific, followed by at least one
/// non-role word. Returns (title start, title end, name start) in bytes of
/// `s`; the title range is empty when only honorifics were stripped.
fn title_prefix(s: &str) -> Option<(usize, usize, usize)> {
    let words: Vec<(usize, &str)> = word_offsets(s);
    if words.len() < 2 {
        return None;
    }
    // The last word index i (< len-1) that is a role head or honorific and
    // after which no word is a role word.
    let mut cut = None;
    for i in (0..words.len() - 1).rev() {
        let w = words[i].1;
        if is_role_head(w) || is_honorific(w) {
            cut = Some(i);
            break;
        }
        if is_role_word(w) {
            break;
        }
    }
    let cut = cut?;
    // Extend the run back over role words and honorifics.
    let mut first = cut;
    while first > 0 && (is_role_word(words[first - 1].1) || is_honorific(words[first - 1].1)) {
        first -= 1;
    }
    // Text before the run (an organisation inside the mention, as in
    // "Kremlin spokesperson Dmitry Peskov") is allowed only when the run
    // holds a real role head.
    let has_head = words[first..=cut].iter().any(|(_, w)| is_role_head(w));
    if first > 0 && !has_head {
        return None;
    }
    // The role is the run minus honorifics at either end.
    let mut rs = first;
    let mut re = cut;
    while rs <= re && is_honorific(words[rs].1) {
        rs += 1;
    }
    while re >= rs && re > 0 && is_honorific(words[re].1) {
        re -= 1;
    }
    let name_start = words[cut + 1].0;
    if rs > re || !words[rs..=re].iter().any(|(_, w)| is_role_head(w)) {
        return Some((0, 0, name_start));
    }
    let start = words[rs].0;
    let end = words[re].0 + words[re].1.len();
    Some((start, end, name_start))
}

/// Whitespace-separated words with their byte offsets.
pub(crate) fn word_offsets(s: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        if c.is_whitespace() {
            if let Some(st) = start.take() {
                out.push((st, &s[st..i]));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(st) = start {
        out.push((st, &s[st..]));
    }
    out
}

/// The normalised alias key: NFKC, case-folded, curly quotes straightened,
/// whitespace collapsed, no leading "the", no trailing possessive, no
/// surrounding quotes. Used for unit identity and for judgements.
pub(crate) fn alias_key(s: &str) -> String {
    let mut k: String = s
        .nfkc()
        .flat_map(|c| c.to_lowercase())
        .map(|c| match c {
            '‘' | '’' | '‚' | '‛' | '′' | '`' | '´' => '\'',
            '“' | '”' | '„' | '‟' | '″' | '«' | '»' => '"',
            c => c,
        })
        .collect();
    k = k.split_whitespace().collect::<Vec<_>>().join(" ");
    loop {
        let before = k.len();
        k = k
            .trim_matches(|c: char| c == '"' || c == '\'' || c.is_whitespace())
            .to_string();
        if let Some(rest) = k.strip_prefix("the ") {
            k = rest.to_string();
        }
        if k.len() > 2 && k.ends_with("'s") {
            k.truncate(k.len() - 2);
        }
        if k.len() == before {
            break;
        }
    }
    k
}

/// The transliteration key of one (lower-case) token: diacritics folded,
/// then rules for Russian-style romanisations: x=ks, kh=h, tz=ts, initial
/// ye/yo/je/jo=e, final ij=i, non-initial y=i, doubled letters collapsed,
/// plus a short table of given names the rules miss.
pub(crate) fn translit(token: &str) -> String {
    let mut s = String::with_capacity(token.len());
    for c in token.nfkd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'ı' => s.push('i'),
            'ł' | 'Ł' => s.push('l'),
            'ø' | 'Ø' => s.push('o'),
            'đ' | 'Đ' => s.push('d'),
            'ß' => s.push_str("ss"),
            'æ' | 'Æ' => s.push_str("ae"),
            'œ' | 'Œ' => s.push_str("oe"),
            '-' => s.push('-'),
            c if c.is_alphanumeric() => s.extend(c.to_lowercase()),
            _ => {}
        }
    }
    for p in ["al-", "el-"] {
        if s.len() > p.len() + 2 && s.starts_with(p) {
            s.drain(..p.len());
        }
    }
    let s = s.trim_matches('-').to_string();
    if let Some((_, to)) = SPELLINGS.iter().find(|(from, _)| *from == s) {
        return to.to_string();
    }
    let mut s = s.replace('x', "ks").replace("kh", "h").replace("tz", "ts");
    if s.chars().count() > 3 {
        for p in ["ye", "yo", "je", "jo"] {
            if s.starts_with(p) {
                s.replace_range(..2, "e");
                break;
            }
        }
    }
    if s.len() > 3 && s.ends_with("ij") {
        s.truncate(s.len() - 2);
        s.push('i');
    }
    let mut out = String::with_capacity(s.len());
    let mut prev: Option<char> = None;
    for (i, c) in s.chars().enumerate() {
        let c = if c == 'y' && i > 0 { 'i' } else { c };
        if Some(c) != prev {
            out.push(c);
        }
        prev = Some(c);
    }
    if let Some((_, to)) = GIVEN_NAMES.iter().find(|(from, _)| *from == out) {
        return to.to_string();
    }
    out
}

/// `w` replaced by `v`: "Wagner" and "Vagner" agree.
pub(crate) fn vw_fold(s: &str) -> String {
    s.replace('w', "v")
}

/// The letters of an acronym-shaped name ("NATO", "U.S.", "DoD"), lower
/// case; `None` for anything else.
pub(crate) fn acronym(display: &str) -> Option<String> {
    if display.contains(char::is_whitespace) {
        return None;
    }
    let letters: Vec<char> = display.chars().filter(|c| *c != '.' && *c != '&').collect();
    if letters.len() < 2 || letters.len() > 6 || !letters.iter().all(|c| c.is_alphabetic()) {
        return None;
    }
    let n_upper = letters.iter().filter(|c| c.is_uppercase()).count();
    let all_upper = n_upper == letters.len();
    let mixed = letters.len() <= 5
        && n_upper >= 2
        && letters[0].is_uppercase()
        && letters[letters.len() - 1].is_uppercase();
    if !(all_upper || mixed) {
        return None;
    }
    Some(letters.iter().flat_map(|c| c.to_lowercase()).collect())
}

/// Initials of a multi-word name: of every word, and of the words that are
/// not function words ("Department of Defense": "dod", "dd").
pub(crate) fn initials(tokens: &[&str]) -> [String; 2] {
    let all: String = tokens.iter().filter_map(|t| first_letter(t)).collect();
    let content: String = tokens
        .iter()
        .filter(|t| !is_in(FUNCTION_WORDS, t))
        .filter_map(|t| first_letter(t))
        .collect();
    [all, content]
}

fn first_letter(t: &str) -> Option<char> {
    t.chars()
        .find(|c| c.is_alphanumeric())
        .map(|c| c.to_lowercase().next().unwrap_or(c))
}

/// The identity of an organisation name: its distinctive words (demonyms
/// mapped to countries, spellings folded, transliterated), sorted and
/// deduplicated, and the descriptive head it dropped ("group").
pub(crate) fn org_signature(tokens: &[&str]) -> (Vec<String>, Option<String>) {
    let mut words: Vec<&str> = tokens.to_vec();
    while words
        .first()
        .is_some_and(|w| *w == "the" || is_in(ORG_PREFIXES, w))
        && words.len() > 1
    {
        words.remove(0);
    }
    let mut head = None;
    let mut stripped = words.clone();
    while stripped.len() > 1 && is_in(ORG_HEADS, stripped[stripped.len() - 1]) {
        head = stripped.pop().map(|h| h.trim_end_matches('.').to_string());
    }
    if head.is_some() {
        while stripped.len() > 1 && is_in(ORG_HEAD_MODIFIERS, stripped[stripped.len() - 1]) {
            stripped.pop();
        }
    }
    let distinctive = |ws: &[&str]| ws.iter().any(|w| !is_in(FUNCTION_WORDS, w));
    if distinctive(&stripped) {
        words = stripped;
    } else {
        head = None;
    }
    let mut sig: Vec<String> = words
        .iter()
        .filter(|w| !is_in(FUNCTION_WORDS, w))
        .map(|w| {
            let w = w.trim_end_matches("'s").trim_end_matches('\'');
            let w = DEMONYMS.iter().find(|(d, _)| *d == w).map_or(w, |(_, c)| c);
            translit(w)
        })
        .filter(|w| !w.is_empty())
        .collect();
    sig.sort();
    sig.dedup();
    (sig, head)
}

/// Whether an organisation name has a word that is neither a function word
/// nor a descriptive head ("the group" has none).
pub(crate) fn has_distinctive_org_word(tokens: &[&str]) -> bool {
    tokens.iter().any(|t| {
        let t = t.trim_end_matches("'s");
        !is_in(FUNCTION_WORDS, t) && !is_in(ORG_HEADS, t) && !is_in(ORG_HEAD_MODIFIERS, t)
    })
}

/// Place words: the bare name without a descriptive head.
pub(crate) fn place_words<'a>(tokens: &[&'a str]) -> Vec<&'a str> {
    let mut words: Vec<&str> = tokens.to_vec();
    if words.len() > 1 && is_in(PLACE_HEADS, words[words.len() - 1]) {
        words.pop();
    }
    words
}

/// Person name tokens that carry identity: no honorifics, suffixes or
/// single-letter initials.
pub(crate) fn person_words<'a>(tokens: &[&'a str]) -> Vec<&'a str> {
    let words: Vec<&str> = tokens
        .iter()
        .copied()
        .filter(|t| {
            let l = t.trim_end_matches('.').trim_end_matches(',');
            !is_in(HONORIFICS, l) && !is_in(NAME_SUFFIXES, l) && l.chars().count() > 1
        })
        .collect();
    if words.is_empty() {
        tokens.to_vec()
    } else {
        words
    }
}

/// `a` and `b` differ by at most one insertion, deletion or substitution.
pub fn within_one_edit(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    if long.len() - short.len() > 1 {
        return false;
    }
    let prefix = short
        .iter()
        .zip(long.iter())
        .take_while(|(x, y)| x == y)
        .count();
    if short.len() == long.len() {
        short[prefix + 1.min(short.len() - prefix)..] == long[prefix + 1.min(long.len() - prefix)..]
    } else {
        short[prefix..] == long[prefix + 1..]
    }
}

/// An organisation kind told by a name or a descriptive phrase.
pub(crate) fn kind_from_text(text: &str) -> Option<OrgKind> {
    let t = format!(" {} ", alias_key(text).replace(['.', ','], " "));
    let has = |cues: &[&str]| cues.iter().any(|c| t.contains(c));
    if has(&[
        " private military",
        " pmc ",
        " mercenar",
        " militia",
        " paramilitary",
        " private army",
        " security force",
    ]) {
        return Some(OrgKind::ArmedGroup);
    }
    if has(&[
        " nato ",
        " united nations",
        " treaty organization",
        " european union",
        " african union",
        " un ",
    ]) {
        return Some(OrgKind::Intergovernmental);
    }
    if has(&[
        " army",
        " armed forces",
        " navy",
        " air force",
        " brigade",
        " regiment",
        " battalion",
        " military ",
    ]) {
        return Some(OrgKind::Military);
    }
    if has(&[
        " ministry",
        " department of",
        " government",
        " council",
        " kremlin",
        " parliament",
        " duma ",
        " senate",
        " congress",
        " white house",
        " pentagon",
        " security service",
        " intelligence service",
        " administration",
    ]) {
        return Some(OrgKind::Government);
    }
    if has(&[
        " news",
        " post ",
        " times ",
        " examiner",
        " press ",
        " tv ",
        " television",
        " radio",
        " journal ",
        " tribune",
        " herald",
        " gazette",
        " reuters",
        " bbc ",
        " cnn ",
        " efe ",
        " media ",
        " newspaper",
        " broadcaster",
    ]) {
        return Some(OrgKind::Media);
    }
    if has(&[" party "]) {
        return Some(OrgKind::Party);
    }
    if has(&[
        " company",
        " corporation",
        " corp ",
        " inc ",
        " ltd ",
        " llc ",
        " plc ",
        " bank ",
        " holding",
    ]) {
        return Some(OrgKind::Company);
    }
    if has(&[
        " foundation",
        " ngo ",
        " charity",
        " non-profit",
        " nonprofit",
    ]) {
        return Some(OrgKind::Ngo);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_clean(raw: &str, etype: EntityType, display: &str, title: Option<&str>) {
        let c = clean(raw, etype);
        assert_eq!(c.display, display, "display of {raw:?}");
        assert_eq!(c.title.map(|(s, e)| &raw[s..e]), title, "title of {raw:?}");
    }

    #[test]
    fn cleaning_strips_possessives_quotes_and_titles() {
        use EntityType::*;
        check_clean("Wagner Group's", Org, "Wagner Group", None);
        check_clean("Belarus’", Gpe, "Belarus", None);
        check_clean("“Vagner”", Org, "Vagner", None);
        check_clean("Putin’s chef", Person, "Putin’s chef", None);
        check_clean(
            "Defense Minister Sergei Shoigu",
            Person,
            "Sergei Shoigu",
            Some("Defense Minister"),
        );
        check_clean(
            "Kremlin spokesperson Dmitry Peskov",
            Person,
            "Dmitry Peskov",
            Some("spokesperson"),
        );
        check_clean("Mr. Peskov", Person, "Peskov", None);
        check_clean("Mr Peskov's", Person, "Peskov", None);
        check_clean("U.S.", Gpe, "U.S.", None);
        check_clean("Moscow.", Gpe, "Moscow", None);
        check_clean("General", Person, "General", None);
        check_clean("'", Org, "", None);
    }

    #[test]
    fn alias_keys_fold_case_quotes_the_and_possessive() {
        assert_eq!(alias_key("The Washington Post"), "washington post");
        assert_eq!(alias_key("the Kremlin’s"), "kremlin");
        assert_eq!(alias_key("“Putin’s chef”"), "putin's chef");
        assert_eq!(alias_key("ＮＡＴＯ"), "nato");
    }

    #[test]
    fn transliteration_variants_share_a_key() {
        let same = [
            ("sergei", "sergey"),
            ("yevgeny", "evgeny"),
            ("yevgeniy", "evgeniy"),
            ("yevgeny", "yevgeniy"),
            ("yury", "yuri"),
            ("yuriy", "yuri"),
            ("vayno", "vaino"),
            ("alexey", "aleksey"),
            ("alexei", "aleksey"),
            ("dmitry", "dmitri"),
            ("dmitriy", "dmitry"),
            ("zelensky", "zelenskyy"),
            ("erdoğan", "erdogan"),
            ("nicolás", "nicolas"),
            ("mikhail", "mihail"),
            ("alexander", "aleksandr"),
            ("tatyana", "tatiana"),
            ("al-assad", "assad"),
        ];
        for (a, b) in same {
            assert_eq!(translit(a), translit(b), "{a} ~ {b}");
        }
        let apart = [
            ("peskov", "utkin"),
            ("dmitry", "dmitro"),
            ("putin", "prigozhin"),
            ("wagner", "vagner"),
        ];
        for (a, b) in apart {
            assert_ne!(translit(a), translit(b), "{a} !~ {b}");
        }
    }

    #[test]
    fn acronyms_and_initials() {
        assert_eq!(acronym("NATO").as_deref(), Some("nato"));
        assert_eq!(acronym("U.S.").as_deref(), Some("us"));
        assert_eq!(acronym("DoD").as_deref(), Some("dod"));
        assert_eq!(acronym("Wagner"), None);
        assert_eq!(acronym("A"), None);
        assert_eq!(
            initials(&["department", "of", "defense"]),
            ["dod".to_string(), "dd".to_string()]
        );
        assert_eq!(initials(&["internet", "research", "agency"])[0], "ira");
    }

    #[test]
    fn org_signatures_drop_descriptive_heads() {
        let sig = |s: &str| org_signature(&s.split(' ').collect::<Vec<_>>()).0.join(" ");
        assert_eq!(sig("wagner group"), "wagner");
        assert_eq!(sig("wagner private military company"), "wagner");
        assert_eq!(sig("wagner security force"), "wagner");
        assert_eq!(sig("pmc wagner"), "wagner");
        assert_eq!(sig("belarus' defense ministry"), "belarus defense ministri");
        assert_eq!(
            sig("ministry of defence of belarus"),
            "belarus defense ministri"
        );
        assert_eq!(
            sig("belarusian defense ministry"),
            "belarus defense ministri"
        );
        assert_ne!(sig("washington post"), sig("washington examiner"));
        assert_eq!(sig("security forces"), "securiti");
        assert_eq!(
            org_signature(&["wager", "group"]).1.as_deref(),
            Some("group")
        );
    }

    #[test]
    fn one_edit() {
        assert!(within_one_edit("wager", "wagner"));
        assert!(within_one_edit("wagner", "vagner"));
        assert!(within_one_edit("abc", "abc"));
        assert!(!within_one_edit("peskov", "utkin"));
        assert!(!within_one_edit("abcde", "abdce"));
        assert!(within_one_edit("", "a"));
    }

    #[test]
    fn kinds() {
        assert_eq!(
            kind_from_text("Wagner private military company"),
            Some(OrgKind::ArmedGroup)
        );
        assert_eq!(kind_from_text("Washington Post"), Some(OrgKind::Media));
        assert_eq!(
            kind_from_text("Department of Defense"),
            Some(OrgKind::Government)
        );
        assert_eq!(kind_from_text("NATO"), Some(OrgKind::Intergovernmental));
        assert_eq!(kind_from_text("Bellingcat"), None);
    }
}
