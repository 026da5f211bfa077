//! Layout at every size: what a screen keeps when it is small (values before words), where the
//! room goes when it is large (to what was cut), and that overlays leave nothing beside them.

mod common;

use common::*;
use crossterm::event::KeyCode;
use opsdeck::app::{Msg, Panel, State, update};
use opsdeck::domain::{Report, SourceId, SourceKind, SourceReport};
use opsdeck::snapshot::{render, to_text};

fn screen(state: &mut State) -> String {
    to_text(&render(state))
}

/// The texts between borders on every row: each tile's line, trimmed.
fn segments(text: &str) -> Vec<String> {
    text.lines()
        .flat_map(|line| line.split('│').map(|s| s.trim().to_string()))
        .filter(|s| !s.is_empty())
        .collect()
}

fn segment<'a>(all: &'a [String], start: &str) -> &'a str {
    all.iter()
        .find(|s| s.starts_with(start))
        .unwrap_or_else(|| panic!("no line starts with {start:?} in {all:#?}"))
}

/// `2m`, `38m`, `26h`: an age as the tiles write it.
fn is_age(word: &str) -> bool {
    let digits = word.trim_end_matches(['s', 'm', 'h', 'd']);
    digits.len() < word.len() && !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
}

/// At 80x24 a tile line gives up words, a bar or the end of a name, never its figure: the
/// connections' percentage, an alert's age, a backup's age against its RPO, a source's state.
#[test]
fn the_overview_at_80x24_keeps_every_value() {
    let mut state = demo_state((80, 24));
    state.panel = Panel::Overview;
    let text = screen(&mut state);
    let all = segments(&text);
    for name in ["positivity-db", "workflow-db", "cache mem"] {
        let line = segment(&all, name);
        assert!(line.ends_with('%'), "{name}'s percentage is cut: {line:?}");
    }
    let long = segment(&all, "▲ PostgresLongRunning");
    let age = long.rsplit(' ').next().unwrap();
    assert!(is_age(age), "the alert's age is cut: {long:?}");
    for (set, rpo) in [
        ("✖ positivity", "/24h"),
        ("✔ workflow", "/60m"),
        ("▲ weaviate", "/12h"),
    ] {
        let line = segment(&all, set);
        assert!(line.ends_with(rpo), "{set}'s RPO is cut: {line:?}");
    }
    for line in all.iter().filter(|s| s.starts_with("pg ")) {
        assert!(
            line.ends_with("● live"),
            "the source's state is cut: {line:?}"
        );
    }
}

/// A check that is down is said apart from the count of those up (`16 up  ✖ 1 down`), not run
/// into it (`16 up✖  1 down`), and its number survives a narrow tile.
#[test]
fn a_down_health_check_reads_apart_from_those_up() {
    let mut state = demo_state((80, 24));
    state.panel = Panel::Overview;
    let mut checks: Vec<_> = state.estate.health.values().cloned().collect();
    checks.sort_by(|a, b| a.service.cmp(&b.service));
    let down = checks
        .iter_mut()
        .find(|c| c.service.ends_with("validation-service"))
        .expect("the demo checks validation-service");
    down.up = false;
    let at = state.now;
    update(
        &mut state,
        Msg::Report(SourceReport {
            source: SourceId::new(SourceKind::Health, "demo"),
            at,
            report: Report::Health(checks),
        }),
    );
    let text = screen(&mut state);
    let all = segments(&text);
    let line = segment(&all, "health ");
    assert!(line.contains(" up  ✖ 1 down"), "{line:?}");
}

/// At 80 columns the status bar shows every kind of source's mark and the clock with its zone.
#[test]
fn the_status_bar_at_80_columns_keeps_the_marks_and_the_zone() {
    for panel in [Panel::Overview, Panel::Pods] {
        let mut state = demo_state((80, 24));
        state.panel = panel;
        let text = screen(&mut state);
        let bar = text.lines().last().unwrap();
        assert!(
            bar.contains("backups●"),
            "the last source's mark is cut: {bar:?}"
        );
        let clock = format!("{} UTC", state.now.clock_utc());
        assert!(bar.contains(&clock), "the clock's zone is cut: {bar:?}");
        assert!(bar.contains(" demo "), "the context stays whole: {bar:?}");
    }
}

/// The Services panel's row of the demo's pdf-recognizer and its image.
fn pdf_recognizer(state: &State, text: &str) -> (String, String) {
    let image = state
        .estate
        .workloads
        .iter()
        .find(|w| w.name == "pdf-recognizer")
        .unwrap()
        .image
        .clone();
    let row = text
        .lines()
        .find(|l| l.contains(" pdf-recognizer "))
        .unwrap()
        .to_string();
    (row, image)
}

/// At 200 columns the room goes to the image, which shows whole, and NAME is no wider than
/// its longest name (and the header's gap).
#[test]
fn services_at_200_columns_give_the_room_to_the_image_not_the_name() {
    let mut state = demo_state((200, 60));
    state.panel = Panel::Services;
    let text = screen(&mut state);
    let (row, image) = pdf_recognizer(&state, &text);
    assert!(row.contains(&image), "the image is cut: {row:?}");
    let header = text.lines().find(|l| l.contains("NAMESPACE")).unwrap();
    let name_width = header.find("KIND").unwrap() - header.find("NAME ").unwrap();
    let longest = state
        .estate
        .workloads
        .iter()
        .map(|w| w.name.len())
        .max()
        .unwrap();
    assert!(
        name_width <= longest + 1,
        "NAME is {name_width} wide for names of at most {longest}: {header:?}"
    );
}

/// Narrower, the image is cut from its start: its tag always shows. (At 120 columns IMAGE is
/// the first column to go; from 124 it shows.)
#[test]
fn services_at_130_columns_cut_the_image_from_its_start() {
    let mut state = demo_state((130, 40));
    state.panel = Panel::Services;
    let text = screen(&mut state);
    let (row, image) = pdf_recognizer(&state, &text);
    let tag = &image[image.rfind(':').unwrap()..];
    assert!(
        row.contains(&format!("recognizer{tag} ")) && row.contains('…'),
        "the image's tag {tag} is not shown, cut from the start: {row:?}"
    );
}

/// At 200x60 the Overview uses its room: the Pods tile names the crash-looping pod, and the
/// lower tiles are no taller than their lines.
#[test]
fn the_overview_at_200x60_names_what_is_in_trouble() {
    let mut state = demo_state((200, 60));
    state.panel = Panel::Overview;
    let text = screen(&mut state);
    // The Pods tile's lines: its name, and the reason on the same line or indented below.
    let pods: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split('│').nth(1))
        .map(str::trim)
        .collect();
    let at = pods
        .iter()
        .position(|l| l.starts_with("✖ workflow/pdf-recognizer-"))
        .unwrap_or_else(|| panic!("the crash-looping pod is not named:\n{text}"));
    let item = format!("{} {}", pods[at], pods[at + 1]);
    assert!(
        item.contains("CrashLoopBackOff") && item.contains("14 restarts"),
        "{item:?}"
    );
    let empty_rows = text
        .lines()
        .filter(|l| {
            let inner: Vec<&str> = l.split('│').collect();
            inner.len() > 2 && inner.iter().all(|s| s.trim().is_empty())
        })
        .count();
    assert!(
        empty_rows < 40,
        "{empty_rows} of 58 rows are empty in every tile:\n{text}"
    );
}

/// Whether the rows an overlay covers hold nothing but the overlay: the columns left and right
/// of `x..x + width` are blank.
fn only_the_overlay(text: &str, top: usize, rows: usize, x: usize, width: usize) {
    for line in text.lines().skip(top).take(rows) {
        let chars: Vec<char> = line.chars().collect();
        let beside: String = chars[..x].iter().chain(&chars[x + width..]).collect();
        assert!(
            beside.trim().is_empty(),
            "the panel shows beside the overlay: {line:?}\n{text}"
        );
    }
}

/// The box of the overlay whose top border starts with `title`: its first row, rows, column
/// and width.
fn overlay_box(text: &str, title: &str) -> (usize, usize, usize, usize) {
    let top = text
        .lines()
        .position(|l| l.contains(title))
        .unwrap_or_else(|| panic!("no {title:?} in\n{text}"));
    let first = text.lines().nth(top).unwrap();
    let x = first[..first.find(title).unwrap()].chars().count();
    let width = first.chars().skip(x).position(|c| c == '╮').unwrap() + 1;
    let rows = text
        .lines()
        .skip(top)
        .position(|l| l.chars().nth(x) == Some('╰'))
        .unwrap()
        + 1;
    (top, rows, x, width)
}

#[test]
fn overlays_clear_the_rows_beneath_them() {
    // The help over the Overview at 80x24.
    let mut state = demo_state((80, 24));
    state.panel = Panel::Overview;
    update(&mut state, ch('?'));
    let text = screen(&mut state);
    let (top, rows, x, width) = overlay_box(&text, "╭ Help");
    only_the_overlay(&text, top, rows, x, width);

    // A dialog over the Services table.
    let mut state = demo_state((80, 24));
    state.panel = Panel::Services;
    update(&mut state, key(KeyCode::Down));
    update(&mut state, ch('s'));
    let text = screen(&mut state);
    let (top, rows, x, width) = overlay_box(&text, "╭ Scale");
    only_the_overlay(&text, top, rows, x, width);
}

/// With only a cluster configured, the tiles of the sources that are not configured say so: an
/// empty Alerts tile drawn "✔ ok" read as "no alerts" to a new user.
#[test]
fn tiles_of_sources_not_configured_say_so_instead_of_ok() {
    let mut state = demo_state((120, 40));
    state
        .estate
        .sources
        .retain(|id, _| id.kind == SourceKind::Kubernetes);
    state.panel = Panel::Overview;
    let text = screen(&mut state);
    for title in ["Alerts", "Databases", "Backups"] {
        let line = text
            .lines()
            .find(|l| l.contains(&format!(" {title} ")))
            .unwrap_or_else(|| panic!("no {title} tile in\n{text}"));
        assert!(!line.contains(&format!(" {title} ✔ ok")), "{line}\n{text}");
    }
    assert_eq!(text.matches("not configured").count(), 3, "{text}");
    // The cluster's own tile is judged as before.
    assert!(!text.contains(" Pods ? unknown"), "{text}");
}
