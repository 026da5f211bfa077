//! A command's output as it travels from the executor to the cockpit: each line an action's
//! progress line, marked with the stream it came from (`stdout: `, `stderr: `). Every output
//! line carries its mark, so a line without one is the runner's own note about the action
//! (the shared audit table not written, say), and a program that prints `stderr: ` on its
//! stdout is still read as stdout. The cockpit's output pane reads the marks back (`parse`);
//! the audit never sees these lines.

/// Which of the process's streams a line was written to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

const STDOUT_MARK: &str = "stdout: ";
/// How a stderr line starts, as the cockpit saves and copies it.
pub const STDERR_MARK: &str = "stderr: ";

/// A line longer than this is cut (a binary dumped to stdout must not fill the pane).
const MAX_LINE: usize = 4096;

/// The progress line for `text` written to `stream`: marked, trailing `\r` removed, cut to
/// `MAX_LINE` bytes (with `…`).
pub fn line(stream: Stream, text: &str) -> String {
    let mut text = text.trim_end_matches(['\n', '\r']).to_string();
    if text.len() > MAX_LINE {
        let mut cut = MAX_LINE;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        text.push('…');
    }
    let mark = match stream {
        Stream::Stdout => STDOUT_MARK,
        Stream::Stderr => STDERR_MARK,
    };
    format!("{mark}{text}")
}

/// The stream and text of an output line; `None` for a line that is not output.
pub fn parse(line: &str) -> Option<(Stream, &str)> {
    if let Some(text) = line.strip_prefix(STDOUT_MARK) {
        return Some((Stream::Stdout, text));
    }
    line.strip_prefix(STDERR_MARK)
        .map(|text| (Stream::Stderr, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_marked_line_reads_back_as_its_stream_whatever_its_text_says() {
        let lies = line(Stream::Stdout, "stderr: not really\r");
        assert_eq!(parse(&lies), Some((Stream::Stdout, "stderr: not really")));
        let err = line(Stream::Stderr, "boom");
        assert_eq!(parse(&err), Some((Stream::Stderr, "boom")));
        assert_eq!(parse("shared audit table not written: refused"), None);
    }

    #[test]
    fn a_long_line_is_cut_on_a_character_boundary() {
        let long = "é".repeat(MAX_LINE);
        let (_, text) = parse_owned(&line(Stream::Stdout, &long));
        assert!(text.len() <= MAX_LINE + '…'.len_utf8() && text.ends_with('…'));
    }

    fn parse_owned(line: &str) -> (Stream, String) {
        let (stream, text) = parse(line).expect("an output line");
        (stream, text.to_string())
    }
}
