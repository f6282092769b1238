//! `dossier_text::jsonl::parse_line` on arbitrary UTF-8: never panics, and a
//! document it returns has furniture inside its text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|line: &str| {
    if let Ok(doc) = dossier_text::jsonl::parse_line(line, 1) {
        for span in &doc.furniture {
            assert!(span.slice(&doc.text).is_some(), "furniture span inside the text, on char boundaries");
        }
    }
});
