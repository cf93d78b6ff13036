//! Issue 12 item 4: `run --target`, the head-to-head table, and `compare` showing every runner
//! whose win chance moves by more than its error.

use super::common::{racesim, stdout, tmpdir, write};

const FIELD: &str = r#"
[race]
name = "Odds test"
track = "outdoor400"
distance = "1500m"
seed = 9

[[runner]]
name = "Star"
cs = 6.20
d_prime = 300
mss = 9.0

[[runner]]
name = "Rival"
cs = 6.22
d_prime = 300
mss = 9.0

[[runner]]
name = "Third"
cs = 6.00
d_prime = 280
mss = 8.8
"#;

#[test]
#[allow(clippy::needless_range_loop)] // i and j index two runners in the same matrix
fn target_and_h2h_tables_are_consistent() {
    let dir = tmpdir("odds-run");
    let sc = write(&dir, "odds.toml", FIELD);
    let sc = sc.to_str().unwrap();
    let out = dir.join("out");
    let o = racesim(&[
        "run",
        sc,
        "-n",
        "300",
        "--target",
        "3:40",
        "--target",
        "3:20",
        "--h2h",
        "-o",
        out.to_str().unwrap(),
        "--no-charts",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = stdout(&o);
    assert!(text.contains("< 3:40.00 %"), "{text}");
    assert!(text.contains("Head to head:"), "{text}");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let runners = v["runners"].as_array().unwrap();
    let h = v["head_to_head"].as_array().unwrap();
    assert_eq!(h.len(), 3);
    for i in 0..3 {
        for j in 0..3 {
            let p = h[i][j]["p"].as_f64().unwrap();
            if i == j {
                assert_eq!(p, 0.0);
            } else {
                // one of the two finishes ahead in every race
                let q = h[j][i]["p"].as_f64().unwrap();
                assert!((p + q - 1.0).abs() < 1e-9, "{i} {j}: {p} + {q}");
            }
        }
        // a winner finishes ahead of everyone: P(ahead of all others) ≥ P(win) ≥ ...
        let win = runners[i]["p_win"]["p"].as_f64().unwrap();
        for j in (0..3).filter(|&j| j != i) {
            assert!(h[i][j]["p"].as_f64().unwrap() + 1e-9 >= win);
        }
    }
    let t = v["targets"].as_array().unwrap();
    assert_eq!(t.len(), 2);
    assert!((t[0]["time_s"].as_f64().unwrap() - 220.0).abs() < 1e-9);
    for i in 0..3 {
        // 3:40 is slow for these runners, 3:20 beyond them
        let slow = t[0]["p_beat"][i]["p"].as_f64().unwrap();
        let fast = t[1]["p_beat"][i]["p"].as_f64().unwrap();
        let median = runners[i]["time_q"]["p50"].as_f64().unwrap();
        assert!(median < 220.0 && slow > 0.5, "{slow} {median}");
        assert!(fast < slow);
        assert!(t[0]["p_beat"][i]["se"].as_f64().unwrap() >= 0.0);
    }
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("Head to head") && html.contains("Chance of beating a time"));
}

#[test]
fn compare_shows_every_runner_whose_win_chance_moves() {
    let dir = tmpdir("odds-compare");
    let sc = write(&dir, "odds.toml", FIELD);
    // Star becomes much stronger: Rival's own setup does not change, but his win chance falls
    let o = racesim(&[
        "compare",
        sc.to_str().unwrap(),
        "--variants",
        "base,base@runner.\"Star\".cs=6.6",
        "-n",
        "300",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = stdout(&o);
    assert!(text.contains("\nStar\n"), "{text}");
    assert!(text.contains("\nRival\n"), "{text}");
}
