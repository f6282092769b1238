//! Title, outlet, date, URL and language from a page's markup.
//!
//! Sources, first found wins:
//! - title: `og:title`, `twitter:title`, `<title>`, JSON-LD `headline`, the first
//!   `<h1>`; a " | Outlet" / " - Outlet" suffix (or prefix) equal to the outlet is cut;
//! - outlet: `og:site_name`, `application-name`, JSON-LD `publisher.name`;
//! - published: `article:published_time`, `og:published_time`,
//!   `itemprop=datePublished`, JSON-LD `datePublished`, `<time datetime>` in the
//!   article, `pubdate`, then common vendor meta names (`date`, `dc.date`...);
//! - url: `<link rel=canonical>`, `og:url` (absolute http(s) URLs only);
//! - lang: `<html lang>`, `content-language`, `og:locale`, JSON-LD `inLanguage`.

use super::content::Content;
use super::tokenizer::Attr;
use super::tree::{Data, Dom, Tag};
use crate::Meta;
use serde_json::Value;
use std::collections::HashMap;

/// JSON-LD blocks larger than this are not parsed (real ones are a few KB).
const MAX_JSON_LD: usize = 1 << 20;

/// Everything the page says about itself, gathered in one pass.
#[derive(Default)]
struct Found {
    /// `<meta>` content by lowercased name/property/itemprop/http-equiv; first wins.
    metas: HashMap<String, String>,
    canonical: Option<String>,
    title: Option<String>,
    html_lang: Option<String>,
    json_ld: Vec<Value>,
    item_date: Option<String>,
    article_time: Option<String>,
    pubdate: Option<String>,
}

pub(crate) fn extract(dom: &Dom, content: &Content) -> Meta {
    let found = gather(dom, content);
    let ld = JsonLd::read(&found.json_ld);
    let meta = |k: &str| found.metas.get(k).map(|s| s.trim()).filter(|s| !s.is_empty());

    let outlet = meta("og:site_name").or_else(|| meta("application-name")).map(collapse).or(ld.publisher.clone());
    let h1 = content.h1.map(|h| text_of(dom, h, 300)).filter(|t| !t.is_empty());
    let title = meta("og:title")
        .or_else(|| meta("twitter:title"))
        .map(collapse)
        .or(found.title.clone())
        .or(ld.headline.clone())
        .or(h1)
        .map(|t| strip_outlet(&t, outlet.as_deref()))
        .filter(|t| !t.is_empty());

    let date_sources = [
        meta("article:published_time").map(str::to_string),
        meta("og:published_time").map(str::to_string),
        found.item_date.clone(),
        meta("datepublished").map(str::to_string),
        ld.date_published.clone(),
        found.article_time.clone(),
        found.pubdate.clone(),
        meta("pubdate").map(str::to_string),
    ];
    let vendor = [
        "date",
        "publish-date",
        "publish_date",
        "publication_date",
        "dc.date",
        "dc.date.issued",
        "dcterms.created",
        "dcterms.issued",
        "sailthru.date",
        "parsely-pub-date",
        "article.published",
        "datecreated",
    ];
    let published = date_sources
        .into_iter()
        .flatten()
        .chain(vendor.iter().filter_map(|k| meta(k).map(str::to_string)))
        .find_map(|s| parse_date(&s));

    let url = [found.canonical.as_deref(), meta("og:url")]
        .into_iter()
        .flatten()
        .map(str::trim)
        .find(|u| is_absolute_http(u))
        .map(str::to_string);

    let lang = [found.html_lang.as_deref(), meta("content-language"), meta("og:locale"), ld.language.as_deref()]
        .into_iter()
        .flatten()
        .find_map(lang_code);

    Meta { title, outlet, published, url, lang }
}

fn gather(dom: &Dom, content: &Content) -> Found {
    let nodes = &dom.nodes;
    let mut found = Found::default();
    // Inside <svg>/<math> (whose <title>s are tooltips) or <template>.
    let mut foreign = vec![false; nodes.len()];
    let article = content.root..nodes.get(content.root).map_or(0, |n| n.end);
    for i in 1..nodes.len() {
        let Data::Element(el) = &nodes[i].data else {
            foreign[i] = foreign[nodes[i].parent];
            continue;
        };
        foreign[i] = foreign[nodes[i].parent] || matches!(el.tag, Tag::Svg | Tag::Math | Tag::Template);
        if foreign[i] {
            continue;
        }
        match el.tag {
            Tag::Html if found.html_lang.is_none() => {
                found.html_lang = el.attr(Attr::Lang).map(str::to_string);
            }
            Tag::Meta => {
                if let Some(value) = el.attr(Attr::Content) {
                    for key_attr in [Attr::Property, Attr::Name, Attr::Itemprop, Attr::HttpEquiv] {
                        if let Some(key) = el.attr(key_attr) {
                            for k in key.split_ascii_whitespace() {
                                found.metas.entry(k.to_ascii_lowercase()).or_insert_with(|| value.to_string());
                            }
                        }
                    }
                }
            }
            Tag::Link => {
                let canonical = el
                    .attr(Attr::Rel)
                    .is_some_and(|r| r.split_ascii_whitespace().any(|w| w.eq_ignore_ascii_case("canonical")));
                if canonical && found.canonical.is_none() {
                    found.canonical = el.attr(Attr::Href).map(str::to_string);
                }
            }
            Tag::Title if found.title.is_none() => {
                let t = text_of(dom, i, 1000);
                if !t.is_empty() {
                    found.title = Some(t);
                }
            }
            Tag::Script => {
                let is_ld = el.attr(Attr::Type).is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"));
                if is_ld && found.json_ld.len() < 16 {
                    if let Some(Data::Text(t)) = nodes.get(i + 1).filter(|n| n.parent == i).map(|n| &n.data) {
                        if let Some(v) = parse_json_ld(t) {
                            found.json_ld.push(v);
                        }
                    }
                }
            }
            _ => {}
        }
        if el.tag != Tag::Meta && found.item_date.is_none() {
            let is_date = el
                .attr(Attr::Itemprop)
                .is_some_and(|p| p.split_ascii_whitespace().any(|w| w.eq_ignore_ascii_case("datePublished")));
            if is_date {
                found.item_date = el
                    .attr(Attr::Datetime)
                    .or_else(|| el.attr(Attr::Content))
                    .map(str::to_string)
                    .or_else(|| Some(text_of(dom, i, 200)));
            }
        }
        if el.tag == Tag::Time {
            if let Some(dt) = el.attr(Attr::Datetime) {
                if found.article_time.is_none() && article.contains(&i) {
                    found.article_time = Some(dt.to_string());
                }
                if found.pubdate.is_none() && el.attr(Attr::Pubdate).is_some() {
                    found.pubdate = Some(dt.to_string());
                }
            }
        }
    }
    found
}

/// The text under node `i`, whitespace collapsed, at most about `max` bytes.
pub(crate) fn text_of(dom: &Dom, i: usize, max: usize) -> String {
    let mut out = String::new();
    let end = dom.nodes[i].end;
    for node in &dom.nodes[i..end] {
        if let Data::Text(t) = &node.data {
            out.push_str(t);
            out.push(' ');
            if out.len() > max * 4 {
                break;
            }
        }
    }
    let mut s = collapse(&out);
    if s.len() > max {
        let mut cut = max;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
    }
    s
}

/// Whitespace runs to single spaces, trimmed.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Cuts " | Outlet" (or "Outlet | ") from a title when it names the outlet.
fn strip_outlet(title: &str, outlet: Option<&str>) -> String {
    let title = collapse(title);
    let Some(outlet) = outlet.map(collapse).filter(|o| !o.is_empty()) else {
        return title;
    };
    const SEPS: [&str; 7] = [" | ", " - ", " – ", " — ", " :: ", " · ", " » "];
    for sep in SEPS {
        if let Some((head, tail)) = title.rsplit_once(sep) {
            if tail.trim().eq_ignore_ascii_case(&outlet) && !head.trim().is_empty() {
                return head.trim().to_string();
            }
        }
        if let Some((head, tail)) = title.split_once(sep) {
            if head.trim().eq_ignore_ascii_case(&outlet) && !tail.trim().is_empty() {
                return tail.trim().to_string();
            }
        }
    }
    title
}

fn is_absolute_http(u: &str) -> bool {
    let l = u.get(..8).unwrap_or(u).to_ascii_lowercase();
    (l.starts_with("http://") || l.starts_with("https://")) && u.len() > 8 && !u.contains(char::is_whitespace)
}

/// `en-US`, `en_GB`, `EN` -> `en`; 2- or 3-letter primary subtags only.
fn lang_code(s: &str) -> Option<String> {
    let primary = s.trim().split(['-', '_']).next()?;
    ((2..=3).contains(&primary.len()) && primary.bytes().all(|b| b.is_ascii_alphabetic()))
        .then(|| primary.to_ascii_lowercase())
}

fn parse_json_ld(raw: &str) -> Option<Value> {
    if raw.len() > MAX_JSON_LD {
        return None;
    }
    let s = raw.trim();
    let s = s.strip_prefix("<!--").unwrap_or(s);
    let s = s.strip_suffix("-->").unwrap_or(s);
    let s = s.trim().trim_start_matches("//<![CDATA[").trim_end_matches("//]]>");
    // Raw newlines and tabs inside strings are common and invalid JSON; outside
    // strings they are whitespace either way.
    let cleaned: String = s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    serde_json::from_str(&cleaned).ok()
}

/// What the page's JSON-LD says about its article.
#[derive(Default)]
struct JsonLd {
    headline: Option<String>,
    publisher: Option<String>,
    date_published: Option<String>,
    language: Option<String>,
}

fn str_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(collapse(s)).filter(|s| !s.is_empty()),
        Value::Array(a) => a.iter().find_map(str_of),
        _ => None,
    }
}

fn types(obj: &serde_json::Map<String, Value>) -> Vec<&str> {
    match obj.get("@type") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn is_article_type(t: &str) -> bool {
    let t = t.rsplit(['/', ':']).next().unwrap_or(t);
    t.ends_with("Article") || matches!(t, "BlogPosting" | "LiveBlogPosting" | "Report" | "SocialMediaPosting")
}

impl JsonLd {
    fn read(values: &[Value]) -> JsonLd {
        // Top-level objects, arrays of them, and @graph members (one level).
        let mut objects: Vec<&serde_json::Map<String, Value>> = Vec::new();
        let mut todo: Vec<(&Value, u8)> = values.iter().map(|v| (v, 0)).collect();
        while let Some((v, depth)) = todo.pop() {
            match v {
                Value::Array(a) if depth < 3 => todo.extend(a.iter().rev().map(|x| (x, depth + 1))),
                Value::Object(o) => {
                    objects.push(o);
                    if let (Some(g), true) = (o.get("@graph"), depth < 3) {
                        todo.push((g, depth + 1));
                    }
                }
                _ => {}
            }
        }
        let by_id = |id: &str| objects.iter().find(|o| o.get("@id").and_then(Value::as_str) == Some(id)).copied();
        let name_of = |v: &Value| -> Option<String> {
            let v = match v {
                Value::Array(a) => a.first()?,
                v => v,
            };
            match v {
                Value::String(s) => Some(collapse(s)).filter(|s| !s.is_empty()),
                Value::Object(o) => o.get("name").and_then(str_of).or_else(|| {
                    let id = o.get("@id")?.as_str()?;
                    by_id(id)?.get("name").and_then(str_of)
                }),
                _ => None,
            }
        };
        let mut out = JsonLd::default();
        let articles = objects.iter().filter(|o| types(o).into_iter().any(is_article_type));
        for a in articles {
            if out.headline.is_none() {
                out.headline = a.get("headline").and_then(str_of);
            }
            if out.date_published.is_none() {
                out.date_published = a.get("datePublished").and_then(str_of);
            }
            if out.publisher.is_none() {
                out.publisher = a.get("publisher").and_then(name_of);
            }
            if out.language.is_none() {
                out.language =
                    a.get("inLanguage").and_then(|v| str_of(v).or_else(|| v.get("alternateName").and_then(str_of)));
            }
        }
        out
    }
}

pub(crate) use crate::date::parse_written as parse_date;

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<String> {
        parse_date(s).map(|d| d.to_string())
    }

    #[test]
    fn dates() {
        assert_eq!(d("2024-03-05T23:30:00-05:00").as_deref(), Some("2024-03-05"));
        assert_eq!(d("2024-03-05 10:00").as_deref(), Some("2024-03-05"));
        assert_eq!(d("2024/03/05").as_deref(), Some("2024-03-05"));
        assert_eq!(d("20240305T101500Z").as_deref(), Some("2024-03-05"));
        assert_eq!(d("Tue, 05 Mar 2024 10:00:00 GMT").as_deref(), Some("2024-03-05"));
        assert_eq!(d("March 5, 2024 10:45 AM").as_deref(), Some("2024-03-05"));
        assert_eq!(d("5 March 2024").as_deref(), Some("2024-03-05"));
        assert_eq!(d("25/03/2024").as_deref(), Some("2024-03-25"));
        assert_eq!(d("05/03/2024").as_deref(), Some("2024"));
        assert_eq!(d("Updated yesterday"), None);
        assert_eq!(d("2024-02-30"), None);
    }

    #[test]
    fn outlet_suffixes() {
        assert_eq!(strip_outlet("Storm hits coast | The Daily Planet", Some("The Daily Planet")), "Storm hits coast");
        assert_eq!(strip_outlet("The Daily Planet - Storm hits coast", Some("the daily planet")), "Storm hits coast");
        assert_eq!(strip_outlet("Storm - hits coast", Some("The Daily Planet")), "Storm - hits coast");
        assert_eq!(strip_outlet("Storm hits coast | Planet", None), "Storm hits coast | Planet");
    }

    #[test]
    fn lang_codes() {
        assert_eq!(lang_code("en-US").as_deref(), Some("en"));
        assert_eq!(lang_code("FR_fr").as_deref(), Some("fr"));
        assert_eq!(lang_code("fil").as_deref(), Some("fil"));
        assert_eq!(lang_code("x"), None);
        assert_eq!(lang_code("english"), None);
    }
}
