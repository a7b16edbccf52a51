//! `sdk-compare calls`: per-call client cost of awsgen's SDKs and aws-sdk-rust, measured in
//! one process against the same canned responses, over a local socket and from memory.
//!
//! Scenarios (each SDK in turn, batches interleaved):
//! - socket and memory: qconnect `GetImportJob` (1.5 KB), qconnect `ListImportJobs` (a page of
//!   100 summaries, 62 KB), personalize `ListDatasetImportJobs` (50 summaries, 14 KB);
//! - memory: a `ListImportJobs` paginator over 1,000 pages of 100 summaries (items/s);
//! - memory: `ListImportJobs` with the 6.2 MB body (MB/s), and the same bytes parsed by
//!   serde_json into hand-written structs.
//!
//! CPU time is the whole process's (all threads, `CLOCK_PROCESS_CPUTIME_ID`); the server runs in
//! a child process, so its time is not counted.

use std::path::PathBuf;
use std::sync::Arc;

use aws_sdk_qconnect::config::{BehaviorVersion, Credentials, Region};
use aws_smithy_types::error::display::DisplayErrorContext;
use bytes::Bytes;

use crate::data::{
    Bodies, DATASET_ARN, KB_LARGE, KB_PAGE, KB_PAGINATE, PAGES, PERSONALIZE_JOBS, data_dir,
};
use crate::measure::{self, Plan, Sample, Stats};
use crate::memory::{OursMemoryClient, PeerMemoryClient};
use crate::row::{Better, Row, Target};
use crate::serde_model;
use crate::server::ServerProcess;

/// Who makes the call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Awsgen,
    AwsSdk,
    /// Not a client: serde_json parsing the body into `serde_model`'s structs.
    SerdeJson,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scenario {
    GetImportJob,
    ListPage,
    Personalize,
    Paginate,
    ListLarge,
}

impl Scenario {
    fn title(self) -> &'static str {
        match self {
            Scenario::GetImportJob => "qconnect GetImportJob (1.5 KB)",
            Scenario::ListPage => "qconnect ListImportJobs, 100 items (62 KB)",
            Scenario::Personalize => "personalize ListDatasetImportJobs, 50 items (14 KB)",
            Scenario::Paginate => "paginator, 1,000 pages × 100 items",
            Scenario::ListLarge => "ListImportJobs 6.2 MB body",
        }
    }
}

struct Clients {
    ours_qconnect: awsgen_qconnect::Client,
    ours_personalize: awsgen_personalize::Client,
    peer_qconnect: aws_sdk_qconnect::Client,
    peer_personalize: aws_sdk_personalize::Client,
}

impl Clients {
    async fn new(endpoint: &str, memory: Option<&Arc<Bodies>>) -> Clients {
        let mut ours = awsgen_runtime::Config::builder()
            .region("us-west-2")
            .endpoint_url(endpoint)
            .credentials(awsgen_runtime::Credentials::new(
                "AKIDEXAMPLE",
                "secret",
                None,
                None,
            ));
        let mut peer = aws_config::defaults(BehaviorVersion::latest())
            .region(Region::new("us-west-2"))
            .endpoint_url(endpoint)
            .credentials_provider(Credentials::new(
                "AKIDEXAMPLE",
                "secret",
                None,
                None,
                "bench",
            ));
        if let Some(bodies) = memory {
            ours = ours.http_client(OursMemoryClient(bodies.clone()));
            peer = peer.http_client(PeerMemoryClient::new(bodies.clone()));
        }
        let ours = ours.build();
        let peer = peer.load().await;
        Clients {
            ours_qconnect: awsgen_qconnect::Client::new(&ours),
            ours_personalize: awsgen_personalize::Client::new(&ours),
            peer_qconnect: aws_sdk_qconnect::Client::new(&peer),
            peer_personalize: aws_sdk_personalize::Client::new(&peer),
        }
    }
}

/// What correct responses hold, taken from the canned bodies.
struct Expected {
    job_id: String,
    page_items: usize,
    large_items: usize,
    large_body: Bytes,
}

fn check_count(what: &str, got: usize, expected: usize) -> Result<(), String> {
    if got == expected {
        Ok(())
    } else {
        Err(format!("{what}: {got} items, expected {expected}"))
    }
}

fn peer_error<E: std::error::Error>(what: &str, e: E) -> String {
    format!("{what} failed: {}", DisplayErrorContext(e))
}

/// One checked call.
async fn call(who: Who, scenario: Scenario, c: &Clients, ex: &Expected) -> Result<(), String> {
    use Scenario::*;
    use Who::*;
    match (who, scenario) {
        (Awsgen, GetImportJob) => {
            let output = c
                .ours_qconnect
                .get_import_job()
                .knowledge_base_id(KB_PAGE)
                .import_job_id(&ex.job_id)
                .send()
                .await
                .map_err(|e| format!("GetImportJob failed: {e}"))?;
            let job = output.import_job.ok_or("GetImportJob: no importJob")?;
            if job.import_job_id.as_deref() != Some(ex.job_id.as_str()) {
                return Err(format!("GetImportJob: unexpected job {job:?}"));
            }
        }
        (AwsSdk, GetImportJob) => {
            let output = c
                .peer_qconnect
                .get_import_job()
                .knowledge_base_id(KB_PAGE)
                .import_job_id(&ex.job_id)
                .send()
                .await
                .map_err(|e| peer_error("GetImportJob", e))?;
            let job = output.import_job().ok_or("GetImportJob: no importJob")?;
            if job.import_job_id() != ex.job_id {
                return Err(format!("GetImportJob: unexpected job {job:?}"));
            }
        }
        (Awsgen, ListPage | ListLarge) => {
            let (kb, items) = page_or_large(scenario, ex);
            let output = c
                .ours_qconnect
                .list_import_jobs()
                .knowledge_base_id(kb)
                .max_results(100)
                .send()
                .await
                .map_err(|e| format!("ListImportJobs failed: {e}"))?;
            let got = output.import_job_summaries.map_or(0, |s| s.len());
            check_count("ListImportJobs", got, items)?;
        }
        (AwsSdk, ListPage | ListLarge) => {
            let (kb, items) = page_or_large(scenario, ex);
            let output = c
                .peer_qconnect
                .list_import_jobs()
                .knowledge_base_id(kb)
                .max_results(100)
                .send()
                .await
                .map_err(|e| peer_error("ListImportJobs", e))?;
            check_count("ListImportJobs", output.import_job_summaries().len(), items)?;
        }
        (SerdeJson, ListLarge) => {
            let response: serde_model::ListImportJobsResponse =
                serde_json::from_slice(std::hint::black_box(&ex.large_body))
                    .map_err(|e| format!("serde_json: {e}"))?;
            let response = std::hint::black_box(response);
            check_count(
                "serde_json",
                response.import_job_summaries.len(),
                ex.large_items,
            )?;
        }
        (Awsgen, Personalize) => {
            let output = c
                .ours_personalize
                .list_dataset_import_jobs()
                .dataset_arn(DATASET_ARN)
                .max_results(PERSONALIZE_JOBS as i32)
                .send()
                .await
                .map_err(|e| format!("ListDatasetImportJobs failed: {e}"))?;
            let jobs = output.dataset_import_jobs.map_or(0, |j| j.len());
            check_count("ListDatasetImportJobs", jobs, PERSONALIZE_JOBS)?;
            output
                .next_token
                .ok_or("ListDatasetImportJobs: no nextToken")?;
        }
        (AwsSdk, Personalize) => {
            let output = c
                .peer_personalize
                .list_dataset_import_jobs()
                .dataset_arn(DATASET_ARN)
                .max_results(PERSONALIZE_JOBS as i32)
                .send()
                .await
                .map_err(|e| peer_error("ListDatasetImportJobs", e))?;
            let jobs = output.dataset_import_jobs().len();
            check_count("ListDatasetImportJobs", jobs, PERSONALIZE_JOBS)?;
            output
                .next_token()
                .ok_or("ListDatasetImportJobs: no nextToken")?;
        }
        (Awsgen, Paginate) => {
            let mut items = c
                .ours_qconnect
                .list_import_jobs()
                .knowledge_base_id(KB_PAGINATE)
                .max_results(100)
                .into_paginator()
                .items();
            let mut n = 0;
            while let Some(item) = items.next().await {
                std::hint::black_box(item.map_err(|e| format!("paginator failed: {e}"))?);
                n += 1;
            }
            check_count("paginator", n, PAGES * ex.page_items)?;
        }
        (AwsSdk, Paginate) => {
            let mut items = c
                .peer_qconnect
                .list_import_jobs()
                .knowledge_base_id(KB_PAGINATE)
                .max_results(100)
                .into_paginator()
                .items()
                .send();
            let mut n = 0;
            while let Some(item) = items.next().await {
                std::hint::black_box(item.map_err(|e| peer_error("paginator", e))?);
                n += 1;
            }
            check_count("paginator", n, PAGES * ex.page_items)?;
        }
        (SerdeJson, _) => unreachable!("serde_json only parses the large body"),
    }
    Ok(())
}

fn page_or_large(scenario: Scenario, ex: &Expected) -> (&'static str, usize) {
    if scenario == Scenario::ListLarge {
        (KB_LARGE, ex.large_items)
    } else {
        (KB_PAGE, ex.page_items)
    }
}

fn summaries_in(body: &[u8], key: &str) -> Result<usize, String> {
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| format!("canned body is not JSON: {e}"))?;
    value[key]
        .as_array()
        .map(Vec::len)
        .ok_or_else(|| format!("canned body has no {key} list"))
}

struct Options {
    quick: bool,
    socket: bool,
    tsv: Option<PathBuf>,
}

fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut options = Options {
        quick: std::env::var("AWSGEN_BENCH_QUICK").is_ok_and(|v| !v.is_empty() && v != "0"),
        socket: true,
        tsv: None,
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--quick" => options.quick = true,
            "--no-socket" => options.socket = false,
            "--tsv" => {
                options.tsv = Some(args.next().ok_or("--tsv needs a file")?.into());
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(options)
}

/// The results rows, in order; `section` is the heading of the rows added next.
struct Collector {
    section: String,
    rows: Vec<Row>,
}

impl Collector {
    /// A row comparing ours with `peer`, a (label, figures) pair.
    fn row(
        &mut self,
        measure: String,
        unit: &str,
        better: Better,
        target: Target,
        ours: Stats,
        (peer_label, peer): (&str, Stats),
    ) {
        self.rows.push(Row {
            section: self.section.clone(),
            measure,
            unit: unit.to_owned(),
            better,
            target,
            ours: Some(ours),
            peer_label: peer_label.to_owned(),
            peer: Some(peer),
        });
    }
}

fn single(value: f64, n: usize) -> Stats {
    Stats {
        median: value,
        lo: value,
        hi: value,
        n,
    }
}

const PEER: &str = "aws-sdk-rust";

fn per_call_rows(out: &mut Collector, scenario: Scenario, samples: &[Sample]) {
    let (ours, peer) = (&samples[0], &samples[1]);
    let title = scenario.title();
    out.row(
        format!("{title}: CPU per call"),
        "µs",
        Better::Lower,
        Target::Ratio(2.0),
        ours.cpu_us(),
        (PEER, peer.cpu_us()),
    );
    out.row(
        format!("{title}: calls per second (wall clock)"),
        "calls/s",
        Better::Higher,
        Target::None,
        single(ours.calls_per_sec(), ours.cpu_ns_per_call.len()),
        (
            PEER,
            single(peer.calls_per_sec(), peer.cpu_ns_per_call.len()),
        ),
    );
    out.row(
        format!("{title}: allocations per call"),
        "allocs",
        Better::Lower,
        Target::None,
        single(ours.allocations_per_call(), 1),
        (PEER, single(peer.allocations_per_call(), 1)),
    );
    out.row(
        format!("{title}: bytes allocated per call"),
        "bytes",
        Better::Lower,
        Target::None,
        single(ours.bytes_per_call(), 1),
        (PEER, single(peer.bytes_per_call(), 1)),
    );
}

fn progress(title: &str, transport: &str, samples: &[Sample], who: &[Who]) {
    let parts: Vec<String> = samples
        .iter()
        .zip(who)
        .map(|(s, w)| {
            format!(
                "{w:?} {:.1} µs CPU/call, {:.0} allocs/call",
                s.cpu_us().median,
                s.allocations_per_call()
            )
        })
        .collect();
    eprintln!("  {title} [{transport}]: {}", parts.join("; "));
}

pub fn main(args: &[String]) -> Result<(), String> {
    if !cfg!(target_os = "linux") {
        return Err(
            "the call benchmarks are Linux only (process CPU clock, /proc for the report)"
                .to_owned(),
        );
    }
    let options = parse_args(args)?;
    let plan = if options.quick {
        Plan::QUICK
    } else {
        Plan::FULL
    };
    let dir = data_dir()?;
    let bodies = Arc::new(Bodies::load(&dir)?);
    let expected = Expected {
        job_id: serde_json::from_slice::<serde_json::Value>(&bodies.get_import_job)
            .map_err(|e| format!("get_import_job.json: {e}"))?["importJob"]["importJobId"]
            .as_str()
            .ok_or("get_import_job.json has no importJob.importJobId")?
            .to_owned(),
        page_items: summaries_in(&bodies.list_page, "importJobSummaries")?,
        large_items: summaries_in(&bodies.list_large, "importJobSummaries")?,
        large_body: bodies.list_large.clone(),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("client runtime: {e}"))?;
    let memory = runtime.block_on(Clients::new("http://localhost", Some(&bodies)));
    let mut out = Collector {
        section: String::new(),
        rows: Vec::new(),
    };
    let pair = [Who::Awsgen, Who::AwsSdk];
    let mode = if options.quick { "quick" } else { "full" };
    eprintln!(
        "sdk-compare calls ({mode}): {} batches per subject",
        plan.batches
    );

    let per_call = [
        Scenario::GetImportJob,
        Scenario::ListPage,
        Scenario::Personalize,
    ];
    if options.socket {
        let server = ServerProcess::start(&dir)?;
        let socket = runtime.block_on(Clients::new(
            &format!("http://127.0.0.1:{}", server.port),
            None,
        ));
        out.section = "Per call, local HTTP server (socket)".to_owned();
        for scenario in per_call {
            let samples = runtime.block_on(measure::interleaved(&pair, plan, |who| {
                call(who, scenario, &socket, &expected)
            }))?;
            progress(scenario.title(), "socket", &samples, &pair);
            per_call_rows(&mut out, scenario, &samples);
        }
    }
    out.section = "Per call, in-memory HTTP client".to_owned();
    for scenario in per_call {
        let samples = runtime.block_on(measure::interleaved(&pair, plan, |who| {
            call(who, scenario, &memory, &expected)
        }))?;
        progress(scenario.title(), "memory", &samples, &pair);
        per_call_rows(&mut out, scenario, &samples);
    }

    out.section = "Throughput, in-memory HTTP client".to_owned();
    let scenario = Scenario::Paginate;
    // A call here is a whole run of 1,000 pages: batches of one call.
    let paginate_plan = Plan {
        batches: if options.quick { 2 } else { 10 },
        batch_time: std::time::Duration::ZERO,
        ..plan
    };
    let samples = runtime.block_on(measure::interleaved(&pair, paginate_plan, |who| {
        call(who, scenario, &memory, &expected)
    }))?;
    progress(scenario.title(), "memory", &samples, &pair);
    let items = (PAGES * expected.page_items) as f64;
    let items_per_sec = |s: &Sample| Stats::of(&s.cpu_ns_per_call).map(|ns| items / (ns / 1e9));
    out.row(
        format!("{}: items per CPU-second", scenario.title()),
        "items/s",
        Better::Higher,
        Target::Ratio(2.0),
        items_per_sec(&samples[0]),
        (PEER, items_per_sec(&samples[1])),
    );
    out.row(
        format!("{}: allocations per item", scenario.title()),
        "allocs",
        Better::Lower,
        Target::None,
        single(samples[0].allocations_per_call() / items, 1),
        (PEER, single(samples[1].allocations_per_call() / items, 1)),
    );

    let scenario = Scenario::ListLarge;
    let three = [Who::Awsgen, Who::AwsSdk, Who::SerdeJson];
    let samples = runtime.block_on(measure::interleaved(&three, plan, |who| {
        call(who, scenario, &memory, &expected)
    }))?;
    progress(scenario.title(), "memory", &samples, &three);
    let mb = expected.large_body.len() as f64 / 1e6;
    let mb_per_sec = |s: &Sample| Stats::of(&s.cpu_ns_per_call).map(|ns| mb / (ns / 1e9));
    let (ours, peer, serde) = (
        mb_per_sec(&samples[0]),
        mb_per_sec(&samples[1]),
        mb_per_sec(&samples[2]),
    );
    out.row(
        format!("{}: whole call, MB per CPU-second", scenario.title()),
        "MB/s",
        Better::Higher,
        Target::Ratio(2.0),
        ours,
        (PEER, peer),
    );
    out.row(
        format!(
            "{}: whole call vs bare serde_json parse, MB per CPU-second",
            scenario.title()
        ),
        "MB/s",
        Better::Higher,
        Target::Ratio(0.8),
        ours,
        ("serde_json, hand-written structs", serde),
    );
    out.row(
        format!("{}: allocations per call", scenario.title()),
        "allocs",
        Better::Lower,
        Target::None,
        single(samples[0].allocations_per_call(), 1),
        (PEER, single(samples[1].allocations_per_call(), 1)),
    );
    out.row(
        format!("{}: allocations per parse", scenario.title()),
        "allocs",
        Better::Lower,
        Target::None,
        single(samples[0].allocations_per_call(), 1),
        (
            "serde_json, hand-written structs",
            single(samples[2].allocations_per_call(), 1),
        ),
    );

    let text: String = out.rows.iter().map(|r| r.to_tsv() + "\n").collect();
    match &options.tsv {
        Some(path) => {
            use std::io::Write;
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .and_then(|mut f| f.write_all(text.as_bytes()))
                .map_err(|e| format!("cannot append to {}: {e}", path.display()))?;
        }
        None => print!("{text}"),
    }
    Ok(())
}
