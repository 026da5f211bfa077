//! CronJobs and Jobs: few per namespace, one reflector each per watched scope, sent as two
//! reports (the Jobs panel shows both).

use k8s_openapi::api::batch::v1::{CronJob, Job};
use kube::runtime::reflector::Store;

use super::{Kept, Opener, everything};
use crate::adapters::kube::convert_job;
use crate::domain::Report;

struct CronJobs(Vec<Store<CronJob>>);
struct Jobs(Vec<Store<Job>>);

pub(super) fn open_cronjobs(o: &mut Opener) -> Box<dyn Kept> {
    Box::new(CronJobs(o.per_scope()))
}

pub(super) fn open_jobs(o: &mut Opener) -> Box<dyn Kept> {
    Box::new(Jobs(o.per_scope()))
}

impl Kept for CronJobs {
    fn report(&self) -> Report {
        Report::CronJobs(
            everything(&self.0)
                .iter()
                .map(|c| convert_job::cronjob(c))
                .collect(),
        )
    }
}

impl Kept for Jobs {
    fn report(&self) -> Report {
        Report::Jobs(
            everything(&self.0)
                .iter()
                .map(|j| convert_job::job(j))
                .collect(),
        )
    }
}
