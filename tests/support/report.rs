//! Writes benchmark figures into BENCHMARKS.md, one marked section per benchmark, with command, machine and date.

use std::time::Duration;

/// p50, p99 and max of a set of samples.
pub fn percentiles(samples: &mut [Duration]) -> (Duration, Duration, Duration) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    (at(0.50), at(0.99), samples[samples.len() - 1])
}

/// Kernel clock ticks per second, the unit of `/proc/<pid>/stat`'s CPU times (`getconf CLK_TCK`; 100 on Linux).
const CLOCK_TICKS_PER_SECOND: u64 = 100;

/// CPU time (user + system, all threads) a process has used so far, from `/proc/<pid>/stat`; 10 ms resolution, so
/// take it across many invocations.
pub fn process_cpu(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("the process's /proc/<pid>/stat");
    cpu_of_stat(&stat).expect("utime and stime in /proc/<pid>/stat")
}

/// utime + stime of a `/proc/<pid>/stat` line. The command name (field 2) is in parentheses and may hold spaces, so
/// fields are counted after its closing parenthesis: state is the first there, utime the 12th and stime the 13th.
fn cpu_of_stat(stat: &str) -> Option<Duration> {
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 1000 / CLOCK_TICKS_PER_SECOND))
}

pub fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

/// What machine the figures come from.
pub fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines().find(|l| l.starts_with("model name")).map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let kernel = std::process::Command::new("uname")
        .arg("-sr")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    format!("{cpu}, {cores} cores, {kernel}")
}

fn today() -> String {
    std::process::Command::new("date")
        .args(["-u", "+%Y-%m-%d %H:%M UTC"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
}

/// Replaces (or appends) the section `name` of BENCHMARKS.md with `body`.
pub fn write_section(name: &str, title: &str, command: &str, body: &str) {
    let path = super::root().join("BENCHMARKS.md");
    let mut text = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        "# Benchmarks\n\nFigures produced by `make bench` on the machine named in each section. \
         Compare ratios within one run; absolute times move with the machine.\n"
            .to_owned()
    });
    let (start, end) = (format!("<!-- {name}:start -->"), format!("<!-- {name}:end -->"));
    let section = format!(
        "{start}\n## {title}\n\n- command: `{command}`\n- machine: {}\n- date: {}\n\n{body}\n{end}",
        machine(),
        today()
    );
    match (text.find(&start), text.find(&end)) {
        (Some(s), Some(e)) => text.replace_range(s..e + end.len(), &section),
        _ => {
            text.push('\n');
            text.push_str(&section);
            text.push('\n');
        }
    }
    std::fs::write(&path, text).expect("writing BENCHMARKS.md");
}

#[cfg(test)]
mod tests {
    use super::cpu_of_stat;
    use std::time::Duration;

    #[test]
    fn cpu_time_is_read_after_the_command_name() {
        let line = "4242 (plugin linux) x) S 1 4242 4242 0 -1 4194560 900 0 0 0 123 45 0 0 20 0 9 0 100 0 0";
        assert_eq!(cpu_of_stat(line), Some(Duration::from_millis(1680)));
        assert_eq!(cpu_of_stat("4242 (cut"), None);
        let own = std::fs::read_to_string("/proc/self/stat").unwrap();
        assert!(cpu_of_stat(&own).is_some(), "{own}");
    }
}
