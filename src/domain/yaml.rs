//! A Kubernetes object (JSON, as the API server sends it) written as YAML the way `kubectl get
//! -o yaml` lays it out, one line at a time, each cut into tokens (key, string, number, ...)
//! so that the view can colour them through the theme's roles. A string that YAML would read
//! as something else (`"true"`, `"8080"`, `"a: b"`, empty) is double-quoted with JSON's
//! escapes, which YAML reads the same way.

use serde_json::Value;

/// What a piece of a line is, for its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token {
    Key,
    Str,
    /// Numbers, `true`, `false`, `null`.
    Number,
    Comment,
    /// Indentation, `: `, `- `, `{}`, `[]`.
    Punct,
}

/// One line of the YAML: its pieces in order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct YamlLine {
    pub parts: Vec<(Token, String)>,
}

impl YamlLine {
    /// The line as plain text (copied, saved, searched).
    pub fn text(&self) -> String {
        self.parts.iter().map(|(_, s)| s.as_str()).collect()
    }

    fn push(&mut self, token: Token, text: impl Into<String>) {
        self.parts.push((token, text.into()));
    }
}

/// The object as YAML lines.
pub fn lines(object: &Value) -> Vec<YamlLine> {
    let mut out = Vec::new();
    match object {
        Value::Object(map) if !map.is_empty() => write_map(map, 0, None, &mut out),
        Value::Array(items) if !items.is_empty() => write_list(items, 0, None, &mut out),
        scalar => {
            let mut line = YamlLine::default();
            push_scalar(&mut line, scalar);
            out.push(line);
        }
    }
    out
}

/// A comment line (`# ...`), for what the view says about the object above it.
pub fn comment(text: &str) -> YamlLine {
    let mut line = YamlLine::default();
    line.push(Token::Comment, format!("# {text}"));
    line
}

/// The whole text, lines ended by newlines.
pub fn text(lines: &[YamlLine]) -> String {
    let mut out = String::new();
    for line in lines {
        out.push_str(&line.text());
        out.push('\n');
    }
    out
}

/// A fresh line indented by `indent`, or the line a list item began (`- ` already on it).
fn start(indent: usize, first: &mut Option<YamlLine>) -> YamlLine {
    first.take().unwrap_or_else(|| {
        let mut line = YamlLine::default();
        if indent > 0 {
            line.push(Token::Punct, " ".repeat(indent));
        }
        line
    })
}

fn write_map(
    map: &serde_json::Map<String, Value>,
    indent: usize,
    mut first: Option<YamlLine>,
    out: &mut Vec<YamlLine>,
) {
    for (key, value) in map {
        let mut line = start(indent, &mut first);
        line.push(Token::Key, quoted_if_needed(key));
        match value {
            Value::Object(inner) if !inner.is_empty() => {
                line.push(Token::Punct, ":");
                out.push(line);
                write_map(inner, indent + 2, None, out);
            }
            // kubectl writes a list under a key at the key's own indentation.
            Value::Array(items) if !items.is_empty() => {
                line.push(Token::Punct, ":");
                out.push(line);
                write_list(items, indent, None, out);
            }
            scalar => {
                line.push(Token::Punct, ": ");
                push_scalar(&mut line, scalar);
                out.push(line);
            }
        }
    }
}

fn write_list(
    items: &[Value],
    indent: usize,
    mut first: Option<YamlLine>,
    out: &mut Vec<YamlLine>,
) {
    for item in items {
        let mut line = start(indent, &mut first);
        line.push(Token::Punct, "- ");
        match item {
            // The map's first key goes on the dash's line, the others under it.
            Value::Object(inner) if !inner.is_empty() => {
                write_map(inner, indent + 2, Some(line), out)
            }
            Value::Array(inner) if !inner.is_empty() => {
                write_list(inner, indent + 2, Some(line), out)
            }
            scalar => {
                push_scalar(&mut line, scalar);
                out.push(line);
            }
        }
    }
}

fn push_scalar(line: &mut YamlLine, value: &Value) {
    match value {
        Value::Null => line.push(Token::Number, "null"),
        Value::Bool(b) => line.push(Token::Number, b.to_string()),
        Value::Number(n) => line.push(Token::Number, n.to_string()),
        Value::String(s) => line.push(Token::Str, quoted_if_needed(s)),
        Value::Object(_) => line.push(Token::Punct, "{}"),
        Value::Array(_) => line.push(Token::Punct, "[]"),
    }
}

/// The string as written plain when YAML reads it back as the same string, else quoted.
fn quoted_if_needed(s: &str) -> String {
    if needs_quotes(s) {
        serde_json::to_string(s).unwrap_or_else(|_| format!("{s:?}"))
    } else {
        s.to_string()
    }
}

fn needs_quotes(s: &str) -> bool {
    const SPECIAL_FIRST: &[char] = &[
        '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@',
        '`', ' ',
    ];
    const WORDS: &[&str] = &[
        "true", "false", "null", "~", "yes", "no", "on", "off", "y", "n",
    ];
    let Some(first) = s.chars().next() else {
        return true;
    };
    SPECIAL_FIRST.contains(&first)
        || s.ends_with(' ')
        || s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':')
        || s.chars().any(|c| c.is_control())
        || WORDS.iter().any(|w| w.eq_ignore_ascii_case(s))
        || looks_numeric(s)
        || looks_like_a_date(s)
}

/// YAML 1.1 reads `2026-11-23` and `2026-11-23T01:47:21Z` as timestamps; kubectl quotes them.
fn looks_like_a_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
}

/// What YAML 1.1 or 1.2 could read as a number: digits, signs, a point, an exponent, hex,
/// octal, `.inf`, `.nan`, or a sexagesimal `1:30`.
fn looks_numeric(s: &str) -> bool {
    let t = s.trim_start_matches(['+', '-']);
    if t.eq_ignore_ascii_case(".inf") || t.eq_ignore_ascii_case(".nan") {
        return true;
    }
    if let Some(hex) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0o")) {
        return !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit() || c == '_');
    }
    t.chars().any(|c| c.is_ascii_digit())
        && t.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-' | '_' | ':'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn yaml(v: Value) -> String {
        text(&lines(&v))
    }

    #[test]
    fn writes_an_object_as_kubectl_lays_it_out() {
        let pod = json!({
            "apiVersion": "v1",
            "metadata": {"name": "p", "labels": {"app": "x"}, "annotations": {}},
            "spec": {"containers": [{"name": "c", "ports": [{"containerPort": 8080}]}],
                     "tolerations": []},
            "status": {"ready": true, "startTime": null},
        });
        assert_eq!(
            yaml(pod),
            // Keys sorted, as kubectl writes them.
            "apiVersion: v1\n\
             metadata:\n  annotations: {}\n  labels:\n    app: x\n  name: p\n\
             spec:\n  containers:\n  - name: c\n    ports:\n    - containerPort: 8080\n  tolerations: []\n\
             status:\n  ready: true\n  startTime: null\n"
        );
    }

    #[test]
    fn quotes_strings_that_yaml_would_read_as_something_else() {
        let v = json!({"a": "true", "b": "8080", "c": "", "d": "x: y", "e": "line\nnext",
                       "f": "- item", "g": "25%", "h": "1.5", "i": "registry/img:1.2", "j": "No",
                       "k": "2026-11-23T01:47:21Z"});
        let text = yaml(v);
        assert_eq!(
            text,
            "a: \"true\"\nb: \"8080\"\nc: \"\"\nd: \"x: y\"\ne: \"line\\nnext\"\nf: \"- item\"\n\
             g: 25%\nh: \"1.5\"\ni: registry/img:1.2\nj: \"No\"\nk: \"2026-11-23T01:47:21Z\"\n"
        );
    }

    #[test]
    fn each_piece_carries_its_token() {
        let l = lines(&json!({"a_replicas": 3, "b_image": "x", "c_list": ["a"]}));
        assert_eq!(
            l[0].parts,
            [
                (Token::Key, "a_replicas".to_string()),
                (Token::Punct, ": ".into()),
                (Token::Number, "3".into())
            ]
        );
        assert_eq!(l[1].parts[2], (Token::Str, "x".into()));
        assert_eq!(
            l[3].parts,
            [(Token::Punct, "- ".into()), (Token::Str, "a".into())]
        );
        assert_eq!(comment("hi").parts, [(Token::Comment, "# hi".into())]);
    }

    #[test]
    fn a_list_of_lists_nests_under_the_dash() {
        assert_eq!(yaml(json!({"m": [[1, 2], []]})), "m:\n- - 1\n  - 2\n- []\n");
    }
}
