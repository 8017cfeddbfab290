//! `AccessRequest`: the body of an invitation or a permissions update
//! (`Inviteuser`, spec §4.5), with the one builder for updates.

use std::collections::BTreeSet;

use super::catalog;
use super::grants::Grants;
use super::model::WirePrivilege;

/// The body of an invitation or a permissions update (`Inviteuser`, spec §4.5).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessRequest {
    pub email: String,
    pub all_features_access: bool,
    pub grants: Grants,
    /// Features to send as `["none"]`: access the user loses.
    pub revoked_features: BTreeSet<String>,
    /// Features copied back verbatim from what Brevo reported, exempt from
    /// catalogue validation (we cannot judge values we do not know, but
    /// Brevo gave them to us, so sending them back is safe).
    pub carried_features: BTreeSet<String>,
}

impl AccessRequest {
    /// An invitation. With `all_features_access` the grants are not sent.
    pub fn invite(email: impl Into<String>, all_features_access: bool, grants: Grants) -> Self {
        Self {
            email: email.into().trim().to_owned(),
            all_features_access,
            grants,
            revoked_features: BTreeSet::new(),
            carried_features: BTreeSet::new(),
        }
    }

    /// The one builder for permission updates. Whether Brevo merges or
    /// replaces per feature is unconfirmed (spec §4.6, §11.5), so the body
    /// names every feature the user holds now plus the changes, with each
    /// emptied feature sent as `["none"]`: the outcome is the same either way.
    pub fn update(
        email: impl Into<String>,
        current: &Grants,
        desired: &Grants,
        all_features_access: bool,
    ) -> Self {
        let revoked_features = if all_features_access {
            BTreeSet::new()
        } else {
            current
                .iter()
                .map(|(feature, _)| feature)
                .filter(|feature| desired.get(feature).is_none())
                .map(str::to_owned)
                .collect()
        };
        let unrecognised = current.unrecognised_features();
        let carried_features = unrecognised
            .into_iter()
            .filter(|feature| desired.get(feature) == current.get(feature))
            .collect();
        Self {
            email: email.into().trim().to_owned(),
            all_features_access,
            grants: desired.clone(),
            revoked_features,
            carried_features,
        }
    }

    /// The JSON body exactly as it goes on the wire.
    pub fn to_body(&self) -> serde_json::Value {
        // With all features granted the privileges are ignored by Brevo
        // (spec §4.5); an empty array is the form every source accepts.
        let privileges: Vec<WirePrivilege> = if self.all_features_access {
            Vec::new()
        } else {
            let mut privileges: Vec<WirePrivilege> = self
                .grants
                .iter()
                .map(|(feature, permissions)| WirePrivilege {
                    feature: feature.to_owned(),
                    permissions: permissions.into_iter().map(str::to_owned).collect(),
                })
                .collect();
            let mut revoked: Vec<&String> = self.revoked_features.iter().collect();
            revoked.sort_by_key(|f| catalog::feature_rank(f));
            privileges.extend(revoked.into_iter().map(|feature| WirePrivilege {
                feature: feature.clone(),
                permissions: vec![catalog::NONE.to_owned()],
            }));
            privileges
        };
        serde_json::json!({
            "email": self.email,
            "all_features_access": self.all_features_access,
            "privileges": privileges,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn update_body_sends_every_held_feature_and_empties_removed_ones_as_none() {
        let current = Grants::from_pairs([("contacts", vec!["view"]), ("phone", vec!["all"])]);
        let desired = Grants::from_pairs([("contacts", vec!["view", "import"])]);
        let body = AccessRequest::update("ops@acme.test", &current, &desired, false).to_body();
        assert_eq!(
            body,
            serde_json::json!({
                "email": "ops@acme.test",
                "all_features_access": false,
                "privileges": [
                    {"feature": "contacts", "permissions": ["view", "import"]},
                    {"feature": "phone", "permissions": ["none"]},
                ]
            })
        );
    }

    #[test]
    fn all_features_sends_an_empty_privilege_list() {
        let body = AccessRequest::invite(
            "a@b.test",
            true,
            Grants::from_pairs([("contacts", vec!["view"])]),
        )
        .to_body();
        assert_eq!(body["privileges"], serde_json::json!([]));
        assert_eq!(body["all_features_access"], serde_json::json!(true));
    }
}
