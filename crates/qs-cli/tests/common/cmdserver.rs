//! Running many hg commands through one `hg serve --cmdserver pipe`
//! process per working directory, so that a test comparing thousands of
//! invocations does not pay Python's start-up for each (the results are
//! the same bytes and exit codes; `QS_HG_CMDSERVER=0` turns this off).
//!
//! The protocol (`hg help internals.cmdserver`): the server greets on the
//! output channel; a client sends `runcommand\n`, a 4-byte big-endian
//! length and the arguments joined by NUL; the server answers with framed
//! messages — a channel byte (`o` stdout, `e` stderr, `r` the exit code,
//! upper case for channels that need an answer) and a 4-byte length.

use std::collections::HashMap;
use std::ffi::OsString;
use std::io::{Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::Mutex;

use super::Outcome;

/// One running command server.
struct Server {
    child: Child,
    input: ChildStdin,
    output: ChildStdout,
    _home: tempfile::TempDir,
}

impl Server {
    fn start(hg: &Path, cwd: &Path) -> Option<Server> {
        let home = tempfile::tempdir().ok()?;
        let mut child = Command::new(hg)
            .args(["serve", "--cmdserver", "pipe"])
            .current_dir(cwd)
            .env_clear()
            .env("PATH", "/usr/local/bin:/usr/bin:/bin")
            .env("HOME", home.path())
            .env("HGPLAIN", "1")
            .env("HGRCPATH", "")
            .env("LANG", "C")
            .env("LC_ALL", "C")
            .env("TZ", "UTC")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let input = child.stdin.take()?;
        let output = child.stdout.take()?;
        let mut server = Server {
            child,
            input,
            output,
            _home: home,
        };
        let (channel, hello) = server.read_message()?;
        let ok = channel == b'o' && hello.windows(10).any(|w| w == b"runcommand");
        ok.then_some(server)
    }

    fn read_message(&mut self) -> Option<(u8, Vec<u8>)> {
        let mut header = [0u8; 5];
        self.output.read_exact(&mut header).ok()?;
        let len = u32::from_be_bytes([header[1], header[2], header[3], header[4]]) as usize;
        let mut data = vec![0u8; len];
        self.output.read_exact(&mut data).ok()?;
        Some((header[0], data))
    }

    /// Runs one command; `None` if the server asked for input or failed.
    fn run(&mut self, args: &[OsString]) -> Option<Outcome> {
        let joined: Vec<u8> = args
            .iter()
            .map(|a| a.as_bytes())
            .collect::<Vec<_>>()
            .join(&0u8);
        let mut request = b"runcommand\n".to_vec();
        request.extend_from_slice(&u32::try_from(joined.len()).ok()?.to_be_bytes());
        request.extend_from_slice(&joined);
        self.input.write_all(&request).ok()?;
        self.input.flush().ok()?;
        let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
        loop {
            let (channel, data) = self.read_message()?;
            match channel {
                b'o' => stdout.extend_from_slice(&data),
                b'e' => stderr.extend_from_slice(&data),
                b'r' => {
                    let code = i32::from_be_bytes(data.get(..4)?.try_into().ok()?);
                    return Some(Outcome {
                        code,
                        stdout,
                        stderr,
                    });
                }
                c if c.is_ascii_uppercase() => return None,
                _ => {}
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A command server of its own for one directory, for a burst of
/// commands that must see the repository as it is now (a snapshot taken
/// after a write); dropped when the burst is over. `None` when disabled
/// (`QS_HG_CMDSERVER=0`) or when the server cannot start.
pub struct Session(Server);

impl Session {
    pub fn start(hg: &Path, cwd: &Path) -> Option<Session> {
        if std::env::var_os("QS_HG_CMDSERVER").is_some_and(|v| v == "0") {
            return None;
        }
        Server::start(hg, cwd).map(Session)
    }

    /// Runs one command; `None` if the server could not answer.
    pub fn run(&mut self, args: &[&str]) -> Option<Outcome> {
        let args: Vec<OsString> = args.iter().map(OsString::from).collect();
        self.0.run(&args)
    }
}

/// Read-only commands whose output does not show the server's own
/// settings (`config` would list the `ui.nontty` a command server sets).
const SERVED: &[&[u8]] = &[
    b"log",
    b"history",
    b"heads",
    b"identify",
    b"id",
    b"parents",
    b"cat",
    b"files",
    b"manifest",
    b"branches",
    b"bookmarks",
    b"bookmark",
    b"tags",
    b"root",
    b"status",
    b"st",
];

/// The command name in hg's argument list (global options skipped).
fn command_of(args: &[OsString]) -> Option<&[u8]> {
    const WITH_VALUE: &[&[u8]] = &[
        b"-R",
        b"--repository",
        b"--repo",
        b"--cwd",
        b"--config",
        b"--color",
        b"--pager",
        b"--encoding",
        b"--encodingmode",
    ];
    let mut iter = args.iter().map(|a| a.as_bytes());
    while let Some(arg) = iter.next() {
        if WITH_VALUE.contains(&arg) {
            iter.next();
        } else if !arg.starts_with(b"-") {
            return Some(arg);
        }
    }
    None
}

static SERVERS: Mutex<Option<HashMap<PathBuf, Server>>> = Mutex::new(None);

/// Runs `args` with hg in `cwd` through a command server, when enabled;
/// `None` means run hg as a process instead.
pub fn run(hg: &Path, cwd: &Path, args: &[OsString]) -> Option<Outcome> {
    if std::env::var_os("QS_HG_CMDSERVER").is_some_and(|v| v == "0") {
        return None;
    }
    if !command_of(args).is_some_and(|c| SERVED.contains(&c)) {
        return None;
    }
    let mut guard = SERVERS.lock().ok()?;
    let servers = guard.get_or_insert_with(HashMap::new);
    if !servers.contains_key(cwd) {
        let server = Server::start(hg, cwd)?;
        servers.insert(cwd.to_path_buf(), server);
    }
    let result = servers.get_mut(cwd)?.run(args);
    if result.is_none() {
        servers.remove(cwd);
    }
    result
}
