//! Batches of calls timed by CPU time (all of this process's threads) and wall
//! clock, with allocations counted on the measuring thread.

use std::future::Future;
use std::time::{Duration, Instant};

use crate::alloc;

/// Nanoseconds on CPU of this process, all threads (`CLOCK_PROCESS_CPUTIME_ID`).
///
/// Not `/proc/self/task/*/schedstat`: for a thread that is running, that figure only moves at
/// scheduler ticks (4 ms at 250 Hz), which skews short batches.
pub fn cpu_ns() -> u64 {
    let mut time = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `time` is a valid, writable timespec; the clock id is a constant of this platform.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut time) };
    assert_eq!(status, 0, "clock_gettime(CLOCK_PROCESS_CPUTIME_ID) failed");
    time.tv_sec as u64 * 1_000_000_000 + time.tv_nsec as u64
}

/// How long to warm up and how many batches of how long to time.
#[derive(Clone, Copy)]
pub struct Plan {
    pub warmup: Duration,
    pub batches: usize,
    pub batch_time: Duration,
}

impl Plan {
    pub const FULL: Plan = Plan {
        warmup: Duration::from_millis(1000),
        batches: 20,
        batch_time: Duration::from_millis(300),
    };
    pub const QUICK: Plan = Plan {
        warmup: Duration::from_millis(100),
        batches: 5,
        batch_time: Duration::from_millis(60),
    };
}

/// Median and spread (10th and 90th percentile, nearest rank) of per-batch figures.
#[derive(Clone, Copy, Debug)]
pub struct Stats {
    pub median: f64,
    pub lo: f64,
    pub hi: f64,
    pub n: usize,
}

impl Stats {
    pub fn of(values: &[f64]) -> Stats {
        assert!(!values.is_empty(), "no values to summarize");
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let rank = |p: f64| {
            let r = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
            sorted[r.clamp(1, sorted.len()) - 1]
        };
        Stats {
            median: rank(50.0),
            lo: rank(10.0),
            hi: rank(90.0),
            n: sorted.len(),
        }
    }

    /// `f` applied to each figure; for a decreasing `f` (a rate from a time) the spread flips.
    pub fn map(self, f: impl Fn(f64) -> f64) -> Stats {
        let (a, b) = (f(self.lo), f(self.hi));
        Stats {
            median: f(self.median),
            lo: a.min(b),
            hi: a.max(b),
            n: self.n,
        }
    }
}

/// What one subject's batches measured.
pub struct Sample {
    /// CPU nanoseconds per call, one figure per batch.
    pub cpu_ns_per_call: Vec<f64>,
    pub calls: u64,
    pub wall: Duration,
    pub allocations: u64,
    pub bytes: u64,
}

impl Sample {
    pub fn cpu_us(&self) -> Stats {
        Stats::of(&self.cpu_ns_per_call).map(|ns| ns / 1000.0)
    }

    pub fn calls_per_sec(&self) -> f64 {
        self.calls as f64 / self.wall.as_secs_f64()
    }

    pub fn allocations_per_call(&self) -> f64 {
        self.allocations as f64 / self.calls as f64
    }

    pub fn bytes_per_call(&self) -> f64 {
        self.bytes as f64 / self.calls as f64
    }
}

/// Measures `call(subject)` for each subject, interleaving their batches (A, B, A, B, ...) so
/// that a change in machine load during the run hits every subject alike. Each call's result
/// is checked; the first error ends the run with a message naming the subject.
pub async fn interleaved<S, F, Fut>(
    subjects: &[S],
    plan: Plan,
    call: F,
) -> Result<Vec<Sample>, String>
where
    S: Copy + std::fmt::Debug,
    F: Fn(S) -> Fut,
    Fut: Future<Output = Result<(), String>>,
{
    let mut batch_calls = Vec::with_capacity(subjects.len());
    for &subject in subjects {
        // Warm up (connection, credentials, caches) and learn how long a call takes.
        let start = Instant::now();
        let mut calls = 0u32;
        while calls < 2 || start.elapsed() < plan.warmup {
            call(subject)
                .await
                .map_err(|e| format!("{subject:?}: {e}"))?;
            calls += 1;
        }
        let per_call = start.elapsed() / calls;
        batch_calls.push((plan.batch_time.as_nanos() / per_call.as_nanos().max(1)).max(1) as u64);
    }
    let mut samples: Vec<Sample> = subjects
        .iter()
        .map(|_| Sample {
            cpu_ns_per_call: Vec::with_capacity(plan.batches),
            calls: 0,
            wall: Duration::ZERO,
            allocations: 0,
            bytes: 0,
        })
        .collect();
    for _ in 0..plan.batches {
        for (i, &subject) in subjects.iter().enumerate() {
            let n = batch_calls[i];
            let (allocations, bytes) = alloc::counters();
            let cpu = cpu_ns();
            let wall = Instant::now();
            for _ in 0..n {
                call(subject)
                    .await
                    .map_err(|e| format!("{subject:?}: {e}"))?;
            }
            let wall = wall.elapsed();
            let cpu = cpu_ns() - cpu;
            let (allocations_after, bytes_after) = alloc::counters();
            let sample = &mut samples[i];
            sample.cpu_ns_per_call.push(cpu as f64 / n as f64);
            sample.calls += n;
            sample.wall += wall;
            sample.allocations += allocations_after - allocations;
            sample.bytes += bytes_after - bytes;
        }
    }
    Ok(samples)
}
