//! `dossier_text::html::extract` on arbitrary UTF-8: never panics, and its output
//! keeps the reader's invariants.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|html: &str| {
    let Ok(article) = dossier_text::html::extract(html) else { return };
    let text = &article.text;
    let mut last_end = 0;
    for span in &article.furniture {
        assert!(span.start() >= last_end, "furniture spans sorted and disjoint");
        assert!(span.slice(text).is_some(), "furniture span inside the text, on char boundaries");
        last_end = span.end();
    }
    assert!(!text.contains('\r') && !text.contains('\0'));
});
