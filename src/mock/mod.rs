//! A Brevo-compatible mock server (axum). Being written on the `mock` branch;
//! this placeholder only keeps the binary building until it lands.

pub async fn serve_cli(_args: crate::cli::MockServerArgs) -> color_eyre::eyre::Result<()> {
    color_eyre::eyre::bail!("the mock server is not built yet")
}
