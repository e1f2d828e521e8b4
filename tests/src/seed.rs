//! Bulk seeding for the benchmark: outlets, journalists and their sessions written straight
//! into the database (multi-row inserts), so setting up 10,000 journalists takes seconds.
use chrono::{DateTime, Duration, Utc};
use pressnet_domain::auth::password;
use pressnet_domain::entities::{account, delivery, inquiry, journalist, outlet, release, unit};
use pressnet_domain::enums::{
    AccreditationStatus, Channel, DeliveryStatus, InquiryStatus, OutletKind, OutletScope,
    ReleaseKind, ReleaseStatus, Role, UnitLevel,
};
use pressnet_domain::services::accounts;
use pressnet_domain::AppContext;
use sea_orm::{EntityTrait, Set};
use uuid::Uuid;

pub struct Seeded {
    pub outlet_ids: Vec<Uuid>,
    pub journalist_ids: Vec<Uuid>,
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
            media_types: Set(None),
            ended_at: Set(None),
            successor_id: Set(None),
        })
        .collect();
    for chunk in outlet_rows.chunks(1000) {
        outlet::Entity::insert_many(chunk.to_vec())
            .exec(&ctx.db)
            .await?;
    }
    let hash = password::hash("benchmark password")
        .await
        .map_err(pressnet_domain::error::Failure)?;
    let mut account_ids = Vec::with_capacity(journalists);
    let mut journalist_ids = Vec::with_capacity(journalists);
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
            press_card_expires_at: Set(None),
            press_card_reminded_days: Set(None),
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
        journalist_ids.push(jid);
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
                .map_err(pressnet_domain::error::Failure)?,
        );
    }
    Ok(Seeded {
        outlet_ids,
        journalist_ids,
        tokens,
    })
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

/// A year of a large province, written straight into the database: `units` units,
/// `releases` published releases spread over the year before `end`, each with a LIVE delivery
/// to `per_release` outlets (97 % delivered, 2 % acknowledged, the rest pending or failed), and
/// three press questions per unit and month. The outlets and journalists come from `seeded`.
pub async fn seed_year(
    ctx: &AppContext,
    seeded: &Seeded,
    units: usize,
    releases: usize,
    per_release: usize,
    end: DateTime<Utc>,
) -> anyhow::Result<u64> {
    let start = end - Duration::days(365);
    let unit_ids: Vec<Uuid> = (0..units).map(|_| Uuid::now_v7()).collect();
    let rows: Vec<unit::ActiveModel> = unit_ids
        .iter()
        .enumerate()
        .map(|(i, id)| unit::ActiveModel {
            id: Set(*id),
            code: Set(format!("BENCH-{i}-{}", &id.simple().to_string()[..8])),
            name: Set(format!("Đơn vị {i}")),
            level: Set(if i == 0 {
                UnitLevel::Province
            } else {
                UnitLevel::Department
            }),
            parent_id: Set(None),
            created_at: Set(start),
            started_at: Set(None),
            ended_at: Set(None),
            vacancy_reminded_at: Set(None),
        })
        .collect();
    for chunk in rows.chunks(1000) {
        unit::Entity::insert_many(chunk.to_vec())
            .exec(&ctx.db)
            .await?;
    }
    let outlets = &seeded.outlet_ids;
    let step = 365.0 * 86_400.0 / releases.max(1) as f64;
    let mut written = 0u64;
    let mut rel_rows = Vec::with_capacity(500);
    let mut del_rows: Vec<delivery::ActiveModel> = Vec::with_capacity(5000);
    for i in 0..releases {
        let id = Uuid::now_v7();
        let at = start + Duration::seconds((i as f64 * step) as i64);
        rel_rows.push(release::ActiveModel {
            id: Set(id),
            unit_id: Set(unit_ids[i % units.max(1)]),
            kind: Set(ReleaseKind::PressRelease),
            status: Set(ReleaseStatus::Published),
            title: Set(format!("Thông cáo báo chí số {i}")),
            summary: Set("Tóm tắt".into()),
            body: Set("Nội dung thông cáo.".into()),
            topics: Set("[]".into()),
            audience: Set(r#"{"allAccredited":true}"#.into()),
            is_public: Set(true),
            search_text: Set(format!("thong cao bao chi so {i}")),
            listed_at: Set(at),
            publish_at: Set(None),
            published_at: Set(Some(at)),
            version: Set(1),
            supersedes_id: Set(None),
            retracted_at: Set(None),
            retract_reason: Set(None),
            created_by: Set(None),
            created_at: Set(at),
            updated_at: Set(at),
            plan_item_id: Set(None),
        });
        for k in 0..per_release.min(outlets.len()) {
            let n = i * 31 + k;
            let status = match n % 100 {
                0 => DeliveryStatus::Pending,
                1 => DeliveryStatus::Failed,
                2 | 3 => DeliveryStatus::Acknowledged,
                _ => DeliveryStatus::Delivered,
            };
            let delivered = matches!(
                status,
                DeliveryStatus::Delivered | DeliveryStatus::Acknowledged
            );
            del_rows.push(delivery::ActiveModel {
                id: Set(Uuid::now_v7()),
                release_id: Set(id),
                outlet_id: Set(outlets[(i + k) % outlets.len()]),
                channel: Set(Channel::Live),
                status: Set(status),
                attempts: Set(1),
                last_error: Set(None),
                recipient: Set(String::new()),
                created_at: Set(at),
                updated_at: Set(at),
                sent_at: Set(None),
                delivered_at: Set(delivered.then(|| at + Duration::milliseconds((k % 50) as i64))),
                acknowledged_at: Set(None),
                acknowledged_by: Set(None),
                next_attempt_at: Set(None),
                message_id: Set(None),
                claimed_until: Set(None),
                escalated_at: Set(None),
                escalation_step: Set(0),
            });
        }
        // Releases go in before their deliveries (foreign keys).
        let flush_deliveries = del_rows.len() >= 4000 || i + 1 == releases;
        if !rel_rows.is_empty() && (rel_rows.len() >= 500 || flush_deliveries) {
            release::Entity::insert_many(std::mem::take(&mut rel_rows))
                .exec(&ctx.db)
                .await?;
        }
        if flush_deliveries {
            // One transaction per batch, rows in chunks that stay under bind-parameter limits.
            let batch = std::mem::take(&mut del_rows);
            written += batch.len() as u64;
            for chunk in batch.chunks(1000) {
                delivery::Entity::insert_many(chunk.to_vec())
                    .exec(&ctx.db)
                    .await?;
            }
        }
    }
    // Press questions: three per unit and month, most answered in time.
    let journalists = &seeded.journalist_ids;
    if !journalists.is_empty() {
        let mut q_rows = Vec::new();
        for (u, unit_id) in unit_ids.iter().enumerate() {
            for m in 0..36 {
                let asked = start + Duration::hours(m as i64 * 240 + u as i64);
                let j = (u + m) % journalists.len();
                let answered = m % 9 != 0;
                q_rows.push(inquiry::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    unit_id: Set(*unit_id),
                    outlet_id: Set(outlets[j % outlets.len()]),
                    journalist_id: Set(journalists[j]),
                    question: Set(format!("Câu hỏi {m}")),
                    status: Set(if answered {
                        InquiryStatus::Answered
                    } else {
                        InquiryStatus::Open
                    }),
                    asked_at: Set(asked),
                    due_at: Set(asked + Duration::hours(72)),
                    answer: Set(answered.then(|| "Trả lời".to_owned())),
                    answered_at: Set(answered.then(|| asked + Duration::hours(5 + (m % 90) as i64))),
                    answered_by: Set(None),
                    response_secs: Set(answered.then(|| (5 + (m % 90) as i64) * 3600)),
                    decline_reason: Set(None),
                    rating: Set(None),
                    rated_at: Set(None),
                    overdue_reminded_at: Set(None),
                });
            }
        }
        for chunk in q_rows.chunks(500) {
            inquiry::Entity::insert_many(chunk.to_vec())
                .exec(&ctx.db)
                .await?;
        }
    }
    // The deliveries went in past the service layer: summarise them as publication would.
    pressnet_domain::services::reach::rebuild(&ctx.db)
        .await
        .map_err(|e| anyhow::anyhow!("summarising the deliveries: {e:?}"))?;
    Ok(written)
}
