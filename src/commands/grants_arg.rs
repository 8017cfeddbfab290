//! Turns `--all`, `--grant FEATURE=PERM,...` and `--preset NAME` (and the
//! import file's `preset`/`grants` cells) into what to ask Brevo for,
//! checked against the one catalogue before anything is sent, with a "did
//! you mean" for a misspelled name.

use crate::brevo::Grants;
use crate::brevo::catalog;
use crate::brevo::presets::{self, Preset};
use crate::brevo::validate::check_pair;
use crate::cli::AccessArgs;

/// What the command line asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Requested {
    All,
    /// Per feature, the exact permissions wanted; an empty list means `none`.
    Features(Vec<(String, Vec<String>)>),
    Preset(Preset),
}

impl Requested {
    pub fn from_args(args: &AccessArgs, presets: &[Preset]) -> Result<Self, String> {
        if args.all {
            return Ok(Self::All);
        }
        if let Some(name) = &args.preset {
            return find_preset(presets, name).map(Self::Preset);
        }
        let mut features: Vec<(String, Vec<String>)> = Vec::new();
        for arg in &args.grant {
            let (feature, permissions) =
                parse_feature(arg, ',').map_err(|e| format!("--grant {arg}: {e}"))?;
            if features.iter().any(|(f, _)| *f == feature) {
                return Err(format!(
                    "--grant {arg}: {feature} is given twice; list all its permissions in one --grant"
                ));
            }
            features.push((feature, permissions));
        }
        if features.is_empty() {
            return Err("choose --all, --grant FEATURE=PERM or --preset NAME".to_owned());
        }
        Ok(Self::Features(features))
    }

    /// The grants of an invitation: `(all_features_access, grants)`.
    /// `FEATURE=none` has no meaning for someone who holds nothing yet.
    pub fn for_invite(&self) -> Result<(bool, Grants), String> {
        match self {
            Self::All => Ok((true, Grants::new())),
            Self::Preset(preset) => Ok((preset.all_features, preset.grants.clone())),
            Self::Features(features) => {
                if let Some((feature, _)) = features.iter().find(|(_, p)| p.is_empty()) {
                    return Err(format!(
                        "--grant {feature}=none only makes sense with update: a new user holds nothing yet"
                    ));
                }
                Ok((false, Grants::from_pairs(features.clone())))
            }
        }
    }

    /// The grants after an update, from the user's `current` ones:
    /// `--grant` sets each named feature to exactly its list and leaves the
    /// others alone; a preset replaces everything.
    pub fn for_update(&self, current: &Grants) -> (bool, Grants) {
        match self {
            Self::All => (true, Grants::everything()),
            Self::Preset(preset) if preset.all_features => (true, Grants::everything()),
            Self::Preset(preset) => (false, preset.grants.clone()),
            Self::Features(features) => {
                let mut desired = current.clone();
                for (feature, permissions) in features {
                    desired.set(feature, permissions.iter().map(String::as_str));
                }
                (false, desired)
            }
        }
    }
}

/// Finds a preset (built-in or the profile's own), or says which ones exist.
pub fn find_preset(presets: &[Preset], name: &str) -> Result<Preset, String> {
    presets::find(presets, name.trim()).cloned().ok_or_else(|| {
        let names: Vec<&str> = presets.iter().map(|p| p.id.as_str()).collect();
        let hint = presets::suggest(presets, name)
            .map(|id| format!(" (did you mean {id}?)"))
            .unwrap_or_default();
        format!(
            "unknown preset {:?}{hint}; choose one of: {}",
            name.trim(),
            names.join(", ")
        )
    })
}

/// Parses `feature=perm<sep>perm...` into catalogue keys, checking every pair.
/// `feature=none` yields an empty list. Names are matched ignoring case and
/// surrounding spaces, and a dash may stand for an underscore.
pub fn parse_feature(text: &str, separator: char) -> Result<(String, Vec<String>), String> {
    let Some((feature, permissions)) = text.split_once('=') else {
        return Err(format!(
            "expected FEATURE=PERMISSION (for example contacts=view{separator}import), got {:?}",
            text.trim()
        ));
    };
    let feature = normalise(feature);
    let permissions: Vec<String> = permissions
        .split(separator)
        .map(normalise)
        .filter(|p| !p.is_empty())
        .collect();
    if permissions.is_empty() {
        return Err(format!(
            "no permission after {feature}= (use {feature}=none to remove the feature)"
        ));
    }
    for permission in &permissions {
        check_pair(&feature, permission).map_err(|e| e.to_string())?;
    }
    if permissions.iter().any(|p| p == catalog::NONE) {
        if permissions.len() > 1 {
            return Err(format!(
                "{feature}: none cannot be combined with other permissions"
            ));
        }
        return Ok((feature, Vec::new()));
    }
    Ok((feature, permissions))
}

fn normalise(name: &str) -> String {
    name.trim().to_ascii_lowercase().replace('-', "_")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(grants: &[&str]) -> AccessArgs {
        AccessArgs {
            grant: grants.iter().map(|g| (*g).to_owned()).collect(),
            ..AccessArgs::default()
        }
    }

    #[test]
    fn grants_parse_to_catalogue_keys() {
        let requested = Requested::from_args(
            &args(&["contacts=view,Import", "email-campaigns=create_edit_delete"]),
            &presets::builtin(),
        )
        .unwrap();
        let (all, grants) = requested.for_invite().unwrap();
        assert!(!all);
        assert!(grants.contains("contacts", "import"));
        assert!(grants.contains("email_campaigns", "create_edit_delete"));
    }

    #[test]
    fn misspelled_names_get_a_suggestion() {
        let error =
            Requested::from_args(&args(&["contact=view"]), &presets::builtin()).unwrap_err();
        assert!(error.contains("did you mean contacts?"), "{error}");
        let error =
            Requested::from_args(&args(&["contacts=veiw"]), &presets::builtin()).unwrap_err();
        assert!(error.contains("did you mean view?"), "{error}");
        let error =
            Requested::from_args(&args(&["contacts=send"]), &presets::builtin()).unwrap_err();
        assert!(error.contains("does not apply to contacts"), "{error}");
        assert!(Requested::from_args(&args(&["contacts"]), &presets::builtin()).is_err());
    }

    #[test]
    fn update_sets_named_features_exactly_and_keeps_the_rest() {
        let current =
            Grants::from_pairs([("contacts", vec!["view", "export"]), ("phone", vec!["all"])]);
        let requested = Requested::from_args(
            &args(&["contacts=import", "phone=none"]),
            &presets::builtin(),
        )
        .unwrap();
        let (all, desired) = requested.for_update(&current);
        assert!(!all);
        assert_eq!(desired, Grants::from_pairs([("contacts", vec!["import"])]));
        let keep = Requested::from_args(
            &args(&["sms_campaigns=send_schedule_suspend"]),
            &presets::builtin(),
        )
        .unwrap();
        assert!(keep.for_update(&current).1.contains("phone", "all"));
    }

    #[test]
    fn none_is_refused_on_invite_and_alone_only() {
        let requested = Requested::from_args(&args(&["phone=none"]), &presets::builtin()).unwrap();
        assert!(requested.for_invite().is_err());
        assert!(Requested::from_args(&args(&["contacts=none,view"]), &presets::builtin()).is_err());
    }

    #[test]
    fn presets_are_found_by_name_or_listed() {
        assert_eq!(
            find_preset(&presets::builtin(), "Viewer").unwrap().id,
            "viewer"
        );
        let error = find_preset(&presets::builtin(), "boss").unwrap_err();
        assert!(error.contains("campaign-manager"), "{error}");
    }
}
