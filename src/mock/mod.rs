//! A Brevo-compatible mock server (axum). Placeholder until the mock lands.
