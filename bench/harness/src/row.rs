//! One line of the results file that `bench/run.sh` collects and `sdk-compare report` turns into
//! the tables of BENCHMARKS.md: tab-separated, `-` for an empty field.
//!
//! ```text
//! section  measure  unit  better  target  ours: median lo hi n  peer-label  peer: median lo hi n
//! ```
//!
//! `better` is `lower` or `higher`; `target` is `ratio>=X` (ours better than the peer by at
//! least X times), `ours<X` (an absolute bound on our median) or `-`.

use crate::measure::Stats;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Better {
    Lower,
    Higher,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Target {
    None,
    /// Ours better than the peer by at least this factor.
    Ratio(f64),
    /// Our median below this value.
    Below(f64),
}

#[derive(Clone, Debug)]
pub struct Row {
    pub section: String,
    pub measure: String,
    pub unit: String,
    pub better: Better,
    pub target: Target,
    pub ours: Option<Stats>,
    pub peer_label: String,
    pub peer: Option<Stats>,
}

fn stats_fields(stats: Option<Stats>) -> String {
    match stats {
        Some(s) => format!("{}\t{}\t{}\t{}", s.median, s.lo, s.hi, s.n),
        None => "-\t-\t-\t-".to_owned(),
    }
}

fn parse_stats(fields: &[&str]) -> Result<Option<Stats>, String> {
    if fields.iter().all(|f| *f == "-") {
        return Ok(None);
    }
    let number = |f: &str| f.parse::<f64>().map_err(|_| format!("not a number: {f:?}"));
    Ok(Some(Stats {
        median: number(fields[0])?,
        lo: number(fields[1])?,
        hi: number(fields[2])?,
        n: fields[3]
            .parse()
            .map_err(|_| format!("not a count: {:?}", fields[3]))?,
    }))
}

impl Row {
    pub fn to_tsv(&self) -> String {
        let better = match self.better {
            Better::Lower => "lower",
            Better::Higher => "higher",
        };
        let target = match self.target {
            Target::None => "-".to_owned(),
            Target::Ratio(x) => format!("ratio>={x}"),
            Target::Below(x) => format!("ours<{x}"),
        };
        format!(
            "{}\t{}\t{}\t{better}\t{target}\t{}\t{}\t{}",
            self.section,
            self.measure,
            self.unit,
            stats_fields(self.ours),
            self.peer_label,
            stats_fields(self.peer)
        )
    }

    pub fn parse(line: &str) -> Result<Row, String> {
        let fields: Vec<&str> = line.split('\t').collect();
        if fields.len() != 14 {
            return Err(format!("{} fields, expected 14", fields.len()));
        }
        let better = match fields[3] {
            "lower" => Better::Lower,
            "higher" => Better::Higher,
            other => return Err(format!("`better` is {other:?}")),
        };
        let target = if fields[4] == "-" {
            Target::None
        } else if let Some(x) = fields[4].strip_prefix("ratio>=") {
            Target::Ratio(
                x.parse()
                    .map_err(|_| format!("bad target {:?}", fields[4]))?,
            )
        } else if let Some(x) = fields[4].strip_prefix("ours<") {
            Target::Below(
                x.parse()
                    .map_err(|_| format!("bad target {:?}", fields[4]))?,
            )
        } else {
            return Err(format!("bad target {:?}", fields[4]));
        };
        Ok(Row {
            section: fields[0].to_owned(),
            measure: fields[1].to_owned(),
            unit: fields[2].to_owned(),
            better,
            target,
            ours: parse_stats(&fields[5..9])?,
            peer_label: fields[9].to_owned(),
            peer: parse_stats(&fields[10..14])?,
        })
    }

    /// How many times better ours is than the peer (above 1: ours is better).
    pub fn ratio(&self) -> Option<f64> {
        let (ours, peer) = (self.ours?.median, self.peer?.median);
        let ratio = match self.better {
            Better::Lower => peer / ours,
            Better::Higher => ours / peer,
        };
        ratio.is_finite().then_some(ratio)
    }

    /// Whether the target is met; `None` without a target or the figures to judge it.
    pub fn met(&self) -> Option<bool> {
        match self.target {
            Target::None => None,
            Target::Ratio(x) => self.ratio().map(|r| r >= x),
            Target::Below(x) => self.ours.map(|s| s.median < x),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_ratio() {
        let row = Row {
            section: "Compile".into(),
            measure: "own crate, debug".into(),
            unit: "s".into(),
            better: Better::Lower,
            target: Target::Ratio(5.0),
            ours: Some(Stats::of(&[2.0, 3.0, 4.0])),
            peer_label: "aws-sdk-rust".into(),
            peer: Some(Stats::of(&[15.0])),
        };
        let back = Row::parse(&row.to_tsv()).unwrap();
        assert_eq!(back.to_tsv(), row.to_tsv());
        assert_eq!(back.ratio(), Some(5.0));
        assert_eq!(back.met(), Some(true));
        let generator =
            Row::parse("Gen\tall three\ts\tlower\tours<1\t0.5\t0.4\t0.6\t5\t-\t-\t-\t-\t-")
                .unwrap();
        assert_eq!(generator.ratio(), None);
        assert_eq!(generator.met(), Some(true));
    }
}
