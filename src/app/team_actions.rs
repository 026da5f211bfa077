//! The team's own actions (`[[actions]]`) in the cockpit: a key on its panel finds the entry,
//! the selected row gives the target and the placeholders' values, `match` says whether it
//! applies there; then the same preflight, dialog, permission, lease and audit as a built-in
//! action (`app::actions`).

use std::collections::BTreeMap;

use super::msg::Effect;
use super::panel::Panel;
use super::state::State;
use crate::actions::preflight::preflight;
use crate::actions::team::{InPod, Place, argv};
use crate::actions::{Action, ActionKind, Risk, Target};
use crate::config::team_actions::glob;
use crate::config::{KeyChord, TeamAction, TeamPanel, TeamRisk};
use crate::domain::Level;

/// The config's panel word for a panel, when team actions can be on it.
pub fn team_panel(panel: Panel) -> Option<TeamPanel> {
    Some(match panel {
        Panel::Pods => TeamPanel::Pods,
        Panel::Services => TeamPanel::Services,
        Panel::Databases => TeamPanel::Databases,
        Panel::Backups => TeamPanel::Backups,
        Panel::Alerts => TeamPanel::Alerts,
        _ => return None,
    })
}

/// The team actions on the shown panel, for the footer.
pub fn on_panel(state: &State) -> impl Iterator<Item = &TeamAction> {
    let panel = team_panel(state.panel);
    state
        .settings
        .team_actions
        .iter()
        .filter(move |a| Some(a.panel) == panel)
}

/// A key no built-in command took: a team action's, if one of the shown panel has it.
pub(super) fn on_key(state: &mut State, chord: KeyChord) -> Option<Vec<Effect>> {
    let entry = on_panel(state).find(|a| a.key == chord)?.clone();
    Some(begin(state, &entry))
}

/// What the selected row gives a team action.
struct Row {
    target: Target,
    context: String,
    values: BTreeMap<String, String>,
    /// The pod an `exec` runs in: the row's, or a ready one of the workload's.
    pod: Option<(String, String, Option<String>)>,
}

fn begin(state: &mut State, entry: &TeamAction) -> Vec<Effect> {
    let name = crate::ui::text::clean(&entry.name).into_owned();
    if state.settings.present {
        state.notify(format!("Presenter mode: {name} refused"), Level::Warn, 6);
        return Vec::new();
    }
    if state.settings.readonly && !entry.readonly_ok {
        state.notify(
            format!("Read-only cockpit: {name} refused (its readonly_ok is not set)"),
            Level::Warn,
            6,
        );
        return Vec::new();
    }
    super::update::sync_current(state);
    let Some(row) = row(state, entry) else {
        state.notify(format!("{name}: select a row first"), Level::Warn, 4);
        return Vec::new();
    };
    if let Some(why) = not_matching(entry, &row.values) {
        state.notify(format!("{name}: {why}"), Level::Warn, 5);
        return Vec::new();
    }
    let place = match (entry.in_pod, &row.pod) {
        (false, _) => Place::Local,
        (true, Some((namespace, pod, container))) => Place::Pod(Box::new(InPod {
            namespace: namespace.clone(),
            pod: pod.clone(),
            container: container.clone(),
        })),
        (true, None) => {
            state.notify(format!("{name}: no ready pod to run it in"), Level::Warn, 5);
            return Vec::new();
        }
    };
    let argv = match argv(&entry.words, &row.values) {
        Ok(argv) => argv,
        Err(e) => {
            let e = crate::ui::text::clean(&e).into_owned();
            state.notify(format!("{name}: {e}"), Level::Warn, 5);
            return Vec::new();
        }
    };
    let action = Action {
        kind: ActionKind::Team {
            name: entry.name.clone(),
            place,
            argv,
            risk: match entry.risk {
                TeamRisk::Low => Risk::Low,
                TeamRisk::Medium => Risk::Medium,
                TeamRisk::High => Risk::High,
            },
            readonly_ok: entry.readonly_ok,
        },
        target: row.target,
        context: row.context,
    };
    let running = state.running.keys().cloned().collect();
    let preview = preflight(
        &action,
        &state.estate,
        state.now,
        state.settings.readonly,
        &running,
    );
    if let Err(refusal) = &preview {
        let title = crate::ui::text::clean(&action.title()).into_owned();
        state.notify(format!("{title}: {refusal}"), Level::Warn, 8);
        return Vec::new();
    }
    super::actions::show_dialog(state, action, Vec::new(), preview)
}

/// Why the row is not one the entry's `match` takes, if it is not.
fn not_matching(entry: &TeamAction, values: &BTreeMap<String, String>) -> Option<String> {
    let misses = entry
        .matches
        .iter()
        .any(|(field, pattern)| !values.get(field).is_some_and(|v| glob(pattern, v)));
    misses.then(|| {
        let wanted: Vec<String> = entry
            .matches
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        format!("applies where {}; not to this row", wanted.join(", "))
    })
}

fn row(state: &State, entry: &TeamAction) -> Option<Row> {
    let estate = &state.estate;
    let mut values = BTreeMap::new();
    let mut put = |k: &str, v: &str| {
        values.insert(k.to_string(), v.to_string());
    };
    let context = super::fleet::selected_context(state).unwrap_or_else(|| state.context.clone());
    put("context", &context);
    let (target, pod) = match entry.panel {
        TeamPanel::Pods => {
            let p = state.selected_pod()?;
            let container = p.containers.first().map(|c| c.to_string());
            put("namespace", &p.key.namespace);
            put("pod", &p.key.name);
            put("name", &p.key.name);
            put("node", &p.node);
            if let Some(ip) = p.ip {
                put("pod_ip", &ip.to_string());
            }
            if let Some(c) = &container {
                put("container", c);
            }
            if let Some((_, workload)) = p.owner.as_deref().and_then(|o| o.split_once('/')) {
                put("workload", workload);
            }
            (
                Target::Pod {
                    namespace: p.key.namespace.to_string(),
                    name: p.key.name.to_string(),
                },
                Some((
                    p.key.namespace.to_string(),
                    p.key.name.to_string(),
                    container,
                )),
            )
        }
        TeamPanel::Services => {
            let w = state.selected_workload()?;
            put("namespace", &w.namespace);
            put("workload", &w.name);
            put("name", &w.name);
            put("kind", w.kind.api_kind());
            // One of its ready pods, the first by name, so the same one is chosen each time.
            let owner = w.owner_ref();
            let ready = estate
                .pods
                .iter()
                .filter(|p| {
                    p.key.context == w.context
                        && *p.key.namespace == *w.namespace
                        && p.owner.as_deref() == Some(owner.as_str())
                        && &*p.status == "Running"
                        && p.ready_containers == p.total_containers
                })
                .min_by(|a, b| a.key.name.cmp(&b.key.name));
            let pod = ready.map(|p| {
                let container = p.containers.first().map(|c| c.to_string());
                put("pod", &p.key.name);
                put("node", &p.node);
                if let Some(ip) = p.ip {
                    put("pod_ip", &ip.to_string());
                }
                if let Some(c) = &container {
                    put("container", c);
                }
                (
                    p.key.namespace.to_string(),
                    p.key.name.to_string(),
                    container,
                )
            });
            (
                Target::Workload {
                    namespace: w.namespace.clone(),
                    kind: w.kind.into(),
                    name: w.name.clone(),
                },
                pod,
            )
        }
        TeamPanel::Databases => {
            let rows = super::rows::SessionRows {
                estate,
                now: state.now,
            };
            let (instance, session) = rows.session(state.tables.sessions.selected_index()?);
            put("context", &instance.name);
            put("instance", &instance.name);
            put("name", &instance.name);
            put("pid", &session.pid.to_string());
            put("user", &session.user);
            put("database", &session.database);
            put("application", &session.application);
            (
                Target::PgBackend {
                    instance: instance.name.clone(),
                    pid: session.pid,
                },
                None,
            )
        }
        TeamPanel::Backups => {
            let set = state.selected_backup_set()?;
            put("name", &set.name);
            put("set", &set.name);
            (
                Target::BackupSet {
                    name: set.name.clone(),
                },
                None,
            )
        }
        TeamPanel::Alerts => {
            let a = super::rows::selected_alert(state)?.alert;
            // Its labels first, so that the alert's own fields win over a label of that name.
            for (k, v) in &a.labels {
                put(k, v);
            }
            put("context", &a.source);
            put("name", &a.name);
            put("alertname", &a.name);
            put("source", &a.source);
            put("fingerprint", &a.fingerprint);
            (
                Target::Alert {
                    source: a.source.clone(),
                    fingerprint: a.fingerprint.clone(),
                    name: a.name.clone(),
                },
                None,
            )
        }
    };
    let context = values.get("context").cloned().unwrap_or_default();
    Some(Row {
        target,
        context,
        values,
        pod,
    })
}
