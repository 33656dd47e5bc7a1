//! `dateline user`: create desk accounts and reset passwords from the command line (the way
//! the first admin comes to exist).

use super::GlobalArgs;
use crate::server;
use anyhow::{bail, Context};
use clap::{Args, Subcommand};
use dateline_newsroom::accounts::{hash_password, normalize_email, AccountError, NewUser, Role};
use dateline_newsroom::prelude::*;
use dateline_newsroom::StoreError;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct UserArgs {
    #[command(subcommand)]
    pub action: UserAction,
}

#[derive(Debug, Subcommand)]
pub enum UserAction {
    /// Create a desk user; the password is asked for on the terminal or read from --password-file.
    Add {
        /// The address the user signs in with.
        #[arg(long)]
        email: String,
        /// The name shown on the desk and in revisions.
        #[arg(long)]
        name: String,
        /// admin, editor, photo_editor, reporter or contributor.
        #[arg(long)]
        role: String,
        /// Read the password from this file (its first line) instead of asking.
        #[arg(long, value_name = "FILE")]
        password_file: Option<PathBuf>,
    },
    /// Set a new password for a user and sign them out everywhere.
    ResetPassword {
        #[arg(long)]
        email: String,
        /// Read the password from this file (its first line) instead of asking.
        #[arg(long, value_name = "FILE")]
        password_file: Option<PathBuf>,
    },
}

fn read_password(file: Option<&Path>) -> anyhow::Result<String> {
    if let Some(file) = file {
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("cannot read the password file {}", file.display()))?;
        return Ok(text.lines().next().unwrap_or_default().to_owned());
    }
    if !std::io::stdin().is_terminal() {
        bail!("no terminal to ask for the password on; give it with --password-file FILE");
    }
    let first = rpassword::prompt_password("New password: ")?;
    let again = rpassword::prompt_password("The same password again: ")?;
    if first != again {
        bail!("the two passwords differ; nothing was changed");
    }
    Ok(first)
}

pub async fn run(global: &GlobalArgs, args: UserArgs) -> anyhow::Result<()> {
    let config = super::load_config(global, None, Path::new("./dateline-data"))?;
    let _log = crate::telemetry::init(&config.log);
    match args.action {
        UserAction::Add { email, name, role, password_file } => {
            let email = normalize_email(&email)?;
            let role = Role::parse(&role).ok_or(AccountError::UnknownRole(role))?;
            if name.trim().is_empty() {
                return Err(AccountError::EmptyName.into());
            }
            let password_hash = hash_password(&read_password(password_file.as_deref())?)?;
            let store = server::open_store(&config).await?;
            let user = store
                .insert_user(
                    &NewUser { email, name: name.trim().to_owned(), role, password_hash },
                    jiff::Timestamp::now(),
                )
                .await?;
            println!("created {} <{}> as {}", user.name, user.email, user.role.title().to_lowercase());
        }
        UserAction::ResetPassword { email, password_file } => {
            let email = normalize_email(&email)?;
            let store = server::open_store(&config).await?;
            let (user, _) = store.user_with_password_hash(&email).await.map_err(|e| match e {
                StoreError::NotFound => anyhow::anyhow!("no user has the e-mail {email}"),
                other => other.into(),
            })?;
            let hash = hash_password(&read_password(password_file.as_deref())?)?;
            store.set_password_hash(user.id, &hash).await?;
            println!("the password of {} <{}> is changed and their sessions are ended", user.name, user.email);
        }
    }
    Ok(())
}
