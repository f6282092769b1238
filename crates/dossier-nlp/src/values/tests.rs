//! Tests for value extraction. `check(text, doc_date, expected)` runs
//! [`extract`] over the whole text and asserts that each `"span => reading"`
//! in `expected` is among the values (the reading is the `Display` form of
//! [`Normalized`]).

use super::*;

fn run(text: &str, doc: Option<&str>) -> Vec<Value> {
    let doc = doc.map(|d| DocDate::parse(d).expect("test doc date"));
    extract(text, 0..text.len(), doc)
}

fn listing(text: &str, vals: &[Value]) -> String {
    vals.iter()
        .map(|v| format!("  {:?} => {}\n", v.text(text), v.normalized))
        .collect()
}

/// Asserts every `"span => reading"` is found.
fn check(text: &str, doc: Option<&str>, expected: &[&str]) {
    let vals = run(text, doc);
    for e in expected {
        let (span, want) = e.split_once(" => ").expect("`span => reading`");
        let found = vals
            .iter()
            .any(|v| v.text(text) == span && v.normalized.to_string() == want);
        assert!(
            found,
            "missing {span:?} => {want} in {text:?} (doc {doc:?}); got:\n{}",
            listing(text, &vals)
        );
    }
}

/// Asserts no value has exactly this span, and none of this kind overlaps it.
fn check_absent(text: &str, doc: Option<&str>, span: &str, kind: ValueKind) {
    let vals = run(text, doc);
    let s = text.find(span).expect("span in text");
    let e = s + span.len();
    let bad = vals
        .iter()
        .any(|v| v.kind == kind && v.start < e && s < v.end);
    assert!(
        !bad,
        "unexpected {kind:?} over {span:?}; got:\n{}",
        listing(text, &vals)
    );
}

const D: Option<&str> = Some("2023-07-15"); // a Saturday

// ------------------------------------------------------------------ dates

#[test]
fn month_day() {
    check(
        "Moscow, July 15 (EFE).- Belarus",
        None,
        &["July 15 => date:--07-15/day"],
    );
    check(
        "Moscow, July 15 (EFE).- Belarus",
        Some("2023-07-20"),
        &["July 15 => date:2023-07-15/day"],
    );
    check(
        "the Feb. 24 invasion",
        None,
        &["Feb. 24 => date:--02-24/day"],
    );
    check(
        "the Feb. 24 invasion",
        Some("2022-03-12"),
        &["Feb. 24 => date:2022-02-24/day"],
    );
    check(
        "met on June 24 in Minsk",
        D,
        &["June 24 => date:2023-06-24/day"],
    );
    // past convention: a later month-day is last year's
    check(
        "met on July 20 in Minsk",
        D,
        &["July 20 => date:2022-07-20/day"],
    );
    let opts = Options {
        doc_date: Some(DocDate::ymd(2023, 7, 15)),
        tense: Tense::Future,
    };
    let t = "will meet on July 20";
    let v = extract_with(t, 0..t.len(), &opts);
    assert_eq!(v[0].normalized.iso(), Some("2023-07-20"));
    check(
        "on 15 July 2023 and on the 3rd of May",
        None,
        &[
            "15 July 2023 => date:2023-07-15/day",
            "3rd of May => date:--05-03/day",
        ],
    );
}

#[test]
fn full_dates() {
    for doc in [None, D] {
        check(
            "Sept. 17, 2018, he said",
            doc,
            &["Sept. 17, 2018 => date:2018-09-17/day"],
        );
        check(
            "on Monday, Sept. 17, 2018, in",
            doc,
            &["Monday, Sept. 17, 2018 => date:2018-09-17/day"],
        );
        check(
            "issued 2023-07-15 and 2023-07-15T10:30Z",
            doc,
            &[
                "2023-07-15 => date:2023-07-15/day",
                "2023-07-15T10:30Z => time:2023-07-15T10:30",
            ],
        );
        check(
            "in February 2022 troops",
            doc,
            &["February 2022 => date:2022-02/month"],
        );
        check(
            "dated 15/07/2023.",
            doc,
            &["15/07/2023 => date:2023-07-15/day"],
        );
        check(
            "dated 07/15/2023.",
            doc,
            &["07/15/2023 => date:2023-07-15/day"],
        );
        // ambiguous day/month: only the year is certain
        check("dated 07/08/2023.", doc, &["07/08/2023 => date:2023/year"]);
        check(
            "dated 2023/07/15.",
            doc,
            &["2023/07/15 => date:2023-07-15/day"],
        );
    }
    check_absent("Feb 30, 2023 was no day", None, "Feb 30", ValueKind::Date);
}

#[test]
fn years() {
    for doc in [None, D] {
        check(
            "Putin sent forces in 2015 to intervene",
            doc,
            &["2015 => date:2015/year"],
        );
        check(
            "the 2016 presidential election",
            doc,
            &["2016 => date:2016/year"],
        );
        check(
            "between 2013 and 2014, he",
            doc,
            &["between 2013 and 2014 => date:2013/2014/year"],
        );
        check(
            "from 2013 to 2014, he",
            doc,
            &["from 2013 to 2014 => date:2013/2014/year"],
        );
        check(
            "in 2013-14 and 1998–2001",
            doc,
            &[
                "2013-14 => date:2013/2014/year",
                "1998–2001 => date:1998/2001/year",
            ],
        );
        check(
            "$2bn in contracts since 2009",
            doc,
            &["since 2009 => date:2009/../year [since]"],
        );
        check(
            "by mid-2022, prices",
            doc,
            &["mid-2022 => date:2022/year [mid]"],
        );
        check(
            "in the 1990s and the ’80s",
            doc,
            &["1990s => date:199/decade", "’80s => date:198/decade"],
        );
        check(
            "in the early 1990s",
            doc,
            &["early 1990s => date:199/decade [early]"],
        );
        check(
            "in Q3 2022 and the second quarter of 2021",
            doc,
            &[
                "Q3 2022 => date:2022-Q3/quarter",
                "second quarter of 2021 => date:2021-Q2/quarter",
            ],
        );
        check(
            "in summer 2022",
            doc,
            &["summer 2022 => date:2022-SU/season"],
        );
    }
    check("2000 people marched", None, &["2000 => cardinal:2000"]);
    check("1500 troops", None, &["1500 => cardinal:1500"]);
}

#[test]
fn months_alone() {
    check(
        "In January, the group",
        None,
        &["January => date:--01/month"],
    );
    check(
        "In January, the group",
        D,
        &["January => date:2023-01/month"],
    );
    check(
        "In December, the group",
        D,
        &["December => date:2022-12/month"],
    );
    check(
        "in early February with the plan",
        None,
        &["early February => date:--02/month [early]"],
    );
    check(
        "in early February with the plan",
        Some("2023-04-06"),
        &["early February => date:2023-02/month [early]"],
    );
    check(
        "until March, they",
        D,
        &["until March => date:../2023-03/month [until]"],
    );
    check(
        "last January they",
        D,
        &["last January => date:2023-01/month"],
    );
    check(
        "from March to May and in 2014",
        D,
        &["from March to May => date:2023-03/2023-05/month"],
    );
    check("last July they", D, &["last July => date:2022-07/month"]);
    // modal verb and surname are not months
    check_absent("They may go. Theresa May said", D, "May", ValueKind::Date);
    check_absent("the march on the capital", D, "march", ValueKind::Date);
}

#[test]
fn relative_words() {
    let cases = [
        ("a mutiny last month.", "last month", "date:2023-06/month"),
        ("This week, the army", "This week", "date:2023-W28/week"),
        ("Just last week, he", "last week", "date:2023-W27/week"),
        ("next week he", "next week", "date:2023-W29/week"),
        ("said yesterday that", "yesterday", "date:2023-07-14/day"),
        ("said today that", "today", "date:2023-07-15/day"),
        ("will say tomorrow", "tomorrow", "date:2023-07-16/day"),
        ("last year it", "last year", "date:2022/year"),
        (
            "earlier this year it",
            "earlier this year",
            "date:2023/year",
        ),
        ("this weekend", "this weekend", "date:2023-W28-WE/week"),
        ("last summer it", "last summer", "date:2022-SU/season"),
        ("last night it", "last night", "date:2023-07-14/day"),
        ("two weeks ago it", "two weeks ago", "date:2023-W26/week"),
        ("three years ago it", "three years ago", "date:2020/year"),
        ("a month ago it", "a month ago", "date:2023-06/month"),
    ];
    for (text, span, want) in cases {
        check(text, D, &[&format!("{span} => {want}")]);
        // no document date: the span is found, the value left open
        check(text, None, &[&format!("{span} => date:?/unknown")]);
    }
    check(
        "the 2023-01-10 story: last month",
        Some("2023-01-10"),
        &["last month => date:2022-12/month"],
    );
    // a year-only document date cannot resolve "last month"
    check(
        "a mutiny last month.",
        Some("2023"),
        &["last month => date:?/unknown"],
    );
    check(
        "the following day",
        D,
        &["the following day => date:?/unknown"],
    );
    check(
        "documents released in recent weeks",
        D,
        &["recent weeks => date:?/unknown"],
    );
}

#[test]
fn weekdays() {
    // 2023-07-15 is a Saturday
    check(
        "Putin told the council on Friday on a call",
        D,
        &["Friday => date:2023-07-14/day"],
    );
    check("on Saturday, he", D, &["Saturday => date:2023-07-15/day"]);
    check("Thursday he said", D, &["Thursday => date:2023-07-13/day"]);
    check(
        "last Saturday he",
        D,
        &["last Saturday => date:2023-07-08/day"],
    );
    check("next Monday he", D, &["next Monday => date:2023-07-17/day"]);
    check(
        "Friday morning he",
        D,
        &["Friday morning => date:2023-07-14/day"],
    );
    for t in ["on Friday", "on Saturday", "Thursday"] {
        let span = t.trim_start_matches("on ");
        check(t, None, &[&format!("{span} => date:?/unknown")]);
    }
    let opts = Options {
        doc_date: Some(DocDate::ymd(2023, 7, 15)),
        tense: Tense::Future,
    };
    let t = "will meet on Friday";
    let v = extract_with(t, 0..t.len(), &opts);
    assert_eq!(v[0].normalized.iso(), Some("2023-07-21"));
}

#[test]
fn intervals_and_durations() {
    check(
        "In the last 10 years, Wagner",
        D,
        &["the last 10 years => date:2013/2023/year"],
    );
    check(
        "In the last 10 years, Wagner",
        None,
        &["the last 10 years => date:?/unknown"],
    );
    check(
        "over the past eight months",
        D,
        &["the past eight months => date:2022-11/2023-07/month"],
    );
    check(
        "in the past week",
        D,
        &["the past week => date:2023-07-08/2023-07-15/day"],
    );
    check("the 14-month war", D, &["14-month => duration:P14M"]);
    check_absent("the 14-month war", D, "14-month", ValueKind::Date);
    check(
        "99 phone calls within eight months",
        None,
        &["within eight months => duration:P8M [within]"],
    );
    check(
        "more than two weeks since Putin",
        D,
        &["more than two weeks => duration:P2W [more than]"],
    );
    check("for 48 hours", None, &["48 hours => duration:PT48H"]);
    check(
        "a 45-year-old man",
        None,
        &["45-year-old => quantity:45 years of age"],
    );
}

#[test]
fn times() {
    check(
        "at 3 p.m. and 10:30 and 9am, noon",
        None,
        &[
            "3 p.m. => time:T15:00",
            "10:30 => time:T10:30",
            "9am => time:T09:00",
            "noon => time:T12:00",
        ],
    );
}

// ------------------------------------------------------------------ numbers

#[test]
fn money() {
    check("$2bn in contracts", None, &["$2bn => money:2000000000 USD"]);
    check(
        "£3.5 million and €200",
        None,
        &["£3.5 million => money:3500000 GBP", "€200 => money:200 EUR"],
    );
    check(
        "1.2 trillion rubles",
        None,
        &["1.2 trillion rubles => money:1200000000000 RUB"],
    );
    check("for $500,000.", None, &["$500,000 => money:500000 USD"]);
    check(
        "US$3m and C$4 billion",
        None,
        &[
            "US$3m => money:3000000 USD",
            "C$4 billion => money:4000000000 CAD",
        ],
    );
    check(
        "two billion dollars",
        None,
        &["two billion dollars => money:2000000000 USD"],
    );
    check(
        "more than $1 billion",
        None,
        &["more than $1 billion => money:1000000000 USD [more than]"],
    );
    check(
        "5 million pounds and 300 pounds",
        None,
        &[
            "5 million pounds => money:5000000 GBP",
            "300 pounds => quantity:300 lb",
        ],
    );
    check(
        "USD 40 million",
        None,
        &["USD 40 million => money:40000000 USD"],
    );
    check_absent(
        "three try to flee with two real problems",
        None,
        "three",
        ValueKind::Money,
    );
    check_absent(
        "three try to flee with two real problems",
        None,
        "two",
        ValueKind::Money,
    );
}

#[test]
fn percent() {
    check(
        "rose 12% and 12 percent and twelve per cent",
        None,
        &[
            "12% => percent:12",
            "12 percent => percent:12",
            "twelve per cent => percent:12",
        ],
    );
    check(
        "about 3.5 percentage points",
        None,
        &["about 3.5 percentage points => quantity:3.5 pp [about]"],
    );
}

#[test]
fn quantities() {
    check(
        "a column 230 km from Moscow",
        None,
        &["230 km => quantity:230 km"],
    );
    check(
        "5,000 tonnes of grain, 30km away, 1,000 barrels per day",
        None,
        &[
            "5,000 tonnes => quantity:5000 t",
            "30km => quantity:30 km",
            "1,000 barrels per day => quantity:1000 bbl/d",
        ],
    );
}

#[test]
fn cardinals() {
    check(
        "approximately 60 vehicles",
        None,
        &["approximately 60 => cardinal:60 [about]"],
    );
    check("made 99 phone calls", None, &["99 => cardinal:99"]);
    check("called 144 times", None, &["144 => cardinal:144"]);
    check(
        "at least two face-to-face meetings",
        None,
        &["at least two => cardinal:2 [at least]"],
    );
    check("three phone calls", None, &["three => cardinal:3"]);
    check(
        "more than 16,000 applications",
        None,
        &["more than 16,000 => cardinal:16000 [more than]"],
    );
    check(
        "tens of thousands of people",
        None,
        &["tens of thousands => cardinal:10000 [at least] approx"],
    );
    check(
        "several thousand troops",
        None,
        &["several thousand => cardinal:3000 approx"],
    );
    check("a dozen men", None, &["a dozen => cardinal:12"]);
    check(
        "hundreds of fighters",
        None,
        &["hundreds => cardinal:100 [at least] approx"],
    );
    check(
        "thousands of local fighters",
        None,
        &["thousands => cardinal:1000 [at least] approx"],
    );
    check(
        "twenty-five soldiers and 16 million people",
        None,
        &[
            "twenty-five => cardinal:25",
            "16 million => cardinal:16000000",
        ],
    );
    check(
        "one hundred and twenty tanks",
        None,
        &["one hundred and twenty => cardinal:120"],
    );
    check_absent("one of the leaders", None, "one", ValueKind::Cardinal);
    check_absent(
        "flew the F-16 and the Su-25 after COVID-19",
        None,
        "16",
        ValueKind::Cardinal,
    );
    check_absent(
        "flew the F-16 and the Su-25 after COVID-19",
        None,
        "19",
        ValueKind::Cardinal,
    );
}

#[test]
fn counted_nouns() {
    let cases = [
        ("made 99 phone calls to Putin", "phone calls"),
        ("approximately 60 vehicles.", "vehicles"),
        (
            "at least two face-to-face meetings with",
            "face-to-face meetings",
        ),
        ("called 144 times", "times"),
        ("more than 16,000 applications from people", "applications"),
        ("thousands of local fighters from", "local fighters"),
        ("a dozen people were", "people"),
    ];
    for (text, noun) in cases {
        let vals = run(text, None);
        let got = vals.iter().find_map(|v| match &v.normalized {
            Normalized::Cardinal { noun: Some(n), .. } => text.get(n.clone()),
            _ => None,
        });
        assert_eq!(got, Some(noun), "{text}: {}", listing(text, &vals));
        // the fact stage: the count tied to the noun phrase
        let s = text.find(noun).expect("noun");
        let c = count_for(text, &vals, s..s + noun.len()).and_then(|v| v.count());
        assert!(c.is_some(), "{text}");
    }
    let text = "He also had 99 phone conversations with Anton Vayno";
    let vals = run(text, None);
    let s = text.find("99 phone conversations").expect("np");
    assert_eq!(
        count_for(text, &vals, s..s + 22).and_then(|v| v.count()),
        Some(99.0)
    );
    assert!(count_for(text, &vals, 40..text.len()).is_none());
}

#[test]
fn ordinals() {
    check(
        "the first time, the 3rd attempt, the twenty-first century",
        None,
        &[
            "first => ordinal:1",
            "3rd => ordinal:3",
            "twenty-first => ordinal:21",
        ],
    );
    check("July 4th", None, &["July 4th => date:--07-04/day"]);
}

// ------------------------------------------------------------------ seeds

#[test]
fn seed_sentences() {
    let doc = Some("2023-07-15");
    check(
        "Moscow, July 15 (EFE).- Belarus’ defense ministry has unveiled a plan ... following their failed mutiny against Russian military leadership last month.",
        doc,
        &["July 15 => date:2023-07-15/day", "last month => date:2023-06/month"],
    );
    check(
        "a column of approximately 60 vehicles ... 230 km from the border",
        doc,
        &[
            "approximately 60 => cardinal:60 [about]",
            "230 km => quantity:230 km",
        ],
    );
    check(
        "made 99 phone calls to Vladimir Putin's chief of staff within eight months, ... called 144 times",
        None,
        &["99 => cardinal:99", "within eight months => duration:P8M [within]", "144 => cardinal:144"],
    );
    check(
        "Defense Minister Sergei Shoigu told the meeting Russia had received more than 16,000 applications",
        None,
        &["more than 16,000 => cardinal:16000 [more than]"],
    );
    check(
        "more than two weeks since Putin ordered the Feb. 24 invasion.",
        Some("2022-03-11"),
        &[
            "more than two weeks => duration:P2W [more than]",
            "Feb. 24 => date:2022-02-24/day",
        ],
    );
    check(
        "the Russian mercenary group met with “Turkish contacts” in early February with the plan",
        Some("2023-04-06"),
        &["early February => date:2023-02/month [early]"],
    );
    check(
        "at various points during the 14-month war, including",
        Some("2023-04-06"),
        &["14-month => duration:P14M"],
    );
    check(
        "Putin told Russia’s Security Council on Friday on a video call.",
        Some("2022-03-11"),
        &["Friday => date:2022-03-11/day"],
    );
}

// ------------------------------------------------------------------ robustness

#[test]
fn ranges_and_offsets() {
    let text = "Héllo. In 2015, about 60 vehicles; «July 15» €200";
    let all = run(text, None);
    assert!(all.iter().any(|v| v.text(text) == "€200"));
    // a sub-range: offsets stay relative to the whole text
    let s = text.find("In 2015").expect("x");
    let vals = extract(text, s..s + 8, None);
    assert_eq!(vals.len(), 1);
    assert_eq!(vals[0].text(text), "2015");
    // ranges off char boundaries or out of bounds are clamped
    for (a, b) in [(0, 2), (2, 3), (1, 1000), (1000, 2000), (30, 10)] {
        let vals = extract(text, a..b, None);
        for v in vals {
            assert!(v.start >= a.min(text.len()) && v.end <= b.min(text.len()));
        }
    }
}

/// A small xorshift generator, so the test needs no crate.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn never_panics_on_random_text() {
    const PIECES: &[&str] = &[
        " ",
        " ",
        "  ",
        "\u{a0}",
        "\n",
        ",",
        ".",
        "-",
        "–",
        "/",
        ":",
        "$",
        "€",
        "£",
        "%",
        "'",
        "’",
        "“",
        "é",
        "日本",
        "0",
        "1",
        "2",
        "9",
        "12",
        "31",
        "99",
        "2023",
        "1990",
        "16,000",
        "3.5",
        "99999999999999999999999999999999",
        "July",
        "Feb.",
        "Sept",
        "May",
        "Monday",
        "Friday",
        "last",
        "this",
        "next",
        "week",
        "month",
        "year",
        "ago",
        "in",
        "since",
        "between",
        "and",
        "the",
        "early",
        "mid",
        "at least",
        "more than",
        "about",
        "tens of",
        "thousands",
        "hundred",
        "million",
        "bn",
        "m",
        "k",
        "km",
        "tonnes",
        "percent",
        "per cent",
        "dollars",
        "pounds",
        "rubles",
        "three",
        "twenty",
        "one",
        "first",
        "second",
        "21st",
        "a",
        "dozen",
        "days",
        "weeks",
        "years",
        "-month",
        "old",
        "p.m.",
        "am",
        "Q3",
        "summer",
        "s",
        "'90s",
        "within",
    ];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let docs = [
        None,
        Some(DocDate::ymd(2023, 7, 15)),
        Some(DocDate::y(2023)),
        Some(DocDate::ymd(0, 1, 1)),
        Some(DocDate::ymd(9999, 12, 31)),
        Some(DocDate {
            year: i32::MAX,
            month: Some(13),
            day: Some(40),
        }),
    ];
    for round in 0..3000 {
        let n = (rng.next() % 40) as usize;
        let mut text = String::new();
        for _ in 0..n {
            if rng.next() % 7 < 1 {
                // random scalar values, including multi-byte ones
                let c = char::from_u32((rng.next() % 0x3000) as u32).unwrap_or('x');
                text.push(c);
            } else {
                text.push_str(PIECES[(rng.next() % PIECES.len() as u64) as usize]);
            }
        }
        let a = (rng.next() % (text.len() as u64 + 3)) as usize;
        let b = (rng.next() % (text.len() as u64 + 3)) as usize;
        let tense = [Tense::Past, Tense::Future, Tense::Unknown][round % 3];
        for range in [0..text.len(), a..b] {
            let opts = Options {
                doc_date: docs[round % docs.len()],
                tense,
            };
            let vals = extract_with(&text, range.clone(), &opts);
            let mut last_end = 0;
            for v in &vals {
                assert!(v.start < v.end && v.end <= text.len(), "{text:?} {v:?}");
                assert!(
                    text.is_char_boundary(v.start) && text.is_char_boundary(v.end),
                    "{text:?} {v:?}"
                );
                assert!(v.start >= last_end, "overlap in {text:?}: {vals:?}");
                assert!(
                    v.start >= range.start.min(text.len())
                        && v.end <= range.end.min(text.len()).max(v.end.min(range.end))
                );
                last_end = v.end;
                if let Normalized::Cardinal { noun: Some(n), .. } = &v.normalized {
                    assert!(text.get(n.clone()).is_some());
                }
                let _ = v.normalized.to_string();
            }
            let _ = count_for(&text, &vals, a.min(b)..a.max(b));
        }
    }
}
