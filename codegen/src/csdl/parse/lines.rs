//! Byte offsets to line and column, by binary search in a table of line
//! starts built once per input.

use crate::csdl::syntax::Pos;

pub(super) struct LineIndex {
    /// Byte offset of the start of every line; `starts[0] == 0`.
    starts: Vec<u32>,
    /// Where line 1, column 1 of the input is reported.
    base: Pos,
}

impl LineIndex {
    /// `text` must be shorter than 4 GiB (the parser checks).
    pub(super) fn new(text: &str, base: Pos) -> Self {
        let bytes = text.as_bytes();
        let mut starts = Vec::with_capacity(bytes.len() / 40 + 1);
        starts.push(0);
        // Eight bytes at a time: a word holds a newline iff the usual
        // "has zero byte" test fires on it xor a word of newlines.
        const ONES: u64 = 0x0101_0101_0101_0101;
        const HIGHS: u64 = 0x8080_8080_8080_8080;
        const NEWLINES: u64 = ONES * b'\n' as u64;
        let mut chunks = bytes.chunks_exact(8);
        let mut at = 0usize;
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            let x = u64::from_le_bytes(word) ^ NEWLINES;
            if x.wrapping_sub(ONES) & !x & HIGHS != 0 {
                for (i, &b) in chunk.iter().enumerate() {
                    if b == b'\n' {
                        starts.push((at + i + 1) as u32);
                    }
                }
            }
            at += 8;
        }
        for (i, &b) in chunks.remainder().iter().enumerate() {
            if b == b'\n' {
                starts.push((at + i + 1) as u32);
            }
        }
        LineIndex { starts, base }
    }

    /// The position of the byte at `offset` (which may be the end of input).
    pub(super) fn pos(&self, offset: usize) -> Pos {
        let index = self
            .starts
            .partition_point(|&start| start as usize <= offset)
            .saturating_sub(1);
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
