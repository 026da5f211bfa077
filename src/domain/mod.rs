//! The estate's types: compact rows that the panels draw and the actions target, exactly as every
//! source (the real adapters and the simulator alike) reports them. Nothing here knows about
//! the terminal or about any backend's wire format.

pub mod alert;
pub mod alert_memory;
pub mod backup;
pub mod cluster_row;
pub mod configs;
pub mod database;
pub mod describe;
pub mod estate;
pub mod events;
pub mod freshness;
pub mod hpa;
pub mod http_checks;
pub mod job;
pub mod kube_access;
pub mod kube_object;
pub mod level;
pub mod log_errors;
pub mod log_level;
pub mod log_merge;
pub mod logs;
pub mod node;
pub mod pod;
pub mod redact;
pub mod report;
pub mod resources;
pub mod runbook;
pub mod shell_words;
pub mod time;
pub mod workload;
pub mod yaml;

pub use alert::{Alert, AlertState, Matcher, Severity, Silence, SilenceState};
pub use alert_memory::{AlertEntry, AlertMemory};
pub use backup::{BackupItem, BackupSet, Verification};
pub use configs::{ConfigKey, ConfigKind, ConfigObject, ConfigRef};
pub use database::{PgInstance, PgRole, PgSession, RedisInfo, SessionState, SlowlogEntry};
pub use estate::Estate;
pub use events::{EventKey, EventStore, InvolvedObject};
pub use freshness::{Freshness, FreshnessView};
pub use hpa::Hpa;
pub use level::Level;
pub use log_errors::{
    LogErrorCounts, LogScan, QueriedCounts, QueriedErrors, ScanResult, WorkloadErrors,
};
pub use logs::{LogBuffer, LogLevel, LogLine, LogOptions};
pub use node::{Node, NodeResources};
pub use pod::{Pod, PodKey, PodPhase, PodStore};
pub use report::{ListProgress, Report, SourceId, SourceKind, SourceReport};
pub use resources::{ContainerResources, Quantities};
pub use time::UnixTime;
pub use workload::{
    K8sEvent, NamespaceInfo, Revision, ServiceHealth, ServiceKpis, Workload, WorkloadKind,
    WorkloadService,
};
