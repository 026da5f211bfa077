//! Checks of one number against bounds: a service's KPI from the estate, or the answer of a
//! query (SQL, PromQL) run for the checklist.

use super::{Facts, gated};
use crate::app::Panel;
use crate::checklist::def::KpiName;
use crate::checklist::outcome::{Outcome, Status, figure};
use crate::checklist::probe::ProbeAnswer;
use crate::domain::SourceKind;

/// Whether `value` is within `min..=max`, and the bound it broke.
fn judge(value: f64, min: Option<f64>, max: Option<f64>) -> Result<(), String> {
    if let Some(max) = max.filter(|m| value > *m) {
        return Err(format!("at most {} allowed", figure(max)));
    }
    if let Some(min) = min.filter(|m| value < *m) {
        return Err(format!("at least {} required", figure(min)));
    }
    Ok(())
}

fn bounds_text(min: Option<f64>, max: Option<f64>) -> String {
    match (min, max) {
        (Some(a), Some(b)) => format!("between {} and {}", figure(a), figure(b)),
        (Some(a), None) => format!("at least {}", figure(a)),
        (None, Some(b)) => format!("at most {}", figure(b)),
        (None, None) => "any".into(),
    }
}

fn bounded(what: &str, value: f64, min: Option<f64>, max: Option<f64>) -> Outcome {
    match judge(value, min, max) {
        Ok(()) => Outcome::new(
            Status::Pass,
            format!("{what} = {}, {}", figure(value), bounds_text(min, max)),
        ),
        Err(broke) => Outcome::new(Status::Fail, format!("{what} = {}, {broke}", figure(value))),
    }
}

pub(super) fn kpi(
    facts: &Facts,
    service: &str,
    kpi: KpiName,
    min: Option<f64>,
    max: Option<f64>,
) -> Outcome {
    gated(facts, SourceKind::Prometheus, None, "Prometheus", || {
        let kpis = facts.estate.kpis.get(service).or_else(|| {
            facts
                .estate
                .kpis
                .values()
                .find(|k| k.service.rsplit('/').next() == Some(service))
        });
        let Some(kpis) = kpis else {
            return Outcome::new(
                Status::Fail,
                format!("no KPIs for `{service}`: add it to [[prometheus.kpis]]"),
            );
        };
        let value = match kpi {
            KpiName::P95Ms => kpis.p95_ms,
            KpiName::ErrorRate => kpis.error_rate,
            KpiName::RequestsPerS => kpis.requests_per_s,
        };
        let what = format!("`{}` {}", kpis.service, kpi.word());
        let name = kpis
            .service
            .rsplit('/')
            .next()
            .unwrap_or(service)
            .to_string();
        let outcome = match value {
            Some(v) => bounded(&what, v, min, max),
            None => Outcome::new(Status::Fail, format!("{what}: the query returned nothing")),
        };
        if outcome.status == Status::Pass {
            outcome
        } else {
            outcome.with_jump(Panel::Services, name)
        }
    })
}

/// A query's answer against its bounds: pending until it comes.
pub(super) fn probed(probe: Option<&ProbeAnswer>, min: Option<f64>, max: Option<f64>) -> Outcome {
    let Some(answer) = probe else {
        return Outcome::pending("the query has not run yet");
    };
    let mut outcome = match &answer.result {
        Err(e) if e.not_configured => {
            Outcome::new(Status::Skip, format!("does not apply: {}", e.message))
        }
        Err(e) => Outcome::new(Status::Fail, format!("the query failed: {}", e.message)),
        Ok(None) => Outcome::new(Status::Fail, "the query returned no value"),
        Ok(Some(value)) => bounded("value", *value, min, max),
    };
    if outcome.status == Status::Skip {
        return outcome;
    }
    outcome.evidence.push(format!(
        "queried {} in {} ms",
        answer.at.clock_utc(),
        answer.took_ms
    ));
    outcome
}
