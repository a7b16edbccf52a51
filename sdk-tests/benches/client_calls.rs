//! Per-call client cost of the generated SDK against a local HTTP/1.1 server: build the input,
//! validate, serialize, resolve the endpoint, sign, send on a reused keep-alive connection,
//! read and parse the response.
//!
//! ```text
//! cargo bench -p sdk-tests --bench client_calls              # full run (~1 min on 2 cores)
//! cargo bench -p sdk-tests --bench client_calls -- --quick   # smoke run (~5 s)
//! ```
//!
//! `AWSGEN_BENCH_QUICK=1` is the same as `--quick`. Other arguments not starting with `--`
//! select scenarios whose name contains them. Run without `--bench` (as `cargo test --benches`
//! and `cargo test --all-targets` do) it only makes a couple of calls per scenario and checks
//! them.
//!
//! The server runs in a separate process (this binary, re-executed with
//! `AWSGEN_BENCH_SERVER=1`) so that the CPU time measured here is the client's alone. The CPU
//! time comes from `/proc/self/task/*/schedstat` (nanoseconds on CPU, summed over this
//! process's threads): **Linux only**. Allocations are counted by a global allocator wrapper in
//! this binary (on the client's thread); `realloc` counts as one allocation of its new size (as dhat
//! does).
//!
//! The client's CPU per call depends on where the server runs: on a VM, waking the server's
//! idle CPU for every request (and being woken back) costs the client far more than the
//! pipeline itself, so an idle 2-CPU machine shows *higher* numbers than a busy one. For
//! numbers that compare across runs, put client and server on one CPU:
//! `taskset -c 0 cargo bench -p sdk-tests --bench client_calls` (calls/s then includes the
//! server's time).
//!
//! Response bodies: `get_import_job.json`, `list_page.json` and `list_large.json` from the
//! shared `bench-data/` folder (`$AWSGEN_SHARED_DIR/bench-data`, or
//! `<CARGO_MANIFEST_DIR>/../../shared/bench-data`), read at run time; the Personalize page (50
//! summaries) is generated here, deterministically.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;

// ---------------------------------------------------------------------------------------------
// Allocation counting.

struct CountingAllocator;

thread_local! {
    // Per-thread plain counters: an atomic read-modify-write per allocation would add ~10% to
    // the CPU time of allocation-heavy calls. The client runs on this process's only thread
    // (a current-thread runtime), which reads these; `const` and `Copy` contents: no lazy
    // initialization and no destructor, so they are safe to touch from the allocator.
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
    static ALLOCATED_BYTES: Cell<u64> = const { Cell::new(0) };
}

fn count(size: usize) {
    // `try_with`: a thread being torn down may still allocate.
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
    let _ = ALLOCATED_BYTES.try_with(|n| n.set(n.get() + size as u64));
}

// SAFETY: every method forwards to the system allocator with the caller's arguments unchanged.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        // SAFETY: forwarded unchanged; the caller upholds `GlobalAlloc::alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        // SAFETY: as above.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size);
        // SAFETY: as above.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator;

/// Allocations and bytes allocated so far by this thread.
fn allocation_counters() -> (u64, u64) {
    (ALLOCATIONS.get(), ALLOCATED_BYTES.get())
}

// ---------------------------------------------------------------------------------------------
// CPU time from /proc.

/// Nanoseconds on CPU of every live thread of process `pid` ("self" for this one): the first
/// field of each `/proc/<pid>/task/<tid>/schedstat`.
fn cpu_ns(pid: &str) -> u64 {
    let tasks = std::fs::read_dir(format!("/proc/{pid}/task"))
        .unwrap_or_else(|e| panic!("cannot list /proc/{pid}/task: {e}"));
    let mut total = 0;
    for task in tasks.flatten() {
        let path = task.path().join("schedstat");
        // A thread may exit between the listing and the read.
        if let Ok(text) = std::fs::read_to_string(&path) {
            total += text
                .split_whitespace()
                .next()
                .and_then(|n| n.parse::<u64>().ok())
                .unwrap_or_else(|| panic!("unexpected {}: {text:?}", path.display()));
        }
    }
    total
}

fn thread_count() -> usize {
    std::fs::read_dir("/proc/self/task").map_or(0, |d| d.count())
}

// ---------------------------------------------------------------------------------------------
// Canned responses.

const SERVER_ENV: &str = "AWSGEN_BENCH_SERVER";
const DATA_DIR_ENV: &str = "AWSGEN_BENCH_DATA_DIR";

const KB_PAGE: &str = "8c1f3a52-4b6d-4e8f-9a0b-1c2d3e4f5a6b";
const KB_LARGE: &str = "0d9c8b7a-6f5e-4d3c-8b2a-1f0e9d8c7b6a";
const DATASET_ARN: &str = "arn:aws:personalize:us-west-2:123456789012:dataset/movies/INTERACTIONS";
const PERSONALIZE_JOBS: usize = 50;

/// The bench-data folder, or a clear message of where it was looked for: under
/// `$AWSGEN_SHARED_DIR` when that is set (`bench-data/` in it, or the folder itself), otherwise
/// `<CARGO_MANIFEST_DIR>/../../shared/bench-data`.
fn data_dir() -> Result<PathBuf, String> {
    let tried = match std::env::var_os("AWSGEN_SHARED_DIR").filter(|v| !v.is_empty()) {
        Some(shared) => {
            let shared = PathBuf::from(shared);
            vec![shared.join("bench-data"), shared]
        }
        None => vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/bench-data")],
    };
    for dir in &tried {
        if dir.join("get_import_job.json").is_file() {
            return Ok(dir.clone());
        }
    }
    Err(format!(
        "client_calls bench: the shared bench data (get_import_job.json, list_page.json, \
         list_large.json) is missing; looked in {}. Set AWSGEN_SHARED_DIR to the shared folder \
         (the one holding bench-data/).",
        tried
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

fn read_data(dir: &Path, name: &str) -> Bytes {
    let path = dir.join(name);
    match std::fs::read(&path) {
        Ok(bytes) => Bytes::from(bytes),
        Err(e) => {
            eprintln!(
                "client_calls bench: cannot read {}: {e} (the shared bench data is incomplete)",
                path.display()
            );
            std::process::exit(2);
        }
    }
}

/// A `ListDatasetImportJobs` page of [`PERSONALIZE_JOBS`] summaries, the same bytes every run.
fn personalize_page() -> Bytes {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        // xorshift64*
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_f491_4f6c_dd1d)
    };
    let datasets = ["movies", "music", "retail", "news"];
    let mut jobs = Vec::with_capacity(PERSONALIZE_JOBS);
    for i in 0..PERSONALIZE_JOBS {
        let dataset = datasets[(next() % 4) as usize];
        let created = 1_700_000_000 + next() % 30_000_000;
        let created_ms = next() % 1000;
        let updated = created + next() % 7200;
        let updated_ms = next() % 1000;
        let name = format!("{dataset}-import-{i:04}-{:08x}", next() as u32);
        let mode = if next() % 3 == 0 {
            "INCREMENTAL"
        } else {
            "FULL"
        };
        let (status, failure) = match next() % 10 {
            0 => (
                "CREATE FAILED",
                r#","failureReason":"Input CSV has 3 columns, but the schema expects 4: USER_ID, ITEM_ID, TIMESTAMP, EVENT_TYPE""#,
            ),
            1 => ("CREATE IN_PROGRESS", ""),
            2 => ("CREATE PENDING", ""),
            _ => ("ACTIVE", ""),
        };
        jobs.push(format!(
            r#"{{"datasetImportJobArn":"arn:aws:personalize:us-west-2:123456789012:dataset-import-job/{name}","jobName":"{name}","status":"{status}","creationDateTime":{created}.{created_ms:03},"lastUpdatedDateTime":{updated}.{updated_ms:03}{failure},"importMode":"{mode}"}}"#
        ));
    }
    Bytes::from(format!(
        r#"{{"datasetImportJobs":[{}],"nextToken":"eyJkYXRhc2V0QXJuIjoibW92aWVzIiwicGFnZSI6Mn0="}}"#,
        jobs.join(",")
    ))
}

// ---------------------------------------------------------------------------------------------
// The server process.

struct Bodies {
    get_import_job: Bytes,
    list_page: Bytes,
    list_large: Bytes,
    personalize: Bytes,
}

fn run_server() {
    let dir = PathBuf::from(std::env::var_os(DATA_DIR_ENV).expect("the data folder is passed"));
    let bodies = Arc::new(Bodies {
        get_import_job: read_data(&dir, "get_import_job.json"),
        list_page: read_data(&dir, "list_page.json"),
        list_large: read_data(&dir, "list_large.json"),
        personalize: personalize_page(),
    });
    // The parent closes our stdin when it ends, even if it panics: exit then.
    std::thread::spawn(|| {
        let _ = std::io::stdin().read_to_end(&mut Vec::new());
        std::process::exit(0);
    });
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("server runtime");
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let port = listener.local_addr().expect("local address").port();
        let mut stdout = std::io::stdout();
        writeln!(stdout, "{port}").expect("write the port");
        stdout.flush().expect("flush the port");
        loop {
            let (stream, _) = listener.accept().await.expect("accept");
            let _ = stream.set_nodelay(true);
            let bodies = bodies.clone();
            tokio::spawn(async move {
                let service = service_fn(move |request| answer(bodies.clone(), request));
                let _ = http1::Builder::new()
                    .keep_alive(true)
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
}

async fn answer(
    bodies: Arc<Bodies>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, std::io::Error> {
    let (parts, body) = request.into_parts();
    // Read the whole request so that the connection stays reusable.
    let _ = body.collect().await;
    let path = parts.uri.path();
    let target = parts
        .headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok());
    let (content_type, body) = match (parts.method.as_str(), target) {
        ("POST", Some("AmazonPersonalize.ListDatasetImportJobs")) => {
            ("application/x-amz-json-1.1", bodies.personalize.clone())
        }
        ("GET", None) if path == format!("/knowledgeBases/{KB_PAGE}/importJobs") => {
            ("application/json", bodies.list_page.clone())
        }
        ("GET", None) if path == format!("/knowledgeBases/{KB_LARGE}/importJobs") => {
            ("application/json", bodies.list_large.clone())
        }
        ("GET", None) if path.starts_with(&format!("/knowledgeBases/{KB_PAGE}/importJobs/")) => {
            ("application/json", bodies.get_import_job.clone())
        }
        _ => {
            return Ok(Response::builder()
                .status(404)
                .header("content-type", "application/json")
                .header("x-amzn-errortype", "ResourceNotFoundException")
                .body(Full::new(Bytes::from_static(
                    br#"{"message":"the bench server has no answer for this request"}"#,
                )))
                .expect("valid response"));
        }
    };
    Ok(Response::builder()
        .status(200)
        .header("content-type", content_type)
        .header("x-amzn-requestid", "2f8e1c52-7a1b-4c3d-9e0f-5a6b7c8d9e0f")
        .body(Full::new(body))
        .expect("valid response"))
}

/// The server child; killed when dropped.
struct ServerProcess {
    child: Child,
    port: u16,
}

impl ServerProcess {
    fn start(data_dir: &Path) -> ServerProcess {
        let exe = std::env::current_exe().expect("the bench binary's path");
        let mut child = Command::new(exe)
            .env(SERVER_ENV, "1")
            .env(DATA_DIR_ENV, data_dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the server process");
        let mut line = String::new();
        BufReader::new(child.stdout.as_mut().expect("piped stdout"))
            .read_line(&mut line)
            .expect("read the server's port");
        let port = line.trim().parse().unwrap_or_else(|_| {
            let _ = child.kill();
            panic!("the server process did not print its port (got {line:?})")
        });
        ServerProcess { child, port }
    }

    fn cpu_ns(&self) -> u64 {
        cpu_ns(&self.child.id().to_string())
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------------------------------------
// Scenarios.

#[derive(Clone, Copy, PartialEq, Eq)]
enum Scenario {
    GetImportJob,
    ListImportJobsPage,
    PersonalizeList,
    ListImportJobsLarge,
}

impl Scenario {
    const ALL: [Scenario; 4] = [
        Scenario::GetImportJob,
        Scenario::ListImportJobsPage,
        Scenario::PersonalizeList,
        Scenario::ListImportJobsLarge,
    ];

    fn name(self) -> &'static str {
        match self {
            Scenario::GetImportJob => "qconnect GetImportJob (1.5 KB)",
            Scenario::ListImportJobsPage => "qconnect ListImportJobs (62 KB)",
            Scenario::PersonalizeList => "personalize ListDatasetImportJobs (14 KB)",
            Scenario::ListImportJobsLarge => "qconnect ListImportJobs (6.2 MB)",
        }
    }
}

struct Clients {
    qconnect: awsgen_qconnect::Client,
    personalize: awsgen_personalize::Client,
}

/// What a correct response holds, taken from the canned bodies.
struct Expected {
    job_id: String,
    page_items: usize,
    large_items: usize,
    personalize_items: usize,
    sizes: [usize; 4],
}

fn parse_json(body: &[u8]) -> serde_json::Value {
    serde_json::from_slice(body).expect("canned body is JSON")
}

fn summaries_in(body: &[u8], key: &str) -> usize {
    parse_json(body)[key].as_array().map_or(0, Vec::len)
}

/// One call of `scenario`, checked; the error says what was wrong.
async fn call(scenario: Scenario, clients: &Clients, expected: &Expected) -> Result<(), String> {
    match scenario {
        Scenario::GetImportJob => {
            let output = clients
                .qconnect
                .get_import_job()
                .knowledge_base_id(KB_PAGE)
                .import_job_id(&expected.job_id)
                .send()
                .await
                .map_err(|e| format!("GetImportJob failed: {e}"))?;
            let job = output.import_job.ok_or("GetImportJob: no importJob")?;
            if job.import_job_id.as_ref() != Some(&expected.job_id) || job.url.is_none() {
                return Err(format!("GetImportJob: unexpected job {job:?}"));
            }
        }
        Scenario::ListImportJobsPage | Scenario::ListImportJobsLarge => {
            let (kb, items) = if scenario == Scenario::ListImportJobsPage {
                (KB_PAGE, expected.page_items)
            } else {
                (KB_LARGE, expected.large_items)
            };
            let output = clients
                .qconnect
                .list_import_jobs()
                .knowledge_base_id(kb)
                .max_results(100)
                .send()
                .await
                .map_err(|e| format!("ListImportJobs failed: {e}"))?;
            let summaries = output.import_job_summaries.unwrap_or_default();
            if summaries.len() != items {
                return Err(format!(
                    "ListImportJobs: {} summaries, expected {items}",
                    summaries.len()
                ));
            }
        }
        Scenario::PersonalizeList => {
            let output = clients
                .personalize
                .list_dataset_import_jobs()
                .dataset_arn(DATASET_ARN)
                .max_results(PERSONALIZE_JOBS as i32)
                .send()
                .await
                .map_err(|e| format!("ListDatasetImportJobs failed: {e}"))?;
            let jobs = output.dataset_import_jobs.unwrap_or_default();
            if jobs.len() != expected.personalize_items || output.next_token.is_none() {
                return Err(format!(
                    "ListDatasetImportJobs: {} jobs, expected {}",
                    jobs.len(),
                    expected.personalize_items
                ));
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Measurement.

#[derive(Clone, Copy)]
enum Mode {
    /// `cargo bench`: about a minute in all.
    Full,
    /// `--quick`: a few seconds.
    Quick,
    /// Run without `--bench` (by `cargo test`): a couple of checked calls per scenario.
    Test,
}

struct Plan {
    warmup: Duration,
    min_warmup_calls: u32,
    batches: usize,
    batch_time: Duration,
}

impl Mode {
    fn plan(self) -> Plan {
        match self {
            Mode::Full => Plan {
                warmup: Duration::from_millis(1000),
                min_warmup_calls: 3,
                batches: 30,
                batch_time: Duration::from_millis(350),
            },
            Mode::Quick => Plan {
                warmup: Duration::from_millis(150),
                min_warmup_calls: 2,
                batches: 10,
                batch_time: Duration::from_millis(80),
            },
            Mode::Test => Plan {
                warmup: Duration::ZERO,
                min_warmup_calls: 1,
                batches: 2,
                batch_time: Duration::ZERO,
            },
        }
    }
}

struct Measurement {
    cpu_us_per_call: Vec<f64>,
    calls: u64,
    wall: Duration,
    allocations: u64,
    bytes: u64,
    server_cpu_ns: u64,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    // Nearest rank.
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

async fn measure(
    scenario: Scenario,
    clients: &Clients,
    expected: &Expected,
    server: &ServerProcess,
    plan: &Plan,
) -> Measurement {
    let check = |result: Result<(), String>| {
        if let Err(problem) = result {
            panic!("{}: {problem}", scenario.name());
        }
    };
    // Warm up (connection, credentials, caches), and learn how long a call takes.
    let start = Instant::now();
    let mut warmup_calls = 0u32;
    while warmup_calls < plan.min_warmup_calls || start.elapsed() < plan.warmup {
        check(call(scenario, clients, expected).await);
        warmup_calls += 1;
    }
    let per_call = start.elapsed() / warmup_calls;
    let batch_calls = (plan.batch_time.as_nanos() / per_call.as_nanos().max(1)).max(1) as u64;

    let mut cpu_us_per_call = Vec::with_capacity(plan.batches);
    let mut wall = Duration::ZERO;
    let (mut allocations, mut bytes) = (0, 0);
    let server_start = server.cpu_ns();
    for _ in 0..plan.batches {
        let (allocations_before, bytes_before) = allocation_counters();
        let cpu_before = cpu_ns("self");
        let wall_before = Instant::now();
        for _ in 0..batch_calls {
            check(call(scenario, clients, expected).await);
        }
        wall += wall_before.elapsed();
        let cpu = cpu_ns("self") - cpu_before;
        let (allocations_after, bytes_after) = allocation_counters();
        allocations += allocations_after - allocations_before;
        bytes += bytes_after - bytes_before;
        cpu_us_per_call.push(cpu as f64 / 1000.0 / batch_calls as f64);
    }
    Measurement {
        cpu_us_per_call,
        calls: batch_calls * plan.batches as u64,
        wall,
        allocations,
        bytes,
        server_cpu_ns: server.cpu_ns() - server_start,
    }
}

// ---------------------------------------------------------------------------------------------
// Report.

fn command_output(program: &str, args: &[&str]) -> Option<String> {
    let output = Command::new(program).args(args).output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

fn header(mode: Mode, user_args: &[String]) -> String {
    // `nproc`: the CPUs this process may run on (fewer than online under `taskset`).
    let nproc = std::thread::available_parallelism().map_or(0, |n| n.get());
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
    let rustc = command_output("rustc", &["-V"]).unwrap_or_else(|| "rustc unknown".to_owned());
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let date = awsgen_runtime::DateTime::from_secs(now).to_iso8601();
    let mut command = match mode {
        Mode::Test => "cargo test -p sdk-tests --benches (no --bench argument)",
        Mode::Full | Mode::Quick => "cargo bench -p sdk-tests --bench client_calls",
    }
    .to_owned();
    if !user_args.is_empty() {
        command.push_str(" -- ");
        command.push_str(&user_args.join(" "));
    }
    let mode = match mode {
        Mode::Full => "full",
        Mode::Quick => "quick",
        Mode::Test => "test (not run with --bench: checks only, no meaningful numbers)",
    };
    format!(
        "# machine: nproc {nproc} of {online} online CPUs ({cpu}); {rustc}; {date}\n\
         # command: {command}\n# mode: {mode}"
    )
}

fn main() {
    if std::env::var_os(SERVER_ENV).is_some() {
        run_server();
        return;
    }
    if !cfg!(target_os = "linux") {
        eprintln!("client_calls bench: skipped, it reads CPU time from /proc (Linux only)");
        return;
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    let bench = args.iter().any(|a| a == "--bench");
    let quick = args.iter().any(|a| a == "--quick")
        || std::env::var("AWSGEN_BENCH_QUICK").is_ok_and(|v| !v.is_empty() && v != "0");
    let mode = match (bench, quick) {
        (false, _) => Mode::Test,
        (true, true) => Mode::Quick,
        (true, false) => Mode::Full,
    };
    let filters: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let user_args: Vec<String> = args.iter().filter(|a| *a != "--bench").cloned().collect();

    let data_dir = data_dir().unwrap_or_else(|message| {
        eprintln!("{message}");
        std::process::exit(2);
    });
    let get_import_job = read_data(&data_dir, "get_import_job.json");
    let list_page = read_data(&data_dir, "list_page.json");
    let list_large = read_data(&data_dir, "list_large.json");
    let personalize = personalize_page();
    let expected = Expected {
        job_id: parse_json(&get_import_job)["importJob"]["importJobId"]
            .as_str()
            .expect("get_import_job.json has importJob.importJobId")
            .to_owned(),
        page_items: summaries_in(&list_page, "importJobSummaries"),
        large_items: summaries_in(&list_large, "importJobSummaries"),
        personalize_items: summaries_in(&personalize, "datasetImportJobs"),
        sizes: [
            get_import_job.len(),
            list_page.len(),
            personalize.len(),
            list_large.len(),
        ],
    };
    assert_eq!(expected.personalize_items, PERSONALIZE_JOBS);
    drop((get_import_job, list_page, list_large, personalize));

    let server = ServerProcess::start(&data_dir);
    let config = awsgen_runtime::Config::builder()
        .region("us-west-2")
        .endpoint_url(format!("http://127.0.0.1:{}", server.port))
        .credentials(awsgen_runtime::Credentials::new(
            "AKIDEXAMPLE",
            "secret",
            None,
            None,
        ))
        .build();
    let clients = Clients {
        qconnect: awsgen_qconnect::Client::new(&config),
        personalize: awsgen_personalize::Client::new(&config),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("client runtime");

    println!("{}", header(mode, &user_args));
    println!(
        "{:<42} {:>28} {:>10} {:>13} {:>12}",
        "scenario", "cpu µs/call (median, p90)", "calls/s", "allocs/call", "bytes/call"
    );
    let plan = mode.plan();
    let mut notes = Vec::new();
    for (index, scenario) in Scenario::ALL.into_iter().enumerate() {
        if !filters.is_empty() && !filters.iter().any(|f| scenario.name().contains(f.as_str())) {
            continue;
        }
        let m = runtime.block_on(measure(scenario, &clients, &expected, &server, &plan));
        let mut sorted = m.cpu_us_per_call.clone();
        sorted.sort_by(f64::total_cmp);
        let median = percentile(&sorted, 50.0);
        let p90 = percentile(&sorted, 90.0);
        let calls = m.calls as f64;
        let calls_per_sec = calls / m.wall.as_secs_f64();
        println!(
            "{:<42} {:>28} {:>10.0} {:>13.1} {:>12.0}",
            scenario.name(),
            format!("{median:.1}, {p90:.1}"),
            calls_per_sec,
            m.allocations as f64 / calls,
            m.bytes as f64 / calls,
        );
        let size = expected.sizes[index] as f64;
        let server_us = m.server_cpu_ns as f64 / 1000.0 / calls;
        notes.push(format!(
            "#   {}: {} calls in {} batches; response {:.1} KB; server process {server_us:.1} µs CPU/call",
            scenario.name(),
            m.calls,
            m.cpu_us_per_call.len(),
            size / 1024.0,
        ));
        if scenario == Scenario::ListImportJobsLarge {
            notes.push(format!(
                "#   {}: {:.1} MB/s wall-clock (whole call), {:.1} MB/s per client CPU-second (median)",
                scenario.name(),
                size * calls_per_sec / 1e6,
                size / median,
            ));
        }
    }
    println!(
        "# notes (client CPU summed over this process's threads: {} now; MB = 10^6 bytes):",
        thread_count()
    );
    for note in notes {
        println!("{note}");
    }
    drop(server);
}
