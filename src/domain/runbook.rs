//! Runbooks: the team's Markdown files, and finding the section an alert's `runbook` /
//! `runbook_url` annotation names — "Section 3.2 - Performance Issues", a heading's text, an
//! anchor (`file.md#redis-issues`), or a URL whose file and anchor match a local file.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// One runbook file, read at start.
#[derive(Debug, Clone, PartialEq)]
pub struct RunbookFile {
    /// As configured (after glob expansion), for the pane's title.
    pub path: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
struct Heading {
    level: u8,
    text: String,
    start: usize,
}

/// The section found: which file, which heading, and its Markdown (heading included, up to the
/// next heading of the same or a higher level).
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub path: String,
    pub heading: String,
    pub markdown: String,
}

/// Headings outside code blocks, with where they start.
fn headings(text: &str) -> Vec<Heading> {
    let mut out = Vec::new();
    let mut current: Option<Heading> = None;
    for (event, range) in Parser::new(text).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                current = Some(Heading {
                    level: level as u8,
                    text: String::new(),
                    start: range.start,
                });
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = current.as_mut() {
                    h.text.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => out.extend(current.take()),
            _ => {}
        }
    }
    out
}

/// GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes.
pub fn slug(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// "3.2" from "3.2 Performance Issues" or "Section 3.2 - Performance Issues".
fn leading_number(text: &str) -> Option<&str> {
    let end = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let number = text[..end].trim_end_matches('.');
    (!number.is_empty() && number.starts_with(|c: char| c.is_ascii_digit())).then_some(number)
}

/// What a reference asks for.
#[derive(Debug, PartialEq)]
struct Wanted<'a> {
    /// Only files with this name.
    file: Option<&'a str>,
    anchor: Option<&'a str>,
    number: Option<&'a str>,
    /// Heading text, without "Section" and the number.
    words: String,
}

fn parse_reference(reference: &str) -> Wanted<'_> {
    let reference = reference.trim();
    // A URL: the file is the last path segment.
    let local = reference.split_once("://").map_or(reference, |(_, rest)| {
        rest.split_once('/').map_or("", |(_, p)| p)
    });
    if let Some((path, anchor)) = local.split_once('#') {
        let file = path.rsplit('/').next().filter(|f| !f.is_empty());
        return Wanted {
            file,
            anchor: Some(anchor),
            number: None,
            words: String::new(),
        };
    }
    if local.to_ascii_lowercase().ends_with(".md") {
        return Wanted {
            file: local.rsplit('/').next(),
            anchor: None,
            number: None,
            words: String::new(),
        };
    }
    if reference.contains("://") {
        return Wanted {
            file: Some(""),
            anchor: None,
            number: None,
            words: String::new(),
        };
    }
    let text = reference;
    let text = text
        .strip_prefix("Section ")
        .or_else(|| text.strip_prefix("section "))
        .unwrap_or(text);
    let number = leading_number(text);
    let words = number
        .map_or(text, |n| &text[n.len()..])
        .trim_start_matches(['.', ' ', '-', ':', '\u{2013}'])
        .trim()
        .to_lowercase();
    Wanted {
        file: None,
        anchor: None,
        number,
        words,
    }
}

fn basename(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// How well a heading answers a reference; 0 is not at all.
fn score(wanted: &Wanted, heading: &Heading) -> u8 {
    if let Some(anchor) = wanted.anchor {
        return if slug(&heading.text) == slug(anchor) {
            3
        } else {
            0
        };
    }
    let text = heading.text.trim().to_lowercase();
    let number_matches = wanted
        .number
        .is_some_and(|n| leading_number(&text) == Some(n));
    let words_match = !wanted.words.is_empty() && text.contains(&wanted.words);
    match (wanted.number.is_some(), number_matches, words_match) {
        (true, true, true) => 4,
        (true, true, false) => 2,
        (false, _, true) if text == wanted.words => 3,
        (_, _, true) => 1,
        _ => 0,
    }
}

/// The best-matching section across `files` (earlier files win ties), or `None`.
pub fn find_section(files: &[RunbookFile], reference: &str) -> Option<Section> {
    let wanted = parse_reference(reference);
    if wanted.file == Some("") {
        return None;
    }
    let mut best: Option<(u8, &RunbookFile, Vec<Heading>, usize)> = None;
    for file in files {
        if wanted
            .file
            .is_some_and(|f| !basename(&file.path).eq_ignore_ascii_case(f))
        {
            continue;
        }
        let all = headings(&file.text);
        if wanted.anchor.is_none() && wanted.number.is_none() && wanted.words.is_empty() {
            // The whole file was named.
            return Some(Section {
                path: file.path.clone(),
                heading: all.first().map_or_else(String::new, |h| h.text.clone()),
                markdown: file.text.clone(),
            });
        }
        for (i, heading) in all.iter().enumerate() {
            let s = score(&wanted, heading);
            if s > best.as_ref().map_or(0, |b| b.0) {
                best = Some((s, file, all.clone(), i));
            }
        }
    }
    let (_, file, all, i) = best?;
    let heading = &all[i];
    let end = all[i + 1..]
        .iter()
        .find(|h| h.level <= heading.level)
        .map_or(file.text.len(), |h| h.start);
    Some(Section {
        path: file.path.clone(),
        heading: heading.text.clone(),
        markdown: file.text[heading.start..end].trim_end().to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Vec<RunbookFile> {
        vec![
            RunbookFile {
                path: "/srv/runbooks/pos-backend.md".into(),
                text: "# POS\n\n## 3. Signals\n\n### 3.2 Example alerts\n\ntext\n\n## 4. Fixes\n".into(),
            },
            RunbookFile {
                path: "/srv/runbooks/agents.md".into(),
                text: "# Agents\n\n## 3. Incidents\n\n### 3.1 Service Unavailable (Critical)\n\none\n\n\
                       ### 3.2 Performance Issues (Warning/Critical)\n\nCheck p95.\n\n```bash\n\
                       # not a heading\nkubectl top pods\n```\n\n#### Database\n\nslow queries\n\n\
                       ### 3.3 Security\n\nthree\n\n## Redis Issues\n\nmemory\n"
                    .into(),
            },
        ]
    }

    #[test]
    fn a_numbered_section_reference_prefers_the_heading_with_its_words_too() {
        let s = find_section(&files(), "Section 3.2 - Performance Issues").unwrap();
        assert_eq!(s.path, "/srv/runbooks/agents.md");
        assert_eq!(s.heading, "3.2 Performance Issues (Warning/Critical)");
        // Up to the next heading of the same level: the subsection and the code block are in,
        // the code's comment is not taken for a heading.
        assert!(
            s.markdown.starts_with("### 3.2 Performance"),
            "{}",
            s.markdown
        );
        assert!(s.markdown.contains("# not a heading"));
        assert!(s.markdown.contains("slow queries"));
        assert!(!s.markdown.contains("3.3 Security"));
    }

    #[test]
    fn anchors_headings_and_urls_find_their_sections() {
        let f = files();
        let s = find_section(&f, "agents.md#redis-issues").unwrap();
        assert_eq!(
            (s.heading.as_str(), s.markdown.as_str()),
            ("Redis Issues", "## Redis Issues\n\nmemory")
        );
        let s = find_section(
            &f,
            "https://git.example/ops/runbooks/-/blob/main/agents.md#33-security",
        )
        .unwrap();
        assert_eq!(s.heading, "3.3 Security");
        let s = find_section(&f, "Redis Issues").unwrap();
        assert_eq!(s.heading, "Redis Issues");
        let s = find_section(&f, "pos-backend.md").unwrap();
        assert_eq!(s.heading, "POS");
        // A file that is not local, an anchor that does not exist, words that match nothing.
        assert_eq!(find_section(&f, "https://wiki.example/pages/42"), None);
        assert_eq!(find_section(&f, "agents.md#no-such-thing"), None);
        assert_eq!(find_section(&f, "Section 9.9 - Nothing"), None);
        assert_eq!(find_section(&f, "other.md#redis-issues"), None);
    }

    #[test]
    fn slugs_follow_github() {
        assert_eq!(
            slug("3.2 Performance Issues (Warning/Critical)"),
            "32-performance-issues-warningcritical"
        );
        assert_eq!(slug("Redis Issues"), "redis-issues");
    }
}
