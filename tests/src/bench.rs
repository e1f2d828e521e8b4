//! Bulk seeding for the benchmark: outlets, journalists and their sessions written straight
//! into the database (multi-row inserts), so setting up 10,000 journalists takes seconds.
use pressnet_schema::auth::password;
use pressnet_schema::entities::{account, journalist, outlet};
use pressnet_schema::enums::{AccreditationStatus, OutletKind, OutletScope, Role};
use pressnet_schema::services::accounts;
use pressnet_schema::AppContext;
use sea_orm::{EntityTrait, Set};
use uuid::Uuid;

pub struct Seeded {
    pub outlet_ids: Vec<Uuid>,
    /// Bearer tokens of the journalists, round-robin over the outlets.
    pub tokens: Vec<String>,
}

/// `outlets` accredited outlets and `journalists` journalists spread over them.
pub async fn seed(ctx: &AppContext, outlets: usize, journalists: usize) -> anyhow::Result<Seeded> {
    let now = ctx.clock.now();
    let tag = Uuid::new_v4().simple().to_string();
    let outlet_ids: Vec<Uuid> = (0..outlets).map(|_| Uuid::now_v7()).collect();
    let outlet_rows: Vec<outlet::ActiveModel> = outlet_ids
        .iter()
        .enumerate()
        .map(|(i, id)| outlet::ActiveModel {
            id: Set(*id),
            name: Set(format!("Báo thử nghiệm {i}")),
            kind: Set(if i % 2 == 0 {
                OutletKind::Online
            } else {
                OutletKind::Print
            }),
            scope: Set(if i % 5 == 0 {
                OutletScope::Central
            } else {
                OutletScope::Local
            }),
            licence_number: Set(format!("BENCH-{tag}-{i}")),
            email: Set(format!("toasoan{i}@bench.vn")),
            accreditation: Set(AccreditationStatus::Accredited),
            accredited_until: Set(None),
            created_at: Set(now),
        })
        .collect();
    for chunk in outlet_rows.chunks(1000) {
        outlet::Entity::insert_many(chunk.to_vec())
            .exec(&ctx.db)
            .await?;
    }
    let hash = password::hash("benchmark password")
        .await
        .map_err(|e| anyhow::anyhow!(e.public_message()))?;
    let mut account_ids = Vec::with_capacity(journalists);
    let mut js = Vec::with_capacity(journalists);
    let mut accts = Vec::with_capacity(journalists);
    for i in 0..journalists {
        let jid = Uuid::now_v7();
        let aid = Uuid::now_v7();
        let email = format!("pv{i}-{tag}@bench.vn");
        js.push(journalist::ActiveModel {
            id: Set(jid),
            outlet_id: Set(outlet_ids[i % outlet_ids.len().max(1)]),
            full_name: Set(format!("Phóng viên {i}")),
            email: Set(email.clone()),
            press_card_number: Set(None),
            created_at: Set(now),
        });
        accts.push(account::ActiveModel {
            id: Set(aid),
            email: Set(email),
            password_hash: Set(Some(hash.clone())),
            role: Set(Role::Journalist),
            spokesperson_id: Set(None),
            journalist_id: Set(Some(jid)),
            created_at: Set(now),
        });
        account_ids.push(aid);
    }
    for chunk in js.chunks(1000) {
        journalist::Entity::insert_many(chunk.to_vec())
            .exec(&ctx.db)
            .await?;
    }
    for chunk in accts.chunks(1000) {
        account::Entity::insert_many(chunk.to_vec())
            .exec(&ctx.db)
            .await?;
    }
    let mut tokens = Vec::with_capacity(journalists);
    for id in account_ids {
        tokens.push(
            accounts::open_session(ctx, id)
                .await
                .map_err(|e| anyhow::anyhow!(e.public_message()))?,
        );
    }
    Ok(Seeded { outlet_ids, tokens })
}

/// Resident memory of this process in KiB (Linux).
pub fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        })
        .unwrap_or(0)
}

/// Percentile of sorted data (nearest rank).
pub fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}
