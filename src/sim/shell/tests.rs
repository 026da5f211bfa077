use tokio::sync::mpsc;

use super::*;

fn redis() -> Container {
    Container {
        namespace: "data".into(),
        pod: "redis-0".into(),
        container: "redis".into(),
        image: "redis:7.0-alpine".into(),
    }
}

fn api() -> Container {
    Container {
        namespace: "pos".into(),
        pod: "pos-order-7d9f-abcde".into(),
        container: "pos-order".into(),
        image: "registry.local/pos-order:2.4.1".into(),
    }
}

/// Runs `argv` with `input` sent first; the exit status, stdout and stderr.
async fn run(
    container: Container,
    tty: bool,
    argv: &[&str],
    input: Vec<Input>,
) -> (i32, String, String) {
    let (out_tx, mut out_rx) = mpsc::channel(1024);
    let (in_tx, in_rx) = mpsc::channel(1024);
    for message in input {
        in_tx.send(message).await.expect("queued");
    }
    let session = Session::new(container, tty, out_tx, in_rx);
    let argv = argv.iter().map(|s| s.to_string()).collect();
    let status = session.run(argv).await;
    drop(in_tx);
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    while let Some(chunk) = out_rx.recv().await {
        match chunk {
            Output::Stdout(b) => stdout.extend(b),
            Output::Stderr(b) => stderr.extend(b),
        }
    }
    (
        status,
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}

fn typed(text: &str) -> Input {
    Input::Data(text.as_bytes().to_vec())
}

#[tokio::test]
async fn a_script_keeps_its_exit_status_and_separates_stderr() {
    let (status, out, err) = run(
        api(),
        false,
        &["sh", "-c", "echo hi; cat /nope; exit 3"],
        vec![],
    )
    .await;
    assert_eq!((status, out.as_str()), (3, "hi\n"));
    assert_eq!(err, "cat: /nope: No such file or directory\n");
    let (status, out, err) = run(
        api(),
        false,
        &["sh", "-c", "echo out; echo err >&2; exit 3"],
        vec![],
    )
    .await;
    assert_eq!((status, out.as_str(), err.as_str()), (3, "out\n", "err\n"));
    let (status, out, _) = run(api(), false, &["echo", "hi"], vec![]).await;
    assert_eq!((status, out.as_str()), (0, "hi\n"));
    let (status, _, err) = run(api(), false, &["nosuch"], vec![]).await;
    assert_eq!((status, err.as_str()), (127, "sh: nosuch: not found\n"));
}

#[tokio::test]
async fn redis_cli_answers_pong_only_where_there_is_redis() {
    let (status, out, _) = run(redis(), false, &["redis-cli", "ping"], vec![]).await;
    assert_eq!((status, out.as_str()), (0, "PONG\n"));
    assert!(!exists(&api(), "redis-cli"));
    assert!(exists(&api(), "bash") && !exists(&redis(), "bash"));
    assert!(exists(&redis(), "/bin/sh"));
    let (_, out, _) = run(
        api(),
        false,
        &["curl", "-fsS", "http://localhost:8080/health"],
        vec![],
    )
    .await;
    assert!(
        out.contains("\"status\":\"UP\"") && out.contains("pos-order-7d9f-abcde"),
        "{out}"
    );
}

#[tokio::test]
async fn on_a_terminal_keys_are_echoed_edited_and_lines_end_in_crlf() {
    let input = vec![
        Input::Resize {
            width: 132,
            height: 40,
        },
        typed("echo hx"),
        Input::Data(vec![0x7f]),
        typed("i\r"),
        typed("stty size\r"),
        typed("sleep 30\r"),
        Input::Data(vec![0x03]),
        typed("exit 4\r"),
    ];
    let (status, out, err) = run(redis(), true, &["sh"], input).await;
    assert_eq!(status, 4);
    assert_eq!(err, "", "a terminal has one output stream");
    assert!(
        out.starts_with("root@redis-0:/# echo hx\x08 \x08i\r\nhi\r\n"),
        "{out:?}"
    );
    assert!(
        out.contains("stty size\r\n40 132\r\n"),
        "the resize is honoured: {out:?}"
    );
    // Ctrl-C ends the sleep at once (the test would wait 30 s otherwise).
    assert!(
        out.contains("sleep 30\r\n^C\r\nroot@redis-0:/# exit 4\r\n"),
        "{out:?}"
    );
}

#[tokio::test]
async fn ctrl_d_or_the_end_of_stdin_ends_the_shell_with_the_last_status() {
    let (status, out, _) = run(
        api(),
        true,
        &["bash"],
        vec![typed("false\r"), Input::Data(vec![0x04])],
    )
    .await;
    assert_eq!(status, 1);
    assert!(
        out.ends_with("root@pos-order-7d9f-abcde:/# exit\r\n"),
        "{out:?}"
    );
    let (status, out, _) = run(
        api(),
        false,
        &["sh"],
        vec![typed("echo $HOSTNAME\n"), Input::Eof],
    )
    .await;
    assert_eq!((status, out.as_str()), (0, "pos-order-7d9f-abcde\n"));
}
