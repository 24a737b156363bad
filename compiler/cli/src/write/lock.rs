//! OUT's advisory lock: one build writes an OUT at a time.

use super::{error::io_err, place, WriteError};
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// OUT's advisory lock, held from the moment a build reads OUT until OUT
/// is replaced: the file `.OUT.hybridc-lock` beside OUT, locked with
/// `flock` and holding the builder's process id. Dropping it removes the
/// file, then the lock goes with the file handle (and with the process, if
/// it is killed: a stale lock file never blocks anyone).
#[derive(Debug)]
pub struct OutLock {
    path: PathBuf,
    _file: fs::File,
}

impl Drop for OutLock {
    fn drop(&mut self) {
        // Removed while still locked: a build waiting on this file sees
        // that it is gone once it gets the lock, and locks the new one.
        let _ = fs::remove_file(&self.path);
    }
}

/// The lock file of OUT: `.NAME.hybridc-lock` beside it.
fn lock_path(out: &Path) -> Result<PathBuf, WriteError> {
    let (parent, name) = place(out)?;
    Ok(parent.join(format!(".{name}.hybridc-lock")))
}

/// Takes OUT's lock. When another build holds it: with `wait`, calls
/// `waiting` once with that build's process id (when known) and waits for
/// it; without, fails with [`WriteError::Locked`].
pub fn lock(out: &Path, wait: bool, waiting: &mut dyn FnMut(Option<u32>)) -> Result<OutLock, WriteError> {
    use rustix::fs::{FlockOperation, Mode, OFlags};
    let path = lock_path(out)?;
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(io_err(parent))?;
    }
    let mut told = false;
    loop {
        let flags = OFlags::CREATE | OFlags::RDWR | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let fd = rustix::fs::open(&path, flags, Mode::from_raw_mode(0o644)).map_err(|e| {
            if e == rustix::io::Errno::LOOP {
                WriteError::Unusable {
                    message: format!("the lock file `{}` beside OUT is a symbolic link", path.display()),
                    help: format!("remove the link (`rm {}`) and build again", path.display()),
                }
            } else {
                WriteError::Io(path.clone(), e.into())
            }
        })?;
        let mut file = fs::File::from(fd);
        match rustix::fs::flock(&file, FlockOperation::NonBlockingLockExclusive) {
            Ok(()) => {}
            Err(e) if e == rustix::io::Errno::WOULDBLOCK => {
                let holder = holder_pid(&mut file);
                if !wait {
                    return Err(WriteError::Locked(holder));
                }
                if !told {
                    waiting(holder);
                    told = true;
                }
                rustix::fs::flock(&file, FlockOperation::LockExclusive)
                    .map_err(|e| WriteError::Io(path.clone(), e.into()))?;
            }
            Err(e) => return Err(WriteError::Io(path.clone(), e.into())),
        }
        // The build that held it may have removed the file meanwhile: only
        // a lock on the file that is at `path` now counts.
        let ours = rustix::fs::fstat(&file).ok();
        let there = rustix::fs::lstat(&path).ok();
        if ours.zip(there).is_some_and(|(a, b)| a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
            let _ = file.set_len(0);
            let _ = file.write_all(std::process::id().to_string().as_bytes());
            return Ok(OutLock { path, _file: file });
        }
    }
}

/// The process id written in a lock file by the build holding it.
fn holder_pid(file: &mut fs::File) -> Option<u32> {
    let mut text = String::new();
    file.read_to_string(&mut text).ok()?;
    text.trim().parse().ok()
}
