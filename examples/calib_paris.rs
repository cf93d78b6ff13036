//! The Paris 2024 final's twelve fits and their solo times, as `benches/calibration.rs` times
//! them, once: for counting instructions, which a shared machine's load does not change
//! (`valgrind --tool=cachegrind --cache-sim=no target/release/examples/calib_paris`).
use racesim::field::RunnerSource;
use racesim::field::calibrate;
use racesim::input::scenario::Scenario;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sc = Scenario::load(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/paris-2024-olympic-1500.toml"
    ))?;
    for r in &sc.runners {
        let RunnerSource::Reported(marks) = &r.source else {
            continue;
        };
        let f = calibrate::fit(marks, &sc.params)?;
        let t = calibrate::time_trial(&f.physiology, sc.track, sc.distance_m, &sc.params);
        println!(
            "{:<20} CS {:.6} D′ {:.3} MSS {:.5}  1500 m solo {t:.3} s",
            r.name, f.physiology.cs, f.physiology.d_prime, f.physiology.mss
        );
    }
    Ok(())
}
