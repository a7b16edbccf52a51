//! `sdk-compare report`: turns the results file of a `bench/run.sh` run into Markdown tables
//! (our figure, the peer's, the ratio, the target) with the machine, date and command, and
//! writes them into the benchmark document between the `bench:begin` / `bench:end` markers,
//! keeping the text around them.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::row::{Row, Target};

const BEGIN: &str = "<!-- bench:begin -->";
const END: &str = "<!-- bench:end -->";
/// The crates whose versions the report names.
const PEER_CRATES: [&str; 6] = [
    "aws-sdk-qconnect",
    "aws-sdk-personalize",
    "aws-sdk-qbusiness",
    "aws-config",
    "aws-smithy-runtime",
    "aws-smithy-http-client",
];

#[derive(Default)]
struct Options {
    results: Option<PathBuf>,
    doc: Option<PathBuf>,
    lock: Option<PathBuf>,
    mode: String,
    command: String,
    load_start: String,
    others_cpu: Option<f64>,
    elapsed_secs: Option<u64>,
    notes: Vec<String>,
}

fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut options = Options {
        mode: "full".to_owned(),
        command: "bench/run.sh".to_owned(),
        ..Options::default()
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = || {
            args.next()
                .cloned()
                .ok_or_else(|| format!("{arg} needs a value"))
        };
        match arg.as_str() {
            "--results" => options.results = Some(value()?.into()),
            "--doc" => options.doc = Some(value()?.into()),
            "--lock" => options.lock = Some(value()?.into()),
            "--mode" => options.mode = value()?,
            "--command" => options.command = value()?,
            "--load-start" => options.load_start = value()?,
            "--others-cpu" => {
                let v = value()?;
                options.others_cpu = Some(v.parse().map_err(|_| format!("--others-cpu {v:?}"))?);
            }
            "--elapsed" => {
                let v = value()?;
                options.elapsed_secs = Some(v.parse().map_err(|_| format!("--elapsed {v:?}"))?);
            }
            "--note" => options.notes.push(value()?),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(options)
}

pub fn main(args: &[String]) -> Result<(), String> {
    let options = parse_args(args)?;
    let results = options.results.as_ref().ok_or("--results is required")?;
    let doc = options.doc.as_ref().ok_or("--doc is required")?;
    let text = std::fs::read_to_string(results)
        .map_err(|e| format!("cannot read {}: {e}", results.display()))?;
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        rows.push(
            Row::parse(line)
                .map_err(|e| format!("{}:{}: {e}: {line:?}", results.display(), i + 1))?,
        );
    }
    if rows.is_empty() {
        return Err(format!("{} holds no results", results.display()));
    }
    let section = render(&options, &rows);
    let old = std::fs::read_to_string(doc).unwrap_or_else(|_| "# Benchmarks\n\n".to_owned());
    let new = match (old.find(BEGIN), old.find(END)) {
        (Some(begin), Some(end)) if begin < end => {
            format!("{}{section}{}", &old[..begin], &old[end + END.len()..])
        }
        _ => format!("{}\n{section}\n", old.trim_end()),
    };
    std::fs::write(doc, new).map_err(|e| format!("cannot write {}: {e}", doc.display()))?;
    // The tables on the terminal too.
    println!("{section}");
    let missed = rows.iter().filter(|r| r.met() == Some(false)).count();
    let met = rows.iter().filter(|r| r.met() == Some(true)).count();
    eprintln!(
        "sdk-compare report: {} rows, targets met {met}, missed {missed}; written to {}",
        rows.len(),
        doc.display()
    );
    Ok(())
}

fn render(options: &Options, rows: &[Row]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{BEGIN}\n<!-- Written by bench/run.sh from one run's results; edit outside the markers. -->\n"
    );
    let quick = options.mode == "quick";
    let load: Option<f64> = options
        .load_start
        .split_whitespace()
        .next()
        .and_then(|l| l.parse().ok());
    // Quiet: other processes took less than a tenth of the CPUs during the run, as measured
    // from /proc/stat. The 1-minute load at the start decides only when that measure is
    // missing: it is a decaying average, so it can still show work that ended before the run.
    let quiet = match options.others_cpu {
        Some(others) => others < 10.0,
        None => load.is_some_and(|l| l < 1.0),
    };
    let mut state = if quiet {
        "quiet".to_owned()
    } else {
        "**noisy** (other processes were running: figures, build times most of all, are \
         indicative only)"
            .to_owned()
    };
    let _ = write!(
        state,
        ": load averages {} at start",
        options.load_start.trim()
    );
    if let Some(others) = options.others_cpu {
        let _ = write!(
            state,
            "; other processes used {others:.0}% of the CPUs during the run"
        );
    }
    if quick {
        state.push_str("; a **--quick run** (one run each, short call batches)");
    }
    let _ = writeln!(out, "## Latest run\n");
    let _ = writeln!(out, "| | |\n|---|---|");
    let mode = if quick {
        "quick (`--quick`: qconnect only, debug builds only, one run each, short call batches, call harness at opt-level 1)"
    } else {
        "full"
    };
    let _ = writeln!(out, "| run | {mode} |");
    let _ = writeln!(out, "| machine state | {state} |");
    let _ = writeln!(out, "| date | {} |", now_iso8601());
    let _ = writeln!(out, "| command | `{}` |", options.command);
    let _ = writeln!(out, "| machine | {} |", machine());
    let rustc = command_output("rustc", &["-V"]).unwrap_or_else(|| "unknown".to_owned());
    let _ = writeln!(out, "| toolchain | {rustc} |");
    if let Some(lock) = &options.lock {
        let _ = writeln!(out, "| peer crates | {} |", peer_versions(lock));
    }
    if let Some(secs) = options.elapsed_secs {
        let _ = writeln!(out, "| duration | {} min {} s |", secs / 60, secs % 60);
    }
    let met = rows.iter().filter(|r| r.met() == Some(true)).count();
    let judged = rows.iter().filter(|r| r.met().is_some()).count();
    let _ = writeln!(out, "| targets | {met} of {judged} met |");
    let _ = writeln!(
        out,
        "\n**Ratio**: how many times better awsgen is than the peer, above 1 when awsgen is \
         better (peer ÷ awsgen for times, sizes, memory and per-call costs; awsgen ÷ peer for \
         rates). **Spread** in parentheses: min–max of the runs for builds, 10th–90th \
         percentile of the batches for calls; n = runs or batches."
    );
    for note in &options.notes {
        let _ = writeln!(out, "\n{note}");
    }
    let mut sections: Vec<&str> = Vec::new();
    for row in rows {
        if !sections.contains(&row.section.as_str()) {
            sections.push(&row.section);
        }
    }
    for section in sections {
        let _ = writeln!(out, "\n### {section}\n");
        let _ = writeln!(
            out,
            "| measure | awsgen | aws-sdk-rust (or as named) | ratio | target | |\n\
             |---|---:|---:|---:|---|---|"
        );
        for row in rows.iter().filter(|r| r.section == section) {
            let ours = cell(row.ours, &row.unit);
            let peer = match (row.peer, row.peer_label.as_str()) {
                (None, _) => "–".to_owned(),
                (Some(s), "aws-sdk-rust" | "-") => cell(Some(s), &row.unit),
                (Some(s), label) => format!("{label}: {}", cell(Some(s), &row.unit)),
            };
            let ratio = row
                .ratio()
                .map_or("–".to_owned(), |r| format!("{}×", number(r)));
            let target = match row.target {
                Target::None => String::new(),
                Target::Ratio(x) => format!("≥ {x}×"),
                Target::Below(x) => format!("< {x} {}", row.unit),
            };
            let verdict = match row.met() {
                Some(true) => "met",
                Some(false) => "**missed**",
                None => "",
            };
            let _ = writeln!(
                out,
                "| {} | {ours} | {peer} | {ratio} | {target} | {verdict} |",
                row.measure
            );
        }
    }
    let _ = write!(out, "\n{END}");
    out
}

fn cell(stats: Option<crate::measure::Stats>, unit: &str) -> String {
    let Some(s) = stats else {
        return "–".to_owned();
    };
    let mut text = format!("{} {unit}", number(s.median));
    if s.n > 1 {
        if number(s.lo) == number(s.hi) {
            let _ = write!(text, " (n={})", s.n);
        } else {
            let _ = write!(text, " ({}–{}, n={})", number(s.lo), number(s.hi), s.n);
        }
    }
    text
}

/// Three significant figures or so; thousands grouped.
fn number(x: f64) -> String {
    let a = x.abs();
    let text = if a >= 100.0 {
        format!("{x:.0}")
    } else if a >= 10.0 {
        format!("{x:.1}")
    } else if a >= 1.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.3}")
    };
    group_thousands(&text)
}

fn group_thousands(text: &str) -> String {
    let (sign, rest) = text.strip_prefix('-').map_or(("", text), |r| ("-", r));
    let (int, frac) = rest
        .split_once('.')
        .map_or((rest, None), |(i, f)| (i, Some(f)));
    if int.len() <= 4 {
        return text.to_owned();
    }
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

fn command_output(program: &str, args: &[&str]) -> Option<String> {
    let output = Command::new(program).args(args).output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

fn now_iso8601() -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    awsgen_runtime::DateTime::from_secs(now).to_iso8601()
}

/// CPU model, CPUs online and usable, RAM: from /proc.
fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let online = cpuinfo
        .lines()
        .filter(|l| l.starts_with("processor"))
        .count();
    let cpu = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map_or("unknown CPU", |(_, model)| model.trim());
    let nproc = std::thread::available_parallelism().map_or(0, |n| n.get());
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let ram_kib: f64 = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    format!(
        "{cpu}; {online} CPUs online ({nproc} usable); {:.1} GiB RAM",
        ram_kib / 1024.0 / 1024.0
    )
}

/// `name version` of each of [`PEER_CRATES`] in the bench workspace's Cargo.lock.
fn peer_versions(lock: &std::path::Path) -> String {
    let Ok(text) = std::fs::read_to_string(lock) else {
        return format!("unknown ({} unreadable)", lock.display());
    };
    let mut found = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let Some(name) = line
            .strip_prefix("name = \"")
            .and_then(|n| n.strip_suffix('"'))
        else {
            continue;
        };
        if PEER_CRATES.contains(&name)
            && let Some(version) = lines
                .next()
                .and_then(|l| l.strip_prefix("version = \""))
                .and_then(|v| v.strip_suffix('"'))
        {
            found.push(format!("{name} {version}"));
        }
    }
    found.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(number(1234567.0), "1,234,567");
        assert_eq!(number(1234.4), "1234");
        assert_eq!(number(15.66), "15.7");
        assert_eq!(number(2.345), "2.35");
        assert_eq!(number(0.5), "0.500");
    }
}
