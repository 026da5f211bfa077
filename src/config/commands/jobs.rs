//! The command table's rows of the Jobs panel (CronJobs and Jobs): showing it, and its own
//! keys: logs of a Job's pod, run a CronJob now, suspend or resume it, delete a finished Job.

use super::{Command, CommandRow, Mode};

pub(super) const COMMANDS: &[CommandRow] = &[
    (
        Command::ShowJobs,
        "show_jobs",
        "Jobs panel (CronJobs and their Jobs; failed Jobs warn; right: a CronJob's Jobs)",
        Mode::Global,
    ),
    (
        Command::Logs,
        "logs",
        "The log of the Job's newest pod (on a CronJob: of its newest Job's)",
        Mode::Jobs,
    ),
    (
        Command::RunCronJob,
        "run_now",
        "Run the CronJob now: a Job from its template (kubectl create job --from=cronjob/NAME)",
        Mode::Jobs,
    ),
    (
        Command::SuspendCronJob,
        "suspend",
        "Suspend the CronJob (spec.suspend: no Job at its schedule), or resume it",
        Mode::Jobs,
    ),
    (
        Command::DeleteJob,
        "delete_job",
        "Delete the finished Job and its pods (a running one is refused)",
        Mode::Jobs,
    ),
];
