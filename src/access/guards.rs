//! The plan's guards, all from the core (`brevo::removal`, the same ones
//! `offboard` uses): the owner is never removed; a prune removes at most
//! 25 % of the users with access unless `--max-removals` allows more; and
//! the plan never leaves nobody besides the owner with User management.
//! That last one is a warning for `offboard` (it asks); a plan refuses,
//! because nobody is asked between the plan and a scheduled apply.

use super::plan::PlanRefusal;
use crate::brevo::model::User;
use crate::brevo::removal::{self, KnownPermissions, Scope};

/// `removals`: revokes and cancels. `losing_user_management`: users an
/// update leaves without User management (they count as removed holders).
/// `known`: who holds User management, as read and as the plan leaves it.
pub(crate) fn check(
    users: &[User],
    removals: &[&str],
    losing_user_management: &[&str],
    known: &KnownPermissions,
    prune: Option<Option<usize>>,
) -> Result<(), PlanRefusal> {
    let scope = match prune {
        Some(max_removals) => Scope::Prune { max_removals },
        None => Scope::Targeted,
    };
    let check = removal::check_removals(users, removals, known, scope);
    if let Some(refusal) = check.refusals.into_iter().next() {
        return Err(PlanRefusal::Removal(refusal));
    }
    let mut leaving: Vec<&str> = removals.to_vec();
    leaving.extend_from_slice(losing_user_management);
    match removal::last_user_manager(users, &leaving, known) {
        Some(warning) => Err(PlanRefusal::LastUserManager(warning)),
        None => Ok(()),
    }
}
