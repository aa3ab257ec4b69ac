//! `cargo xtask browser-test`: starts the real dev host with the bundle `make dist` wrote and runs the webapp's
//! Playwright browser tests (`npm run test:browser`) against it, then stops the dev host whatever happened.

use anyhow::{Context, Result, bail};
use std::collections::VecDeque;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long the dev host may take to print its `Dev host ready: <url>` line.
const READY_TIMEOUT: Duration = Duration::from_secs(60);
/// How long the dev host may take to stop after SIGTERM (OnDeactivate, Shutdown, 2 s grace) before it is killed.
const STOP_GRACE: Duration = Duration::from_secs(10);
const READY_PREFIX: &str = "Dev host ready: ";
const LOG_TAIL_LINES: usize = 40;

pub fn run(root: &Path) -> Result<()> {
    let bundle = bundle_path(root)?;
    let devhost = build_devhost(root)?;
    let data_dir = target_dir(root).join("browser-test").join(format!("devhost-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data_dir);
    std::fs::create_dir_all(&data_dir).with_context(|| format!("creating {}", data_dir.display()))?;
    let log_path = data_dir.join("devhost.log");
    let log = std::fs::File::create(&log_path).with_context(|| format!("creating {}", log_path.display()))?;

    eprintln!("browser-test: starting {} with {}", devhost.display(), bundle.display());
    let child = Command::new(&devhost)
        .current_dir(root)
        .arg("--bundle")
        .arg(&bundle)
        .args(["--port", "0", "--data-dir"])
        .arg(&data_dir)
        .arg("--page-dir")
        .arg(root.join("webapp/dist"))
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .with_context(|| format!("starting {}", devhost.display()))?;
    let mut host = Running { child, log_path };

    let url = match host.wait_ready() {
        Ok(url) => url,
        Err(e) => {
            let _ = host.stop();
            bail!("{e:#}\n--- dev host log (last lines of {}) ---\n{}", host.log_path.display(), host.log_tail());
        }
    };
    eprintln!("browser-test: dev host ready at {url} (log: {})", host.log_path.display());

    let run = run_scenarios(root, &url);
    let stopped = host.stop();
    let (status, failures) = run.context("running `npm run test:browser` in webapp/")?;
    if !status.success() {
        // The failing scenarios come last, after the dev host's log, so the tail of a CI log names them.
        bail!(
            "the browser tests failed ({status}); screenshots are in webapp/tests/browser/out/\n\
             --- dev host log (last lines of {}) ---\n{}\n--- failed scenarios ---\n{}",
            host.log_path.display(),
            host.log_tail(),
            if failures.is_empty() {
                "(none reported: the runner itself failed)".to_string()
            } else {
                failures.join("\n")
            }
        );
    }
    if let Err(e) = stopped {
        bail!("the browser tests passed but the dev host did not stop cleanly: {e:#}");
    }
    if failures.is_empty() {
        eprintln!("browser-test: passed");
    } else {
        // Passed, but not at the first attempt: said last so the tail of the log shows it.
        eprintln!(
            "browser-test: passed, but {} scenario(s) only on a retry (flaky; the first attempt's error):\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
    Ok(())
}

/// Runs `npm run test:browser` against `url`, echoing its output, and returns its exit status with the summary of
/// each failed attempt: the scenarios that failed for good when the status is a failure, the retried ones otherwise.
fn run_scenarios(root: &Path, url: &str) -> Result<(std::process::ExitStatus, Vec<String>)> {
    let mut child = Command::new("npm")
        .args(["run", "--silent", "test:browser"])
        .current_dir(root.join("webapp"))
        .env("DEVHOST_URL", url)
        .stdout(Stdio::piped())
        .spawn()?;
    let stdout = child.stdout.take().context("npm's stdout is not piped")?;
    let mut output = Vec::new();
    for line in BufReader::new(stdout).lines().map_while(std::io::Result::ok) {
        eprintln!("{line}");
        output.push(line);
    }
    let status = child.wait()?;
    let failures = failure_summary(&output, if status.success() { "retry -" } else { "not ok -" });
    Ok((status, failures))
}

/// One entry per failed attempt (a block whose first line starts with `prefix`: `not ok -` for a scenario that failed,
/// `retry -` for an attempt that was retried) in the runner's output: its line, the error's first line and the first
/// line of Playwright's call log (which locator it was waiting for), read up to the block's `screenshot:` line.
fn failure_summary(output: &[String], prefix: &str) -> Vec<String> {
    let mut failures: Vec<String> = Vec::new();
    let (mut in_failure, mut has_error, mut has_wait) = (false, false, false);
    for line in output {
        let text = strip_ansi(line);
        let text = text.trim();
        if line.starts_with(prefix) {
            failures.push(line.clone());
            (in_failure, has_error, has_wait) = (true, false, false);
            continue;
        }
        if line.starts_with("ok -") || line.starts_with("not ok -") || line.starts_with("retry -") {
            in_failure = false;
        }
        let Some(last) = failures.last_mut().filter(|_| in_failure) else { continue };
        if text.starts_with("screenshot:") {
            in_failure = false;
        } else if !has_error && !text.is_empty() {
            has_error = true;
            last.push_str(&format!("\n  {text}"));
        } else if !has_wait && text.starts_with("- waiting for") {
            has_wait = true;
            last.push_str(&format!("\n  {text}"));
        }
    }
    failures
}

/// `text` without terminal colour codes (`ESC [ ... m`), which Playwright's call logs carry.
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            chars.by_ref().take_while(|c| !c.is_ascii_alphabetic()).for_each(drop);
        } else {
            out.push(c);
        }
    }
    out
}

/// `dist/<id>-<version>.tar.gz`, which `make dist` writes.
fn bundle_path(root: &Path) -> Result<PathBuf> {
    let m = crate::dist::manifest(root)?;
    let path = root.join("dist").join(format!("{}-{}.tar.gz", m.id, m.version));
    if !path.is_file() {
        bail!("{} is missing: run `make dist` first (`make test-browser` does)", path.display());
    }
    if !root.join("webapp/dist/devhost.js").is_file() {
        bail!("webapp/dist/devhost.js (the dev host page) is missing: run `make webapp` first");
    }
    Ok(path)
}

fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from)
}

/// `cargo build -p devhost` (debug) and the binary's path.
fn build_devhost(root: &Path) -> Result<PathBuf> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    crate::setup::sh(Command::new(cargo).current_dir(root).args(["build", "--quiet", "-p", "devhost"]))?;
    let bin = target_dir(root).join("debug/devhost");
    if !bin.is_file() {
        bail!("cargo built devhost but {} does not exist", bin.display());
    }
    Ok(bin)
}

/// The dev host process; stopped on drop if nobody stopped it.
struct Running {
    child: Child,
    log_path: PathBuf,
}

impl Running {
    /// Reads stdout until the `Dev host ready: <url>` line, the process exits, or [`READY_TIMEOUT`] passes.
    fn wait_ready(&mut self) -> Result<String> {
        let stdout = self.child.stdout.take().context("the dev host's stdout is not piped")?;
        let (tx, rx) = mpsc::channel::<Option<String>>();
        std::thread::spawn(move || {
            let mut sent = false;
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if !sent && let Some(url) = line.strip_prefix(READY_PREFIX) {
                    sent = tx.send(Some(url.trim().to_string())).is_ok();
                }
                // Keep draining so the dev host never blocks on a full pipe.
            }
            if !sent {
                let _ = tx.send(None);
            }
        });
        match rx.recv_timeout(READY_TIMEOUT) {
            Ok(Some(url)) => Ok(url),
            Ok(None) | Err(mpsc::RecvTimeoutError::Disconnected) => {
                let status = self.wait_exit(Duration::from_secs(2));
                bail!(
                    "the dev host exited before printing {READY_PREFIX:?}<url> ({})",
                    status.map_or_else(|| "still running".to_string(), |s| s.to_string())
                )
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                bail!("the dev host did not print {READY_PREFIX:?}<url> within {} s", READY_TIMEOUT.as_secs())
            }
        }
    }

    /// Polls for the process's exit for at most `limit`.
    fn wait_exit(&mut self, limit: Duration) -> Option<std::process::ExitStatus> {
        let until = Instant::now() + limit;
        loop {
            match self.child.try_wait() {
                Ok(Some(status)) => return Some(status),
                Ok(None) if Instant::now() < until => std::thread::sleep(Duration::from_millis(50)),
                _ => return None,
            }
        }
    }

    /// SIGTERM (the dev host stops the plugin cleanly on it), then SIGKILL after [`STOP_GRACE`].
    fn stop(&mut self) -> Result<()> {
        if let Ok(Some(status)) = self.child.try_wait() {
            return if status.success() { Ok(()) } else { bail!("the dev host had already exited: {status}") };
        }
        let _ = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status();
        match self.wait_exit(STOP_GRACE) {
            Some(status) if status.success() => Ok(()),
            Some(status) => bail!("the dev host exited with {status} on SIGTERM"),
            None => {
                let _ = self.child.kill();
                let _ = self.child.wait();
                bail!("the dev host did not stop within {} s of SIGTERM and was killed", STOP_GRACE.as_secs())
            }
        }
    }

    fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log_path).unwrap_or_default();
        let mut tail: VecDeque<&str> = VecDeque::with_capacity(LOG_TAIL_LINES);
        for line in text.lines() {
            if tail.len() == LOG_TAIL_LINES {
                tail.pop_front();
            }
            tail.push_back(line);
        }
        tail.into_iter().collect::<Vec<_>>().join("\n")
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::failure_summary;

    #[test]
    fn the_summary_names_each_failure_its_error_and_the_awaited_locator() {
        let output: Vec<String> = [
            "ok - first (10 ms)",
            "not ok - second (15020 ms)",
            "  locator.click: Timeout 15000ms exceeded.",
            "  Call log:",
            "  \u{1b}[2m  - waiting for getByTestId('save')\u{1b}[22m",
            "  \u{1b}[2m  - waiting for getByTestId('save') again\u{1b}[22m",
            "  screenshot: out/second.png",
            "  [pageerror] not part of the summary",
            "ok - third (5 ms)",
            "retry - fourth (3 ms)",
            "  Error: the first attempt",
            "  screenshot: out/fourth-first-attempt.png",
            "not ok - fourth (3 ms)",
            "  Error: the list shows []",
            "  screenshot: out/fourth.png",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            failure_summary(&output, "not ok -"),
            [
                "not ok - second (15020 ms)\n  locator.click: Timeout 15000ms exceeded.\n  - waiting for getByTestId('save')",
                "not ok - fourth (3 ms)\n  Error: the list shows []",
            ]
        );
        assert_eq!(failure_summary(&output, "retry -"), ["retry - fourth (3 ms)\n  Error: the first attempt"]);
        assert!(failure_summary(&output[..1], "not ok -").is_empty());
    }
}
