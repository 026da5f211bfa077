//! The config file (`config.toml`). Sections for the real sources (`[kubernetes]`,
//! `[[alertmanager]]`, `[[postgres]]`, `[[redis]]`, `[[backups]]`, `[[services]]`) join this
//! struct as their adapters arrive; unknown keys are errors so that typos are caught.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Deserializer};

use super::duration::at_least;
use super::sources::{
    AlertmanagerConfig, KubernetesConfig, PostgresConfig, PrometheusConfig, RedisConfig,
    ServiceCheckConfig,
};
use super::{ColorDepth, ConfigError, error::parse_toml};

/// The most pods the simulated estate will generate.
pub const MAX_DEMO_PODS: usize = 100_000;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Audit identity; default: the OS user at the host.
    pub operator: Option<String>,
    pub theme: String,
    pub keymap: String,
    /// How often polled sources refresh.
    #[serde(deserialize_with = "at_least::<_, 100>")]
    pub refresh: Duration,
    pub ui: UiConfig,
    pub demo: DemoConfig,
    pub audit: AuditConfig,
    pub actions: ActionsConfig,
    /// The action timeout where `[actions]` cannot be a table (the file has `[[actions]]`).
    #[serde(default, deserialize_with = "optional_timeout")]
    pub action_timeout: Option<Duration>,
    /// `[[postgres]]`: PostgreSQL instances to watch.
    pub postgres: Vec<PostgresConfig>,
    /// `[[redis]]`: Redis servers to watch.
    pub redis: Vec<RedisConfig>,
    /// `[[services]]`: HTTP health checks.
    pub services: Vec<ServiceCheckConfig>,
    /// `[[alertmanager]]`: Alertmanagers to read alerts from and silence in.
    pub alertmanager: Vec<AlertmanagerConfig>,
    /// `[alerts]`: how long resolved alerts are remembered.
    pub alerts: super::AlertsConfig,
    /// `[prometheus]`: where the services' KPIs come from.
    pub prometheus: Option<PrometheusConfig>,
    /// `[kubernetes]`: the cluster whose pods and workloads are shown.
    pub kubernetes: Option<KubernetesConfig>,
    /// `[logs]`: the logs pane and the log error counts.
    pub logs: super::LogsConfig,
    /// `[[backups]]`: backup sets (a directory of dumps, or a command printing JSON).
    pub backups: Vec<super::BackupConfig>,
    /// Markdown runbooks, as glob patterns (`~/runbooks/*.md`); relative ones are taken from
    /// the config file's directory. An alert's runbook annotation opens a section of these.
    pub runbooks: Vec<String>,
    /// `[checklists]`: the team's checklists and where reports go.
    pub checklists: super::ChecklistsConfig,
    /// `[warroom]`: the Redis and room shared by the cockpits of one incident.
    pub warroom: Option<super::WarroomConfig>,
    /// `[[guardrails]]`: rules for actions, first match wins (`config/guardrails/`).
    pub guardrails: Vec<super::GuardrailRule>,
    /// Where `theme` and `keymap` were written, for errors about the names they give.
    #[serde(skip)]
    pub written_at: WrittenAt,
}

/// The file and line of the config's `theme` and `keymap` keys, when the file has them.
#[derive(Debug, Clone, Default)]
pub struct WrittenAt {
    pub path: PathBuf,
    pub theme: Option<usize>,
    pub keymap: Option<usize>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AuditConfig {
    /// The audit log; default: `audit.jsonl` in the state directory.
    pub file: Option<PathBuf>,
    /// A PostgreSQL DSN: every record also goes to the table `opsdeck_audit` there (created if
    /// missing), the team's shared record. The password as for `[[postgres]]`.
    pub postgres: Option<String>,
}

/// `[actions]` (a table: `timeout`) or `[[actions]]` (an array: the team's own actions, see
/// `config::team_actions`). TOML cannot have both in one file; with `[[actions]]`, the timeout
/// is the top-level `action_timeout`.
#[derive(Debug, Clone)]
pub struct ActionsConfig {
    /// Longest an action may run before it is reported as timed out.
    pub timeout: Duration,
    /// `[[actions]]` as written, checked into `team` by `Config::parse`.
    pub entries: Vec<toml::Spanned<super::team_actions::TeamActionEntry>>,
    /// The team's own actions, checked.
    pub team: Vec<super::team_actions::TeamAction>,
}

impl Default for ActionsConfig {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(120),
            entries: Vec::new(),
            team: Vec::new(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ActionsTable {
    #[serde(
        default = "default_action_timeout",
        deserialize_with = "at_least::<_, 1000>"
    )]
    timeout: Duration,
}

fn default_action_timeout() -> Duration {
    ActionsConfig::default().timeout
}

impl<'de> Deserialize<'de> for ActionsConfig {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = ActionsConfig;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an [actions] table (timeout) or [[actions]] entries")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<Self::Value, A::Error> {
                let table =
                    ActionsTable::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(ActionsConfig {
                    timeout: table.timeout,
                    ..ActionsConfig::default()
                })
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                seq: A,
            ) -> Result<Self::Value, A::Error> {
                let entries = Vec::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))?;
                Ok(ActionsConfig {
                    entries,
                    ..ActionsConfig::default()
                })
            }
        }
        d.deserialize_any(V)
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            operator: None,
            theme: "default".into(),
            keymap: "default".into(),
            refresh: Duration::from_secs(2),
            ui: UiConfig::default(),
            demo: DemoConfig::default(),
            audit: AuditConfig::default(),
            actions: ActionsConfig::default(),
            action_timeout: None,
            postgres: Vec::new(),
            redis: Vec::new(),
            services: Vec::new(),
            alertmanager: Vec::new(),
            alerts: super::AlertsConfig::default(),
            prometheus: None,
            kubernetes: None,
            logs: super::LogsConfig::default(),
            backups: Vec::new(),
            runbooks: Vec::new(),
            checklists: super::ChecklistsConfig::default(),
            warroom: None,
            guardrails: Vec::new(),
            written_at: WrittenAt::default(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct UiConfig {
    /// Draw borders and symbols with ASCII only.
    pub ascii: bool,
    /// Colour depth; default: detected from NO_COLOR, COLORTERM and TERM.
    pub color: Option<ColorDepth>,
    /// Upper bound on redraws per second; bursts of updates are coalesced into one frame.
    #[serde(deserialize_with = "fps")]
    pub max_fps: u32,
}

impl Default for UiConfig {
    fn default() -> Self {
        Self {
            ascii: false,
            color: None,
            max_fps: 30,
        }
    }
}

/// The simulated estate behind `--demo`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DemoConfig {
    /// Same seed, same estate and same churn.
    pub seed: u64,
    #[serde(deserialize_with = "pod_count")]
    pub pods: usize,
    /// How often the simulated world changes.
    #[serde(deserialize_with = "at_least::<_, 10>")]
    pub tick: Duration,
    /// Pod changes per tick (restarts, status flips) on top of rollouts and crash loops.
    pub churn: u32,
    /// Start with churn paused: the estate is reported once and then only kept alive.
    pub freeze: bool,
    /// Log lines a second each simulated container writes.
    pub log_rate: f64,
}

impl Default for DemoConfig {
    fn default() -> Self {
        Self {
            seed: 42,
            pods: 300,
            tick: Duration::from_secs(1),
            churn: 3,
            freeze: false,
            log_rate: crate::sim::logs::DEFAULT_RATE,
        }
    }
}

impl Config {
    /// Loads `path`, or the default config file when `path` is `None`. A missing default file
    /// means defaults; a missing explicit file is an error. Returns the file actually read.
    pub fn load(path: Option<&Path>) -> Result<(Config, Option<PathBuf>), ConfigError> {
        let (path, explicit) = match path {
            Some(p) => (p.to_path_buf(), true),
            None => match super::paths::default_config_file() {
                Some(p) => (p, false),
                None => return Ok((Config::default(), None)),
            },
        };
        match super::error::read_text(&path) {
            Ok(text) => Ok((Self::parse(&path, &text)?, Some(path))),
            Err(ConfigError::Read { source, .. })
                if source.kind() == std::io::ErrorKind::NotFound && !explicit =>
            {
                Ok((Config::default(), None))
            }
            Err(e) => Err(e),
        }
    }

    pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
        let mut config: Config =
            parse_toml(path, text).map_err(|e| super::team_actions::both_forms(e, text))?;
        config.written_at = written_at(path, text);
        super::guardrails::finish(path, text, &mut config.guardrails)?;
        config.actions.team = super::team_actions::check(path, text, &config.actions.entries)?;
        if let Some(timeout) = config.action_timeout {
            config.actions.timeout = timeout;
        }
        for set in &config.backups {
            if let Some(message) = set.problem() {
                let needle = format!("\"{}\"", set.name);
                let line = text
                    .lines()
                    .position(|l| l.contains(&needle))
                    .map_or(1, |i| i + 1);
                return Err(ConfigError::Invalid {
                    path: path.into(),
                    line,
                    column: 1,
                    key: format!("backup set `{}`: ", set.name),
                    message,
                });
            }
        }
        if config.logs.errors_query.is_some() && config.prometheus.is_none() {
            let line = text
                .lines()
                .position(|l| l.trim_start().starts_with("errors_query"))
                .map_or(1, |i| i + 1);
            return Err(ConfigError::Invalid {
                path: path.into(),
                line,
                column: 1,
                key: "logs.errors_query: ".into(),
                message: "asks Prometheus, but there is no [prometheus] url".into(),
            });
        }
        Ok(config)
    }
}

/// Finds the lines of `theme` and `keymap` in a file that has parsed.
fn written_at(path: &Path, text: &str) -> WrittenAt {
    #[derive(Deserialize)]
    struct Names {
        theme: Option<toml::Spanned<String>>,
        keymap: Option<toml::Spanned<String>>,
    }
    let line = |key: Option<toml::Spanned<String>>| {
        key.map(|k| text[..k.span().start.min(text.len())].matches('\n').count() + 1)
    };
    let names: Option<Names> = toml::from_str(text).ok();
    WrittenAt {
        path: path.into(),
        theme: line(names.as_ref().and_then(|n| n.theme.clone())),
        keymap: line(names.and_then(|n| n.keymap)),
    }
}

impl Config {
    /// An unknown theme or keymap name, placed where it was given: the flag, or the config
    /// file's line and key.
    pub fn place_name_error(
        &self,
        error: ConfigError,
        key: &'static str,
        flag: bool,
    ) -> ConfigError {
        let ConfigError::UnknownName { .. } = &error else {
            return error;
        };
        let line = match key {
            "theme" => self.written_at.theme,
            _ => self.written_at.keymap,
        };
        match (flag, line) {
            (true, _) => ConfigError::Flag {
                flag: if key == "theme" {
                    "--theme"
                } else {
                    "--keymap"
                },
                message: error.to_string(),
            },
            (false, Some(line)) => ConfigError::Invalid {
                path: self.written_at.path.clone(),
                line,
                column: 1,
                key: format!("key `{key}`: "),
                message: error.to_string(),
            },
            (false, None) => error,
        }
    }
}

fn optional_timeout<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
    at_least::<_, 1000>(d).map(Some)
}

fn pod_count<'de, D: Deserializer<'de>>(d: D) -> Result<usize, D::Error> {
    let n = usize::deserialize(d)?;
    if n == 0 || n > MAX_DEMO_PODS {
        return Err(serde::de::Error::custom(format!(
            "{n} pods is out of range; expected 1 to {MAX_DEMO_PODS}"
        )));
    }
    Ok(n)
}

fn fps<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    let n = u32::deserialize(d)?;
    if !(1..=120).contains(&n) {
        return Err(serde::de::Error::custom(format!(
            "{n} is out of range; expected 1 to 120"
        )));
    }
    Ok(n)
}

#[cfg(test)]
mod tests;
