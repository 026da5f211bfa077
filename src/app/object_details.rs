//! The details pane's fetched part: while the details of a pod or a workload are open, that
//! object is fetched once (GET, as `kubectl describe` does) and described below what its row
//! says. Another row selected, another fetch; an answer for a row no longer selected is
//! dropped. The rows themselves stay small (see `domain::describe`).

use super::msg::Effect;
use super::panel::Panel;
use super::state::State;
use crate::domain::describe::{Description, describe};
use crate::domain::kube_object::ObjectRef;

#[derive(Debug, Clone, PartialEq)]
pub struct DetailsFetch {
    pub object: ObjectRef,
    /// What the row said when it was fetched: a change (another restart, a rollout step)
    /// fetches it again, so that the last state shown is the last one.
    pub row: String,
    pub seq: u64,
    /// `None` while fetching; the description, or why it could not be fetched.
    pub answer: Option<Result<Description, String>>,
}

/// After every message: when the open details show a pod or a workload other than the one
/// fetched, fetch it.
pub fn follow_selection(state: &mut State) -> Option<Effect> {
    if !state.details || !matches!(state.panel, Panel::Pods | Panel::Services) {
        return None;
    }
    let object = super::yaml_pane::selected_object(state).ok()?;
    let row = row_of(state);
    if state
        .details_fetch
        .as_ref()
        .is_some_and(|f| f.object == object && f.row == row)
    {
        return None;
    }
    state.next_seq += 1;
    let seq = state.next_seq;
    state.details_fetch = Some(DetailsFetch {
        object: object.clone(),
        row,
        seq,
        // What was fetched for this object before stays shown until the new answer comes.
        answer: state
            .details_fetch
            .take()
            .filter(|f| f.object == object)
            .and_then(|f| f.answer),
    });
    Some(Effect::FetchObject { seq, object })
}

/// The fields of the selected row that the fetched part describes in more detail.
fn row_of(state: &State) -> String {
    match state.panel {
        Panel::Pods => state.selected_pod().map_or_else(String::new, |p| {
            format!(
                "{} {} {:?} {}",
                p.status, p.restarts, p.last_restart, p.ready_containers
            )
        }),
        _ => state.selected_workload().map_or_else(String::new, |w| {
            format!("{} {} {} {}", w.desired, w.ready, w.updated, w.revision)
        }),
    }
}

pub fn on_fetched(state: &mut State, seq: u64, result: &Result<serde_json::Value, String>) {
    let Some(fetch) = state.details_fetch.as_mut().filter(|f| f.seq == seq) else {
        return;
    };
    fetch.answer = Some(match result {
        Ok(value) => describe(value).ok_or_else(|| "nothing to describe in it".to_string()),
        Err(why) => Err(why.clone()),
    });
    state.dirty = true;
}

/// The fetched description of `object`, when that is what was fetched last.
pub fn for_object<'a>(state: &'a State, object: &ObjectRef) -> Option<&'a DetailsFetch> {
    state.details_fetch.as_ref().filter(|f| f.object == *object)
}
