//! Checklists: the team's morning, weekly and pre-deployment walks as data (TOML), the checks
//! that compute their automatic steps from the estate, a run's state, and the reports a
//! finished run leaves (Markdown and JSON, compared with the run before).

pub mod catalog;
pub mod checks;
pub mod def;
pub mod outcome;
pub mod probe;
pub mod report;
pub mod run;
pub mod store;

pub use catalog::Catalog;
pub use def::{Check, Checklist, Step};
pub use outcome::{Jump, Outcome, Status};
pub use probe::{Probe, ProbeAnswer, Prober};
pub use report::RunRecord;
pub use run::Run;
