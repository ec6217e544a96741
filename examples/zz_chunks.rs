fn main() {
    for path in std::env::args().skip(1) {
        let source = std::fs::read_to_string(&path).unwrap();
        article_render::__chunks::cuts();
        let r = article_render::render(&source);
        println!(
            "{path}: cuts {} format {:?} diags {:?}",
            article_render::__chunks::cuts(),
            r.body_format,
            r.diagnostics
                .iter()
                .map(|d| d.code.clone())
                .collect::<Vec<_>>()
        );
    }
}
