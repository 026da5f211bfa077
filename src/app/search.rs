//! The filter's search index: every row's text in one buffer, scanned with SIMD substring
//! search per keystroke.

use memchr::memmem::Finder;

use super::table::RowSet;

/// Every row's searchable text, lower-cased, in one contiguous buffer (rows separated by a
/// newline, which no filter word contains). A filter keystroke is then one SIMD substring scan
/// over a few megabytes instead of a hundred thousand scattered string comparisons. Rebuilt when
/// the rows change, and only while a filter is set.
#[derive(Debug, Clone, Default)]
pub(super) struct SearchIndex {
    generation: Option<(u64, u64)>,
    text: Vec<u8>,
    /// `starts[i]..starts[i + 1]` is row i's text; one more entry than rows.
    starts: Vec<u32>,
}

impl SearchIndex {
    pub(super) fn ensure<R: RowSet>(&mut self, rows: &R) {
        let generation = rows.generation();
        if self.generation == Some(generation) {
            return;
        }
        self.text.clear();
        self.starts.clear();
        let mut row = String::new();
        for i in 0..rows.len() {
            self.starts.push(self.text.len() as u32);
            row.clear();
            rows.search_text(i, &mut row);
            for c in row.chars() {
                let mut buf = [0u8; 4];
                for lc in c.to_lowercase() {
                    self.text
                        .extend_from_slice(lc.encode_utf8(&mut buf).as_bytes());
                }
            }
            self.text.push(b'\n');
        }
        self.starts.push(self.text.len() as u32);
        self.generation = Some(generation);
    }

    /// Marks the rows whose text contains every word of `filter` (case-insensitive) and none of
    /// its `!words`. A lone `!` means nothing (it is where typing `!word` starts).
    pub(super) fn matching(&self, filter: &str) -> Vec<bool> {
        let rows = self.starts.len().saturating_sub(1);
        let mut all = vec![true; rows];
        for word in filter.split_whitespace() {
            let (word, wanted) = match word.strip_prefix('!') {
                Some("") => continue,
                Some(excluded) => (excluded.to_lowercase(), false),
                None => (word.to_lowercase(), true),
            };
            let finder = Finder::new(word.as_bytes());
            let mut found = vec![false; rows];
            let (mut at, mut row) = (0usize, 0usize);
            while let Some(pos) = finder.find(&self.text[at..]).map(|p| p + at) {
                while self.starts[row + 1] as usize <= pos {
                    row += 1;
                }
                found[row] = true;
                // One hit per row is enough: continue at the next row.
                at = self.starts[row + 1] as usize;
            }
            for (a, f) in all.iter_mut().zip(found) {
                *a &= f == wanted;
            }
        }
        all
    }
}
