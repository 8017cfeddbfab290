//! The privileges widget both forms share: the "All features" toggle, the
//! row of presets and the grid of features × permissions. One widget, so
//! the invite and the edit form cannot drift apart.

use std::collections::BTreeSet;

use crate::brevo::presets::Preset;
use crate::brevo::{Grants, catalog};

/// One line of the grid: a feature and the permissions that fit it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The key as Brevo sends it (an unknown one as it came).
    pub feature: String,
    /// Checkboxes, in catalogue order; empty for a locked row.
    pub permissions: &'static [&'static str],
    /// Holds values the catalogue does not know: shown as they came and
    /// never changed, so saving cannot lose them.
    pub locked: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Privileges {
    pub all_features: bool,
    /// What is ticked. Kept while "All features" is on, so turning it off
    /// again gives the grid back as it was.
    pub grants: Grants,
    pub rows: Vec<Row>,
    /// The focused cell: a row, and a permission within that row.
    pub row: usize,
    pub col: usize,
    /// The preset under the cursor when the presets row has the focus.
    pub preset: usize,
}

impl Privileges {
    /// Every current feature in catalogue order, then the features the
    /// catalogue does not know; the features in `locked` cannot change.
    pub fn new(grants: Grants, locked: &BTreeSet<String>) -> Self {
        let mut rows: Vec<Row> = catalog::current_features()
            .map(|feature| {
                let locked = locked.contains(feature.key);
                Row {
                    feature: feature.key.to_owned(),
                    permissions: if locked { &[] } else { feature.permissions },
                    locked,
                }
            })
            .collect();
        for (feature, _) in grants.iter() {
            if !rows.iter().any(|r| r.feature == feature) {
                rows.push(Row {
                    feature: feature.to_owned(),
                    permissions: &[],
                    locked: true,
                });
            }
        }
        Self {
            all_features: false,
            grants,
            rows,
            row: 0,
            col: 0,
            preset: 0,
        }
    }

    /// Moves to the previous feature; false at the first one (the caller
    /// moves the focus out of the grid).
    pub fn up(&mut self) -> bool {
        if self.row == 0 {
            return false;
        }
        self.row -= 1;
        self.clamp_col();
        true
    }

    pub fn down(&mut self) {
        self.row = (self.row + 1).min(self.rows.len().saturating_sub(1));
        self.clamp_col();
    }

    pub fn left(&mut self) {
        self.col = self.col.saturating_sub(1);
    }

    pub fn right(&mut self) {
        let last = self.focused_row().map_or(0, |r| r.permissions.len());
        self.col = (self.col + 1).min(last.saturating_sub(1));
    }

    fn clamp_col(&mut self) {
        let len = self.focused_row().map_or(0, |r| r.permissions.len());
        self.col = self.col.min(len.saturating_sub(1));
    }

    pub fn focused_row(&self) -> Option<&Row> {
        self.rows.get(self.row)
    }

    /// The feature and permission under the cursor (none on a locked row).
    pub fn focused_cell(&self) -> Option<(&str, &'static str)> {
        let row = self.focused_row()?;
        Some((row.feature.as_str(), *row.permissions.get(self.col)?))
    }

    /// Space on the grid. `Err` names why nothing changed.
    pub fn toggle(&mut self) -> Result<(), String> {
        let (feature, permission) = self.cell_or_why()?;
        self.grants.toggle(&feature, permission);
        Ok(())
    }

    /// `a`: every permission of the focused feature.
    pub fn select_all(&mut self) -> Result<(), String> {
        let row = self.unlocked_row()?;
        let (feature, permissions) = (row.feature.clone(), row.permissions);
        self.grants.set(&feature, permissions.iter().copied());
        Ok(())
    }

    /// `n`: none of the focused feature.
    pub fn clear(&mut self) -> Result<(), String> {
        let feature = self.unlocked_row()?.feature.clone();
        self.grants.clear_feature(&feature);
        Ok(())
    }

    fn cell_or_why(&self) -> Result<(String, &'static str), String> {
        self.unlocked_row()?;
        self.focused_cell()
            .map(|(f, p)| (f.to_owned(), p))
            .ok_or_else(|| "no permission under the cursor".to_owned())
    }

    fn unlocked_row(&self) -> Result<&Row, String> {
        if self.all_features {
            return Err("all features are granted: turn that off to choose".to_owned());
        }
        let row = self
            .focused_row()
            .ok_or_else(|| "no feature under the cursor".to_owned())?;
        if row.locked {
            return Err(format!(
                "{} holds values this program does not know: it is kept as Brevo sent it",
                catalog::feature_name(&row.feature)
            ));
        }
        Ok(row)
    }

    pub fn preset_left(&mut self) {
        self.preset = self.preset.saturating_sub(1);
    }

    pub fn preset_right(&mut self, count: usize) {
        self.preset = (self.preset + 1).min(count.saturating_sub(1));
    }

    /// Fills the form from a preset. Locked features keep what they hold;
    /// with an all-features preset the grid is kept underneath.
    pub fn apply(&mut self, preset: &Preset) {
        self.all_features = preset.all_features;
        if preset.all_features {
            return;
        }
        let mut grants = preset.grants.clone();
        for row in self.rows.iter().filter(|r| r.locked) {
            grants.clear_feature(&row.feature);
            if let Some(values) = self.grants.get(&row.feature) {
                grants.set(&row.feature, values.iter().cloned());
            }
        }
        self.grants = grants;
    }

    /// Whether the form holds exactly what `preset` grants (locked
    /// features aside), so the row can show which preset is in force.
    pub fn matches(&self, preset: &Preset) -> bool {
        if self.all_features || preset.all_features {
            return self.all_features == preset.all_features;
        }
        let mut mine = self.grants.clone();
        for row in self.rows.iter().filter(|r| r.locked) {
            mine.clear_feature(&row.feature);
        }
        mine == preset.grants
    }

    /// What the form asks for, as grants: everything when all features.
    pub fn intended(&self) -> Grants {
        if self.all_features {
            Grants::everything()
        } else {
            self.grants.clone()
        }
    }
}
