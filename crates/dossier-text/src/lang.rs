//! Language identification (whatlang, with an English stop-word check for short or
//! unreliable guesses).

/// The language of `text` as an ISO 639-1 code ("en"), or ISO 639-3 where 639-1 has
/// none; `None` when the text is too short or too mixed to tell.
pub fn detect(text: &str) -> Option<String> {
    // A prefix is plenty and keeps this O(1) on huge documents.
    let sample = match text.char_indices().nth(20_000) {
        Some((i, _)) => &text[..i],
        None => text,
    };
    let english = english_stopword_share(sample);
    let info = whatlang::detect(sample);
    match info {
        Some(info) if info.lang() == whatlang::Lang::Eng => Some("en".into()),
        Some(info) if info.is_reliable() && english < 0.12 => Some(iso639_1(info.lang().code()).into()),
        _ if english >= 0.12 => Some("en".into()),
        Some(info) if info.confidence() >= 0.5 => Some(iso639_1(info.lang().code()).into()),
        _ => None,
    }
}

/// Share of words that are common English function words (about 0.3 to 0.5 on English prose).
fn english_stopword_share(text: &str) -> f64 {
    const STOP: &[&str] = &[
        "the", "of", "and", "to", "in", "a", "is", "that", "for", "it", "was", "on", "with", "as", "he", "by", "at",
        "from", "his", "has", "have", "had", "be", "are", "were", "not", "this", "but", "they", "an", "which", "said",
        "who", "its", "their", "been", "would", "will",
    ];
    let (mut n, mut hits) = (0usize, 0usize);
    for w in text.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty()) {
        n += 1;
        if w.len() <= 5 && STOP.iter().any(|s| s.eq_ignore_ascii_case(w)) {
            hits += 1;
        }
    }
    if n < 3 {
        0.0
    } else {
        hits as f64 / n as f64
    }
}

fn iso639_1(code3: &str) -> &str {
    const MAP: &[(&str, &str)] = &[
        ("eng", "en"), ("rus", "ru"), ("ukr", "uk"), ("bel", "be"), ("fra", "fr"), ("deu", "de"), ("spa", "es"),
        ("por", "pt"), ("ita", "it"), ("nld", "nl"), ("pol", "pl"), ("ces", "cs"), ("slk", "sk"), ("slv", "sl"),
        ("hrv", "hr"), ("srp", "sr"), ("bul", "bg"), ("ron", "ro"), ("hun", "hu"), ("fin", "fi"), ("swe", "sv"),
        ("dan", "da"), ("nob", "nb"), ("est", "et"), ("lav", "lv"), ("lit", "lt"), ("ell", "el"), ("tur", "tr"),
        ("ara", "ar"), ("heb", "he"), ("pes", "fa"), ("urd", "ur"), ("hin", "hi"), ("ben", "bn"), ("cmn", "zh"),
        ("jpn", "ja"), ("kor", "ko"), ("vie", "vi"), ("tha", "th"), ("ind", "id"), ("kat", "ka"), ("hye", "hy"),
        ("aze", "az"), ("kaz", "kk"), ("uzb", "uz"), ("afr", "af"), ("swa", "sw"), ("amh", "am"), ("yor", "yo"),
        ("epo", "eo"), ("lat", "la"), ("cat", "ca"), ("mkd", "mk"), ("tgl", "tl"), ("zul", "zu"),
    ];
    MAP.iter().find(|(k, _)| *k == code3).map_or(code3, |(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::detect;

    #[test]
    fn detects_common_languages() {
        assert_eq!(detect("The convoy, consisting of approximately 60 vehicles, was heading towards the town.").as_deref(), Some("en"));
        assert_eq!(
            detect("Министерство обороны Беларуси представило план военного сотрудничества с группой Вагнера.").as_deref(),
            Some("ru")
        );
        assert_eq!(
            detect("El ministerio de Defensa de Bielorrusia ha presentado un plan de colaboración militar con el grupo.").as_deref(),
            Some("es")
        );
        assert_eq!(detect("").as_deref(), None);
    }
}
