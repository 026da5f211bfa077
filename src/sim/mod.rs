//! The simulated estate behind `opsdeck --demo` and the tests: one world model, deterministic
//! under a seed, that reports through the same [`crate::domain::SourceReport`]s the real adapters
//! produce. The same world is served over the Kubernetes and Alertmanager APIs (`http`).

mod actions;
mod alerts;
mod backup_jobs;
mod backups;
mod catalog;
mod churn;
pub mod clock;
pub mod clusters;
pub mod configs;
mod daemonsets;
mod databases;
mod event_story;
mod events;
pub mod executor;
pub mod feed;
pub mod handle;
mod hpas;
pub mod http;
pub mod jobs;
pub mod kubeapi;
pub mod logs;
mod names;
pub mod nodes;
pub mod serve;
mod services;
pub mod shell;
pub mod standalone;
#[cfg(test)]
mod tests;
pub mod velero;
mod workloads;
mod world;

pub use daemonsets::NODE_PODS;
pub use world::World;

/// The Kubernetes context name the simulated cluster goes by.
pub const CONTEXT: &str = "demo";
