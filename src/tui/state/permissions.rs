//! The selected user's permissions as the pane shows them: derived from
//! the cache and the requests out, so the view and `update` read the same.

use crate::brevo::{ApiError, UserPermissions, catalog};

use super::{AppState, Cached, user_key};

/// What the permissions pane shows for the selected user.
#[derive(Debug)]
pub enum PermissionsView<'a> {
    NoSelection,
    /// The owner has every feature; no request is needed to say so.
    Owner,
    Loaded(&'a UserPermissions),
    Failed(&'a ApiError),
    Loading,
    /// Waiting for the selection to rest.
    Waiting,
    /// Quota low: loads only when asked with Enter.
    OnEnter,
}

impl AppState {
    pub fn permissions_view(&self) -> PermissionsView<'_> {
        let Some(user) = self.selected_user() else {
            return PermissionsView::NoSelection;
        };
        if user.is_owner {
            return PermissionsView::Owner;
        }
        let key = user_key(&user.email);
        if self.permissions.in_flight.contains_key(&key) {
            return PermissionsView::Loading;
        }
        match self.permissions.cache.get(&key) {
            Some(Cached::Loaded(permissions)) => PermissionsView::Loaded(permissions),
            Some(Cached::Failed(error)) => PermissionsView::Failed(error),
            None if self.quota_low() || self.quota_wait.is_some() => PermissionsView::OnEnter,
            None => PermissionsView::Waiting,
        }
    }
}

/// Lines the permissions pane holds for a loaded user (see the view).
pub fn line_count(permissions: &UserPermissions) -> usize {
    let unknown = permissions
        .grants
        .iter()
        .filter(|(feature, _)| catalog::feature(feature).is_none_or(|f| !f.current))
        .count();
    catalog::current_features().count() + unknown
}
