//! Real servers for the adapters' tests, from Debian's packages: PostgreSQL 15 and Redis, each
//! in a temporary directory on a free loopback port, started once per test binary and shared
//! (tests use their own databases and key prefixes). A watchdog stops each server, by PID, when
//! the test process is gone. When a server's package is missing, the test fails naming it if
//! `CI` is set, and is skipped with that message otherwise.

#![allow(dead_code)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

pub const PG_BIN: &str = "/usr/lib/postgresql/15/bin";
pub const SUPERUSER_PASSWORD: &str = "superuser-test-pw";
/// The role the adapter connects as: not a superuser, but allowed to signal backends.
pub const ADAPTER_USER: &str = "opsdeck";
pub const ADAPTER_PASSWORD: &str = "opsdeck-test-pw";
/// The role of the sessions the tests create and the adapter acts on.
pub const APP_USER: &str = "app";
pub const APP_PASSWORD: &str = "app-test-pw";
/// A role with no right to signal anyone else's backend.
pub const NOBODY_USER: &str = "nobody_role";
pub const NOBODY_PASSWORD: &str = "nobody-test-pw";

/// Fails when `what` is missing and `CI` is set; otherwise skips (returns `None`). A skipped
/// test is reported as passed by the harness, so the skip is written past the harness's
/// capture, straight to the terminal, and kept in `target/tmp/skipped-tests.txt`, which
/// scripts/test sums up at the end: `cargo test` never looks greener than it is.
fn missing(package: &str, what: &str) -> Option<()> {
    use std::io::Write;
    let message =
        format!("{what} not found: install the Debian package `{package}` (scripts/test does)");
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && v != "false");
    if ci {
        panic!("{message}");
    }
    let test = std::thread::current()
        .name()
        .unwrap_or("a test")
        .to_string();
    let line = format!("SKIPPED (reported as passed): {test}: {message}\n");
    // io::stderr() is not captured by the test harness (only the print macros are).
    let _ = std::io::stderr().write_all(line.as_bytes());
    let log = Path::new(env!("CARGO_TARGET_TMPDIR")).join("skipped-tests.txt");
    if let Ok(mut file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
    {
        let _ = file.write_all(line.as_bytes());
    }
    None
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self")
        .map(|m| m.uid() == 0)
        .unwrap_or(false)
}

/// Runs a command as the postgres user when we are root (initdb and pg_ctl refuse root).
fn as_postgres(program: &str) -> Command {
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--", program]);
        c
    } else {
        Command::new(program)
    }
}

/// Stops what `stop` says once this test process has exited.
fn watchdog(stop: &str) {
    let script = format!(
        "while kill -0 {} 2>/dev/null; do sleep 1; done; {stop}",
        std::process::id()
    );
    let _ = Command::new("sh")
        .args(["-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
}

fn run(cmd: &mut Command, what: &str) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A server process the harness started and may stop: by PID, waited for.
#[derive(Default)]
pub struct Process(Mutex<Option<Child>>);

impl Process {
    fn running(child: Child) -> Self {
        Process(Mutex::new(Some(child)))
    }

    fn set(&self, child: Child) {
        *self.0.lock().unwrap() = Some(child);
    }

    fn stop(&self) {
        if let Some(mut child) = self.0.lock().unwrap().take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn port_open(port: u16) -> bool {
    std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
}

/// Polls `ready` until it holds, failing the test after `secs` seconds.
fn wait_until(what: &str, secs: u64, ready: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !ready() {
        assert!(
            Instant::now() < deadline,
            "{what} did not come up within {secs} s"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

pub struct Postgres {
    pub port: u16,
    pub dir: PathBuf,
    data: PathBuf,
    sockets: PathBuf,
}

impl Postgres {
    /// A new server: initdb, start, roles. Most tests want `Postgres::shared()`.
    pub fn start() -> Option<Postgres> {
        let initdb = Path::new(PG_BIN).join("initdb");
        if !initdb.exists() {
            missing("postgresql-15", &initdb.display().to_string())?;
        }
        let dir =
            std::env::temp_dir().join(format!("opsdeck-pg-{}-{}", std::process::id(), free_port()));
        let data = dir.join("data");
        let sockets = dir.join("sockets");
        std::fs::create_dir_all(&sockets).expect("temp dir");
        let pwfile = dir.join("pwfile");
        std::fs::write(&pwfile, SUPERUSER_PASSWORD).expect("pwfile");
        // A CA and a server certificate for localhost signed by it (webpki takes no CA as a
        // server's own certificate): the server also speaks TLS, for the tests of the adapter's
        // TLS (clients that trust it by SSL_CERT_FILE=dir/ca.crt).
        run(
            Command::new("sh").current_dir(&dir).args([
                "-c",
                "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj '/CN=opsdeck test CA' \
                   -keyout ca.key -out ca.crt && \
                 openssl req -new -newkey rsa:2048 -nodes -subj /CN=localhost \
                   -keyout server.key -out server.csr && \
                 printf 'subjectAltName=DNS:localhost\\nbasicConstraints=CA:FALSE\\n' > ext && \
                 openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial \
                   -days 2 -extfile ext -out server.crt",
            ]),
            "openssl (test certificates)",
        );
        {
            use std::os::unix::fs::PermissionsExt;
            // PostgreSQL refuses a key others can read.
            std::fs::set_permissions(
                dir.join("server.key"),
                std::fs::Permissions::from_mode(0o600),
            )
            .expect("chmod server.key");
        }
        if is_root() {
            run(
                Command::new("chown")
                    .args(["-R", "postgres:postgres"])
                    .arg(&dir),
                "chown",
            );
        }
        run(
            as_postgres(initdb.to_str().unwrap())
                .arg("-D")
                .arg(&data)
                .args([
                    "-U",
                    "postgres",
                    "--auth-local=trust",
                    "--auth-host=scram-sha-256",
                    "--no-sync",
                ])
                .arg(format!("--pwfile={}", pwfile.display())),
            "initdb",
        );
        let pg = Postgres {
            port: free_port(),
            dir: dir.clone(),
            data,
            sockets,
        };
        pg.start_again();
        let pg_ctl = Path::new(PG_BIN).join("pg_ctl");
        let stop = if is_root() {
            format!(
                "runuser -u postgres -- {} -D {} -m immediate stop; rm -rf {}",
                pg_ctl.display(),
                pg.data.display(),
                dir.display()
            )
        } else {
            format!(
                "{} -D {} -m immediate stop; rm -rf {}",
                pg_ctl.display(),
                pg.data.display(),
                dir.display()
            )
        };
        watchdog(&stop);
        pg.psql_as_superuser(&format!(
            "CREATE ROLE {ADAPTER_USER} LOGIN PASSWORD '{ADAPTER_PASSWORD}' IN ROLE pg_signal_backend, pg_read_all_stats;
             CREATE ROLE {APP_USER} LOGIN PASSWORD '{APP_PASSWORD}' CREATEDB;
             CREATE ROLE {NOBODY_USER} LOGIN PASSWORD '{NOBODY_PASSWORD}';"
        ));
        Some(pg)
    }

    /// The server shared by every test of this test binary.
    pub fn shared() -> Option<&'static Postgres> {
        static SHARED: OnceLock<Option<Postgres>> = OnceLock::new();
        SHARED.get_or_init(Postgres::start).as_ref()
    }

    pub fn start_again(&self) {
        run(
            as_postgres(Path::new(PG_BIN).join("pg_ctl").to_str().unwrap())
                .arg("-D")
                .arg(&self.data)
                .arg("-l")
                .arg(self.dir.join("log"))
                .args(["-w", "-o"])
                .arg(format!(
                    "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60 \
                     -c ssl=on -c ssl_cert_file={} -c ssl_key_file={}",
                    self.port,
                    self.sockets.display(),
                    self.dir.join("server.crt").display(),
                    self.dir.join("server.key").display()
                ))
                .arg("start"),
            "pg_ctl start",
        );
    }

    pub fn stop(&self) {
        run(
            as_postgres(Path::new(PG_BIN).join("pg_ctl").to_str().unwrap())
                .arg("-D")
                .arg(&self.data)
                .args(["-m", "fast", "-w", "stop"]),
            "pg_ctl stop",
        );
    }

    /// Stops (`SIGSTOP`) or continues (`SIGCONT`) the server and every one of its processes,
    /// by PID (the postmaster's from `postmaster.pid`, its children from /proc): a hung server,
    /// which accepts TCP connections (the kernel does) but answers nothing.
    pub fn freeze(&self, frozen: bool) {
        let pid_file = std::fs::read_to_string(self.data.join("postmaster.pid"))
            .expect("postmaster.pid of a running server");
        let postmaster = pid_file.lines().next().expect("a PID").trim().to_string();
        let mut pids = vec![postmaster.clone()];
        for entry in std::fs::read_dir("/proc").expect("/proc").flatten() {
            let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
                continue;
            };
            // pid (comm) state ppid ...: the comm may hold spaces, so read after its ')'.
            let ppid = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().nth(1));
            if ppid == Some(postmaster.as_str()) {
                pids.push(entry.file_name().to_string_lossy().into_owned());
            }
        }
        let signal = if frozen { "-STOP" } else { "-CONT" };
        run(
            Command::new("kill").arg(signal).args(&pids),
            "kill (freeze)",
        );
    }

    pub fn dsn(&self, user: &str, password: &str, dbname: &str) -> String {
        format!(
            "host=127.0.0.1 port={} user={user} password={password} dbname={dbname} sslmode=disable",
            self.port
        )
    }

    /// Runs SQL as the superuser over the local socket; returns the output (`-At`).
    pub fn psql_as_superuser(&self, sql: &str) -> String {
        self.psql(&["-d", "postgres"], sql)
    }

    pub fn psql(&self, extra: &[&str], sql: &str) -> String {
        let out = Command::new(Path::new(PG_BIN).join("psql"))
            .args([
                "-h",
                self.sockets.to_str().unwrap(),
                "-p",
                &self.port.to_string(),
                "-U",
                "postgres",
                "-At",
                "-v",
                "ON_ERROR_STOP=1",
            ])
            .args(extra)
            .args(["-c", sql])
            .output()
            .expect("psql");
        assert!(
            out.status.success(),
            "psql {sql}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// A database of the test's own, owned by the app role.
    pub fn database(&self, name: &str) -> String {
        self.psql_as_superuser(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        self.psql_as_superuser(&format!("CREATE DATABASE {name} OWNER {APP_USER}"));
        name.to_string()
    }

    /// Runs pgbench against `db` with the given arguments (e.g. `-i -s 1`), as the app role.
    pub fn pgbench(&self, db: &str, args: &[&str]) -> Child {
        Command::new(Path::new(PG_BIN).join("pgbench"))
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-U",
                APP_USER,
            ])
            .args(args)
            .arg(db)
            .env("PGPASSWORD", APP_PASSWORD)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("pgbench")
    }
}

pub struct Redis {
    pub port: u16,
    pub password: Option<String>,
    dir: PathBuf,
    child: Process,
}

impl Redis {
    pub fn start(password: Option<&str>) -> Option<Redis> {
        if Command::new("redis-server")
            .arg("--version")
            .output()
            .is_err()
        {
            missing("redis-server", "redis-server")?;
        }
        let dir = std::env::temp_dir().join(format!(
            "opsdeck-redis-{}-{}",
            std::process::id(),
            free_port()
        ));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let redis = Redis {
            port: free_port(),
            password: password.map(String::from),
            dir,
            child: Process::default(),
        };
        redis.start_again();
        Some(redis)
    }

    pub fn shared() -> Option<&'static Redis> {
        static SHARED: OnceLock<Option<Redis>> = OnceLock::new();
        SHARED.get_or_init(|| Redis::start(None)).as_ref()
    }

    pub fn start_again(&self) {
        let mut cmd = Command::new("redis-server");
        cmd.args([
            "--port",
            &self.port.to_string(),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ])
        .arg("--dir")
        .arg(&self.dir)
        .args(["--maxmemory", "64mb", "--daemonize", "no"])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
        if let Some(p) = &self.password {
            cmd.args(["--requirepass", p]);
        }
        let child = cmd.spawn().expect("redis-server");
        watchdog(&format!(
            "kill {} 2>/dev/null; rm -rf {}",
            child.id(),
            self.dir.display()
        ));
        self.child.set(child);
        wait_until(&format!("redis-server on port {}", self.port), 10, || {
            port_open(self.port)
        });
    }

    /// Stops the server by its PID and waits for it.
    pub fn stop(&self) {
        self.child.stop();
    }

    pub fn url(&self) -> String {
        match &self.password {
            Some(p) => format!("redis://:{p}@127.0.0.1:{}/", self.port),
            None => format!("redis://127.0.0.1:{}/", self.port),
        }
    }
}

pub struct Alertmanager {
    pub port: u16,
    dir: PathBuf,
    child: Process,
}

impl Alertmanager {
    /// A new Alertmanager with gossip off (`--cluster.listen-address=`: otherwise it binds
    /// 0.0.0.0:9094 and parallel instances collide).
    pub fn start() -> Option<Alertmanager> {
        if Command::new("prometheus-alertmanager")
            .arg("--version")
            .output()
            .is_err()
        {
            missing("prometheus-alertmanager", "prometheus-alertmanager")?;
        }
        let dir =
            std::env::temp_dir().join(format!("opsdeck-am-{}-{}", std::process::id(), free_port()));
        std::fs::create_dir_all(dir.join("data")).expect("temp dir");
        std::fs::write(
            dir.join("alertmanager.yml"),
            "route:\n  receiver: 'null'\n  group_by: ['alertname']\nreceivers:\n  - name: 'null'\n",
        )
        .expect("config");
        let am = Alertmanager {
            port: free_port(),
            dir,
            child: Process::default(),
        };
        am.start_again();
        Some(am)
    }

    pub fn start_again(&self) {
        let child = Command::new("prometheus-alertmanager")
            .arg(format!(
                "--config.file={}",
                self.dir.join("alertmanager.yml").display()
            ))
            .arg(format!(
                "--storage.path={}",
                self.dir.join("data").display()
            ))
            .arg(format!("--web.listen-address=127.0.0.1:{}", self.port))
            .arg("--cluster.listen-address=")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("prometheus-alertmanager");
        watchdog(&format!(
            "kill {} 2>/dev/null; rm -rf {}",
            child.id(),
            self.dir.display()
        ));
        self.child.set(child);
        wait_until(
            &format!("alertmanager ready on port {}", self.port),
            20,
            || {
                // GET /-/ready answers 200 once the API serves.
                std::net::TcpStream::connect(("127.0.0.1", self.port))
                    .ok()
                    .and_then(|mut s| {
                        use std::io::{Read, Write};
                        s.write_all(b"GET /-/ready HTTP/1.0\r\n\r\n").ok()?;
                        let mut answer = String::new();
                        s.read_to_string(&mut answer).ok()?;
                        answer.starts_with("HTTP/1.0 200").then_some(())
                    })
                    .is_some()
            },
        );
    }

    pub fn stop(&self) {
        self.child.stop();
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

pub struct Prometheus {
    pub port: u16,
    dir: PathBuf,
    child: Process,
}

impl Prometheus {
    /// A new Prometheus scraping itself every second (job `self`).
    pub fn start() -> Option<Prometheus> {
        if Command::new("prometheus")
            .arg("--version")
            .output()
            .is_err()
        {
            missing("prometheus", "prometheus")?;
        }
        let dir = std::env::temp_dir().join(format!(
            "opsdeck-prom-{}-{}",
            std::process::id(),
            free_port()
        ));
        std::fs::create_dir_all(dir.join("data")).expect("temp dir");
        let port = free_port();
        std::fs::write(
            dir.join("prometheus.yml"),
            format!(
                "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: self\n    static_configs:\n      - targets: ['127.0.0.1:{port}']\n"
            ),
        )
        .expect("config");
        let child = Command::new("prometheus")
            .arg(format!(
                "--config.file={}",
                dir.join("prometheus.yml").display()
            ))
            .arg(format!(
                "--storage.tsdb.path={}",
                dir.join("data").display()
            ))
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .arg("--web.enable-lifecycle")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("prometheus");
        watchdog(&format!(
            "kill {} 2>/dev/null; rm -rf {}",
            child.id(),
            dir.display()
        ));
        wait_until(&format!("prometheus on port {port}"), 30, || {
            port_open(port)
        });
        Some(Prometheus {
            port,
            dir,
            child: Process::running(child),
        })
    }

    pub fn stop(&self) {
        self.child.stop();
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

/// Waits for the adapter's next `Unreachable` report and returns its reason; other reports are
/// skipped. Fails the test after `wait`.
pub async fn next_unreachable(
    rx: &mut tokio::sync::mpsc::Receiver<opsdeck::domain::SourceReport>,
    wait: Duration,
) -> String {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let report = tokio::time::timeout_at(deadline, rx.recv())
            .await
            .expect("unreachable in time")
            .expect("adapter alive");
        if let opsdeck::domain::Report::Unreachable(reason) = report.report {
            return reason;
        }
    }
}
