//! The details pane's fetched part (`app::object_details`): a pod's containers (state, last
//! state with reason, exit code and when, restarts, image, requests and limits), conditions,
//! QoS class, labels and annotations; a workload's conditions and strategy. Until the object
//! arrives a line says it is being fetched; a refusal says so in its place.

use ratatui::text::{Line, Span};

use super::look::Look;
use super::panels::{field, heading};
use super::text::clean;
use crate::app::State;
use crate::app::object_details::for_object;
use crate::config::Role;
use crate::domain::describe::{
    Condition, ContainerInfo, ContainerState, DeploymentDescription, Description, PodDescription,
};
use crate::domain::kube_object::ObjectRef;
use crate::domain::time::format_age;
use crate::domain::{Level, UnixTime};

/// The lines for `object`'s fetched part; none when nothing was asked (a snapshot, no cluster).
pub fn lines(state: &State, look: Look, object: &ObjectRef) -> Vec<Line<'static>> {
    let Some(fetch) = for_object(state, object) else {
        return Vec::new();
    };
    let mut out = vec![Line::default()];
    match &fetch.answer {
        None => out.push(Line::from(Span::styled(
            format!("fetching {}…", clean(object.kind.resource())),
            look.style(Role::Muted),
        ))),
        Some(Err(why)) => out.push(Line::from(look.marked(Level::Warn, &clean(why)))),
        Some(Ok(Description::Pod(pod))) => out.extend(pod_lines(state.now, look, pod)),
        Some(Ok(Description::Deployment(d))) => out.extend(workload_lines(look, d)),
    }
    out
}

/// `OOMKilled, exit 137, 4m ago` (what `kubectl describe` spreads over four lines).
fn state_text(s: &ContainerState, now: UnixTime) -> String {
    let mut parts = vec![s.state.clone()];
    if let Some(reason) = &s.reason {
        parts[0] = format!("{}: {}", s.state, clean(reason));
    }
    if let Some(code) = s.exit_code {
        parts.push(format!("exit {code}"));
    }
    if let Some(at) = s.at {
        let word = if s.state == "Running" { "since" } else { "" };
        let ago = format!("{} ago", format_age(at.age_at(now)));
        parts.push(if word.is_empty() {
            ago
        } else {
            format!("{word} {ago}")
        });
    }
    parts.join(", ")
}

fn state_level(s: &ContainerState, ready: bool) -> Level {
    match s.state.as_str() {
        "Running" if ready => Level::Ok,
        "Running" => Level::Warn,
        "Terminated" if s.exit_code == Some(0) => Level::Ok,
        _ => Level::Crit,
    }
}

fn container_lines(c: &ContainerInfo, now: UnixTime, look: Look) -> Vec<Line<'static>> {
    let mut head = vec![Span::styled(
        format!("  {}  ", clean(&c.name)),
        look.style(Role::Title),
    )];
    match &c.state {
        Some(s) => head.push(look.marked(state_level(s, c.ready), &state_text(s, now))),
        None => head.push(Span::styled("no status yet", look.style(Role::Muted))),
    }
    let restarts = match c.restarts {
        1 => "1 restart".to_string(),
        n => format!("{n} restarts"),
    };
    head.push(Span::styled(
        format!("  {restarts}"),
        look.style(Role::Muted),
    ));
    let mut lines = vec![Line::from(head)];
    let sub = |label: &str, value: String| field(look, &format!("    {label}"), value);
    if let Some(last) = &c.last_state {
        lines.push(Line::from(vec![
            Span::styled(format!("{:<13}", "    last"), look.style(Role::Muted)),
            look.marked(state_level(last, false), &state_text(last, now)),
        ]));
    }
    lines.push(sub("image", clean(&c.image).into_owned()));
    let none = |s: &str| {
        if s.is_empty() {
            "-".to_string()
        } else {
            clean(s).into_owned()
        }
    };
    lines.push(sub("requests", none(&c.requests)));
    lines.push(sub("limits", none(&c.limits)));
    lines
}

fn condition_lines(look: Look, conditions: &[Condition]) -> Vec<Line<'static>> {
    let mut lines = vec![heading(look, "Conditions")];
    for c in conditions {
        let level = if c.status == "True" {
            Level::Ok
        } else {
            Level::Warn
        };
        let mut spans = vec![
            Span::raw("  "),
            look.marked(level, &format!("{} {}", clean(&c.kind), clean(&c.status))),
        ];
        let why: Vec<String> = [&c.reason, &c.message]
            .into_iter()
            .flatten()
            .map(|s| clean(s).into_owned())
            .collect();
        if !why.is_empty() {
            spans.push(Span::styled(
                format!("  {}", why.join(": ")),
                look.style(Role::Muted),
            ));
        }
        lines.push(Line::from(spans));
    }
    if conditions.is_empty() {
        lines.push(Line::from(Span::styled("  none", look.style(Role::Muted))));
    }
    lines
}

fn pairs_line(look: Look, label: &str, pairs: &[(String, String)]) -> Line<'static> {
    let text = if pairs.is_empty() {
        "-".to_string()
    } else {
        pairs
            .iter()
            .map(|(k, v)| format!("{}={}", clean(k), clean(v)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    field(look, label, text)
}

fn pod_lines(now: UnixTime, look: Look, pod: &PodDescription) -> Vec<Line<'static>> {
    let mut lines = vec![heading(look, "Containers")];
    for c in &pod.containers {
        lines.extend(container_lines(c, now, look));
    }
    lines.extend(condition_lines(look, &pod.conditions));
    lines.push(field(
        look,
        "QoS class",
        pod.qos_class
            .as_deref()
            .map_or("-".to_string(), |q| clean(q).into_owned()),
    ));
    lines.push(pairs_line(look, "Labels", &pod.labels));
    lines.push(pairs_line(look, "Annotations", &pod.annotations));
    lines
}

fn workload_lines(look: Look, d: &DeploymentDescription) -> Vec<Line<'static>> {
    let mut lines = vec![field(
        look,
        "Strategy",
        d.strategy
            .as_deref()
            .map_or("-".to_string(), |s| clean(s).into_owned()),
    )];
    lines.extend(condition_lines(look, &d.conditions));
    lines
}
