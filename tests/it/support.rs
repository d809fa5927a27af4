//! The one way the integration tests run the real `acta` binary, and the key files they
//! share.
//!
//! [`acta`] is a builder over [`std::process::Command`] for the binary (`RUST_BACKTRACE=0`,
//! standard input from `/dev/null`), with what the tests need besides arguments: a working
//! folder, a standard input or output of their own, an address-space limit (`ulimit -v`) and
//! a timeout after which the command is killed and the test fails. [`run_in`] and [`ok_in`]
//! are the short forms.

use std::ffi::{OsStr, OsString};
use std::io::Read as _;
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use acta_core::SigningKey;

/// The path of the `acta` binary built for these tests.
pub(crate) fn acta_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_acta"))
}

/// What one run of acta printed and how it ended.
pub(crate) struct Out {
    /// The exit code; -1 when acta was ended by a signal (it then has none).
    pub(crate) code: i32,
    /// Standard output, decoded lossily.
    pub(crate) stdout: String,
    /// Standard error, decoded lossily.
    pub(crate) stderr: String,
    /// The bytes of standard output, then those of standard error, as written.
    pub(crate) raw: Vec<u8>,
}

impl Out {
    /// Standard output followed by standard error.
    pub(crate) fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }

    /// The exit code, standard output and standard error.
    pub(crate) fn into_parts(self) -> (i32, String, String) {
        (self.code, self.stdout, self.stderr)
    }
}

/// A run of the acta binary being set up; [`Acta::run`] runs it.
pub(crate) struct Acta {
    args: Vec<OsString>,
    dir: Option<PathBuf>,
    stdin: Option<Stdio>,
    stdout: Option<Stdio>,
    limit_kib: Option<u64>,
    timeout: Option<Duration>,
}

/// The acta binary with no arguments yet.
pub(crate) fn acta() -> Acta {
    Acta {
        args: Vec::new(),
        dir: None,
        stdin: None,
        stdout: None,
        limit_kib: None,
        timeout: None,
    }
}

impl Acta {
    pub(crate) fn args<S: AsRef<OsStr>>(mut self, args: impl IntoIterator<Item = S>) -> Acta {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_owned()));
        self
    }

    /// Runs acta in `dir` (otherwise in the test's own working folder).
    pub(crate) fn current_dir(mut self, dir: impl AsRef<Path>) -> Acta {
        self.dir = Some(dir.as_ref().to_owned());
        self
    }

    /// Standard input (otherwise `/dev/null`).
    pub(crate) fn stdin(mut self, stdin: impl Into<Stdio>) -> Acta {
        self.stdin = Some(stdin.into());
        self
    }

    /// Standard output (otherwise a pipe, read into [`Out::stdout`]).
    pub(crate) fn stdout(mut self, stdout: impl Into<Stdio>) -> Acta {
        self.stdout = Some(stdout.into());
        self
    }

    /// Runs acta under an address-space limit of `kib` KiB, through `sh -c 'ulimit -v …'`.
    pub(crate) fn limit_kib(mut self, kib: u64) -> Acta {
        self.limit_kib = Some(kib);
        self
    }

    /// Kills acta once it has run this long, and fails the test: a command that blocks (on a
    /// planted FIFO, say) is then a failure, not a hang.
    pub(crate) fn timeout(mut self, timeout: Duration) -> Acta {
        self.timeout = Some(timeout);
        self
    }

    /// How the test names this run in its failure messages.
    fn what(&self) -> String {
        let args: Vec<_> = self.args.iter().map(|a| a.to_string_lossy()).collect();
        match self.limit_kib {
            Some(kib) => format!("acta {args:?} under ulimit -v {kib}"),
            None => format!("acta {args:?}"),
        }
    }

    /// The process as configured, standard output and error not yet set.
    pub(crate) fn command(self) -> Command {
        let mut cmd = match self.limit_kib {
            Some(kib) => {
                let mut c = Command::new("sh");
                c.arg("-c")
                    .arg(format!("ulimit -v {kib} && exec \"$0\" \"$@\""))
                    .arg(acta_bin());
                c
            }
            None => Command::new(acta_bin()),
        };
        cmd.args(&self.args).env("RUST_BACKTRACE", "0");
        if let Some(dir) = self.dir {
            cmd.current_dir(dir);
        }
        cmd.stdin(self.stdin.unwrap_or_else(Stdio::null));
        if let Some(stdout) = self.stdout {
            cmd.stdout(stdout);
        }
        cmd
    }

    /// Runs acta to its end and returns the process's own output (exit status and bytes),
    /// for tests that need them undecoded; the timeout and a redirected stdout do not apply.
    pub(crate) fn output(self) -> std::io::Result<std::process::Output> {
        self.command()
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .output()
    }

    /// Runs acta to its end (or to the timeout, which fails the test).
    pub(crate) fn run(self) -> Out {
        let what = self.what();
        let timeout = self.timeout;
        let piped_stdout = self.stdout.is_none();
        let mut cmd = self.command();
        if piped_stdout {
            cmd.stdout(Stdio::piped());
        }
        cmd.stderr(Stdio::piped());
        let mut child = cmd
            .spawn()
            .map_err(|e| format!("{what}: cannot start: {e}"))
            .expect("acta starts");
        let reader = |pipe: Option<Box<dyn std::io::Read + Send>>| {
            std::thread::spawn(move || {
                let mut bytes = Vec::new();
                if let Some(mut pipe) = pipe {
                    pipe.read_to_end(&mut bytes).expect("reading acta's output");
                }
                bytes
            })
        };
        let stdout = reader(
            child
                .stdout
                .take()
                .map(|p| Box::new(p) as Box<dyn std::io::Read + Send>),
        );
        let stderr = reader(
            child
                .stderr
                .take()
                .map(|p| Box::new(p) as Box<dyn std::io::Read + Send>),
        );
        let status = match timeout {
            None => child.wait().expect("waiting for acta"),
            Some(timeout) => {
                let started = Instant::now();
                let mut pause = Duration::from_millis(1);
                let status = loop {
                    if let Some(status) = child.try_wait().expect("waiting for acta") {
                        break Some(status);
                    }
                    if started.elapsed() > timeout {
                        let _ = child.kill();
                        let _ = child.wait();
                        break None;
                    }
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(Duration::from_millis(20));
                };
                assert!(
                    status.is_some(),
                    "{what}: still running after {timeout:?}: it blocked"
                );
                status.expect("checked")
            }
        };
        let stdout = stdout.join().expect("the stdout reader");
        let stderr = stderr.join().expect("the stderr reader");
        let mut raw = stdout.clone();
        raw.extend_from_slice(&stderr);
        Out {
            code: status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
            raw,
        }
    }
}

/// Runs acta in `dir` with `args`.
pub(crate) fn run_in<S: AsRef<OsStr>>(dir: &Path, args: &[S]) -> Out {
    acta().current_dir(dir).args(args).run()
}

/// Runs acta in `dir` with `args` and requires exit code 0; returns its standard output.
pub(crate) fn ok_in<S: AsRef<OsStr> + std::fmt::Debug>(dir: &Path, args: &[S]) -> String {
    let o = run_in(dir, args);
    assert_eq!(
        o.code, 0,
        "acta {args:?} failed:\n{}\n{}",
        o.stdout, o.stderr
    );
    o.stdout
}

/// A test-only signing key: `name`, with every byte of its seed `seed`.
pub(crate) fn key(name: &str, seed: u8) -> SigningKey {
    SigningKey::from_seed(name, [seed; 32]).expect("a valid test key name")
}

/// Writes `key`'s private key file `dir/file` (mode 0600); returns its verifier key text.
pub(crate) fn write_key(dir: &Path, file: &str, key: &SigningKey) -> String {
    write_private(&dir.join(file), key, 0o600);
    key.verifier().to_string()
}

/// Writes `key`'s private key file at `path` with permissions `mode`.
pub(crate) fn write_private(path: &Path, key: &SigningKey, mode: u32) {
    std::fs::write(path, format!("{}\n", key.to_private_text())).expect("write key");
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}
