//! How core values appear in a saved plan's JSON: `Grants` as
//! `{"feature": ["permission", ...]}`, an escalation as a snake_case word.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::brevo::escalation::Escalation;
use crate::brevo::grants::Grants;

fn to_map(grants: &Grants) -> BTreeMap<&str, Vec<&str>> {
    grants.iter().collect()
}

fn from_map(map: BTreeMap<String, Vec<String>>) -> Grants {
    Grants::from_pairs(map)
}

pub mod grants {
    use super::*;

    pub fn serialize<S: Serializer>(grants: &Grants, s: S) -> Result<S::Ok, S::Error> {
        to_map(grants).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Grants, D::Error> {
        Ok(from_map(BTreeMap::deserialize(d)?))
    }
}

pub mod grants_opt {
    use super::*;

    pub fn serialize<S: Serializer>(grants: &Option<Grants>, s: S) -> Result<S::Ok, S::Error> {
        grants.as_ref().map(to_map).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Grants>, D::Error> {
        Ok(Option::<BTreeMap<String, Vec<String>>>::deserialize(d)?.map(from_map))
    }
}

pub mod escalation {
    use super::*;

    pub fn serialize<S: Serializer>(e: &Option<Escalation>, s: S) -> Result<S::Ok, S::Error> {
        e.map(|e| match e {
            Escalation::AllFeatures => "all_features",
            Escalation::UserManagement => "user_management",
        })
        .serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Escalation>, D::Error> {
        Ok(match Option::<String>::deserialize(d)?.as_deref() {
            Some("all_features") => Some(Escalation::AllFeatures),
            Some("user_management") => Some(Escalation::UserManagement),
            Some(other) => {
                return Err(serde::de::Error::custom(format!(
                    "unknown escalation {other:?}"
                )));
            }
            None => None,
        })
    }
}

pub mod changes {
    use super::*;
    use crate::brevo::grants::FeatureChange;

    #[derive(Serialize, Deserialize)]
    struct Wire {
        feature: String,
        #[serde(default)]
        added: Vec<String>,
        #[serde(default)]
        removed: Vec<String>,
    }

    pub fn serialize<S: Serializer>(changes: &[FeatureChange], s: S) -> Result<S::Ok, S::Error> {
        let wire: Vec<Wire> = changes
            .iter()
            .map(|c| Wire {
                feature: c.feature.clone(),
                added: c.added.clone(),
                removed: c.removed.clone(),
            })
            .collect();
        wire.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<FeatureChange>, D::Error> {
        Ok(Vec::<Wire>::deserialize(d)?
            .into_iter()
            .map(|w| FeatureChange {
                feature: w.feature,
                added: w.added,
                removed: w.removed,
            })
            .collect())
    }
}
