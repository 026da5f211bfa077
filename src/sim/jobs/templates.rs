//! The CronJobs the simulator knows (what their Jobs run, how long, whether they fail), their
//! schedules' fire times, and the names their controller gives the Jobs.

use crate::domain::UnixTime;

/// What a CronJob's Jobs run: the template the simulator knows for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Template {
    pub namespace: &'static str,
    pub cronjob: &'static str,
    pub schedule: &'static str,
    pub image: &'static str,
    /// How long one attempt's pod runs.
    pub run_secs: i64,
    /// Every attempt fails (exit 1).
    pub fails: bool,
    pub backoff_limit: u32,
}

pub const TEMPLATES: &[Template] = &[
    Template {
        namespace: "data",
        cronjob: "db-backup",
        schedule: "0 2 * * *",
        image: "registry.local/ops/pg-backup:1.4.0",
        run_secs: 40,
        fails: false,
        backoff_limit: 6,
    },
    Template {
        namespace: "pos",
        cronjob: "cache-warmup",
        schedule: "*/5 * * * *",
        image: "registry.local/pos/cache-warmup:0.9.2",
        run_secs: 20,
        fails: false,
        backoff_limit: 6,
    },
    Template {
        namespace: "data",
        cronjob: "report-export",
        schedule: "30 6 * * *",
        image: "registry.local/data/report-export:2.1.0",
        run_secs: 12,
        fails: true,
        backoff_limit: 2,
    },
];

/// The template of a CronJob, or the one a Job without one runs.
pub fn template(namespace: &str, cronjob: Option<&str>) -> Template {
    TEMPLATES
        .iter()
        .find(|t| t.namespace == namespace && Some(t.cronjob) == cronjob)
        .copied()
        .unwrap_or(Template {
            namespace: "",
            cronjob: "",
            schedule: "",
            image: "registry.local/ops/toolbox:1.0",
            run_secs: 15,
            fails: false,
            backoff_limit: 6,
        })
}

/// The latest time at or before `at` that `schedule` fires. The simulator's schedules are
/// `M H * * *` and `*/N * * * *` only.
pub fn previous_fire(schedule: &str, at: UnixTime) -> Option<UnixTime> {
    let fields: Vec<&str> = schedule.split_whitespace().collect();
    let t = at.0;
    match fields.as_slice() {
        [every, "*", "*", "*", "*"] => {
            let n: i64 = every.strip_prefix("*/")?.parse().ok()?;
            let step = 60 * n.max(1);
            Some(UnixTime(t - t.rem_euclid(step)))
        }
        [minute, hour, "*", "*", "*"] => {
            let (m, h): (i64, i64) = (minute.parse().ok()?, hour.parse().ok()?);
            let day = t - t.rem_euclid(86_400);
            let today = day + h * 3600 + m * 60;
            Some(UnixTime(if today <= t { today } else { today - 86_400 }))
        }
        _ => None,
    }
}

/// The fire before `fire` (a minute earlier is before it).
pub(super) fn fire_before(schedule: &str, fire: UnixTime) -> Option<UnixTime> {
    previous_fire(schedule, fire.plus(-60))
}

/// The Job a CronJob's controller makes for a fire: `NAME-<minutes since the epoch>`.
pub fn scheduled_name(cronjob: &str, fire: UnixTime) -> String {
    format!("{cronjob}-{}", fire.0 / 60)
}
