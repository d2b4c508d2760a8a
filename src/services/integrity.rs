//! The promises the data keeps, checked on a whole database: every sample's quantity is the sum
//! of its ledger, nothing is below zero or reserved beyond what is there, and every sample and
//! ledger entry has its audit record. Used after restores and crash tests; empty means sound.

use sea_orm::{ConnectionTrait, Statement};

use crate::error::AppResult;

/// (what is wrong, the query that finds the offending rows as `id`).
const CHECKS: [(&str, &str); 4] = [
    (
        "quantity differs from the sum of its ledger",
        "SELECT s.id AS id FROM samples s LEFT JOIN \
           (SELECT sample_id, SUM(delta) AS total FROM ledger_entries GROUP BY sample_id) l \
           ON l.sample_id = s.id \
         WHERE ABS(s.quantity - COALESCE(l.total, 0)) > 0.000001",
    ),
    (
        "quantity below zero or reserved beyond what is there",
        "SELECT id FROM samples WHERE quantity < 0 OR reserved_quantity < 0 \
           OR reserved_quantity > quantity + 0.000001",
    ),
    (
        "sample without an audit record",
        "SELECT s.id AS id FROM samples s WHERE NOT EXISTS (SELECT 1 FROM audit_log a \
           WHERE a.table_name = 'samples' AND a.row_id = CAST(s.id AS TEXT))",
    ),
    (
        "ledger entry without an audit record",
        "SELECT e.id AS id FROM ledger_entries e WHERE NOT EXISTS (SELECT 1 FROM audit_log a \
           WHERE a.table_name = 'ledger_entries' AND a.row_id = CAST(e.id AS TEXT))",
    ),
];

/// Everything that breaks a promise, one line per check with the first offending ids.
pub async fn problems<C: ConnectionTrait>(conn: &C) -> AppResult<Vec<String>> {
    let mut out = Vec::new();
    for (what, sql) in CHECKS {
        let rows = conn
            .query_all_raw(Statement::from_string(
                conn.get_database_backend(),
                format!("{sql} LIMIT 10"),
            ))
            .await?;
        if !rows.is_empty() {
            let ids: Vec<String> = rows
                .iter()
                .filter_map(|r| r.try_get::<i64>("", "id").ok())
                .map(|id| id.to_string())
                .collect();
            out.push(format!("{what}: {}", ids.join(", ")));
        }
    }
    Ok(out)
}
