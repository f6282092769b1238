//! Name keys: the same key for the spellings of one name that differ only in case,
//! diacritics, apostrophes, periods, hyphens, a leading "the" or an abbreviated "St."
//! ("São Paulo" / "Sao Paulo", "Côte d'Ivoire" / "Cote d’Ivoire", "St. Petersburg" /
//! "Saint-Petersburg", "the Netherlands" / "Netherlands"); and a looser transliteration
//! key ("Asipovichy" / "Asipovichi", "Zaporizhzhya" / "Zaporizhzhia").

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// The key of `name`: lowercase ASCII-folded words separated by single spaces.
///
/// Diacritics are dropped (NFD, marks removed; ł, ø, ß, æ and the like spelled out),
/// apostrophes and periods are removed ("U.S." -> "us", "Mins'k" -> "minsk"), every
/// other non-alphanumeric character separates words, a leading "the" is dropped and the
/// words "st", "ste", "mt", "ft" are spelled out ("saint", "sainte", "mount", "fort").
pub fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    normalize_into(name, &mut out);
    out
}

/// [`normalize`] into a reused buffer (cleared first).
pub(crate) fn normalize_into(name: &str, out: &mut String) {
    out.clear();
    let mut gap = false;
    if name.is_ascii() {
        // The fast path for most names: one byte at a time.
        for b in name.bytes() {
            if b.is_ascii_alphanumeric() {
                if gap && !out.is_empty() {
                    out.push(' ');
                }
                gap = false;
                out.push(b.to_ascii_lowercase() as char);
            } else if b != b'\'' && b != b'.' && b != b'`' {
                gap = true;
            }
        }
    } else {
        for ch in name.chars() {
            if ch.is_ascii() {
                push_folded(ch, out, &mut gap);
            } else {
                decompose_canonical(ch, |c| push_folded(c, out, &mut gap));
            }
        }
    }
    if out.starts_with("the ") {
        out.drain(..4);
    }
    if out
        .split(' ')
        .any(|w| matches!(w, "st" | "ste" | "mt" | "ft"))
    {
        let words: Vec<&str> = out
            .split(' ')
            .map(|w| match w {
                "st" => "saint",
                "ste" => "sainte",
                "mt" => "mount",
                "ft" => "fort",
                w => w,
            })
            .collect();
        *out = words.join(" ");
    }
}

fn push_folded(ch: char, out: &mut String, gap: &mut bool) {
    let mut push = |s: &str, out: &mut String| {
        if *gap && !out.is_empty() {
            out.push(' ');
        }
        *gap = false;
        out.push_str(s);
    };
    if ch.is_ascii_alphanumeric() {
        let mut buf = [0u8; 4];
        push(ch.to_ascii_lowercase().encode_utf8(&mut buf), out);
        return;
    }
    if is_apostrophe(ch) || ch == '.' || is_combining_mark(ch) {
        return;
    }
    if ch.is_ascii() || !ch.is_alphanumeric() {
        *gap = true;
        return;
    }
    let spelled = match ch {
        'ł' | 'Ł' | 'ŀ' | 'Ŀ' => "l",
        'ø' | 'Ø' => "o",
        'đ' | 'Đ' | 'ð' | 'Ð' => "d",
        'ß' | 'ẞ' => "ss",
        'æ' | 'Æ' => "ae",
        'œ' | 'Œ' => "oe",
        'þ' | 'Þ' => "th",
        'ı' => "i",
        'ħ' | 'Ħ' => "h",
        'ŧ' | 'Ŧ' => "t",
        'ĸ' => "k",
        _ => "",
    };
    if !spelled.is_empty() {
        push(spelled, out);
        return;
    }
    for lower in ch.to_lowercase() {
        let mut buf = [0u8; 4];
        push(lower.encode_utf8(&mut buf), out);
    }
}

fn is_apostrophe(ch: char) -> bool {
    matches!(ch, '\'' | '’' | '‘' | 'ʼ' | 'ʻ' | 'ʹ' | '′' | '`' | '´')
}

/// The hash of the transliteration key of a [`normalize`]d name: spaces dropped, `y` and
/// `j` read as `i`, `w` as `v`, `kh` as `h`, `ph` as `f`, doubled letters once. Hashed as
/// it is made, with the same hash as [`hash`] of the key written out.
pub(crate) fn loose_hash(key: &str) -> u64 {
    let bytes = key.as_bytes();
    let mut h = FNV_OFFSET;
    let mut last = 0u8;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let next = bytes.get(i + 1).copied();
        i += 1;
        let c = match (b, next) {
            (b' ', _) => continue,
            (b'k', Some(b'h')) => {
                i += 1;
                b'h'
            }
            (b'p', Some(b'h')) => {
                i += 1;
                b'f'
            }
            (b'y' | b'j', _) => b'i',
            (b'w', _) => b'v',
            _ => b,
        };
        if c != last {
            h = fnv_step(h, c);
        }
        last = c;
    }
    h
}

/// Whether an alias is an abbreviation ("US", "U.S.", "UAE", "CAR"): two to four ASCII
/// capitals, optionally with periods. Such an alias only matches a query without
/// lowercase letters, so that "car" or "us" in running text name no country.
pub(crate) fn is_abbreviation(alias: &str) -> bool {
    let n_letters = alias.bytes().filter(u8::is_ascii_uppercase).count();
    (2..=4).contains(&n_letters) && alias.bytes().all(|b| b.is_ascii_uppercase() || b == b'.')
}

/// Whether a query may match an abbreviation: it has no lowercase letter.
pub(crate) fn may_be_abbreviation(query: &str) -> bool {
    !query.chars().any(char::is_lowercase)
}

/// The words that name a first-level division's kind after its name ("Donetsk region").
pub(crate) const DESIGNATORS: &[&str] = &[
    "region",
    "oblast",
    "province",
    "governorate",
    "krai",
    "kray",
    "state",
    "prefecture",
    "district",
    "department",
    "republic",
    "county",
    "voivodeship",
    "territory",
];

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

fn fnv_step(h: u64, b: u8) -> u64 {
    (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
}

/// A 64-bit FNV-1a hash of a key.
pub(crate) fn hash(key: &str) -> u64 {
    key.bytes().fold(FNV_OFFSET, fnv_step)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loose(s: &str) -> u64 {
        loose_hash(&normalize(s))
    }

    #[test]
    fn folds_case_diacritics_and_punctuation() {
        assert_eq!(normalize("São Paulo"), "sao paulo");
        assert_eq!(normalize("Côte d’Ivoire"), normalize("Cote d'Ivoire"));
        assert_eq!(normalize("Côte d’Ivoire"), "cote divoire");
        assert_eq!(normalize("Türkiye"), "turkiye");
        assert_eq!(normalize("Łódź"), "lodz");
        assert_eq!(normalize("Mińsk"), "minsk");
        assert_eq!(normalize("Mins'k"), "minsk");
        assert_eq!(normalize("Guinea-Bissau"), "guinea bissau");
        assert_eq!(normalize("  The  Netherlands "), "netherlands");
        assert_eq!(normalize("U.S."), "us");
        assert_eq!(normalize("St. Petersburg"), normalize("Saint-Petersburg"));
        assert_eq!(normalize("Washington, D.C."), "washington dc");
        assert_eq!(normalize("Straße"), "strasse");
        assert_eq!(normalize("İstanbul"), "istanbul");
        assert_eq!(normalize("Theodore"), "theodore");
        assert_eq!(normalize(""), "");
    }

    #[test]
    fn transliteration_key() {
        assert_eq!(loose("Asipovichy"), loose("Asipovichi"));
        assert_eq!(loose("Zaporizhzhya"), loose("Zaporizhzhia"));
        assert_eq!(loose("Kharkov"), loose("Harkov"));
        assert_eq!(loose("Yekaterinburg"), loose("Jekaterinburg"));
        assert_ne!(loose("Paris"), loose("Perris"));
        assert_eq!(loose("Kharkov"), hash("harkov"));
        assert_eq!(loose("Pharr City"), hash("farciti"));
    }

    #[test]
    fn abbreviations() {
        assert!(is_abbreviation("US"));
        assert!(is_abbreviation("U.S."));
        assert!(is_abbreviation("CAR"));
        assert!(!is_abbreviation("Car"));
        assert!(!is_abbreviation("A"));
        assert!(!is_abbreviation("ABCDE"));
        assert!(may_be_abbreviation("U.S."));
        assert!(!may_be_abbreviation("us"));
    }
}
