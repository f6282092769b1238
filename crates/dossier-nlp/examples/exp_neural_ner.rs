//! Experiment: the neural tagger-parser trained as a named-entity tagger. Its training
//! files are CoNLL-U files whose words carry BIO tags as XPOS and as the relation to the
//! next word (a chain), made from CoNLL-2003 and UNER by `scripts/ner_to_conllu.py`.
//! Prints exact-span F1 per file (`ner::chunks` and `ner::score_spans`, as `eval_ner`; the
//! relation's tag, the XPOS tag for the last word), with `--types` limiting the types
//! scored (UNER: PER,ORG,LOC).
//!
//! ```text
//! cargo run --release -p dossier-nlp --example exp_neural_ner -- MODEL [--types PER,ORG,LOC] FILE.conllu...
//! ```
use dossier_nlp::conllu;
use dossier_nlp::ner::{self, CoarseType, TypedSpan};
use dossier_nlp::neural::NeuralParser;

/// Chunks of BIO tags given as strings ("B-PER", "O"), by `ner::chunks`.
fn spans(tags: &[&str]) -> Vec<TypedSpan> {
    let parsed: Vec<Option<(char, CoarseType)>> = tags
        .iter()
        .map(|t| {
            let (bio, ty) = t.split_once('-')?;
            Some((bio.chars().next()?, CoarseType::from_conll(ty)?))
        })
        .collect();
    ner::chunks(&parsed)
}

fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let model = NeuralParser::from_bytes(&std::fs::read(&args[0])?)?;
    let mut types: Vec<CoarseType> = CoarseType::ALL.to_vec();
    let mut files = Vec::new();
    let mut i = 1;
    while i < args.len() {
        if args[i] == "--types" {
            types = args.get(i + 1).map(|t| t.split(',').filter_map(CoarseType::from_conll).collect()).unwrap_or_default();
            i += 2;
            continue;
        }
        files.push(args[i].clone());
        i += 1;
    }
    for f in files {
        let sents = conllu::read_file(std::path::Path::new(&f))?;
        let forms: Vec<Vec<&str>> = sents.iter().map(|s| s.forms()).collect();
        let refs: Vec<&[&str]> = forms.iter().map(|v| v.as_slice()).collect();
        let (mut gold, mut pred) = (Vec::new(), Vec::new());
        for (s, chunk) in sents.chunks(64).zip(refs.chunks(64)) {
            for (g, p) in s.iter().zip(model.parse_batch(chunk)) {
                let n = g.words.len();
                let gt: Vec<&str> = g.words.iter().map(|w| w.xpos.as_str()).collect();
                let pt: Vec<&str> = p.iter().enumerate().map(|(i, w)| if i + 1 < n && w.deprel.contains('-') || w.deprel == "O" { w.deprel } else { w.xpos }).collect();
                gold.push(spans(&gt));
                pred.push(spans(&pt));
            }
        }
        let o = ner::score_spans(&gold, &pred, &types).overall;
        println!("{f}: P {:.4} R {:.4} F1 {:.4} ({} gold, {} predicted)", o.precision, o.recall, o.f1, o.n_gold, o.n_pred);
    }
    Ok(())
}
