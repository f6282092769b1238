//! Parsing numbers written with digits ("16,000", "3.5") or words ("three",
//! "twenty-first", "tens of thousands", "half a million").

/// A parsed number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Parsed {
    /// The value (a lower bound for vague amounts such as "hundreds").
    pub value: f64,
    /// Vague amounts: "hundreds", "several thousand", "dozens".
    pub approximate: bool,
    /// Plural vague amounts ("tens of thousands", "hundreds") are lower bounds.
    pub at_least: bool,
}

/// "16,000" -> 16000.0, "3.5" -> 3.5. `None` unless finite.
pub(super) fn parse_digits(s: &str) -> Option<f64> {
    let mut buf = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '0'..='9' | '.' => buf.push(c),
            ',' => {}
            _ => return None,
        }
    }
    let v: f64 = buf.parse().ok()?;
    v.is_finite().then_some(v)
}

/// Value of a simple number word (0..=90), case-insensitive.
pub(super) fn basic_word(w: &str) -> Option<f64> {
    const WORDS: [(&str, f64); 28] = [
        ("zero", 0.0),
        ("one", 1.0),
        ("two", 2.0),
        ("three", 3.0),
        ("four", 4.0),
        ("five", 5.0),
        ("six", 6.0),
        ("seven", 7.0),
        ("eight", 8.0),
        ("nine", 9.0),
        ("ten", 10.0),
        ("eleven", 11.0),
        ("twelve", 12.0),
        ("thirteen", 13.0),
        ("fourteen", 14.0),
        ("fifteen", 15.0),
        ("sixteen", 16.0),
        ("seventeen", 17.0),
        ("eighteen", 18.0),
        ("nineteen", 19.0),
        ("twenty", 20.0),
        ("thirty", 30.0),
        ("forty", 40.0),
        ("fifty", 50.0),
        ("sixty", 60.0),
        ("seventy", 70.0),
        ("eighty", 80.0),
        ("ninety", 90.0),
    ];
    WORDS
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(w))
        .map(|&(_, v)| v)
}

fn scale_word(w: &str) -> Option<f64> {
    const WORDS: [(&str, f64); 5] = [
        ("hundred", 1e2),
        ("thousand", 1e3),
        ("million", 1e6),
        ("billion", 1e9),
        ("trillion", 1e12),
    ];
    WORDS
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(w))
        .map(|&(_, v)| v)
}

/// Short scale suffixes as written after digits: "bn", "m", "k", ...
pub(super) fn scale_suffix(w: &str) -> Option<f64> {
    let w = w.to_ascii_lowercase();
    Some(match w.as_str() {
        "hundred" => 1e2,
        "thousand" | "k" => 1e3,
        "million" | "m" | "mn" | "mln" | "mio" => 1e6,
        "billion" | "bn" | "b" | "bln" => 1e9,
        "trillion" | "tn" | "trn" => 1e12,
        _ => return None,
    })
}

/// Parses a number written in words. Hyphens and white space separate words.
pub(super) fn parse_words(s: &str) -> Option<Parsed> {
    let mut total = 0.0f64;
    let mut current = 0.0f64;
    let mut seen = false;
    let mut half = false;
    let mut approximate = false;
    let mut at_least = false;
    for raw in s.split(|c: char| c.is_whitespace() || c == '-' || c == '\u{2010}') {
        if raw.is_empty() {
            continue;
        }
        let w = raw.to_ascii_lowercase();
        match w.as_str() {
            "and" | "of" => {}
            "a" | "an" => {
                if current == 0.0 {
                    current = 1.0;
                }
            }
            "half" => half = true,
            "several" | "few" => {
                current += 3.0;
                approximate = true;
                seen = true;
            }
            "couple" => {
                current += 2.0;
                approximate = true;
                seen = true;
            }
            "dozen" => {
                current = current.max(1.0) * 12.0;
                seen = true;
            }
            "tens" | "dozens" | "scores" | "hundreds" | "thousands" | "millions" | "billions"
            | "trillions" => {
                let v = match w.as_str() {
                    "tens" => 10.0,
                    "dozens" => 24.0,
                    "scores" => 40.0,
                    "hundreds" => 1e2,
                    "thousands" => 1e3,
                    "millions" => 1e6,
                    "billions" => 1e9,
                    _ => 1e12,
                };
                approximate = true;
                at_least = true;
                seen = true;
                if current == 0.0 {
                    current = v;
                } else if v >= 1e3 {
                    total += current * v;
                    current = 0.0;
                } else {
                    current *= v;
                }
            }
            _ => {
                if let Some(v) = basic_word(&w) {
                    current += v;
                    seen = true;
                } else if let Some(v) = scale_word(&w) {
                    seen = true;
                    if v < 1e3 {
                        current = current.max(1.0) * v;
                    } else {
                        total += current.max(1.0) * v;
                        current = 0.0;
                    }
                } else {
                    return None;
                }
            }
        }
    }
    if !seen {
        return None;
    }
    let mut value = total + current;
    if half {
        value *= 0.5;
    }
    value.is_finite().then_some(Parsed {
        value,
        approximate,
        at_least,
    })
}

/// Value of an ordinal word ("first", "twenty-first", "hundredth").
pub(super) fn ordinal_word(s: &str) -> Option<u32> {
    const UNITS: [(&str, u32); 19] = [
        ("first", 1),
        ("second", 2),
        ("third", 3),
        ("fourth", 4),
        ("fifth", 5),
        ("sixth", 6),
        ("seventh", 7),
        ("eighth", 8),
        ("ninth", 9),
        ("tenth", 10),
        ("eleventh", 11),
        ("twelfth", 12),
        ("thirteenth", 13),
        ("fourteenth", 14),
        ("fifteenth", 15),
        ("sixteenth", 16),
        ("seventeenth", 17),
        ("eighteenth", 18),
        ("nineteenth", 19),
    ];
    const TENS: [(&str, u32); 11] = [
        ("twentieth", 20),
        ("thirtieth", 30),
        ("fortieth", 40),
        ("fiftieth", 50),
        ("sixtieth", 60),
        ("seventieth", 70),
        ("eightieth", 80),
        ("ninetieth", 90),
        ("hundredth", 100),
        ("thousandth", 1000),
        ("millionth", 1_000_000),
    ];
    let mut value = 0u32;
    let mut any = false;
    for w in s.split(|c: char| c.is_whitespace() || c == '-' || c == '\u{2010}') {
        if w.is_empty() {
            continue;
        }
        if let Some(&(_, v)) = UNITS
            .iter()
            .chain(TENS.iter())
            .find(|(k, _)| k.eq_ignore_ascii_case(w))
        {
            value = value.checked_add(v)?;
            any = true;
        } else if let Some(v) = basic_word(w) {
            value = value.checked_add(v as u32)?;
        } else {
            return None;
        }
    }
    any.then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words() {
        let v = |s| parse_words(s).map(|p| p.value);
        assert_eq!(v("three"), Some(3.0));
        assert_eq!(v("twenty-five"), Some(25.0));
        assert_eq!(v("one hundred and twenty"), Some(120.0));
        assert_eq!(v("two million"), Some(2e6));
        assert_eq!(v("tens of thousands"), Some(1e4));
        assert_eq!(v("hundreds of thousands"), Some(1e5));
        assert_eq!(v("several thousand"), Some(3000.0));
        assert_eq!(v("a dozen"), Some(12.0));
        assert_eq!(v("half a million"), Some(5e5));
        assert_eq!(v("hundreds"), Some(100.0));
        assert_eq!(v("a"), None);
        assert_eq!(parse_digits("16,000"), Some(16000.0));
        assert_eq!(parse_digits("3.5"), Some(3.5));
        assert_eq!(ordinal_word("twenty-first"), Some(21));
        assert_eq!(ordinal_word("Third"), Some(3));
    }
}
