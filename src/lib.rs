//! opsdeck: a terminal operations cockpit for SREs.
//!
//! The flow goes one way: sources report into [`app::Msg`]s, the pure [`app::update`] turns
//! messages into a new [`app::State`] and [`app::Effect`]s, and the pure [`ui::view`] draws the
//! state. The runtime ([`app::runtime`], with [`app::runner`] carrying out the effects) is the
//! only part of the app with I/O. How the parts fit, and what may import what:
//! `docs/architecture.md`.

#![cfg_attr(not(test), deny(clippy::unwrap_used))]

pub mod actions;
pub mod adapters;
pub mod app;
pub mod audit_cli;
pub mod checklist;
pub mod checklist_cli;
pub mod cli;
pub mod config;
pub mod domain;
pub mod logging;
pub mod rules_cli;
pub mod screen;
pub mod sim;
pub mod snapshot;
pub mod startup;
pub mod terminal;
pub mod ui;
pub mod warroom;
