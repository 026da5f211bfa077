//! The overlay pane over the panels: the silences list, or the runbook section an alert names.
//! Scrolls with the keys; closes with Esc.

use crate::domain::runbook::{RunbookFile, Section, find_section};

#[derive(Debug, Clone, PartialEq)]
pub enum PaneKind {
    /// Every silence the Alertmanagers know: who, why, until when.
    Silences,
    Runbook(RunbookPane),
}

/// What the pane shows for an alert's runbook annotation.
#[derive(Debug, Clone, PartialEq)]
pub struct RunbookPane {
    pub alert: String,
    /// The annotation as written.
    pub reference: String,
    /// The local section, when one matched.
    pub section: Option<Section>,
}

impl RunbookPane {
    pub fn open(alert: &str, reference: &str, files: &[RunbookFile]) -> RunbookPane {
        RunbookPane {
            alert: alert.into(),
            reference: reference.into(),
            section: find_section(files, reference),
        }
    }

    /// The link to copy when the runbook is not a local file.
    pub fn url(&self) -> Option<&str> {
        self.reference
            .contains("://")
            .then_some(self.reference.as_str())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Pane {
    pub kind: PaneKind,
    /// Lines scrolled past; the view clamps it to the content.
    pub scroll: u16,
}

impl Pane {
    pub fn new(kind: PaneKind) -> Pane {
        Pane { kind, scroll: 0 }
    }
}
