//! Rewriting pulldown-cmark's events in place: the Markdown stages that
//! change a few events here and there (alerts, math, autolinks) each built
//! a new vector beside the old one, twice the events at once: for a big
//! article the largest allocation of the render (bench/MEMORY.md).
//!
//! [`Rewrite`] reads the vector front to back and writes what replaces each
//! event into the slots already read. What is written ahead of the reading
//! (a stage that adds events) waits in a queue until the reading frees
//! room, and whatever still waits at the end is appended: the vector is
//! never copied whole, and the queue holds at most what the stage added.

use std::collections::VecDeque;
use std::ops::Range;

use pulldown_cmark::Event;

/// An event with the source range it came from.
pub type Spanned<'a> = (Event<'a>, Range<usize>);

/// What stands in a slot that was read and not yet written again.
const HOLE: Spanned<'static> = (Event::SoftBreak, 0..0);

/// A rewriting of `events` in place, from one on: take each event with [`Rewrite::next`],
/// [`Rewrite::push`] what replaces it (nothing, itself, or more), then
/// [`Rewrite::finish`].
pub struct Rewrite<'v, 'a> {
    events: &'v mut Vec<Spanned<'a>>,
    /// The next slot to read.
    read: usize,
    /// The next slot to write: never after `read`.
    write: usize,
    /// Events written while no slot was free, in order.
    waiting: VecDeque<Spanned<'a>>,
}

impl<'v, 'a> Rewrite<'v, 'a> {
    /// Starts rewriting `events` from the one at `start`; those before it
    /// stay as they are, unread.
    pub fn from(events: &'v mut Vec<Spanned<'a>>, start: usize) -> Self {
        let start = start.min(events.len());
        Rewrite {
            events,
            read: start,
            write: start,
            waiting: VecDeque::new(),
        }
    }

    /// The events not read yet, to look ahead.
    pub fn ahead(&self) -> &[Spanned<'a>] {
        &self.events[self.read..]
    }

    /// Takes the next event.
    #[allow(clippy::should_implement_trait)] // `ahead` and `push` go with it
    pub fn next(&mut self) -> Option<Spanned<'a>> {
        let slot = self.events.get_mut(self.read)?;
        let event = std::mem::replace(slot, HOLE);
        self.read += 1;
        while self.write < self.read {
            let Some(waiting) = self.waiting.pop_front() else {
                break;
            };
            self.events[self.write] = waiting;
            self.write += 1;
        }
        Some(event)
    }

    /// Keeps the events before the next one `stop` accepts (or all that
    /// are left) as they are, without taking them one by one: where nothing
    /// waits and no slot is free they stay where they stand, else each moves
    /// down once into a free slot. A stage that changes only a few kinds
    /// of event calls it before each [`Rewrite::next`].
    pub fn keep_until(&mut self, stop: impl Fn(&Event<'a>) -> bool) {
        let end = self.events[self.read..]
            .iter()
            .position(|(event, _)| stop(event))
            .map_or(self.events.len(), |at| self.read + at);
        if !self.waiting.is_empty() {
            while self.read < end {
                let event = self.next().expect("an event before `end`");
                self.push(event);
            }
            return;
        }
        // Each kept event moves down into the first free slot, which moves
        // up in its place: time in the events kept, however many slots are
        // free (a rotation of `write..end` would move the free slots along
        // at every call, quadratic in a document that drops many events).
        if self.write < self.read {
            for at in self.read..end {
                self.events.swap(self.write, at);
                self.write += 1;
            }
        } else {
            self.write = end;
        }
        self.read = end;
    }

    /// Drops the next `n` events (those a stage replaced by what it wrote).
    pub fn skip(&mut self, n: usize) {
        for _ in 0..n {
            self.next();
        }
    }

    /// Writes an event after those written before.
    pub fn push(&mut self, event: Spanned<'a>) {
        if self.write < self.read && self.waiting.is_empty() {
            self.events[self.write] = event;
            self.write += 1;
        } else {
            self.waiting.push_back(event);
        }
    }

    /// Reads what is left as it is and settles the vector.
    pub fn finish(self) {
        // The slots from `write` to `read` were read and not written again,
        // and what waits goes before the events not read: one move of the
        // rest of the vector, not one per event.
        let Rewrite {
            events,
            read,
            write,
            waiting,
        } = self;
        events.splice(write..read, waiting);
    }
}

impl<'a> Extend<Spanned<'a>> for Rewrite<'_, 'a> {
    fn extend<I: IntoIterator<Item = Spanned<'a>>>(&mut self, events: I) {
        for event in events {
            self.push(event);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &'static str) -> Spanned<'static> {
        (Event::Text(t.into()), 0..0)
    }

    /// Each event replaced by none, one or three: the result is what a new
    /// vector would hold, in order.
    #[test]
    fn rewrites_as_a_new_vector_would() {
        let words = [
            "drop", "keep", "grow", "keep", "grow", "grow", "drop", "keep",
        ];
        let mut events: Vec<_> = words.iter().map(|w| text(w)).collect();
        let mut expected = Vec::new();
        let mut rewrite = Rewrite::from(&mut events, 0);
        while let Some((event, range)) = rewrite.next() {
            let Event::Text(word) = &event else {
                unreachable!()
            };
            let out: Vec<Spanned> = match &**word {
                "drop" => vec![],
                "keep" => vec![(event.clone(), range)],
                _ => vec![text("a"), text("b"), text("c")],
            };
            expected.extend(out.iter().cloned());
            rewrite.extend(out);
        }
        rewrite.finish();
        assert_eq!(events, expected);
        assert_eq!(events.len(), 12);
    }

    /// Kept runs between rewritten events: the same vector as taking and
    /// pushing every event, whether a slot is free, events wait, or neither.
    #[test]
    fn keeping_runs_is_taking_and_pushing_them() {
        let words = [
            "keep", "drop", "keep", "keep", "grow", "keep", "keep", "keep", "drop", "drop", "keep",
            "grow", "grow", "keep", "keep",
        ];
        let rewrite_all = |keep_runs: bool| {
            let mut events: Vec<_> = words.iter().map(|w| text(w)).collect();
            let mut rewrite = Rewrite::from(&mut events, 1);
            loop {
                if keep_runs {
                    rewrite.keep_until(|event| !matches!(event, Event::Text(t) if &**t == "keep"));
                }
                let Some((event, range)) = rewrite.next() else {
                    break;
                };
                let Event::Text(word) = &event else {
                    unreachable!()
                };
                match &**word {
                    "drop" => {}
                    "keep" => rewrite.push((event.clone(), range)),
                    _ => rewrite.extend([text("a"), text("b"), text("c")]),
                }
            }
            rewrite.finish();
            events
        };
        let expected = rewrite_all(false);
        assert_eq!(rewrite_all(true), expected);
        assert_eq!(expected.len(), 15 - 3 + 3 * 2);
    }

    #[test]
    fn finishing_early_keeps_the_rest() {
        let mut events = vec![text("a"), text("b"), text("c")];
        let mut rewrite = Rewrite::from(&mut events, 0);
        let first = rewrite.next().unwrap();
        rewrite.push(text("x"));
        rewrite.push(first);
        rewrite.finish();
        assert_eq!(events, [text("x"), text("a"), text("b"), text("c")]);
    }

    /// From an event on: those before are never read; a dropped event's
    /// slot is closed up at the end.
    #[test]
    fn rewriting_from_an_event_leaves_those_before() {
        let mut events = vec![text("a"), text("b"), text("c"), text("d")];
        let mut rewrite = Rewrite::from(&mut events, 1);
        assert_eq!(rewrite.next(), Some(text("b")));
        rewrite.skip(1);
        rewrite.finish();
        assert_eq!(events, [text("a"), text("d")]);
    }
}
