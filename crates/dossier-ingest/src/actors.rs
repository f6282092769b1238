//! The corpus-level actor phase: every stored mention to one entity per actor.

use dossier_actors::{resolve, Config, DocInput, EntityType, Mention};
use dossier_store::{NewEntity, Store, StoreError};

/// What [`resolve_actors`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActorSummary {
    /// Entities stored.
    pub entities: usize,
    /// Mentions linked to them.
    pub mentions: usize,
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
        inputs.push(ms);
        ids.push(is);
    }
    let docs: Vec<DocInput> = corpus.iter().zip(&inputs).map(|(d, ms)| DocInput { text: &d.text, mentions: ms }).collect();
    let resolution = resolve(&docs, &[], &Config::default());
    let mut entities = Vec::with_capacity(resolution.entities.len());
    let mut n_mentions = 0;
    for e in &resolution.entities {
        let mentions: Vec<i64> = e.mentions().iter().map(|r| ids[r.doc][r.mention]).collect();
        n_mentions += mentions.len();
        entities.push(NewEntity {
            id: e.id().0.clone(),
            etype: e.etype().label().to_string(),
            name: e.name().to_string(),
            kind: e.kind().map(|k| k.label().to_string()),
            aliases: e.aliases().to_vec(),
            mentions,
        });
    }
    store.replace_entities(&entities)?;
    Ok(ActorSummary { entities: entities.len(), mentions: n_mentions })
}
