//! Where the cockpit's memory goes with a large cluster: a dhat heap profile of what opsdeck
//! holds once it shows 100,000 pods. The simulator serves the Kubernetes API from a child
//! process (its own world is not the cockpit's memory); this process runs the real kube adapter
//! against it, applies every report to the cockpit's state as the runtime does, and draws the
//! Pods panel at 200x50. Then it prints the heap now and at its peak, and the allocation sites
//! holding the most, at the end (what an idle cockpit keeps) and at the peak (first sight).
//!
//! Run: `cargo run --example heap_profile [PODS]` (default 100,000). dhat records a backtrace
//! per allocation, so this takes minutes in a debug build; the full profile is written to
//! `dhat-heap.json` in the working directory (open it in dhat's `dh_view.html`).

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use opsdeck::adapters::kube;
use opsdeck::app::{Msg, Panel, Settings, State, prepare_frame, update};
use opsdeck::config::{DemoConfig, KubernetesConfig};
use opsdeck::domain::{Report, UnixTime};
use opsdeck::sim::{self, World};
use ratatui::{Terminal, backend::TestBackend};
use tokio::sync::mpsc;

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

/// How many sites each list shows.
const TOP: usize = 12;
const PROFILE: &str = "dhat-heap.json";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--serve") {
        let pods = args
            .get(1)
            .and_then(|p| p.parse().ok())
            .expect("--serve PODS");
        serve(pods);
        return;
    }
    let pods: usize = args.first().and_then(|p| p.parse().ok()).unwrap_or(100_000);
    let mut sim = Command::new(std::env::current_exe().expect("this example's path"))
        .args(["--serve", &pods.to_string()])
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the simulator");
    let mut addr = String::new();
    BufReader::new(sim.stdout.take().expect("piped"))
        .read_line(&mut addr)
        .expect("the simulator's address");
    let addr = addr.trim().to_string();
    eprintln!("simulator of {pods} pods on {addr}; profiling the cockpit");

    let started = Instant::now();
    let profiler = dhat::Profiler::builder().file_name(PROFILE).build();
    let (state, adapter) = cockpit(&addr, pods);
    let now = dhat::HeapStats::get();
    let elapsed = started.elapsed();
    // The profile is taken while the state and the adapter (its runtime, its sets of pod keys
    // and usage) are still held: "at the end" is the idle cockpit.
    drop(profiler);
    drop(adapter);
    let _ = sim.kill();
    let _ = sim.wait();
    println!(
        "{pods} pods shown ({} in the state) after {:.0} s under dhat",
        state.estate.pods.len(),
        elapsed.as_secs_f64()
    );
    println!(
        "heap held now: {:.1} MB in {} blocks; at its peak: {:.1} MB in {} blocks",
        mb(now.curr_bytes as u64),
        now.curr_blocks,
        mb(now.max_bytes as u64),
        now.max_blocks
    );
    print_sites(PROFILE);
}

/// The cockpit's part: the kube adapter's reports applied to a state, the Pods panel drawn;
/// the adapter goes on running (watching, polling usage) until the runtime is dropped.
fn cockpit(addr: &str, pods: usize) -> (State, (tokio::runtime::Runtime, kube::KubeExecutor)) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let mut state = State::new(settings(), UnixTime::now(), (200, 50));
    state.panel = Panel::Pods;
    let executor = runtime.block_on(async {
        let cluster = KubernetesConfig {
            server_url: Some(format!("http://{addr}")),
            ..KubernetesConfig::default()
        };
        let (tx, mut rx) = mpsc::channel(1024);
        // The adapter as the cockpit runs it with the Pods panel shown (usage wanted).
        let executor = kube::spawn(cluster, "demo".into(), Duration::from_secs(5), tx);
        let deadline = tokio::time::Instant::now() + Duration::from_secs(1800);
        let (mut listed, mut usage, mut workloads) = (false, false, false);
        while !(listed && usage && workloads) {
            let report = tokio::time::timeout_at(deadline, rx.recv())
                .await
                .expect("the cockpit's first sight within 30 min")
                .expect("the adapter runs");
            match &report.report {
                Report::PodsReset(p) => listed = p.len() == pods,
                Report::PodUsage(_) => usage = true,
                Report::Workloads(_) => workloads = true,
                Report::Unreachable(why) => panic!("the simulator is unreachable: {why}"),
                _ => {}
            }
            update(&mut state, Msg::Report(report));
        }
        let mut terminal = Terminal::new(TestBackend::new(200, 50)).expect("terminal");
        prepare_frame(&mut state);
        terminal
            .draw(|frame| opsdeck::ui::view(frame, &state))
            .expect("draw");
        executor
    });
    (state, (runtime, executor))
}

/// The child: the simulator's Kubernetes API, frozen (no churn), until the parent goes.
fn serve(pods: usize) {
    // SAFETY: prctl with PR_SET_PDEATHSIG only asks for a signal when the parent exits.
    unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM) };
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let demo = DemoConfig {
            pods,
            freeze: true,
            ..DemoConfig::default()
        };
        let world = World::generate(&demo, 2, UnixTime::now());
        let (tx, mut rx) = mpsc::channel(1024);
        tokio::spawn(async move { while rx.recv().await.is_some() {} });
        let policy = sim::kubeapi::Policy::default();
        let journal = sim::kubeapi::JOURNAL_DEFAULT;
        let served =
            sim::serve::spawn(world, demo, ([127, 0, 0, 1], 0).into(), policy, journal, tx)
                .map_err(|(_, e)| e)
                .expect("serve the simulator");
        println!("{}", served.addr);
        std::future::pending::<()>().await;
    });
}

fn settings() -> Arc<Settings> {
    use opsdeck::config::{Keymap, Theme};
    Arc::new(Settings {
        keymap: Keymap::builtin("default").expect("shipped keymap"),
        theme: Theme::builtin("default").expect("shipped theme"),
        ascii: false,
        readonly: true,
        present: false,
        context: "demo".into(),
        namespaces: "all".into(),
        contexts: Vec::new(),
        state_dir: None,
        operator: "heap-profile".into(),
        empty_hint: None,
        runbooks: Vec::new(),
        logs: Default::default(),
        checklists: opsdeck::app::checklist::ChecklistSettings {
            catalog: opsdeck::checklist::Catalog::load(None),
            reports: None,
        },
        guardrails: Default::default(),
        context_styles: Vec::new(),
    })
}

/// The largest sites of the profile, held at the end and at the peak, each named by its first
/// frames in opsdeck (the allocator's and the standard library's own frames skipped).
fn print_sites(path: &str) {
    let text = std::fs::read_to_string(path).expect("dhat's profile");
    let profile: serde_json::Value = serde_json::from_str(&text).expect("dhat's JSON");
    let frames: Vec<&str> = profile["ftbl"]
        .as_array()
        .expect("ftbl")
        .iter()
        .map(|f| f.as_str().unwrap_or(""))
        .collect();
    let sites = profile["pps"].as_array().expect("pps");
    for (field, title) in [
        ("eb", "held at the end (the idle cockpit)"),
        ("gb", "held at the peak"),
    ] {
        let total: u64 = sites.iter().map(|s| s[field].as_u64().unwrap_or(0)).sum();
        println!("\nlargest sites {title}, {:.1} MB in all:", mb(total));
        let mut sorted: Vec<&serde_json::Value> = sites.iter().collect();
        sorted.sort_by_key(|s| std::cmp::Reverse(s[field].as_u64().unwrap_or(0)));
        for site in sorted.into_iter().take(TOP) {
            let bytes = site[field].as_u64().unwrap_or(0);
            let blocks = site[&format!("{field}k")].as_u64().unwrap_or(0);
            let stack: Vec<&str> = site["fs"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|i| frames.get(i.as_u64()? as usize).copied())
                .collect();
            let mut names: Vec<String> = (stack.iter())
                .filter(|f| is_ours(f))
                .take(3)
                .map(|f| short(f))
                .collect();
            if names.is_empty() {
                // Only the standard library's frames resolved: say where it stops.
                names.extend(stack.iter().rev().take(2).map(|f| short(f)));
            }
            println!(
                "{:>8.1} MB {:>9} blocks  {}",
                mb(bytes),
                blocks,
                names.join(" < ")
            );
        }
    }
}

/// A frame of opsdeck's or of a library it calls, not of the allocator or the standard
/// library's collections (inlined frames, named without their path, are skipped too).
fn is_ours(frame: &str) -> bool {
    const NOT_OURS: [&str; 9] = [
        "__rustc",
        "std",
        "core",
        "alloc",
        "dhat",
        "hashbrown",
        "allocator_api2",
        "indexmap",
        "smallvec",
    ];
    let name = frame.split_once(": ").map_or(frame, |(_, n)| n);
    let name = name.trim_start_matches('<');
    match name.split_once("::") {
        Some((krate, _)) if krate.chars().all(|c| c.is_alphanumeric() || c == '_') => {
            !NOT_OURS.contains(&krate)
        }
        _ => false,
    }
}

/// `0x55..: opsdeck::domain::pod::PodStore::reset (src/domain/pod.rs:152:45)` → the function
/// and the file's line, the address and hash dropped.
fn short(frame: &str) -> String {
    let name = frame.split_once(": ").map_or(frame, |(_, n)| n);
    let (function, place) = name.split_once(" (").unwrap_or((name, ""));
    let place = place.trim_end_matches(')');
    let place = place.rsplit_once("/src/").map_or(place, |(_, p)| p);
    format!("{function} ({place})")
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1_000_000.0
}
