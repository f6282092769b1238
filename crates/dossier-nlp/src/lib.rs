//! English NLP for dossier: the second stage of the pipeline.
//!
//! Everything here works on byte offsets into the original text; no function
//! edits or copies the text it reads.
//!
//! The key design choice: segmentation follows the UD English EWT treebank
//! conventions (clitics split as syntactic words, abbreviations kept whole,
//! hyphens split except after bound prefixes), so that taggers and parsers
//! trained on UD data see the tokens they were trained on, and so that the
//! tokenizer can be scored against EWT with the CoNLL 2018 scorer's metrics
//! ([`eval`]). It is hand-written rules over bytes, no dependencies, no
//! allocation per token.
#![deny(missing_docs)]

pub mod conllu;
pub mod eval;
pub mod lemma;
pub mod ner;
pub mod neural;
pub mod parser;
pub mod perceptron;
pub mod pipeline;
pub mod sentences;
pub mod tagger;
pub mod tokenize;
pub mod train;
pub mod values;

pub use parser::{SyntaxModels, SyntaxScores};
pub use sentences::{sentence_token_ranges, split_sentences};
pub use tokenize::{surface_tokens, tokenize, Token, TokenKind};
