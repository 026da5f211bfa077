//! The Services panel's rows for autoscaled workloads and their containers' resources.

use super::{Command, CommandRow, Mode};

pub(super) const COMMANDS: &[CommandRow] = &[
    (
        Command::HpaBounds,
        "hpa_bounds",
        "Change the min/max replicas of the HPA that scales the workload (kubectl patch hpa)",
        Mode::Services,
    ),
    (
        Command::SetResources,
        "set_resources",
        "Set a container's CPU/memory requests and limits (kubectl set resources; pods roll)",
        Mode::Services,
    ),
];
