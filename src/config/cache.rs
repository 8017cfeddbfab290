//! The permissions last read, kept between runs of `plan` (issue 13): a
//! file per account under the XDG cache folder, `0600` in a `0700` folder,
//! holding each user's email, status, permissions and when they were read —
//! never the key. A plan may answer from it (marked with the age); nothing
//! that changes a user ever trusts it.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::env::EnvLookup;
use super::file_safety::{open_regular, read_capped};
use super::paths::{cache_dir, create_private_dir};
use crate::brevo::Grants;

/// Larger than the cache of any account (10,000 users take about 3 MB).
const CACHE_CAP: u64 = 64 * 1024 * 1024;
const VERSION: u32 = 1;

/// One user as last read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CacheEntry {
    pub status: String,
    pub grants: Grants,
    /// Seconds since the Unix epoch.
    pub read_at: u64,
}

impl CacheEntry {
    /// How long ago the entry was read (zero for a clock that went back).
    pub fn age(&self, now: u64) -> Duration {
        Duration::from_secs(now.saturating_sub(self.read_at))
    }
}

/// The cache of one account, in memory; [`PermissionCache::save`] writes it.
#[derive(Clone, Debug)]
pub struct PermissionCache {
    path: PathBuf,
    account: String,
    entries: BTreeMap<String, CacheEntry>,
}

#[derive(Serialize, Deserialize)]
struct FileShape {
    version: u32,
    account: String,
    users: BTreeMap<String, FileEntry>,
}

#[derive(Serialize, Deserialize)]
struct FileEntry {
    status: String,
    read_at: u64,
    permissions: BTreeMap<String, Vec<String>>,
}

/// Now, in seconds since the Unix epoch.
pub fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

/// A file name from the API host and the account's email: letters, digits
/// and `.@-` kept, anything else `_`, so neither can leave the folder.
fn file_name(host: &str, account: &str) -> String {
    let clean = |text: &str| -> String {
        text.trim()
            .to_ascii_lowercase()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '.' | '@' | '-') {
                    c
                } else {
                    '_'
                }
            })
            .collect::<String>()
            .trim_start_matches('.')
            .to_owned()
    };
    format!("access-{}-{}.json", clean(host), clean(account))
}

fn key(email: &str) -> String {
    email.trim().to_ascii_lowercase()
}

impl PermissionCache {
    /// The cache of `account` on `host`: empty when there is no file yet.
    /// An unreadable, foreign or not-private file is not used: the cache
    /// starts empty and the second value says why, for a warning.
    pub fn open(env: EnvLookup<'_>, host: &str, account: &str) -> Option<(Self, Option<String>)> {
        let path = cache_dir(env)?.join(file_name(host, account));
        Some(Self::open_at(path, account))
    }

    pub fn open_at(path: PathBuf, account: &str) -> (Self, Option<String>) {
        let mut cache = Self {
            path,
            account: account.to_owned(),
            entries: BTreeMap::new(),
        };
        let problem = match cache.read() {
            Ok(entries) => {
                cache.entries = entries;
                None
            }
            Err(None) => None,
            Err(Some(problem)) => Some(format!(
                "the cache {} was not used: {problem}",
                cache.path.display()
            )),
        };
        (cache, problem)
    }

    /// `Err(None)`: no file yet.
    fn read(&self) -> Result<BTreeMap<String, CacheEntry>, Option<String>> {
        let (file, metadata) = match open_regular(&self.path) {
            Ok(opened) => opened,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(None),
            Err(e) => return Err(Some(e.to_string())),
        };
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            if metadata.uid() != super::file_safety::our_uid() || metadata.mode() & 0o077 != 0 {
                return Err(Some(format!(
                    "it is not private to you (mode {:04o}); delete it",
                    metadata.mode() & 0o7777
                )));
            }
        }
        #[cfg(not(unix))]
        let _ = metadata;
        let text = read_capped(file, CACHE_CAP).map_err(|e| Some(e.to_string()))?;
        let shape: FileShape = serde_json::from_str(&text)
            .map_err(|e| Some(format!("it is not a cache this version can read ({e})")))?;
        if shape.version != VERSION || !shape.account.eq_ignore_ascii_case(&self.account) {
            return Err(Some(
                "it was written for another account or version".to_owned(),
            ));
        }
        Ok(shape
            .users
            .into_iter()
            .map(|(email, entry)| {
                let entry = CacheEntry {
                    status: entry.status,
                    read_at: entry.read_at,
                    grants: Grants::from_pairs(entry.permissions),
                };
                (key(&email), entry)
            })
            .collect())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn get(&self, email: &str) -> Option<&CacheEntry> {
        self.entries.get(&key(email))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn put(&mut self, email: &str, status: &str, grants: &Grants, read_at: u64) {
        let entry = CacheEntry {
            status: status.to_owned(),
            grants: grants.clone(),
            read_at,
        };
        self.entries.insert(key(email), entry);
    }

    /// Forgets one user (changed since read: the next plan reads them).
    pub fn forget(&mut self, email: &str) {
        self.entries.remove(&key(email));
    }

    /// Forgets everyone not in `emails` (they no longer have access).
    pub fn retain(&mut self, emails: &[&str]) {
        let keep: Vec<String> = emails.iter().map(|e| key(e)).collect();
        self.entries.retain(|email, _| keep.contains(email));
    }

    /// Writes the cache: a private folder, a `0600` file replaced whole
    /// (written beside it, then renamed), so a reader never sees half.
    pub fn save(&self) -> Result<(), String> {
        let dir = self
            .path
            .parent()
            .ok_or_else(|| format!("{} has no folder", self.path.display()))?;
        create_private_dir(dir)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
                .map_err(|e| format!("cannot make {} private: {e}", dir.display()))?;
        }
        let shape = FileShape {
            version: VERSION,
            account: self.account.clone(),
            users: self
                .entries
                .iter()
                .map(|(email, entry)| {
                    let permissions = entry
                        .grants
                        .iter()
                        .map(|(f, p)| (f.to_owned(), p.into_iter().map(str::to_owned).collect()))
                        .collect();
                    let file_entry = FileEntry {
                        status: entry.status.clone(),
                        read_at: entry.read_at,
                        permissions,
                    };
                    (email.clone(), file_entry)
                })
                .collect(),
        };
        let text = serde_json::to_string_pretty(&shape).map_err(|e| e.to_string())?;
        let temporary = self
            .path
            .with_extension(format!("json.{}", std::process::id()));
        let written = (|| {
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            let mut file = options.open(&temporary)?;
            file.write_all(text.as_bytes())?;
            file.sync_all()?;
            std::fs::rename(&temporary, &self.path)
        })();
        written.map_err(|e| {
            let _ = std::fs::remove_file(&temporary);
            format!("cannot write the cache {}: {e}", self.path.display())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn a_saved_cache_reads_back_privately_and_per_account() {
        let home = tempfile::tempdir().unwrap();
        let home_path = home.path().to_string_lossy().into_owned();
        let env = move |name: &str| (name == "HOME").then(|| home_path.clone());
        let (mut cache, problem) =
            PermissionCache::open(&env, "127.0.0.1:9", "o@acme.test").unwrap();
        assert!(problem.is_none() && cache.is_empty());
        let grants = Grants::from_pairs([("contacts", ["view", "import"])]);
        cache.put("Ana@Acme.test", "active", &grants, 1_000);
        cache.save().unwrap();
        assert!(
            cache
                .path()
                .starts_with(home.path().join(".cache/brevo-users"))
        );
        #[cfg(unix)]
        assert_eq!(
            (mode(cache.path()), mode(cache.path().parent().unwrap())),
            (0o600, 0o700)
        );
        let text = std::fs::read_to_string(cache.path()).unwrap();
        assert!(
            text.contains("\"ana@acme.test\"") && text.contains("\"read_at\": 1000"),
            "{text}"
        );

        let (again, problem) = PermissionCache::open(&env, "127.0.0.1:9", "o@acme.test").unwrap();
        assert!(problem.is_none());
        let entry = again.get("ana@acme.test").unwrap();
        assert_eq!(
            (entry.grants.clone(), entry.age(1_060)),
            (grants, Duration::from_secs(60))
        );
        let (other, _) = PermissionCache::open(&env, "127.0.0.1:9", "x@other.test").unwrap();
        assert!(other.is_empty(), "another account has its own file");
    }

    #[test]
    fn a_damaged_or_open_cache_is_not_used() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.json");
        std::fs::write(&path, "{ not json").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        let (cache, problem) = PermissionCache::open_at(path.clone(), "o@acme.test");
        assert!(cache.is_empty() && problem.unwrap().contains("not a cache"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
            let (_, problem) = PermissionCache::open_at(path, "o@acme.test");
            assert!(problem.unwrap().contains("not private"));
        }
        assert_eq!(file_name("h:1/..", "../a b"), "access-h_1_..-_a_b.json");
    }
}
