//! `GET /account` (spec §8.1): who the key belongs to, the plan, and the
//! seats bought and used per plan vertical. Decoded tolerantly: the schema
//! types seat counts as strings and Brevo may send numbers, fields come and
//! go between API versions, so every field but `email` is optional and an
//! unreadable part becomes "unknown" rather than an error.

use std::fmt;

use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// The account as the dashboard and `whoami` show it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    pub email: String,
    #[serde(default)]
    pub company_name: Option<String>,
    #[serde(default, deserialize_with = "lenient_list")]
    pub plan: Vec<Plan>,
    #[serde(default, deserialize_with = "lenient_list")]
    pub plan_verticals: Vec<PlanVertical>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub credits_type: Option<String>,
}

/// One vertical of the plan (`Marketing`, `Chat`, `CRM`) and its seats.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlanVertical {
    #[serde(default, deserialize_with = "vertical")]
    pub plan_category: Vertical,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "lenient_seats")]
    pub users: Seats,
}

/// Seats bought and used; `None` where Brevo sent nothing readable.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Seats {
    pub purchased: Option<u32>,
    pub used: Option<u32>,
}

/// A plan vertical. Brevo documents three; any other is kept by name.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Vertical {
    #[default]
    Marketing,
    Chat,
    Crm,
    Other(String),
}

impl Vertical {
    pub fn parse(value: &str) -> Self {
        match value.trim().to_ascii_lowercase().as_str() {
            "marketing" => Self::Marketing,
            "chat" | "conversations" => Self::Chat,
            "crm" | "sales" => Self::Crm,
            _ => Self::Other(value.trim().to_owned()),
        }
    }
}

impl fmt::Display for Vertical {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Marketing => f.write_str("Marketing"),
            Self::Chat => f.write_str("Chat"),
            Self::Crm => f.write_str("CRM"),
            Self::Other(name) => f.write_str(&super::sanitize::sanitize(name)),
        }
    }
}

impl Account {
    /// The plan's name for people: the first vertical's name, else the
    /// plan type.
    pub fn plan_name(&self) -> Option<String> {
        self.plan_verticals
            .iter()
            .find_map(|v| v.name.clone())
            .or_else(|| self.plan.iter().find_map(|p| p.kind.clone()))
    }

    /// The seats of one vertical, if the account has it.
    pub fn seats(&self, vertical: &Vertical) -> Option<Seats> {
        self.plan_verticals
            .iter()
            .find(|v| v.plan_category == *vertical)
            .map(|v| v.users)
    }
}

fn vertical<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vertical, D::Error> {
    let value = Value::deserialize(deserializer)?;
    Ok(value
        .as_str()
        .map(Vertical::parse)
        .unwrap_or_else(|| Vertical::Other(value.to_string())))
}

/// A seat count as a string (`"3"`, the schema) or a number (`3`); anything
/// else is unknown.
fn count(value: Option<&Value>) -> Option<u32> {
    match value? {
        Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn lenient_seats<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Seats, D::Error> {
    let value = Value::deserialize(deserializer)?;
    Ok(Seats {
        purchased: count(value.get("purchasedSeats")),
        used: count(value.get("usedSeats")),
    })
}

/// A list whose unreadable entries are skipped, and which may be missing,
/// `null` or not a list at all: one odd plan must not hide the account.
fn lenient_list<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let value = Value::deserialize(deserializer)?;
    let Value::Array(items) = value else {
        return Ok(Vec::new());
    };
    Ok(items
        .into_iter()
        .filter_map(|item| serde_json::from_value(item).ok())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(text: &str) -> Account {
        serde_json::from_str(text).expect("decodes")
    }

    #[test]
    fn seat_counts_may_be_strings_or_numbers() {
        let account = decode(
            r#"{"email":"o@acme.test","companyName":"Acme",
                "planVerticals":[
                  {"planCategory":"Marketing","name":"Professional","users":{"purchasedSeats":"3","usedSeats":3}},
                  {"planCategory":"CRM","users":{"purchasedSeats":2,"usedSeats":"1"}}]}"#,
        );
        assert_eq!(
            account.seats(&Vertical::Marketing),
            Some(Seats {
                purchased: Some(3),
                used: Some(3)
            })
        );
        assert_eq!(
            account.seats(&Vertical::Crm).and_then(|s| s.purchased),
            Some(2)
        );
        assert_eq!(account.seats(&Vertical::Chat), None);
        assert_eq!(account.plan_name().as_deref(), Some("Professional"));
    }

    #[test]
    fn only_the_email_is_required_and_odd_parts_are_unknown() {
        let account = decode(r#"{"email":"o@acme.test"}"#);
        assert!(account.plan_verticals.is_empty() && account.company_name.is_none());
        let odd = decode(
            r#"{"email":"o@acme.test","plan":null,"planVerticals":[
                {"planCategory":"Marketing","users":{"purchasedSeats":"lots"}},
                "not an object",
                {"planCategory":"Video","users":null}]}"#,
        );
        assert_eq!(odd.plan_verticals.len(), 2);
        assert_eq!(odd.seats(&Vertical::Marketing), Some(Seats::default()));
        assert_eq!(
            odd.plan_verticals[1].plan_category,
            Vertical::Other("Video".into())
        );
        assert!(serde_json::from_str::<Account>(r#"{"companyName":"x"}"#).is_err());
    }
}
