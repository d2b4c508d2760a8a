//! Germination test arithmetic: seedling counts per replicate, the
//! germination percentage and the check that replicates agree.

use super::FieldError;

/// Seedling counts of one replicate, as read at the end of a germination test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct GerminationCounts {
    /// Normal seedlings — the only ones that count as germinated (ISTA).
    pub normal: u32,
    /// Abnormal seedlings: germinated but unable to grow into a plant.
    pub abnormal: u32,
    /// Fresh ungerminated or hard seeds, alive but dormant.
    pub dormant: u32,
    /// Dead seeds (soft, mouldy or empty).
    pub dead: u32,
}

impl GerminationCounts {
    /// Seeds in the replicate (all four categories); u64 so no sum can overflow.
    pub fn seeds(&self) -> u64 {
        [self.normal, self.abnormal, self.dormant, self.dead]
            .iter()
            .map(|&n| u64::from(n))
            .sum()
    }

    /// This replicate's germination (%), or None when it holds no seeds.
    pub fn germination_pct(&self) -> Option<f64> {
        let seeds = self.seeds();
        (seeds > 0).then(|| f64::from(self.normal) * 100.0 / seeds as f64)
    }
}

/// Germination (%) of a test: normal seedlings over all seeds tested, × 100.
///
/// Pooled over replicates, so replicates of unequal size weigh by their seeds.
pub fn germination_pct(replicates: &[GerminationCounts]) -> Result<f64, FieldError> {
    pooled_pct(replicates, |r| u64::from(r.normal))
}

/// Viability (%) counting dormant seeds as alive: (normal + dormant) / seeds × 100.
///
/// Genebank manuals (Rao et al. 2006) count fresh ungerminated seeds as
/// viable when dormancy could not be broken; germination alone would then
/// understate the lot and trigger needless regeneration.
pub fn viable_pct(replicates: &[GerminationCounts]) -> Result<f64, FieldError> {
    pooled_pct(replicates, |r| u64::from(r.normal) + u64::from(r.dormant))
}

/// Pools a count over replicates as a percentage of all seeds, after validation.
fn pooled_pct(
    replicates: &[GerminationCounts],
    count: impl Fn(&GerminationCounts) -> u64,
) -> Result<f64, FieldError> {
    validate_replicates(replicates)?;
    let seeds: u64 = replicates.iter().map(GerminationCounts::seeds).sum();
    let counted: u64 = replicates.iter().map(count).sum();
    Ok(counted as f64 * 100.0 / seeds as f64)
}

/// Checks that there is at least one replicate and none is empty.
pub fn validate_replicates(replicates: &[GerminationCounts]) -> Result<(), FieldError> {
    if replicates.is_empty() {
        return Err(FieldError::new(
            "replicates",
            "required",
            "replicates: enter the counts of at least one replicate",
        ));
    }
    if let Some(i) = replicates.iter().position(|r| r.seeds() == 0) {
        return Err(FieldError::new(
            format!("replicates[{i}]"),
            "no_seeds",
            format!("replicates[{i}]: replicate {} has no seeds counted", i + 1),
        ));
    }
    Ok(())
}

/// Whether replicates of one test agree closely enough to report their mean.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct ToleranceCheck {
    /// Pooled germination (%) of the test.
    pub mean_pct: f64,
    /// Highest minus lowest replicate germination, in percentage points.
    pub range_pct: f64,
    /// The largest range expected by chance at this germination and test size.
    pub max_range_pct: f64,
    /// False when the range exceeds the maximum: retest before recording.
    pub within: bool,
}

/// Upper 2.5 % points of the range of k standard normal values, k = 2..=10.
///
/// Computed by numerical integration of the range distribution; k = 2 is
/// √2 × 2.2414. ISTA's tolerance tables rest on the same 2.5 % level.
const RANGE_Q975: [f64; 9] = [
    3.170, 3.682, 3.984, 4.197, 4.361, 4.494, 4.605, 4.700, 4.784,
];

/// Checks the spread between replicates, ISTA-style: flag a range too wide for chance.
///
/// Each replicate's count is binomial, so at pooled germination P and mean
/// replicate size n its percentage has standard deviation √(P(100 − P)/n).
/// The maximum tolerated range is the 2.5 % point of the range of k such
/// values (`RANGE_Q975`) times that deviation, plus half a seed (50/n
/// points) because counts are whole seeds. For 4 × 100 seeds this gives
/// 20.4 points at 50 %, 12.4 at 90 % and 4.5 at 99 % — close to, but not a
/// copy of, ISTA's tables; more than 10 replicates use the 10-replicate value.
/// Needs at least two replicates.
pub fn replicate_tolerance(replicates: &[GerminationCounts]) -> Result<ToleranceCheck, FieldError> {
    let mean_pct = germination_pct(replicates)?;
    if replicates.len() < 2 {
        return Err(FieldError::new(
            "replicates",
            "too_few_replicates",
            "replicates: the tolerance check needs at least two replicates",
        ));
    }
    let pcts: Vec<f64> = replicates
        .iter()
        .filter_map(|r| r.germination_pct())
        .collect();
    let max = pcts.iter().copied().fold(f64::MIN, f64::max);
    let min = pcts.iter().copied().fold(f64::MAX, f64::min);
    let range_pct = max - min;
    let seeds: u64 = replicates.iter().map(GerminationCounts::seeds).sum();
    let mean_size = seeds as f64 / replicates.len() as f64;
    let q = RANGE_Q975[(replicates.len() - 2).min(RANGE_Q975.len() - 1)];
    let sd = (mean_pct * (100.0 - mean_pct) / mean_size).sqrt();
    let max_range_pct = q * sd + 50.0 / mean_size;
    Ok(ToleranceCheck {
        mean_pct,
        range_pct,
        max_range_pct,
        // A hair of slack so a range equal to the limit is not lost to rounding.
        within: range_pct <= max_range_pct + 1e-9,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rep(normal: u32, abnormal: u32, dormant: u32, dead: u32) -> GerminationCounts {
        GerminationCounts {
            normal,
            abnormal,
            dormant,
            dead,
        }
    }

    #[test]
    fn germination_is_normal_seedlings_over_seeds_tested() {
        let reps = [rep(90, 4, 3, 3), rep(94, 2, 2, 2)];
        assert!((germination_pct(&reps).unwrap() - 92.0).abs() < 1e-12);
        assert_eq!(rep(45, 2, 2, 1).germination_pct(), Some(90.0));
    }

    #[test]
    fn germination_pools_unequal_replicates_by_seed_number() {
        let reps = [rep(50, 0, 0, 0), rep(0, 0, 0, 50), rep(100, 0, 0, 0)];
        assert!((germination_pct(&reps).unwrap() - 75.0).abs() < 1e-12);
    }

    #[test]
    fn viable_pct_counts_dormant_seeds_as_alive() {
        let reps = [rep(80, 5, 10, 5)];
        assert!((viable_pct(&reps).unwrap() - 90.0).abs() < 1e-12);
    }

    #[test]
    fn germination_without_replicates_is_rejected() {
        let e = germination_pct(&[]).unwrap_err();
        assert_eq!((e.field.as_str(), e.code), ("replicates", "required"));
    }

    #[test]
    fn germination_with_an_empty_replicate_is_rejected() {
        let e = germination_pct(&[rep(50, 0, 0, 0), GerminationCounts::default()]).unwrap_err();
        assert_eq!((e.field.as_str(), e.code), ("replicates[1]", "no_seeds"));
        assert!(e.message.contains("replicate 2"));
    }

    #[test]
    fn tolerance_limit_matches_the_binomial_rule_for_four_by_hundred() {
        let at = |normal: u32| [rep(normal, 100 - normal, 0, 0); 4];
        let fifty = replicate_tolerance(&at(50)).unwrap();
        assert!((fifty.max_range_pct - (3.984 * 5.0 + 0.5)).abs() < 1e-9);
        let ninety = replicate_tolerance(&at(90)).unwrap();
        assert!((ninety.max_range_pct - 12.452).abs() < 1e-3);
        assert_eq!(ninety.range_pct, 0.0);
        assert!(ninety.within);
    }

    #[test]
    fn replicates_too_far_apart_are_flagged() {
        // Mean 90 %, range 14 points > 12.45 allowed.
        let wide = [
            rep(97, 3, 0, 0),
            rep(83, 17, 0, 0),
            rep(90, 10, 0, 0),
            rep(90, 10, 0, 0),
        ];
        let check = replicate_tolerance(&wide).unwrap();
        assert!((check.range_pct - 14.0).abs() < 1e-9);
        assert!(!check.within);
        // Range 10 points at the same mean is within tolerance.
        let ok = [
            rep(95, 5, 0, 0),
            rep(85, 15, 0, 0),
            rep(90, 10, 0, 0),
            rep(90, 10, 0, 0),
        ];
        assert!(replicate_tolerance(&ok).unwrap().within);
    }

    #[test]
    fn tolerance_needs_two_replicates() {
        let e = replicate_tolerance(&[rep(90, 10, 0, 0)]).unwrap_err();
        assert_eq!(e.code, "too_few_replicates");
        assert_eq!(replicate_tolerance(&[]).unwrap_err().code, "required");
    }

    #[test]
    fn tolerance_allows_many_replicates_using_the_largest_tabulated_q() {
        let many = [rep(45, 5, 0, 0); 16];
        let check = replicate_tolerance(&many).unwrap();
        assert!(check.within);
        assert!(
            (check.max_range_pct - (4.784 * (90.0 * 10.0 / 50.0f64).sqrt() + 1.0)).abs() < 1e-9
        );
    }
}
