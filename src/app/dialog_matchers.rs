//! The silence dialog's matchers as the operator edits them: `name=value` separated by spaces,
//! a value with a space in double quotes (`backup="positivity nightly"`), as amtool takes them.

/// The matchers as text, quoting values that hold a space or a quote.
pub fn format(matchers: &[(String, String)]) -> String {
    matchers
        .iter()
        .map(|(k, v)| {
            if v.is_empty() || v.contains([' ', '"']) {
                format!("{k}=\"{}\"", v.replace('"', "\\\""))
            } else {
                format!("{k}={v}")
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Parses `format`'s text back; `None` when a word is not `name=value` or a quote is not closed.
pub fn parse(text: &str) -> Option<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.peek().is_none() {
            return Some(out);
        }
        let mut name = String::new();
        while let Some(&c) = chars.peek() {
            if c == '=' || c.is_whitespace() {
                break;
            }
            name.push(c);
            chars.next();
        }
        if name.is_empty() || chars.next() != Some('=') {
            return None;
        }
        let mut value = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next()? {
                    '\\' => value.push(chars.next()?),
                    '"' => break,
                    c => value.push(c),
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                value.push(c);
                chars.next();
            }
        }
        out.push((name, value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A label value with a space (the demo's `backup="positivity nightly"`) made the dialog
    /// refuse its own prefilled matchers.
    #[test]
    fn values_with_spaces_are_quoted_and_read_back() {
        let matchers = vec![
            ("alertname".to_string(), "BackupTooOld".to_string()),
            ("backup".to_string(), "positivity nightly".to_string()),
        ];
        let text = format(&matchers);
        assert_eq!(
            text,
            r#"alertname=BackupTooOld backup="positivity nightly""#
        );
        assert_eq!(parse(&text), Some(matchers));
        assert_eq!(
            parse(r#"a=1  b="say \"hi\"""#),
            Some(vec![
                ("a".into(), "1".into()),
                ("b".into(), "say \"hi\"".into())
            ])
        );
        assert_eq!(parse("a=1 stray"), None);
        assert_eq!(parse(r#"a="open"#), None);
        assert_eq!(parse("=x"), None);
        assert_eq!(parse(""), Some(vec![]));
    }
}
