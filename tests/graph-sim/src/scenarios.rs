//! The scenario knobs as one value, so the admin endpoint `/_sim/scenarios`
//! can read and replace them while the binary runs (an example can resolve an
//! `adminActionRequired` job, or make a resource fail, without a restart).

use serde::{Deserialize, Serialize};

use crate::SimConfig;

/// The scenario knobs of [`SimConfig`] (JSON in camelCase; missing fields are
/// empty / false).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Scenarios {
    /// [`SimConfig::approval_step`].
    pub approval_step: bool,
    /// [`SimConfig::admin_action_resources`].
    pub admin_action_resources: Vec<String>,
    /// [`SimConfig::force_complete_resources`].
    pub force_complete_resources: Vec<String>,
    /// [`SimConfig::failing_resources`].
    pub failing_resources: Vec<String>,
    /// [`SimConfig::unknown_resources`].
    pub unknown_resources: Vec<String>,
}

impl Scenarios {
    /// The knobs of a configuration.
    pub fn of(cfg: &SimConfig) -> Self {
        Self {
            approval_step: cfg.approval_step,
            admin_action_resources: cfg.admin_action_resources.clone(),
            force_complete_resources: cfg.force_complete_resources.clone(),
            failing_resources: cfg.failing_resources.clone(),
            unknown_resources: cfg.unknown_resources.clone(),
        }
    }

    /// Writes the knobs into a configuration.
    pub fn apply(self, cfg: &mut SimConfig) {
        cfg.approval_step = self.approval_step;
        cfg.admin_action_resources = self.admin_action_resources;
        cfg.force_complete_resources = self.force_complete_resources;
        cfg.failing_resources = self.failing_resources;
        cfg.unknown_resources = self.unknown_resources;
    }
}
