//! `opsdeck snapshot`: render one panel headless, as plain text or with ANSI colours, once every
//! source has reported (or the wait is over).

use std::fmt::Write as _;
use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use tokio::sync::mpsc;

use crate::app::msg::Msg;
use crate::app::{State, prepare_frame, update};
use crate::cli::SnapshotArgs;
use crate::domain::SourceReport;

/// Applies reports until every registered source has been heard from, or `wait` has passed.
/// How long the sources must be quiet before the snapshot is taken.
const SETTLE: Duration = Duration::from_millis(50);

pub async fn wait_for_first_data(
    state: &mut State,
    reports: &mut mpsc::Receiver<SourceReport>,
    wait: Duration,
) {
    let deadline = tokio::time::Instant::now() + wait;
    while state
        .estate
        .sources
        .values()
        .any(|f| f.last_ok.is_none() && f.unreachable.is_none())
    {
        match tokio::time::timeout_at(deadline, reports.recv()).await {
            Ok(Some(report)) => {
                update(state, Msg::Report(report));
            }
            Ok(None) | Err(_) => break,
        }
    }
    // A source's first data can span several reports (a cluster's pods, then its workloads):
    // take what follows until the sources fall quiet.
    while let Ok(Some(report)) = tokio::time::timeout_at(
        deadline.min(tokio::time::Instant::now() + SETTLE),
        reports.recv(),
    )
    .await
    {
        update(state, Msg::Report(report));
    }
}

/// Draws the state into a buffer of the state's size.
pub fn render(state: &mut State) -> Buffer {
    prepare_frame(state);
    let (w, h) = state.size;
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("the test backend cannot fail");
    terminal
        .draw(|frame| crate::ui::view(frame, state))
        .expect("the test backend cannot fail");
    terminal.backend().buffer().clone()
}

/// Applies what the snapshot options ask of the state: panel, filter, details.
pub fn apply_args(state: &mut State, args: &SnapshotArgs) {
    state.panel = args.panel;
    if let Some(filter) = &args.filter {
        let tables = &mut state.tables;
        for f in [
            &mut tables.pods.filter,
            &mut tables.services.filter,
            &mut tables.alerts.filter,
            &mut tables.sessions.filter,
            &mut tables.backups.filter,
        ] {
            filter.clone_into(f);
        }
    }
    state.details = args.details;
}

/// The buffer as plain text, one line per row, trailing blanks trimmed.
pub fn to_text(buffer: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..buffer.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let symbol = buffer[(x, y)].symbol();
            line.push_str(symbol);
            skip = unicode_width::UnicodeWidthStr::width(symbol).saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn sgr_color(color: Color, foreground: bool) -> Option<String> {
    let base = if foreground { 30 } else { 40 };
    Some(match color {
        Color::Reset => return None,
        Color::Black => format!("{base}"),
        Color::Red => format!("{}", base + 1),
        Color::Green => format!("{}", base + 2),
        Color::Yellow => format!("{}", base + 3),
        Color::Blue => format!("{}", base + 4),
        Color::Magenta => format!("{}", base + 5),
        Color::Cyan => format!("{}", base + 6),
        Color::Gray => format!("{}", base + 7),
        Color::DarkGray => format!("{}", base + 60),
        Color::LightRed => format!("{}", base + 61),
        Color::LightGreen => format!("{}", base + 62),
        Color::LightYellow => format!("{}", base + 63),
        Color::LightBlue => format!("{}", base + 64),
        Color::LightMagenta => format!("{}", base + 65),
        Color::LightCyan => format!("{}", base + 66),
        Color::White => format!("{}", base + 67),
        Color::Indexed(i) => format!("{};5;{i}", base + 8),
        Color::Rgb(r, g, b) => format!("{};2;{r};{g};{b}", base + 8),
    })
}

/// The buffer with SGR colour and style sequences, reset at the end of every line.
pub fn to_ansi(buffer: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let mut current: Option<(Color, Color, Modifier)> = None;
        let mut skip = 0;
        for x in 0..buffer.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let cell = &buffer[(x, y)];
            let style = (cell.fg, cell.bg, cell.modifier);
            if current != Some(style) {
                let mut codes = vec!["0".to_string()];
                codes.extend(sgr_color(cell.fg, true));
                codes.extend(sgr_color(cell.bg, false));
                for (m, code) in [
                    (Modifier::BOLD, "1"),
                    (Modifier::DIM, "2"),
                    (Modifier::ITALIC, "3"),
                    (Modifier::UNDERLINED, "4"),
                    (Modifier::REVERSED, "7"),
                ] {
                    if cell.modifier.contains(m) {
                        codes.push(code.into());
                    }
                }
                let _ = write!(out, "\x1b[{}m", codes.join(";"));
                current = Some(style);
            }
            out.push_str(cell.symbol());
            skip = unicode_width::UnicodeWidthStr::width(cell.symbol()).saturating_sub(1);
        }
        out.push_str("\x1b[0m\n");
    }
    out
}
