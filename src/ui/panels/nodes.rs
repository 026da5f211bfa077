//! The Nodes panel: each node's status (as `kubectl get nodes` says it), roles, pods against
//! capacity, CPU and memory used against allocatable as gauges, pressure conditions, taints,
//! age and kubelet version; details with conditions, taints, capacity and allocatable.

use std::collections::HashMap;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Cell;

use super::instances::gauge;
use super::{field, heading};
use crate::app::State;
use crate::app::rows::{NODE_COLUMNS, NodeRows, node_in_trouble};
use crate::config::Role;
use crate::domain::kube_access::{NODES, NOT_PERMITTED};
use crate::domain::time::{format_age, format_bytes};
use crate::domain::{Estate, Level, Node, NodeResources, UnixTime};
use crate::ui::look::Look;
use crate::ui::table::{self, Column, TableProps, fixed, grow};
use crate::ui::text::clean;

const COLUMNS: [Column; 10] = [
    grow(12, 0),  // NAME
    fixed(20, 0), // STATUS: a mark and `SchedulingDisabled`
    grow(6, 3),   // ROLES
    fixed(7, 1),  // PODS
    fixed(11, 1), // CPU
    fixed(11, 2), // MEM
    grow(16, 2),  // CONDITIONS
    fixed(6, 4),  // TAINTS
    fixed(5, 3),  // AGE
    fixed(8, 4),  // VERSION
];

/// Used past this share of allocatable, a gauge warns; past the second it is critical.
const WARN_RATIO: f64 = 0.8;
const CRIT_RATIO: f64 = 0.95;

fn ratio_level(ratio: f64) -> Level {
    if ratio >= CRIT_RATIO {
        Level::Crit
    } else if ratio >= WARN_RATIO {
        Level::Warn
    } else {
        Level::Ok
    }
}

fn status(look: Look, node: &Node) -> Span<'static> {
    // A node under pressure warns here too: narrow, the CONDITIONS column is the first to go.
    let text = node.status_word();
    match (node.ready, node_in_trouble(node)) {
        (false, _) => look.marked(Level::Crit, text),
        (true, true) => look.marked(Level::Warn, text),
        (true, false) => Span::raw(text.to_string()),
    }
}

fn usage_cell(look: Look, ratio: Option<f64>) -> Cell<'static> {
    match ratio {
        Some(r) => Cell::from(Line::from(gauge(look, r, ratio_level(r), 4))),
        None => Cell::from(Span::styled("n/a", look.style(Role::Muted))),
    }
}

fn cells(
    look: Look,
    estate: &Estate,
    node: &Node,
    pods_on: &HashMap<(&str, &str), u32>,
    now: UnixTime,
) -> Vec<Cell<'static>> {
    let used = NodeRows::used(estate, node);
    let pods = pods_on
        .get(&(&*node.context, node.name.as_str()))
        .copied()
        .unwrap_or(0);
    let conditions = if node.problems.is_empty() {
        Span::raw("")
    } else {
        look.marked(Level::Warn, &clean(&node.problems.join(",")))
    };
    vec![
        Cell::from(clean(&node.name).into_owned()),
        Cell::from(status(look, node)),
        Cell::from(clean(&node.roles_text()).into_owned()),
        Cell::from(format!("{pods}/{}", node.capacity.pods)),
        usage_cell(look, used.map(|u| u.0)),
        usage_cell(look, used.map(|u| u.1)),
        Cell::from(conditions),
        Cell::from(node.taints.len().to_string()),
        Cell::from(format_age(node.created.age_at(now))),
        Cell::from(clean(&node.kubelet).into_owned()),
    ]
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, look: Look) {
    let nodes = &state.estate.nodes;
    let pods_on = crate::app::rows::pods_on(&state.estate);
    let mut columns = COLUMNS;
    let widest = nodes.iter().map(|n| clean(&n.name).chars().count()).max();
    columns[0] = columns[0].widest(widest.unwrap_or(0));
    let roles = nodes.iter().map(|n| n.roles_text().chars().count()).max();
    columns[2] = columns[2].widest(roles.unwrap_or(0));
    let problems = nodes
        .iter()
        .map(|n| n.problems.join(",").chars().count() + 2);
    columns[6] = columns[6].widest(problems.max().unwrap_or(0));
    let context_of = |i: usize| nodes.get(i).map(|n| &*n.context);
    let props = TableProps {
        lead: crate::ui::context_column::lead(state, look, &context_of),
        title: "Nodes",
        headers: NODE_COLUMNS,
        columns: &columns,
        view: &state.tables.nodes,
        total: nodes.len(),
        focused: state.help.is_none(),
    };
    table::draw(frame, area, look, props, |i, _| {
        nodes.get(i).map_or_else(Vec::new, |n| {
            cells(look, &state.estate, n, &pods_on, state.now)
        })
    });
    // Refused, the panel would be an empty table: it says why, where the rows would be.
    if state.estate.kube_access.denies(NODES) && nodes.is_empty() && area.height > 3 {
        let body = Rect {
            x: area.x + 1,
            y: area.y + 2,
            width: area.width.saturating_sub(2),
            height: 1,
        };
        let text = format!(" {NOT_PERMITTED}: this user may not list and watch nodes");
        frame.render_widget(
            ratatui::widgets::Paragraph::new(Span::styled(text, look.style(Role::Muted))),
            body,
        );
    }
}

fn cores(millis: u64) -> String {
    format!("{:.1}", millis as f64 / 1000.0)
}

fn resources_line(look: Look, label: &str, r: NodeResources) -> Line<'static> {
    field(
        look,
        label,
        format!(
            "cpu {}  memory {}  pods {}",
            cores(r.cpu_millis),
            format_bytes(r.memory_bytes),
            r.pods
        ),
    )
}

pub fn details(state: &State, look: Look) -> Vec<Line<'static>> {
    let Some(node) = state.selected_node() else {
        return vec![Line::from("No node selected.")];
    };
    let level = match (node.ready, node_in_trouble(node)) {
        (false, _) => Level::Crit,
        (true, true) => Level::Warn,
        (true, false) => Level::Ok,
    };
    let mut lines = vec![
        Line::from(vec![
            Span::styled(format!("{}  ", clean(&node.name)), look.style(Role::Title)),
            look.marked(level, &node.status()),
        ]),
        field(look, "Roles", clean(&node.roles_text()).into_owned()),
        field(look, "Kubelet", clean(&node.kubelet).into_owned()),
        field(look, "Age", format_age(node.created.age_at(state.now))),
    ];
    let pods = crate::app::rows::pods_on(&state.estate)
        .get(&(&*node.context, node.name.as_str()))
        .copied()
        .unwrap_or(0);
    lines.push(field(
        look,
        "Pods",
        format!("{pods} of {}", node.capacity.pods),
    ));
    match state
        .estate
        .node_usage
        .get(&(node.context.clone(), node.name.clone()))
    {
        Some(&(cpu, mem)) => {
            let a = node.allocatable;
            lines.push(field(
                look,
                "Used",
                format!(
                    "cpu {}/{}  memory {}/{}",
                    cores(u64::from(cpu)),
                    cores(a.cpu_millis),
                    format_bytes(mem),
                    format_bytes(a.memory_bytes)
                ),
            ));
        }
        None => lines.push(field(look, "Used", "n/a (no node metrics yet)")),
    }
    lines.push(resources_line(look, "Capacity", node.capacity));
    lines.push(resources_line(look, "Allocatable", node.allocatable));
    lines.push(heading(look, "Conditions"));
    if node.ready {
        lines.push(field(look, "", "Ready"));
    } else {
        lines.push(Line::from(look.marked(Level::Crit, "not Ready")));
    }
    for problem in &node.problems {
        lines.push(Line::from(look.marked(Level::Warn, &clean(problem))));
    }
    if node.ready && node.problems.is_empty() {
        lines.push(field(look, "", "no pressure"));
    }
    lines.push(heading(look, "Taints"));
    if node.taints.is_empty() {
        lines.push(field(look, "", "none"));
    }
    for taint in &node.taints {
        lines.push(field(look, "", clean(taint).into_owned()));
    }
    lines
}
