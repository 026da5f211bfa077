//! The application: `State` (plain data), `Msg` (everything that can happen), the pure `update`
//! that turns one into `Effect`s, and the runtime loop that feeds it and draws.

mod action_intent;
pub mod actions;
pub mod blocker;
pub mod checklist;
pub mod command_line;
pub mod dialog;
pub mod dialog_duration;
mod dialog_keys;
mod dialog_matchers;
pub mod drill;
mod events;
pub mod incident_update;
mod keys;
mod log_tasks;
pub mod logs;
pub mod metrics_demand;
pub mod msg;
pub mod namespaces;
pub mod object_details;
pub mod pane;
pub mod panel;
pub mod panel_spec;
mod quit;
pub mod room;
pub mod rows;
pub mod runner;
pub mod runtime;
mod search;
mod shown_table;
mod sort_choice;
pub mod source_log;
pub mod state;
pub mod summary;
pub mod table;
pub mod timeline;
pub mod update;
pub mod view_filter;
pub mod yaml_pane;

pub use msg::{Effect, Msg};
pub use panel::Panel;
pub use state::{Settings, State};
pub use update::{prepare_frame, update};
