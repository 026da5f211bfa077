//! Several clusters watched at once (`[kubernetes] contexts`): which are shown (`:ctx`, the
//! picker: one, several or all) and what the tables need to know of them. With one cluster
//! none of this applies and `:ctx` switches the cluster instead.

use std::collections::BTreeSet;

use super::state::State;

/// Two or more clusters are watched at once.
pub fn is_fleet(state: &State) -> bool {
    state.settings.watched.len() > 1
}

/// The clusters shown: all watched unless `:ctx` chose some.
pub fn shown(state: &State) -> Vec<&str> {
    state
        .settings
        .watched
        .iter()
        .map(String::as_str)
        .filter(|c| state.view.contexts.as_ref().is_none_or(|s| s.contains(*c)))
        .collect()
}

/// The cluster of the row selected on a Kubernetes panel.
pub fn selected_context(state: &State) -> Option<String> {
    use super::panel::Panel;
    let context: &str = match state.panel {
        Panel::Pods => &state.selected_pod()?.key.context,
        Panel::Services => &state.selected_workload()?.context,
        Panel::Nodes => &state.selected_node()?.context,
        Panel::Jobs => state.selected_job_row()?.context(),
        Panel::Config => &state.selected_config()?.context,
        Panel::Events => &state.selected_event()?.context,
        _ => return None,
    };
    Some(context.to_string())
}

/// What the status bar names: the context, or with several clusters watched `3 clusters`
/// (those shown, by name, when `:ctx` chose some).
pub fn status_name(state: &State) -> String {
    if !is_fleet(state) {
        return state.context.clone();
    }
    match &state.view.contexts {
        None => format!("{} clusters", state.settings.watched.len()),
        Some(shown) => shown.iter().cloned().collect::<Vec<_>>().join(","),
    }
}

/// What the picker and Tab offer: `all`, then each watched context.
pub fn choices(state: &State) -> Vec<String> {
    std::iter::once("all".to_string())
        .chain(state.settings.watched.iter().cloned())
        .collect()
}

/// `:ctx all`, `:ctx prod-eu` or `:ctx prod-eu,staging`: shows those clusters' rows only; an
/// unknown name refuses the lot with the names watched.
pub fn choose(state: &mut State, words: &str) -> Result<(), String> {
    let chosen = parse(&state.settings.watched, words)?;
    let text = match &chosen {
        None => "showing every cluster".to_string(),
        Some(set) => format!(
            "showing {}",
            set.iter().cloned().collect::<Vec<_>>().join(", ")
        ),
    };
    super::view_filter::set_contexts(state, chosen);
    state.notify(text, crate::domain::Level::Ok, 3);
    Ok(())
}

fn parse(watched: &[String], words: &str) -> Result<Option<BTreeSet<String>>, String> {
    if words == "all" {
        return Ok(None);
    }
    let mut set = BTreeSet::new();
    for word in words.split(',').map(str::trim).filter(|w| !w.is_empty()) {
        if !watched.iter().any(|w| w == word) {
            return Err(format!(
                "`{word}` is not watched: all, or one or more (comma-separated) of {}",
                watched.join(", ")
            ));
        }
        set.insert(word.to_string());
    }
    if set.is_empty() {
        return Err("name a context, several (a,b) or all".into());
    }
    Ok((set.len() < watched.len()).then_some(set))
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn one_several_or_all_and_an_unknown_name_refuses_the_lot() {
        let watched = ["prod-eu", "prod-us", "staging"].map(String::from);
        assert_eq!(parse(&watched, "all"), Ok(None));
        let one = parse(&watched, "staging").unwrap().unwrap();
        assert_eq!(one.into_iter().collect::<Vec<_>>(), ["staging"]);
        let two = parse(&watched, "prod-us,prod-eu").unwrap().unwrap();
        assert_eq!(two.into_iter().collect::<Vec<_>>(), ["prod-eu", "prod-us"]);
        assert_eq!(
            parse(&watched, "prod-eu,prod-us,staging"),
            Ok(None),
            "every one is all"
        );
        let refused = parse(&watched, "prod-eu,dev").unwrap_err();
        assert!(refused.contains("`dev` is not watched"), "{refused}");
        assert!(refused.contains("prod-eu, prod-us, staging"), "{refused}");
    }
}
