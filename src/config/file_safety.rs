//! Which files are read, and how. The configuration decides where the API
//! key is sent and which command runs, so a file that someone else could
//! have changed is refused, like a key file that others can read. A FIFO or
//! a device is never read: it could block forever or never end.

use std::fs::{File, Metadata};
use std::io::{self, Read};
use std::path::Path;

/// Larger than any configuration file a person writes.
pub const CONFIG_CAP: u64 = 1024 * 1024;
/// Larger than any API key.
pub const KEY_CAP: u64 = 64 * 1024;

/// Why a configuration file owned by `file_uid` with `mode` must not be
/// trusted by the user `our_uid`, or `None` when it may be. A file of
/// root's is trusted as OpenSSH trusts it (root can change ours anyway).
/// Pure, so that the rule is tested even where the tests run as root.
pub fn config_distrust(path: &Path, file_uid: u32, our_uid: u32, mode: u32) -> Option<String> {
    if file_uid != our_uid && file_uid != 0 {
        return Some(format!(
            "is owned by another user (uid {file_uid}), who could change where the API key \
             is sent and which command runs; it was not used (copy it, or own it)"
        ));
    }
    if mode & 0o022 != 0 {
        return Some(format!(
            "can be changed by group or others (mode {:04o}), who could change where the API \
             key is sent and which command runs; it was not used; run: chmod go-w {}",
            mode & 0o7777,
            path.display()
        ));
    }
    None
}

/// Opens a regular file for reading, refusing a FIFO, a device, a socket or
/// a directory before opening it (and again after, in case it was swapped).
pub fn open_regular(path: &Path) -> io::Result<(File, Metadata)> {
    refuse_special(&std::fs::metadata(path)?)?;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        // Never waits for a writer, should a FIFO appear between the checks.
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let metadata = file.metadata()?;
    refuse_special(&metadata)?;
    Ok((file, metadata))
}

fn refuse_special(metadata: &Metadata) -> io::Result<()> {
    if metadata.is_file() {
        return Ok(());
    }
    let kind = describe_kind(metadata);
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("it is {kind}, not a regular file, and was not read"),
    ))
}

fn describe_kind(metadata: &Metadata) -> &'static str {
    if metadata.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = metadata.file_type();
        if kind.is_fifo() {
            return "a FIFO (a named pipe)";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    "not a plain file"
}

/// Reads at most `cap` bytes as text; more is an error, not a truncation.
pub fn read_capped(file: File, cap: u64) -> io::Result<String> {
    let mut text = String::new();
    file.take(cap + 1).read_to_string(&mut text)?;
    if text.len() as u64 > cap {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "it is larger than {} KiB, which is not what it should hold",
                cap / 1024
            ),
        ));
    }
    Ok(text)
}

/// The user this process runs as.
#[cfg(unix)]
pub fn our_uid() -> u32 {
    // SAFETY: getuid has no preconditions and cannot fail.
    unsafe { libc::getuid() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config_distrust_at(file_uid: u32, our_uid: u32, mode: u32) -> Option<String> {
        config_distrust(Path::new("/home/a/c.toml"), file_uid, our_uid, mode)
    }

    #[test]
    fn a_config_file_of_another_user_or_writable_by_others_is_distrusted() {
        assert_eq!(config_distrust_at(1000, 1000, 0o600), None);
        assert_eq!(config_distrust_at(1000, 1000, 0o644), None);
        assert_eq!(config_distrust_at(0, 1000, 0o644), None, "root's file");
        let foreign = config_distrust_at(1001, 1000, 0o600).unwrap();
        assert!(
            foreign.contains("owned by another user (uid 1001)"),
            "{foreign}"
        );
        // As root (CI), a user's file is someone else's file too.
        assert!(config_distrust_at(1000, 0, 0o600).is_some());
        for mode in [0o664, 0o646, 0o100666] {
            let open = config_distrust_at(1000, 1000, mode).unwrap();
            assert!(
                open.contains("group or others") && open.contains("chmod go-w"),
                "{open}"
            );
        }
        assert!(
            config_distrust_at(1000, 1000, 0o100664)
                .unwrap()
                .contains("mode 0664")
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_at_once_instead_of_waiting_for_a_writer() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("key");
        let c_path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid, NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
        let (done, answer) = std::sync::mpsc::channel();
        let path = fifo.clone();
        std::thread::spawn(move || {
            let _ = done.send(open_regular(&path).map(|_| ()).map_err(|e| e.to_string()));
        });
        let result = answer
            .recv_timeout(std::time::Duration::from_secs(10))
            .expect("refused without waiting for a writer");
        let error = result.unwrap_err();
        assert!(error.contains("FIFO"), "{error}");
        let error = open_regular(Path::new("/dev/null"))
            .unwrap_err()
            .to_string();
        assert!(error.contains("a device"), "{error}");
        let error = open_regular(dir.path()).unwrap_err().to_string();
        assert!(error.contains("a directory"), "{error}");
    }

    #[test]
    fn a_file_over_the_cap_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big");
        std::fs::write(&path, vec![b'k'; 2048]).unwrap();
        let (file, _) = open_regular(&path).unwrap();
        assert!(
            read_capped(file, 1024)
                .unwrap_err()
                .to_string()
                .contains("larger than 1 KiB")
        );
        let (file, _) = open_regular(&path).unwrap();
        assert_eq!(read_capped(file, 4096).unwrap().len(), 2048);
    }
}
