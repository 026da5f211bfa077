//! Tests of `file`.

use super::*;

fn parse(text: &str) -> Result<Config, String> {
    Config::parse(Path::new("/etc/opsdeck.toml"), text).map_err(|e| e.to_string())
}

#[test]
fn backup_sets_parse_and_a_missing_path_names_the_set() {
    let c = parse(
        "[[backups]]\nname = \"nightly\"\nkind = \"directory\"\npath = \"/b\"\n\
         pattern = \"*.dump.gz\"\nrpo = \"1h\"\nretention = \"7d\"\n",
    )
    .unwrap();
    let set = &c.backups[0];
    assert_eq!(set.rpo, Duration::from_secs(3600));
    assert_eq!(set.location(), "/b/*.dump.gz");
    let err = parse("[[backups]]\nname = \"x\"\nkind = \"directory\"\n").unwrap_err();
    assert!(
        err.contains(":2:1: backup set `x`: a directory set needs `path`"),
        "{err}"
    );
    let err = parse("[[backups]]\nname = \"v\"\nkind = \"tape\"\n").unwrap_err();
    assert!(err.contains("tape"), "{err}");
}

#[test]
fn empty_file_gives_defaults() {
    let c = parse("").unwrap();
    assert_eq!(c.theme, "default");
    assert_eq!(c.demo, DemoConfig::default());
    assert_eq!(c.ui.max_fps, 30);
}

#[test]
fn full_file_parses() {
    let c = parse(
        "operator = \"alice\"\ntheme = \"light\"\nkeymap = \"vim\"\nrefresh = \"5s\"\n\
         [ui]\nascii = true\ncolor = \"256\"\nmax_fps = 20\n\
         [demo]\nseed = 7\npods = 1000\ntick = \"500ms\"\nchurn = 0\nfreeze = true\n",
    )
    .unwrap();
    assert_eq!(c.operator.as_deref(), Some("alice"));
    assert_eq!(c.refresh, Duration::from_secs(5));
    assert_eq!(c.ui.color, Some(ColorDepth::Ansi256));
    assert_eq!(c.demo.tick, Duration::from_millis(500));
    assert!(c.demo.freeze);
}

#[test]
fn errors_name_file_line_and_key() {
    let err = parse("theme = \"light\"\n\n[demo]\npods = \"many\"\n").unwrap_err();
    assert!(
        err.starts_with("/etc/opsdeck.toml:4:8: key `demo.pods`"),
        "{err}"
    );

    let err = parse("[demo]\npods = 200000\n").unwrap_err();
    assert!(
        err.contains(":2:") && err.contains("expected 1 to 100000"),
        "{err}"
    );

    let err = parse("refresh = \"soon\"\n").unwrap_err();
    assert!(
        err.contains(":1:") && err.contains("key `refresh`") && err.contains("\"2s\""),
        "{err}"
    );

    let err = parse("[ui]\ncolour = \"16\"\n").unwrap_err();
    assert!(
        err.contains(":2:1") && err.contains("unknown field `colour`"),
        "{err}"
    );

    let err = parse("theme = \n").unwrap_err();
    assert!(err.contains(":1:"), "syntax errors carry a line too: {err}");
}

#[test]
fn sources_parse_with_their_defaults() {
    let c = parse(
        "[[postgres]]\nname = \"db\"\ndsn = \"host=db user=opsdeck\"\n\
         [[redis]]\nname = \"cache\"\nurl = \"redis://cache:6379\"\npassword_env = \"CACHE_PW\"\n\
         [[services]]\nname = \"workflow-orchestrator\"\nurl = \"http://wo:5000/health\"\nexpect_body = \"UP\"\n\
         [[services]]\nname = \"pos/pos-order\"\nurl = \"http://po/health\"\nexpect_status = 204\ntimeout = \"2s\"\ninterval = \"30s\"\n",
    )
    .unwrap();
    assert_eq!(c.postgres[0].statement_timeout, Duration::from_secs(5));
    assert_eq!(c.redis[0].password_env.as_deref(), Some("CACHE_PW"));
    assert_eq!(c.services.len(), 2);
    assert_eq!(
        (c.services[0].timeout, c.services[0].interval),
        (Duration::from_secs(5), None)
    );
    assert_eq!(c.services[1].interval, Some(Duration::from_secs(30)));
    let c = parse(
        "[prometheus]\nurl = \"http://prom:9090\"\n[[prometheus.kpis]]\nservice = \"pos/pos-payment\"\n\
         p95_ms = \"vector(1)\"\n[[prometheus.kpis]]\nservice = \"pos-order\"\nerror_rate = \"vector(0)\"\nerror_crit = 0.1\n",
    )
    .unwrap();
    let p = c.prometheus.unwrap();
    assert_eq!(p.kpis.len(), 2);
    assert_eq!(
        (p.kpis[0].p95_warn_ms, p.kpis[0].p95_crit_ms),
        (1000.0, 2000.0),
        "the runbooks' defaults"
    );
    assert_eq!((p.kpis[1].error_warn, p.kpis[1].error_crit), (0.01, 0.1));
    let err = parse("[[services]]\nname = \"x\"\n").unwrap_err();
    assert!(err.contains(":1:") && err.contains("url"), "{err}");
}

#[test]
fn missing_explicit_file_is_an_error() {
    let err = Config::load(Some(Path::new("/nonexistent/opsdeck.toml"))).unwrap_err();
    assert!(
        err.to_string().contains("/nonexistent/opsdeck.toml"),
        "{err}"
    );
}
