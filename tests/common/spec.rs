//! The examples of the CommonMark and GFM spec files (`../shared/specs`),
//! as `tests/spec.rs` and `tests/differential.rs` read them.

#![allow(dead_code)] // each test file uses some of the fields

/// One example of a spec file.
pub struct Example {
    pub number: usize,
    /// The `example` line's extension name, if any (`autolink`, `table`…).
    pub extension: String,
    pub markdown: String,
    pub html: String,
}

/// The examples of a spec file, numbered from 1 as the spec numbers them,
/// with `→` turned back into the tab it stands for.
pub fn examples(text: &str) -> Vec<Example> {
    const FENCE: &str = "````````````````````````````````";
    let mut out = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let Some(rest) = line.strip_prefix(FENCE) else {
            continue;
        };
        let Some(extension) = rest.trim().strip_prefix("example") else {
            continue;
        };
        let (mut markdown, mut html, mut in_html) = (String::new(), String::new(), false);
        for line in lines.by_ref() {
            if line == FENCE {
                break;
            }
            if line == "." && !in_html {
                in_html = true;
                continue;
            }
            let target = if in_html { &mut html } else { &mut markdown };
            target.push_str(&line.replace('→', "\t"));
            target.push('\n');
        }
        out.push(Example {
            number: out.len() + 1,
            extension: extension.trim().to_owned(),
            markdown,
            html,
        });
    }
    out
}
