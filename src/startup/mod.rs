//! From command line and config file to a ready state and running sources. Shared by the
//! cockpit and `opsdeck snapshot`, so both see the same estate. `prepare` reads (errors here exit
//! with code 2); `start` (in `sources.rs`) spawns the sources and builds the runner.

mod sources;

pub use sources::start;

use std::sync::Arc;

use crate::actions::audit::AuditLog;
use crate::adapters;
use crate::app::Settings;
use crate::app::checklist::ChecklistSettings;
use crate::cli::CommonArgs;
use crate::config::{
    ColorDepth, Config, ConfigError, DemoConfig, Keymap, KubernetesConfig, Theme, paths,
};
use crate::domain::runbook::RunbookFile;
use crate::sim::{self};

pub struct Startup {
    pub config: Config,
    /// Where actions are recorded; `None` only when no state directory can be found.
    pub audit: Option<AuditLog>,
    pub settings: Arc<Settings>,
    /// Problems in the user's theme or keymap files that did not stop the start.
    pub warnings: Vec<String>,
    pub demo: Option<DemoConfig>,
    /// `--follow OPERATOR`: mirror that cockpit once it is seen in the war room.
    pub follow: Option<String>,
    /// The cluster to watch, and the context name it goes by (with several watched, the
    /// first).
    pub kubernetes: Option<(KubernetesConfig, String)>,
    /// Every cluster watched at once, when there are several (`[kubernetes] contexts`,
    /// `--context a,b`): each with its context set.
    pub fleet: Vec<(KubernetesConfig, String)>,
}

const NO_SOURCES_HINT: &str = "No sources are configured yet.\n\n\
    Run `opsdeck --demo` to see the cockpit on a simulated estate, or add sources to\n\
    ~/.config/opsdeck/config.toml (see the README).";

/// Reads the config and the look; any error here is the operator's to fix (exit code 2).
pub fn prepare(args: &CommonArgs) -> Result<Startup, ConfigError> {
    let (config, config_path) = Config::load(args.config.as_deref())?;
    let depth = args
        .color
        .or(config.ui.color)
        .unwrap_or_else(|| ColorDepth::detect(|k| std::env::var(k).ok()));
    // crossterm drops every colour when NO_COLOR is set, whatever we ask for; the depth above
    // already honours NO_COLOR unless a flag or the config chose, so that choice must win.
    crossterm::style::force_color_output(depth != ColorDepth::None);
    let user_dir = paths::config_dir();
    let theme_name = args.theme.clone().unwrap_or_else(|| config.theme.clone());
    let theme = Theme::load(
        &theme_name,
        user_dir.as_ref().map(|d| d.join("themes")).as_deref(),
        depth,
    )
    .map_err(|e| config.place_name_error(e, "theme", args.theme.is_some()))?;
    let keymap_name = args.keymap.clone().unwrap_or_else(|| config.keymap.clone());
    let (keymap, mut warnings) = Keymap::load(
        &keymap_name,
        user_dir.as_ref().map(|d| d.join("keymaps")).as_deref(),
    )
    .map_err(|e| config.place_name_error(e, "keymap", args.keymap.is_some()))?;
    let demo = args.demo.then(|| demo_config(&config, args));
    let team_actions = team_actions(&config, config_path.as_deref(), demo.is_some(), &keymap)?;
    let base = config_path.as_deref().and_then(std::path::Path::parent);
    let (mut runbooks, runbook_warnings) = crate::config::runbooks::load(&config.runbooks, base);
    warnings.extend(runbook_warnings);
    if demo.is_some() {
        let (path, text) = crate::config::runbooks::DEMO_RUNBOOK;
        runbooks.push(RunbookFile {
            path: path.into(),
            text: text.into(),
        });
    }
    if args.follow.is_some() && config.warroom.is_none() {
        warnings.push(
            "--follow needs a [warroom] (redis and room) in the config; not following".into(),
        );
    }
    let checklists = checklist_settings(&config, base);
    warnings.extend(
        checklists
            .catalog
            .problems
            .iter()
            .map(|p| format!("checklist skipped: {p}")),
    );
    let kubernetes = match demo {
        Some(_) => None,
        None => kubernetes_config(&config, args).map(|k| {
            let name = adapters::kube::context_name(&k);
            (k, name)
        }),
    };
    let fleet: Vec<(KubernetesConfig, String)> = match &kubernetes {
        Some((k, _)) if k.contexts.len() > 1 => k
            .contexts
            .iter()
            .map(|c| {
                let cfg = KubernetesConfig {
                    context: Some(c.clone()),
                    contexts: Vec::new(),
                    ..k.clone()
                };
                (cfg, c.clone())
            })
            .collect(),
        _ => Vec::new(),
    };
    let kubernetes = match fleet.first() {
        Some(first) => Some(first.clone()),
        None => kubernetes,
    };
    let namespaces = match &kubernetes {
        Some((k, _)) if !k.namespaces.is_empty() => k.namespaces.join(","),
        _ => "all".into(),
    };
    let settings = Settings {
        keymap,
        theme,
        ascii: args.ascii || config.ui.ascii,
        readonly: args.readonly || args.present,
        present: args.present,
        context: match (&demo, &kubernetes) {
            (Some(_), _) => sim::CONTEXT.into(),
            (None, Some((_, name))) => name.clone(),
            (None, None) => "-".into(),
        },
        namespaces,
        watched: fleet.iter().map(|(_, name)| name.clone()).collect(),
        contexts: match (&demo, &kubernetes) {
            (Some(_), _) => vec![sim::CONTEXT.to_string()],
            (None, Some((k, _))) => adapters::kube::switch::contexts(k),
            (None, None) => Vec::new(),
        },
        state_dir: paths::state_dir(),
        operator: args
            .operator
            .clone()
            .or_else(|| config.operator.clone())
            .unwrap_or_else(default_operator),
        empty_hint: Some(NO_SOURCES_HINT.into()),
        runbooks,
        logs: config.logs.clone(),
        checklists,
        guardrails: Arc::new(crate::config::Guardrails {
            rules: config.guardrails.clone(),
            path: config_path.clone(),
        }),
        context_styles: config
            .kubernetes
            .as_ref()
            .map(|k| k.context_styles.clone())
            .unwrap_or_default(),
        exec: crate::config::ExecSettings::from_config(config.kubernetes.as_ref()),
        team_actions,
    };
    let audit = args
        .audit_file
        .clone()
        .or_else(|| config.audit.file.clone())
        .or_else(paths::default_audit_file)
        .map(AuditLog::new);
    Ok(Startup {
        config,
        audit,
        settings: Arc::new(settings),
        warnings,
        demo,
        follow: args.follow.clone(),
        kubernetes,
        fleet,
    })
}

/// `[[actions]]`, their keys checked against the keymap's; the demo's own when the config
/// declares none.
fn team_actions(
    config: &Config,
    path: Option<&std::path::Path>,
    demo: bool,
    keymap: &Keymap,
) -> Result<Vec<crate::config::TeamAction>, ConfigError> {
    use crate::config::team_actions::{DEMO_ACTIONS, check_keys};
    if demo && config.actions.team.is_empty() {
        let path = std::path::Path::new("assets/demo-actions.toml");
        let actions = Config::parse(path, DEMO_ACTIONS)?.actions.team;
        check_keys(path, &actions, keymap)?;
        return Ok(actions);
    }
    let path = path.unwrap_or(std::path::Path::new("config.toml"));
    check_keys(path, &config.actions.team, keymap)?;
    Ok(config.actions.team.clone())
}

/// The checklists: shipped, and the team's from `[checklists] dir` (default: `checklists/`
/// beside the config file, else in the config directory); relative paths from the config's
/// directory.
fn checklist_settings(config: &Config, base: Option<&std::path::Path>) -> ChecklistSettings {
    let resolve = |p: &std::path::PathBuf| match base {
        Some(base) if p.is_relative() => base.join(p),
        _ => p.clone(),
    };
    let dir = match &config.checklists.dir {
        Some(dir) => Some(resolve(dir)),
        None => base
            .map(std::path::Path::to_path_buf)
            .or_else(paths::config_dir)
            .map(|d| d.join("checklists")),
    };
    ChecklistSettings {
        catalog: crate::checklist::Catalog::load(dir.as_deref()),
        reports: config.checklists.reports.as_ref().map(resolve),
    }
}

/// The `[kubernetes]` section with the command line's overrides; `None` when neither asks for
/// a cluster and there is no kubeconfig (or service account) to use, as kubectl would, or when
/// `[kubernetes] enabled = false`.
fn kubernetes_config(config: &Config, args: &CommonArgs) -> Option<KubernetesConfig> {
    let asked = config.kubernetes.is_some()
        || args.context.is_some()
        || args.kubeconfig.is_some()
        || !args.namespace.is_empty();
    let disabled = config.kubernetes.as_ref().and_then(|k| k.enabled) == Some(false);
    if disabled || !(asked || adapters::kube::client::kubeconfig_present()) {
        return None;
    }
    let mut k = config.kubernetes.clone().unwrap_or_default();
    // `--context a,b` watches both, as `[kubernetes] contexts` does; one name is the one.
    if let Some(context) = &args.context {
        let names: Vec<String> = context
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(String::from)
            .collect();
        k.contexts = if names.len() > 1 { names } else { Vec::new() };
        k.context = Some(context.clone()).filter(|_| k.contexts.is_empty());
    }
    if k.contexts.len() == 1 {
        k.context = k.contexts.pop();
    }
    if let Some(path) = &args.kubeconfig {
        k.kubeconfig = Some(path.clone());
    }
    if !args.namespace.is_empty() {
        k.namespaces = args.namespace.clone();
    }
    Some(k)
}

/// The simulated estate's settings: the config's `[demo]` with the command line's overrides.
pub fn demo_config(config: &Config, args: &CommonArgs) -> DemoConfig {
    let mut demo = config.demo.clone();
    if let Some(seed) = args.seed {
        demo.seed = seed;
    }
    if let Some(pods) = args.pods {
        demo.pods = pods as usize;
    }
    if let Some(churn) = args.churn {
        demo.churn = churn;
    }
    demo.freeze |= args.freeze;
    demo
}

/// `user@host`, for the audit trail: the login name from the environment, else the name of
/// this process's uid in /etc/passwd.
fn default_operator() -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .ok()
        .filter(|u| !u.is_empty())
        .or_else(user_from_passwd)
        .unwrap_or_else(|| "unknown".into());
    let host = std::fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "localhost".into());
    format!("{user}@{host}")
}

fn user_from_passwd() -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let uid = std::fs::metadata("/proc/self").ok()?.uid().to_string();
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let mut fields = line.split(':');
        let name = fields.next()?;
        (fields.nth(1)? == uid).then(|| name.to_string())
    })
}
