//! The Config panel: ConfigMaps and Secrets with their kind, a Secret's type, how many keys and
//! bytes, and the workloads whose pod templates read each (USED BY); the details list the keys
//! with their sizes and show the chosen key's value (a ConfigMap's; a Secret's never: only its
//! size is known to the cockpit).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Cell;

use super::{field, heading};
use crate::app::State;
use crate::app::rows::{CONFIG_COLUMNS, ConfigRows, used_by, used_by_text};
use crate::config::Role;
use crate::domain::time::{format_age, format_bytes};
use crate::domain::{ConfigKind, ConfigObject};
use crate::ui::look::Look;
use crate::ui::table::{self, Column, TableProps, fixed, grow};
use crate::ui::text::clean;

const COLUMNS: [Column; 8] = [
    grow(9, 2),  // NAMESPACE
    fixed(9, 1), // KIND
    grow(22, 0), // NAME: workspace-agent-config whole
    grow(6, 4),  // TYPE: a Secret's only, the first to go
    fixed(4, 2), // KEYS
    fixed(7, 2), // SIZE
    grow(10, 1), // USED BY
    fixed(5, 3), // AGE
];

fn cells(rows: &ConfigRows, i: usize, state: &State) -> Vec<Cell<'static>> {
    let c = rows.config(i);
    vec![
        Cell::from(clean(&c.namespace).into_owned()),
        Cell::from(c.kind.api_kind()),
        Cell::from(clean(&c.name).into_owned()),
        Cell::from(clean(c.secret_type.as_deref().unwrap_or("")).into_owned()),
        Cell::from(c.keys.len().to_string()),
        Cell::from(format_bytes(c.size() as u64)),
        Cell::from(clean(&used_by_text(rows.users(i))).into_owned()),
        Cell::from(format_age(c.created.age_at(state.now))),
    ]
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, look: Look) {
    let rows = ConfigRows::new(&state.estate);
    let configs = &state.estate.configs;
    let mut columns = COLUMNS;
    let widest = configs.iter().map(|c| clean(&c.name).chars().count()).max();
    columns[2] = columns[2].widest(widest.unwrap_or(0));
    let users = (0..configs.len()).map(|i| used_by_text(rows.users(i)).chars().count());
    columns[6] = columns[6].widest(users.max().unwrap_or(0));
    let types = configs
        .iter()
        .map(|c| c.secret_type.as_deref().map_or(0, |t| t.chars().count()));
    columns[3] = columns[3].widest(types.max().unwrap_or(0));
    let context_of = |i: usize| configs.get(i).map(|c| &*c.context);
    let props = TableProps {
        lead: crate::ui::context_column::lead(state, look, &context_of),
        title: "Config",
        headers: CONFIG_COLUMNS,
        columns: &columns,
        view: &state.tables.configs,
        total: configs.len(),
        focused: state.help.is_none(),
    };
    table::draw(frame, area, look, props, |i, _| {
        if i < configs.len() {
            cells(&rows, i, state)
        } else {
            Vec::new()
        }
    });
}

fn size_text(bytes: usize) -> String {
    if bytes == 1 {
        "1 byte".into()
    } else {
        format!("{bytes} bytes")
    }
}

pub fn details(state: &State, look: Look) -> Vec<Line<'static>> {
    let Some(config) = state.selected_config() else {
        return vec![Line::from("Nothing selected.")];
    };
    let mut head = vec![
        Span::styled(
            format!("{}/{}  ", clean(&config.namespace), clean(&config.name)),
            look.style(Role::Title),
        ),
        Span::raw(config.kind.api_kind()),
    ];
    if let Some(t) = &config.secret_type {
        head.push(Span::raw(format!(" ({})", clean(t))));
    }
    let mut lines = vec![
        Line::from(head),
        field(
            look,
            "Version",
            format!(
                "resourceVersion {}, made {} ago",
                clean(&config.resource_version),
                format_age(config.created.age_at(state.now))
            ),
        ),
    ];
    let users = used_by(&state.estate, config);
    lines.push(field(
        look,
        "Used by",
        if users.is_empty() {
            "no workload's pod template".to_string()
        } else {
            clean(
                &users
                    .iter()
                    .map(|w| format!("{}/{}", w.kind.resource(), w.name))
                    .collect::<Vec<_>>()
                    .join(", "),
            )
            .into_owned()
        },
    ));
    keys(state, look, config, &mut lines);
    lines
}

fn keys(state: &State, look: Look, config: &ConfigObject, lines: &mut Vec<Line<'static>>) {
    let chosen = state.selected_config_key().map(|k| k.name.clone());
    if config.kind == ConfigKind::ConfigMap
        && let Some(key) = state.selected_config_key()
    {
        lines.push(heading(
            look,
            &format!("Value of {} ({})", clean(&key.name), size_text(key.size)),
        ));
        match &key.value {
            Some(value) if value.is_empty() => lines.push(field(look, "", "(empty)")),
            Some(value) => {
                for line in value.lines() {
                    lines.push(Line::from(clean(line).into_owned()));
                }
            }
            None => lines.push(field(look, "", "(binary data: not shown)")),
        }
    }
    let hint = match config.kind {
        ConfigKind::ConfigMap => "  ([ ] choose, e edit)",
        ConfigKind::Secret => "  (values are never shown)",
    };
    lines.push(heading(
        look,
        &format!("Keys ({}){hint}", config.keys.len()),
    ));
    if config.keys.is_empty() {
        lines.push(field(look, "", "none"));
    }
    for key in &config.keys {
        let here = chosen.as_deref() == Some(key.name.as_str());
        let mark = if here && config.kind == ConfigKind::ConfigMap {
            "▸ "
        } else {
            "  "
        };
        lines.push(Line::from(vec![
            Span::raw(mark),
            Span::styled(clean(&key.name).into_owned(), look.style(Role::Title)),
            Span::styled(
                format!("  {}", size_text(key.size)),
                look.style(Role::Muted),
            ),
        ]));
    }
}
