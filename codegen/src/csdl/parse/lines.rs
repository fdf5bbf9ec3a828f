//! Byte offsets to line and column, by binary search in a table of line
//! starts built once per input.

use std::cell::Cell;

use crate::csdl::syntax::Pos;

pub(super) struct LineIndex {
    /// Byte offset of the start of every line; `starts[0] == 0`.
    starts: Vec<u32>,
    /// Where line 1, column 1 of the input is reported.
    base: Pos,
    /// The line index found last: lookups come mostly in document order,
    /// so the next one is usually on that line or a few lines below.
    hint: Cell<usize>,
}

impl LineIndex {
    /// `text` must be shorter than 4 GiB (the parser checks).
    pub(super) fn new(text: &str, base: Pos) -> Self {
        let bytes = text.as_bytes();
        let mut starts = Vec::with_capacity(bytes.len() / 40 + 1);
        starts.push(0);
        // 32 bytes at a time: a bit mask of the newlines (built branch
        // free, which the compiler vectorises), then one push per set bit.
        let mut chunks = bytes.chunks_exact(32);
        let mut at = 0usize;
        for chunk in &mut chunks {
            let mut mask = 0u32;
            for (i, &b) in chunk.iter().enumerate() {
                mask |= u32::from(b == b'\n') << i;
            }
            while mask != 0 {
                starts.push((at + mask.trailing_zeros() as usize + 1) as u32);
                mask &= mask - 1;
            }
            at += 32;
        }
        for (i, &b) in chunks.remainder().iter().enumerate() {
            if b == b'\n' {
                starts.push((at + i + 1) as u32);
            }
        }
        LineIndex {
            starts,
            base,
            hint: Cell::new(0),
        }
    }

    /// The index of the line holding `offset`: a few steps forward from
    /// the hint, else a binary search.
    fn line_index(&self, offset: usize) -> usize {
        let starts = &self.starts;
        let hint = self.hint.get();
        if starts.get(hint).is_some_and(|&s| s as usize <= offset) {
            for index in hint..(hint + 4).min(starts.len()) {
                match starts.get(index + 1) {
                    Some(&next) if next as usize <= offset => continue,
                    _ => return index,
                }
            }
        }
        starts
            .partition_point(|&start| start as usize <= offset)
            .saturating_sub(1)
    }

    /// The position of the byte at `offset` (which may be the end of input).
    pub(super) fn pos(&self, offset: usize) -> Pos {
        let index = self.line_index(offset);
        self.hint.set(index);
        let start = self.starts.get(index).copied().unwrap_or(0) as usize;
        let col = u32::try_from(offset.saturating_sub(start))
            .unwrap_or(u32::MAX - 1)
            .saturating_add(1);
        let line = u32::try_from(index).unwrap_or(u32::MAX);
        if line == 0 {
            Pos {
                line: self.base.line,
                col: col.saturating_add(self.base.col.saturating_sub(1)),
            }
        } else {
            Pos {
                line: self.base.line.saturating_add(line),
                col,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(text: &str, offset: usize) -> Pos {
        let before = &text.as_bytes()[..offset];
        let line = before.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
        let start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        Pos {
            line,
            col: (offset - start) as u32 + 1,
        }
    }

    #[test]
    fn matches_naive_count() {
        let text = "ab\ncdefghijklmnop\n\n\nq\r\nrstuvwxyz0123456789\nend";
        let index = LineIndex::new(text, Pos { line: 1, col: 1 });
        for offset in 0..=text.len() {
            assert_eq!(index.pos(offset), naive(text, offset), "offset {offset}");
        }
    }

    #[test]
    fn base_shifts_first_line_columns_only() {
        let text = "abc\ndef";
        let index = LineIndex::new(text, Pos { line: 10, col: 5 });
        assert_eq!(index.pos(1), Pos { line: 10, col: 6 });
        assert_eq!(index.pos(5), Pos { line: 11, col: 2 });
    }
}
