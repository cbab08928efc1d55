//! No interruption may damage a repository: a copy by qs-store's writer
//! killed with SIGKILL at random moments is rolled back by `hg recover` and
//! by our `recover` (then `hg verify` passes and the copy can be redone),
//! and an `hg unbundle` killed at random moments is rolled back by our
//! `recover`. Needs the pinned hg in `QS_HG`.
#![allow(clippy::unwrap_used)]

mod write_common;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use write_common::*;

const DAG: &str = "+40 *10 +20 /5 +30 <3 +20 *30/2 +40 *50 +10 /20";
const ITERATIONS: usize = 20;
/// Pause after each copied revision, to spread the copy over time.
const PAUSE_MICROS: &str = "800";

fn seed() -> u64 {
    let seed = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(1);
    println!("random seed {seed}");
    seed
}

/// Kills `child` with SIGKILL after `delay` (if still running).
fn kill_after(mut child: Child, delay: Duration) -> bool {
    let deadline = Instant::now() + delay;
    while Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let killed = child.try_wait().unwrap().is_none();
    let _ = child.kill();
    let _ = child.wait();
    killed
}

fn changeset_count(home: &Path, root: &Path) -> usize {
    hg_ok(home, root, &["log", "-T", "x"]).len()
}

fn run_our_recover(root: &Path) -> String {
    let out = Command::new(copy_tool())
        .arg("--recover")
        .arg(root)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "our recover failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn killed_copy_is_rolled_back_by_hg_recover_and_by_ours() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path();
    let source = home.join("source");
    make_fixture(home, &source, &[], DAG);
    let expected_log = hg_ok(home, &source, &["log", "--debug"]);
    let full = changeset_count(home, &source);

    // How long an uninterrupted copy takes.
    let timing = home.join("timing");
    init_like(home, &timing, &[]);
    let started = Instant::now();
    let out = Command::new(copy_tool())
        .args([source.as_os_str(), timing.as_os_str()])
        .arg(PAUSE_MICROS)
        .output()
        .unwrap();
    assert!(out.status.success());
    let duration = started.elapsed();
    println!("one copy takes {duration:?}");

    let mut noise = Noise::new(seed());
    let mut interrupted = 0;
    for i in 0..ITERATIONS {
        // Half the copies go into an empty repository (diverted changelog),
        // half append to a clone of the first 40 changesets (delayed
        // changelog entries, inline revlogs hg wrote split mid-copy).
        let dest = home.join(format!("copy{i}"));
        let prefix = if i % 4 < 2 {
            init_like(home, &dest, &[]);
            0
        } else {
            let name = format!("copy{i}");
            hg_ok(
                home,
                home,
                &["clone", "-q", "-U", "-r", "39", "source", &name],
            );
            40
        };
        let child = Command::new(copy_tool())
            .args([source.as_os_str(), dest.as_os_str()])
            .arg(PAUSE_MICROS)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let delay = Duration::from_micros(noise.below(duration.as_micros() as u64));
        if kill_after(child, delay) {
            interrupted += 1;
        }
        let use_hg = i % 2 == 0;
        if use_hg {
            let out = hg(home, &dest, &["recover"]);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                out.status.success() || stderr.contains("no interrupted transaction available"),
                "hg recover failed after a kill at {delay:?}: {stderr}"
            );
        } else {
            run_our_recover(&dest);
        }
        assert_verifies(home, &dest);
        let count = changeset_count(home, &dest);
        assert!(
            count == prefix || count == full,
            "partial history ({count} of {full}) after a kill at {delay:?}"
        );
        if count == prefix {
            let out = run_copy_tool(&[&source, &dest]);
            assert!(
                out.status.success(),
                "copy after recovery failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert_verifies(home, &dest);
        }
        assert!(hg_ok(home, &dest, &["log", "--debug"]) == expected_log);
    }
    println!("{interrupted} of {ITERATIONS} copies were killed mid-way");
    assert!(interrupted >= ITERATIONS / 2, "too few real interruptions");
}

#[test]
fn killed_hg_unbundle_is_rolled_back_by_our_recover() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path();
    let source = home.join("source");
    make_fixture(home, &source, &[], DAG);
    let bundle = home.join("all.hg");
    hg_ok(
        home,
        &source,
        &[
            "bundle",
            "-q",
            "--all",
            "-t",
            "none-v2",
            bundle.to_str().unwrap(),
        ],
    );
    let expected_log = hg_ok(home, &source, &["log", "--debug"]);
    let full = changeset_count(home, &source);

    let timing = home.join("timing");
    init_like(home, &timing, &[]);
    let started = Instant::now();
    hg_ok(home, &timing, &["unbundle", "-q", bundle.to_str().unwrap()]);
    let duration = started.elapsed();
    println!("one unbundle takes {duration:?}");

    let mut noise = Noise::new(seed());
    let mut rolled_back = 0;
    for i in 0..ITERATIONS / 2 {
        let dest = home.join(format!("unbundled{i}"));
        init_like(home, &dest, &[]);
        let child = hg_command(home, &dest, &["unbundle", "-q", bundle.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let delay = Duration::from_micros(noise.below(duration.as_micros() as u64));
        kill_after(child, delay);
        if run_our_recover(&dest).starts_with("rolling back") {
            rolled_back += 1;
        }
        assert_verifies(home, &dest);
        let count = changeset_count(home, &dest);
        assert!(
            count == 0 || count == full,
            "partial history ({count} of {full}) after a kill at {delay:?}"
        );
        if count == 0 {
            hg_ok(home, &dest, &["unbundle", "-q", bundle.to_str().unwrap()]);
            assert_verifies(home, &dest);
        }
        assert!(hg_ok(home, &dest, &["log", "--debug"]) == expected_log);
    }
    println!("{rolled_back} interrupted hg transactions rolled back by qs");
    assert!(rolled_back > 0, "no hg transaction was interrupted");
}
