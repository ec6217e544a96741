//! html5ever's tokenizer for this crate's own readings of HTML: the audit
//! where its lexer declines (and, in tests, as its oracle), the depth
//! rewrite and character references in front matter.
//!
//! Each `Tokenizer<Sink>` type compiles to its own copy of the tokenizer,
//! about 20 KB of wasm, so these passes share one sink type that hands the
//! tokens to a closure rather than having a sink type each (ammonia's tree
//! builder is the one other copy).

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// The closure a pass reads tokens with: a token and its line (from 1).
pub type Each<'a> = &'a mut dyn FnMut(Token, u64) -> TokenSinkResult<()>;

/// Tokenizes all of `html`, handing each token to `each`.
pub fn each(html: &str, opts: TokenizerOpts, each: Each) {
    let tokenizer = Tokenizer::new(Sink(RefCell::new(each)), opts);
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
}

struct Sink<'a>(RefCell<Each<'a>>);

impl TokenSink for Sink<'_> {
    type Handle = ();

    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<()> {
        (self.0.borrow_mut())(token, line)
    }
}
