//! The corpus-level actor phase: every stored mention to one entity per actor.

use dossier_actors::{resolve, Config, DocInput, EntityType, Judgement, Mention};
use dossier_kb::{DatedRole, KbIndex, WatchlistEntry};
use dossier_store::{EntityLink, Geo, NewEntity, Store, StoreError};

/// What [`resolve_actors`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActorSummary {
    /// Entities stored.
    pub entities: usize,
    /// Mentions linked to them.
    pub mentions: usize,
    /// Entities linked to a watchlist entry.
    pub links: usize,
    /// Judgements that could not be honoured, with the reason.
    pub conflicts: Vec<String>,
    /// Facts rebuilt from the claims for these entities.
    pub facts: usize,
}

fn etype(label: &str) -> Option<EntityType> {
    Some(match label {
        "PERSON" => EntityType::Person,
        "ORG" => EntityType::Org,
        "GPE" => EntityType::Gpe,
        "LOC" => EntityType::Loc,
        "FAC" => EntityType::Fac,
        "NORP" => EntityType::Norp,
        "PRODUCT" => EntityType::Product,
        _ => return None,
    })
}

/// Byte offset of every char offset of `text` (plus the end).
fn byte_offsets(text: &str) -> Vec<usize> {
    let mut v: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
    v.push(text.len());
    v
}

/// Within one document, a one-word PERSON or ORG mention that is the short form of
/// exactly one longer name of the other of those two types takes that name's type
/// (the rule of [`crate::harmonize_short_forms`], which the fact stage also applies):
/// "Wagner" tagged PERSON beside "Wagner Group" (ORG) is the group; places are never
/// retyped.
fn harmonize_types(mentions: &mut [Mention]) {
    let texts: Vec<&str> = mentions.iter().map(|m| m.text.as_str()).collect();
    let mut labels: Vec<&str> = mentions.iter().map(|m| m.etype.label()).collect();
    crate::harmonize_short_forms(&texts, &mut labels);
    let retyped: Vec<Option<EntityType>> = labels.iter().map(|l| etype(l)).collect();
    for (m, t) in mentions.iter_mut().zip(retyped) {
        if let Some(t) = t {
            m.etype = t;
        }
    }
}

/// Resolves every mention in the store into entities and replaces the stored ones.
/// Deterministic: the same store gives the same entities and ids.
pub fn resolve_actors(store: &mut Store) -> Result<ActorSummary, StoreError> {
    let corpus = store.corpus_mentions()?;
    // Mentions in actor-stage form, and their store ids, per document.
    let mut inputs: Vec<Vec<Mention>> = Vec::with_capacity(corpus.len());
    let mut ids: Vec<Vec<i64>> = Vec::with_capacity(corpus.len());
    for d in &corpus {
        let offsets = byte_offsets(&d.text);
        let (mut ms, mut is) = (Vec::new(), Vec::new());
        for m in &d.mentions {
            let (Some(t), Some(&start), Some(&end)) = (etype(&m.etype), offsets.get(m.start as usize), offsets.get(m.end as usize))
            else {
                continue;
            };
            ms.push(Mention { start, end, text: m.text.clone(), etype: t, sentence: m.sentence as usize });
            is.push(m.id);
        }
        harmonize_types(&mut ms);
        inputs.push(ms);
        ids.push(is);
    }
    let docs: Vec<DocInput> = corpus.iter().zip(&inputs).map(|(d, ms)| DocInput { text: &d.text, mentions: ms }).collect();
    let stored = store.judgements()?;
    let judgements: Vec<Judgement> = stored
        .iter()
        .filter_map(|(action, a, b)| match action.as_str() {
            "merge" => Some(Judgement::Merge(a.clone(), b.clone())),
            "split" => Some(Judgement::Split { entity: a.clone(), alias: b.clone() }),
            "distinct" => Some(Judgement::Distinct(a.clone(), b.clone())),
            _ => None,
        })
        .collect();
    let resolution = resolve(&docs, &judgements, &Config::default());
    let conflicts = resolution
        .conflicts
        .iter()
        .map(|c| {
            let (action, a, b) = &stored[c.judgement.min(stored.len().saturating_sub(1))];
            format!("{action} {a:?} {b:?}: {}", c.reason)
        })
        .collect();
    let places = locate(&inputs);
    let mut entities = Vec::with_capacity(resolution.entities.len());
    let mut n_mentions = 0;
    for e in &resolution.entities {
        // A place name the gazetteer does not know, seen once, is more often a misread
        // word ("Javelin", "AP") than a village: it is left out.
        let is_place = matches!(e.etype(), EntityType::Gpe | EntityType::Loc);
        if is_place && e.mentions().len() == 1 && e.mentions().iter().all(|r| places[r.doc][r.mention].is_none()) {
            continue;
        }
        let mentions: Vec<i64> = e.mentions().iter().map(|r| ids[r.doc][r.mention]).collect();
        n_mentions += mentions.len();
        let mut etype = e.etype().label().to_string();
        let mut attributes = serde_json::Map::new();
        let place = if matches!(e.etype(), EntityType::Gpe | EntityType::Loc | EntityType::Fac) {
            // The place most of its mentions resolve to, in their documents' context.
            let mut votes: Vec<(&dossier_geo::Place, usize)> = Vec::new();
            for r in e.mentions() {
                if let Some(p) = places[r.doc][r.mention] {
                    match votes.iter_mut().find(|(q, _)| std::ptr::eq(*q, p)) {
                        Some(v) => v.1 += 1,
                        None => votes.push((p, 1)),
                    }
                }
            }
            votes.sort_by(|a, b| b.1.cmp(&a.1));
            votes.first().map(|&(p, _)| {
                // The gazetteer tells a government's place (GPE) from one without (LOC).
                if e.etype() != EntityType::Fac {
                    etype = dossier_geo::place_type(p).to_string();
                }
                attributes.insert("place_kind".into(), p.kind().as_str().into());
                if let Some(id) = p.geonames_id() {
                    attributes.insert("geonames".into(), id.into());
                }
                Geo { lat: p.lat(), lon: p.lon(), country: p.country().map(|c| c.as_str().to_string()) }
            })
        } else {
            None
        };
        if e.etype() == EntityType::Norp {
            if let Some(c) = dossier_geo::Gazetteer::embedded().demonym(e.name()) {
                attributes.insert("country".into(), c.iso2().as_str().into());
            }
        }
        entities.push(NewEntity {
            id: e.id().0.clone(),
            etype,
            name: e.name().to_string(),
            kind: e.kind().map(|k| k.label().to_string()),
            aliases: e.aliases().to_vec(),
            mentions,
            place,
            attributes: serde_json::Value::Object(attributes),
        });
    }
    link_nationalities(&mut entities);
    store.replace_entities(&entities)?;
    let links = link_watchlists(store, &entities)?;
    let facts = crate::facts::build_facts(store)?.facts;
    Ok(ActorSummary { entities: entities.len(), mentions: n_mentions, links, conflicts, facts })
}

/// Resolves every document's place mentions together against the gazetteer, so an
/// ambiguous name takes the reading that fits the document's other places.
fn locate(inputs: &[Vec<Mention>]) -> Vec<Vec<Option<&'static dossier_geo::Place>>> {
    let any_place = inputs.iter().flatten().any(|m| matches!(m.etype, EntityType::Gpe | EntityType::Loc | EntityType::Fac));
    if !any_place {
        return inputs.iter().map(|ms| vec![None; ms.len()]).collect();
    }
    let gaz = dossier_geo::Gazetteer::embedded();
    inputs
        .iter()
        .map(|ms| {
            let idx: Vec<usize> = (0..ms.len()).filter(|&i| matches!(ms[i].etype, EntityType::Gpe | EntityType::Loc | EntityType::Fac)).collect();
            let names: Vec<&str> = idx.iter().map(|&i| ms[i].text.as_str()).collect();
            let mut out = vec![None; ms.len()];
            for (&i, p) in idx.iter().zip(gaz.resolve(&names)) {
                // A short capitalised name ("AP", "US") is a country code or nothing, never a town.
                let short = ms[i].text.chars().count() <= 3;
                out[i] = p.filter(|p| !short || p.kind() == dossier_geo::PlaceKind::Country);
            }
            out
        })
        .collect()
}

/// Links each NORP entity to the country it names (`attributes.nationality_of`): the
/// GPE entity that is that country (by the gazetteer's demonyms), else the one GPE whose
/// name the word is built on ("Belarusian" -> "Belarus").
fn link_nationalities(entities: &mut [NewEntity]) {
    let countries: Vec<(String, Option<String>, String)> = entities
        .iter()
        .filter(|e| e.etype == "GPE")
        .map(|e| {
            let is_country = e.attributes.get("place_kind").and_then(|k| k.as_str()) == Some("country");
            (e.id.clone(), e.place.as_ref().filter(|_| is_country).and_then(|p| p.country.clone()), e.name.clone())
        })
        .collect();
    let gpes: Vec<(String, String)> = countries.iter().map(|(id, _, name)| (id.clone(), name.clone())).collect();
    for e in entities.iter_mut().filter(|e| e.etype == "NORP") {
        let code = e.attributes.get("country").and_then(|c| c.as_str()).map(String::from);
        let by_code = code.and_then(|c| countries.iter().find(|(_, cc, _)| cc.as_deref() == Some(c.as_str())).map(|(id, _, _)| id.clone()));
        let target = by_code.or_else(|| {
            crate::facts::nationality_map(&[(e.id.clone(), e.name.clone())], &gpes).remove(&e.id)
        });
        if let (Some(t), Some(obj)) = (target, e.attributes.as_object_mut()) {
            obj.insert("nationality_of".into(), t.into());
        }
    }
}

/// The stored watchlists as the name index reads them.
fn watchlist_index(store: &Store) -> Result<KbIndex, StoreError> {
    let entries = store.watchlist()?.into_iter().map(|w| WatchlistEntry {
        etype: dossier_kb::EntityType::parse_loose(&w.etype),
        source: w.source,
        id: w.list_id,
        name: w.name,
        aliases: w.aliases,
        roles: w.roles.into_iter().map(|(role, from, to)| DatedRole { role, from, to }).collect(),
        countries: w.countries,
        programs: w.programs,
        links: Vec::new(),
        kind: None,
        notes: w.notes,
    });
    Ok(KbIndex::build(entries))
}

/// Links each PERSON and ORG entity to the watchlist entry its name (or, failing
/// that, its multi-word aliases) matches, when exactly one entry matches. Returns
/// the number of links stored.
fn link_watchlists(store: &mut Store, entities: &[NewEntity]) -> Result<usize, StoreError> {
    let index = watchlist_index(store)?;
    let mut links = Vec::new();
    for e in entities {
        let kb_type = match e.etype.as_str() {
            "PERSON" => dossier_kb::EntityType::Person,
            "ORG" => dossier_kb::EntityType::Organization,
            _ => continue,
        };
        let unique = |name: &str| -> Option<(String, String)> {
            let found = index.lookup(name, kb_type);
            match found.as_slice() {
                [one] => Some((one.source.clone(), one.id.clone())),
                _ => None,
            }
        };
        let mut hit = unique(&e.name).map(|h| (h, e.name.clone()));
        if hit.is_none() {
            let mut found: Vec<((String, String), String)> = e
                .aliases
                .iter()
                .filter(|a| a.split_whitespace().count() >= 2)
                .filter_map(|a| unique(a).map(|h| (h, a.clone())))
                .collect();
            found.sort();
            found.dedup_by(|a, b| a.0 == b.0);
            if found.len() == 1 {
                hit = found.pop();
            }
        }
        if let Some(((source, list_id), matched)) = hit {
            links.push(EntityLink { entity_id: e.id.clone(), source, list_id, matched });
        }
    }
    store.replace_links(&links)?;
    Ok(links.len())
}

/// Re-links the stored entities to the stored watchlists (after `kb import`).
pub fn relink_watchlists(store: &mut Store) -> Result<usize, StoreError> {
    let mut entities = Vec::new();
    store.for_each_entity(|e| {
        entities.push(NewEntity { id: e.id, etype: e.etype, name: e.name, kind: e.kind, aliases: e.aliases, mentions: Vec::new(), place: e.place, attributes: e.attributes });
        Ok(())
    })?;
    link_watchlists(store, &entities)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(text: &str, etype: EntityType) -> Mention {
        Mention { start: 0, end: text.len(), text: text.into(), etype, sentence: 0 }
    }

    #[test]
    fn short_forms_take_the_type_of_their_long_name() {
        let mut ms = vec![
            m("Wagner Group", EntityType::Org),
            m("Wagner", EntityType::Person),
            m("Sergei Shoigu", EntityType::Person),
            m("Shoigu", EntityType::Org),
            m("Belarus' defense ministry", EntityType::Org),
            m("Belarus", EntityType::Gpe),
            m("Dmitry Peskov", EntityType::Person),
            m("Dmitry", EntityType::Org),
        ];
        harmonize_types(&mut ms);
        let types: Vec<EntityType> = ms.iter().map(|m| m.etype).collect();
        assert_eq!(types[1], EntityType::Org);
        assert_eq!(types[3], EntityType::Person);
        assert_eq!(types[5], EntityType::Gpe, "places are never retyped");
        assert_eq!(types[7], EntityType::Org, "a first name is not a person's short form");
    }

    #[test]
    fn ambiguous_short_forms_keep_their_type() {
        let mut ms = vec![m("Wagner Group", EntityType::Org), m("Richard Wagner", EntityType::Person), m("Wagner", EntityType::Person)];
        harmonize_types(&mut ms);
        assert_eq!(ms[2].etype, EntityType::Person);
    }
}
