//! The help's section for the team's own actions (`[[actions]]` in the config), panel by
//! panel: key, name, what runs where, and how it is confirmed.

use ratatui::text::{Line, Span};

use super::look::Look;
use crate::config::{Role, TeamAction, TeamPanel, TeamRisk};
use crate::ui::text::clean;

/// The key column's width, as the rest of the help has it.
const KEYS_WIDTH: usize = 20;

pub fn lines(actions: &[TeamAction], look: Look, width: usize) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for panel in [
        TeamPanel::Pods,
        TeamPanel::Services,
        TeamPanel::Alerts,
        TeamPanel::Databases,
        TeamPanel::Backups,
    ] {
        let on: Vec<&TeamAction> = actions.iter().filter(|a| a.panel == panel).collect();
        if on.is_empty() {
            continue;
        }
        out.push(Line::default());
        out.push(Line::from(Span::styled(
            format!(
                "The team's actions on the {} panel ([[actions]])",
                panel.word()
            ),
            look.style(Role::Header),
        )));
        for a in on {
            let head = vec![Span::styled(
                format!("  {:<width$}", a.key.to_string(), width = KEYS_WIDTH - 3) + " ",
                look.style(Role::Accent),
            )];
            out.extend(super::wrap::hanging(
                head,
                KEYS_WIDTH,
                &clean(&describe(a)),
                look.style(Role::Text),
                width,
            ));
        }
    }
    out
}

/// `Ping Redis: redis-cli ping in the pod (namespace=data, name=redis-*); risk low, read-only ok`
fn describe(a: &TeamAction) -> String {
    let place = if a.in_pod {
        match a.panel {
            TeamPanel::Services => "in a ready pod",
            _ => "in the pod",
        }
    } else {
        "on this machine"
    };
    let matches = if a.matches.is_empty() {
        String::new()
    } else {
        let m: Vec<String> = a.matches.iter().map(|(k, v)| format!("{k}={v}")).collect();
        format!(" ({})", m.join(", "))
    };
    let risk = match a.risk {
        TeamRisk::Low => "risk low",
        TeamRisk::Medium => "risk medium",
        TeamRisk::High => "risk high, type the name",
    };
    let readonly = if a.readonly_ok { ", read-only ok" } else { "" };
    format!(
        "{}: `{}` {place}{matches}; {risk}{readonly}",
        a.name,
        a.words.display()
    )
}
