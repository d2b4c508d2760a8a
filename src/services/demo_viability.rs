//! `biobank demo`, viability part: test histories for the seed lots, strains and cell lines,
//! so that predictions, lot fits, due and overdue lots and a quarantined batch appear at once.

use chrono::{Datelike, Months, NaiveDate, TimeDelta};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use entities::{accession, sample, user};

use super::Actor;
use super::viability::{NewViabilityTest, record};
use crate::domain::viability::GerminationCounts;
use crate::error::AppResult;

/// Four replicates of 50 seeds around `pct` % germination.
fn replicates(rng: &mut StdRng, pct: f64) -> Vec<GerminationCounts> {
    (0..4)
        .map(|_| {
            let normal = ((pct / 100.0 * 50.0) + rng.random_range(-1.5..1.5))
                .round()
                .clamp(0.0, 50.0) as u32;
            let abnormal = (50 - normal).min(rng.random_range(0..3));
            let dormant = (50 - normal - abnormal).min(rng.random_range(0..2));
            GerminationCounts {
                normal,
                abnormal,
                dormant,
                dead: 50 - normal - abnormal - dormant,
            }
        })
        .collect()
}

fn germination(sample_id: i64, on: NaiveDate, reps: Vec<GerminationCounts>) -> NewViabilityTest {
    NewViabilityTest {
        sample_id,
        test_type: "germination".into(),
        tested_on: on,
        replicates: Some(reps),
        seeds_per_replicate: Some(50),
        substrate: Some("top of paper".into()),
        temperature_regime: Some("20 °C constant".into()),
        light_hours: Some(8.0),
        prechill_days: Some(0),
        count_days: Some(14),
        ..Default::default()
    }
}

fn other(sample_id: i64, kind: &str, on: NaiveDate) -> NewViabilityTest {
    NewViabilityTest {
        sample_id,
        test_type: kind.into(),
        tested_on: on,
        ..Default::default()
    }
}

/// Records the demonstration test histories; returns a line for the summary.
pub async fn record_histories(db: &DatabaseConnection, today: NaiveDate) -> AppResult<String> {
    let tech_id = user::Entity::find()
        .filter(user::Column::Username.eq("demo-technician"))
        .one(db)
        .await?
        .map(|u| u.id);
    let tech = Actor {
        user_id: tech_id,
        name: "demo-technician".into(),
        ip: None,
    };
    let mut rng = StdRng::seed_from_u64(85);
    let lots = sample::Entity::find()
        .find_also_related(accession::Entity)
        .order_by_asc(sample::Column::Id)
        .all(db)
        .await?;
    let mut tests = 0usize;
    let mut cell_lines = 0usize;
    for (s, a) in lots {
        let Some(a) = a else { continue };
        let banked = s.banked_on.unwrap_or_else(|| s.created_at.date_naive());
        let mut batch: Vec<NewViabilityTest> = Vec::new();
        match a.material_type.as_str() {
            "seed" if s.quantity >= 1000.0 => {
                let scenario = s.id % 10;
                if scenario == 0 {
                    continue; // never tested: the missing-initial-test list
                }
                let first = banked + TimeDelta::days(rng.random_range(20..120));
                let initial = rng.random_range(88.0..99.0);
                batch.push(germination(s.id, first, replicates(&mut rng, initial)));
                let later = |years: u32| first.checked_add_months(Months::new(12 * years));
                match scenario {
                    2 | 3 | 6 => {
                        // A slow, steady decline: the lot's own fit takes over.
                        for (years, loss) in [(6, 3.0), (12, 7.0)] {
                            if let Some(d) = later(years).filter(|d| *d < today) {
                                batch.push(germination(
                                    s.id,
                                    d,
                                    replicates(&mut rng, initial - loss),
                                ));
                            }
                        }
                    }
                    4 => {
                        // Fell well below prediction: flagged and due for regeneration.
                        if let Some(d) = later(8).filter(|d| *d < today) {
                            batch.push(germination(s.id, d, replicates(&mut rng, initial * 0.7)));
                        }
                    }
                    _ => {}
                }
            }
            "strain" => {
                if s.id % 5 == 0 {
                    continue;
                }
                let on = today - TimeDelta::days(rng.random_range(200..2200));
                let mut revival = other(s.id, "revival", on);
                revival.growth = Some("good".into());
                revival.result_pct = Some(rng.random_range(82.0..99.0f64).round());
                revival.consumed_quantity = Some(1.0);
                batch.push(revival);
                let mut purity = other(s.id, "purity", on);
                purity.conforms = Some(true);
                purity.colony_morphology = Some("typical".into());
                batch.push(purity);
            }
            "cell_line" => {
                cell_lines += 1;
                let on = today - TimeDelta::days(rng.random_range(60..900));
                let mut thaw = other(s.id, "post_thaw_viability", on);
                thaw.result_pct = Some(rng.random_range(80.0..96.0f64).round());
                thaw.method = Some("trypan blue".into());
                thaw.consumed_quantity = Some(1.0);
                batch.push(thaw);
                let mut myco = other(s.id, "mycoplasma", on);
                myco.method = Some("PCR".into());
                // One batch fails: quarantined until a later negative test.
                myco.passed = Some(cell_lines != 3);
                batch.push(myco);
                let mut str_test = other(s.id, "str_profile", on);
                str_test.str_match_pct = Some(if cell_lines == 5 { 46.0 } else { 100.0 });
                batch.push(str_test);
            }
            _ => continue,
        }
        for t in batch {
            if t.tested_on > today || t.tested_on.year() < 1900 {
                continue;
            }
            record(db, &tech, t, today).await?;
            tests += 1;
        }
    }
    Ok(format!("Viability and quality tests: {tests}.\n"))
}
