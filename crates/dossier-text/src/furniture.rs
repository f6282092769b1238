//! Page furniture: the lines of a page that are not the article.
//!
//! General rules that hold on any news site, line by line:
//! - boilerplate lines: "Related Articles", "Back to top", "Click here to read more
//!   from ...", "Video Embed", "Advertisement", "Share this", "Sign up for ...",
//!   copyright lines, "Credit: ..." and "Photo: ..." lines;
//! - link lists: a list heading ("Popular posts from this blog", "More from ...",
//!   "Recommended", "Related stories") and the headline-like lines after it;
//! - in-text promos: a whole line in capitals in a document that is not in capitals;
//! - repeated captions: a line without final punctuation that occurs twice (once
//!   perhaps with a "Credit: ..." tail) is a photo caption; a repeated full
//!   sentence keeps its first occurrence.
//!
//! Furniture spans are line-aligned (leading/trailing whitespace excluded) and
//! merged across the blank lines between them.

use crate::span::{normalize, Span};
use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

/// Lines that are furniture by themselves (matched case-insensitively on the trimmed line).
static BOILERPLATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)^(?:
          (?:related|recommended|suggested|similar|popular|trending|featured|latest|top|more|other|further)\s+
              (?:articles?|content|stories|posts?|news|reads?|links?|videos?|coverage|topics?|headlines|reading)\b.*
        | popular\s+posts?\b.*
        | most\s+(?:read|popular|viewed|shared|commented|watched)\b.*
        | (?:you\s+(?:may|might)\s+(?:also\s+)?(?:like|be\s+interested\s+in|have\s+missed)|also\s+read|read\s+(?:more|next|also)|see\s+also|don'?t\s+miss|editor'?s\s+picks?|more\s+from\b.*|more\s+on\s+this\b.*)\b.*
        | back\s+to\s+top\b.*
        | (?:scroll|jump|skip)\s+to\s+(?:the\s+)?(?:top|main\s+content|content)\b.*
        | .*\bclick\s+here\b.*
        | continue\s+reading\b.*
        | (?:sign\s+up|subscribe|register)\b.{0,80}
        | follow\s+us\b.*
        | share\s+(?:this|on|via)\b.*
        | (?:share|tweet|email|print|comments?|reply|menu|search|home|close|next|previous|prev)
        | (?:video|image|photo|audio|media)\s+(?:embed|player|gallery)
        | advertisement | advertising | sponsored(?:\s+content)?\b.* | ad
        | (?:leave|post|view|show|load|read)\s+(?:a\s+|all\s+|more\s+|the\s+)?comments?\b.*
        | \d+\s+comments?
        | all\s+rights\s+reserved\b.*
        | (?:©|\(c\)|copyright\b).*
        | (?:photo|image|picture|credit|credits|source|video|graphic|illustration)s?\s*:.*
        | (?:getty\s+images|shutterstock|ap\s+photo|reuters\s+photo|afp\s+photo)\b.{0,40}
        | (?:tags?|topics?|filed\s+under|categories|category)\s*:.*
        | (?:listen\s+to\s+this\s+article|watch\s*:|listen\s*:)\b.*
        | loading\.*
        | (?:accept|manage)\s+(?:all\s+)?cookies\b.*
        | (?:this\s+)?(?:article|story)\s+(?:continues|is\s+continued)\s+below\b.*
        | [\p{P}\p{S}\s]+
        )$",
    )
    .expect("furniture regex")
});

/// A caption glued to its credit: "...eight month periodCredit: Reuters".
static CREDIT_TAIL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(?:\S|^)\s*(?:photo\s+)?credit\s*:\s*\S.{0,80}$").expect("credit regex"));

/// Headings that start a list of links to other articles.
static LIST_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)^(?:
          (?:related|recommended|suggested|similar|popular|trending|featured|latest|top|more|other)\s+
              (?:articles?|content|stories|posts?|news|reads?|links?|videos?|coverage|headlines|reading)\b.*
        | popular\s+posts?\b.*
        | most\s+(?:read|popular|viewed|shared|commented)\b.*
        | (?:you\s+(?:may|might)\s+(?:also\s+)?like|also\s+read|read\s+(?:more|next|also)|see\s+also|editor'?s\s+picks?|more\s+from\b.*|more\s+on\s+this\b.*)
        )$",
    )
    .expect("list heading regex")
});

#[derive(Clone, Copy)]
struct Line<'a> {
    /// Trimmed span of the line.
    span: Span,
    text: &'a str,
}

fn lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut pos = 0;
    for raw in text.split_inclusive('\n') {
        let start = pos;
        pos += raw.len();
        let lead = raw.len() - raw.trim_start().len();
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            continue;
        }
        let s = start + lead;
        out.push(Line { span: Span::new(s, s + trimmed.len()), text: trimmed });
    }
    out
}

fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

fn ends_sentence(s: &str) -> bool {
    let s = s.trim_end_matches(['"', '\'', '”', '’', ')', ']']);
    s.ends_with(['.', '!', '?', ':', ';'])
}

/// Whether the line is in capitals (at least 3 words, 90% of its letters upper case).
fn is_shouting(s: &str) -> bool {
    let (mut upper, mut letters) = (0usize, 0usize);
    for c in s.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        if c.is_uppercase() {
            upper += 1;
        }
    }
    letters >= 12 && word_count(s) >= 3 && upper * 10 >= letters * 9
}

/// Key for spotting repeated lines: case-folded words, "Credit: ..." tail removed;
/// and whether there was such a tail.
fn repeat_key(s: &str) -> (String, bool) {
    let (cut, credit) = match CREDIT_TAIL.find(s) {
        Some(m) => {
            let off = s[m.start()..].to_ascii_lowercase().find("credit").unwrap_or(0);
            let head = s[..m.start() + off].trim_end();
            // "Photo credit:" keeps its "Photo" out of the caption too.
            let head = match head.len().checked_sub(5) {
                Some(k) if head.is_char_boundary(k) && head[k..].eq_ignore_ascii_case("photo") => &head[..k],
                _ => head,
            };
            (head, true)
        }
        None => (s, false),
    };
    let key = cut.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    (key, credit)
}

/// Finds the furniture of `text` by the rules in the module doc. Spans are sorted,
/// merged, and line-aligned.
pub fn detect(text: &str) -> Vec<Span> {
    let lines = lines(text);
    let mut furniture = vec![false; lines.len()];

    let shouting_doc = {
        let n = lines.iter().filter(|l| is_shouting(l.text)).count();
        n * 2 > lines.len()
    };

    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        let short = word_count(l.text) <= 14;
        if short && BOILERPLATE.is_match(l.text) {
            furniture[i] = true;
        }
        if CREDIT_TAIL.is_match(l.text) && word_count(l.text) <= 60 {
            furniture[i] = true;
        }
        if i > 0 && !shouting_doc && is_shouting(l.text) && word_count(l.text) <= 20 {
            furniture[i] = true;
        }
        if short && LIST_HEADING.is_match(l.text) {
            // The headline-like lines after the heading are the list.
            let mut j = i + 1;
            while j < lines.len() {
                let t = lines[j].text;
                let wc = word_count(t);
                let headline = wc <= 30 && !(t.ends_with('.') && wc >= 6 && !t.ends_with("..."));
                if !headline {
                    break;
                }
                furniture[j] = true;
                j += 1;
            }
            furniture[i] = true;
            i = j;
            continue;
        }
        i += 1;
    }

    // Repeated lines.
    let mut seen: HashMap<String, Vec<usize>> = HashMap::new();
    let mut credited: HashMap<String, bool> = HashMap::new();
    for (i, l) in lines.iter().enumerate() {
        let (key, credit) = repeat_key(l.text);
        if word_count(&key) < 3 {
            continue;
        }
        *credited.entry(key.clone()).or_default() |= credit;
        seen.entry(key).or_default().push(i);
    }
    for (key, idxs) in &seen {
        if idxs.len() < 2 {
            continue;
        }
        let caption = credited[key] || !ends_sentence(key);
        for (k, &i) in idxs.iter().enumerate() {
            // The first line is the title: its later copies are furniture, it is not.
            let keep_first = i == 0 || !caption;
            if k > 0 || !keep_first {
                furniture[i] = true;
            }
        }
    }

    // Merge runs of furniture lines (blank lines between them are inside the run).
    let mut spans = Vec::new();
    let mut run: Option<Span> = None;
    for (i, l) in lines.iter().enumerate() {
        if furniture[i] {
            run = Some(match run {
                Some(r) => Span::new(r.start(), l.span.end()),
                None => l.span,
            });
        } else if let Some(r) = run.take() {
            spans.push(r);
        }
    }
    spans.extend(run);
    normalize(spans)
}

#[cfg(test)]
mod tests {
    use super::detect;

    fn furniture(text: &str) -> Vec<&str> {
        detect(text).iter().map(|s| &text[s.start()..s.end()]).collect()
    }

    #[test]
    fn boilerplate_lines() {
        let text = "Title of the story\n\nA paragraph that says something.\n\nRelated Articles\n\nBack to top button\n";
        assert_eq!(furniture(text), vec!["Related Articles\n\nBack to top button"]);
        let text = "Head\n\nBody sentence one here.\n\nCLICK HERE TO READ MORE FROM THE DAILY PLANET\n\nMore body text follows here.\n\n© 2021 Daily Planet\n";
        assert_eq!(furniture(text), vec!["CLICK HERE TO READ MORE FROM THE DAILY PLANET", "© 2021 Daily Planet"]);
        assert_eq!(furniture("Head\n\nVideo Embed\n\nText of the article.\n"), vec!["Video Embed"]);
    }

    #[test]
    fn article_sentences_are_not_furniture() {
        let text = "Head\n\nMore than 16,000 people applied to join, the minister said.\n\nRelated talks ended without progress on Friday, officials said.\n\nShare prices fell sharply on Monday after the announcement.\n";
        assert!(furniture(text).is_empty(), "{:?}", furniture(text));
    }

    #[test]
    fn link_list_after_heading() {
        let text = "Head\n\nBody of the article ends here.\n\nPopular posts from this blog\n\nMinister Says 'We Are Ready'; Opposition Irks Party\n\n'Talks are over': Senior Diplomat\n\n5 held in raid on border post, says police\n";
        let f = furniture(text);
        assert_eq!(f.len(), 1);
        assert!(f[0].starts_with("Popular posts from this blog") && f[0].ends_with("says police"), "{f:?}");
    }

    #[test]
    fn repeated_captions_and_credits() {
        let text = "Headline of the piece\n\nFirst paragraph of the story is here.\n\nLeader with soldiers at an event\n\n\nLeader with soldiers at an event\n\nSecond paragraph of the story.\n\nA crowd at the square in the capital\n\n\nA crowd at the square in the capitalCredit: Example Agency\n\nThird paragraph.\n";
        let f = furniture(text);
        assert_eq!(f.len(), 2, "{f:?}");
        assert!(f[1].ends_with("Credit: Example Agency"));
    }

    #[test]
    fn repeated_title_keeps_first_copy() {
        let text = "Rebels seize the northern town\n\nImage caption line\n\nRebels seize the northern town\n\nThe rebels seized the town on Monday.\n";
        assert_eq!(furniture(text), vec!["Rebels seize the northern town"]);
        assert_eq!(detect(text)[0].start(), text.rfind("Rebels seize").unwrap());
    }

    #[test]
    fn shouting_promo_in_body() {
        let text = "Head line\n\nThe body says things.\n\nWHAT WE KNOW ABOUT THE BIG STORY SO FAR\n\nMore body.\n";
        assert_eq!(furniture(text), vec!["WHAT WE KNOW ABOUT THE BIG STORY SO FAR"]);
    }
}
