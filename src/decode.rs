//! Bytes of a file to text (CLI only; the page uses the browser's decoder).
