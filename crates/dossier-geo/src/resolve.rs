//! Resolving a document's place names together (see [`Gazetteer::resolve`]).

use crate::{normalize, CountryCode, Gazetteer, Place, PlaceKind};

/// Evidence weights, in units of log10 population.
const COUNTRY_NAMED: f64 = 1.5;
const COUNTRY_HOLDS_PLACE: f64 = 1.0;
const ADMIN1_NAMED_FOR_CITY: f64 = 2.0;
const ADMIN1_HOLDS_CITY_FOR_CITY: f64 = 0.5;
const ADMIN1_HOLDS_CITY_FOR_ADMIN1: f64 = 1.0;
const ADMIN1_NAMED_FOR_ADMIN1: f64 = 1.0;
const MAX_ROUNDS: usize = 4;

/// What one resolved name says about the others.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Evidence<'a> {
    CountryNamed(CountryCode),
    CountryHolds(CountryCode),
    Admin1Named(CountryCode, &'a str),
    Admin1HoldsCity(CountryCode, &'a str),
}

fn evidence(place: &Place) -> Vec<Evidence<'_>> {
    let Some(cc) = place.country else {
        return Vec::new();
    };
    match (place.kind, place.admin1()) {
        (PlaceKind::Country, _) => vec![Evidence::CountryNamed(cc)],
        (PlaceKind::Admin1, Some(a1)) => {
            vec![Evidence::Admin1Named(cc, a1), Evidence::CountryHolds(cc)]
        }
        (PlaceKind::City, Some(a1)) => vec![
            Evidence::Admin1HoldsCity(cc, a1),
            Evidence::CountryHolds(cc),
        ],
        _ => vec![Evidence::CountryHolds(cc)],
    }
}

/// The bonus a candidate gets from the evidence of the other names.
fn bonus(place: &Place, others: &[Evidence<'_>]) -> f64 {
    let Some(cc) = place.country else { return 0.0 };
    let a1 = place.admin1();
    let mut country = 0.0f64;
    let mut admin1 = 0.0f64;
    for e in others {
        match *e {
            Evidence::CountryNamed(c) if c == cc => country = country.max(COUNTRY_NAMED),
            Evidence::CountryHolds(c) if c == cc => country = country.max(COUNTRY_HOLDS_PLACE),
            Evidence::Admin1Named(c, a) if c == cc && Some(a) == a1 => {
                let w = match place.kind {
                    PlaceKind::City => ADMIN1_NAMED_FOR_CITY,
                    PlaceKind::Admin1 => ADMIN1_NAMED_FOR_ADMIN1,
                    _ => 0.0,
                };
                admin1 = admin1.max(w);
            }
            Evidence::Admin1HoldsCity(c, a) if c == cc && Some(a) == a1 => {
                let w = match place.kind {
                    PlaceKind::City => ADMIN1_HOLDS_CITY_FOR_CITY,
                    PlaceKind::Admin1 => ADMIN1_HOLDS_CITY_FOR_ADMIN1,
                    _ => 0.0,
                };
                admin1 = admin1.max(w);
            }
            _ => {}
        }
    }
    country + admin1
}

pub(crate) fn resolve<'g>(gazetteer: &'g Gazetteer, names: &[&str]) -> Vec<Option<&'g Place>> {
    // One group per distinct name key, so that a name repeated does not confirm itself.
    let keys: Vec<String> = names.iter().map(|n| normalize(n)).collect();
    let group: Vec<usize> = keys
        .iter()
        .map(|k| keys.iter().position(|o| o == k).unwrap_or(0))
        .collect();
    let ranked: Vec<Vec<(u32, f64)>> = names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            if group[i] == i {
                gazetteer.ranked(n)
            } else {
                Vec::new()
            }
        })
        .collect();
    let place = |idx: u32| &gazetteer.places[idx as usize];

    // Start from each name's likeliest candidate alone.
    let mut choice: Vec<Option<usize>> = ranked
        .iter()
        .map(|r| (!r.is_empty()).then_some(0))
        .collect();
    for _ in 0..MAX_ROUNDS {
        let said: Vec<Vec<Evidence<'_>>> = choice
            .iter()
            .zip(&ranked)
            .map(|(c, r)| c.map(|c| evidence(place(r[c].0))).unwrap_or_default())
            .collect();
        let mut changed = false;
        for g in 0..ranked.len() {
            if ranked[g].len() < 2 {
                continue;
            }
            let others: Vec<Evidence<'_>> = said
                .iter()
                .enumerate()
                .filter(|&(o, _)| o != g)
                .flat_map(|(_, e)| e.iter().copied())
                .collect();
            let mut best = 0;
            let mut best_score = f64::NEG_INFINITY;
            for (c, &(idx, prior)) in ranked[g].iter().enumerate() {
                let score = prior + bonus(place(idx), &others);
                if score > best_score {
                    best = c;
                    best_score = score;
                }
            }
            if choice[g] != Some(best) {
                choice[g] = Some(best);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    (0..names.len())
        .map(|i| {
            let g = group[i];
            choice[g].map(|c| place(ranked[g][c].0))
        })
        .collect()
}
