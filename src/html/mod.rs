//! What the library knows about HTML, and the walk that writes it.

pub mod elements;
pub mod walk;
