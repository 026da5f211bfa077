//! End to end, sources that cannot be reached: the real binary in a pty with Prometheus and
//! Redis configured at addresses nothing listens on. Each outage is written to the log once,
//! with its reason, however often the adapter retries.

mod pty;

use std::time::{Duration, Instant};

use pty::Cockpit;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A config of sources nothing answers for, refreshed every second.
fn dead_sources() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "refresh = \"1s\"\n\
             [prometheus]\nurl = \"http://127.0.0.1:{}\"\n\
             [[redis]]\nname = \"cache\"\nurl = \"redis://127.0.0.1:{}/\"\n",
            free_port(),
            free_port()
        ),
    )
    .expect("write config");
    let path = config.to_str().expect("utf-8").to_string();
    (dir, path)
}

/// The screen's UTC clock, in seconds of the day.
fn clock(screen: &str) -> Option<u32> {
    screen.split_whitespace().find_map(|w| {
        let mut parts = w.split(':').map(|p| p.parse::<u32>().ok());
        match (parts.next()??, parts.next()??, parts.next()??, parts.next()) {
            (h, m, s, None) if w.len() == 8 => Some(h * 3600 + m * 60 + s),
            _ => None,
        }
    })
}

#[test]
fn each_outage_is_logged_once_with_its_reason() {
    let (_dir, config) = dead_sources();
    let mut c = Cockpit::start(120, 30, &["--config", &config]);
    c.wait_for("prom✖");
    c.wait_for("redis✖");
    let log_path = c.home().join("opsdeck.log");
    let log = || std::fs::read_to_string(&log_path).unwrap_or_default();
    let deadline = Instant::now() + Duration::from_secs(10);
    while !(log().contains("prom prometheus unreachable: cannot connect")
        && log().contains("redis cache unreachable:"))
    {
        assert!(Instant::now() < deadline, "no outage logged:\n{}", log());
        c.pump(Duration::from_millis(50));
    }
    // Let the adapters retry a few times (they refresh every second), watching the clock.
    let start = clock(&c.screen()).expect("a clock on screen");
    let deadline = Instant::now() + Duration::from_secs(10);
    while clock(&c.screen()).is_none_or(|t| t < start + 4) {
        assert!(Instant::now() < deadline, "the clock stands still");
        c.pump(Duration::from_millis(100));
    }
    let text = log();
    let lines = |what: &str| text.lines().filter(|l| l.contains(what)).count();
    assert_eq!(lines("prom prometheus unreachable"), 1, "{text}");
    assert_eq!(lines("redis cache unreachable"), 1, "{text}");
    c.keys(&["q"]);
    assert_eq!(c.exit_code(), 0);
}

/// An instance that never connected has its row in the Databases panel, with the reason; the
/// details pane has the reason whole.
#[test]
fn an_instance_that_never_connected_has_its_row_and_reason() {
    let (_dir, config) = dead_sources();
    let mut c = Cockpit::start(120, 30, &["--config", &config]);
    c.keys(&["5"]);
    c.wait_for_line_with(&["cache", "✖ unreachable", "refused"]);
    c.keys(&["\r"]);
    c.wait_for_line_with(&["cache ✖ unreachable", "refused"]);
    c.keys(&["q"]);
    assert_eq!(c.exit_code(), 0);
}
