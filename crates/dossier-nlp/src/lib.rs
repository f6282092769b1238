//! English NLP for dossier: the second stage of the pipeline.
//!
//! Everything here works on byte offsets into the original text; no function
//! edits or copies the text it reads.
#![deny(missing_docs)]

pub mod sentences;
pub mod tokenize;

pub use sentences::split_sentences;
pub use tokenize::{tokenize, Token};
