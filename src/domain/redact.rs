//! The one place where secrets are taken out of URLs. A URL from the config or in an error
//! message (reqwest's name the URL they failed on) can carry a password in its userinfo
//! (`http://user:pw@host`) or a token in its query (`?access_token=...`). Everything opsdeck
//! shows or writes passes through [`urls`]: reports into the estate, the screen's URL fields,
//! checklist reports, the log file and the audit.

use std::borrow::Cow;

/// What a secret is replaced with.
pub const MASK: &str = "***";

/// Query (and fragment) parameters whose values are secrets, compared without case and with
/// `-` read as `_`.
const SECRET_PARAMS: &[&str] = &[
    "token",
    "access_token",
    "refresh_token",
    "id_token",
    "auth",
    "auth_token",
    "apikey",
    "api_key",
    "key",
    "password",
    "passwd",
    "pass",
    "pwd",
    "secret",
    "client_secret",
    "sig",
    "signature",
    "x_amz_signature",
    "x_amz_credential",
    "x_amz_security_token",
];

/// `text` with every URL in it redacted: its userinfo becomes `***` and the values of secret
/// query or fragment parameters become `***`. Text without a secret comes back borrowed.
pub fn urls(text: &str) -> Cow<'_, str> {
    if !text.contains("://") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut changed = false;
    while let Some(at) = rest.find("://") {
        // The scheme: letters, digits, `+`, `-`, `.` right before `://`.
        let scheme_start = rest[..at]
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
            .map_or(0, |i| i + 1);
        let after = at + 3;
        let end = rest[after..]
            .find(ends_url)
            .map_or(rest.len(), |i| after + i);
        out.push_str(&rest[..scheme_start]);
        let url = &rest[scheme_start..end];
        let cleaned = if scheme_start < at {
            one_url(url, at - scheme_start)
        } else {
            Cow::Borrowed(url)
        };
        changed |= matches!(cleaned, Cow::Owned(_));
        out.push_str(&cleaned);
        rest = &rest[end..];
    }
    out.push_str(rest);
    if changed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(text)
    }
}

/// Where a URL ends inside running text: whitespace, quotes, angle brackets, a closing
/// parenthesis (reqwest writes `for url (http://...)`) or a backtick (Markdown).
fn ends_url(c: char) -> bool {
    c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | ')' | '`')
}

/// One URL whose `://` is at `sep`.
fn one_url(url: &str, sep: usize) -> Cow<'_, str> {
    let authority_start = sep + 3;
    let authority_end = url[authority_start..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| authority_start + i);
    let mut out = String::with_capacity(url.len());
    let mut changed = false;
    out.push_str(&url[..authority_start]);
    match url[authority_start..authority_end].rfind('@') {
        Some(at) => {
            out.push_str(MASK);
            out.push_str(&url[authority_start + at..authority_end]);
            changed = true;
        }
        None => out.push_str(&url[authority_start..authority_end]),
    }
    // Path, then `?query`, then `#fragment`: the parameters of both are judged.
    let tail = &url[authority_end..];
    match tail.find(['?', '#']) {
        None => out.push_str(tail),
        Some(q) => {
            out.push_str(&tail[..=q]);
            changed |= mask_params(&tail[q + 1..], &mut out);
        }
    }
    if changed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(url)
    }
}

/// Appends `params` (`a=1&token=x#frag`) to `out` with secret values masked; true if any was.
fn mask_params(params: &str, out: &mut String) -> bool {
    let mut changed = false;
    for piece in params.split_inclusive(['&', ';', '#']) {
        let (param, separator) = match piece.char_indices().last() {
            Some((i, '&' | ';' | '#')) => (&piece[..i], &piece[i..]),
            _ => (piece, ""),
        };
        match param.split_once('=') {
            Some((name, value)) if is_secret(name) && !value.is_empty() => {
                out.push_str(name);
                out.push('=');
                out.push_str(MASK);
                changed = true;
            }
            _ => out.push_str(param),
        }
        out.push_str(separator);
    }
    changed
}

fn is_secret(name: &str) -> bool {
    let name = name.to_ascii_lowercase().replace('-', "_");
    SECRET_PARAMS.contains(&name.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn userinfo_is_masked_and_the_rest_kept() {
        assert_eq!(
            urls("http://user:s3cret@host:8080/health"),
            "http://***@host:8080/health"
        );
        assert_eq!(urls("redis://:pw@cache:6379/0"), "redis://***@cache:6379/0");
        assert_eq!(
            urls("https://ghp_token123@github.com/x"),
            "https://***@github.com/x"
        );
        // An `@` in the path is not userinfo.
        assert_eq!(urls("http://host/a@b"), "http://host/a@b");
    }

    #[test]
    fn secret_query_and_fragment_parameters_are_masked() {
        assert_eq!(
            urls("http://h/health?verbose=1&token=abc&Access-Token=x&apikey=k#access_token=t"),
            "http://h/health?verbose=1&token=***&Access-Token=***&apikey=***#access_token=***"
        );
        assert_eq!(
            urls("http://h/p?tokens=1&q=token"),
            "http://h/p?tokens=1&q=token"
        );
    }

    #[test]
    fn urls_inside_running_text_are_found_and_the_text_kept() {
        let reqwest = "error sending request for url (http://u:pw@127.0.0.1:1/health?password=pw): \
                       client error (Connect)";
        assert_eq!(
            urls(reqwest),
            "error sending request for url (http://***@127.0.0.1:1/health?password=***): \
             client error (Connect)"
        );
        let json = r#"{"url":"postgresql://app:pw@db/x","n":1} and "https://a:b@c""#;
        assert_eq!(
            urls(json),
            r#"{"url":"postgresql://***@db/x","n":1} and "https://***@c""#
        );
    }

    #[test]
    fn text_without_secrets_is_returned_as_it_was() {
        for text in [
            "no url here",
            "http://host:9093/api/v2/alerts?active=true",
            "://odd",
            "a://",
            "[http://[::1]:8080/x]",
        ] {
            assert!(matches!(urls(text), Cow::Borrowed(_)), "{text}");
            assert_eq!(urls(text), text);
        }
    }
}
