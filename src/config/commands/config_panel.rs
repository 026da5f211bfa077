//! The command table's rows for the Config panel (ConfigMaps and Secrets): shown from the `:`
//! command line (`:config`, also `:cm`, `:configmaps`, `:secrets`, `:sec`), its keys.

use super::{Command, CommandRow, Mode};

pub(super) const COMMANDS: &[CommandRow] = &[
    (
        Command::ShowConfig,
        "show_config",
        "Config panel (ConfigMaps and Secrets: keys, sizes, the workloads using each; :config)",
        Mode::Global,
    ),
    (
        Command::ConfigNextKey,
        "next_key",
        "The selected ConfigMap's next key (its value in the details)",
        Mode::Config,
    ),
    (
        Command::ConfigPrevKey,
        "previous_key",
        "The selected ConfigMap's previous key",
        Mode::Config,
    ),
    (
        Command::EditConfigKey,
        "edit",
        "Edit the chosen key's value, then the diff, dry run and merge patch to confirm",
        Mode::Config,
    ),
    (
        Command::RestartUsers,
        "restart_users",
        "Rollout restart of a workload that reads it (pods read a ConfigMap at start)",
        Mode::Config,
    ),
    (
        Command::Describe,
        "describe",
        "As YAML, fetched from the API server (a Secret's values replaced by their sizes)",
        Mode::Config,
    ),
];
