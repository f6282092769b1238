//! `dossier`: the command line. Parses arguments, calls the library crates, prints.
//! No pipeline logic lives here.

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use dossier_ingest::{IngestConfig, Input, Observer, Origin, Outcome};
use dossier_store::{HitKind, PutOutcome, Store};
use dossier_text::ReadLimits;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod eval;
mod facts;
mod nlp;
mod serve;

/// dossier: documents in, a sourced knowledge graph out.
#[derive(Parser)]
#[command(name = "dossier", version, about, long_about = None)]
struct Cli {
    /// The database file (SQLite).
    #[arg(long, global = true, default_value = "dossier.db", env = "DOSSIER_DB")]
    db: PathBuf,
    /// More log output (-v info, -vv debug); DOSSIER_LOG overrides.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
    /// No progress bar and no summary line.
    #[arg(short, long, global = true)]
    quiet: bool,
    /// Model folder (tagger.bin.zst, lemma.bin.zst, parser.bin.zst, ner.bin.zst); default: the models built into the binary.
    #[arg(long, global = true, env = "DOSSIER_MODELS")]
    models: Option<PathBuf>,
    /// Tagger and parser: `neural` (the default; BiLSTM + biaffine, EWT test UAS 0.872 /
    /// LAS 0.841) or `perceptron` (averaged perceptron and greedy parser: UAS 0.842 / LAS
    /// 0.808, about as fast, half the memory); `neural` reads neural.bin.zst from
    /// --models, else the built-in one.
    #[arg(long, global = true, env = "DOSSIER_PARSER", default_value = "neural")]
    parser: nlp::ParserChoice,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read documents into the database: files, directories (recursively), "-" for stdin.
    /// Formats: text, Markdown, HTML, PDF, JSONL ({"text": ..., "title"?, "url"?, "published"?, "outlet"?} per line).
    Ingest {
        /// Files, directories or "-".
        #[arg(required = true)]
        paths: Vec<String>,
        /// Worker threads (default: all cores). Output is the same for any value.
        #[arg(short, long)]
        jobs: Option<usize>,
        /// Largest document (or JSONL line) read, in bytes.
        #[arg(long, default_value_t = ReadLimits::default().max_bytes)]
        max_bytes: u64,
        /// Store documents and sentences only: no NLP, no actors.
        #[arg(long)]
        no_nlp: bool,
    },
    /// Write the database in an exchange format.
    Export {
        /// Output format.
        #[arg(long, value_enum, default_value_t = ExportFormat::Jsonl)]
        format: ExportFormat,
        /// Output file (default: standard output). Written whole or not at all.
        /// For `neo4j`, the output directory (required).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Counts of what the database holds.
    Stats {
        /// As one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Full-text search over documents and sentences (BM25-ranked, with snippets).
    Search {
        /// Words to find (all must appear; the last may be a prefix).
        query: Vec<String>,
        /// Pass the query to SQLite FTS5 as written (OR, NOT, "phrase", NEAR(...), prefix*).
        #[arg(long)]
        raw: bool,
        /// Hits of each kind.
        #[arg(short = 'n', long, default_value_t = 10)]
        limit: usize,
        /// One JSON object per hit.
        #[arg(long)]
        json: bool,
    },
    /// Judge that the actors named A and B are one (stored; honoured on every later run).
    Merge {
        /// A name or alias of the first actor.
        a: String,
        /// A name or alias of the second actor.
        b: String,
    },
    /// Judge that the mentions called ALIAS are not the actor named ENTITY (stored; honoured on every later run).
    Split {
        /// A name or alias of the actor to split.
        entity: String,
        /// The alias whose mentions leave it.
        #[arg(long)]
        alias: String,
    },
    /// Judge that the actors named A and B are never one (stored; honoured on every later run).
    Distinct {
        /// A name or alias.
        a: String,
        /// Another name or alias.
        b: String,
    },
    /// Watchlists: import OFAC SDN CSV, UN SC XML, FollowTheMoney JSONL, PETRARCH/Phoenix dictionaries, plain CSV (name,type,aliases).
    Kb {
        #[command(subcommand)]
        command: KbCommand,
    },
    /// The NLP pipeline on its own: annotate, evaluate, benchmark.
    Nlp {
        #[command(subcommand)]
        command: nlp::NlpCommand,
    },
    /// Facts (roles, relations, PLOVER events), each with its evidence sentences, sources and modalities.
    Facts {
        /// Only facts about this actor (name, alias or id): as subject, object, place or source.
        #[arg(long)]
        about: Option<String>,
        /// Only this predicate (e.g. CONSULT, holds_position).
        #[arg(long = "type")]
        predicate: Option<String>,
        /// Only facts dated on or after this ISO date (2023, 2023-07, 2023-07-15).
        #[arg(long)]
        since: Option<String>,
        /// At most this many facts.
        #[arg(short = 'n', long, default_value_t = 1000)]
        limit: usize,
        /// One JSON object per fact.
        #[arg(long)]
        json: bool,
    },
    /// The dated facts about an actor, in time order.
    Timeline {
        /// Name, alias or id.
        name: String,
        /// One JSON object per fact.
        #[arg(long)]
        json: bool,
    },
    /// Score the database against a gold file (ONTOLOGY.md scoring), or the fact stage on the PLOVER gold records.
    Eval {
        /// Gold file (JSON, as shared/gold/seeds.gold.json).
        #[arg(required_unless_present = "plover")]
        gold: Option<PathBuf>,
        /// Score event type and actors on the PLOVER gold-standard records instead.
        #[arg(long)]
        plover: bool,
        /// Data folder holding plover/ (for --plover).
        #[arg(long, default_value = "../shared/data")]
        data: PathBuf,
        /// As one JSON object. (With -v/--verbose: also the misses and wrong answers.)
        #[arg(long)]
        json: bool,
    },
    /// Serve the JSON API and the browser UI (graph, timeline, map, evidence) over HTTP.
    Serve(serve::ServeArgs),
    /// Show a document (by id, id prefix or path) with its metadata, furniture and sentences.
    Show {
        /// Document id, id prefix or path.
        id: String,
        /// Print the document's full text, furniture marked.
        #[arg(long)]
        text: bool,
    },
}

#[derive(Subcommand)]
enum KbCommand {
    /// Import watchlist files (each replaces the earlier import of its list) and link entities to them.
    Import {
        /// Files; the format is recognised from the name and content.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormat {
    /// One JSON object per line (ONTOLOGY.md, "The export contract").
    Jsonl,
    /// FollowTheMoney entities, one JSON object per line (Aleph, OpenSanctions).
    Ftm,
    /// GraphML (Gephi, yEd, Cytoscape, Maltego).
    Graphml,
    /// GEXF 1.3 with time spells (Gephi's timeline).
    Gexf,
    /// A directory of neo4j-admin import CSVs, import.sh and load.cypher (needs -o DIR).
    Neo4j,
    /// One CSV row per event and piece of evidence, ACLED-like columns.
    EventsCsv,
    /// GeoJSON FeatureCollection of places and located facts.
    Geojson,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.verbose);
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn init_logging(verbose: u8) {
    let default = match verbose {
        0 => "warn",
        1 => "info",
        _ => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("DOSSIER_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_target(false).init();
}

fn open(db: &Path) -> Result<Store> {
    Store::open(db).with_context(|| format!("cannot open database {}", db.display()))
}

fn open_existing(db: &Path) -> Result<Store> {
    if !db.exists() {
        bail!("no database at {} (run `dossier --db {} ingest PATH...` first)", db.display(), db.display());
    }
    open(db)
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Merge { a, b } => judge(&cli.db, cli.quiet, "merge", &a, &b),
        Command::Split { entity, alias } => judge(&cli.db, cli.quiet, "split", &entity, &alias),
        Command::Distinct { a, b } => judge(&cli.db, cli.quiet, "distinct", &a, &b),
        Command::Kb { command: KbCommand::Import { files } } => {
            let mut store = open(&cli.db)?;
            let mut failed = false;
            for file in &files {
                // The first bytes are enough to tell the format; the reader streams the rest.
                let mut head = Vec::with_capacity(4096);
                if let Ok(f) = std::fs::File::open(file) {
                    use std::io::Read;
                    let _ = f.take(4096).read_to_end(&mut head);
                }
                let Some(format) = dossier_kb::sniff(file, &head) else {
                    eprintln!("error: {}: not a watchlist format dossier reads", file.display());
                    failed = true;
                    continue;
                };
                let entries = match dossier_kb::read(file, format) {
                    Ok(e) => e,
                    Err(e) => {
                        eprintln!("error: {e}");
                        failed = true;
                        continue;
                    }
                };
                let mut by_source: std::collections::BTreeMap<String, Vec<dossier_store::WatchlistRow>> = Default::default();
                let mut errors = 0;
                for entry in entries {
                    match entry {
                        Ok(w) => by_source.entry(w.source.clone()).or_default().push(dossier_store::WatchlistRow {
                            etype: format!("{:?}", w.etype).to_lowercase(),
                            source: w.source,
                            list_id: w.id,
                            name: w.name,
                            aliases: w.aliases,
                            roles: w.roles.into_iter().map(|r| (r.role, r.from, r.to)).collect(),
                            countries: w.countries,
                            programs: w.programs,
                            notes: w.notes,
                        }),
                        Err(e) => {
                            errors += 1;
                            eprintln!("error: {e}");
                        }
                    }
                }
                for (source, rows) in &by_source {
                    let n = store.replace_watchlist(source, rows)?;
                    if !cli.quiet {
                        eprintln!("{}: {n} entries of {source}{}", file.display(), if errors > 0 { format!(", {errors} records skipped") } else { String::new() });
                    }
                }
                failed |= errors > 0;
            }
            let links = dossier_ingest::relink_watchlists(&mut store)?;
            if !cli.quiet {
                eprintln!("{links} entities linked to watchlist entries");
            }
            Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
        }
        Command::Serve(args) => {
            serve::run(&cli.db, args)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Nlp { command } => {
            nlp::run(command, cli.models.as_deref(), cli.parser)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Ingest { paths, jobs, max_bytes, no_nlp } => {
            let jobs = jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).max(1);
            let mut store = open(&cli.db)?;
            let inputs: Vec<Input> = paths.iter().map(|p| Input::parse(p)).collect();
            let models = if no_nlp { None } else { Some(nlp::load_models(cli.models.as_deref(), cli.parser)?) };
            let progress = Progress::new(cli.quiet);
            let config = IngestConfig { jobs, limits: ReadLimits { max_bytes }, models: models.as_ref() };
            let summary = dossier_ingest::ingest(&mut store, &inputs, config, &progress)?;
            progress.bar.finish_and_clear();
            if models.is_some() {
                let actors = dossier_ingest::resolve_actors(&mut store)?;
                tracing::info!("{} entities from {} mentions; {} facts", actors.entities, actors.mentions, actors.facts);
            }
            if !cli.quiet {
                eprintln!(
                    "{} documents: {} new, {} replaced, {} unchanged, {} duplicate; {} failed",
                    summary.inserted + summary.replaced + summary.unchanged + summary.duplicates,
                    summary.inserted,
                    summary.replaced,
                    summary.unchanged,
                    summary.duplicates,
                    summary.failures.len()
                );
            }
            Ok(if summary.failures.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        Command::Export { format, output } => {
            let store = open_existing(&cli.db)?;
            match format {
                ExportFormat::Jsonl => write_output(output.as_deref(), |w| Ok(dossier_export::write_jsonl(&store, w)?))?,
                ExportFormat::Ftm => write_output(output.as_deref(), |w| Ok(dossier_export::write_ftm(&store, w)?))?,
                ExportFormat::Graphml => write_output(output.as_deref(), |w| Ok(dossier_export::write_graphml(&store, w)?))?,
                ExportFormat::Gexf => write_output(output.as_deref(), |w| Ok(dossier_export::write_gexf(&store, w)?))?,
                ExportFormat::EventsCsv => write_output(output.as_deref(), |w| Ok(dossier_export::write_events_csv(&store, w)?))?,
                ExportFormat::Geojson => write_output(output.as_deref(), |w| Ok(dossier_export::write_geojson(&store, w)?))?,
                ExportFormat::Neo4j => {
                    let Some(dir) = output.as_deref() else { bail!("--format neo4j writes a directory: give it with -o DIR") };
                    dossier_export::write_neo4j(&store, dir).with_context(|| format!("cannot write {}", dir.display()))?
                }
            };
            Ok(ExitCode::SUCCESS)
        }
        Command::Stats { json } => {
            let store = open_existing(&cli.db)?;
            let s = store.stats()?;
            if json {
                let pairs = |v: &[(String, u64)]| serde_json::Value::Object(v.iter().map(|(k, n)| (k.clone(), (*n).into())).collect());
                let obj = serde_json::json!({
                    "documents": s.documents, "by_lang": pairs(&s.by_lang), "by_format": pairs(&s.by_format),
                    "chars": s.chars, "furniture": s.furniture, "sentences": s.sentences, "mentions": s.mentions,
                    "entities": s.entities, "facts": s.facts, "evidence": s.evidence,
                });
                println!("{obj}");
            } else {
                let list = |v: &[(String, u64)]| v.iter().map(|(k, n)| format!("{k} {n}")).collect::<Vec<_>>().join(", ");
                println!("documents  {} ({})", s.documents, list(&s.by_lang));
                println!("formats    {}", list(&s.by_format));
                println!("characters {}", s.chars);
                println!("furniture  {} spans", s.furniture);
                println!("sentences  {}", s.sentences);
                println!("mentions   {}", s.mentions);
                println!("entities   {}", s.entities);
                println!("facts      {} ({} evidence)", s.facts, s.evidence);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Search { query, raw, limit, json } => {
            let store = open_existing(&cli.db)?;
            let query = query.join(" ");
            let tty = std::io::stdout().is_terminal() && !json;
            let (open_m, close_m) = if tty { ("\x1b[1;33m", "\x1b[0m") } else if json { ("[", "]") } else { ("«", "»") };
            let hits = store.search(&query, raw, limit, open_m, close_m)?;
            let mut out = std::io::stdout().lock();
            for kind in [HitKind::Document, HitKind::Sentence] {
                let of_kind: Vec<_> = hits.iter().filter(|h| h.kind == kind).collect();
                if !json && !of_kind.is_empty() {
                    writeln!(out, "{}", if kind == HitKind::Document { "documents" } else { "sentences" })?;
                }
                for h in of_kind {
                    let snippet = h.snippet.split_whitespace().collect::<Vec<_>>().join(" ");
                    if json {
                        let obj = serde_json::json!({
                            "kind": if kind == HitKind::Document { "document" } else { "sentence" },
                            "doc": h.doc_id, "path": h.path, "title": h.title,
                            "start": h.span.map(|s| s.0), "end": h.span.map(|s| s.1),
                            "score": (h.score * 1000.0).round() / 1000.0, "snippet": snippet,
                        });
                        writeln!(out, "{obj}")?;
                    } else {
                        let at = h.span.map_or(String::new(), |(s, e)| format!(":{s}-{e}"));
                        writeln!(out, "  {:>6.2}  {}{}  {}", h.score, h.doc_id, at, h.path)?;
                        writeln!(out, "          {snippet}")?;
                    }
                }
            }
            if hits.is_empty() && !json {
                eprintln!("no match for {query:?}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Facts { about, predicate, since, limit, json } => {
            let store = open_existing(&cli.db)?;
            let about = match about {
                Some(name) => {
                    let ids = facts::Names::load(&store)?.find(&name);
                    if ids.is_empty() {
                        bail!("no entity is called {name:?} (try `dossier search {name}`)");
                    }
                    Some(ids)
                }
                None => None,
            };
            let n = facts::facts(&store, &facts::Filter { about, predicate, since }, json, limit)?;
            if !cli.quiet && !json {
                eprintln!("{n} facts");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Timeline { name, json } => {
            let store = open_existing(&cli.db)?;
            facts::timeline(&store, &name, json)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Eval { gold, plover, data, json } => {
            let verbose = cli.verbose > 0;
            let res = if plover {
                let models = nlp::load_models(cli.models.as_deref(), cli.parser)?;
                eval::score_plover(&data, &models, verbose)?
            } else {
                let store = open_existing(&cli.db)?;
                let gold = gold.context("a gold file is needed")?;
                eval::score_gold(&store, &gold, verbose)?
            };
            if json || plover {
                println!("{}", serde_json::to_string_pretty(&res)?);
            } else {
                eval::print_gold(&res);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Show { id, text } => {
            let store = open_existing(&cli.db)?;
            let Some(doc) = store.find_document(&id)? else {
                bail!("no document {id:?} (give an id, a unique id prefix of 4+ characters, or a path as ingested)");
            };
            let body = store.document_text(&doc.id)?.unwrap_or_default();
            let mut out = std::io::stdout().lock();
            writeln!(out, "id         {}", doc.id)?;
            writeln!(out, "path       {}{}", doc.path, doc.line.map_or(String::new(), |l| format!(":{l}")))?;
            writeln!(out, "format     {}", doc.format)?;
            for (k, v) in [("title", &doc.title), ("outlet", &doc.outlet), ("published", &doc.published), ("url", &doc.url), ("lang", &doc.lang)] {
                writeln!(out, "{k:<10} {}", v.as_deref().unwrap_or("-"))?;
            }
            writeln!(out, "characters {}", doc.n_chars)?;
            let chars: Vec<char> = body.chars().collect();
            let slice = |s: u64, e: u64| chars.get(s as usize..e as usize).map(|c| c.iter().collect::<String>()).unwrap_or_default();
            writeln!(out, "furniture  {} spans", doc.furniture.len())?;
            for &(s, e) in &doc.furniture {
                let t = slice(s, e).split_whitespace().collect::<Vec<_>>().join(" ");
                writeln!(out, "  {s}-{e}  {}", clip(&t, 100))?;
            }
            let sentences = store.sentences(&doc.id)?;
            writeln!(out, "sentences  {}", sentences.len())?;
            if text {
                writeln!(out)?;
                let mut pos = 0u64;
                for &(s, e) in &doc.furniture {
                    write!(out, "{}", slice(pos, s))?;
                    write!(out, "[furniture: {}]", slice(s, e))?;
                    pos = e;
                }
                writeln!(out, "{}", slice(pos, chars.len() as u64))?;
            } else {
                for s in &sentences {
                    writeln!(out, "  {:>3} {}-{}  {}", s.idx, s.start, s.end, clip(&s.text, 100))?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Stores a judgement and re-resolves the actors with it.
fn judge(db: &Path, quiet: bool, action: &str, a: &str, b: &str) -> Result<ExitCode> {
    let mut store = open_existing(db)?;
    let new = store.add_judgement(action, a, b)?;
    let summary = dossier_ingest::resolve_actors(&mut store)?;
    for c in &summary.conflicts {
        eprintln!("warning: judgement not honoured: {c}");
    }
    if !quiet {
        eprintln!(
            "{} {action} {a:?} {b:?}; {} entities",
            if new { "recorded" } else { "already recorded:" },
            summary.entities
        );
    }
    Ok(if summary.conflicts.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

/// Writes to stdout, or to `path` through a temporary file renamed into place.
fn write_output<T>(path: Option<&Path>, f: impl FnOnce(&mut dyn Write) -> Result<T>) -> Result<T> {
    match path {
        None => {
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::new(stdout.lock());
            let r = f(&mut w)?;
            w.flush()?;
            Ok(r)
        }
        Some(p) => {
            let tmp = p.with_extension(format!("{}.tmp", p.extension().and_then(|e| e.to_str()).unwrap_or("out")));
            let file = std::fs::File::create(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
            let mut w = std::io::BufWriter::new(file);
            let r = f(&mut w).and_then(|r| {
                w.flush()?;
                Ok(r)
            });
            match r {
                Ok(r) => {
                    std::fs::rename(&tmp, p).with_context(|| format!("cannot write {}", p.display()))?;
                    Ok(r)
                }
                Err(e) => {
                    let _ = std::fs::remove_file(&tmp);
                    Err(e)
                }
            }
        }
    }
}

/// Progress bar over files, and one error line per failed input.
struct Progress {
    bar: ProgressBar,
}

impl Progress {
    fn new(quiet: bool) -> Progress {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        if quiet || !std::io::stderr().is_terminal() || !std::io::stdout().is_terminal() {
            bar.set_draw_target(ProgressDrawTarget::hidden());
        }
        bar.set_style(
            ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} files, {msg} ({eta})")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        Progress { bar }
    }
}

impl Observer for Progress {
    fn start(&self, files: u64) {
        self.bar.set_length(files);
    }
    fn document(&self, origin: &Origin, outcome: &Outcome) {
        match outcome {
            Outcome::Failed(msg) => self.bar.suspend(|| eprintln!("error: {origin}: {msg}")),
            Outcome::Stored(PutOutcome::Duplicate { id, path }) => {
                tracing::info!("{origin}: same text as {id} ({path}), skipped")
            }
            Outcome::Stored(_) => {}
        }
        self.bar.set_message(origin.path.rsplit('/').next().unwrap_or("").to_string());
    }
    fn file_done(&self) {
        self.bar.inc(1);
    }
}
