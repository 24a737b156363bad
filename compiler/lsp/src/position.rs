//! Positions: the compiler counts bytes, LSP counts UTF-16 code units on
//! a 0-based line (its default encoding). Both directions clamp: a position
//! past the end of a line or of the text lands on its end, never panics.

use hybrid_diagnostics::SourceFile;
use lsp_types::{Position, Range};
use std::borrow::Cow;

/// Where each line of a text starts (byte offsets).
#[derive(Debug, Clone)]
pub struct Lines<'a> {
    text: &'a str,
    starts: Cow<'a, [usize]>,
}

impl<'a> Lines<'a> {
    /// The lines of a text, found by one pass over it.
    pub fn new(text: &'a str) -> Lines<'a> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { text, starts: Cow::Owned(starts) }
    }

    /// The lines of a compiled file, from the table it already holds: a
    /// position costs a binary search, not a pass over the file (a
    /// program's diagnostics and references are many positions in one file).
    pub fn of(file: &'a SourceFile) -> Lines<'a> {
        Lines { text: &file.text, starts: Cow::Borrowed(file.line_starts()) }
    }

    /// The LSP position of a byte offset (clamped, and moved back to the
    /// start of a character it would split).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let character = self.text.get(start..offset).map_or(0, |s| s.encode_utf16().count());
        Position::new(to_u32(line), to_u32(character))
    }

    /// The byte offset of an LSP position: past the last line is the end of
    /// the text, past the end of a line is the end of that line.
    pub fn offset(&self, position: Position) -> usize {
        let Some(&start) = self.starts.get(position.line as usize) else { return self.text.len() };
        let rest = self.text.get(start..).unwrap_or("");
        let mut units = 0u32;
        for (i, c) in rest.char_indices() {
            if c == '\n' || units >= position.character {
                return start + i;
            }
            units += u32::try_from(c.len_utf16()).unwrap_or(2);
        }
        self.text.len()
    }

    pub fn range(&self, start: usize, end: usize) -> Range {
        Range::new(self.position(start), self.position(end))
    }

    /// The whole text.
    pub fn all(&self) -> Range {
        self.range(0, self.text.len())
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_ascii_counts_utf16_units() {
        // `é` is 2 bytes and 1 unit; `𝄞` is 4 bytes and 2 units.
        let text = "aé𝄞b\nx";
        let lines = Lines::new(text);
        let b = text.find('b').unwrap();
        assert_eq!(lines.position(b), Position::new(0, 4));
        assert_eq!(lines.offset(Position::new(0, 4)), b);
        assert_eq!(lines.position(text.len()), Position::new(1, 1));
        // Inside a character: back to its start.
        assert_eq!(lines.position(2), Position::new(0, 1));
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let lines = Lines::new("ab\ncd");
        assert_eq!(lines.offset(Position::new(0, 99)), 2);
        assert_eq!(lines.offset(Position::new(99, 0)), 5);
        assert_eq!(lines.position(99), Position::new(1, 2));
        assert_eq!(Lines::new("").offset(Position::new(3, 3)), 0);
    }
}
