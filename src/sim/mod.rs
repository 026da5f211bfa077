//! The simulated estate behind `opsdeck --demo` and the tests: one world model, deterministic
//! under a seed, that reports through the same [`crate::domain::SourceReport`]s the real adapters
//! produce. Later issues serve the same world over the Kubernetes and Alertmanager APIs.

mod actions;
mod alerts;
mod backups;
mod catalog;
mod churn;
mod databases;
pub mod executor;
pub mod feed;
pub mod handle;
pub mod http;
mod names;
mod services;
#[cfg(test)]
mod tests;
mod workloads;
mod world;

pub use world::World;

/// The Kubernetes context name the simulated cluster goes by.
pub const CONTEXT: &str = "demo";
