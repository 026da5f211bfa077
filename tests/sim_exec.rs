//! `kubectl exec` against `opsdeck sim`: the installed kubectl (1.30 and later speak exec over
//! WebSocket, v5.channel.k8s.io) runs commands in the simulated containers, with their output
//! and exit codes, and an interactive shell on a terminal.

mod sim_process;

use std::io::{Read, Write};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use sim_process::Sim;

const REDIS: [&str; 2] = ["-n", "data"];

#[test]
fn kubectl_exec_runs_a_command_and_keeps_its_exit_code() {
    let sim = Sim::start(&[]);
    let hi = sim.kubectl(&["-n", "data", "exec", "redis-0", "--", "echo", "hi"]);
    assert!(hi.status.success(), "{hi:?}");
    assert_eq!(String::from_utf8_lossy(&hi.stdout), "hi\n");

    let pong = sim.ok(&["-n", "data", "exec", "redis-0", "--", "redis-cli", "ping"]);
    assert_eq!(pong, "PONG\n");

    let three = sim.kubectl(&[
        "-n",
        "data",
        "exec",
        "redis-0",
        "--",
        "sh",
        "-c",
        "echo out; cat /none; echo err >&2; exit 3",
    ]);
    assert_eq!(three.status.code(), Some(3), "{three:?}");
    assert_eq!(String::from_utf8_lossy(&three.stdout), "out\n");
    let err = String::from_utf8_lossy(&three.stderr);
    assert!(
        err.contains("cat: /none: No such file or directory"),
        "{err}"
    );
    assert!(err.lines().any(|l| l == "err"), ">&2 is stderr: {err}");
    assert!(err.contains("command terminated with exit code 3"), "{err}");

    // The alpine image has no bash: the runtime's answer, as a real cluster gives it.
    let bash = sim.kubectl(&["-n", "data", "exec", "redis-0", "--", "bash"]);
    assert!(!bash.status.success());
    let err = String::from_utf8_lossy(&bash.stderr);
    assert!(err.contains("executable file not found"), "{err}");

    // stdin is carried, and its end (v5's close signal) ends the shell.
    let mut child = std::process::Command::new("kubectl")
        .args(REDIS)
        .args(["exec", "-i", "redis-0", "--", "sh"])
        .env("KUBECONFIG", sim.kubeconfig())
        .env("HOME", sim.dir.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("kubectl runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"echo $HOSTNAME\nexit 7\n")
        .expect("write stdin");
    let out = child.wait_with_output().expect("kubectl ends");
    assert_eq!(out.status.code(), Some(7));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "redis-0\n");
}

#[test]
fn kubectl_exec_it_gets_a_shell_on_a_terminal_that_follows_its_size() {
    let sim = Sim::start(&[]);
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 30,
            cols: 100,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("a pty");
    let mut cmd = CommandBuilder::new("kubectl");
    cmd.args(["-n", "data", "exec", "-it", "redis-0", "--", "sh"]);
    cmd.env("KUBECONFIG", sim.kubeconfig());
    cmd.env("HOME", sim.dir.path());
    cmd.env("TERM", "xterm");
    let mut child = pair.slave.spawn_command(cmd).expect("kubectl runs");
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().expect("reader");
    let mut writer = pair.master.take_writer().expect("writer");
    let (tx, rx) = mpsc::channel::<Vec<u8>>();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut seen = String::new();
    let wait_for = |text: &str, seen: &mut String| {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !seen.contains(text) {
            assert!(
                Instant::now() < deadline,
                "waited for {text:?}; got {seen:?}"
            );
            if let Ok(chunk) = rx.recv_timeout(Duration::from_millis(50)) {
                seen.push_str(&String::from_utf8_lossy(&chunk));
            }
        }
    };
    wait_for("root@redis-0:/# ", &mut seen);
    writer.write_all(b"stty size\r").expect("type");
    wait_for("30 100", &mut seen);
    pair.master
        .resize(PtySize {
            rows: 41,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("resize");
    // kubectl forwards the new size on SIGWINCH; ask until the shell has it.
    let deadline = Instant::now() + Duration::from_secs(10);
    while !seen.contains("41 120") {
        assert!(
            Instant::now() < deadline,
            "the new size never came: {seen:?}"
        );
        writer.write_all(b"stty size\r").expect("type");
        // Each answer (or a quiet spell) before asking again.
        if let Ok(chunk) = rx.recv_timeout(Duration::from_millis(200)) {
            seen.push_str(&String::from_utf8_lossy(&chunk));
        }
    }
    writer.write_all(b"echo typed-on-a-tty\r").expect("type");
    wait_for("echo typed-on-a-tty\r\ntyped-on-a-tty\r\n", &mut seen);
    writer.write_all(b"exit 5\r").expect("type");
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            break status;
        }
        assert!(Instant::now() < deadline, "kubectl did not end: {seen:?}");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.exit_code(), 5, "{seen:?}");
}

/// The cockpit's one-off command, through kube-rs's exec against the simulator: output line
/// by line (each marked with its stream), exit status 3 a failure that names it, RBAC asked first.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cockpits_exec_streams_output_and_fails_on_exit_status_3() {
    use opsdeck::actions::executor::{ActionError, Executor, Permission};
    use opsdeck::actions::{Action, ActionKind, Target};
    use opsdeck::adapters::kube::actions::KubeExecutor;

    let sim = Sim::start(&["--deny", "create:pods/exec:pos"]);
    let executor = KubeExecutor::new(sim.cluster());
    let exec = |namespace: &str, pod: &str, command: &[&str]| Action {
        kind: ActionKind::Exec {
            container: None,
            command: command.iter().map(|s| s.to_string()).collect(),
            high_risk: false,
        },
        target: Target::Pod {
            namespace: namespace.into(),
            name: pod.into(),
        },
        context: "sim".into(),
    };
    let three = exec(
        "data",
        "redis-0",
        &["sh", "-c", "echo out; cat /none; exit 3"],
    );
    assert_eq!(executor.permitted(&three).await, Permission::Allowed);
    let (progress, mut lines) = tokio::sync::mpsc::channel(16);
    let result = executor.execute(&three, progress).await;
    assert_eq!(result, Err(ActionError::Failed("exit status 3".into())));
    let mut seen = Vec::new();
    while let Some(line) = lines.recv().await {
        seen.push(line);
    }
    seen.sort();
    assert_eq!(
        seen,
        [
            "stderr: cat: /none: No such file or directory",
            "stdout: out"
        ]
    );

    let (progress, _lines) = tokio::sync::mpsc::channel(16);
    let pong = exec("data", "redis-0", &["redis-cli", "ping"]);
    assert_eq!(
        executor.execute(&pong, progress).await,
        Ok("exit status 0".into())
    );

    // Denied by RBAC: the review says so, and the server refuses the exec itself.
    let pos_pod = sim.ok(&[
        "-n",
        "pos",
        "get",
        "pods",
        "-o",
        "jsonpath={.items[0].metadata.name}",
    ]);
    let denied = exec("pos", &pos_pod, &["echo", "hi"]);
    match executor.permitted(&denied).await {
        Permission::Denied(why) => assert!(why.contains("pods/exec"), "{why}"),
        other => panic!("{other:?}"),
    }
    let (progress, _lines) = tokio::sync::mpsc::channel(16);
    match executor.execute(&denied, progress).await {
        Err(ActionError::NotPermitted(why)) => assert!(why.contains("forbidden"), "{why}"),
        other => panic!("{other:?}"),
    }
}

/// A pod's port on 127.0.0.1 through the API's portforward: curl gets the pod's responder.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_port_forward_answers_curl() {
    let sim = Sim::start(&[]);
    let client = opsdeck::adapters::kube::client(&sim.cluster())
        .await
        .expect("a client");
    // The wanted port is taken: the next free one is used.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let wanted = taken.local_addr().expect("its address").port();
    let forward =
        opsdeck::adapters::kube::portforward::start(&client, "data", "redis-0", wanted, 6379)
            .await
            .expect("forwarding");
    assert_eq!(forward.local.ip().to_string(), "127.0.0.1");
    assert_ne!(forward.local.port(), wanted);
    let url = format!("http://{}/health", forward.local);
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new("curl")
            .args(["-fsS", "--max-time", "10", &url])
            .output()
            .expect("curl runs")
    })
    .await
    .expect("curl's thread");
    assert!(out.status.success(), "{out:?}");
    let body = String::from_utf8_lossy(&out.stdout);
    assert!(
        body.contains("\"status\":\"UP\"") && body.contains("redis-0"),
        "{body}"
    );
    // A connection's bytes are counted when it closes, just after curl has its answer.
    let deadline = Instant::now() + Duration::from_secs(10);
    let received = || forward.stats.read().1;
    while received() <= body.len() as u64 {
        assert!(Instant::now() < deadline, "{} bytes counted", received());
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    drop(forward);
}

#[test]
fn a_pod_with_a_sidecar_names_its_default_container_as_kubectl_reads_it() {
    let sim = Sim::start(&[]);
    let names = sim.ok(&[
        "-n",
        "pos",
        "get",
        "pods",
        "-l",
        "app=pos-gateway",
        "-o",
        "name",
    ]);
    let pod = names
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("pod/"))
        .expect("a pos-gateway pod")
        .to_string();
    let annotation = sim.ok(&[
        "-n",
        "pos",
        "get",
        "pod",
        &pod,
        "-o",
        r"jsonpath={.metadata.annotations.kubectl\.kubernetes\.io/default-container}",
    ]);
    assert_eq!(annotation, "pos-gateway");
    // kubectl takes it without -c, and says nothing of choosing one (it does without it).
    let out = sim.kubectl(&["-n", "pos", "exec", &pod, "--", "hostname"]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), format!("{pod}\n"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("Defaulted container"), "{err}");
    // The sidecar by name.
    let envoy = sim.ok(&["-n", "pos", "exec", &pod, "-c", "envoy", "--", "echo", "hi"]);
    assert_eq!(envoy, "hi\n");
    // A pod with one container has no such annotation.
    let redis = sim.ok(&[
        "-n",
        "data",
        "get",
        "pod",
        "redis-0",
        "-o",
        "jsonpath={.metadata.annotations}",
    ]);
    assert_eq!(redis, "");
}
