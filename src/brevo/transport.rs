//! One HTTP exchange: send, read the answer within its size cap, and turn
//! every outcome into either a `Reply` (2xx) or an `ApiError`.

use std::time::Duration;

use reqwest::header::{ACCEPT, HeaderMap, HeaderValue, LOCATION, USER_AGENT};
use reqwest::{Method, Url};
use secrecy::{ExposeSecret, SecretString};

use super::error::ApiError;
use super::error_body::{read_error_body, summarise_unreadable};
use super::retry::rate_limit_wait;
use super::sanitize::sanitize_shortened;

#[derive(Clone)]
pub(crate) struct Transport {
    http: reqwest::Client,
    request_timeout: Duration,
    max_body_bytes: usize,
    host: String,
}

/// A successful answer.
pub(crate) struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    pub request_id: Option<String>,
}

/// A failed exchange; the headers, when an answer came, still carry the
/// rate-limit state.
pub(crate) struct Failure {
    pub error: ApiError,
    pub headers: Option<HeaderMap>,
}

impl From<ApiError> for Failure {
    fn from(error: ApiError) -> Self {
        Self {
            error,
            headers: None,
        }
    }
}

impl Reply {
    pub fn undecodable(&self, problem: &str) -> ApiError {
        ApiError::Decode {
            problem: problem.to_owned(),
            body: summarise_unreadable(&self.headers, &self.body),
            request_id: self.request_id.clone(),
        }
    }
}

impl Transport {
    pub fn new(
        key: &SecretString,
        connect_timeout: Duration,
        request_timeout: Duration,
        max_body_bytes: usize,
        loopback: bool,
        host: &str,
    ) -> Result<Self, ApiError> {
        // reqwest is built without a bundled crypto provider so that the
        // build needs no C toolchain beyond what ring needs; install ring as
        // the process default once (a second install is a harmless no-op).
        let _ = rustls::crypto::ring::default_provider().install_default();

        let mut key_value = HeaderValue::from_str(key.expose_secret().trim()).map_err(|_| {
            ApiError::Config(
                "the API key contains characters that cannot be sent in an HTTP header".to_owned(),
            )
        })?;
        // Keeps the key out of reqwest's and hyper's debug output.
        key_value.set_sensitive(true);
        let mut headers = HeaderMap::new();
        headers.insert("api-key", key_value);
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(
            USER_AGENT,
            HeaderValue::from_static(concat!("brevo-users/", env!("CARGO_PKG_VERSION"))),
        );

        let mut builder = reqwest::Client::builder()
            .default_headers(headers)
            // A redirect would carry the api-key header to another host.
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(connect_timeout);
        if loopback {
            // A proxy cannot reach a server on our own loopback.
            builder = builder.no_proxy();
        }
        let http = builder
            .build()
            .map_err(|e| ApiError::Config(format!("could not set up the HTTP client: {e}")))?;
        Ok(Self {
            http,
            request_timeout,
            max_body_bytes,
            host: host.to_owned(),
        })
    }

    pub async fn send(
        &self,
        method: Method,
        url: Url,
        body: Option<&serde_json::Value>,
    ) -> Result<Reply, Failure> {
        let mut request = self.http.request(method, url);
        if let Some(body) = body {
            request = request.json(body);
        }
        // One deadline over connecting, sending and reading the whole body:
        // a server that drips bytes slowly cannot hold us past it.
        match tokio::time::timeout(self.request_timeout, self.exchange(request)).await {
            Ok(result) => result,
            Err(_) => Err(ApiError::Timeout {
                after: self.request_timeout,
                attempts: 1,
            }
            .into()),
        }
    }

    async fn exchange(&self, request: reqwest::RequestBuilder) -> Result<Reply, Failure> {
        let mut response = request.send().await.map_err(|e| self.transport_error(&e))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let request_id = headers
            .get("sib-request-id")
            .and_then(|v| v.to_str().ok())
            .map(|v| sanitize_shortened(v, 100));

        // Count the bytes as they arrive: Content-Length may lie or be absent.
        // Room for what it announces (within the limit) is taken at once:
        // growing by doubling left a 4 MiB buffer for the 2.6 MB list of
        // 10,000 users, at the moment of the dashboard's peak memory.
        let announced = response.content_length().unwrap_or(0);
        let mut body = Vec::with_capacity(
            usize::try_from(announced).map_or(0, |n| n.min(self.max_body_bytes)),
        );
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > self.max_body_bytes {
                        return Err(Failure {
                            error: ApiError::TooLarge {
                                status,
                                limit: self.max_body_bytes,
                            },
                            headers: Some(headers),
                        });
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => {
                    return Err(Failure {
                        error: self.transport_error(&e),
                        headers: Some(headers),
                    });
                }
            }
        }

        if (200..300).contains(&status) {
            return Ok(Reply {
                status,
                headers,
                body,
                request_id,
            });
        }
        let error = classify(status, &headers, &body, request_id);
        Err(Failure {
            error,
            headers: Some(headers),
        })
    }

    fn transport_error(&self, error: &reqwest::Error) -> ApiError {
        // Only a failure to connect proves the request never left; anything
        // later (reset, broken body) leaves a change's fate unclear.
        if error.is_connect() {
            ApiError::Connect {
                host: self.host.clone(),
                message: root_cause(error),
            }
        } else if error.is_timeout() {
            ApiError::Timeout {
                after: self.request_timeout,
                attempts: 1,
            }
        } else {
            ApiError::Network {
                message: root_cause(error),
            }
        }
    }
}

/// Turns a non-2xx answer into the matching error. The body is read as
/// Brevo's `{code, message}`; a gateway's HTML page or anything else is
/// summarised, never pasted (spec §6.3).
fn classify(status: u16, headers: &HeaderMap, body: &[u8], request_id: Option<String>) -> ApiError {
    let (code, message) = read_error_body(headers, body);
    match status {
        300..=399 => ApiError::Redirect {
            status,
            location: headers
                .get(LOCATION)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            request_id,
        },
        401 => ApiError::Unauthorized {
            message,
            request_id,
        },
        403 => ApiError::Forbidden {
            code,
            message,
            request_id,
        },
        429 => ApiError::RateLimited {
            reset_after: rate_limit_wait(headers),
            request_id,
        },
        500..=599 => ApiError::Server {
            status,
            message,
            request_id,
        },
        _ => ApiError::BadRequest {
            status,
            code,
            message,
            request_id,
        },
    }
}

/// The innermost error message: reqwest's own Display says only "error
/// sending request", which tells an admin nothing.
fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut current = error;
    while let Some(source) = current.source() {
        current = source;
    }
    current.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::brevo::error::ErrorBody;

    #[test]
    fn error_bodies_become_typed_errors() {
        let headers = HeaderMap::new();
        let body = br#"{"message":"Key not found","code":"unauthorized"}"#;
        assert!(
            matches!(classify(401, &headers, body, None), ApiError::Unauthorized { message, .. } if message.message() == Some("Key not found"))
        );
        let body = br#"{"code":"duplicate_parameter","message":"already invited"}"#;
        let error = classify(400, &headers, body, Some("rid-1".into()));
        assert_eq!(error.code(), Some("duplicate_parameter"));
        assert_eq!(error.request_id(), Some("rid-1"));
    }

    #[test]
    fn an_html_error_page_is_summarised_not_quoted() {
        let page = format!(
            "<!DOCTYPE html><html><head><title>api.brevo.com | 502: Bad gateway</title></head><body>{}cloudflare</body></html>",
            "Bad gateway ".repeat(100)
        );
        let error = classify(502, &HeaderMap::new(), page.as_bytes(), None);
        assert!(
            matches!(
                &error,
                ApiError::Server {
                    status: 502,
                    message: ErrorBody::HtmlPage,
                    ..
                }
            ),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            "the server answered 502 with an HTML page (a proxy or gateway error, not Brevo's JSON)"
        );
        assert!(
            error.is_unclear(),
            "a gateway error leaves a change in doubt"
        );
    }
}
