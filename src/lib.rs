//! brevo-users: see who has access to a Brevo account, invite people with
//! exactly the permissions they need, change or revoke them — from a
//! keyboard-driven dashboard, from scripts, or against a local mock.

pub mod access;
pub mod brevo;
pub mod cli;
pub mod commands;
pub mod config;
pub mod connect;
pub mod logging;
pub mod mock;
pub mod tui;
