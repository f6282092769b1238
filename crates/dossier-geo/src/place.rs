//! The records: places and countries.

use std::fmt;

/// An ISO 3166-1 alpha-2 country code ("RU", "BY"): two ASCII capitals.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CountryCode([u8; 2]);

impl CountryCode {
    /// The code of `s` (case-insensitive), or `None` unless it is two ASCII letters.
    pub fn new(s: &str) -> Option<CountryCode> {
        match s.as_bytes() {
            [a, b] if a.is_ascii_alphabetic() && b.is_ascii_alphabetic() => Some(CountryCode([
                a.to_ascii_uppercase(),
                b.to_ascii_uppercase(),
            ])),
            _ => None,
        }
    }

    /// The code as text ("RU").
    pub fn as_str(&self) -> &str {
        // Two ASCII letters by construction.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
}

impl fmt::Debug for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of place a [`Place`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PlaceKind {
    /// A country or dependent territory (ISO 3166-1).
    Country,
    /// A first-level administrative division (state, oblast, province, governorate).
    Admin1,
    /// A populated place of at least 5,000 people.
    City,
    /// A continent.
    Continent,
    /// A region without a government ("Middle East", "Sahel", "Donbas").
    Region,
    /// A sea, ocean, gulf, strait or canal.
    Sea,
    /// A river.
    River,
    /// A mountain range.
    Mountains,
}

impl PlaceKind {
    /// The kind's name in the gazetteer file ("country", "admin1", ...).
    pub fn as_str(self) -> &'static str {
        match self {
            PlaceKind::Country => "country",
            PlaceKind::Admin1 => "admin1",
            PlaceKind::City => "city",
            PlaceKind::Continent => "continent",
            PlaceKind::Region => "region",
            PlaceKind::Sea => "sea",
            PlaceKind::River => "river",
            PlaceKind::Mountains => "mountains",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<PlaceKind> {
        Some(match s {
            "country" => PlaceKind::Country,
            "admin1" => PlaceKind::Admin1,
            "city" => PlaceKind::City,
            "continent" => PlaceKind::Continent,
            "region" => PlaceKind::Region,
            "sea" => PlaceKind::Sea,
            "river" => PlaceKind::River,
            "mountains" => PlaceKind::Mountains,
            _ => return None,
        })
    }

    /// The entity type a place of this kind implies: GPE for countries, first-level
    /// divisions and cities (they have a government), LOC for the rest.
    pub fn entity_type(self) -> EntityType {
        match self {
            PlaceKind::Country | PlaceKind::Admin1 | PlaceKind::City => EntityType::Gpe,
            _ => EntityType::Loc,
        }
    }
}

/// The ontology's entity type for a place (`../shared/ONTOLOGY.md`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EntityType {
    /// Countries, cities, regions with a government.
    Gpe,
    /// Places without a government.
    Loc,
}

impl EntityType {
    /// "GPE" or "LOC".
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Gpe => "GPE",
            EntityType::Loc => "LOC",
        }
    }
}

/// One place of the gazetteer.
#[derive(Clone, Debug, PartialEq)]
pub struct Place {
    pub(crate) name: Box<str>,
    pub(crate) kind: PlaceKind,
    pub(crate) country: Option<CountryCode>,
    pub(crate) admin1: Option<Box<str>>,
    pub(crate) lat: f64,
    pub(crate) lon: f64,
    pub(crate) population: u64,
    pub(crate) geonames_id: Option<u32>,
}

impl Place {
    /// The place's main name ("Osipovichi", "Donetsk", "Black Sea").
    pub fn name(&self) -> &str {
        &self.name
    }

    /// What kind of place it is.
    pub fn kind(&self) -> PlaceKind {
        self.kind
    }

    /// The country it lies in (the country itself for a country), `None` for places in no
    /// one country (continents, seas, hand-listed regions).
    pub fn country(&self) -> Option<CountryCode> {
        self.country
    }

    /// The GeoNames first-level division code within the country ("05", "TX"), for
    /// divisions and cities.
    pub fn admin1(&self) -> Option<&str> {
        self.admin1.as_deref()
    }

    /// Latitude in degrees (WGS84).
    pub fn lat(&self) -> f64 {
        self.lat
    }

    /// Longitude in degrees (WGS84).
    pub fn lon(&self) -> f64 {
        self.lon
    }

    /// Population, 0 where unknown.
    pub fn population(&self) -> u64 {
        self.population
    }

    /// The GeoNames id, where the place has one.
    pub fn geonames_id(&self) -> Option<u32> {
        self.geonames_id
    }

    /// GPE or LOC.
    pub fn entity_type(&self) -> EntityType {
        self.kind.entity_type()
    }

    /// Great-circle distance to a point, in kilometres.
    pub fn distance_km(&self, lat: f64, lon: f64) -> f64 {
        distance_km(self.lat, self.lon, lat, lon)
    }
}

/// "GPE" or "LOC": the entity type a place implies.
pub fn place_type(place: &Place) -> &'static str {
    place.entity_type().as_str()
}

/// Great-circle (haversine) distance between two points in degrees, in kilometres.
pub fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    const EARTH_RADIUS_KM: f64 = 6371.0;
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * a.sqrt().min(1.0).asin()
}

/// One country: codes, English name, representative point and nationality words.
#[derive(Clone, Debug, PartialEq)]
pub struct Country {
    pub(crate) iso2: CountryCode,
    pub(crate) iso3: Box<str>,
    pub(crate) name: Box<str>,
    pub(crate) demonyms: Vec<Box<str>>,
    pub(crate) place: Place,
}

impl Country {
    /// ISO 3166-1 alpha-2 ("BY").
    pub fn iso2(&self) -> CountryCode {
        self.iso2
    }

    /// ISO 3166-1 alpha-3 ("BLR").
    pub fn iso3(&self) -> &str {
        &self.iso3
    }

    /// The English common name ("Belarus").
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Nationality words ("Belarusian").
    pub fn demonyms(&self) -> impl Iterator<Item = &str> {
        self.demonyms.iter().map(|d| &**d)
    }

    /// The country as a place (its representative point, population, GeoNames id).
    pub fn place(&self) -> &Place {
        &self.place
    }

    /// Latitude of the representative point.
    pub fn lat(&self) -> f64 {
        self.place.lat
    }

    /// Longitude of the representative point.
    pub fn lon(&self) -> f64 {
        self.place.lon
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn country_codes() {
        assert_eq!(CountryCode::new("by").unwrap().as_str(), "BY");
        assert!(CountryCode::new("BLR").is_none());
        assert!(CountryCode::new("").is_none());
        assert!(CountryCode::new("1A").is_none());
    }

    #[test]
    fn distances() {
        // Moscow to Minsk: about 675 km.
        let d = distance_km(55.7522, 37.6156, 53.9, 27.5667);
        assert!((d - 675.0).abs() < 10.0, "{d}");
        assert!(distance_km(10.0, 179.9, 10.0, -179.9) < 25.0);
    }
}
