//! Command-line options. Options that choose sources and looks are global, so they work for
//! the cockpit and for `opsdeck snapshot` alike.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::app::Panel;
use crate::config::ColorDepth;

#[derive(Debug, Parser)]
#[command(
    name = "opsdeck",
    version,
    about = "A terminal operations cockpit for SREs: pods, services, alerts, databases and backups",
    after_help = "Config: ~/.config/opsdeck/config.toml (or --config). Logs: ~/.local/state/opsdeck/opsdeck.log.\n\
                  Try it with nothing installed: opsdeck --demo"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Sub>,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Clone, Args)]
pub struct CommonArgs {
    /// Config file [default: ~/.config/opsdeck/config.toml]
    #[arg(long, global = true, env = "OPSDECK_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Run on the built-in simulated estate
    #[arg(long, global = true)]
    pub demo: bool,
    /// Theme: default, light, high-contrast, colorblind, or one of yours
    #[arg(long, global = true, value_name = "NAME")]
    pub theme: Option<String>,
    /// Keymap: default, vim, or one of yours
    #[arg(long, global = true, value_name = "NAME")]
    pub keymap: Option<String>,
    /// Colour depth [default: detected; NO_COLOR is honoured]
    #[arg(long, global = true, value_enum)]
    pub color: Option<ColorDepth>,
    /// Draw borders and symbols with ASCII only
    #[arg(long, global = true)]
    pub ascii: bool,
    /// Refuse every action (for screen sharing)
    #[arg(long, global = true)]
    pub readonly: bool,
    /// Presenter mode for a shared screen: read-only, no hostnames, addresses or paths, the
    /// incident banner always on top
    #[arg(long, global = true)]
    pub present: bool,
    /// Mirror this operator's cockpit in the war room (read-only; any key leaves)
    #[arg(long, global = true, value_name = "OPERATOR")]
    pub follow: Option<String>,
    /// Kubernetes context [default: `[kubernetes] context`, else the kubeconfig's current one];
    /// several, comma-separated (`prod-eu,staging`), are watched at once
    #[arg(long, global = true, value_name = "NAME")]
    pub context: Option<String>,
    /// Kubeconfig [default: KUBECONFIG, else ~/.kube/config, else in-cluster]
    #[arg(long, global = true, value_name = "FILE")]
    pub kubeconfig: Option<PathBuf>,
    /// Kubernetes namespaces to watch, comma-separated [default: all]
    #[arg(long, global = true, value_name = "NS,NS", value_delimiter = ',')]
    pub namespace: Vec<String>,
    /// Demo: seed of the simulated estate
    #[arg(long, global = true, value_name = "N")]
    pub seed: Option<u64>,
    /// Demo: number of pods (1 to 100000)
    #[arg(long, global = true, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub pods: Option<u32>,
    /// Demo: pod changes per tick on top of rollouts and crash loops
    #[arg(long, global = true, value_name = "N")]
    pub churn: Option<u32>,
    /// Demo: keep the estate still (sources stay live, nothing changes)
    #[arg(long, global = true)]
    pub freeze: bool,
    /// Who is acting, for the audit log [default: `operator` in the config, else user@host]
    #[arg(long, global = true, value_name = "NAME")]
    pub operator: Option<String>,
    /// Audit log [default: ~/.local/state/opsdeck/audit.jsonl]
    #[arg(long, global = true, value_name = "FILE")]
    pub audit_file: Option<PathBuf>,
    /// Log file [default: ~/.local/state/opsdeck/opsdeck.log]
    #[arg(long, global = true, value_name = "FILE")]
    pub log_file: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Sub {
    /// Print one panel as text and exit (for tests, chat during an incident, cron)
    Snapshot(SnapshotArgs),
    /// Print the audit log: every action's intent and outcome
    Audit(AuditArgs),
    /// Checklists: list them, or run one headless (for cron and the team's channel)
    #[command(subcommand)]
    Checklist(ChecklistCommand),
    /// Guardrails: which `[[guardrails]]` rule applies to an action, and what it demands
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Serve the simulated estate over the Kubernetes and Alertmanager APIs (for kubectl,
    /// tests, and cockpits on other terminals)
    Sim(SimArgs),
}

#[derive(Debug, Clone, Args)]
pub struct SimArgs {
    /// Address to serve on; port 0 picks a free one
    #[arg(long, default_value = "127.0.0.1:0", value_name = "ADDR:PORT")]
    pub listen: std::net::SocketAddr,
    /// Write a kubeconfig pointing at the simulator here (context `demo`; with --clusters, a
    /// context per cluster)
    #[arg(long, value_name = "FILE")]
    pub kubeconfig_out: Option<PathBuf>,
    /// Serve several clusters, e.g. prod-eu,prod-us,staging: the i-th a world of seed + i on
    /// the --listen port + i (port 0: free ports), each a context of the kubeconfig
    #[arg(long, value_name = "NAME,NAME", value_delimiter = ',', value_parser = parse_cluster_name)]
    pub clusters: Vec<String>,
    /// Deny requests, as RBAC would: VERB[,VERB]:RESOURCE:NAMESPACE[:USER] (`*` for any;
    /// namespace `*` includes cluster-wide requests); repeatable
    #[arg(long, value_name = "RULE", value_parser = parse_denial)]
    pub deny: Vec<crate::sim::kubeapi::policy::Denial>,
    /// Grant back what a --deny takes, e.g. `list,watch:pods:pos` after `list,watch:pods:*`
    /// (pods in `pos` only, not cluster-wide); repeatable
    #[arg(long, value_name = "RULE", value_parser = parse_denial)]
    pub allow: Vec<crate::sim::kubeapi::policy::Denial>,
    /// Serve plain HTTP instead of HTTPS with a CA made at start
    #[arg(long)]
    pub insecure_http: bool,
    /// How clients log in: the kubeconfig written carries the credential
    #[arg(long, value_enum, default_value = "token")]
    pub auth: crate::sim::http::auth::AuthMode,
    /// The user the credentials name (what RBAC rules with :USER match)
    #[arg(long, default_value = crate::sim::kubeapi::policy::USER, value_name = "NAME")]
    pub user: String,
    /// How long a token from the exec plugin (--auth exec) is accepted, e.g. 20s
    #[arg(long, default_value = "1h", value_name = "DURATION", value_parser = humantime::parse_duration)]
    pub token_ttl: std::time::Duration,
    /// Moves the simulator's clock ahead of the machine's, e.g. 3m (-3m: behind): timestamps,
    /// ages and whether an exec token has expired are judged by it, as by an API server whose
    /// clock is off
    #[arg(long, value_name = "DURATION", value_parser = crate::sim::clock::parse_skew, allow_hyphen_values = true)]
    pub clock_skew: Option<i64>,
    /// Log lines a second each simulated container writes [default: `[demo] log_rate`, 2]
    #[arg(long, value_name = "N")]
    pub log_rate: Option<f64>,
    /// Changes kept for watches that resume; older versions answer 410 Gone
    #[arg(long, default_value_t = crate::sim::kubeapi::JOURNAL_DEFAULT, value_name = "N")]
    pub journal: usize,
    /// Requests served at once (watches and logs aside) before answering 429 with Retry-After
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(usize))]
    pub max_inflight: Option<usize>,
    /// The most objects one list page holds, whatever limit the client asks for
    #[arg(long, value_name = "N")]
    pub page_size_limit: Option<usize>,
}

/// A cluster's name: it names a kubeconfig context, cluster and user, so lowercase letters,
/// digits, `-` and `.`, starting with a letter or digit (as a Kubernetes object's name).
fn parse_cluster_name(text: &str) -> Result<String, String> {
    let good = text.len() <= 63
        && text.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.');
    match good {
        true => Ok(text.to_string()),
        false => Err(format!(
            "{text:?} is not a cluster name: use lowercase letters, digits, '-' and '.', \
             starting with a letter or digit, at most 63 characters (e.g. prod-eu)"
        )),
    }
}

fn parse_denial(text: &str) -> Result<crate::sim::kubeapi::policy::Denial, String> {
    crate::sim::kubeapi::policy::Denial::parse(text)
}

#[derive(Debug, Subcommand)]
pub enum ChecklistCommand {
    /// The checklists there are: shipped, and yours in checklists/ beside the config file
    List,
    /// Run a checklist's automatic steps once data has arrived, write the report, print a
    /// summary. Exit status: 0 nothing failed, 1 a step failed, 2 usage or config error
    Run(ChecklistRunArgs),
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Print the rule that applies to an action of KIND in --context and --namespace, and what
    /// it demands. Exit status: 0 allowed, 1 denied, 2 usage or config error
    Check(RulesCheckArgs),
}

#[derive(Debug, Clone, Args)]
pub struct RulesCheckArgs {
    /// The action kind, as the audit log names it: scale, rollback, restart-pod, ...
    #[arg(long, value_name = "KIND")]
    pub action: String,
    /// Judge a `window` at this moment instead of now (RFC 3339, e.g. 2026-12-05T12:00:00Z)
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Md,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ManualAnswer {
    Skip,
    Fail,
}

#[derive(Debug, Clone, Args)]
pub struct ChecklistRunArgs {
    /// The checklist's name (see `opsdeck checklist list`)
    pub name: String,
    /// Also write the report to this file
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// The report file's format [default: from its extension, else md]
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
    /// What the manual steps count as, since nobody answers them
    #[arg(long, value_enum, default_value = "skip")]
    pub manual: ManualAnswer,
    /// Longest wait for the sources' first data (and each query); what has not answered by
    /// then fails as unreachable
    #[arg(long, default_value = "15s", value_parser = humantime::parse_duration)]
    pub wait: Duration,
}

#[derive(Debug, Clone, Args)]
pub struct AuditArgs {
    /// Only records newer than this, e.g. 24h, 7d
    #[arg(long, value_parser = humantime::parse_duration)]
    pub since: Option<Duration>,
    /// Print JSON (an array of records) instead of a table
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Args)]
pub struct SnapshotArgs {
    /// Panel to render
    #[arg(long, value_enum, default_value = "overview")]
    pub panel: Panel,
    /// Screen size, COLUMNSxROWS
    #[arg(long, default_value = "120x40", value_parser = parse_size)]
    pub size: (u16, u16),
    /// Keep colours and styles (ANSI escape sequences)
    #[arg(long)]
    pub ansi: bool,
    /// Also show the details of the first row
    #[arg(long)]
    pub details: bool,
    /// Filter the panel's table, as `/` does
    #[arg(long, value_name = "TEXT")]
    pub filter: Option<String>,
    /// Longest wait for every source's first data
    #[arg(long, default_value = "10s", value_parser = humantime::parse_duration)]
    pub wait: Duration,
}

fn parse_size(text: &str) -> Result<(u16, u16), String> {
    let (w, h) = text
        .split_once(['x', 'X'])
        .ok_or("expected COLUMNSxROWS, e.g. 120x40")?;
    let w: u16 = w
        .parse()
        .map_err(|_| format!("`{w}` is not a number of columns"))?;
    let h: u16 = h
        .parse()
        .map_err(|_| format!("`{h}` is not a number of rows"))?;
    if w < 20 || h < 5 {
        return Err("the smallest size is 20x5".into());
    }
    Ok((w, h))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_and_bad_ones_explain_themselves() {
        assert_eq!(parse_size("120x40"), Ok((120, 40)));
        assert!(parse_size("120").unwrap_err().contains("COLUMNSxROWS"));
        assert!(parse_size("10x10").unwrap_err().contains("smallest"));
    }

    #[test]
    fn global_options_work_after_the_subcommand() {
        let cli = Cli::try_parse_from([
            "opsdeck", "snapshot", "--demo", "--panel", "pods", "--theme", "light",
        ])
        .unwrap();
        assert!(cli.common.demo);
        assert_eq!(cli.common.theme.as_deref(), Some("light"));
        let Some(Sub::Snapshot(args)) = cli.command else {
            panic!("snapshot expected")
        };
        assert_eq!(args.panel, Panel::Pods);
        assert!(Cli::try_parse_from(["opsdeck", "--pods", "100001"]).is_err());
    }
}
