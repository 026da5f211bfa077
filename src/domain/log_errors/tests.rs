//! The counts' reads, tallies, windows and budgeted passes.

use super::*;
use crate::domain::pod::tests::pod;

fn at(secs: i64) -> String {
    let stamp = UnixTime(secs).rfc3339();
    format!("{}.000000000Z", stamp.trim_end_matches('Z'))
}

#[test]
fn a_read_tallies_errors_per_minute_and_skips_what_was_counted() {
    let lines = [
        format!("{} INFO ok", at(600)),
        format!("{} ERROR boom", at(610)),
        format!("{} {{\"level\":\"error\",\"msg\":\"x\"}}", at(670)),
        format!("{} WARN slow", at(680)),
        "not a timestamped line".to_string(),
    ];
    let all = ScanResult::tally(lines.iter().map(String::as_str), None);
    assert_eq!(all.errors, BTreeMap::from([(10, 1), (11, 1)]));
    assert_eq!(all.lines, 5);
    assert_eq!(all.newest, Some(Duration::from_secs(680)));
    assert_eq!(all.oldest, Some(Duration::from_secs(600)));
    let later = ScanResult::tally(
        lines.iter().map(String::as_str),
        Some(Duration::from_secs(610)),
    );
    assert_eq!(later.errors, BTreeMap::from([(11, 1)]), "610 was counted");
}

#[test]
fn an_entry_counts_once_however_many_lines_its_stack_trace_has() {
    let lines = [
        format!("{} INFO ok", at(600)),
        format!("{} ERROR unhandled exception in worker, exiting", at(601)),
        format!("{} Traceback (most recent call last):", at(601)),
        format!("{}   File \"/app/worker.py\", line 88, in run", at(601)),
        format!("{} MemoryError: unable to allocate", at(601)),
        format!("{} INFO restarted", at(660)),
        // An uncaught exception after an INFO line is an error of its own.
        format!("{} Traceback (most recent call last):", at(661)),
        format!("{}   File \"/app/worker.py\", line 88, in run", at(661)),
        format!("{} ValueError: bad batch", at(661)),
        format!("{} {{\"level\":\"error\",\"msg\":\"x\"}}", at(662)),
    ];
    let all = ScanResult::tally(lines.iter().map(String::as_str), None);
    assert_eq!(all.errors, BTreeMap::from([(10, 1), (11, 2)]));
}

#[test]
fn windows_sum_minutes_and_a_cut_read_is_a_lower_bound() {
    let now = UnixTime(100_000);
    let mut p = pod("pos", "pos-order-abc-1", "Running");
    p.owner = Some("Deployment/pos-order".into());
    let mut counts = LogErrorCounts::default();
    let plan = counts.plan([&p], now, 3);
    assert_eq!(plan.len(), 1);
    assert_eq!(plan[0].since_seconds, 86_400);
    // Three lines read (the tail bound): one 20 min ago, two 1 min ago, all errors.
    let lines = [
        format!("{} ERROR a", at(now.0 - 1200)),
        format!("{} ERROR b", at(now.0 - 60)),
        format!("{} ERROR c", at(now.0 - 60)),
    ];
    let result = ScanResult::tally(lines.iter().map(String::as_str), None);
    counts.record(&plan[0], &result, now);
    let got = counts
        .for_workload("", "pos", "Deployment/pos-order")
        .unwrap();
    assert_eq!(got.counts, [2, 3]);
    // The read was cut 20 min back: the 15 minutes are whole, the day is a lower bound.
    assert_eq!(got.complete, [true, false]);
    assert_eq!(got.read_back_to, Some(UnixTime(now.0 - 1200)));
    // The next read starts after the newest line counted.
    let next = counts.plan([&p], UnixTime(now.0 + 60), 3);
    assert_eq!(next[0].after, Some(Duration::from_secs(now.0 as u64 - 60)));
    assert_eq!(next[0].since_seconds, 121);
    // A pod that goes keeps its counts with the workload.
    counts.retain_pods(|_| false);
    let gone = counts
        .for_workload("", "pos", "Deployment/pos-order")
        .unwrap();
    assert_eq!((gone.counts, gone.complete), ([2, 3], [true, false]));
}

#[test]
fn a_budgeted_pass_reads_the_focus_then_restarted_pods_and_says_what_it_covers() {
    let now = UnixTime(100_000);
    let owned = |ns: &str, name: &str, owner: &str| {
        let mut p = pod(ns, name, "Running");
        p.owner = Some(owner.into());
        p
    };
    let mut pods: Vec<Pod> = (0..6)
        .map(|i| owned("pos", &format!("pos-order-{i}"), "Deployment/pos-order"))
        .collect();
    pods.push(owned("wf", "pdf-0", "Deployment/pdf"));
    pods.push(owned("wf", "pdf-1", "Deployment/pdf"));
    let mut counts = LogErrorCounts::default();
    let focus = [("wf", "Deployment/pdf")];
    let priority = ReadPriority {
        focus: &focus,
        max_reads: 3,
    };
    let first = counts.plan_within(&pods, now, 100, priority);
    let names: Vec<&str> = first.iter().map(|s| &*s.key.name).collect();
    assert_eq!(names.len(), 3, "the budget");
    assert_eq!(
        &names[..2],
        ["pdf-0", "pdf-1"],
        "the workload on screen first"
    );
    for scan in &first {
        counts.record(scan, &ScanResult::default(), now);
    }
    let pos = counts
        .for_workload("", "pos", "Deployment/pos-order")
        .unwrap();
    assert_eq!((pos.pods_read, pos.pods_total), (1, 6));
    assert_eq!(pos.complete, [false, false], "5 pods unread: a lower bound");
    let pdf = counts.for_workload("", "wf", "Deployment/pdf").unwrap();
    assert_eq!((pdf.pods_read, pdf.pods_total), (2, 2));
    assert_eq!(pdf.complete, [true, true]);

    // A pod that restarted since its read comes before those never read; then round robin.
    let later = UnixTime(now.0 + 60);
    let read_pos = first[2].key.name.to_string();
    let restarted = pods.iter_mut().find(|p| *p.key.name == *read_pos).unwrap();
    restarted.restarts = 1;
    restarted.last_restart = Some(UnixTime(now.0 + 30));
    let none: [(&str, &str); 0] = [];
    let second = counts.plan_within(
        &pods,
        later,
        100,
        ReadPriority {
            focus: &none,
            max_reads: 3,
        },
    );
    let names: Vec<&str> = second.iter().map(|s| &*s.key.name).collect();
    assert!(names.contains(&read_pos.as_str()), "{names:?}");
    assert!(
        !names.iter().any(|n| n.starts_with("pdf")),
        "read last pass, not restarted: after the unread ones {names:?}"
    );
}

#[test]
fn a_budget_smaller_than_the_screen_still_reaches_every_workload_on_it_in_turn() {
    let mut now = UnixTime(100_000);
    let mut pods = Vec::new();
    for w in ["a", "b", "c"] {
        for i in 0..10 {
            let mut p = pod("ns", &format!("{w}-{i}"), "Running");
            p.owner = Some(format!("Deployment/{w}").into());
            pods.push(p);
        }
    }
    let focus = [
        ("ns", "Deployment/a"),
        ("ns", "Deployment/b"),
        ("ns", "Deployment/c"),
    ];
    let mut counts = LogErrorCounts::default();
    // The selected workload (a) takes 10 reads of each pass's 12; b and c share the rest.
    for _ in 0..10 {
        let priority = ReadPriority {
            focus: &focus,
            max_reads: 12,
        };
        for scan in counts.plan_within(&pods, now, 100, priority) {
            counts.record(&scan, &ScanResult::default(), now);
        }
        now = UnixTime(now.0 + 60);
    }
    counts.plan_within(&pods, now, 100, ReadPriority::default());
    for w in ["b", "c"] {
        let e = counts
            .for_workload("", "ns", &format!("Deployment/{w}"))
            .unwrap();
        assert_eq!((e.pods_read, e.pods_total), (10, 10), "{w}");
    }
}

#[test]
fn a_read_that_got_everything_is_complete_and_old_minutes_leave_the_day() {
    let now = UnixTime(200_000);
    let mut p = pod("pos", "pos-order-abc-1", "Running");
    p.owner = Some("Deployment/pos-order".into());
    let mut counts = LogErrorCounts::default();
    let plan = counts.plan([&p], now, 1000);
    let lines = [
        format!("{} ERROR old", at(now.0 - 3 * 3600)),
        format!("{} ERROR new", at(now.0 - 30)),
    ];
    counts.record(
        &plan[0],
        &ScanResult::tally(lines.iter().map(String::as_str), None),
        now,
    );
    let got = counts
        .for_workload("", "pos", "Deployment/pos-order")
        .unwrap();
    assert_eq!((got.counts, got.complete), ([1, 2], [true, true]));
    let tomorrow = UnixTime(now.0 + DAY);
    counts.record(&plan[0], &ScanResult::default(), tomorrow);
    let got = counts
        .for_workload("", "pos", "Deployment/pos-order")
        .unwrap();
    assert_eq!(got.counts, [0, 0]);
    assert!(counts.for_workload("", "pos", "Deployment/other").is_none());
}
