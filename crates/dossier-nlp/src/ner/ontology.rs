//! From CoNLL types to ontology types (`../shared/ONTOLOGY.md`).

use super::lexicon::{cat, Lexicon};
use super::{CoarseType, EntityType};

/// Last words that make a location a facility.
const FAC_HEADS: &[&str] = &[
    "airport", "airfield", "airbase", "base", "bases", "residence", "palace", "bridge", "square", "stadium", "arena",
    "hospital", "building", "tower", "towers", "station", "port", "harbour", "harbor", "plant", "dam", "camp",
    "prison", "jail", "embassy", "consulate", "cathedral", "church", "mosque", "temple", "museum", "hotel",
    "center", "centre", "complex", "barracks", "compound", "terminal", "pentagon", "kremlin", "headquarters",
    "academy", "university", "school", "mall", "hall", "house", "castle", "fort", "refinery", "factory", "shipyard",
    "highway", "road", "street", "avenue", "boulevard", "railway", "pipeline", "cemetery", "park", "zoo",
];

/// Last words that make a location a natural or non-governed place.
const LOC_HEADS: &[&str] = &[
    "sea", "ocean", "river", "lake", "gulf", "bay", "strait", "straits", "channel", "mountains", "mountain",
    "mount", "hills", "valley", "desert", "peninsula", "island", "islands", "coast", "plain", "plains", "basin",
    "forest", "canal", "delta", "plateau", "region", "steppe", "glacier", "cape", "reef",
];

/// Words that make a MISC name a product (weapons, vehicles).
const PRODUCT_WORDS: &[&str] = &[
    "stinger", "stingers", "javelin", "javelins", "himars", "patriot", "iskander", "kalibr", "kinzhal", "bayraktar",
    "leopard", "abrams", "bradley", "challenger", "storm", "shadow", "scalp", "atacms", "nlaw", "switchblade",
    "shahed", "lancet", "tor", "buk", "pantsir", "kh-101", "kornet", "grad", "uragan", "smerch", "tornado",
    "iphone", "ipad", "android", "windows", "boeing", "airbus", "tesla", "starlink", "excalibur", "tomahawk",
    "hellfire", "harpoon", "neptune", "sarmat", "avangard", "poseidon", "oniks", "zircon", "tsirkon", "caesar",
    "gepard", "marder", "stryker", "humvee", "humvees", "mig", "sukhoi", "tupolev", "ilyushin", "antonov",
];

fn is_model_code(w: &str) -> bool {
    // "F-16", "Su-25", "T-72", "MiG-29", "S-400", "Ka-52", "A-50", "Tu-95MS", "M777"
    let b = w.as_bytes();
    let n_alpha = b.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    if n_alpha == 0 || n_alpha > 4 || !b[0].is_ascii_uppercase() {
        return false;
    }
    let rest = &w[n_alpha..];
    let rest = rest.strip_prefix('-').unwrap_or(rest);
    rest.as_bytes().first().is_some_and(u8::is_ascii_digit)
}

/// Refines a CoNLL type into an ontology type, from the words of the span.
pub(crate) fn refine(coarse: CoarseType, words: &[&str], lex: &Lexicon) -> EntityType {
    let last_lower = words.last().map(|w| w.to_lowercase()).unwrap_or_default();
    match coarse {
        CoarseType::Per => EntityType::Person,
        CoarseType::Org => EntityType::Org,
        CoarseType::Loc => {
            let cats = lex.phrase_categories(words);
            let gov = 1 << cat::COUNTRY | 1 << cat::STATE | 1 << cat::CITY_BIG | 1 << cat::CITY | 1 << cat::TOWN;
            let non_gov = 1 << cat::CONTINENT | 1 << cat::REGION;
            if cats & non_gov != 0 {
                EntityType::Loc
            } else if cats & gov != 0 {
                EntityType::Gpe
            } else if FAC_HEADS.contains(&last_lower.as_str()) {
                EntityType::Fac
            } else if LOC_HEADS.contains(&last_lower.as_str()) || words.first().is_some_and(|w| w.eq_ignore_ascii_case("mount")) {
                EntityType::Loc
            } else {
                EntityType::Gpe
            }
        }
        CoarseType::Misc => {
            let cats = lex.phrase_categories(words);
            let singular = last_lower.strip_suffix('s').unwrap_or(&last_lower);
            let demonym = cats & (1 << cat::DEMONYM) != 0
                || words.len() == 1 && {
                    let w = words[0];
                    let stem = w.strip_suffix('s').unwrap_or(w);
                    lex.phrase_categories(&[stem]) & (1 << cat::DEMONYM) != 0
                };
            if demonym {
                EntityType::Norp
            } else if PRODUCT_WORDS.contains(&last_lower.as_str())
                || PRODUCT_WORDS.contains(&singular)
                || words.iter().any(|w| is_model_code(w))
            {
                EntityType::Product
            } else {
                EntityType::Misc
            }
        }
    }
}
