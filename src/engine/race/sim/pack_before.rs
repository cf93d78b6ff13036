//! The two-three-wide pack's station as written before stop 22 (main 413705f), kept for the
//! tests only: the faster `pack_station` must give the same station, bit for bit, on any field.

use super::{
    PACK_COLUMNS, PACK_REACH_M, PACK_SIDE_SCAN, PACK_STAY_M, PACK_WIDTH_BEND_M,
    PACK_WIDTH_STRAIGHT_M, Packed, Ref, Station, StepConsts,
};

/// The column as it was computed, with `f64::floor`.
fn column_with_floor(y: f64, slot: f64) -> i64 {
    (y / slot + 0.5).floor() as i64
}

pub(super) fn pack_station_before(
    pk: &[Packed],
    oi: usize,
    c: &StepConsts,
    on_bend: bool,
) -> Option<Station> {
    let me = pk.get(oi)?;
    let (sa, ya) = (me.s, me.y);
    let slot = c.slot;
    let k = column_with_floor(ya, slot);
    // columns k − 2 ..= k + 1 (index m = column − k + 2): the nearest man ahead or less than
    // `min_gap_m` behind (a move's clearance and station), and the nearest clearly ahead (his
    // own column's station, and the shoulder for the column outside)
    let mut own = [None::<(f64, f64)>; 4];
    let mut ahead = [None::<(f64, f64)>; 4];
    let mut note = |o: &Packed, ds: f64| {
        let m = column_with_floor(o.y, slot) - k + 2;
        if let Ok(m) = usize::try_from(m) {
            if let (Some(own), Some(ahead)) = (own.get_mut(m), ahead.get_mut(m)) {
                if ds > -c.min_gap && own.is_none_or(|(d, _)| ds < d) {
                    *own = Some((ds, o.v));
                }
                if ds > 0.0 && ahead.is_none_or(|(d, _)| ds < d) {
                    *ahead = Some((ds, o.v));
                }
            }
        }
    };
    for o in pk.get(..oi).unwrap_or_default().iter().rev() {
        let ds = o.s - sa;
        if ds > PACK_REACH_M {
            break;
        }
        note(o, ds);
    }
    for o in pk.get(oi + 1..).unwrap_or_default() {
        let ds = o.s - sa;
        if ds <= -c.min_gap {
            break;
        }
        note(o, ds);
    }
    if own.iter().chain(&ahead).all(Option::is_none) {
        // nobody near: he runs as the engine always did
        return None;
    }
    let width = if on_bend {
        PACK_WIDTH_BEND_M
    } else {
        PACK_WIDTH_STRAIGHT_M
    };
    let top = (PACK_COLUMNS - 1).max(k);
    // each candidate column (k − 1, k, k + 1; out only on a straight, never wider than the
    // pack's last column unless he is already wider): its station, if anyone sets one
    let lo_j = (k - 1).max(0);
    let mut cand = [(0_i64, None::<Ref>); 3];
    let mut n_cand = 0;
    for j in lo_j..=(k + 1).min(top) {
        if j > k && on_bend {
            continue;
        }
        let m = (j - k + 2) as usize;
        // in his own column the man directly ahead; in the next, the same, and nobody level with
        // him or just behind him there: he cannot cut in front of that man, and he does not
        // drop behind him either (only the man behind gives way: two men easing each for the
        // other would brake each other to a stop)
        if j != k && own[m].is_some_and(|(d, _)| d <= 0.0) {
            continue;
        }
        let direct = ahead[m].map(|(d, v)| (d - c.cfg.follow_gap_m, v));
        let shoulder = if j >= 1 {
            ahead[m - 1].map(|(d, v)| (d - c.shoulder_gap, v))
        } else {
            None
        };
        let follow = match (direct, shoulder) {
            (Some(a), Some(b)) => Some(if b.0 < a.0 { b } else { a }),
            (a, b) => a.or(b),
        };
        if follow.is_none() && j > k {
            // wide of everyone: a pass, not a station
            continue;
        }
        if let Some(slot_j) = cand.get_mut(n_cand) {
            *slot_j = (j, follow);
            n_cand += 1;
        }
    }
    let cand = cand.get(..n_cand).unwrap_or_default();
    // a column nobody constrains (at or inside his own) is worth the best station anyone sets:
    // he could be as far forward there as anywhere, and the width decides
    let free = cand
        .iter()
        .filter_map(|(_, f)| f.map(|(d, _)| d))
        .fold(f64::NEG_INFINITY, f64::max);
    let free = if free.is_finite() {
        free
    } else {
        PACK_REACH_M - c.cfg.follow_gap_m
    };
    // (score, column, station)
    let mut best: Option<(f64, i64, Option<Ref>)> = None;
    for &(j, follow) in cand {
        let at = follow.map_or(free, |(d, _)| d);
        // wide of the pack's columns he pays the bend's full π·Δy per column, whatever the
        // straight: he is heading in
        let wide = (j - (PACK_COLUMNS - 1)).max(0) as f64 * std::f64::consts::PI * slot;
        let score = at - width * j as f64 - wide + if j == k { PACK_STAY_M } else { 0.0 };
        if best.is_none_or(|(b, _, _)| score > b) {
            best = Some((score, j, follow));
        }
    }
    let (_, j, follow) = best?;
    // how far ahead of him a man in the target column must be for the move: `min_gap_m`, or,
    // wide of the pack's columns, a body depth — the fold-in (`wide_fold_in`)
    let ahead_clear = if k > PACK_COLUMNS - 1 {
        c.wide_clear
    } else {
        c.min_gap
    };
    let clear = own[(j - k + 2) as usize].is_none_or(|(d, _)| d >= ahead_clear);
    let target = j as f64 * slot;
    // nobody is squeezed: he holds his line while a man overlapping him (less than
    // `ahead_clear` ahead, or within `min_gap_m` behind) on the side he would move to is less
    // than a shoulder width from where he would go — the settling into his own column's line
    // included
    let lo = oi.saturating_sub(PACK_SIDE_SCAN);
    let hi = (oi + 1 + PACK_SIDE_SCAN).min(pk.len());
    let squeezed = pk.get(lo..hi).unwrap_or_default().iter().any(|o| {
        o.s - sa < ahead_clear
            && o.s - sa > -c.min_gap
            && (o.y - target).abs() < slot - 0.05
            && (o.y - ya) * (target - ya) > 0.0
    });
    let y = if (j != k && !clear) || squeezed {
        ya
    } else {
        target
    };
    Some(Station { follow, y })
}

#[cfg(test)]
mod tests {
    use super::super::{
        PACK_EXCLUDED_M, PACK_NOBODY_M, Simulator, blend, pack_column, pack_columns, pack_station,
    };
    use super::*;
    use crate::base::rng::mix64;
    use crate::testkit::small_setup;

    /// Uniform in [0, 1) from a counter.
    struct Draws(u64);
    impl Draws {
        fn u(&mut self) -> f64 {
            self.0 += 1;
            (mix64(self.0) >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    #[test]
    fn the_column_without_floor_is_the_column_with_it() {
        let slot = 0.75;
        let mut d = Draws(7);
        let mut ys = vec![
            0.0,
            -0.0,
            0.375,
            -0.375,
            -0.376,
            -0.75,
            1.125,
            7.5,
            8.0,
            -1e-300,
            1e300,
            -1e300,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        ys.extend((0..20_000).map(|_| (d.u() - 0.2) * 12.0));
        // exact half-columns and their neighbours, where the floor turns
        for j in -6..20 {
            let y = (f64::from(j) - 0.5) * slot;
            ys.extend([
                y,
                f64::from_bits(y.to_bits() + 1),
                f64::from_bits(y.to_bits() - 1),
            ]);
        }
        for y in ys {
            assert_eq!(
                pack_column(y, slot),
                column_with_floor(y, slot),
                "y = {y:e}"
            );
        }
    }

    /// The station's arithmetic choice gives back either value bit for bit, on the values it
    /// is used with: finite, and never −0 (a station, a score, `PACK_NOBODY_M`, the docks).
    #[test]
    fn the_blend_is_a_choice_bit_for_bit() {
        let mut d = Draws(3);
        let mut xs = vec![
            0.0,
            1.0,
            -1.0,
            0.3,
            0.65,
            PACK_NOBODY_M,
            PACK_NOBODY_M - 0.65,
            PACK_EXCLUDED_M,
            3.0 * PACK_EXCLUDED_M,
            f64::MIN_POSITIVE,
            f64::MAX,
            -f64::MAX,
        ];
        xs.extend((0..200).map(|_| (d.u() - 0.5) * 20.0));
        for &a in &xs {
            for &b in &xs {
                assert_eq!(blend(true, a, b).to_bits(), a.to_bits(), "{a:e} {b:e}");
                assert_eq!(blend(false, a, b).to_bits(), b.to_bits(), "{a:e} {b:e}");
            }
        }
    }

    /// Random sorted fields, with lines on the columns, half-way between them and anywhere;
    /// the station of every runner, on straights and bends, with the shipped pack's constants
    /// and with others: the new `pack_station` gives the former one's answer bit for bit.
    #[test]
    fn the_station_is_the_former_station_bit_for_bit() {
        let setup = small_setup(300.0);
        let sim = Simulator::new(&setup);
        let mut d = Draws(11);
        let mut compared = 0;
        let mut moved = 0;
        for field in 0..4000 {
            let mut c = sim.c;
            c.slot = [0.75, 0.75, 0.6, 1.1][field % 4];
            c.min_gap = [0.9, 0.9, 0.4, 1.5][(field / 4) % 4];
            c.cfg.follow_gap_m = c.min_gap + [0.4, 1.0][field % 2];
            c.shoulder_gap = [0.65, 0.3, 1.2][field % 3];
            c.wide_clear = c.min_gap + [1.0, 0.0, 0.5][(field / 3) % 3] * (0.5 - c.min_gap);
            let n = 2 + field % 14;
            let spread = [4.0, 10.0, 25.0][field % 3];
            let mut pk: Vec<Packed> = (0..n)
                .map(|i| {
                    let y = match (d.u() * 3.0) as u32 {
                        0 => (d.u() * 5.0).floor() * c.slot,
                        1 => ((d.u() * 5.0).floor() + 0.5) * c.slot,
                        _ => d.u() * 7.0,
                    };
                    let y = if d.u() < 0.05 { 0.0 } else { y };
                    Packed {
                        s: 300.0 + spread * d.u(),
                        y,
                        v: 5.5 + d.u(),
                        idx: i as u32,
                        runner: true,
                        kicking: false,
                    }
                })
                .collect();
            // two men level, now and then
            if n > 3 && field % 5 == 0 {
                pk[1].s = pk[2].s;
            }
            pk.sort_by(|a, b| b.s.total_cmp(&a.s));
            let mut cols = vec![0; n];
            pack_columns(&pk, c.slot, &mut cols);
            for oi in 0..n {
                for on_bend in [false, true] {
                    let new = pack_station(&pk, &cols, oi, &c, on_bend);
                    let old = pack_station_before(&pk, oi, &c, on_bend);
                    let bits = |st: Option<Station>| {
                        st.map(|st| {
                            (
                                st.y.to_bits(),
                                st.follow.map(|(a, b)| (a.to_bits(), b.to_bits())),
                            )
                        })
                    };
                    assert_eq!(
                        bits(new),
                        bits(old),
                        "field {field}, runner {oi}, bend {on_bend}"
                    );
                    compared += 1;
                    if old.is_some_and(|st| st.y != pk[oi].y) {
                        moved += 1;
                    }
                }
            }
        }
        // the fields exercise the moves, not only the stations
        assert!(compared > 30_000 && moved > 3_000, "{compared} {moved}");
    }
}
