//! Configuration: the TOML config file, themes and keymaps. Themes and keymaps ship as data files
//! (`themes/`, `keymaps/`) embedded in the binary; files of the same name in the user's config
//! directory are laid over them.

pub mod alerts;
pub mod backups;
pub mod checklists;
pub mod color;
pub mod commands;
pub mod context_styles;
mod duration;
pub mod embedded;
pub mod error;
pub mod exec;
pub mod file;
pub mod guardrails;
pub mod keymap;
mod keymap_conflicts;
pub mod keys;
pub mod logs;
mod mode;
pub mod paths;
pub mod runbooks;
pub mod sources;
pub mod team_actions;
pub mod theme;
pub mod warroom;

pub use alerts::AlertsConfig;
pub use backups::{BackupConfig, BackupKind};
pub use checklists::ChecklistsConfig;
pub use color::ColorDepth;
pub use context_styles::ContextStyle;
pub use error::ConfigError;
pub use exec::ExecSettings;
pub use file::{AuditConfig, Config, DemoConfig};
pub use guardrails::{GuardrailRule, Guardrails};
pub use keymap::{Command, Keymap, Mode};
pub use keys::KeyChord;
pub use logs::LogsConfig;
pub use sources::{
    AlertmanagerConfig, KpiConfig, KubernetesConfig, PostgresConfig, PrometheusConfig, RedisConfig,
    ServiceCheckConfig,
};
pub use team_actions::{TeamAction, TeamPanel, TeamRisk, Words};
pub use theme::{Role, Theme};
pub use warroom::WarroomConfig;
