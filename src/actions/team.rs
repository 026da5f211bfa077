//! The team's own actions (`[[actions]]`, checked in `config::team_actions`) as they run: the
//! argv made from the entry's words and the selected row's values, where it runs (a pod's
//! container, through the cluster's exec, or this machine), and the run on this machine: its
//! output streamed a line at a time as progress (each line marked with its stream,
//! `actions::output`), its exit status the outcome.
//! Only the status is recorded by the audit, never the output.

use std::collections::BTreeMap;
use std::process::Stdio;

use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::sync::mpsc;

use super::executor::{ActionError, Permission};
use super::output::{self, Stream};
use super::{Action, ActionKind, Target, quoted};
use crate::config::Words;

/// Where a team action runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "on", rename_all = "snake_case")]
pub enum Place {
    /// In a pod's container, through the API's exec (a services row: one of its ready pods).
    /// Boxed: it is large, and an `Action` is kept in places that hold many.
    Pod(Box<InPod>),
    /// On this machine (the bastion), as the operator running opsdeck.
    Local,
}

/// The pod a team action runs in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InPod {
    pub namespace: String,
    pub pod: String,
    pub container: Option<String>,
}

/// The arguments of `words` with the row's `values` put in. Array form: each value goes into
/// its own argument as it is, whatever it holds (no shell reads it). One string: `sh -c` with
/// each value shell-quoted, so a value cannot become shell syntax. A placeholder the row has no
/// value for is an error naming it.
pub fn argv(words: &Words, values: &BTreeMap<String, String>) -> Result<Vec<String>, String> {
    match words {
        Words::Argv(list) => list
            .iter()
            .map(|w| fill(w, values, |v| v.to_string()))
            .collect(),
        Words::Shell(line) => Ok(vec!["sh".into(), "-c".into(), fill(line, values, quoted)?]),
    }
}

/// `text` with each `{name}` replaced by `put(value)`; `{{` and `}}` are braces.
fn fill(
    text: &str,
    values: &BTreeMap<String, String>,
    put: impl Fn(&str) -> String,
) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(['{', '}']) {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push_str(&tail[..1]);
            rest = &tail[2..];
            continue;
        }
        let end = tail
            .find('}')
            .filter(|_| tail.starts_with('{'))
            .ok_or_else(|| format!("unbalanced brace in `{text}`"))?;
        let name = &tail[1..end];
        let value = values
            .get(name)
            .ok_or_else(|| format!("this row has no {{{name}}}"))?;
        out.push_str(&put(value));
        rest = &tail[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The exec a team action in a pod is, for the cluster's executor: the same access review
/// (`create pods/exec`) and the same streamed run as `x`.
pub fn as_exec(action: &Action) -> Option<Action> {
    let ActionKind::Team { place, argv, .. } = &action.kind else {
        return None;
    };
    let Place::Pod(in_pod) = place else {
        return None;
    };
    let InPod {
        namespace,
        pod,
        container,
    } = &**in_pod;
    Some(Action {
        kind: ActionKind::Exec {
            container: container.clone(),
            command: argv.clone(),
            high_risk: false,
        },
        target: Target::Pod {
            namespace: namespace.clone(),
            name: pod.clone(),
        },
        context: action.context.clone(),
    })
}

/// The argv of a team action that runs on this machine.
pub fn local_argv(action: &Action) -> Option<&[String]> {
    match &action.kind {
        ActionKind::Team {
            place: Place::Local,
            argv,
            ..
        } => Some(argv),
        _ => None,
    }
}

/// Whether the program can be run here: found on `PATH` (or, given with a slash, present).
pub fn local_permitted(argv: &[String]) -> Permission {
    let Some(program) = argv.first() else {
        return Permission::Denied("the command is empty".into());
    };
    let found = if program.contains('/') {
        std::path::Path::new(program).is_file()
    } else {
        std::env::var_os("PATH").is_some_and(|paths| {
            std::env::split_paths(&paths).any(|dir| dir.join(program).is_file())
        })
    };
    if found {
        Permission::Allowed
    } else {
        Permission::Denied(format!("`{program}` is not installed on this machine"))
    }
}

/// Runs the argv on this machine in a process group of its own (stopped with the action),
/// stdin closed; output a line at a time; the exit status is the outcome.
pub async fn run_local(
    argv: &[String],
    progress: mpsc::Sender<String>,
) -> Result<String, ActionError> {
    let (program, args) = argv
        .split_first()
        .ok_or_else(|| ActionError::Failed("the command is empty".into()))?;
    let mut command = tokio::process::Command::new(program);
    command
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    super::children::own_group(&mut command);
    let mut child = command
        .spawn()
        .map_err(|e| ActionError::Failed(format!("cannot run `{program}`: {e}")))?;
    let group = super::children::Group::track(child.id());
    let out = child.stdout.take();
    let err = child.stderr.take();
    let (_, _, status) = tokio::join!(
        async {
            if let Some(s) = out {
                lines(s, Stream::Stdout, progress.clone()).await
            }
        },
        async {
            if let Some(s) = err {
                lines(s, Stream::Stderr, progress.clone()).await
            }
        },
        child.wait()
    );
    let status = status.map_err(|e| ActionError::Failed(format!("`{program}`: {e}")))?;
    group.finished();
    outcome(status)
}

/// The exit in words, as `x` says it: `exit status 0` is success.
fn outcome(status: std::process::ExitStatus) -> Result<String, ActionError> {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(0), _) => Ok("exit status 0".into()),
        (Some(code), _) => Err(ActionError::Failed(format!("exit status {code}"))),
        (None, Some(signal)) => Err(ActionError::Failed(format!("killed by signal {signal}"))),
        (None, None) => Err(ActionError::Failed("ended without an exit status".into())),
    }
}

/// Sends what a stream writes, a line at a time, marked with its stream (`actions::output`).
async fn lines(stream: impl AsyncRead + Unpin, which: Stream, progress: mpsc::Sender<String>) {
    let mut reader = BufReader::new(stream);
    let mut line = Vec::new();
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let text = output::line(which, &String::from_utf8_lossy(&line));
        if progress.send(text).await.is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn array_words_take_each_value_as_one_argument_whatever_it_holds() {
        let words = Words::Argv(vec![
            "kubectl-like".into(),
            "--pod={pod}".into(),
            "{namespace}".into(),
            "{{literal}}".into(),
        ]);
        let v = values(&[("pod", "a b; rm -rf / #"), ("namespace", "$(id)")]);
        assert_eq!(
            argv(&words, &v).unwrap(),
            [
                "kubectl-like",
                "--pod=a b; rm -rf / #",
                "$(id)",
                "{literal}"
            ]
        );
        let err = argv(&Words::Argv(vec!["{node}".into()]), &v).unwrap_err();
        assert_eq!(err, "this row has no {node}");
    }

    #[test]
    fn a_shell_line_quotes_every_value_so_a_hostile_name_cannot_inject() {
        let words = Words::Shell("echo {pod} && echo done".into());
        let hostile = "x'; touch /tmp/opsdeck-pwned; echo '$(id)`id`";
        let line = argv(&words, &values(&[("pod", hostile)])).unwrap();
        assert_eq!(line[..2], ["sh", "-c"]);
        // What sh makes of it: the name, one word, as it is; nothing else ran.
        let out = std::process::Command::new("sh")
            .args(&line[1..])
            .output()
            .expect("sh");
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            format!("{hostile}\ndone\n")
        );
        assert!(!std::path::Path::new("/tmp/opsdeck-pwned").exists());
    }

    #[tokio::test]
    async fn a_local_command_streams_its_lines_and_its_exit_status_is_the_outcome() {
        let (tx, mut rx) = mpsc::channel(16);
        let argv: Vec<String> = ["sh", "-c", "echo one; echo two >&2; exit 3"]
            .map(String::from)
            .to_vec();
        let result = run_local(&argv, tx).await;
        assert_eq!(result, Err(ActionError::Failed("exit status 3".into())));
        let mut got = Vec::new();
        while let Some(line) = rx.recv().await {
            got.push(line);
        }
        got.sort();
        assert_eq!(got, ["stderr: two", "stdout: one"]);
        let (tx, _rx) = mpsc::channel(16);
        assert_eq!(
            run_local(&["true".to_string()], tx).await,
            Ok("exit status 0".into())
        );
        assert!(matches!(
            local_permitted(&["no-such-program-opsdeck".into()]),
            Permission::Denied(_)
        ));
        assert_eq!(local_permitted(&["sh".into()]), Permission::Allowed);
    }
}
