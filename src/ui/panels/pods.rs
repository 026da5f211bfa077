//! The Pods panel: every pod with readiness, status, restarts and age; details with events.

use crate::domain::kube_object::{ObjectKind, ObjectRef};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Cell;

use super::{field, heading};
use crate::app::State;
use crate::app::rows::POD_COLUMNS;
use crate::config::Role;
use crate::domain::kube_access::{EVENTS, METRICS, NOT_PERMITTED};
use crate::domain::time::{format_age, format_bytes};
use crate::domain::{Level, Pod};
use crate::ui::look::Look;
use crate::ui::table::{self, Column, TableProps, fixed, grow};
use crate::ui::text::{clean, fit_middle};

const COLUMNS: [Column; 9] = [
    fixed(10, 0), // NAMESPACE
    grow(24, 0),  // NAME: up to the longest, then the room stays at the right
    fixed(5, 1),  // READY
    fixed(20, 0), // STATUS
    fixed(8, 2),  // RESTARTS
    fixed(5, 1),  // AGE
    fixed(10, 3), // NODE
    fixed(6, 4),  // CPU
    fixed(8, 4),  // MEMORY
];

/// CPU and memory, `n/a` when the cluster has no metrics, "not permitted" when this user may
/// not read them.
fn usage(pod: &Pod, denied: bool) -> (String, String) {
    if denied {
        return (NOT_PERMITTED.into(), NOT_PERMITTED.into());
    }
    (
        pod.cpu_millis.map_or("n/a".into(), |m| format!("{m}m")),
        pod.memory_bytes.map_or("n/a".into(), format_bytes),
    )
}

fn cells(
    look: Look,
    pod: &Pod,
    now: crate::domain::UnixTime,
    name_width: u16,
    metrics_denied: bool,
) -> Vec<Cell<'static>> {
    let (cpu, memory) = usage(pod, metrics_denied);
    let muted = |text: String| match metrics_denied {
        true => Cell::from(Span::styled(text, look.style(Role::Muted))),
        false => Cell::from(text),
    };
    let restarts_level = pod.restarts_level(now);
    let restarts = match pod.last_restart {
        Some(t) if pod.restarts > 0 => format!("{} ({})", pod.restarts, format_age(t.age_at(now))),
        _ => pod.restarts.to_string(),
    };
    vec![
        Cell::from(clean(&pod.key.namespace).into_owned()),
        Cell::from(fit_middle(
            &clean(&pod.key.name),
            name_width as usize,
            look.sym.ellipsis,
        )),
        Cell::from(format!("{}/{}", pod.ready_containers, pod.total_containers)),
        Cell::from(look.marked(pod.level(), &clean(&pod.status))),
        Cell::from(Span::styled(
            restarts,
            if restarts_level == Level::Ok {
                look.style(Role::Text)
            } else {
                look.level_style(restarts_level)
            },
        )),
        Cell::from(format_age(pod.created.age_at(now))),
        Cell::from(clean(&pod.node).into_owned()),
        muted(cpu),
        muted(memory),
    ]
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, look: Look) {
    let pods = &state.estate.pods;
    let mut columns = COLUMNS;
    // Pod names are DNS labels (ASCII): their length in bytes is their width.
    columns[1] = columns[1].widest(pods.iter().map(|p| p.key.name.len()).max().unwrap_or(0));
    let metrics_denied = state.estate.kube_access.denies(METRICS);
    if metrics_denied {
        // Said where the figures would be, whole.
        columns[7] = fixed(NOT_PERMITTED.len() as u16, 4);
        columns[8] = fixed(NOT_PERMITTED.len() as u16, 4);
    }
    let context_of = |i: usize| pods.get_index(i).map(|p| &*p.key.context);
    let props = TableProps {
        lead: crate::ui::context_column::lead(state, look, &context_of),
        title: "Pods",
        headers: POD_COLUMNS,
        columns: &columns,
        view: &state.tables.pods,
        total: pods.len(),
        focused: state.help.is_none(),
    };
    table::draw(frame, area, look, props, |i, widths| {
        pods.get_index(i).map_or_else(Vec::new, |p| {
            cells(look, p, state.now, widths[1], metrics_denied)
        })
    });
    // While the first list goes on, how far it has come, on the bottom border at the left.
    if let Some(progress) = state.estate.pods_listing
        && area.height >= 3
    {
        let text = format!(" {} ", listing_line(progress));
        let width = (text.len() as u16).min(area.width.saturating_sub(4));
        let line = Rect {
            x: area.x + 2,
            y: area.y + area.height - 1,
            width,
            height: 1,
        };
        let text = ratatui::widgets::Paragraph::new(Span::styled(text, look.style(Role::Accent)));
        frame.render_widget(text, line);
    }
}

/// `listing pods: 3,500 of ~10,000` (the estimate is the server's, hence the tilde).
pub fn listing_line(progress: crate::domain::ListProgress) -> String {
    match progress.estimate {
        Some(estimate) => format!(
            "listing pods: {} of ~{}",
            grouped(progress.listed),
            grouped(estimate)
        ),
        None => format!("listing pods: {}", grouped(progress.listed)),
    }
}

/// 10000 as `10,000`.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(d);
    }
    out
}

pub fn details(state: &State, look: Look) -> Vec<Line<'static>> {
    let Some(pod) = state.selected_pod() else {
        return vec![Line::from("No pod selected.")];
    };
    let now = state.now;
    let mut lines = vec![
        Line::from(vec![
            Span::styled(
                format!("{}/{}  ", clean(&pod.key.namespace), clean(&pod.key.name)),
                look.style(Role::Title),
            ),
            look.marked(pod.level(), &clean(&pod.status)),
        ]),
        field(
            look,
            "Ready",
            format!("{}/{}", pod.ready_containers, pod.total_containers),
        ),
        field(
            look,
            "Restarts",
            match pod.last_restart {
                Some(t) => format!("{} (last {} ago)", pod.restarts, format_age(t.age_at(now))),
                None => pod.restarts.to_string(),
            },
        ),
        field(
            look,
            "Node",
            if pod.node.is_empty() {
                "(not scheduled)".to_string()
            } else {
                clean(&pod.node).into_owned()
            },
        ),
        field(
            look,
            "IP",
            pod.ip.map_or("(none yet)".to_string(), |ip| ip.to_string()),
        ),
        field(look, "Age", format_age(pod.created.age_at(now))),
    ];
    // Why the container last died: `OOMKilled (limit 512Mi)` names the limit it hit.
    if let Some(why) = &pod.last_terminated {
        let level = if why.starts_with("OOMKilled") {
            Level::Crit
        } else {
            Level::Warn
        };
        lines.insert(
            3,
            Line::from(vec![
                Span::styled(format!("{:<13}", "Terminated"), look.style(Role::Muted)),
                look.marked(level, &clean(why)),
            ]),
        );
    }
    // A Pending pod: the scheduler's last word on it, from the events' store.
    lines.extend(super::events::scheduling_failure(state, look, pod));
    lines.extend([
        field(
            look,
            "Owner",
            pod.owner
                .as_deref()
                .map_or("-".to_string(), |o| clean(o).into_owned()),
        ),
        field(look, "Image", clean(&pod.image).into_owned()),
        field(
            look,
            "CPU / memory",
            match state.estate.kube_access.denies(METRICS) {
                true => format!("{NOT_PERMITTED} (metrics.k8s.io)"),
                false => {
                    let (cpu, memory) = usage(pod, false);
                    format!("{cpu} / {memory}")
                }
            },
        ),
    ]);
    // Containers, conditions, QoS, labels, annotations: from the pod fetched for the details.
    let object = ObjectRef::new(ObjectKind::Pod, &pod.key.namespace, &pod.key.name)
        .in_cluster(&pod.key.context);
    lines.extend(crate::ui::describe::lines(state, look, &object));
    lines.push(Line::default());
    lines.push(heading(look, "Events"));
    let events =
        state
            .estate
            .events
            .about(&pod.key.context, "Pod", &pod.key.namespace, &pod.key.name);
    if state.estate.kube_access.denies(EVENTS) {
        lines.push(Line::from(Span::styled(
            format!("{NOT_PERMITTED}: this user may not list events."),
            look.style(Role::Muted),
        )));
    } else if events.is_empty() {
        lines.push(Line::from(Span::styled(
            "No recent events.",
            look.style(Role::Muted),
        )));
    }
    for e in events.into_iter().take(20) {
        let level = if e.warning { Level::Warn } else { Level::Ok };
        lines.push(Line::from(vec![
            Span::styled(
                format!("{:>5} ", format_age(e.last_seen.age_at(now))),
                look.style(Role::Muted),
            ),
            look.marked(level, &clean(&e.reason)),
            Span::styled(
                if e.count > 1 {
                    format!(" x{}", e.count)
                } else {
                    String::new()
                },
                look.style(Role::Muted),
            ),
            Span::raw(format!("  {}", clean(&e.message))),
        ]));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ListProgress;

    #[test]
    fn the_listing_line_groups_thousands_and_marks_the_estimate() {
        let line = |listed, estimate| listing_line(ListProgress { listed, estimate });
        assert_eq!(line(3500, Some(10_000)), "listing pods: 3,500 of ~10,000");
        assert_eq!(line(500, Some(100_000)), "listing pods: 500 of ~100,000");
        assert_eq!(line(1_234_567, None), "listing pods: 1,234,567");
    }
}
