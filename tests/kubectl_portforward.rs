//! `kubectl port-forward` against `opsdeck sim`: the installed kubectl forwards a local port to
//! a simulated pod over SPDY/3.1, both ways it speaks it (an HTTP upgrade to `SPDY/3.1`, its
//! default here, and tunnelled through a WebSocket, `SPDY/3.1+portforward.k8s.io`, with
//! `KUBECTL_PORT_FORWARD_WEBSOCKETS=true`), and an HTTP GET through it gets the pod's
//! responder; the forward is refused where RBAC denies `create pods/portforward`.

mod sim_process;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use sim_process::{Sim, free_port};

/// kubectl port-forward running, stopped when dropped.
struct Forward(Child);

impl Drop for Forward {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `kubectl port-forward` and waits (with a deadline) for it to say it listens.
fn forward(sim: &Sim, websocket: bool, args: &[&str]) -> Result<Forward, String> {
    forward_saying(sim, websocket, args).map(|(forward, _)| forward)
}

/// The same, with the line kubectl said it with (`Forwarding from 127.0.0.1:L -> R`).
fn forward_saying(sim: &Sim, websocket: bool, args: &[&str]) -> Result<(Forward, String), String> {
    let mut child = Command::new("kubectl")
        .args(["port-forward", "--address", "127.0.0.1"])
        .args(args)
        .env("KUBECTL_PORT_FORWARD_WEBSOCKETS", websocket.to_string())
        .env("KUBECONFIG", sim.kubeconfig())
        .env("HOME", sim.dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kubectl runs");
    let stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = mpsc::channel();
    // Read to the end: kubectl writes a line per connection, and a closed pipe would stop it.
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let forward = Forward(child);
    match rx.recv_timeout(Duration::from_secs(30)) {
        Ok(line) if line.starts_with("Forwarding from 127.0.0.1:") => {
            std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
            Ok((forward, line))
        }
        other => {
            drop(forward);
            let mut err = String::new();
            let _ = stderr.read_to_string(&mut err);
            Err(format!("{other:?}; stderr: {err}"))
        }
    }
}

fn get(port: u16, path: &str) -> String {
    let mut conn = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).expect("connect");
    conn.set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(conn, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").expect("send");
    let mut answer = String::new();
    conn.read_to_string(&mut answer).expect("the answer");
    answer
}

fn reaches_the_pods_http_responder(websocket: bool) {
    let sim = Sim::start(&[]);
    let local = free_port();
    let ports = format!("{local}:6379");
    let _forward = forward(&sim, websocket, &["-n", "data", "pod/redis-0", &ports])
        .expect("kubectl port-forward starts");
    let answer = get(local, "/health");
    assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
    assert!(
        answer.ends_with("{\"status\":\"UP\",\"pod\":\"redis-0\",\"container\":\"redis\"}\n"),
        "{answer}"
    );
    // Each connection is a stream of its own: a second one is answered too.
    let missing = get(local, "/nothing");
    assert!(missing.starts_with("HTTP/1.1 404 Not Found"), "{missing}");
}

#[test]
fn kubectl_port_forward_over_spdy_reaches_the_pods_http_responder() {
    reaches_the_pods_http_responder(false);
}

#[test]
fn kubectl_port_forward_tunnelled_in_a_websocket_reaches_the_pods_http_responder() {
    reaches_the_pods_http_responder(true);
}

/// `kubectl get svc` lists the workloads' Services, and `kubectl port-forward svc/NAME` finds
/// a pod by the Service's selector and forwards to its target port, as the runbooks'
/// `kubectl port-forward svc/grafana 3000:3000` does (the demo's RBAC refuses writes in
/// `monitoring`, so this one is in `pos`).
#[test]
fn kubectl_port_forward_to_a_service_reaches_a_pod_behind_it_on_its_target_port() {
    let sim = Sim::start(&[]);
    let services = sim.ok(&["get", "svc", "-n", "pos"]);
    let header: Vec<&str> = services
        .lines()
        .next()
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(
        header,
        [
            "NAME",
            "TYPE",
            "CLUSTER-IP",
            "EXTERNAL-IP",
            "PORT(S)",
            "AGE"
        ],
        "{services}"
    );
    let catalog = services
        .lines()
        .find(|l| l.starts_with("pos-catalog "))
        .unwrap_or_else(|| panic!("pos-catalog listed: {services}"));
    assert!(
        catalog.contains(" ClusterIP ") && catalog.contains(" 80/TCP "),
        "{catalog}"
    );
    let svc = sim.json(&["get", "svc", "-n", "pos", "pos-catalog"]);
    assert_eq!(svc["spec"]["ports"][0]["targetPort"], 8080, "{svc}");
    assert_eq!(svc["spec"]["selector"]["app"], "pos-catalog", "{svc}");

    let local = free_port();
    let (_forward, said) = forward_saying(
        &sim,
        false,
        &["-n", "pos", "svc/pos-catalog", &format!("{local}:80")],
    )
    .expect("kubectl port-forward svc/ starts");
    assert_eq!(said, format!("Forwarding from 127.0.0.1:{local} -> 8080"));
    let answer = get(local, "/health");
    assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
    assert!(answer.contains("\"pod\":\"pos-catalog-"), "{answer}");
}

#[test]
fn kubectl_port_forward_is_refused_where_rbac_denies_it() {
    let sim = Sim::start(&["--deny", "create:pods/portforward:data"]);
    let local = free_port();
    // kubectl may start listening before the API server refuses the stream; a connection
    // then fails instead of answering.
    match forward(
        &sim,
        false,
        &["-n", "data", "pod/redis-0", &format!("{local}:6379")],
    ) {
        Err(e) => assert!(e.contains("forbidden") || e.contains("Forbidden"), "{e}"),
        Ok(_forward) => {
            let mut conn = TcpStream::connect((Ipv4Addr::LOCALHOST, local)).expect("connect");
            conn.set_read_timeout(Some(Duration::from_secs(20)))
                .unwrap();
            let _ = write!(conn, "GET / HTTP/1.1\r\n\r\n");
            let mut answer = String::new();
            let _ = conn.read_to_string(&mut answer);
            assert!(!answer.contains("200 OK"), "{answer}");
        }
    }
}
