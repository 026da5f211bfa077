//! CronJobs and Jobs as the Jobs panel and its actions need them: a CronJob's schedule,
//! whether it is suspended, its active Jobs and last runs; a Job's completions, times, status
//! and the CronJob that made it.

use super::level::Level;
use super::time::UnixTime;

/// The annotation `kubectl create job --from=cronjob/NAME` puts on the Job it makes.
pub const INSTANTIATE_ANNOTATION: &str = "cronjob.kubernetes.io/instantiate";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CronJob {
    /// The kubeconfig context (cluster) it was reported from: set by the estate from the
    /// reporting source, so that rows of several clusters never mix.
    pub context: std::sync::Arc<str>,
    pub namespace: String,
    pub name: String,
    pub schedule: String,
    /// `spec.suspend`: no new Job is scheduled while it is true.
    pub suspend: bool,
    /// The Jobs it runs now (`status.active`), by name.
    pub active: Vec<String>,
    pub last_schedule: Option<UnixTime>,
    pub last_successful: Option<UnixTime>,
    pub created: UnixTime,
}

/// Where a Job is, as `kubectl get jobs` says it in STATUS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum JobStatus {
    Running,
    Complete,
    /// Its `Failed` condition is true (the backoff limit or the deadline was reached).
    Failed,
    Suspended,
}

impl JobStatus {
    pub fn word(self) -> &'static str {
        match self {
            JobStatus::Running => "Running",
            JobStatus::Complete => "Complete",
            JobStatus::Failed => "Failed",
            JobStatus::Suspended => "Suspended",
        }
    }

    /// Finished: Complete or Failed, so deleting it stops nothing.
    pub fn finished(self) -> bool {
        matches!(self, JobStatus::Complete | JobStatus::Failed)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// The kubeconfig context (cluster) it was reported from: set by the estate from the
    /// reporting source, so that rows of several clusters never mix.
    pub context: std::sync::Arc<str>,
    pub namespace: String,
    pub name: String,
    /// The CronJob that controls it (its owner reference), if one does.
    pub owner: Option<String>,
    /// Made by hand from a CronJob (`cronjob.kubernetes.io/instantiate: manual`).
    pub manual: bool,
    /// `spec.completions` (1 when unset).
    pub completions: u32,
    pub succeeded: u32,
    pub failed: u32,
    pub active: u32,
    pub status: JobStatus,
    /// The `Failed` condition's reason (`BackoffLimitExceeded`), when it failed.
    pub reason: Option<String>,
    pub started: Option<UnixTime>,
    pub completed: Option<UnixTime>,
    pub created: UnixTime,
}

impl Job {
    /// `1/1`, as kubectl's COMPLETIONS.
    pub fn completions_text(&self) -> String {
        format!("{}/{}", self.succeeded, self.completions)
    }

    /// Start to completion, or to `now` while it has not completed (as kubectl's DURATION).
    pub fn duration(&self, now: UnixTime) -> Option<u64> {
        let started = self.started?;
        let end = self.completed.unwrap_or(now);
        Some((end.0 - started.0).max(0) as u64)
    }

    pub fn level(&self) -> Level {
        match self.status {
            JobStatus::Failed => Level::Warn,
            _ => Level::Ok,
        }
    }
}

/// A duration as kubectl prints it (apimachinery's `HumanDuration`): `45s`, `4m12s`, `17m`,
/// `5h3m`, `30h`, `3d4h`, `40d`.
pub fn human_duration(secs: u64) -> String {
    let minutes = secs / 60;
    let hours = secs / 3600;
    if secs < 120 {
        format!("{secs}s")
    } else if minutes < 10 {
        match secs % 60 {
            0 => format!("{minutes}m"),
            s => format!("{minutes}m{s}s"),
        }
    } else if minutes < 180 {
        format!("{minutes}m")
    } else if hours < 8 {
        match minutes % 60 {
            0 => format!("{hours}h"),
            m => format!("{hours}h{m}m"),
        }
    } else if hours < 48 {
        format!("{hours}h")
    } else if hours < 24 * 8 {
        match hours % 24 {
            0 => format!("{}d", hours / 24),
            h => format!("{}d{h}h", hours / 24),
        }
    } else if hours < 24 * 365 * 2 {
        format!("{}d", hours / 24)
    } else {
        format!("{}y", hours / 24 / 365)
    }
}

/// The name opsdeck gives a Job run by hand from `cronjob`: `NAME-manual-<suffix>`, the
/// suffix the time in seconds in base 36 (six characters until 2038), so runs a second apart
/// differ and the name stays under the 63 characters of a label value (the CronJob's name is
/// cut to 44, as k9s cuts it to 42).
pub fn manual_job_name(cronjob: &str, now: UnixTime) -> String {
    let mut n = now.0.max(0) as u64;
    let mut digits = Vec::new();
    loop {
        digits.push(b"0123456789abcdefghijklmnopqrstuvwxyz"[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    digits.reverse();
    let base: String = cronjob.chars().take(44).collect();
    let base = base.trim_end_matches('-');
    format!(
        "{base}-manual-{}",
        String::from_utf8(digits).unwrap_or_default()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_kubectl_prints_them() {
        let cases = [
            (45, "45s"),
            (119, "119s"),
            (252, "4m12s"),
            (300, "5m"),
            (1_020, "17m"),
            (18_180, "5h3m"),
            (108_000, "30h"),
            (273_600, "3d4h"),
            (3_456_000, "40d"),
        ];
        for (secs, text) in cases {
            assert_eq!(human_duration(secs), text, "{secs}");
        }
    }

    #[test]
    fn a_manual_run_is_named_after_its_cronjob_and_the_second() {
        let name = manual_job_name("cache-warmup", UnixTime(1_796_169_600));
        assert_eq!(name, "cache-warmup-manual-tpe5c0");
        assert_ne!(
            name,
            manual_job_name("cache-warmup", UnixTime(1_796_169_601))
        );
        let long = manual_job_name(&"x".repeat(52), UnixTime(1_796_169_600));
        assert!(long.len() <= 63, "{long}");
    }
}
