//! Wording shared by `update` (toasts, form notices) and the views (the
//! panes' error lines), so that both say the same about the same failure.

use crate::brevo::ApiError;

/// A sentence for an API failure, with what to do about the usual ones.
pub fn explain_error(error: &ApiError) -> String {
    match error {
        ApiError::Unauthorized { .. } => {
            format!("{error} — the API key is wrong: check BREVO_API_KEY")
        }
        _ => error.to_string(),
    }
}
