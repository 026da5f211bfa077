//! The Overview's lower tiles: databases, backups and the sources' freshness, each line fitted
//! to its tile (names give way before figures; a wide tile adds the details beside them).

use ratatui::text::{Line, Span};

use super::instances::{gauge_bar, percent};
use super::overview::{fitted, mark, muted};
use crate::app::State;
use crate::domain::time::{format_age, format_bytes};
use crate::domain::{BackupSet, FreshnessView, Level, UnixTime};
use crate::ui::fit_line::{drop, keep, natural_width, shrink, shrink_or_drop};
use crate::ui::look::Look;
use crate::ui::text::clean;

/// The widest a tile's gauge bar is drawn.
const BAR: usize = 8;

/// `name ████░░░░ ▲ 84%  extra`: the bar narrows, then goes, before the name is cut; the figure
/// never does; the extra shows where the tile is wide enough to say something with it.
pub fn gauge_line(
    look: Look,
    bar_cells: usize,
    name: &str,
    ratio: f64,
    level: Level,
    extra: String,
    width: usize,
) -> Line<'static> {
    let mut bar = vec![Span::raw(" ")];
    // A bar of one or two cells says nothing a percentage does not.
    if bar_cells >= 3 {
        bar.extend(gauge_bar(look, ratio, level, bar_cells));
    }
    fitted(
        look,
        vec![
            shrink(1, Span::raw(name.to_string())),
            drop(2, if bar.len() > 1 { bar } else { Vec::new() }),
            keep(Span::raw(" ")),
            keep(percent(look, ratio, level)),
            shrink_or_drop(3, 12, muted(look, extra)),
        ],
        width,
    )
}

pub fn databases_lines(look: Look, state: &State, width: usize) -> Vec<Line<'static>> {
    let e = &state.estate;
    let redis_name = |r: &crate::domain::RedisInfo| format!("{} mem", clean(&r.name));
    // One bar width for the tile, so that the gauges line up: what the longest name leaves
    // beside the figure (`name ` + bar + ` ▲ 100%`).
    let longest = e
        .postgres
        .iter()
        .map(|pg| clean(&pg.name).chars().count())
        .chain(e.redis.iter().map(|r| redis_name(r).chars().count()))
        .max()
        .unwrap_or(0);
    let bar = width.saturating_sub(longest + 8).min(BAR);
    let mut lines: Vec<Line> = Vec::new();
    // An instance that is not live says so instead of its figures (the Databases panel shows
    // them dimmed); one that never reported has a line too.
    for row in super::instances::instance_rows(state) {
        let not_live = row.freshness.as_ref().and_then(|v| look.source_mark(v));
        match (not_live, row.pg, row.redis) {
            (Some(mark), _, _) => lines.push(fitted(
                look,
                vec![
                    shrink(1, Span::raw(format!("{} ", clean(row.name)))),
                    keep(mark),
                ],
                width,
            )),
            (None, Some(pg), _) => lines.extend(super::instances::tile_lines(
                look, pg, state.now, width, bar,
            )),
            (None, None, Some(r)) => lines.push(redis_line(look, r, &redis_name(r), bar, width)),
            (None, None, None) => {}
        }
    }
    lines
}

/// A Redis instance's memory against its `maxmemory`, with clients and ops/s where there is room.
fn redis_line(
    look: Look,
    r: &crate::domain::RedisInfo,
    name: &str,
    bar: usize,
    width: usize,
) -> Line<'static> {
    let extra = format!(
        "  {}/{}  clients {}  ops/s {}",
        format_bytes(r.used_memory),
        format_bytes(r.maxmemory),
        r.connected_clients,
        r.ops_per_sec
    );
    match r.memory_ratio() {
        Some(ratio) => gauge_line(look, bar, name, ratio, r.level(), extra, width),
        // Without a maxmemory there is no ratio to draw: the memory used, said as such.
        None => fitted(
            look,
            vec![
                shrink(1, Span::raw(name.to_string())),
                keep(Span::raw(format!(" {}", format_bytes(r.used_memory)))),
                shrink_or_drop(2, 8, muted(look, " (no maxmemory)")),
            ],
            width,
        ),
    }
}

/// Whether the newest backup was checked, in a few words.
fn checked(look: Look, set: &BackupSet, now: UnixTime) -> Span<'static> {
    match set.newest_verification() {
        Some(v) if v.ok => look.marked(
            Level::Ok,
            &format!("verified {} ago", format_age(v.at.age_at(now))),
        ),
        Some(v) => look.marked(
            Level::Crit,
            &format!("check FAILED {} ago", format_age(v.at.age_at(now))),
        ),
        None => look.marked(Level::Warn, "never verified"),
    }
}

pub fn backups_lines(look: Look, state: &State, width: usize) -> Vec<Line<'static>> {
    let now = state.now;
    let sets = &state.estate.backups;
    // Sizes and checks are shown for every set or for none, so that the lines read alike: the
    // richest that fits every line whole.
    let parts = |b: &BackupSet, size: bool, check: bool| {
        let level = b.level(now);
        let age = b.age_secs(now).map_or("none".to_string(), format_age);
        let mut parts = vec![
            mark(look, level),
            shrink(1, look.level_span(level, &clean(&b.name))),
            keep(muted(look, format!(" {age}/{}", format_age(b.rpo_secs)))),
        ];
        if let Some(problem) = &b.problem {
            let why = format!("  {}", clean(problem));
            parts.push(shrink_or_drop(3, 10, look.level_span(Level::Crit, &why)));
            return parts;
        }
        if let Some(newest) = b.latest().filter(|_| size) {
            let size = format!("  {}", newest.size_bytes.map_or("-".into(), format_bytes));
            parts.push(keep(muted(look, size)));
        }
        if check {
            parts.push(keep(Span::raw("  ")));
            parts.push(keep(checked(look, b, now)));
        }
        parts
    };
    let (size, check) = [(true, true), (false, true), (false, false)]
        .into_iter()
        .find(|(size, check)| {
            sets.iter()
                .all(|b| natural_width(&parts(b, *size, *check)) <= width)
        })
        .unwrap_or((false, false));
    sets.iter()
        .map(|b| fitted(look, parts(b, size, check), width))
        .collect()
}

pub fn sources_lines(look: Look, state: &State, width: usize) -> Vec<Line<'static>> {
    state
        .estate
        .sources
        .iter()
        .map(|(id, f)| {
            let view = f.view(state.now);
            let mut parts = vec![
                keep(Span::raw(format!("{:<7} ", id.kind.label()))),
                shrink(1, Span::raw(clean(&id.name).into_owned())),
                keep(Span::raw(" ")),
                keep(look.freshness(&view)),
            ];
            if let FreshnessView::Unreachable { reason, .. } = &view {
                let why = format!(" {}", clean(reason));
                parts.push(shrink_or_drop(2, 8, muted(look, why)));
            }
            fitted(look, parts, width)
        })
        .collect()
}
