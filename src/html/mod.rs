//! What the library knows about HTML itself, apart from the article
//! policy: its element categories, the guard that reads the input's tags
//! before the sanitizer, and the walk that writes the sanitizer's output.

pub mod elements;
pub mod guard;
pub mod strict;
pub mod walk;
