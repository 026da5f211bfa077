//! The cockpit's panels, in the order the default keymap numbers them (and the tabs show them);
//! what each one is and does is its entry in `panel_spec::SPECS`.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, clap::ValueEnum)]
pub enum Panel {
    #[default]
    Overview,
    Pods,
    Services,
    Alerts,
    Databases,
    Backups,
    Checklist,
    Events,
    Nodes,
    Jobs,
    Config,
}

impl Panel {
    pub const ALL: [Panel; 11] = [
        Panel::Overview,
        Panel::Pods,
        Panel::Services,
        Panel::Alerts,
        Panel::Databases,
        Panel::Backups,
        Panel::Checklist,
        Panel::Events,
        Panel::Nodes,
        Panel::Jobs,
        Panel::Config,
    ];

    pub fn title(self) -> &'static str {
        self.spec().title
    }

    fn index(self) -> usize {
        Panel::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }

    pub fn next(self) -> Panel {
        Panel::ALL[(self.index() + 1) % Panel::ALL.len()]
    }

    pub fn prev(self) -> Panel {
        Panel::ALL[(self.index() + Panel::ALL.len() - 1) % Panel::ALL.len()]
    }

    pub fn has_table(self) -> bool {
        self.spec().table.is_some()
    }
}
