//! `update`: the one place where the state changes. Pure: no I/O, no clock, no terminal; every
//! behaviour is tested by feeding messages and looking at the state and the effects.

use ratatui_textarea::TextArea;

use super::msg::{Effect, Msg};
use super::pane::{Pane, PaneKind};
use super::panel::Panel;
pub use super::shown_table::sync_current;
pub(super) use super::shown_table::{apply_typed_filter, apply_view, set_filter};
use super::shown_table::{current_filter, navigate};
use super::state::State;
use crate::config::Command;
use crate::domain::estate::Applied;
use crate::domain::{Level, SourceKind};

pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    let mut effects = apply(state, msg);
    // However the logs pane went (Esc, another pane, a panel key), its stream closes with it.
    if let Some(stream) = super::logs::closed_stream(state) {
        effects.push(Effect::CloseLogs(stream));
    }
    // Whatever moved the selection (a key, a filter, a new pod), open details follow it.
    effects.extend(super::object_details::follow_selection(state));
    effects
}

fn apply(state: &mut State, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Tick(now) => {
            let new_second = now != state.now;
            if new_second {
                state.now = now;
                state.notices.retain(|n| n.until > now);
                state.estate.forget_resolved_alerts(now);
                // The clock shows seconds, so a new second is a visible change.
                state.dirty = true;
            }
            let mut effects: Vec<Effect> = super::logs::schedule_error_reads(state)
                .into_iter()
                .collect();
            if new_second {
                effects.extend(super::actions::ask_again_if_held(state));
            }
            effects
        }
        Msg::Resize(width, height) => {
            state.size = (width, height);
            state.dirty = true;
            Vec::new()
        }
        Msg::Report(report) => {
            // After a context switch, what the old cluster had already sent is not ours.
            if report.source.kind == SourceKind::Kubernetes
                && report.source.name != state.context
                && !state.settings.watched.contains(&report.source.name)
            {
                return Vec::new();
            }
            if state.estate.apply(report) == Applied::Data {
                state.dirty = true;
                super::actions::on_estate_changed(state);
            }
            Vec::new()
        }
        Msg::Paste(text) => {
            if let Some(editor) = state.update_editor.as_mut() {
                editor.insert_str(text);
                state.dirty = true;
            } else if let Some(note) = state.note_input.as_mut() {
                note.insert_str(text.replace(['\n', '\r'], " "));
                state.dirty = true;
            } else if let Some(note) = state.checklist.note.as_mut() {
                note.insert_str(text.replace(['\n', '\r'], " "));
                state.dirty = true;
            } else if let Some(line) = state.command_line.as_mut() {
                line.input.insert_str(text.replace(['\n', '\r'], " "));
                state.dirty = true;
            } else if let Some(input) = state.filter_input.as_mut() {
                input.insert_str(text.replace(['\n', '\r'], " "));
                apply_typed_filter(state);
            }
            Vec::new()
        }
        Msg::Key(key) => super::keys::on_key(state, key),
        Msg::Permission { seq, permission } => {
            super::actions::on_permission(state, seq, permission);
            Vec::new()
        }
        Msg::ActionProgress { seq, line } => {
            super::actions::on_progress(state, seq, line);
            Vec::new()
        }
        Msg::ActionTook { seq, millis } => {
            super::output::on_took(state, seq, millis);
            Vec::new()
        }
        Msg::ActionFinished { seq, result } => {
            super::actions::on_finished(state, seq, result);
            Vec::new()
        }
        Msg::LogLines {
            stream,
            source,
            lines,
        } => {
            super::logs::on_lines(state, stream, source, lines);
            Vec::new()
        }
        Msg::LogEnded {
            stream,
            source,
            error,
        } => {
            super::logs::on_ended(state, stream, source, error);
            Vec::new()
        }
        Msg::LogErrorsRead { scan, result } => {
            super::logs::on_errors_read(state, scan, result);
            Vec::new()
        }
        Msg::LogErrorsPassDone => {
            super::logs::on_errors_pass_done(state);
            Vec::new()
        }
        Msg::ProbeAnswered { .. } => {
            super::checklist::on_probe_answered(state, msg);
            Vec::new()
        }
        Msg::ReportWritten(result) => {
            super::checklist::on_report_written(state, result);
            Vec::new()
        }
        Msg::Room(room_update) => super::room::on_update(state, room_update),
        Msg::ObjectFetched { seq, result } => {
            super::yaml_pane::on_fetched(state, seq, &result);
            super::object_details::on_fetched(state, seq, &result);
            Vec::new()
        }
        Msg::ForwardOpened { seq, local } => {
            super::forwards::on_opened(state, seq, local);
            Vec::new()
        }
        Msg::ForwardStats {
            seq,
            sent,
            received,
            broken,
        } => {
            super::forwards::on_stats(state, seq, sent, received, broken);
            Vec::new()
        }
        Msg::FileWritten { path, result } => {
            match result {
                Ok(()) => state.notify(format!("saved to {}", path.display()), Level::Ok, 8),
                Err(e) => state.notify(
                    format!("cannot write {}: {e}", path.display()),
                    Level::Crit,
                    10,
                ),
            }
            Vec::new()
        }
    }
}

pub(super) fn run(state: &mut State, command: Command) -> Vec<Effect> {
    state.dirty = true;
    if state.help.is_some() {
        match command {
            Command::Up => state.help = state.help.map(|s| s.saturating_sub(1)),
            Command::Down => state.help = state.help.map(|s| s.saturating_add(1)),
            Command::CloseHelp | Command::Help => state.help = None,
            Command::Quit => return quit(state),
            Command::Repaint => return vec![Effect::Repaint],
            _ => {}
        }
        return Vec::new();
    }
    if state.pane.is_some() && command != Command::Help {
        match super::pane::on_command(state, command) {
            Some(effects) => return effects,
            // Any other command but help (which opens over it) closes the pane and goes ahead.
            None => state.pane = None,
        }
    }
    if state.panel == Panel::Checklist
        && let Some(effects) = super::checklist::on_command(state, command)
    {
        return effects;
    }
    match command {
        Command::Quit => return quit(state),
        Command::Help => state.help = Some(0),
        Command::CloseHelp => state.help = None,
        Command::Repaint => return vec![Effect::Repaint],
        // Which panel each shows is in its spec (`show`).
        Command::ShowOverview
        | Command::ShowPods
        | Command::ShowServices
        | Command::ShowAlerts
        | Command::ShowDatabases
        | Command::ShowBackups
        | Command::ShowChecklist
        | Command::ShowEvents
        | Command::ShowNodes
        | Command::ShowJobs
        | Command::ShowConfig => {
            if let Some(panel) = Panel::shown_by(command) {
                show(state, panel);
            }
        }
        Command::WarningsOnly => super::events::toggle_warnings(state),
        Command::NextPanel => show(state, state.panel.next()),
        Command::PrevPanel => show(state, state.panel.prev()),
        Command::Up | Command::Down if state.panel == Panel::Overview => {
            let rows = if command == Command::Up { -1 } else { 1 };
            super::drill::move_tile(state, 0, rows);
        }
        Command::Up
        | Command::Down
        | Command::PageUp
        | Command::PageDown
        | Command::Top
        | Command::Bottom => navigate(state, command),
        Command::Filter => {
            let current = current_filter(state);
            let mut input = TextArea::new(vec![current]);
            input.move_cursor(ratatui_textarea::CursorMove::End);
            state.filter_input = Some(input);
        }
        Command::Timeline => state.show_timeline = !state.show_timeline,
        Command::CancelCommand => return super::actions::cancel_command(state),
        Command::Note => super::room::open_note(state),
        Command::Incident => super::room::open_incident_input(state),
        Command::IncidentUpdate => super::incident_update::open_editor(state),
        Command::EditorSave | Command::EditorClose => {}
        Command::Room => state.pane = Some(Pane::new(PaneKind::Room { selected: 0 })),
        Command::Requests => super::requests::open(state),
        Command::Scale
        | Command::RolloutRestart
        | Command::Rollback
        | Command::Lockdown
        | Command::LiftLockdown
        | Command::Cordon
        | Command::Uncordon
        | Command::Drain
        | Command::RestartPod
        | Command::Exec
        | Command::Shell
        | Command::PortForward
        | Command::Silence
        | Command::ExpireSilence
        | Command::CancelQuery
        | Command::TerminateBackend
        | Command::TakeBackup
        | Command::VerifyBackup
        | Command::TestRestore
        | Command::HpaBounds
        | Command::SetResources => return super::actions::begin(state, command),
        Command::RunCronJob | Command::SuspendCronJob | Command::DeleteJob => {
            return super::actions::begin(state, command);
        }
        Command::CountErrors => super::logs::start_on_request(state),
        Command::ConfigNextKey => super::config_edit::choose_key(state, 1),
        Command::ConfigPrevKey => super::config_edit::choose_key(state, -1),
        Command::EditConfigKey => super::config_edit::open_editor(state),
        Command::RestartUsers => return super::config_edit::restart_users(state),
        Command::GroupAlerts => {
            state.alert_lens.next_grouping(&state.estate.alerts);
            let word = state.alert_lens.group_by.word().to_string();
            state.notify(format!("alerts grouped by {word}"), Level::Ok, 3);
            sync_current(state);
        }
        Command::ToggleSilenced => {
            state.alert_lens.toggle_silenced();
            let shown = if state.alert_lens.hide_silenced {
                "silenced, inhibited and resolved alerts hidden"
            } else {
                "silenced, inhibited and resolved alerts shown"
            };
            state.notify(shown, Level::Ok, 3);
            sync_current(state);
        }
        Command::Silences => state.pane = Some(Pane::new(PaneKind::Silences)),
        Command::Forwards => super::forwards::open(state),
        // Only the forwards list closes one.
        Command::CloseForward | Command::RejectRequest => {}
        Command::Contexts => super::pane::open_contexts(state),
        Command::Namespaces => super::namespaces::open(state),
        Command::CommandLine => super::command_line::open(state),
        Command::Complete => {}
        Command::Drill => super::drill::drill(state),
        Command::DrillBack => {
            if !super::view_filter::back(state) {
                state.notify("not in a drill-down", Level::Ok, 2);
            }
        }
        Command::TileLeft => super::drill::move_tile(state, -1, 0),
        Command::TileRight => super::drill::move_tile(state, 1, 0),
        Command::Logs => return super::logs::open_for_selected(state),
        Command::Describe => return super::yaml_pane::open_for_selected(state),
        Command::Follow
        | Command::NextMatch
        | Command::PrevMatch
        | Command::Containers
        | Command::Refresh
        | Command::SaveLogs
        | Command::LogLevel
        | Command::PreviousLog
        | Command::Timestamps
        | Command::Wrap => {}
        Command::Runbook => super::pane::open_runbook(state),
        Command::ClosePane | Command::Copy => {}
        Command::NextField
        | Command::PrevField
        | Command::Activate
        | Command::DialogCancel
        | Command::OnBlocker => {}
        // The Checklist panel's keys mean nothing elsewhere.
        Command::ChecklistOpen
        | Command::ChecklistPass
        | Command::ChecklistFail
        | Command::ChecklistSkip
        | Command::ChecklistNote
        | Command::ChecklistNextProblem
        | Command::ChecklistRerun
        | Command::ChecklistFinish
        | Command::ChecklistAbandon => {}
        // Only the quit prompt answers these.
        Command::QuitYes | Command::QuitNo => {}
        Command::FilterAccept => state.filter_input = None,
        Command::FilterCancel => {
            state.filter_input = None;
            set_filter(state, "");
        }
        Command::ClearFilter => {
            if state.details {
                state.details = false;
                state.details_view = Default::default();
            } else if !current_filter(state).is_empty() || !super::view_filter::back(state) {
                // In a drill-down, Esc clears a typed filter first, then goes back up.
                set_filter(state, "");
            }
        }
        Command::Sort => super::sort_choice::open(state),
        Command::SortNext | Command::SortReverse => super::sort_choice::apply(state, command),
        Command::Details => {
            if state.panel.has_table() {
                state.details = !state.details;
                state.details_view = Default::default();
                // The table's height changed; keep the selection in view.
                sync_current(state);
            }
        }
        Command::ZoomDetails => {
            if state.panel.has_table() {
                state.details_view.full = !state.details || !state.details_view.full;
                state.details = true;
                sync_current(state);
            }
        }
    }
    Vec::new()
}

/// Every quit key comes here: with work pending it asks first.
pub(super) fn quit(state: &mut State) -> Vec<Effect> {
    super::quit::request(state)
}

fn show(state: &mut State, panel: Panel) {
    super::view_filter::leave(state);
    state.panel = panel;
    sync_current(state);
}

/// Everything a frame needs computed: the summaries and the shown table's order. The runtime
/// calls this once before drawing, so that `view` only reads.
pub fn prepare_frame(state: &mut State) {
    state.summary.set_namespace(state.view.namespace.as_deref());
    state.summary.set_contexts(state.view.contexts.as_ref());
    state.summary.refresh(&state.estate, state.now);
    super::checklist::judge(state);
    sync_current(state);
}
