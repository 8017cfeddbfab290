//! The API URL as the configuration and the environment give it. The key is
//! the credential: a URL carrying a user name or a password is refused, and
//! never printed with its password.

use reqwest::Url;

use crate::brevo::endpoint::parse_base_url;

/// The base URL the client will use, or a sentence saying why not (which
/// never quotes a password).
pub fn check(raw: &str) -> Result<Url, String> {
    match Url::parse(raw.trim()) {
        Ok(url) if !url.username().is_empty() || url.password().is_some() => Err(format!(
            "the API URL {} carries a user name or password, which is refused: the API key \
             is the only credential sent to Brevo; remove the part before the @",
            redact(raw)
        )),
        // What is before an @ may be a password: not quoted.
        Err(e) if raw.contains('@') => Err(format!(
            "the API URL {} is not a valid URL: {e}",
            redact(raw)
        )),
        _ => parse_base_url(raw).map_err(|e| e.to_string()),
    }
}

/// The URL fit to show: user information replaced by `***`. Text that is not
/// a URL keeps only what follows its last `@`.
pub fn redact(raw: &str) -> String {
    let raw = raw.trim();
    match Url::parse(raw) {
        Ok(mut url) if !url.username().is_empty() || url.password().is_some() => {
            let _ = url.set_password(None);
            let _ = url.set_username("***");
            url.to_string()
        }
        Ok(_) => raw.to_owned(),
        Err(_) => match raw.rsplit_once('@') {
            Some((_, host)) => format!("***@{host}"),
            None => raw.to_owned(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_with_a_user_or_password_is_refused_without_showing_the_password() {
        for raw in [
            "https://user:hunter2-secret@api.brevo.com/v3",
            "https://hunter2-secret@api.brevo.com",
            "https://:hunter2-secret@api.brevo.com",
        ] {
            let error = check(raw).unwrap_err();
            assert!(error.contains("user name or password"), "{error}");
            assert!(!error.contains("hunter2"), "{error}");
            assert!(error.contains("***@api.brevo.com"), "{error}");
        }
        assert_eq!(
            check("https://api.brevo.com").unwrap().as_str(),
            "https://api.brevo.com/v3"
        );
        assert!(
            check("http://api.brevo.com")
                .unwrap_err()
                .contains("plain http")
        );
        assert_eq!(redact("ht tp://u:hunter2@host"), "***@host");
        assert!(
            !check("ht tp://u:hunter2@host")
                .unwrap_err()
                .contains("hunter2")
        );
        assert_eq!(
            redact("https://api.brevo.com/v3"),
            "https://api.brevo.com/v3"
        );
    }
}
