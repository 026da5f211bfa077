//! A run: progress, the steps, the current step in full, the note being typed.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{badge, key};
use crate::app::State;
use crate::checklist::{Run, Status};
use crate::config::{Command, Mode, Role};
use crate::ui::look::Look;
use crate::ui::panels::field;
use crate::ui::text::{clean, filled_cells, fit};

/// The fewest rows the steps keep when the current step's details are long.
const MIN_STEPS_HEIGHT: u16 = 8;

/// `██████░░░░ 7/13 done  ✔ 6  ▲ 2  ✖ 2  - 1  … 2`
fn progress(look: Look, run: &Run, width: usize) -> Line<'static> {
    let (done, total) = run.progress();
    let bar = 20.min(width / 3).max(5);
    let filled = filled_cells(done as f64 / total.max(1) as f64, bar);
    let mut spans = vec![
        Span::styled(look.sym.gauge_full.repeat(filled), look.style(Role::Accent)),
        Span::styled(
            look.sym.gauge_empty.repeat(bar - filled),
            look.style(Role::GaugeEmpty),
        ),
        Span::raw(format!(" {done}/{total} done ")),
    ];
    for status in [
        Status::Pass,
        Status::Warn,
        Status::Fail,
        Status::Skip,
        Status::Pending,
    ] {
        let n = run.outcomes.iter().filter(|o| o.status == status).count();
        if n > 0 {
            let mut b = badge(look, status);
            b.content = format!(" {} {n}", b.content.split(' ').next().unwrap_or("")).into();
            spans.push(b);
        }
    }
    Line::from(spans)
}

pub(super) fn draw(frame: &mut Frame, area: Rect, state: &State, run: &Run, look: Look) {
    let note_height = if state.checklist.note.is_some() { 3 } else { 0 };
    let details = step_lines(run, look);
    let room = area.height.saturating_sub(note_height + MIN_STEPS_HEIGHT);
    let details_height = (details.len() as u16 + 2).min(room.max(area.height / 3));
    let [steps_area, details_area, note_area] = Layout::vertical([
        Constraint::Min(4),
        Constraint::Length(details_height),
        Constraint::Length(note_height),
    ])
    .areas(area);
    let width = steps_area.width.saturating_sub(2) as usize;
    let mut lines = vec![progress(look, run, width), Line::from("")];
    let rows = steps_area.height.saturating_sub(4) as usize;
    // Keep the current step in view.
    let first = run.current.saturating_sub(rows.saturating_sub(1));
    for (i, (step, outcome)) in run
        .checklist
        .steps
        .iter()
        .zip(&run.outcomes)
        .enumerate()
        .skip(first)
        .take(rows)
    {
        let current = i == run.current;
        let marker = if current { look.sym.selected } else { " " };
        let title = format!("{:>2}. {}", i + 1, clean(&step.title));
        let title_width = 46.min(width / 2);
        let title = fit(&title, title_width, look.sym.ellipsis);
        let evidence = outcome.evidence.first().cloned().unwrap_or_default();
        let used = 2 + 10 + title_width + 2;
        let mut spans = vec![
            Span::raw(format!("{marker} ")),
            badge(look, outcome.status),
            Span::styled(
                format!("{title:<w$}", w = title_width + 2),
                if current {
                    look.style(Role::Selection)
                } else {
                    look.style(Role::Text)
                },
            ),
            Span::styled(
                fit(&evidence, width.saturating_sub(used), look.sym.ellipsis),
                look.style(Role::Muted),
            ),
        ];
        if !run.notes[i].is_empty() {
            spans.push(Span::styled(
                format!(" {}", look.sym.note),
                look.style(Role::Accent),
            ));
        }
        lines.push(Line::from(spans));
    }
    let title = format!(" {} ", clean(&run.checklist.title));
    let block = look
        .block(true)
        .title(Span::styled(title, look.style(Role::Title)));
    frame.render_widget(Paragraph::new(lines).block(block), steps_area);
    let block = look
        .block(false)
        .title(Span::styled(
            format!(" Step {} ", run.current + 1),
            look.style(Role::Title),
        ))
        .title_bottom(Span::styled(
            format!(" {} ", step_keys(state, run)),
            look.style(Role::Accent),
        ));
    frame.render_widget(
        Paragraph::new(details)
            .block(block)
            .wrap(Wrap { trim: false }),
        details_area,
    );
    if let Some(input) = &state.checklist.note {
        let block = look.block(true).title(Span::styled(
            format!(
                " Note on step {} (Enter keeps, Esc drops) ",
                run.current + 1
            ),
            look.style(Role::Title),
        ));
        let inner = block.inner(note_area);
        frame.render_widget(block, note_area);
        frame.render_widget(input, inner);
    }
}

/// The current step in full: status, every line of evidence, hint, note, and its keys.
fn step_lines(run: &Run, look: Look) -> Vec<Line<'static>> {
    let i = run.current;
    let step = &run.checklist.steps[i];
    let outcome = &run.outcomes[i];
    let kind = step.check.as_ref().map_or("manual", |c| c.kind());
    let mut lines = vec![Line::from(vec![
        badge(look, outcome.status),
        Span::styled(clean(&step.title).into_owned(), look.style(Role::Header)),
        Span::styled(format!("  ({kind})"), look.style(Role::Muted)),
    ])];
    for line in &outcome.evidence {
        lines.push(Line::from(format!("  {line}")));
    }
    if let Some(hint) = &step.hint {
        lines.push(field(look, "Hint", clean(hint).into_owned()));
    }
    if !run.notes[i].is_empty() {
        lines.push(field(look, "Note", clean(&run.notes[i]).into_owned()));
    }
    lines
}

/// The keys that work on the current step.
fn step_keys(state: &State, run: &Run) -> String {
    let dot = crate::ui::symbols::Symbols::new(state.settings.ascii).dot;
    let step = &run.checklist.steps[run.current];
    let outcome = &run.outcomes[run.current];
    let keys = |c| key(state, Mode::Checklist, c);
    let mut help = if step.is_manual() {
        format!(
            "{} pass {dot} {} fail {dot} {} skip {dot} {} note",
            keys(Command::ChecklistPass),
            keys(Command::ChecklistFail),
            keys(Command::ChecklistSkip),
            keys(Command::ChecklistNote)
        )
    } else {
        format!("{} note", keys(Command::ChecklistNote))
    };
    if let Some(jump) = &outcome.jump {
        help.push_str(&format!(
            " {dot} {} show in {} ({})",
            keys(Command::ChecklistOpen),
            jump.panel.title(),
            clean(&jump.filter)
        ));
    }
    help.push_str(&format!(
        " {dot} {} next problem {dot} {} finish",
        keys(Command::ChecklistNextProblem),
        keys(Command::ChecklistFinish)
    ));
    help
}
