//! What the crate knows of HTML itself, apart from the article policy.

pub mod guard;
