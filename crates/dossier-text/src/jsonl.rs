//! JSON lines as crawlers write them: `{"text": ..., "title"?, "url"?, "published"?, "outlet"?}`.

use crate::{meta::parse_date, read::finish, Document, Format, Meta, ReadError};

/// Reads one JSONL line (1-based `line_no`, for errors) into a document. Fields
/// other than `text` are optional; a field of the wrong type is ignored.
pub fn parse_line(line: &str, line_no: usize) -> Result<Document, ReadError> {
    let err = |message: String| ReadError::Jsonl { line: line_no, message };
    let value: serde_json::Value = serde_json::from_str(line).map_err(|e| err(format!("not JSON: {e}")))?;
    let obj = value.as_object().ok_or_else(|| err("not a JSON object".into()))?;
    let text = match obj.get("text") {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(_) => return Err(err("\"text\" is not a string".into())),
        None => return Err(err("no \"text\" field".into())),
    };
    let field = |k: &str| obj.get(k).and_then(|v| v.as_str()).map(str::trim).filter(|s| !s.is_empty()).map(String::from);
    let meta = Meta {
        title: field("title"),
        outlet: field("outlet").or_else(|| field("source")),
        published: field("published").or_else(|| field("date")).as_deref().and_then(parse_date),
        url: field("url"),
        lang: field("lang").or_else(|| field("language")),
    };
    finish(text, Format::Jsonl, meta, Vec::new()).map_err(|e| match e {
        ReadError::Empty => err("empty \"text\"".into()),
        other => other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_fields() {
        let d = parse_line(r#"{"text":"Body of the story.\n\nRelated Articles","title":"T","url":"http://x/1","published":"2023-07-15","outlet":"EFE"}"#, 3).unwrap();
        assert_eq!(d.meta.title.as_deref(), Some("T"));
        assert_eq!(d.meta.outlet.as_deref(), Some("EFE"));
        assert_eq!(d.meta.published.unwrap().to_string(), "2023-07-15");
        assert_eq!(d.furniture.len(), 1);
    }

    #[test]
    fn errors_name_the_line() {
        assert!(matches!(parse_line("{not json", 7), Err(ReadError::Jsonl { line: 7, .. })));
        assert!(matches!(parse_line("[1,2]", 2), Err(ReadError::Jsonl { line: 2, .. })));
        assert!(matches!(parse_line(r#"{"title":"x"}"#, 2), Err(ReadError::Jsonl { line: 2, .. })));
        assert!(matches!(parse_line(r#"{"text":"  "}"#, 2), Err(ReadError::Jsonl { line: 2, .. })));
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC*") {
            let _ = parse_line(&s, 1);
        }

        #[test]
        fn spans_stay_in_text(body in "[a-zA-Z .,\n©]{0,300}") {
            let line = serde_json::json!({"text": body}).to_string();
            if let Ok(d) = parse_line(&line, 1) {
                for f in &d.furniture {
                    prop_assert!(f.slice(&d.text).is_some());
                }
            }
        }
    }
}
