//! The simulated pods' logs: every container writes lines at a steady rate, each line a pure
//! function of the pod, the container's start and its number, so nothing is stored and the
//! same request always gets the same lines. INFO mostly, some as JSON; ERROR lines as often as
//! the workload's failing requests make believable (a healthy service's now and then, a
//! troubled one's every few seconds), WARN lines more often; a crash-looping pod's container
//! logs trouble and ends with a stack trace, written at once.

use std::hash::{Hash, Hasher};

use crate::domain::{Pod, UnixTime};

/// Lines per second per container, unless configured.
pub const DEFAULT_RATE: f64 = 2.0;
/// How much of a previous container's life is kept, as the kubelet keeps a rotated file.
const PREVIOUS_KEPT: u64 = 500;
/// Of a service's failed requests, the share its log reports as an ERROR line (most are the
/// client's to retry, logged at WARN or not at all).
const FAILURES_LOGGED: f64 = 0.1;
/// ERROR lines of a service that fails nothing: a stray one in 20,000.
const STRAY_ERRORS: f64 = 0.000_05;

/// What share of a container's lines are ERROR and WARN entries.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LogMix {
    pub errors: f64,
    pub warnings: f64,
}

impl LogMix {
    /// A workload's pods' mix, from its requests' error rate (0..=1); a crash-looping pod's
    /// container is in trouble whatever its siblings do.
    pub fn for_workload(error_rate: f64, crash_looping: bool) -> LogMix {
        if crash_looping {
            return LogMix {
                errors: 0.05,
                warnings: 0.15,
            };
        }
        LogMix {
            errors: STRAY_ERRORS + error_rate * FAILURES_LOGGED,
            warnings: 0.01 + error_rate * 0.5,
        }
    }
}

/// One container's log: lines `0..` from `start_ms`, `rate` a second.
#[derive(Debug, Clone, PartialEq)]
pub struct LogSource {
    pub pod: String,
    pub container: String,
    pub start_ms: i64,
    pub rate: f64,
    /// The container died (its last line is a stack trace) at this line count.
    pub ends_at: Option<u64>,
    pub mix: LogMix,
    /// A Job's pod: its lines are the run's steps, and it ends after them, with no stack
    /// trace (a failed run's last line says why).
    pub job: Option<JobRun>,
}

/// What a Job's pod logs: `steps` lines, the last one its result.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct JobRun {
    pub steps: u64,
    pub failed: bool,
}

/// What a log request asks for, as kubectl's flags name it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LogQuery {
    pub container: Option<String>,
    pub tail_lines: Option<u64>,
    pub since_seconds: Option<u64>,
    pub timestamps: bool,
    pub previous: bool,
}

/// Why a log request cannot be served, in the API server's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogRefusal(pub String);

fn hash(parts: impl Hash) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    parts.hash(&mut h);
    h.finish()
}

impl LogSource {
    /// The log a query names, or why there is none; `error_rate` is the pod's workload's
    /// (its requests that fail).
    pub fn for_query(
        pod: &Pod,
        query: &LogQuery,
        rate: f64,
        error_rate: f64,
    ) -> Result<LogSource, LogRefusal> {
        let names = crate::sim::kubeapi::render::container_names(pod);
        let container = match &query.container {
            Some(c) if names.contains(c) => c.clone(),
            Some(c) => {
                return Err(LogRefusal(format!(
                    "container {c} is not valid for pod {}",
                    pod.key.name
                )));
            }
            None if names.len() == 1 => names[0].clone(),
            None => {
                return Err(LogRefusal(format!(
                    "a container name must be specified for pod {}, choose one of: [{}]",
                    pod.key.name,
                    names.join(" ")
                )));
            }
        };
        let restarted = pod.last_restart.filter(|_| container == names[0]);
        let crash_looping = pod.is_crash_looping() && container == names[0];
        let mix = LogMix::for_workload(error_rate, crash_looping);
        let created_ms = pod.created.0 * 1000;
        let lines_between =
            |from_ms: i64, to_ms: i64| ((to_ms - from_ms).max(0) as f64 * rate / 1000.0) as u64;
        if query.previous {
            let Some(died) = restarted else {
                return Err(LogRefusal(format!(
                    "previous terminated container \"{container}\" in pod \"{}\" not found",
                    pod.key.name
                )));
            };
            // The previous container ran until the restart; its last lines are kept.
            let lived = lines_between(created_ms, died.0 * 1000).max(8);
            let kept = lived.min(PREVIOUS_KEPT);
            let start_ms = died.0 * 1000 - (kept as f64 * 1000.0 / rate) as i64;
            return Ok(LogSource {
                pod: pod.key.name.to_string(),
                container,
                start_ms,
                rate,
                ends_at: Some(kept),
                mix,
                job: None,
            });
        }
        let start_ms = restarted.map_or(created_ms, |t| t.0 * 1000);
        // A Job's pod logs its run, its steps spread over the time it runs, and stops.
        let job = pod
            .owner
            .as_deref()
            .is_some_and(|o| o.starts_with("Job/"))
            .then(|| JobRun {
                steps: 8,
                failed: pod.status.as_ref() == "Error"
                    || crate::sim::jobs::TEMPLATES.iter().any(|t| {
                        t.fails && *pod.key.namespace == *t.namespace && container == t.cronjob
                    }),
            });
        if let Some(run) = job {
            let secs = crate::sim::jobs::template(&pod.key.namespace, Some(&container)).run_secs;
            return Ok(LogSource {
                pod: pod.key.name.to_string(),
                container,
                start_ms: created_ms,
                rate: run.steps as f64 / secs.max(1) as f64,
                ends_at: Some(run.steps),
                mix,
                job,
            });
        }
        // A crash-looping container dies again after a few lines.
        let ends_at = crash_looping.then_some(6);
        Ok(LogSource {
            pod: pod.key.name.to_string(),
            container,
            start_ms,
            rate,
            ends_at,
            mix,
            job: None,
        })
    }

    /// When line `n` was written, in ms since the epoch: the dying container's stack trace
    /// all at once.
    pub fn at_ms(&self, n: u64) -> i64 {
        let n = self.ends_at.map_or(n, |end| n.min(end));
        self.start_ms + (n as f64 * 1000.0 / self.rate) as i64
    }

    /// How many lines exist at `now_ms`.
    pub fn count_at(&self, now_ms: i64) -> u64 {
        if now_ms < self.start_ms {
            return 0;
        }
        let written = ((now_ms - self.start_ms) as f64 * self.rate / 1000.0) as u64 + 1;
        if let Some(run) = self.job {
            return written.min(run.steps);
        }
        match self.ends_at {
            Some(end) if written > end => end + STACK_TRACE.len() as u64,
            _ => written,
        }
    }

    /// The first line a query wants, of those written by `now_ms`.
    pub fn first_wanted(&self, query: &LogQuery, now_ms: i64) -> u64 {
        let count = self.count_at(now_ms);
        let mut first = 0;
        if let Some(secs) = query.since_seconds {
            let from_ms = now_ms - secs as i64 * 1000;
            // Line times only grow: the first at or after `from_ms`, by halving.
            let (mut low, mut high) = (0, count);
            while low < high {
                let mid = low + (high - low) / 2;
                if self.at_ms(mid) >= from_ms {
                    high = mid;
                } else {
                    low = mid + 1;
                }
            }
            first = low;
        }
        if let Some(tail) = query.tail_lines {
            first = first.max(count.saturating_sub(tail));
        }
        first
    }

    /// Line `n`, with the time in front when asked (as `kubectl logs --timestamps` shows it).
    pub fn line(&self, n: u64, timestamps: bool) -> String {
        let text = self.text(n);
        if !timestamps {
            return text;
        }
        let ms = self.at_ms(n);
        let seconds = UnixTime(ms.div_euclid(1000)).rfc3339();
        let nanos = ms.rem_euclid(1000) * 1_000_000;
        format!("{}.{nanos:09}Z {text}", seconds.trim_end_matches('Z'))
    }

    fn text(&self, n: u64) -> String {
        if let Some(run) = self.job {
            return job_line(&self.container, n, run);
        }
        if let Some(end) = self.ends_at
            && n >= end
        {
            let i = (n - end) as usize;
            return STACK_TRACE
                .get(i)
                .map_or_else(String::new, |l| l.to_string());
        }
        let h = hash((&self.pod, &self.container, n));
        let path = [
            "/api/orders",
            "/api/catalog",
            "/api/payments",
            "/healthz",
            "/api/documents",
        ][(h % 5) as usize];
        let ms = 5 + (h >> 8) % 400;
        let id = (h >> 20) % 100_000;
        // Where the line falls in the mix: errors, warnings, JSON info, plain info.
        let at = ((h >> 40) % 1_000_000) as f64 / 1_000_000.0;
        let LogMix { errors, warnings } = self.mix;
        let json = (h >> 4) % 10 < 4;
        if at < errors {
            return if json {
                format!(
                    "{{\"level\":\"error\",\"msg\":\"job failed\",\"job\":\"{id:05}\",\"error\":\"deadline exceeded\"}}"
                )
            } else {
                format!(
                    "ERROR upstream timeout calling {} after 5000ms request_id={id:05}",
                    ["payment-gateway", "postgres", "redis", "weaviate"][((h >> 6) % 4) as usize]
                )
            };
        }
        if at < errors + warnings {
            return if json {
                format!(
                    "{{\"level\":\"warn\",\"msg\":\"retrying\",\"attempt\":{}}}",
                    1 + h % 3
                )
            } else {
                format!(
                    "WARN  slow request path={path} duration_ms={}",
                    1000 + ms * 4
                )
            };
        }
        if at < errors + warnings + 0.1 {
            format!(
                "{{\"level\":\"info\",\"msg\":\"request done\",\"path\":\"{path}\",\"ms\":{ms}}}"
            )
        } else {
            format!("INFO  request handled path={path} status=200 duration_ms={ms}")
        }
    }
}

/// Line `n` of a Job's run: its steps, then how it ended.
fn job_line(container: &str, n: u64, run: JobRun) -> String {
    let last = run.steps - 1;
    match (n, run.failed) {
        (0, _) => format!("INFO  {container}: starting run"),
        (n, true) if n == last => {
            "ERROR export failed: upload to s3://reports/daily: AccessDenied (exit 1)".to_string()
        }
        (n, false) if n == last => format!("INFO  {container}: done, exit 0"),
        (n, _) => format!("INFO  {container}: step {n} of {} done", last - 1),
    }
}

/// The share of the pod's workload's requests that fail, as the catalog has it (0 for one
/// that serves none, or a pod of no workload).
pub fn error_rate_of(pod: &Pod) -> f64 {
    let Some(owner) = pod.owner.as_deref() else {
        return 0.0;
    };
    super::catalog::WORKLOADS
        .iter()
        .find(|w| {
            w.namespace == &*pod.key.namespace
                && owner.split_once('/') == Some((w.kind.api_kind(), w.name))
        })
        .map_or(0.0, |w| w.error_rate)
}

/// How a crash-looping container's log ends.
const STACK_TRACE: [&str; 6] = [
    "ERROR unhandled exception in worker, exiting",
    "Traceback (most recent call last):",
    "  File \"/app/worker.py\", line 88, in run",
    "    result = model.predict(batch)",
    "  File \"/app/model.py\", line 214, in predict",
    "MemoryError: unable to allocate 2.1 GiB for an array",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::pod::tests::pod;

    #[test]
    fn tails_and_since_pick_the_last_lines_and_are_the_same_every_time() {
        let mut p = pod("pos", "pos-order-abc-1", "Running");
        p.created = UnixTime(1_000);
        let source = LogSource::for_query(&p, &LogQuery::default(), 2.0, 0.5).unwrap();
        let now = 1_000_000 + 100_000; // 100 s after the start: 201 lines
        assert_eq!(source.count_at(now), 201);
        let tail = LogQuery {
            tail_lines: Some(10),
            ..LogQuery::default()
        };
        assert_eq!(source.first_wanted(&tail, now), 191);
        let since = LogQuery {
            since_seconds: Some(5),
            ..LogQuery::default()
        };
        assert_eq!(source.first_wanted(&since, now), 190);
        assert_eq!(source.line(7, false), source.line(7, false));
        assert!(
            source
                .line(0, true)
                .starts_with("1970-01-01T00:16:40.000000000Z ")
        );
        let levels: Vec<String> = (0..400).map(|n| source.line(n, false)).collect();
        assert!(levels.iter().any(|l| l.starts_with("ERROR")));
        assert!(levels.iter().any(|l| l.starts_with("WARN")));
        assert!(levels.iter().any(|l| l.contains("\"level\":\"error\"")));
    }

    #[test]
    fn a_crash_looping_pod_has_a_previous_log_ending_in_a_stack_trace() {
        let mut p = pod("workflow", "pdf-recognizer-x-1", "CrashLoopBackOff");
        p.created = UnixTime(1_000);
        p.last_restart = Some(UnixTime(2_000));
        let previous = LogQuery {
            previous: true,
            ..LogQuery::default()
        };
        let source = LogSource::for_query(&p, &previous, 2.0, 0.0).unwrap();
        let count = source.count_at(10_000_000);
        assert_eq!(source.line(count - 1, false), STACK_TRACE[5]);
        // The trace is written at once, with the line that begins it.
        let end = source.ends_at.unwrap();
        assert_eq!(source.line(end, false), STACK_TRACE[0]);
        assert_eq!(source.at_ms(count - 1), source.at_ms(end));
        assert_eq!(source.count_at(source.at_ms(end)), count);
        let healthy = pod("pos", "pos-order-abc-1", "Running");
        let refused = LogSource::for_query(&healthy, &previous, 2.0, 0.0).unwrap_err();
        assert!(refused.0.contains("previous terminated container"));
        let wrong = LogQuery {
            container: Some("nope".into()),
            ..LogQuery::default()
        };
        assert!(LogSource::for_query(&healthy, &wrong, 2.0, 0.0).is_err());
    }
}
