//! Reading the two tables (format: `scripts/make_places.py`) and building the indexes.

use std::collections::HashMap;
use std::io::Read;

use crate::normalize::{self, hash, is_abbreviation, loose_hash, normalize_into};
use crate::{Country, CountryCode, Gazetteer, GeoError, Place, PlaceKind, ABBREVIATION};

const PLACES_HEADER: &str =
    "kind\ttype\tcc\tadmin1\tlat\tlon\tpopulation\tgeonameid\tname\taliases";
const COUNTRIES_HEADER: &str = "iso2\tiso3\tname\tdemonyms";

/// The text of a zstd-compressed table.
pub(crate) fn decompress(file: &'static str, bytes: &[u8]) -> Result<String, GeoError> {
    let fail = |reason: String| GeoError::Decompress { file, reason };
    let mut text = String::new();
    zstd::stream::read::Decoder::new(bytes)
        .map_err(|e| fail(e.to_string()))?
        .read_to_string(&mut text)
        .map_err(|e| fail(e.to_string()))?;
    Ok(text)
}

pub(crate) fn build(places_tsv: &str, countries_tsv: &str) -> Result<Gazetteer, GeoError> {
    let (places, exact, loose) = read_places(places_tsv)?;
    let (countries, demonyms) = read_countries(countries_tsv, &places)?;
    Ok(Gazetteer {
        places,
        exact,
        loose,
        countries,
        demonyms,
    })
}

fn row_error(file: &'static str, line: usize, reason: impl Into<String>) -> GeoError {
    GeoError::Row {
        file,
        line,
        reason: reason.into(),
    }
}

fn check_header(file: &'static str, text: &str, header: &str) -> Result<(), GeoError> {
    match text.lines().next() {
        Some(h) if h == header => Ok(()),
        _ => Err(row_error(
            file,
            1,
            format!("expected the header {header:?}"),
        )),
    }
}

/// An index: (hash of a name key, place index, with [`ABBREVIATION`] in the exact one).
type Index = Vec<(u64, u32)>;

/// The most threads a load uses: the table is cut into this many runs of lines.
const MAX_THREADS: usize = 4;

/// The places (main name only) and both name indexes over every name and alias. The rows
/// are read in a few runs of lines on scoped threads (the load is mostly name folding),
/// then the runs are put together in file order.
fn read_places(text: &str) -> Result<(Vec<Place>, Index, Index), GeoError> {
    check_header("places", text, PLACES_HEADER)?;
    let body_start = text.find('\n').map_or(text.len(), |i| i + 1);
    let n_threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, MAX_THREADS);
    let runs = line_runs(text, body_start, n_threads);
    let parts: Vec<Result<Part, GeoError>> = if runs.len() == 1 {
        vec![read_run(text, runs[0].0, runs[0].1)]
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = runs
                .iter()
                .map(|&(start, end)| scope.spawn(move || read_run(text, start, end)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("a gazetteer reader thread panicked"))
                .collect()
        })
    };
    let mut places = Vec::with_capacity(text.len() / 80);
    let mut exact = Vec::with_capacity(text.len() / 12);
    let mut loose = Vec::with_capacity(text.len() / 12);
    for part in parts {
        let part = part?;
        let offset = u32::try_from(places.len())
            .ok()
            .filter(|&o| (o as usize + part.places.len()) < ABBREVIATION as usize)
            .ok_or_else(|| row_error("places", places.len() + 1, "too many places"))?;
        places.extend(part.places);
        exact.extend(part.exact.into_iter().map(|(h, v)| (h, v + offset)));
        loose.extend(part.loose.into_iter().map(|(h, v)| (h, v + offset)));
    }
    for index in [&mut exact, &mut loose] {
        // Each run is sorted already; the stable sort merges runs in linear time.
        index.sort();
        index.dedup();
    }
    Ok((places, exact, loose))
}

/// Up to `n` byte ranges of whole lines covering `text[start..]`.
fn line_runs(text: &str, start: usize, n: usize) -> Vec<(usize, usize)> {
    let mut runs = Vec::with_capacity(n);
    let mut from = start;
    for k in 1..n {
        let target = start + (text.len() - start) * k / n;
        if target <= from {
            continue;
        }
        let to = text[target..]
            .find('\n')
            .map_or(text.len(), |i| target + i + 1);
        runs.push((from, to));
        from = to;
    }
    if from < text.len() || runs.is_empty() {
        runs.push((from, text.len()));
    }
    runs
}

/// The places of one run of lines, with indexes whose values count from the run's start.
struct Part {
    places: Vec<Place>,
    exact: Index,
    loose: Index,
}

fn read_run(text: &str, start: usize, end: usize) -> Result<Part, GeoError> {
    let run = &text[start..end];
    let mut part = Part {
        places: Vec::with_capacity(run.len() / 80),
        exact: Vec::with_capacity(run.len() / 12),
        loose: Vec::with_capacity(run.len() / 12),
    };
    let mut key = String::new();
    for (i, line) in run.lines().enumerate() {
        // The 1-based line number in the table, counted only when there is an error.
        let err = |reason: &str| {
            let line_no = text[..start].bytes().filter(|&b| b == b'\n').count() + i + 1;
            row_error("places", line_no, reason)
        };
        let mut f = line.split('\t');
        let mut field = || f.next();
        let (
            Some(kind),
            Some(_type),
            Some(cc),
            Some(admin1),
            Some(lat),
            Some(lon),
            Some(population),
            Some(geonameid),
            Some(name),
            Some(aliases),
            None,
        ) = (
            field(),
            field(),
            field(),
            field(),
            field(),
            field(),
            field(),
            field(),
            field(),
            field(),
            field(),
        )
        else {
            return Err(err("expected 10 tab-separated fields"));
        };
        let kind = PlaceKind::parse(kind).ok_or_else(|| err("unknown kind"))?;
        let country = match cc {
            "" => None,
            cc => Some(CountryCode::new(cc).ok_or_else(|| err("bad country code"))?),
        };
        let number = |s: &str| s.parse::<f64>().ok().filter(|x| x.is_finite());
        let (lat, lon) = match (number(lat), number(lon)) {
            (Some(lat), Some(lon)) if lat.abs() <= 90.0 && lon.abs() <= 180.0 => (lat, lon),
            _ => return Err(err("bad coordinates")),
        };
        let geonames_id = match geonameid {
            "" => None,
            id => Some(id.parse().map_err(|_| err("bad geonameid"))?),
        };
        if name.is_empty() {
            return Err(err("empty name"));
        }
        let idx = u32::try_from(part.places.len()).map_err(|_| err("too many places"))?;
        part.places.push(Place {
            name: name.into(),
            kind,
            country,
            admin1: (!admin1.is_empty()).then(|| admin1.into()),
            lat,
            lon,
            population: population.parse().map_err(|_| err("bad population"))?,
            geonames_id,
        });
        let aliases = aliases.split('|').filter(|a| !a.is_empty());
        for alias in std::iter::once(name).chain(aliases) {
            normalize_into(alias, &mut key);
            if key.is_empty() {
                continue;
            }
            if is_abbreviation(alias) {
                part.exact.push((hash(&key), idx | ABBREVIATION));
                continue;
            }
            part.exact.push((hash(&key), idx));
            part.loose.push((loose_hash(&key), idx));
        }
    }
    part.exact.sort_unstable();
    part.loose.sort_unstable();
    Ok(part)
}

fn read_countries(
    text: &str,
    places: &[Place],
) -> Result<(Vec<Country>, HashMap<String, usize>), GeoError> {
    check_header("countries", text, COUNTRIES_HEADER)?;
    let country_places: HashMap<CountryCode, &Place> = places
        .iter()
        .filter(|p| p.kind == PlaceKind::Country)
        .filter_map(|p| Some((p.country?, p)))
        .collect();
    let mut countries = Vec::new();
    for (i, line) in text.lines().enumerate().skip(1) {
        let err = |reason: &str| row_error("countries", i + 1, reason);
        let f: Vec<&str> = line.split('\t').collect();
        let [iso2, iso3, name, demonyms] = f[..] else {
            return Err(err("expected 4 tab-separated fields"));
        };
        let iso2 = CountryCode::new(iso2).ok_or_else(|| err("bad country code"))?;
        let place = country_places
            .get(&iso2)
            .ok_or_else(|| err("no country row in the places table"))?;
        countries.push(Country {
            iso2,
            iso3: iso3.into(),
            name: name.into(),
            demonyms: demonyms
                .split('|')
                .filter(|d| !d.is_empty())
                .map(Into::into)
                .collect(),
            place: (*place).clone(),
        });
    }
    countries.sort_by_key(|c| c.iso2);
    countries.dedup_by_key(|c| c.iso2);
    let mut demonyms: HashMap<String, usize> = HashMap::new();
    for (i, c) in countries.iter().enumerate() {
        for d in &c.demonyms {
            let key = normalize::normalize(d);
            let entry = demonyms.entry(key).or_insert(i);
            if countries[*entry].place.population < c.place.population {
                *entry = i;
            }
        }
    }
    Ok((countries, demonyms))
}
