//! Where a token was written: a [`FileId`] and a byte range ([`Span`]).
//!
//! The one vocabulary every layer shares — the parser, the diagnostics, the
//! resolved model and the targets (through the model) — kept in a leaf crate
//! with no dependencies, so that reading a span never pulls in the
//! diagnostic renderer. `hybrid-diagnostics` re-exports both types.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic))]

/// Index of a file in the compilation's source map.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FileId(pub u32);

/// A byte range in one source file. `start..end`, end exclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        let clamp = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        Span { file, start: clamp(start), end: clamp(end.max(start)) }
    }

    pub fn len(&self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }

    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_past_u32_clamp_and_end_is_never_before_start() {
        let s = Span::new(FileId(1), 10, 4);
        assert_eq!((s.start, s.end, s.len()), (10, 10, 0));
        assert!(s.is_empty());
        let far = Span::new(FileId(0), 3, usize::MAX);
        assert_eq!((far.start, far.end), (3, u32::MAX));
        assert_eq!(Span::new(FileId(0), 2, 5).range(), 2..5);
    }
}
