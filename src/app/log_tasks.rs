//! The runtime's side of logs: streaming the logs pane's pods into the inbox in batches (a
//! workload's pods' tails merged by time first), and the error-count passes that read each
//! pod's recent log and tally it. Both run as tasks off the UI loop; a stream's task (and with
//! it its HTTP connections) ends when the pane closes.

use futures::FutureExt;
use futures::stream::{self, StreamExt};

use super::msg::Msg;
use super::runner::Runner;
use crate::domain::log_merge::Backlog;
use crate::domain::{LogOptions, LogScan, ScanResult};

/// Most lines in one message: a burst of log lines is a few messages, not thousands.
const LOG_BATCH: usize = 1_000;
/// Pods' logs read at once in an error-count pass: enough to keep up, few enough that a pass
/// never crowds out the logs pane or the watches.
const ERROR_READS_AT_ONCE: usize = 4;
/// Longest wait for several pods' tails before they are merged and shown.
const BACKLOG_WAIT: std::time::Duration = std::time::Duration::from_secs(1);
/// A pod whose log is shorter than the tail sends no more until it writes again: once no
/// stream still short of its tail has sent a line for this long, the tails are all in (they
/// come in a burst as the streams open).
const BACKLOG_QUIET: std::time::Duration = std::time::Duration::from_millis(200);

/// One pod's next line, `Err(why)` when its stream failed, `Err(None)` when it simply ended.
type Item = (u16, Result<String, Option<String>>);

impl Runner {
    /// Streams the pods' logs into the inbox, in batches, until closed or ended; each pod's
    /// lines carry its index in `pods`. Several pods' tails come first, merged by time.
    pub fn open_logs(
        &self,
        stream: u64,
        context: String,
        namespace: String,
        pods: Vec<String>,
        options: LogOptions,
    ) {
        let inbox = self.inbox.clone();
        let source = self.logs.clone();
        let task = tokio::spawn(async move {
            let Some(source) = source else {
                for i in 0..pods.len() {
                    let error = Some("no Kubernetes cluster is configured".to_string());
                    let _ = inbox
                        .send(Msg::LogEnded {
                            stream,
                            source: i as u16,
                            error,
                        })
                        .await;
                }
                return;
            };
            let opened = futures::future::join_all(pods.iter().map(|pod| {
                source.open(
                    context.clone(),
                    namespace.clone(),
                    pod.clone(),
                    options.clone(),
                )
            }))
            .await;
            let mut streams = Vec::new();
            let mut backlog =
                (pods.len() > 1).then(|| Backlog::new(pods.len(), options.tail_lines));
            for (i, opened) in opened.into_iter().enumerate() {
                let i = i as u16;
                match opened {
                    // Each pod's lines, then its end: `Err(why)`, `Err(None)` when the log
                    // simply ended.
                    Ok(lines) => streams.push(
                        stream::unfold((lines, false), move |(mut lines, ended)| async move {
                            if ended {
                                return None;
                            }
                            Some(match lines.next().await {
                                Some(Ok(line)) => ((i, Ok(line)), (lines, false)),
                                Some(Err(e)) => ((i, Err(Some(e))), (lines, true)),
                                None => ((i, Err(None)), (lines, true)),
                            })
                        })
                        .boxed(),
                    ),
                    Err(error) => {
                        if let Some(backlog) = backlog.as_mut() {
                            backlog.end(i);
                        }
                        let ended = Msg::LogEnded {
                            stream,
                            source: i,
                            error: Some(error),
                        };
                        if inbox.send(ended).await.is_err() {
                            return;
                        }
                    }
                }
            }
            let mut all = stream::select_all(streams);
            if let Some(backlog) = backlog {
                for msg in batches(stream, merge_tails(&mut all, backlog).await) {
                    if inbox.send(msg).await.is_err() {
                        return;
                    }
                }
            }
            while let Some(first) = all.next().await {
                // Whatever else is ready goes in the same messages, a batch per pod.
                let mut ready = vec![first];
                while ready.len() < LOG_BATCH {
                    match all.next().now_or_never() {
                        Some(Some(item)) => ready.push(item),
                        _ => break,
                    }
                }
                for msg in batches(stream, ready) {
                    if inbox.send(msg).await.is_err() {
                        return;
                    }
                }
            }
        });
        if let Ok(mut tasks) = self.log_tasks.lock() {
            tasks.retain(|_, t| !t.is_finished());
            tasks.insert(stream, task);
        }
    }

    /// Stops a log stream; its HTTP connections close with the task.
    pub fn close_logs(&self, stream: u64) {
        if let Some(task) = self
            .log_tasks
            .lock()
            .ok()
            .and_then(|mut t| t.remove(&stream))
        {
            task.abort();
        }
    }

    /// Reads each pod's log since its last read (timestamps on, a bounded tail) and reports
    /// what it found, a few pods at a time; then says the pass is done.
    pub fn read_log_errors(&self, scans: Vec<LogScan>) {
        let inbox = self.inbox.clone();
        let source = self.logs.clone();
        tokio::spawn(async move {
            if let Some(source) = source {
                let mut reads = stream::iter(scans)
                    .map(|scan| {
                        let source = source.clone();
                        async move {
                            let result = read_errors(&*source, &scan).await;
                            Msg::LogErrorsRead { scan, result }
                        }
                    })
                    .buffer_unordered(ERROR_READS_AT_ONCE);
                while let Some(msg) = reads.next().await {
                    if inbox.send(msg).await.is_err() {
                        return;
                    }
                }
            }
            let _ = inbox.send(Msg::LogErrorsPassDone).await;
        });
    }
}

async fn read_errors(
    source: &dyn crate::actions::executor::LogStreams,
    scan: &LogScan,
) -> Result<ScanResult, String> {
    let options = LogOptions {
        container: scan.container.clone(),
        since_seconds: Some(scan.since_seconds),
        tail_lines: Some(scan.tail),
        timestamps: true,
        ..LogOptions::default()
    };
    let namespace = scan.key.namespace.to_string();
    let mut lines = source
        .open(
            scan.key.context.to_string(),
            namespace,
            scan.key.name.to_string(),
            options,
        )
        .await?;
    let mut result = ScanResult::default();
    while let Some(line) = lines.next().await {
        result.add(&line?, scan.after);
    }
    Ok(result)
}

/// The pods' tails, merged by time, then the ends that came while they were gathered: read
/// until every stream has sent its tail or ended, those short of it have been quiet for
/// `BACKLOG_QUIET`, or `BACKLOG_WAIT` is over.
async fn merge_tails(
    all: &mut (impl futures::Stream<Item = Item> + Unpin),
    mut backlog: Backlog,
) -> Vec<Item> {
    let now = tokio::time::Instant::now;
    let deadline = now() + BACKLOG_WAIT;
    let mut progress = now();
    let mut ends = Vec::new();
    while !backlog.complete() {
        let until = deadline.min(progress + BACKLOG_QUIET);
        match tokio::time::timeout_at(until, all.next()).await {
            Ok(Some((i, Ok(line)))) => {
                if !backlog.has_tail(i) {
                    progress = now();
                }
                backlog.push(i, line);
            }
            Ok(Some((i, Err(why)))) => {
                backlog.end(i);
                ends.push((i, Err(why)));
            }
            Ok(None) | Err(_) => break,
        }
    }
    let lines = backlog.merged().into_iter().map(|(i, line)| (i, Ok(line)));
    lines.chain(ends).collect()
}

/// Ready items as messages: consecutive lines of one pod in one `LogLines`, an end as
/// `LogEnded`.
fn batches(stream: u64, ready: Vec<Item>) -> Vec<Msg> {
    let mut out: Vec<Msg> = Vec::new();
    for (source, item) in ready {
        match item {
            Ok(line) => match out.last_mut() {
                Some(Msg::LogLines {
                    source: s, lines, ..
                }) if *s == source => lines.push(line),
                _ => out.push(Msg::LogLines {
                    stream,
                    source,
                    lines: vec![line],
                }),
            },
            Err(error) => out.push(Msg::LogEnded {
                stream,
                source,
                error,
            }),
        }
    }
    out
}

impl Runner {
    /// GETs one object (the YAML view) off the UI loop and answers with `Msg::ObjectFetched`.
    pub fn fetch_object(&self, seq: u64, object: crate::domain::kube_object::ObjectRef) {
        let inbox = self.inbox.clone();
        let source = self.logs.clone();
        tokio::spawn(async move {
            let result = match source {
                Some(source) => source.get_object(object).await,
                None => Err("no Kubernetes cluster is configured".to_string()),
            };
            let _ = inbox.send(Msg::ObjectFetched { seq, result }).await;
        });
    }
}
