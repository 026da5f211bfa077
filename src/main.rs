//! The `opsdeck` binary: parses the command line, reads the config, and runs the cockpit or a
//! headless snapshot. Configuration errors exit with code 2 before the terminal is touched.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use opsdeck::cli::{ChecklistCommand, Cli, RulesCommand, Sub};
use opsdeck::{logging, snapshot, startup, terminal};

/// Bad configuration or arguments: the operator must fix something.
const EXIT_CONFIG: u8 = 2;

fn main() -> ExitCode {
    let started = std::time::Instant::now();
    let cli = Cli::parse();
    // One TLS crypto provider for the whole process (docs/architecture.md, "One crypto
    // provider").
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    // Reviewing the rules needs the config file only: no cluster, theme or keymap.
    if let Some(Sub::Rules(RulesCommand::Check(args))) = &cli.command {
        return ExitCode::from(rules_check(&cli.common, args));
    }
    let startup = match startup::prepare(&cli.common) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("opsdeck: {e}");
            return ExitCode::from(EXIT_CONFIG);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("opsdeck: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(Sub::Checklist(command)) = &cli.command {
        let code = match command {
            ChecklistCommand::List => {
                opsdeck::checklist_cli::list(&startup.settings.checklists.catalog)
            }
            ChecklistCommand::Run(args) => {
                runtime.block_on(opsdeck::checklist_cli::run(&startup, args))
            }
        };
        runtime.shutdown_background();
        return ExitCode::from(code);
    }
    let result = match cli.command {
        Some(Sub::Snapshot(args)) => runtime.block_on(run_snapshot(&startup, &args)),
        Some(Sub::Checklist(_) | Sub::Rules(_)) => Ok(()),
        Some(Sub::Audit(args)) => opsdeck::audit_cli::print(startup.audit.as_ref(), &args),
        Some(Sub::Sim(args)) => {
            let demo = startup::demo_config(&startup.config, &cli.common);
            let refresh = startup.config.refresh;
            runtime.block_on(opsdeck::sim::standalone::run_standalone(
                demo, refresh, &args,
            ))
        }
        None => runtime.block_on(run_cockpit(&cli, &startup, started)),
    };
    // Sources may still be sending; do not wait for them.
    runtime.shutdown_background();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("opsdeck: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run_snapshot(
    startup: &startup::Startup,
    args: &opsdeck::cli::SnapshotArgs,
) -> color_eyre::Result<()> {
    let (mut state, mut inputs, runner) = startup::start(startup, args.size);
    // The panel's usage (if it shows any) is part of the first sight the snapshot waits for.
    state.panel = args.panel;
    runner.want_metrics(opsdeck::app::metrics_demand::wanted(&state));
    snapshot::wait_for_first_data(&mut state, &mut inputs.reports, args.wait).await;
    snapshot::apply_args(&mut state, args);
    let buffer = snapshot::render(&mut state);
    let text = if args.ansi {
        snapshot::to_ansi(&buffer)
    } else {
        snapshot::to_text(&buffer)
    };
    std::io::stdout().write_all(text.as_bytes())?;
    Ok(())
}

async fn run_cockpit(
    cli: &Cli,
    startup: &startup::Startup,
    started: std::time::Instant,
) -> color_eyre::Result<()> {
    let log_path = cli
        .common
        .log_file
        .clone()
        .or_else(logging::default_log_file);
    let _log_guard = match log_path.as_deref().map(logging::init) {
        Some(Ok(guard)) => Some(guard),
        Some(Err(problem)) => {
            eprintln!("opsdeck: {problem}; continuing without a log");
            None
        }
        None => None,
    };
    tracing::info!(
        demo = startup.demo.is_some(),
        readonly = startup.settings.readonly,
        "starting"
    );
    let mut terminal = terminal::enter()?;
    let size = terminal
        .size()
        .map(|s| (s.width, s.height))
        .unwrap_or((80, 24));
    let (mut state, inputs, runner) = startup::start(startup, size);
    let max_fps = startup.config.ui.max_fps;
    let result =
        opsdeck::app::runtime::run(&mut terminal, &mut state, inputs, &runner, max_fps, started)
            .await;
    // However the loop ended: what actions started stops with us, and what still ran is on
    // record as abandoned.
    let abandoned = runner.abandon_running().await;
    // Port-forwards are this process's listeners: they close with it, said in the log.
    let forwards = runner.close_forwards();
    if forwards > 0 {
        tracing::info!(forwards, "port-forwards closed on quit");
    }
    let stopped = opsdeck::actions::children::stop_all();
    terminal::leave();
    if abandoned > 0 {
        eprintln!(
            "opsdeck: {abandoned} running action(s) recorded as abandoned in the audit log{}",
            if stopped > 0 {
                format!("; {stopped} of their processes stopped")
            } else {
                String::new()
            }
        );
    }
    // Leave the war room now rather than when the presence entry expires.
    if let Some(room) = &runner.room {
        room.leave().await;
    }
    tracing::info!("stopped");
    result
}

/// `opsdeck rules check`: prints the rule that applies; 0 allowed, 1 denied, 2 config error.
fn rules_check(common: &opsdeck::cli::CommonArgs, args: &opsdeck::cli::RulesCheckArgs) -> u8 {
    use opsdeck::rules_cli::{EXIT_USAGE, Question, check};
    let Some(context) = common.context.as_deref() else {
        eprintln!(
            "opsdeck: rules check needs --context NAME (a kubeconfig context, or a source's name)"
        );
        return EXIT_USAGE;
    };
    let namespace = match common.namespace.as_slice() {
        [] => None,
        [one] => Some(one.as_str()),
        _ => {
            eprintln!("opsdeck: rules check judges one --namespace at a time");
            return EXIT_USAGE;
        }
    };
    let at = match args.at.as_deref() {
        None => opsdeck::domain::UnixTime::now(),
        Some(text) => match opsdeck::domain::UnixTime::parse_rfc3339(text) {
            Some(at) => at,
            None => {
                eprintln!("opsdeck: --at: `{text}` is not a time like 2026-12-05T12:00:00Z");
                return EXIT_USAGE;
            }
        },
    };
    let (config, path) = match opsdeck::config::Config::load(common.config.as_deref()) {
        Ok(loaded) => loaded,
        Err(e) => {
            eprintln!("opsdeck: {e}");
            return EXIT_CONFIG;
        }
    };
    let question = Question {
        context,
        namespace,
        action: &args.action,
        at,
    };
    let (text, code) = check(&config, path.as_deref(), &question);
    if code == EXIT_USAGE {
        eprintln!("opsdeck: {text}");
    } else {
        print!("{text}");
    }
    code
}
