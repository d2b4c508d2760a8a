//! Probits (normal equivalent deviates) and back, the scale on which seed
//! survival curves are straight lines.

/// Percentages closer than this to 0 or 100 are clamped before taking the probit.
///
/// A score of 100 % in a germination test of 100 seeds says "at least about
/// 99.75 %", not "certainly all": the usual (n − ¼)/n adjustment for n = 100,
/// the smallest common test size. Without a clamp one perfect test would put
/// an infinite point into a lot fit.
pub const PROBIT_CLAMP_PCT: f64 = 0.25;

/// Converts a viability percentage (0–100) into probits via the inverse normal CDF.
///
/// Values beyond [`PROBIT_CLAMP_PCT`] of either end are clamped, so 0 and 100
/// give finite probits (about ∓2.807). Acklam's rational approximation is
/// polished with one Halley step against [`percent`], which brings it to about
/// 1e-12 — well inside the 1e-6 the schedule needs.
pub fn probit(pct: f64) -> f64 {
    if pct.is_nan() {
        return f64::NAN;
    }
    let p = pct.clamp(PROBIT_CLAMP_PCT, 100.0 - PROBIT_CLAMP_PCT) / 100.0;
    let x = acklam(p);
    // One Halley step: Acklam alone is good to ~1e-9 relative, the refinement
    // makes round trips through `percent` exact to display precision.
    let e = normal_cdf(x) - p;
    let u = e * (2.0 * std::f64::consts::PI).sqrt() * (x * x / 2.0).exp();
    x - u / (1.0 + x * u / 2.0)
}

/// Converts probits back into a viability percentage (the normal CDF × 100).
pub fn percent(probit: f64) -> f64 {
    normal_cdf(probit) * 100.0
}

/// Acklam's inverse-normal approximation, for 0 < p < 1.
fn acklam(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    const P_LOW: f64 = 0.024_25;

    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < P_LOW {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - P_LOW {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

/// Standard normal CDF after Hart (1968) as given by West (2005), double precision.
///
/// std has no `erf`, and a single-precision approximation would make
/// probit ↔ percent round trips drift in the sixth decimal.
fn normal_cdf(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    let z = x.abs();
    let tail = if z > 37.0 {
        0.0
    } else {
        let e = (-z * z / 2.0).exp();
        if z < 7.071_067_811_865_47 {
            const NUM: [f64; 7] = [
                3.526_249_659_989_11e-2,
                0.700_383_064_443_688,
                6.373_962_203_531_65,
                33.912_866_078_383,
                112.079_291_497_871,
                221.213_596_169_931,
                220.206_867_912_376,
            ];
            const DEN: [f64; 8] = [
                8.838_834_764_831_84e-2,
                1.755_667_163_182_64,
                16.064_177_579_207,
                86.780_732_202_946_1,
                296.564_248_779_674,
                637.333_633_378_831,
                793.826_512_519_948,
                440.413_735_824_752,
            ];
            e * horner(&NUM, z) / horner(&DEN, z)
        } else {
            let cf = z + 1.0 / (z + 2.0 / (z + 3.0 / (z + 4.0 / (z + 0.65))));
            e / cf / 2.506_628_274_631
        }
    };
    if x > 0.0 { 1.0 - tail } else { tail }
}

/// Evaluates a polynomial given highest-degree coefficient first.
fn horner(coeffs: &[f64], x: f64) -> f64 {
    coeffs.iter().fold(0.0, |acc, c| acc * x + c)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Reference values from Python's statistics.NormalDist (exact to ~1e-15).
    const INV: [(f64, f64); 9] = [
        (1.0, -2.326_347_874_040_840_8),
        (2.425, -1.972_961_051_311_884_5),
        (5.0, -1.644_853_626_951_472_6),
        (10.0, -1.281_551_565_544_600_8),
        (50.0, 0.0),
        (80.75, 0.868_720_547_231_228_5),
        (85.0, 1.036_433_389_493_789_4),
        (95.0, 1.644_853_626_951_471_5),
        (99.0, 2.326_347_874_040_840_8),
    ];

    #[test]
    fn probit_matches_the_inverse_normal_to_1e_9() {
        for (pct, z) in INV {
            assert!(
                (probit(pct) - z).abs() < 1e-9,
                "probit({pct}) = {}",
                probit(pct)
            );
        }
    }

    #[test]
    fn percent_matches_the_normal_cdf_to_1e_10() {
        let cases = [
            (-3.0, 0.134_989_803_163_010_35),
            (-1.0, 15.865_525_393_145_707),
            (0.0, 50.0),
            (1.0, 84.134_474_606_854_29),
            (2.0, 97.724_986_805_182_08),
            (5.0, 99.999_971_334_842_82),
        ];
        for (z, pct) in cases {
            assert!(
                (percent(z) - pct).abs() < 1e-10,
                "percent({z}) = {}",
                percent(z)
            );
        }
    }

    #[test]
    fn probit_and_percent_round_trip_inside_the_clamp() {
        let mut pct = PROBIT_CLAMP_PCT;
        while pct <= 100.0 - PROBIT_CLAMP_PCT {
            assert!((percent(probit(pct)) - pct).abs() < 1e-9, "{pct}");
            pct += 0.25;
        }
        for z in [-2.5, -1.0, -0.1, 0.3, 1.7, 2.7] {
            assert!((probit(percent(z)) - z).abs() < 1e-9, "{z}");
        }
    }

    #[test]
    fn probit_clamps_zero_and_hundred_to_finite_values() {
        assert_eq!(probit(100.0), probit(100.0 - PROBIT_CLAMP_PCT));
        assert!((probit(0.0) + probit(100.0)).abs() < 1e-12);
        assert!((probit(100.0) - 2.807_033_768_343_811).abs() < 1e-9);
        assert!(probit(150.0).is_finite() && probit(-5.0).is_finite());
    }

    #[test]
    fn probit_is_symmetric_about_fifty_percent() {
        for pct in [1.0, 12.5, 30.0, 49.0] {
            assert!((probit(pct) + probit(100.0 - pct)).abs() < 1e-12);
        }
    }
}
