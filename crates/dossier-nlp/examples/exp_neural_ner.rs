//! Experiment: the neural tagger-parser trained as a named-entity tagger. Its training
//! files are CoNLL-U files whose words carry BIO tags as XPOS and as the relation to the
//! next word (a chain), made from CoNLL-2003 and UNER by a converter kept outside the
//! repository. Prints exact-span F1 per file (the relation's tag, the XPOS tag for the
//! last word), with `--types` limiting the types scored (UNER: PER,ORG,LOC).
//!
//! ```text
//! cargo run --release -p dossier-nlp --example exp_neural_ner -- MODEL [--types PER,ORG,LOC] FILE.conllu...
//! ```
use dossier_nlp::conllu;
use dossier_nlp::neural::NeuralParser;
use std::collections::HashSet;

fn spans(tags: &[&str], keep: &dyn Fn(&str) -> bool) -> HashSet<(usize, usize, String)> {
    let mut out = HashSet::new();
    let mut open: Option<(usize, String)> = None;
    for (i, t) in tags.iter().chain(std::iter::once(&"O")).enumerate() {
        let (bio, typ) = t.split_once('-').unwrap_or(("O", ""));
        let continues = bio == "I" && open.as_ref().is_some_and(|(_, ty)| ty == typ);
        if !continues {
            if let Some((s, ty)) = open.take() {
                if keep(&ty) {
                    out.insert((s, i, ty));
                }
            }
            if bio == "B" || bio == "I" {
                open = Some((i, typ.to_string()));
            }
        }
    }
    out
}

fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let model = NeuralParser::from_bytes(&std::fs::read(&args[0])?)?;
    let mut types: Option<Vec<String>> = None;
    let mut files = Vec::new();
    let mut i = 1;
    while i < args.len() {
        if args[i] == "--types" {
            types = args.get(i + 1).map(|t| t.split(',').map(String::from).collect());
            i += 2;
            continue;
        }
        files.push(args[i].clone());
        i += 1;
    }
    let keep = |t: &str| types.as_ref().is_none_or(|ts| ts.iter().any(|x| x == t));
    for f in files {
        let sents = conllu::read_file(std::path::Path::new(&f))?;
        let forms: Vec<Vec<&str>> = sents.iter().map(|s| s.forms()).collect();
        let refs: Vec<&[&str]> = forms.iter().map(|v| v.as_slice()).collect();
        let (mut tp, mut np, mut ng) = (0usize, 0usize, 0usize);
        for (s, chunk) in sents.chunks(64).zip(refs.chunks(64)) {
            for (gold, pred) in s.iter().zip(model.parse_batch(chunk)) {
                let n = gold.words.len();
                let g: Vec<&str> = gold.words.iter().map(|w| w.xpos.as_str()).collect();
                let p: Vec<&str> = pred.iter().enumerate().map(|(i, w)| if i + 1 < n && w.deprel.contains('-') || w.deprel == "O" { w.deprel } else { w.xpos }).collect();
                let (gs, ps) = (spans(&g, &keep), spans(&p, &keep));
                tp += gs.intersection(&ps).count();
                np += ps.len();
                ng += gs.len();
            }
        }
        let (p, r) = (tp as f64 / np.max(1) as f64, tp as f64 / ng.max(1) as f64);
        println!("{f}: P {p:.4} R {r:.4} F1 {:.4} ({ng} gold, {np} predicted)", 2.0 * p * r / (p + r).max(1e-9));
    }
    Ok(())
}
