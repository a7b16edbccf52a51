//! The AWS partitions data behind `aws.partition`.
//!
//! A copy of `models/partitions.json` is embedded with `include_str!`, so a published runtime is
//! self-contained; it is parsed on first use. `cargo xtask update-models` refreshes both copies,
//! and a unit test fails if they drift apart.

use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, OnceLock};

use super::pattern::Pattern;
use super::value::Value;

/// The embedded partitions data (botocore's `partitions.json`).
pub(crate) const EMBEDDED_PARTITIONS_JSON: &str = include_str!("partitions.json");

/// Parsed partitions, in file order.
#[derive(Debug)]
pub(crate) struct Partitions {
    list: Vec<Partition>,
}

#[derive(Debug)]
pub(crate) struct Partition {
    pub(crate) id: String,
    regions: HashSet<String>,
    region_regex: Pattern,
    /// The `outputs` record that `aws.partition` returns, with `name` set to the partition id
    /// (as botocore does).
    pub(crate) outputs: Arc<BTreeMap<String, Value>>,
}

impl Partitions {
    /// The embedded data, parsed once.
    pub(crate) fn embedded() -> Result<&'static Partitions, String> {
        static EMBEDDED: OnceLock<Result<Partitions, String>> = OnceLock::new();
        EMBEDDED
            .get_or_init(|| {
                Partitions::from_json(EMBEDDED_PARTITIONS_JSON)
                    .map_err(|e| format!("embedded partitions.json is invalid: {e}"))
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Parses partitions data: `{"partitions": [{"id", "outputs", "regionRegex", "regions"}]}`.
    pub(crate) fn from_json(text: &str) -> Result<Partitions, String> {
        let json: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let list = json
            .get("partitions")
            .and_then(|p| p.as_array())
            .ok_or("missing `partitions` array")?;
        let mut out = Vec::with_capacity(list.len());
        for (i, p) in list.iter().enumerate() {
            let field = |name: &str| {
                p.get(name)
                    .ok_or_else(|| format!("partitions[{i}]: missing `{name}`"))
            };
            let id = field("id")?
                .as_str()
                .ok_or_else(|| format!("partitions[{i}]: `id` is not a string"))?
                .to_owned();
            let regex = field("regionRegex")?
                .as_str()
                .ok_or_else(|| format!("partition {id}: `regionRegex` is not a string"))?;
            let region_regex = Pattern::new(regex).map_err(|e| format!("partition {id}: {e}"))?;
            let regions = field("regions")?
                .as_object()
                .ok_or_else(|| format!("partition {id}: `regions` is not an object"))?
                .keys()
                .cloned()
                .collect();
            let outputs = field("outputs")?;
            if !outputs.is_object() {
                return Err(format!("partition {id}: `outputs` is not an object"));
            }
            let Value::Object(outputs) =
                Value::from_json(outputs).map_err(|e| format!("partition {id} outputs: {e}"))?
            else {
                unreachable!("an object converts to a record");
            };
            let mut outputs = Arc::unwrap_or_clone(outputs);
            outputs.insert("name".into(), Value::String(id.clone()));
            out.push(Partition {
                id,
                regions,
                region_regex,
                outputs: Arc::new(outputs),
            });
        }
        if out.is_empty() {
            return Err("no partitions".into());
        }
        Ok(Partitions { list: out })
    }

    /// The partition of `region`: the one listing it by name; else the first whose `regionRegex`
    /// matches; else the `aws` partition (or the first one, if there is no `aws`).
    ///
    /// botocore tests "listed or matching" per partition in one pass; the Smithy reference
    /// implementation checks every partition's listed regions before any regex. The two agree
    /// unless a region listed by one partition matches an earlier partition's regex, which a unit
    /// test rules out for the embedded data.
    pub(crate) fn resolve(&self, region: &str) -> &Partition {
        self.list
            .iter()
            .find(|p| p.regions.contains(region))
            .or_else(|| self.list.iter().find(|p| p.region_regex.is_match(region)))
            .or_else(|| self.list.iter().find(|p| p.id == "aws"))
            .unwrap_or(&self.list[0])
    }

    /// botocore's single-pass lookup, kept to prove the two orders agree on the embedded data.
    #[cfg(test)]
    fn resolve_single_pass(&self, region: &str) -> &Partition {
        self.list
            .iter()
            .find(|p| p.regions.contains(region) || p.region_regex.is_match(region))
            .unwrap_or(&self.list[0])
    }
}

/// The `dnsSuffix` of `region`'s partition in the embedded data (`amazonaws.com`,
/// `amazonaws.com.cn`, ...).
pub(crate) fn dns_suffix(region: &str) -> Result<String, String> {
    let partition = Partitions::embedded()?.resolve(region);
    match partition.outputs.get("dnsSuffix") {
        Some(Value::String(suffix)) => Ok(suffix.clone()),
        _ => Err(format!("partition {} has no dnsSuffix", partition.id)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_suffixes() {
        assert_eq!(dns_suffix("us-west-2").unwrap(), "amazonaws.com");
        assert_eq!(dns_suffix("cn-north-1").unwrap(), "amazonaws.com.cn");
    }

    #[test]
    fn embedded_copy_matches_models() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../models/partitions.json");
        let models = std::fs::read(path).unwrap_or_else(|e| {
            panic!(
                "cannot read {path} ({e}); it is the source of runtime/src/endpoint/partitions.json"
            )
        });
        assert!(
            models == EMBEDDED_PARTITIONS_JSON.as_bytes(),
            "runtime/src/endpoint/partitions.json differs from models/partitions.json; \
             run `cargo xtask update-models` to refresh the embedded copy"
        );
    }

    #[test]
    fn embedded_data_parses() {
        let p = Partitions::embedded().unwrap();
        let ids: Vec<&str> = p.list.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids[0], "aws");
        assert!(ids.contains(&"aws-cn") && ids.contains(&"aws-us-gov"));
    }

    fn name_of(p: &Partitions, region: &str) -> String {
        match p.resolve(region).outputs.get("name") {
            Some(Value::String(s)) => s.clone(),
            other => panic!("no name: {other:?}"),
        }
    }

    #[test]
    fn lookup_by_exact_region() {
        let p = Partitions::embedded().unwrap();
        assert_eq!(name_of(p, "us-east-1"), "aws");
        assert_eq!(name_of(p, "cn-north-1"), "aws-cn");
        assert_eq!(name_of(p, "us-gov-west-1"), "aws-us-gov");
        // Global pseudo-regions match no regex; only the exact list finds them.
        assert_eq!(name_of(p, "aws-global"), "aws");
        assert_eq!(name_of(p, "aws-cn-global"), "aws-cn");
        assert_eq!(name_of(p, "aws-us-gov-global"), "aws-us-gov");
        assert_eq!(name_of(p, "aws-iso-b-global"), "aws-iso-b");
        let out = &p.resolve("cn-north-1").outputs;
        assert_eq!(
            out.get("dnsSuffix"),
            Some(&Value::String("amazonaws.com.cn".into()))
        );
        assert_eq!(out.get("supportsFIPS"), Some(&Value::Bool(true)));
    }

    #[test]
    fn lookup_by_regex() {
        let p = Partitions::embedded().unwrap();
        assert_eq!(name_of(p, "us-west-9"), "aws");
        assert_eq!(name_of(p, "eu-newplace-42"), "aws");
        assert_eq!(name_of(p, "cn-south-7"), "aws-cn");
        assert_eq!(name_of(p, "us-gov-central-3"), "aws-us-gov");
        assert_eq!(name_of(p, "us-iso-north-1"), "aws-iso");
        assert_eq!(name_of(p, "us-isob-north-1"), "aws-iso-b");
        assert_eq!(name_of(p, "us-isof-north-1"), "aws-iso-f");
        assert_eq!(name_of(p, "eu-isoe-north-1"), "aws-iso-e");
        assert_eq!(name_of(p, "eusc-de-west-1"), "aws-eusc");
    }

    #[test]
    fn lookup_falls_back_to_aws() {
        let p = Partitions::embedded().unwrap();
        for region in [
            "",
            "mars-east-1",
            "us-east",
            "US-EAST-1",
            "local",
            "us-east-1\n",
        ] {
            assert_eq!(name_of(p, region), "aws", "{region:?}");
        }
    }

    #[test]
    fn exact_match_wins_over_an_earlier_regex() {
        let data = r#"{"partitions": [
            {"id": "first", "regionRegex": "^x\\-\\w+$", "regions": {},
             "outputs": {"dnsSuffix": "one.example"}},
            {"id": "aws", "regionRegex": "^nothing$", "regions": {"x-special": {}},
             "outputs": {"dnsSuffix": "two.example"}}
        ]}"#;
        let p = Partitions::from_json(data).unwrap();
        assert_eq!(name_of(&p, "x-special"), "aws");
        assert_eq!(name_of(&p, "x-other"), "first");
        assert_eq!(
            name_of(&p, "y"),
            "aws",
            "falls back to `aws`, not the first partition"
        );
    }

    #[test]
    fn both_lookup_orders_agree_on_embedded_data() {
        let p = Partitions::embedded().unwrap();
        let mut probes: Vec<String> = p
            .list
            .iter()
            .flat_map(|p| p.regions.iter().cloned())
            .collect();
        probes.extend(
            [
                "us-west-9",
                "cn-x-1",
                "us-gov-x-1",
                "us-iso-x-1",
                "eusc-de-x-1",
                "nowhere",
            ]
            .map(String::from),
        );
        for region in probes {
            assert_eq!(
                p.resolve(&region).id,
                p.resolve_single_pass(&region).id,
                "{region}"
            );
        }
    }

    #[test]
    fn bad_data_is_an_error() {
        assert!(Partitions::from_json("{").is_err());
        assert!(Partitions::from_json(r#"{"partitions": []}"#).is_err());
        assert!(
            Partitions::from_json(
                r#"{"partitions": [{"id": "a", "regionRegex": "(", "regions": {}, "outputs": {}}]}"#
            )
            .is_err()
        );
    }
}
