//! `pressnet_domain::bulk`: many rows in one statement (PostgreSQL's UNNEST form, SQLite's
//! multi-row VALUES) store exactly what an ordinary insert would, NULLs included.
use chrono::{DateTime, TimeZone, Utc};
use pressnet_domain::bulk;
use pressnet_domain::entities::{feed_item, outbox};
use pressnet_domain::enums::{DeliveryStatus, FeedEvent, MailKind};
use pressnet_tests::*;
use sea_orm::{ActiveValue::NotSet, EntityTrait, IntoActiveModel, QueryOrder, Set};
use uuid::Uuid;

fn at(secs: i64) -> DateTime<Utc> {
    // Whole microseconds: what both databases keep of a timestamp.
    Utc.timestamp_opt(1_790_000_000 + secs, 123_456_000)
        .single()
        .expect("valid time")
}

/// Outbox rows whose nullable columns are NULL in some rows, set in others, or NULL in all.
fn outbox_rows(n: usize) -> Vec<outbox::Model> {
    (0..n)
        .map(|i| outbox::Model {
            id: Uuid::now_v7(),
            kind: if i % 2 == 0 {
                MailKind::Release
            } else {
                MailKind::Retraction
            },
            recipient: format!("toasoan{i}@báo.vn"),
            release_id: (i % 3 != 0).then(Uuid::new_v4),
            delivery_id: (i % 4 == 1).then(Uuid::new_v4),
            payload: format!(r#"{{"notice":"Thông báo số {i}, có ký tự ' và \""}}"#),
            status: DeliveryStatus::Pending,
            attempts: i as i32,
            last_error: (i % 5 == 2).then(|| format!("lỗi {i}")),
            next_attempt_at: at(i as i64),
            claimed_until: (i == 7).then(|| at(1_000)),
            message_id: None,
            created_at: at(0),
            sent_at: None,
        })
        .collect()
}

each!(backends;
    async fn bulk_insert_stores_every_row_and_null_as_given(app) {
        let db = &app.ctx.db;
        for n in [1usize, 3, 2_500] {
            let rows = outbox_rows(n);
            let active: Vec<outbox::ActiveModel> =
                rows.iter().cloned().map(|m| m.into_active_model()).collect();
            bulk::insert(db, active, 1_000).await.expect("bulk insert");
            let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
            let mut stored = Vec::new();
            for chunk in ids.chunks(500) {
                use sea_orm::{ColumnTrait, QueryFilter};
                stored.extend(
                    outbox::Entity::find()
                        .filter(outbox::Column::Id.is_in(chunk.iter().copied()))
                        .order_by_asc(outbox::Column::Id)
                        .all(db)
                        .await
                        .expect("read back"),
                );
            }
            stored.sort_by_key(|r| r.id);
            let mut expected = rows;
            expected.sort_by_key(|r| r.id);
            assert_eq!(stored, expected, "{n} rows");
        }
    }
);

each!(backends;
    async fn bulk_insert_returning_gives_generated_keys(app) {
        let db = &app.ctx.db;
        let outlets: Vec<Uuid> = (0..1_200).map(|_| Uuid::now_v7()).collect();
        let release = Uuid::now_v7();
        let rows: Vec<feed_item::ActiveModel> = outlets
            .iter()
            .map(|o| feed_item::ActiveModel {
                seq: NotSet,
                outlet_id: Set(*o),
                release_id: Set(release),
                delivery_id: Set(Uuid::now_v7()),
                event: Set(FeedEvent::Published),
                created_at: Set(at(5)),
            })
            .collect();
        let returned = bulk::insert_returning(db, rows, 500)
            .await
            .expect("bulk insert returning");
        assert_eq!(returned.len(), outlets.len());
        let mut seqs: Vec<i64> = returned.iter().map(|r| r.seq).collect();
        seqs.sort_unstable();
        seqs.dedup();
        assert_eq!(seqs.len(), outlets.len(), "one sequence number per row");
        let stored = feed_item::Entity::find()
            .order_by_asc(feed_item::Column::Seq)
            .all(db)
            .await
            .expect("read back");
        let mut returned = returned;
        returned.sort_by_key(|r| r.seq);
        assert_eq!(stored, returned);
        let mut got: Vec<Uuid> = stored.iter().map(|r| r.outlet_id).collect();
        got.sort_unstable();
        assert_eq!(got, outlets);
    }
);

each!(backends;
    async fn any_of_finds_every_match_in_a_long_list(app) {
        use pressnet_domain::db::{any_of, IN_CHUNK};
        use pressnet_domain::entities::email_suppression;
        use sea_orm::QueryFilter;
        let db = &app.ctx.db;
        // Every 7th of 2,500 addresses bounced: more than two SQLite chunks' worth.
        let addresses: Vec<String> = (0..2_500).map(|i| format!("phongvien{i}@báo.vn")).collect();
        let bounced: Vec<email_suppression::ActiveModel> = addresses
            .iter()
            .step_by(7)
            .map(|a| email_suppression::ActiveModel {
                address: Set(a.clone()),
                reason: Set("550".into()),
                created_at: Set(at(0)),
            })
            .collect();
        bulk::insert(db, bounced, 1_000).await.expect("suppressions");
        let conds = any_of(db.get_database_backend(), email_suppression::Column::Address, &addresses);
        let want_parts = match db.get_database_backend() {
            sea_orm::DatabaseBackend::Postgres => 1,
            _ => addresses.len().div_ceil(IN_CHUNK),
        };
        assert_eq!(conds.len(), want_parts);
        let mut found = 0;
        for cond in conds {
            found += email_suppression::Entity::find().filter(cond).all(db).await.expect("find").len();
        }
        assert_eq!(found, addresses.len().div_ceil(7));
        // The service that asks it at every publication says the same.
        let s = pressnet_domain::services::outbox::suppressed(db, &addresses).await.expect("suppressed");
        assert_eq!(s.len(), addresses.len().div_ceil(7));
        assert!(s.contains("phongvien7@báo.vn") && !s.contains("phongvien8@báo.vn"));
        assert!(any_of(db.get_database_backend(), email_suppression::Column::Address, &Vec::<String>::new()).is_empty());
    }
);
