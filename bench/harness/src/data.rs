//! The canned response bodies and the one routing function that both the local server and the
//! in-memory HTTP clients answer with, so that every SDK parses the same bytes.

use std::path::{Path, PathBuf};

use bytes::Bytes;

/// Knowledge base whose `ListImportJobs` answers `list_page.json` (100 summaries).
pub const KB_PAGE: &str = "8c1f3a52-4b6d-4e8f-9a0b-1c2d3e4f5a6b";
/// Knowledge base whose `ListImportJobs` answers `list_large.json` (10,000 summaries, 6.2 MB).
pub const KB_LARGE: &str = "0d9c8b7a-6f5e-4d3c-8b2a-1f0e9d8c7b6a";
/// Knowledge base whose `ListImportJobs` pages through [`PAGES`] copies of `list_page.json`.
pub const KB_PAGINATE: &str = "5e4d3c2b-1a09-4f8e-b7d6-c5b4a3928170";
pub const DATASET_ARN: &str =
    "arn:aws:personalize:us-west-2:123456789012:dataset/movies/INTERACTIONS";
/// Pages the paginator scenario walks through.
pub const PAGES: usize = 1000;
pub const PERSONALIZE_JOBS: usize = 50;
const REQUEST_ID: &str = "2f8e1c52-7a1b-4c3d-9e0f-5a6b7c8d9e0f";

/// The bench-data folder: `$AWSGEN_SHARED_DIR/bench-data` (or that folder itself) when the
/// variable is set, otherwise `shared/bench-data` beside the repository.
pub fn data_dir() -> Result<PathBuf, String> {
    let tried = match std::env::var_os("AWSGEN_SHARED_DIR").filter(|v| !v.is_empty()) {
        Some(shared) => {
            let shared = PathBuf::from(shared);
            vec![shared.join("bench-data"), shared]
        }
        None => vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/bench-data")],
    };
    tried
        .iter()
        .find(|dir| dir.join("get_import_job.json").is_file())
        .cloned()
        .ok_or_else(|| {
            format!(
                "the shared bench data (get_import_job.json, list_page.json, list_large.json) \
                 is missing; looked in {}. Set AWSGEN_SHARED_DIR to the shared folder (the one \
                 holding bench-data/).",
                tried
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
}

fn read(dir: &Path, name: &str) -> Result<Bytes, String> {
    let path = dir.join(name);
    std::fs::read(&path)
        .map(Bytes::from)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// Every body the fake service answers with.
pub struct Bodies {
    pub get_import_job: Bytes,
    pub list_page: Bytes,
    pub list_large: Bytes,
    pub personalize: Bytes,
    /// Page `n` of the paginator scenario: `list_page.json` with `"nextToken":"p<n+1>"`, and
    /// no token on the last page (as `gen_data.py` describes).
    pub pages: Vec<Bytes>,
}

impl Bodies {
    pub fn load(dir: &Path) -> Result<Bodies, String> {
        let list_page = read(dir, "list_page.json")?;
        let text = std::str::from_utf8(&list_page).map_err(|e| format!("list_page.json: {e}"))?;
        let (items, _) = text
            .rsplit_once(r#","nextToken":"p1"}"#)
            .filter(|(_, rest)| rest.trim().is_empty())
            .ok_or("list_page.json does not end with \"nextToken\":\"p1\"}")?;
        let pages = (0..PAGES)
            .map(|n| {
                Bytes::from(if n + 1 == PAGES {
                    format!("{items}}}")
                } else {
                    format!(r#"{items},"nextToken":"p{}"}}"#, n + 1)
                })
            })
            .collect();
        Ok(Bodies {
            get_import_job: read(dir, "get_import_job.json")?,
            list_page,
            list_large: read(dir, "list_large.json")?,
            personalize: personalize_page(),
            pages,
        })
    }

    /// The body for a request, from its method, path (with query) and `X-Amz-Target`; `None`
    /// for a request no scenario makes.
    pub fn answer(
        &self,
        method: &str,
        path_and_query: &str,
        target: Option<&str>,
    ) -> Option<Bytes> {
        let (path, query) = path_and_query
            .split_once('?')
            .unwrap_or((path_and_query, ""));
        match (method, target) {
            ("POST", Some("AmazonPersonalize.ListDatasetImportJobs")) => {
                Some(self.personalize.clone())
            }
            ("GET", None) => {
                let rest = path.strip_prefix("/knowledgeBases/")?;
                let (kb, tail) = rest.split_once('/')?;
                match tail {
                    "importJobs" => match kb {
                        KB_PAGE => Some(self.list_page.clone()),
                        KB_LARGE => Some(self.list_large.clone()),
                        KB_PAGINATE => {
                            let page = query
                                .split('&')
                                .find_map(|pair| pair.strip_prefix("nextToken=p"))
                                .map_or(Some(0), |n| n.parse::<usize>().ok())?;
                            self.pages.get(page).cloned()
                        }
                        _ => None,
                    },
                    _ if tail.starts_with("importJobs/") => Some(self.get_import_job.clone()),
                    _ => None,
                }
            }
            _ => None,
        }
    }
}

/// What every response carries besides its body.
pub const RESPONSE_HEADERS: [(&str, &str); 2] = [
    ("content-type", "application/json"),
    ("x-amzn-requestid", REQUEST_ID),
];

/// A `ListDatasetImportJobs` page of [`PERSONALIZE_JOBS`] summaries, the same bytes every run
/// (and the same as sdk-tests' client_calls bench).
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
