//! Where things go on the screen. Pure functions of the state and the terminal size, used by
//! the view to draw and by `update` to know how many rows a page has.

use ratatui::layout::{Constraint, Layout, Rect};

use crate::app::{Panel, State};

/// From this width on, details open beside the table instead of below it.
pub const SIDE_DETAILS_MIN_WIDTH: u16 = 140;

pub struct Screen {
    /// The incident banner's row, while an incident is open.
    pub banner: Option<Rect>,
    pub tabs: Rect,
    pub body: Rect,
    pub status: Rect,
}

pub fn screen(area: Rect, banner: bool) -> Screen {
    let [banner_row, tabs, body, status] = Layout::vertical([
        Constraint::Length(u16::from(banner)),
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    Screen {
        banner: banner.then_some(banner_row),
        tabs,
        body,
        status,
    }
}

pub struct PanelAreas {
    /// Gauges above the table (Databases).
    pub top: Option<Rect>,
    pub table: Rect,
    pub details: Option<Rect>,
    /// The filter being typed.
    pub filter: Option<Rect>,
    /// Where a drill-down came from (`Services › pos/pos-order › pods`), above the table.
    pub breadcrumb: Option<Rect>,
}

/// Rows of the Databases panel's gauge block: one per instance plus borders.
pub fn database_gauge_height(state: &State) -> u16 {
    crate::ui::panels::instances::instance_count(state) as u16 + 2
}

pub fn panel(state: &State, body: Rect) -> PanelAreas {
    let mut rest = body;
    let mut filter = None;
    // With the logs pane open, what is typed searches it and shows on the pane's border.
    let searching_logs = matches!(
        state.pane.as_ref().map(|p| &p.kind),
        Some(crate::app::pane::PaneKind::Logs(_) | crate::app::pane::PaneKind::Yaml(_))
    );
    if state.filter_input.is_some() && !searching_logs {
        let [above, line] =
            Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(rest);
        rest = above;
        filter = Some(line);
    }
    let mut breadcrumb = None;
    if !state.view.stack.is_empty() {
        let [line, below] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(rest);
        breadcrumb = Some(line);
        rest = below;
    }
    let mut top = None;
    if state.panel == Panel::Databases {
        let height = database_gauge_height(state).min(rest.height / 2);
        let [gauges, below] =
            Layout::vertical([Constraint::Length(height), Constraint::Min(0)]).areas(rest);
        top = Some(gauges);
        rest = below;
    }
    let (table, details) = if state.details && state.panel.has_table() {
        if state.details_view.full {
            (Rect::new(rest.x, rest.y, rest.width, 0), Some(rest))
        } else if body.width >= SIDE_DETAILS_MIN_WIDTH {
            let [t, d] =
                Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)])
                    .areas(rest);
            (t, Some(d))
        } else {
            let [t, d] = Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(rest);
            (t, Some(d))
        }
    } else {
        (rest, None)
    };
    PanelAreas {
        top,
        table,
        details,
        filter,
        breadcrumb,
    }
}

/// Data rows the shown panel's table has room for (inside borders, below the header).
pub fn table_body_height(state: &State) -> usize {
    let area = Rect::new(0, 0, state.size.0, state.size.1);
    let areas = panel(state, screen(area, state.incident.is_some()).body);
    areas.table.height.saturating_sub(3) as usize
}

/// Where the shown panel's details pane is, when it is open.
pub fn details_area(state: &State) -> Option<Rect> {
    let area = Rect::new(0, 0, state.size.0, state.size.1);
    panel(state, screen(area, state.incident.is_some()).body).details
}
