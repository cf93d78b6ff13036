//! Mutation fuzzing of racesim's three inputs (issue 14), in-process through the library:
//!
//! * (a) scenario TOML → check (every variant) → build (calibration through one shared
//!   `FitCache`) → one race;
//! * (b) race-record JSON → check → what `plot race` builds from it (`RealRace`, its series and
//!   gaps, now and then the charts) → what `validate` builds (the record's field) → one race;
//! * (c) `[model]` tables: every parameter of `MODEL_RANGES` and the six array parameters set to
//!   values inside, on and beyond their bounds, NaN, ±inf, wrong types, in a small scenario.
//!
//! Seeds: the shipped `scenarios/` and the race records of `../shared/data/races`. A case is
//! numbered; its number seeds everything about it (which target, which seed file, which
//! mutations), so a case reruns identically. Mutations: bytes (bit flips, interesting bytes and
//! tokens, deleted or duplicated ranges, truncation) and structure (a value replaced by an
//! interesting one of the same or another type, a key or an element removed, duplicated or added,
//! a value nested deeper than the limit); marks are shifted by a few fixed amounts so that the
//! fit cache keeps most runners' fits and a case stays cheap.
//!
//! The oracle: no panic (each case runs under `catch_unwind`; a case running over 600 s,
//! `RACESIM_FUZZ_HANG_S`, aborts the run with its number); every rejection is a typed error
//! whose message is one line naming the file (an input error also names the line, except the few build errors of a race record,
//! which has no line for a derived value, and the field); every accepted input gives a race
//! whose times are finite, positive and physically possible (mean speed 1–13 m/s), whose splits
//! rise and end before the finish, and whose places follow the times.
//!
//! * Short run: `fuzz_short`, part of `cargo test --release` (3 000 cases, plus every kept
//!   regression input in `tests/fuzz_regressions/`).
//! * Long run (figures in docs/reliability.md):
//!   `RACESIM_FUZZ_CASES=1000000 nice -n 19 cargo test --release --test fuzz -- --ignored --nocapture fuzz_long`
//!   (`RACESIM_FUZZ_START` to begin elsewhere, `RACESIM_FUZZ_THREADS` workers, default 1).
//! * One case, its input printed: `RACESIM_FUZZ_CASE=N cargo test --release --test fuzz -- --ignored --nocapture fuzz_one`.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use racesim::base::params::{MODEL_RANGES, ModelParams};
use racesim::engine::race::{RaceSetup, Simulator};
use racesim::error::Error;
use racesim::field::FitCache;
use racesim::input::record::RaceRecord;
use racesim::input::scenario::Scenario;
use racesim::report::realrace::RealRace;

// ---------------------------------------------------------------------------------------------
// A small deterministic generator (SplitMix64): a case is a pure function of its number.
// ---------------------------------------------------------------------------------------------

struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
}

// ---------------------------------------------------------------------------------------------
// Seeds
// ---------------------------------------------------------------------------------------------

struct Seed {
    name: String,
    text: String,
}

struct Seeds {
    scenarios: Vec<Seed>,
    /// Scenarios small enough to carry the `[model]` cases (one runner, or a paced field).
    model_bases: Vec<Seed>,
    records: Vec<Seed>,
    /// Every key seen in a seed, to add known keys in the wrong place.
    toml_keys: Vec<String>,
    json_keys: Vec<String>,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read_dir_sorted(dir: &Path, ext: &str) -> Vec<Seed> {
    let mut v: Vec<Seed> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .map(|p| Seed {
            name: p.file_name().unwrap().to_string_lossy().into_owned(),
            text: std::fs::read_to_string(&p).unwrap(),
        })
        .collect();
    v.sort_by(|a, b| a.name.cmp(&b.name));
    v
}

fn collect_toml_keys(v: &toml::Value, out: &mut Vec<String>) {
    match v {
        toml::Value::Table(t) => {
            for (k, x) in t {
                out.push(k.clone());
                collect_toml_keys(x, out);
            }
        }
        toml::Value::Array(a) => a.iter().for_each(|x| collect_toml_keys(x, out)),
        _ => {}
    }
}

fn collect_json_keys(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(t) => {
            for (k, x) in t {
                out.push(k.clone());
                collect_json_keys(x, out);
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| collect_json_keys(x, out)),
        _ => {}
    }
}

/// A copy of a shipped scenario in which every runner but the first carries the physiology his
/// marks fit (`cs`, `d_prime`, `mss`) instead of the marks: a mutated copy is cheap to build
/// (one runner to calibrate at most), and the first runner keeps the calibration in play.
fn fast_copy(seed: &Seed, cache: &FitCache) -> Seed {
    let sc = Scenario::from_str(&seed.text, &seed.name).expect("a shipped scenario is valid");
    let field = sc.build(cache).expect("a shipped scenario builds");
    let mut doc: toml::Table = toml::from_str(&seed.text).unwrap();
    if let Some(toml::Value::Array(runners)) = doc.get_mut("runner") {
        for r in runners.iter_mut().skip(1) {
            let toml::Value::Table(t) = r else { continue };
            if t.remove("reported").is_none() {
                continue;
            }
            let name = t["name"].as_str().unwrap().to_string();
            let i = field.setup.runner_index(&name).unwrap();
            let ph = field.setup.runners[i].physiology;
            t.insert("cs".into(), toml::Value::Float(ph.cs));
            t.insert("d_prime".into(), toml::Value::Float(ph.d_prime));
            t.insert("mss".into(), toml::Value::Float(ph.mss));
        }
    }
    Seed {
        name: format!("fast-{}", seed.name),
        text: toml::to_string(&doc).unwrap(),
    }
}

fn seeds(cache: &FitCache) -> Seeds {
    let shipped = read_dir_sorted(&root().join("scenarios"), "toml");
    let records = read_dir_sorted(&root().join("../shared/data/races"), "json");
    assert!(shipped.len() >= 3 && records.len() >= 5, "seed files");
    let mut toml_keys = Vec::new();
    for s in &shipped {
        let t: toml::Table = toml::from_str(&s.text).unwrap();
        collect_toml_keys(&toml::Value::Table(t), &mut toml_keys);
    }
    toml_keys.extend(MODEL_RANGES.iter().map(|r| r.name.to_string()));
    toml_keys.sort();
    toml_keys.dedup();
    let fast: Vec<Seed> = shipped.iter().map(|s| fast_copy(s, cache)).collect();
    // the fast copies four times out of five, the shipped files as they are the fifth
    let mut scenarios: Vec<Seed> = Vec::new();
    for _ in 0..4 {
        scenarios.extend(fast.iter().map(|s| Seed {
            name: s.name.clone(),
            text: s.text.clone(),
        }));
    }
    scenarios.extend(shipped);
    // `[model]` cases: the solo time trial (one runner, calibrated) and the paced two miles
    let model_bases: Vec<Seed> = fast
        .iter()
        .chain(scenarios.iter().skip(4 * fast.len()))
        .filter(|s| s.name.contains("solo") || s.name.starts_with("fast-millrose-2024"))
        .map(|s| Seed {
            name: s.name.clone(),
            text: s.text.clone(),
        })
        .collect();
    assert_eq!(model_bases.len(), 3, "model bases");
    let mut json_keys = Vec::new();
    for s in &records {
        let v: serde_json::Value = serde_json::from_str(&s.text).unwrap();
        collect_json_keys(&v, &mut json_keys);
    }
    json_keys.sort();
    json_keys.dedup();
    Seeds {
        scenarios,
        model_bases,
        records,
        toml_keys,
        json_keys,
    }
}

// ---------------------------------------------------------------------------------------------
// Byte mutations
// ---------------------------------------------------------------------------------------------

const TOKENS: &[&str] = &[
    "nan",
    "inf",
    "-inf",
    "1e309",
    "-0",
    "0",
    "-1",
    "0x10",
    "1e-300",
    "9223372036854775808",
    "\"\"",
    "[",
    "]",
    "{",
    "}",
    "[[runner]]\n",
    "[model]\n",
    "[race]\n",
    "\n",
    "\u{feff}",
    "é",
    "\u{0}",
    "\u{1b}[31m",
    "null",
    "true",
    "\"3:30.00\"",
    "\"0:01.00\"",
    "\"99:99.99\"",
    "=",
    ",",
    ":",
    "\\",
    "\"",
    "#",
];

fn mutate_bytes(rng: &mut Rng, text: &str) -> String {
    let mut b = text.as_bytes().to_vec();
    let ops = 1 + rng.below(4);
    for _ in 0..ops {
        let n = b.len();
        let at = rng.below(n + 1);
        match rng.below(7) {
            0 if n > 0 => {
                let i = rng.below(n);
                b[i] ^= 1 << rng.below(8);
            }
            1 if n > 0 => {
                let i = rng.below(n);
                b[i] = *rng.pick(b"0123456789-+.eE:\"'[]{}=,\n #\\\0\x7f\xff");
            }
            2 if n > 0 => {
                let len = 1 + rng.below(16);
                b.drain(at.min(n)..(at + len).min(n));
            }
            3 if n > 0 => {
                let from = rng.below(n);
                let len = 1 + rng.below(64);
                let chunk = b[from..(from + len).min(n)].to_vec();
                b.splice(at..at, chunk);
            }
            4 | 5 => {
                let tok = rng.pick(TOKENS).as_bytes().to_vec();
                b.splice(at..at, tok);
            }
            _ if n > 0 && rng.chance(0.3) => b.truncate(at),
            _ => {}
        }
    }
    String::from_utf8_lossy(&b).into_owned()
}

// ---------------------------------------------------------------------------------------------
// Structure mutations, on a generic tree (TOML and JSON alike)
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
enum Node {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Null,
    List(Vec<Node>),
    Map(Vec<(String, Node)>),
}

fn from_toml(v: &toml::Value) -> Node {
    match v {
        toml::Value::String(s) => Node::Str(s.clone()),
        toml::Value::Integer(i) => Node::Int(*i),
        toml::Value::Float(f) => Node::Float(*f),
        toml::Value::Boolean(b) => Node::Bool(*b),
        toml::Value::Datetime(d) => Node::Str(d.to_string()),
        toml::Value::Array(a) => Node::List(a.iter().map(from_toml).collect()),
        toml::Value::Table(t) => {
            Node::Map(t.iter().map(|(k, x)| (k.clone(), from_toml(x))).collect())
        }
    }
}

/// TOML has no null: it becomes an empty table (a wrong type wherever it lands).
fn to_toml(n: &Node) -> toml::Value {
    match n {
        Node::Str(s) => toml::Value::String(s.clone()),
        Node::Int(i) => toml::Value::Integer(*i),
        Node::Float(f) => toml::Value::Float(*f),
        Node::Bool(b) => toml::Value::Boolean(*b),
        Node::Null => toml::Value::Table(toml::Table::new()),
        Node::List(a) => toml::Value::Array(a.iter().map(to_toml).collect()),
        Node::Map(m) => {
            toml::Value::Table(m.iter().map(|(k, x)| (k.clone(), to_toml(x))).collect())
        }
    }
}

fn from_json(v: &serde_json::Value) -> Node {
    use serde_json::Value as J;
    match v {
        J::String(s) => Node::Str(s.clone()),
        J::Number(x) => match x.as_i64() {
            Some(i) => Node::Int(i),
            None => Node::Float(x.as_f64().unwrap_or(0.0)),
        },
        J::Bool(b) => Node::Bool(*b),
        J::Null => Node::Null,
        J::Array(a) => Node::List(a.iter().map(from_json).collect()),
        J::Object(m) => Node::Map(m.iter().map(|(k, x)| (k.clone(), from_json(x))).collect()),
    }
}

/// JSON as text, written by hand so that NaN, ±inf and huge exponents reach the parser.
fn write_json(n: &Node, out: &mut String) {
    match n {
        Node::Str(s) => out.push_str(&serde_json::to_string(s).unwrap()),
        Node::Int(i) => out.push_str(&i.to_string()),
        Node::Float(f) if f.is_nan() => out.push_str("NaN"),
        Node::Float(f) if f.is_infinite() => {
            out.push_str(if *f > 0.0 { "1e999" } else { "-1e999" })
        }
        Node::Float(f) => out.push_str(&format!("{f:?}")),
        Node::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Node::Null => out.push_str("null"),
        Node::List(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push_str(",\n");
                }
                write_json(x, out);
            }
            out.push(']');
        }
        Node::Map(m) => {
            out.push('{');
            for (i, (k, x)) in m.iter().enumerate() {
                if i > 0 {
                    out.push_str(",\n");
                }
                out.push_str(&serde_json::to_string(k).unwrap());
                out.push_str(": ");
                write_json(x, out);
            }
            out.push('}');
        }
    }
}

/// Paths to every node (a path is a list of child indices).
fn paths(n: &Node, here: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
    out.push(here.clone());
    let kids: Vec<&Node> = match n {
        Node::List(a) => a.iter().collect(),
        Node::Map(m) => m.iter().map(|(_, x)| x).collect(),
        _ => return,
    };
    for (i, k) in kids.into_iter().enumerate() {
        here.push(i);
        paths(k, here, out);
        here.pop();
    }
}

fn at_mut<'a>(n: &'a mut Node, path: &[usize]) -> &'a mut Node {
    match path.split_first() {
        None => n,
        Some((&i, rest)) => match n {
            Node::List(a) => at_mut(&mut a[i], rest),
            Node::Map(m) => at_mut(&mut m[i].1, rest),
            _ => unreachable!("paths only lead through containers"),
        },
    }
}

/// `m:ss.xx` shifted by `d` seconds (a mark or a split), or None if `s` is no such time.
fn shift_time(s: &str, d: f64) -> Option<String> {
    let (m, rest) = s.split_once(':')?;
    let m: u32 = m.trim().parse().ok()?;
    let sec: f64 = rest.trim().parse().ok()?;
    let t = (f64::from(m) * 60.0 + sec + d).max(0.0);
    Some(format!("{}:{:05.2}", (t / 60.0).floor() as u32, t % 60.0))
}

const SHIFTS: &[f64] = &[
    -60.0, -20.0, -5.0, -1.0, -0.3, 0.3, 1.0, 5.0, 20.0, 60.0, 600.0,
];

fn interesting_number(rng: &mut Rng, x: f64) -> Node {
    match rng.below(14) {
        0 => Node::Float(f64::NAN),
        1 => Node::Float(if rng.chance(0.5) {
            f64::INFINITY
        } else {
            f64::NEG_INFINITY
        }),
        2 => Node::Int(0),
        3 => Node::Int(-1),
        4 => Node::Float(*rng.pick(&[1e-9, 1e300, -1e300, 1e-300, 0.5, 1.0, 1e6])),
        5 => Node::Int(*rng.pick(&[i64::MAX, i64::MIN, 1 << 40, 65, 64, 2, 1])),
        6 => Node::Float(-x),
        7 => Node::Float(x * 2.0),
        8 => Node::Float(x * 0.5),
        9 => Node::Float(x * 10.0),
        10 => Node::Float(x / 10.0),
        11 => Node::Float(x + *rng.pick(SHIFTS)),
        12 => Node::Float(x * (1.0 + 0.01 * *rng.pick(&[-3.0, -1.0, 1.0, 3.0]))),
        _ => Node::Float(x + 1.0),
    }
}

fn interesting_string(rng: &mut Rng, s: &str) -> Node {
    if let Some(t) = shift_time(s, *rng.pick(SHIFTS))
        && rng.chance(0.7)
    {
        return Node::Str(t);
    }
    let pool = [
        "",
        " ",
        "x",
        "nan",
        "inf",
        "-1",
        "0:00.00",
        "3:30.00",
        "99:99.99",
        "1:2:3",
        "1500m",
        "800m",
        "mile",
        "2mile",
        "5000m",
        "100m",
        "marathon",
        "outdoor400",
        "indoor200",
        "banked200",
        "moon",
        "kick",
        "front-run",
        "sit-and-kick",
        "chase-clock",
        "follow",
        "field",
        "2024-02-30",
        "1900-01-01",
        "2999-12-31",
        "a\nb",
        "\u{7}bell",
        "Josh Kerr",
        "DNF",
        "DQ",
    ];
    match rng.below(6) {
        0 => Node::Str("z".repeat(1 + rng.below(5000))),
        1 => Node::Str(format!("{s}{s}")),
        _ => Node::Str(rng.pick(&pool).to_string()),
    }
}

fn random_value(rng: &mut Rng) -> Node {
    match rng.below(8) {
        0 => interesting_number(rng, 1.0),
        1 => interesting_string(rng, ""),
        2 => Node::Bool(rng.chance(0.5)),
        3 => Node::Null,
        4 => Node::List(vec![]),
        5 => Node::List(vec![Node::Float(0.5), Node::Float(0.3), Node::Float(0.2)]),
        6 => Node::Map(vec![]),
        _ => Node::Float(rng.below(3000) as f64),
    }
}

/// One structural change somewhere in `root`.
fn mutate_tree(rng: &mut Rng, root: &mut Node, keys: &[String]) {
    let mut all = Vec::new();
    paths(root, &mut Vec::new(), &mut all);
    let path = rng.pick(&all).clone();
    let node = at_mut(root, &path);
    match node {
        Node::Str(s) => *node = interesting_string(rng, &s.clone()),
        Node::Int(i) => {
            *node = if rng.chance(0.8) {
                interesting_number(rng, *i as f64)
            } else {
                random_value(rng)
            }
        }
        Node::Float(f) => {
            *node = if rng.chance(0.8) {
                interesting_number(rng, *f)
            } else {
                random_value(rng)
            }
        }
        Node::Bool(b) => {
            *node = if rng.chance(0.5) {
                Node::Bool(!*b)
            } else {
                random_value(rng)
            }
        }
        Node::Null => *node = random_value(rng),
        Node::List(a) => match rng.below(6) {
            0 if !a.is_empty() => {
                let i = rng.below(a.len());
                a.remove(i);
            }
            1 if !a.is_empty() => {
                let i = rng.below(a.len());
                let x = a[i].clone();
                a.insert(i, x);
            }
            2 if !a.is_empty() => {
                // many copies: the 64-runner limit, long lists of splits
                let i = rng.below(a.len());
                let x = a[i].clone();
                for _ in 0..(60 + rng.below(20)) {
                    a.push(x.clone());
                }
            }
            3 if a.len() > 1 => {
                let i = rng.below(a.len());
                let j = rng.below(a.len());
                a.swap(i, j);
            }
            4 => a.clear(),
            _ => a.push(random_value(rng)),
        },
        Node::Map(m) => match rng.below(6) {
            0 | 1 if !m.is_empty() => {
                let i = rng.below(m.len());
                m.remove(i);
            }
            2 => {
                let k = rng.pick(keys).clone();
                m.retain(|(x, _)| *x != k);
                m.push((k, random_value(rng)));
            }
            3 => m.push((format!("unknown_{}", rng.below(5)), random_value(rng))),
            4 if !m.is_empty() => {
                // nested beyond any limit (the JSON depth limit is 64)
                let i = rng.below(m.len());
                let mut x = m[i].1.clone();
                for _ in 0..(60 + rng.below(40)) {
                    x = Node::List(vec![x]);
                }
                m[i].1 = x;
            }
            _ if !m.is_empty() => {
                let i = rng.below(m.len());
                m[i].1 = random_value(rng);
            }
            _ => m.push((rng.pick(keys).clone(), random_value(rng))),
        },
    }
}

fn mutate_toml(rng: &mut Rng, text: &str, keys: &[String]) -> String {
    let mode = rng.below(20);
    if mode == 0 {
        return text.to_string();
    }
    let mut out = text.to_string();
    if mode >= 8 {
        let table: toml::Table = match toml::from_str(text) {
            Ok(t) => t,
            Err(_) => return mutate_bytes(rng, text),
        };
        let mut tree = from_toml(&toml::Value::Table(table));
        for _ in 0..(1 + rng.below(3)) {
            mutate_tree(rng, &mut tree, keys);
        }
        if let toml::Value::Table(t) = to_toml(&tree)
            && let Ok(s) = toml::to_string(&t)
        {
            out = s;
        }
    }
    if !(8..17).contains(&mode) {
        out = mutate_bytes(rng, &out);
    }
    out
}

fn mutate_json(rng: &mut Rng, text: &str, keys: &[String]) -> String {
    let mode = rng.below(20);
    if mode == 0 {
        return text.to_string();
    }
    let mut out = text.to_string();
    if mode >= 8 {
        let v: serde_json::Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(_) => return mutate_bytes(rng, text),
        };
        let mut tree = from_json(&v);
        for _ in 0..(1 + rng.below(3)) {
            mutate_tree(rng, &mut tree, keys);
        }
        out.clear();
        write_json(&tree, &mut out);
    }
    if !(8..17).contains(&mode) {
        out = mutate_bytes(rng, &out);
    }
    out
}

/// A `[model]` table: one to three parameters set to values on a grid inside their range, on
/// and just beyond the bounds, or absurd; the six array parameters to lists of any shape.
fn model_table(rng: &mut Rng) -> String {
    const ARRAYS: &[(&str, usize, usize)] = &[
        ("regime_prob", 3, 0),
        ("regime_surges", 3, 0),
        ("regime_pace", 3, 2),
        ("final_surge_m", 3, 2),
        ("surge_rise", 2, 0),
        ("surge_len_m", 2, 0),
    ];
    let mut lines = Vec::new();
    for _ in 0..(1 + rng.below(3)) {
        if rng.chance(0.75) {
            let r = rng.pick(MODEL_RANGES);
            let (lo, hi) = (r.lo, r.hi);
            let v = match rng.below(10) {
                0..=3 => format!("{:?}", lo + (hi - lo) * rng.below(9) as f64 / 8.0),
                4 => format!("{lo:?}"),
                5 => format!("{hi:?}"),
                6 => format!("{:?}", lo - (hi - lo).abs().max(1e-3) * 0.01),
                7 => format!("{:?}", hi + (hi - lo).abs().max(1e-3) * 0.01),
                _ => rng
                    .pick(&[
                        "nan",
                        "inf",
                        "-inf",
                        "-1",
                        "0",
                        "1e300",
                        "1e-300",
                        "-0.0",
                        "9223372036854775807",
                        "\"0.5\"",
                        "true",
                        "[]",
                        "{}",
                    ])
                    .to_string(),
            };
            lines.push(format!("{} = {v}", r.name));
        } else {
            let (name, n, inner) = *rng.pick(ARRAYS);
            let len = if rng.chance(0.8) { n } else { rng.below(5) };
            let elem = |rng: &mut Rng| -> String {
                let x = *rng.pick(&[
                    "0.0", "0.1", "0.2", "0.25", "0.5", "0.7", "0.9", "1.0", "1.1", "1.5", "2.0",
                    "150.0", "300.0", "1000.0", "5000.0", "-0.1", "nan", "inf",
                ]);
                x.to_string()
            };
            let items: Vec<String> = (0..len)
                .map(|_| {
                    if inner == 0 {
                        elem(rng)
                    } else {
                        let k = if rng.chance(0.85) {
                            inner
                        } else {
                            rng.below(4)
                        };
                        let xs: Vec<String> = (0..k).map(|_| elem(rng)).collect();
                        format!("[{}]", xs.join(", "))
                    }
                })
                .collect();
            lines.push(format!("{name} = [{}]", items.join(", ")));
        }
    }
    if rng.chance(0.05) {
        lines.push("no_such_parameter = 1.0".into());
    }
    lines.join("\n")
}

fn with_model(rng: &mut Rng, base: &str) -> String {
    let table = model_table(rng);
    // drop any [model] the base has, then append ours
    let mut out = String::from(base);
    out.push_str("\n[model]\n");
    out.push_str(&table);
    out.push('\n');
    if rng.chance(0.1) {
        out = mutate_bytes(rng, &out);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The oracle
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Target {
    Scenario,
    Record,
    Model,
}

#[derive(Default)]
struct Tally {
    cases: u64,
    accepted: BTreeMap<Target, u64>,
    rejected: BTreeMap<Target, u64>,
    races: u64,
    /// Rejections without a line (record build errors) and without a field.
    no_line: u64,
    no_field: u64,
    /// Time spent checking, building and racing [s].
    t_check: f64,
    t_build: f64,
    /// Of which records.
    t_build_rec: f64,
    t_race: f64,
    findings: Vec<String>,
}

/// The error of a rejected input: typed, one line, naming the file (and line, field).
fn judge_error(e: &Error, file: &str, need_line: bool) -> Result<(bool, bool), String> {
    let msg = e.to_string();
    if msg.contains(['\n', '\r']) {
        return Err(format!("message on several lines: {msg:?}"));
    }
    if !msg.starts_with(file) {
        return Err(format!("message does not start with the file: {msg:?}"));
    }
    match e {
        Error::Input(ie) => {
            if ie.file != Path::new(file) {
                return Err(format!("error names another file: {msg:?}"));
            }
            if need_line && ie.line.is_none() {
                return Err(format!("no line: {msg:?}"));
            }
            Ok((ie.line.is_some(), !ie.field.is_empty()))
        }
        Error::Usage(_) => Ok((false, false)),
        other => Err(format!("not an input error ({other:?}): {msg:?}")),
    }
}

/// A race run from an accepted input: finite, possible, ordered.
fn judge_race(setup: &RaceSetup, seed: u64, race: u64) -> Result<(), String> {
    let mut sim = Simulator::new(setup);
    let mut out = sim.new_outcome();
    sim.run(seed, race, &mut out, None);
    if let Some(u) = out.unfinished {
        // the step budget ran out: `montecarlo::run` turns this into an error naming him
        if u.runner >= setup.runners.len()
            || u.reached_m >= setup.distance_m
            || u.reached_m.is_nan()
        {
            return Err(format!("unfinished race with a wrong report: {u:?}"));
        }
        return Ok(());
    }
    let n = setup.runners.len();
    let nk = setup.n_splits();
    let dist = setup.distance_m;
    if !(dist.is_finite() && dist > 0.0) {
        return Err(format!("distance {dist}"));
    }
    let mut prev_pt = 0.0;
    for &p in &setup.split_points_m {
        if !(p > prev_pt && p <= dist + 1e-9) {
            return Err(format!("split points {:?}", setup.split_points_m));
        }
        prev_pt = p;
    }
    for i in 0..n {
        let f = out.finish_s[i];
        let name = &setup.runners[i].name;
        if !(f.is_finite() && f > 0.0) {
            return Err(format!("{name}: finish time {f}"));
        }
        let v = dist / f;
        if !(1.0..=13.0).contains(&v) {
            return Err(format!("{name}: mean speed {v:.2} m/s over {dist} m"));
        }
        let mut prev = 0.0;
        for k in 0..nk {
            let s = out.split(i, k, nk);
            if !(s.is_finite() && s >= prev - 1e-9 && s <= f + 1e-6) {
                return Err(format!(
                    "{name}: split {k} at {s} (previous {prev}, finish {f})"
                ));
            }
            prev = s;
        }
        for j in 0..n {
            if out.finish_s[i] < out.finish_s[j] && out.place[i] > out.place[j] {
                return Err(format!("places do not follow the times ({i}, {j})"));
            }
        }
    }
    let mut places: Vec<u32> = out.place[..n].to_vec();
    places.sort_unstable();
    if places != (1..=n as u32).collect::<Vec<_>>() {
        return Err(format!("places {:?}", out.place));
    }
    let mut prev = 0.0;
    for &s in &out.leader_splits_s {
        if !(s.is_finite() && s >= prev - 1e-9) {
            return Err(format!("leader splits {:?}", out.leader_splits_s));
        }
        prev = s;
    }
    Ok(())
}

/// One race of an accepted input (one in `race_every`), judged.
fn race(ctx: &Ctx, setup: &RaceSetup, n: u64, tally: &mut Tally) -> Result<(), String> {
    if n % ctx.race_every != 0 {
        return Ok(());
    }
    let t0 = Instant::now();
    tally.races += 1;
    let r = judge_race(setup, n, 0);
    tally.t_race += t0.elapsed().as_secs_f64();
    r
}

struct Ctx<'a> {
    seeds: &'a Seeds,
    cache: &'a FitCache,
    /// Draw the `plot race` charts for one accepted record in this many.
    render_every: u64,
    /// Race one accepted input in this many.
    race_every: u64,
    /// Build the field of one accepted record in this many.
    record_build_every: u64,
}

/// One case: the input it made, and its verdict (`Ok(accepted)` or a finding).
fn run_case(ctx: &Ctx, n: u64, tally: &mut Tally) -> (Target, String, Result<bool, String>) {
    let mut rng = Rng::new(n.wrapping_mul(0x2545_F491_4F6C_DD1D));
    let s = ctx.seeds;
    let target = match rng.below(10) {
        0..=3 => Target::Scenario,
        4..=7 => Target::Record,
        _ => Target::Model,
    };
    let input = match target {
        Target::Scenario => {
            let seed = rng_pick_text(&mut rng, &s.scenarios);
            mutate_toml(&mut rng, &seed, &s.toml_keys)
        }
        Target::Record => {
            let seed = rng_pick_text(&mut rng, &s.records);
            mutate_json(&mut rng, &seed, &s.json_keys)
        }
        Target::Model => {
            let seed = rng_pick_text(&mut rng, &s.model_bases);
            with_model(&mut rng, &seed)
        }
    };
    let verdict = catch_unwind(AssertUnwindSafe(|| match target {
        Target::Record => record_case(ctx, n, &input, &mut rng, tally),
        _ => scenario_case(ctx, n, &input, &mut rng, tally),
    }))
    .unwrap_or_else(|p| {
        let msg = p
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        Err(format!("PANIC: {msg}"))
    });
    (target, input, verdict)
}

fn rng_pick_text(rng: &mut Rng, v: &[Seed]) -> String {
    rng.pick(v).text.clone()
}

fn scenario_case(
    ctx: &Ctx,
    n: u64,
    input: &str,
    rng: &mut Rng,
    tally: &mut Tally,
) -> Result<bool, String> {
    let file = format!("fuzz/case-{n}.toml");
    let rejected = |e: Error, tally: &mut Tally| -> Result<bool, String> {
        let (line, field) = judge_error(&e, &file, true)?;
        tally.no_line += u64::from(!line);
        tally.no_field += u64::from(!field);
        Ok(false)
    };
    let t0 = Instant::now();
    let parsed = Scenario::from_str(input, &file);
    tally.t_check += t0.elapsed().as_secs_f64();
    let base = match parsed {
        Ok(sc) => sc,
        Err(e) => return rejected(e, tally),
    };
    let sc = if !base.variants.is_empty() && rng.chance(0.5) {
        let v = rng.pick(&base.variants).name.clone();
        match base.variant(&v) {
            Ok(sc) => sc,
            Err(e) => {
                return Err(format!(
                    "variant {v} refused after the file was accepted: {e}"
                ));
            }
        }
    } else {
        base
    };
    // the long run builds and races one accepted scenario in `race_every`
    if n % ctx.race_every != 0 {
        return Ok(true);
    }
    let t0 = Instant::now();
    let built = sc.build(ctx.cache);
    tally.t_build += t0.elapsed().as_secs_f64();
    let field = match built {
        Ok(f) => f,
        Err(e) => return rejected(e, tally),
    };
    race(ctx, &field.setup, n, tally)?;
    Ok(true)
}

fn record_case(
    ctx: &Ctx,
    n: u64,
    input: &str,
    rng: &mut Rng,
    tally: &mut Tally,
) -> Result<bool, String> {
    let file = format!("fuzz/case-{n}.json");
    let rejected = |e: Error, need_line: bool, tally: &mut Tally| -> Result<bool, String> {
        let (line, field) = judge_error(&e, &file, need_line)?;
        tally.no_line += u64::from(!line);
        tally.no_field += u64::from(!field);
        Ok(false)
    };
    let t0 = Instant::now();
    let parsed = RaceRecord::from_str(input, &file);
    tally.t_check += t0.elapsed().as_secs_f64();
    let rec = match parsed {
        Ok(r) => r,
        Err(e) => return rejected(Error::Input(e), true, tally),
    };
    // what `plot race` builds
    let real = RealRace::from_record(&rec);
    for series in real.drawn_athletes() {
        for (at, gap) in real.gaps(series) {
            if !(at.is_finite() && gap.is_finite()) {
                return Err(format!("plot race: gap {gap} at {at}"));
            }
        }
    }
    if n % ctx.render_every == 0 {
        match real.render() {
            Ok(charts) => {
                let _ = real.describe(&charts);
            }
            Err(e) => return Err(format!("plot race: the charts of an accepted record: {e}")),
        }
    }
    let _ = rec.warnings();
    if rec.is_field_only() && rng.chance(0.5) {
        return Ok(true);
    }
    // what `validate` builds (one accepted record in `record_build_every`: a record's field is
    // a dozen runners to calibrate, and a mutated date or mark changes every fit)
    if n % ctx.record_build_every != 0 {
        return Ok(true);
    }
    let t0 = Instant::now();
    let built = rec
        .field(Path::new(&file), &ModelParams::default())
        .and_then(|rf| rf.build(ctx.cache));
    tally.t_build += t0.elapsed().as_secs_f64();
    tally.t_build_rec += t0.elapsed().as_secs_f64();
    let field = match built {
        Ok(f) => f,
        Err(e) => return rejected(e, false, tally),
    };
    race(ctx, &field.setup, n, tally)?;
    Ok(true)
}

// ---------------------------------------------------------------------------------------------
// Runs
// ---------------------------------------------------------------------------------------------

fn findings_dir() -> PathBuf {
    root().join("target/fuzz-findings")
}

/// Run cases `range` on `threads` workers; returns the tally (findings saved under
/// `target/fuzz-findings/`).
fn run_cases(
    range: std::ops::Range<u64>,
    threads: u64,
    render_every: u64,
    race_every: u64,
    record_build_every: u64,
) -> Tally {
    let cache = FitCache::new();
    let seeds = seeds(&cache);
    let ctx = Ctx {
        seeds: &seeds,
        cache: &cache,
        render_every,
        race_every,
        record_build_every,
    };
    // silence the panic messages of caught panics (they are findings, printed at the end)
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let current: Vec<AtomicU64> = (0..threads).map(|_| AtomicU64::new(u64::MAX)).collect();
    let started: Vec<Mutex<Instant>> = (0..threads).map(|_| Mutex::new(Instant::now())).collect();
    let done = std::sync::atomic::AtomicBool::new(false);
    let total = Mutex::new(Tally::default());
    let progress = AtomicU64::new(0);
    let t0 = Instant::now();
    let len = range.end - range.start;
    let hang = Duration::from_secs(env_u64("RACESIM_FUZZ_HANG_S", 600));
    std::thread::scope(|sc| {
        // the watchdog: a case running over `RACESIM_FUZZ_HANG_S` (600 s) is a hang (a fit at
        // the smallest step, 1 ms, takes seconds; a niced run on a busy machine far longer)
        sc.spawn(|| {
            while !done.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(500));
                for w in 0..threads as usize {
                    let c = current[w].load(Ordering::Relaxed);
                    let el = started[w].lock().unwrap().elapsed();
                    if c != u64::MAX && el > hang {
                        eprintln!("fuzz: HANG in case {c} (over {} s); abort", el.as_secs());
                        std::process::abort();
                    }
                }
                let p = progress.load(Ordering::Relaxed);
                if len >= 100_000 && p > 0 && p % 50_000 < 50 {
                    // coarse progress for the long run
                }
            }
        });
        let workers: Vec<_> = (0..threads)
            .map(|w| {
                let ctx = &ctx;
                let current = &current;
                let started = &started;
                let total = &total;
                let progress = &progress;
                let range = range.clone();
                sc.spawn(move || {
                    let mut t = Tally::default();
                    let mut last_report = Instant::now();
                    let mut n = range.start + w;
                    while n < range.end {
                        *started[w as usize].lock().unwrap() = Instant::now();
                        current[w as usize].store(n, Ordering::Relaxed);
                        let (target, input, verdict) = run_case(ctx, n, &mut t);
                        current[w as usize].store(u64::MAX, Ordering::Relaxed);
                        t.cases += 1;
                        match verdict {
                            Ok(true) => *t.accepted.entry(target).or_default() += 1,
                            Ok(false) => *t.rejected.entry(target).or_default() += 1,
                            Err(f) => {
                                let ext = if target == Target::Record {
                                    "json"
                                } else {
                                    "toml"
                                };
                                let dir = findings_dir();
                                let _ = std::fs::create_dir_all(&dir);
                                let p = dir.join(format!("case-{n}.{ext}"));
                                let _ = std::fs::write(&p, &input);
                                t.findings
                                    .push(format!("case {n} ({target:?}, {}): {f}", p.display()));
                            }
                        }
                        let p = progress.fetch_add(1, Ordering::Relaxed) + 1;
                        if w == 0
                            && len >= 100_000
                            && last_report.elapsed() > Duration::from_secs(300)
                        {
                            last_report = Instant::now();
                            eprintln!(
                                "fuzz: {p} / {len} cases in {:.0} s (worker 0: accepted {:?}, \
                                 rejected {:?}, {} races, findings {})",
                                t0.elapsed().as_secs_f64(),
                                t.accepted,
                                t.rejected,
                                t.races,
                                t.findings.len()
                            );
                        }
                        n += threads;
                    }
                    let mut tot = total.lock().unwrap();
                    tot.cases += t.cases;
                    tot.races += t.races;
                    tot.no_line += t.no_line;
                    tot.no_field += t.no_field;
                    tot.t_check += t.t_check;
                    tot.t_build += t.t_build;
                    tot.t_build_rec += t.t_build_rec;
                    tot.t_race += t.t_race;
                    for (k, v) in t.accepted {
                        *tot.accepted.entry(k).or_default() += v;
                    }
                    for (k, v) in t.rejected {
                        *tot.rejected.entry(k).or_default() += v;
                    }
                    tot.findings.extend(t.findings);
                })
            })
            .collect();
        for w in workers {
            w.join().unwrap();
        }
        done.store(true, Ordering::Relaxed);
    });
    std::panic::set_hook(hook);
    let t = total.into_inner().unwrap();
    eprintln!(
        "fuzz: cases {}..{}: {} inputs in {:.1} s; accepted {:?}; rejected {:?}; {} races; \
         rejections without a line {}, without a field {}; time checking {:.1} s, building \
         {:.1} s (records {:.1} s), racing {:.1} s; findings {}",
        range.start,
        range.end,
        t.cases,
        t0.elapsed().as_secs_f64(),
        t.accepted,
        t.rejected,
        t.races,
        t.no_line,
        t.no_field,
        t.t_check,
        t.t_build,
        t.t_build_rec,
        t.t_race,
        t.findings.len()
    );
    t
}

fn assert_clean(t: &Tally) {
    assert!(
        t.findings.is_empty(),
        "{} findings (inputs saved):\n{}",
        t.findings.len(),
        t.findings
            .iter()
            .take(30)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

/// Part of `cargo test --release`: 3 000 cases, every target, both kinds of mutation. Most
/// inputs are accepted or rejected in well under a millisecond; an accepted one runs one race.
#[test]
fn fuzz_short() {
    let t = run_cases(
        0..3000,
        1,
        100,
        1,
        env_u64("RACESIM_FUZZ_RECORD_BUILD_EVERY", 10),
    );
    assert_clean(&t);
    // the mutations reach past the parsers: every target has accepted and rejected inputs
    for target in [Target::Scenario, Target::Record, Target::Model] {
        assert!(
            t.accepted.get(&target).copied().unwrap_or(0) > 20
                && t.rejected.get(&target).copied().unwrap_or(0) > 20,
            "{target:?}: accepted {:?}, rejected {:?}",
            t.accepted,
            t.rejected
        );
    }
}

/// The long run (see the module docs): `RACESIM_FUZZ_CASES` inputs from `RACESIM_FUZZ_START`.
#[test]
#[ignore = "the long run: RACESIM_FUZZ_CASES=1000000 nice -n 19 cargo test --release --test fuzz -- --ignored --nocapture fuzz_long"]
fn fuzz_long() {
    let start = env_u64("RACESIM_FUZZ_START", 1_000_000);
    let cases = env_u64("RACESIM_FUZZ_CASES", 1_000_000);
    let threads = env_u64("RACESIM_FUZZ_THREADS", 1).max(1);
    let t = run_cases(
        start..start + cases,
        threads,
        1000,
        env_u64("RACESIM_FUZZ_BUILD_EVERY", 4),
        env_u64("RACESIM_FUZZ_RECORD_BUILD_EVERY", 20),
    );
    assert_clean(&t);
}

/// One case, its input and verdict printed: `RACESIM_FUZZ_CASE=N`.
#[test]
#[ignore = "RACESIM_FUZZ_CASE=N cargo test --release --test fuzz -- --ignored --nocapture fuzz_one"]
fn fuzz_one() {
    let n = env_u64("RACESIM_FUZZ_CASE", 0);
    let cache = FitCache::new();
    let seeds = seeds(&cache);
    let ctx = Ctx {
        seeds: &seeds,
        cache: &cache,
        render_every: 1,
        race_every: 1,
        record_build_every: 1,
    };
    let mut t = Tally::default();
    let (target, input, verdict) = run_case(&ctx, n, &mut t);
    println!("--- case {n} ({target:?}) ---\n{input}\n--- verdict: {verdict:?}");
}

/// Every input a fuzz run found a problem with, kept (`tests/fuzz_regressions/`): each must now
/// be rejected cleanly or run a sane race.
#[test]
fn fuzz_regressions() {
    let dir = root().join("tests/fuzz_regressions");
    let cache = FitCache::new();
    let seeds = seeds(&cache);
    let ctx = Ctx {
        seeds: &seeds,
        cache: &cache,
        render_every: 1,
        race_every: 1,
        record_build_every: 1,
    };
    let mut t = Tally::default();
    let mut n_files = 0;
    let mut bad = Vec::new();
    for f in read_dir_sorted(&dir, "toml")
        .into_iter()
        .chain(read_dir_sorted(&dir, "json"))
    {
        n_files += 1;
        let mut rng = Rng::new(7);
        let verdict = catch_unwind(AssertUnwindSafe(|| {
            if f.name.ends_with(".json") {
                record_case(&ctx, 0, &f.text, &mut rng, &mut t)
            } else {
                scenario_case(&ctx, 0, &f.text, &mut rng, &mut t)
            }
        }))
        .unwrap_or_else(|_| Err("PANIC".into()));
        if let Err(e) = verdict {
            bad.push(format!("{}: {e}", f.name));
        }
    }
    assert!(n_files > 0, "no regression inputs in {}", dir.display());
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// The harness' stack overflow (a record nested 100 000 deep) and its quadratic cousin: a clean
/// error naming the file and the line, at once.
#[test]
fn deep_nesting_is_refused_at_once() {
    for (open, close) in [("[", "]"), ("{\"a\":", "}")] {
        for depth in [65usize, 20_000, 100_000] {
            let text = format!("{}1{}", open.repeat(depth), close.repeat(depth));
            let e = RaceRecord::from_str(&text, "deep.json").unwrap_err();
            let msg = e.to_string();
            assert!(
                msg.starts_with("deep.json:1: ") && !msg.contains('\n'),
                "{msg}"
            );
        }
    }
}
