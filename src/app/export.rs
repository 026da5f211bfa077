//! Taking a pane's lines out of the cockpit, the same way for the logs pane and the action
//! output pane: the lines on screen to the terminal's clipboard (OSC 52, capped), and the lines
//! kept to a file in the state directory's `logs/`, named by namespace, pod and time.

use std::path::PathBuf;

use super::msg::Effect;
use super::state::State;
use crate::domain::Level;

/// Most bytes copied at once: terminals cap what an OSC 52 sequence may carry.
const COPY_LIMIT: usize = 100_000;

/// Sends `text` to the terminal's clipboard, cut to `COPY_LIMIT`, and says how many lines went.
pub(super) fn copy(state: &mut State, mut text: String) -> Effect {
    let cut_short = text.len() > COPY_LIMIT;
    if cut_short {
        let mut cut = COPY_LIMIT;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
    }
    // The terminal is asked; whether it took them, it does not say. How it was asked is left
    // out where the status bar has no room for it (80 columns).
    let lines = text.lines().count();
    let how = match (cut_short, state.size.0 >= 100) {
        (true, true) => " (OSC 52, cut to 100 KB)",
        (true, false) => " (cut to 100 KB)",
        (false, true) => " (OSC 52)",
        (false, false) => "",
    };
    state.notify(
        format!("{lines} lines sent to the terminal's clipboard{how}"),
        Level::Ok,
        4,
    );
    Effect::Copy(text)
}

/// Writes `contents` to `logs/{namespace}_{who}{suffix}_{time}.log` in the state directory;
/// without one, says so and writes nothing.
pub(super) fn save(
    state: &mut State,
    namespace: &str,
    who: &str,
    suffix: &str,
    contents: String,
) -> Vec<Effect> {
    let Some(dir) = state.settings.state_dir.clone() else {
        state.notify("no state directory to save into", Level::Warn, 5);
        return Vec::new();
    };
    vec![Effect::WriteFile {
        path: path(dir, state, namespace, who, suffix),
        contents,
    }]
}

fn path(dir: PathBuf, state: &State, namespace: &str, who: &str, suffix: &str) -> PathBuf {
    let stamp = state.now.rfc3339().replace([':', '-'], "");
    dir.join("logs")
        .join(format!("{namespace}_{who}{suffix}_{stamp}.log"))
}
