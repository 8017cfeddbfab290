//! Where the client may send requests: the base URL and its rules.

use reqwest::Url;

use super::error::ApiError;

pub const DEFAULT_BASE_URL: &str = "https://api.brevo.com/v3";

/// Parses a base URL such as `BREVO_API_URL`.
///
/// - A bare host (`https://api.brevo.com`) gets `/v3` appended.
/// - Plain `http` is refused except on loopback, where the demo and tests
///   run: the API key must never cross a network in clear.
pub fn parse_base_url(raw: &str) -> Result<Url, ApiError> {
    let raw_input = raw.trim();
    // Messages quote the URL without what could be a credential: a
    // password in the user info or an `api-key=` in the query.
    let raw = &shown(raw_input);
    let mut url = Url::parse(raw_input)
        .map_err(|e| ApiError::Config(format!("the API URL {raw:?} is not a valid URL: {e}")))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(ApiError::Config(format!(
            "the API URL {raw:?} carries a user name or password: the API key is the only credential, remove the part before '@'"
        )));
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(ApiError::Config(format!(
                "the API URL {raw:?} uses plain http, which is only allowed for 127.0.0.1, ::1 or localhost: \
                 the API key would cross the network unencrypted"
            )));
        }
        other => {
            return Err(ApiError::Config(format!(
                "the API URL {raw:?} has the unsupported scheme {other:?}"
            )));
        }
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(ApiError::Config(format!(
            "the API URL {raw:?} names no host"
        )));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(ApiError::Config(format!(
            "the API URL {raw:?} must not carry a query or fragment"
        )));
    }
    let path = url.path().trim_end_matches('/').to_owned();
    url.set_path(if path.is_empty() { "/v3" } else { &path });
    Ok(url)
}

/// The URL as messages may quote it: user info and query masked.
fn shown(raw: &str) -> String {
    let without_query = match raw.split_once(['?', '#']) {
        Some((before, _)) => format!("{before}?…"),
        None => raw.to_owned(),
    };
    let masked = match without_query.split_once("://") {
        Some((scheme, rest)) => match rest.split('/').next().and_then(|a| a.rsplit_once('@')) {
            Some((_, host)) => {
                let path = &rest[rest.find('/').unwrap_or(rest.len())..];
                format!("{scheme}://***@{host}{path}")
            }
            None => without_query,
        },
        None => without_query,
    };
    super::sanitize::sanitize_shortened(&masked, 200)
}

/// Loopback hosts skip any configured proxy: a proxy cannot reach our mock.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_with_a_password_is_refused_and_no_credential_is_quoted() {
        let error = parse_base_url("https://user:s3cret@api.brevo.com/v3").unwrap_err();
        let text = error.to_string();
        assert!(text.contains("user name or password"), "{text}");
        assert!(!text.contains("s3cret"), "{text}");
        let query = parse_base_url("https://api.brevo.com/v3?api-key=xkeysib-123").unwrap_err();
        assert!(!query.to_string().contains("xkeysib"), "{query}");
    }

    #[test]
    fn a_bare_host_gets_v3() {
        assert_eq!(
            parse_base_url("https://api.brevo.com").unwrap().as_str(),
            "https://api.brevo.com/v3"
        );
        assert_eq!(
            parse_base_url("https://api.brevo.com/").unwrap().as_str(),
            "https://api.brevo.com/v3"
        );
        assert_eq!(
            parse_base_url(DEFAULT_BASE_URL).unwrap().as_str(),
            DEFAULT_BASE_URL
        );
        assert_eq!(
            parse_base_url("http://127.0.0.1:8080/v3/")
                .unwrap()
                .as_str(),
            "http://127.0.0.1:8080/v3"
        );
    }

    #[test]
    fn plain_http_is_refused_except_on_loopback() {
        assert!(parse_base_url("http://api.brevo.com").is_err());
        assert!(parse_base_url("http://localhost:9/v3").is_ok());
        assert!(parse_base_url("http://[::1]:9").is_ok());
        assert!(parse_base_url("ftp://127.0.0.1").is_err());
        assert!(parse_base_url("not a url").is_err());
    }
}
