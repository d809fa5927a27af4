//! Keeping a signing key out of core dumps.
//!
//! A process that loads a private key calls [`disable_core_dumps`] before reading it: the core
//! file size limit (soft and hard) is set to 0, so a crash (an abort on memory exhaustion, a
//! signal) writes no core file holding the key, and on Linux the process is made
//! non-dumpable (`PR_SET_DUMPABLE` 0), which also stops a core-dump pipe handler (systemd-
//! coredump, apport) from receiving its memory and other processes of the same user from
//! attaching to it or reading its memory through `/proc`.

use std::io;

/// What could not be done to keep a key out of core dumps.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum CoreDumpError {
    /// `setrlimit(RLIMIT_CORE, 0)` failed.
    #[error("could not set the core file size limit to 0")]
    Limit(#[source] io::Error),
    /// `prctl(PR_SET_DUMPABLE, 0)` failed.
    #[error("could not make the process non-dumpable")]
    Dumpable(#[source] io::Error),
}

/// Disables core dumps of this process (see the [module documentation](self)). Both steps
/// are tried; the first failure is returned (callers warn and carry on: a failure here only
/// loses a defence in depth). A no-op where the system offers neither.
pub fn disable_core_dumps() -> Result<(), CoreDumpError> {
    #[cfg(unix)]
    {
        use rustix::process::{Resource, Rlimit, setrlimit};
        let limit = setrlimit(
            Resource::Core,
            Rlimit {
                current: Some(0),
                maximum: Some(0),
            },
        )
        .map_err(|e| CoreDumpError::Limit(e.into()));
        #[cfg(any(target_os = "linux", target_os = "android"))]
        let dumpable =
            rustix::process::set_dumpable_behavior(rustix::process::DumpableBehavior::NotDumpable)
                .map_err(|e| CoreDumpError::Dumpable(e.into()));
        #[cfg(not(any(target_os = "linux", target_os = "android")))]
        let dumpable = Ok(());
        limit.and(dumpable)
    }
    #[cfg(not(unix))]
    {
        Ok(())
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn core_dumps_are_off_after_disable_core_dumps() -> Result<(), Box<dyn std::error::Error>> {
        disable_core_dumps()?;
        let limits = std::fs::read_to_string("/proc/self/limits")?;
        let core = limits
            .lines()
            .find(|l| l.starts_with("Max core file size"))
            .ok_or("no core line in /proc/self/limits")?;
        let fields: Vec<&str> = core.split_whitespace().collect();
        // "Max core file size  <soft>  <hard>  bytes"
        assert_eq!(fields.get(4..6), Some(&["0", "0"][..]), "{core}");
        assert_eq!(
            rustix::process::dumpable_behavior()?,
            rustix::process::DumpableBehavior::NotDumpable
        );
        let got = rustix::process::getrlimit(rustix::process::Resource::Core);
        assert_eq!((got.current, got.maximum), (Some(0), Some(0)));
        // A second call (a second key loaded) is fine too.
        disable_core_dumps()?;
        Ok(())
    }
}
