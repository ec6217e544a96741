//! The seed article of the project (`../shared/seed/sina-finance-post.md`),
//! a feed bot's post in its hardest common shape, comes out right with the
//! default options. Skips, saying so, when the folder is not there.

use std::path::Path;

#[test]
fn seed_article_with_default_options() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seed/sina-finance-post.md");
    let Ok(source) = std::fs::read_to_string(&path) else {
        eprintln!("skipping the seed test: {} does not exist", path.display());
        return;
    };
    let r = article_render::render(&source);
    let m = &r.meta;
    assert_eq!(
        m.title.as_deref(),
        Some("全国总工会发布意见 要求切实维护新就业形态劳动者劳动保障权益"),
        "the title is read although the file starts with a blank line"
    );
    assert_eq!(
        m.date.as_deref(),
        Some("2021-07-19T11:24:48Z"),
        "the RFC 2822 GMT date is an instant in UTC"
    );
    assert_eq!(
        m.categories,
        ["金融", "新浪财经", "新浪财经－国內"],
        "the three categories keep their order"
    );
    let image = "https://n.sinaimg.cn/finance/cece9e13/20200514/343233024.png";
    assert_eq!(m.cover.as_deref(), Some(image), "headimg is the cover");
    assert_eq!(m.thumbnail.as_deref(), Some(image), "the thumbnail is kept");
    assert_eq!(m.comments, Some(false), "comments: false is read");
    assert_eq!(
        r.body_format,
        article_render::BodyFormat::Html,
        "the body is read as HTML"
    );
    assert!(
        !r.html.contains("<pre") && !r.html.contains("<code"),
        "indented HTML is not a code block"
    );
    for css in ["appendQr", "border:1px", "float:left", "&#123;", "&#125;"] {
        assert!(
            !r.html.contains(css),
            "no CSS text of the <style> block is left: found {css}"
        );
        assert!(
            !r.excerpt.contains(css),
            "no CSS text in the excerpt: found {css}"
        );
    }
    assert!(
        !r.html.contains("<!--") && !r.html.contains("<font"),
        "comments and <font> are gone"
    );
    assert!(
        r.html.contains("七是加强素质能力建设。"),
        "the text inside nested <font> is kept"
    );
    assert!(r.html.contains("责任编辑"), "the editor line is kept");
    assert!(
        r.html.contains(&format!(
            r#"<img src="{image}" loading="lazy" decoding="async" referrerpolicy="no-referrer">"#
        )),
        "the image loads without a referrer: {}",
        r.html
    );
    assert_eq!(r.images.len(), 1);
    assert!(
        r.stats.cjk_characters > 700,
        "the Chinese text is counted character by character"
    );
    assert!(
        r.diagnostics
            .iter()
            .any(|d| d.code == "sanitize.removed-element" && d.message.contains("<style>")),
        "the removed <style> block is reported"
    );
}

#[test]
fn braces_written_as_references_come_back() {
    let source =
        "\n---\ntitle: 'a &#123;b&#125;'\n---\n\n<div>\n<p>x = &#123;1, 2&#125;</p>\n</div>\n";
    let r = article_render::render(source);
    assert_eq!(
        r.meta.title.as_deref(),
        Some("a {b}"),
        "the title has braces, not references"
    );
    assert!(
        r.html.contains("<p>x = {1, 2}</p>"),
        "the body text has braces: {}",
        r.html
    );
}

/// The same article through the command-line tool, as a user would run it.
#[cfg(feature = "cli")]
#[test]
fn seed_article_through_the_cli() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seed/sina-finance-post.md");
    if !path.exists() {
        eprintln!(
            "skipping the seed CLI test: {} does not exist",
            path.display()
        );
        return;
    }
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_article-render"))
        .arg(&path)
        .output()
        .expect("the CLI runs");
    assert!(
        output.status.success(),
        "the CLI renders the seed without error"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("the CLI prints JSON");
    assert_eq!(
        json["meta"]["date"], "2021-07-19T11:24:48Z",
        "the CLI gives the UTC instant"
    );
    assert_eq!(
        json["meta"]["categories"].as_array().map(Vec::len),
        Some(3),
        "three categories"
    );
    assert_eq!(json["meta"]["comments"], false);
    assert_eq!(json["bodyFormat"], "html");
    let html = json["html"].as_str().unwrap_or_default();
    assert!(
        !html.contains("<pre") && !html.contains("appendQr"),
        "no code block and no CSS text"
    );
    assert!(
        html.contains(r#"referrerpolicy="no-referrer""#),
        "images load without a referrer"
    );
}
