//! Markdown made readable in a terminal pane: headings styled, lists with bullets or numbers,
//! code blocks indented as they are, links with their target. Every piece of text is cleaned of
//! terminal escapes first: a runbook is text from outside.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::look::Look;
use super::text::clean;
use crate::config::Role;

struct Writer<'a> {
    look: Look<'a>,
    out: Vec<Line<'static>>,
    spans: Vec<Span<'static>>,
    style: Vec<Style>,
    /// One entry per open list: the next number, or `None` for bullets.
    lists: Vec<Option<u64>>,
    quote: usize,
    in_code: bool,
    link: Option<String>,
}

impl Writer<'_> {
    fn current(&self) -> Style {
        self.style.last().copied().unwrap_or_default()
    }

    fn indent(&self) -> String {
        let quote = format!("{} ", self.look.sym.separator);
        "  ".repeat(self.lists.len()) + &quote.repeat(self.quote)
    }

    fn flush(&mut self) {
        if !self.spans.is_empty() {
            self.out.push(Line::from(std::mem::take(&mut self.spans)));
        }
    }

    fn blank(&mut self) {
        self.flush();
        if self.out.last().is_some_and(|l| !l.spans.is_empty()) {
            self.out.push(Line::default());
        }
    }

    fn text(&mut self, text: &str) {
        if self.in_code {
            let style = self.look.style(Role::Accent);
            for line in text.lines() {
                let indent = format!("{}    ", self.indent());
                self.out.push(Line::from(vec![
                    Span::raw(indent),
                    Span::styled(clean(line).into_owned(), style),
                ]));
            }
            return;
        }
        if self.spans.is_empty() {
            self.spans.push(Span::raw(self.indent()));
        }
        self.spans
            .push(Span::styled(clean(text).into_owned(), self.current()));
    }

    fn push_style(&mut self, add: Style) {
        let style = self.current().patch(add);
        self.style.push(style);
    }

    fn event(&mut self, event: Event<'_>) {
        let look = self.look;
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                self.blank();
                let role = if level <= HeadingLevel::H2 {
                    Role::Title
                } else {
                    Role::Header
                };
                self.push_style(look.style(role).add_modifier(Modifier::BOLD));
            }
            Event::End(TagEnd::Heading(_)) => {
                self.style.pop();
                self.flush();
                self.out.push(Line::default());
            }
            Event::Start(Tag::Paragraph) => {}
            Event::End(TagEnd::Paragraph) => {
                self.flush();
                if self.lists.is_empty() {
                    self.out.push(Line::default());
                }
            }
            Event::Start(Tag::List(start)) => {
                self.flush();
                self.lists.push(start);
            }
            Event::End(TagEnd::List(_)) => {
                self.flush();
                self.lists.pop();
                if self.lists.is_empty() {
                    self.out.push(Line::default());
                }
            }
            Event::Start(Tag::Item) => {
                self.flush();
                let depth = self.lists.len().saturating_sub(1);
                let marker = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        format!("{}. ", *n - 1)
                    }
                    _ => format!("{} ", look.sym.bullet),
                };
                self.spans.push(Span::raw("  ".repeat(depth)));
                self.spans
                    .push(Span::styled(marker, look.style(Role::Muted)));
            }
            Event::End(TagEnd::Item) => self.flush(),
            Event::Start(Tag::CodeBlock(kind)) => {
                self.flush();
                if let CodeBlockKind::Fenced(lang) = kind
                    && !lang.is_empty()
                {
                    let label = format!("{}    {}", self.indent(), clean(&lang));
                    self.out
                        .push(Line::from(Span::styled(label, look.style(Role::Muted))));
                }
                self.in_code = true;
            }
            Event::End(TagEnd::CodeBlock) => {
                self.in_code = false;
                self.out.push(Line::default());
            }
            Event::Start(Tag::BlockQuote(_)) => {
                self.flush();
                self.quote += 1;
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                self.flush();
                self.quote -= 1;
            }
            Event::Start(Tag::Emphasis) => {
                self.push_style(Style::new().add_modifier(Modifier::ITALIC))
            }
            Event::Start(Tag::Strong) => self.push_style(Style::new().add_modifier(Modifier::BOLD)),
            Event::End(TagEnd::Emphasis | TagEnd::Strong) => {
                self.style.pop();
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                self.link = Some(dest_url.into_string());
                self.push_style(look.style(Role::Accent));
            }
            Event::End(TagEnd::Link) => {
                self.style.pop();
                if let Some(url) = self.link.take() {
                    let shown = format!(" ({})", clean(&crate::domain::redact::urls(&url)));
                    self.spans
                        .push(Span::styled(shown, look.style(Role::Muted)));
                }
            }
            Event::Start(Tag::TableRow | Tag::TableHead) => self.flush(),
            Event::End(TagEnd::TableCell) => {
                let separator = format!(" {} ", look.sym.separator);
                self.spans
                    .push(Span::styled(separator, look.style(Role::Muted)));
            }
            Event::End(TagEnd::TableRow | TagEnd::TableHead) => self.flush(),
            Event::End(TagEnd::Table) => {
                self.flush();
                self.out.push(Line::default());
            }
            Event::Text(text) => self.text(&text),
            Event::Code(code) => {
                if self.spans.is_empty() {
                    self.spans.push(Span::raw(self.indent()));
                }
                let style = self.current().patch(look.style(Role::Accent));
                self.spans
                    .push(Span::styled(clean(&code).into_owned(), style));
            }
            Event::SoftBreak => self.text(" "),
            Event::HardBreak => self.flush(),
            Event::Rule => {
                self.flush();
                self.out.push(Line::from(Span::styled(
                    look.sym.rule.repeat(40),
                    look.style(Role::Muted),
                )));
            }
            Event::Html(html) | Event::InlineHtml(html) => self.text(&html),
            _ => {}
        }
    }
}

/// The Markdown as lines for a `Paragraph` that wraps.
pub fn lines(markdown: &str, look: Look<'_>) -> Vec<Line<'static>> {
    let mut writer = Writer {
        look,
        out: Vec::new(),
        spans: Vec::new(),
        style: vec![look.style(Role::Text)],
        lists: Vec::new(),
        quote: 0,
        in_code: false,
        link: None,
    };
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        writer.event(event);
    }
    writer.flush();
    while writer.out.last().is_some_and(|l| l.spans.is_empty()) {
        writer.out.pop();
    }
    writer.out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Theme;
    use crate::ui::symbols::Symbols;

    fn text(lines: &[Line]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    #[test]
    fn structure_is_kept_and_escapes_are_defused() {
        let theme = Theme::builtin("default").unwrap();
        let look = Look {
            theme: &theme,
            sym: Symbols::new(false),
        };
        let md = "## 3.2 Slow\n\nCheck *p95* and `redis`.\n\n1. first\n2. second\n   - nested\n\n\
                  ```bash\nkubectl top pods\n```\n\nEvil \u{1b}]52;c;ZXZpbA==\u{7} text\u{1b}[2J [docs](https://x.example/a)\n";
        let shown = text(&lines(md, look));
        assert_eq!(
            shown,
            [
                "3.2 Slow",
                "",
                "Check p95 and redis.",
                "",
                "1. first",
                "2. second",
                "  • nested",
                "",
                "    bash",
                "    kubectl top pods",
                "",
                "Evil ?]52;c;ZXZpbA==? text?[2J docs (https://x.example/a)",
            ]
        );
        assert!(
            shown
                .iter()
                .all(|l| !l.contains('\u{1b}') && !l.contains('\u{7}'))
        );
    }
}
