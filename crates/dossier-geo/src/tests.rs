//! Tests over the embedded gazetteer.

use super::*;

fn gaz() -> &'static Gazetteer {
    Gazetteer::embedded()
}

/// The first candidate alone: (name, kind, country).
fn first(name: &str) -> Option<(String, PlaceKind, String)> {
    let p = *gaz().candidates(name).first()?;
    Some((
        p.name().to_string(),
        p.kind(),
        p.country().map(|c| c.to_string()).unwrap_or_default(),
    ))
}

/// Resolves a document's names and returns each place's country ("" for none, "-" if unknown).
fn countries_of(names: &[&str]) -> Vec<String> {
    gaz()
        .resolve(names)
        .iter()
        .map(|p| match p {
            Some(p) => p.country().map(|c| c.to_string()).unwrap_or_default(),
            None => "-".to_string(),
        })
        .collect()
}

fn resolved(names: &[&str], i: usize) -> &'static Place {
    gaz().resolve(names)[i].unwrap_or_else(|| panic!("{} not resolved", names[i]))
}

#[test]
fn loads_quickly_and_completely() {
    let start = std::time::Instant::now();
    let g = Gazetteer::from_bytes(EMBEDDED_PLACES, EMBEDDED_COUNTRIES).unwrap();
    let elapsed = start.elapsed();
    eprintln!("gazetteer: {g:?} loaded in {elapsed:?}");
    assert!(g.places().len() > 70_000);
    assert!(g.countries().len() >= 245);
    // The loose bound is for a busy shared machine; a quiet one takes about 0.1 s.
    assert!(elapsed.as_secs_f64() < 2.0, "load took {elapsed:?}");
}

#[test]
fn bad_bytes_are_an_error() {
    assert!(matches!(
        Gazetteer::from_bytes(b"nonsense", EMBEDDED_COUNTRIES),
        Err(GeoError::Decompress { .. })
    ));
    let zst = |s: &str| zstd::encode_all(s.as_bytes(), 1).unwrap();
    let bad_row = zst("kind\ttype\tcc\tadmin1\tlat\tlon\tpopulation\tgeonameid\tname\taliases\ncity\tGPE\tXX\t\t91\t0\t1\t\tNowhere\t\n");
    match Gazetteer::from_bytes(&bad_row, EMBEDDED_COUNTRIES) {
        Err(GeoError::Row {
            file: "places",
            line: 2,
            reason,
        }) => assert_eq!(reason, "bad coordinates"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn candidates_ignore_case_diacritics_and_punctuation() {
    for name in [
        "Türkiye",
        "turkiye",
        "Turkey",
        "TURKEY",
        "the Republic of Türkiye",
    ] {
        assert_eq!(first(name).map(|f| f.2), Some("TR".into()), "{name}");
    }
    assert_eq!(first("Côte d’Ivoire").map(|f| f.2), Some("CI".into()));
    assert_eq!(first("Ivory Coast").map(|f| f.2), Some("CI".into()));
    assert_eq!(first("the Netherlands").map(|f| f.2), Some("NL".into()));
    assert_eq!(
        first("São Paulo").map(|f| (f.0, f.2)),
        Some(("São Paulo".into(), "BR".into()))
    );
    assert_eq!(first("Sao Paulo").map(|f| f.0), Some("São Paulo".into()));
    assert_eq!(
        first("St. Petersburg").map(|f| (f.0, f.2)),
        Some(("Saint Petersburg".into(), "RU".into()))
    );
    assert_eq!(first("Russia's").map(|f| f.2), Some("RU".into()));
    assert_eq!(first("Belarus'").map(|f| f.2), Some("BY".into()));
    assert!(gaz().candidates("").is_empty());
    assert!(gaz().candidates("Qwzxv Plorbington").is_empty());
}

#[test]
fn transliterations_through_alternate_names() {
    assert_eq!(
        first("Asipovichy").map(|f| (f.0, f.2)),
        Some(("Osipovichi".into(), "BY".into()))
    );
    assert_eq!(
        first("Lugansk").map(|f| (f.0, f.2)),
        Some(("Luhansk".into(), "UA".into()))
    );
    assert_eq!(
        first("Kiev").map(|f| (f.0, f.2)),
        Some(("Kyiv".into(), "UA".into()))
    );
    assert_eq!(
        first("Moskva").map(|f| (f.0, f.2)),
        Some(("Moscow".into(), "RU".into()))
    );
    // Not an alternate name, found by the transliteration key.
    assert_eq!(
        first("Asipovichi").map(|f| (f.0, f.2)),
        Some(("Osipovichi".into(), "BY".into()))
    );
}

#[test]
fn abbreviations_need_capitals() {
    for name in ["US", "U.S.", "USA", "U.S.A."] {
        assert_eq!(first(name).map(|f| f.2), Some("US".into()), "{name}");
    }
    assert_eq!(first("UK").map(|f| f.2), Some("GB".into()));
    assert_eq!(first("CAR").map(|f| f.2), Some("CF".into()));
    assert_ne!(first("us").map(|f| f.2), Some("US".into()));
    assert_ne!(first("car").map(|f| f.2), Some("CF".into()));
}

#[test]
fn kinds_and_types() {
    let black_sea = first("Black Sea").unwrap();
    assert_eq!((black_sea.1, black_sea.2.as_str()), (PlaceKind::Sea, ""));
    let p = gaz().candidates("Middle East")[0];
    assert_eq!(place_type(p), "LOC");
    assert_eq!(place_type(gaz().candidates("Africa")[0]), "LOC");
    assert_eq!(gaz().candidates("Africa")[0].kind(), PlaceKind::Continent);
    assert_eq!(place_type(gaz().candidates("Belarus")[0]), "GPE");
    assert_eq!(place_type(gaz().candidates("Texas")[0]), "GPE");
    assert_eq!(gaz().candidates("Texas")[0].kind(), PlaceKind::Admin1);
}

#[test]
fn alone_countries_then_regions_then_big_cities() {
    assert_eq!(
        first("Georgia").map(|f| (f.1, f.2)),
        Some((PlaceKind::Country, "GE".into()))
    );
    assert_eq!(first("Paris").map(|f| f.2), Some("FR".into()));
    assert_eq!(first("Moscow").map(|f| f.2), Some("RU".into()));
    // A division named after its own city yields to the city.
    for name in ["Donetsk", "Minsk", "Aleppo"] {
        assert_eq!(first(name).map(|f| f.1), Some(PlaceKind::City), "{name}");
    }
    // ... unless the text says it means the division.
    let oblast = first("Donetsk region").unwrap();
    assert_eq!(
        (oblast.0.as_str(), oblast.1, oblast.2.as_str()),
        ("Donetsk", PlaceKind::Admin1, "UA")
    );
    assert_eq!(
        first("Belgorod Oblast").map(|f| f.1),
        Some(PlaceKind::Admin1)
    );
    assert_eq!(
        first("Washington State").map(|f| (f.1, f.2)),
        Some((PlaceKind::Admin1, "US".into()))
    );
}

#[test]
fn resolve_prefers_places_consistent_with_the_document() {
    // Paris alone, with France, with the United States: Paris, France.
    assert_eq!(countries_of(&["Paris"]), ["FR"]);
    assert_eq!(countries_of(&["Paris", "France"]), ["FR", "FR"]);
    assert_eq!(countries_of(&["Paris", "United States"]), ["FR", "US"]);
    // With Texas named: Paris, Texas.
    let paris = resolved(&["Paris", "Texas"], 0);
    assert_eq!(
        (paris.country().unwrap().as_str(), paris.admin1()),
        ("US", Some("TX"))
    );
    // A smaller namesake in a named country: Hamilton, New Zealand.
    assert_eq!(countries_of(&["Hamilton"]), ["CA"]);
    assert_eq!(countries_of(&["Hamilton", "New Zealand"]), ["NZ", "NZ"]);
    assert_eq!(countries_of(&["Alexandria", "Virginia"]), ["US", "US"]);
    assert_eq!(countries_of(&["Alexandria", "Cairo"]), ["EG", "EG"]);
    // Moscow, Idaho only with Idaho.
    assert_eq!(countries_of(&["Moscow", "United States"]), ["RU", "US"]);
    assert_eq!(countries_of(&["Moscow", "Idaho"]), ["US", "US"]);
    // Georgia the state when the text is in Georgia the state.
    assert_eq!(
        resolved(&["Georgia", "Tbilisi"], 0).kind(),
        PlaceKind::Country
    );
    let georgia = resolved(&["Georgia", "Atlanta"], 0);
    assert_eq!(
        (georgia.kind(), georgia.country().unwrap().as_str()),
        (PlaceKind::Admin1, "US")
    );
    // A town in a named country.
    assert_eq!(resolved(&["Osipovichi", "Belarus"], 0).name(), "Osipovichi");
    // Unknown names stay unknown; repeated names agree.
    assert_eq!(
        countries_of(&["Qwzxv", "Birmingham", "Birmingham", "Alabama"]),
        ["-", "US", "US", "US"]
    );
    assert!(gaz().resolve(&[]).is_empty());
}

#[test]
fn demonyms_name_countries() {
    let code = |w: &str| gaz().demonym(w).map(|c| c.iso2().to_string());
    for (word, cc) in [
        ("Russian", "RU"),
        ("Russians", "RU"),
        ("Belarusian", "BY"),
        ("Belarusians", "BY"),
        ("Ukrainian", "UA"),
        ("Turkish", "TR"),
        ("American", "US"),
        ("Americans", "US"),
        ("British", "GB"),
        ("the British", "GB"),
        ("Britons", "GB"),
        ("French", "FR"),
        ("Chinese", "CN"),
        ("Syrian", "SY"),
        ("Malian", "ML"),
        ("Libyan", "LY"),
        ("Central African", "CF"),
        ("Venezuelan", "VE"),
        ("Chadian", "TD"),
        ("Beninese", "BJ"),
    ] {
        assert_eq!(code(word).as_deref(), Some(cc), "{word}");
    }
    assert_eq!(code("Wagnerian"), None);
    assert_eq!(code(""), None);
}

#[test]
fn countries_by_code() {
    let by = gaz().country("by").unwrap();
    assert_eq!(
        (by.iso2().as_str(), by.iso3(), by.name()),
        ("BY", "BLR", "Belarus")
    );
    assert!(by.demonyms().any(|d| d == "Belarusian"));
    assert!(by.place().distance_km(53.9, 27.57) < 200.0);
    assert_eq!(by.place().geonames_id(), Some(630336));
    assert!(gaz().country("XQ").is_none());
    assert!(gaz().country("BLR").is_none());
}
