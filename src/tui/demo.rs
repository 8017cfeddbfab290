//! `--demo` in the dashboard: the demo organization and a second, small
//! agency account on an in-process mock of its own, as two profiles, so
//! that `F`, `O` and `P` can be tried without a configuration. Only the
//! dashboard starts the second one (a command with `--demo` needs one).

use crate::brevo::Client;
use crate::connect::{ConnectError, Connection, start_demo};
use crate::mock::{MockServer, Seed};

/// The demo's profiles in the dashboard: the demo organization, and a
/// small agency account where some of the same people are (one of them
/// pending, one the owner), so that `F`, `O` and `P` show something.
pub const DEMO_PROFILES: [&str; 2] = ["demo", "demo-agency"];

const DEMO_AGENCY: &str = include_str!("../../assets/demo-agency.json");

/// The demo's accounts for the dashboard: `connection`'s (the demo
/// organization) and the agency's, started here on a mock of its own;
/// the servers live as long as the value.
pub struct DemoAccounts {
    pub accounts: Vec<(String, Client)>,
    _servers: Vec<MockServer>,
}

/// Starts the demo's second account beside `connection`'s.
pub async fn demo_accounts(
    connection: &Connection,
    read_only: bool,
) -> Result<DemoAccounts, ConnectError> {
    let seed: Seed = serde_json::from_str(DEMO_AGENCY)
        .map_err(|e| ConnectError::Demo(std::io::Error::other(e)))?;
    let (server, agency) = start_demo(seed, read_only, |b| b).await?;
    Ok(DemoAccounts {
        accounts: vec![
            (DEMO_PROFILES[0].to_owned(), connection.client.clone()),
            (DEMO_PROFILES[1].to_owned(), agency),
        ],
        _servers: vec![server],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_agency_seed_has_the_people_the_everywhere_demo_needs() {
        let seed: Seed = serde_json::from_str(DEMO_AGENCY).unwrap();
        let find = |email: &str| seed.users.iter().find(|u| u.email == email).unwrap();
        assert!(find("agency.partner@studio.example").owner);
        assert!(find("tom.baker@acme.test").is_pending());
        assert!(find("ops@acme.test").is_active());
    }
}
