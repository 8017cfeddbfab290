//! What the body of a failed or unreadable answer said, summarised rather
//! than pasted: a gateway's HTML page or half a JSON document tells an
//! admin nothing, and pasting it fills a terminal with markup.

use std::fmt;

use reqwest::header::{CONTENT_TYPE, HeaderMap};
use serde::Deserialize;

use super::sanitize::sanitize_shortened;

/// The longest excerpt of a body that is neither Brevo's JSON nor HTML.
pub const EXCERPT_CHARS: usize = 80;

/// Brevo's own `message` is cut to this many characters when shown.
const SHOWN_MESSAGE_CHARS: usize = 300;

/// What a body said, as far as a person needs to know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ErrorBody {
    /// Brevo's JSON error `message`, as sent (sanitised when shown).
    Message(String),
    /// An HTML page: a proxy's, a gateway's or a firewall's, not Brevo's.
    HtmlPage,
    /// Neither JSON we can read nor HTML: a short, sanitised excerpt.
    Unreadable(String),
    /// No body at all, or Brevo's JSON without a message.
    Empty,
}

impl ErrorBody {
    /// Brevo's message, when the body was Brevo's JSON and had one.
    pub fn message(&self) -> Option<&str> {
        match self {
            Self::Message(message) => Some(message),
            _ => None,
        }
    }

    /// Whether the body was Brevo's own JSON (a message or none).
    pub fn is_brevos(&self) -> bool {
        matches!(self, Self::Message(_) | Self::Empty)
    }

    /// For a body that is not Brevo's: what came instead, as the end of a
    /// sentence beginning "the server answered 502 ". `None` for Brevo's.
    pub fn not_brevos(&self) -> Option<String> {
        match self {
            Self::HtmlPage => {
                Some("with an HTML page (a proxy or gateway error, not Brevo's JSON)".to_owned())
            }
            Self::Unreadable(excerpt) => {
                Some(format!("with an unreadable answer that begins “{excerpt}”"))
            }
            Self::Message(_) | Self::Empty => None,
        }
    }
}

/// Tests and faces build errors from plain text: that is Brevo's message.
impl From<&str> for ErrorBody {
    fn from(message: &str) -> Self {
        message.to_owned().into()
    }
}

impl From<String> for ErrorBody {
    fn from(message: String) -> Self {
        if message.trim().is_empty() {
            Self::Empty
        } else {
            Self::Message(message)
        }
    }
}

/// The message as shown: sanitised and shortened; nothing for the others.
impl fmt::Display for ErrorBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Message(message) => {
                f.write_str(&sanitize_shortened(message, SHOWN_MESSAGE_CHARS))
            }
            Self::HtmlPage => f.write_str("an HTML page"),
            Self::Unreadable(excerpt) => write!(f, "“{excerpt}”"),
            Self::Empty => Ok(()),
        }
    }
}

/// Brevo's error shape `{code, message}` (spec §6.1); both may be absent
/// or, from a tolerant reading, not strings.
#[derive(Deserialize)]
struct BrevoError {
    #[serde(default)]
    code: Option<serde_json::Value>,
    #[serde(default)]
    message: Option<serde_json::Value>,
}

/// Reads a non-2xx body: Brevo's `code` (empty when none) and what it said.
pub fn read_error_body(headers: &HeaderMap, body: &[u8]) -> (String, ErrorBody) {
    let text = |value: Option<serde_json::Value>| match value {
        Some(serde_json::Value::String(s)) => s,
        Some(serde_json::Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    };
    if body.iter().all(u8::is_ascii_whitespace) {
        return (String::new(), ErrorBody::Empty);
    }
    if is_html(headers, body) {
        return (String::new(), ErrorBody::HtmlPage);
    }
    match serde_json::from_slice::<BrevoError>(body) {
        Ok(parsed) => (text(parsed.code), text(parsed.message).into()),
        Err(_) => (String::new(), ErrorBody::Unreadable(excerpt(body))),
    }
}

/// Reads a 2xx body that could not be decoded: an HTML page or an excerpt.
pub fn summarise_unreadable(headers: &HeaderMap, body: &[u8]) -> ErrorBody {
    if body.iter().all(u8::is_ascii_whitespace) {
        ErrorBody::Empty
    } else if is_html(headers, body) {
        ErrorBody::HtmlPage
    } else {
        ErrorBody::Unreadable(excerpt(body))
    }
}

/// Gateways answer with HTML (spec §6.3); brevo-cli looks for `<html` or
/// `<!doctype html`. The content type is believed too, and a page that
/// opens with a comment or whitespace is still a page.
fn is_html(headers: &HeaderMap, body: &[u8]) -> bool {
    let declared = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().contains("text/html"));
    let head = String::from_utf8_lossy(&body[..body.len().min(1024)]).to_ascii_lowercase();
    let opening = head.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    declared
        || opening.starts_with("<!doctype html")
        || opening.starts_with("<html")
        || (opening.starts_with('<') && head.contains("<html"))
}

/// The first characters of a body, whitespace folded, sanitised, cut.
fn excerpt(body: &[u8]) -> String {
    let head = &body[..body.len().min(EXCERPT_CHARS * 4)];
    let text = String::from_utf8_lossy(head);
    let folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
    sanitize_shortened(&folded, EXCERPT_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brevos_json_gives_its_code_and_message() {
        let body = br#"{"message":"Key not found","code":"unauthorized"}"#;
        let (code, said) = read_error_body(&HeaderMap::new(), body);
        assert_eq!(code, "unauthorized");
        assert_eq!(said, ErrorBody::Message("Key not found".into()));
        let (code, said) = read_error_body(&HeaderMap::new(), b"{}");
        assert_eq!((code.as_str(), said), ("", ErrorBody::Empty));
    }

    #[test]
    fn a_gateway_page_is_named_not_pasted() {
        let page = b"\n  <!DOCTYPE html>\n<html><head><title>502 Bad gateway | cloudflare</title></head></html>";
        let (_, said) = read_error_body(&HeaderMap::new(), page);
        assert_eq!(said, ErrorBody::HtmlPage);
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, "text/html; charset=UTF-8".parse().unwrap());
        let (_, said) = read_error_body(&headers, b"Bad gateway");
        assert_eq!(said, ErrorBody::HtmlPage);
    }

    #[test]
    fn anything_else_is_a_short_clean_excerpt() {
        let body = format!("\u{1b}[31mupstream\n\n{}", "x".repeat(5000));
        let (_, said) = read_error_body(&HeaderMap::new(), body.as_bytes());
        let ErrorBody::Unreadable(excerpt) = &said else {
            panic!("{said:?}")
        };
        assert!(excerpt.chars().count() <= EXCERPT_CHARS, "{excerpt}");
        assert!(!excerpt.contains('\u{1b}') && !excerpt.contains('\n'));
        assert!(excerpt.contains("upstream"));
    }
}
