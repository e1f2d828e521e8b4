//! pressnet-bench's reorganization scenario (issue 33): a year of a province (units, releases,
//! their deliveries and questions), then a merger of 50 units into a new one through the API,
//! with their open questions moving to it; and the compliance report for the year spanning it.
use chrono::Duration as CDuration;
use pressnet_domain::entities::inquiry;
use pressnet_domain::enums::InquiryStatus;
use pressnet_tests::seed::{pct, seed, seed_year};
use pressnet_tests::{Backend, TestApp};
use sea_orm::{ActiveValue::Set, EntityTrait};
use serde_json::{json, Value};
use std::time::Instant;
use uuid::Uuid;

/// Units merged into one.
const MERGED: usize = 50;

pub(crate) async fn reorganization(
    backend: Backend,
    units: usize,
    releases: usize,
    open_items: usize,
) -> Option<Value> {
    let app = TestApp::spawn(backend).await?;
    let seeded = seed(&app.ctx, 50, 50).await.expect("seed");
    let end = app.clock.now();
    seed_year(&app.ctx, &seeded, units, releases, 10, end)
        .await
        .expect("seed year");
    let admin = app.admin().await;
    let g = app.gql_as(&admin);
    let list = g.run("{ units { id } }", json!({})).await;
    let ids: Vec<String> = list.data()["units"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|u| u["id"].as_str().map(str::to_owned))
        .take(MERGED)
        .collect();
    // Open questions of the merged units, beside the year's own.
    let rows: Vec<inquiry::ActiveModel> = (0..open_items)
        .map(|i| {
            let asked = end - CDuration::hours(i as i64 % 48 + 1);
            inquiry::ActiveModel {
                id: Set(Uuid::now_v7()),
                unit_id: Set(ids[i % ids.len()].parse().unwrap_or_default()),
                outlet_id: Set(seeded.outlet_ids[i % seeded.outlet_ids.len()]),
                journalist_id: Set(seeded.journalist_ids[i % seeded.journalist_ids.len()]),
                question: Set(format!("Câu hỏi đang chờ {i}")),
                status: Set(InquiryStatus::Open),
                asked_at: Set(asked),
                due_at: Set(asked + CDuration::hours(72)),
                answer: Set(None),
                answered_at: Set(None),
                answered_by: Set(None),
                response_secs: Set(None),
                decline_reason: Set(None),
                rating: Set(None),
                rated_at: Set(None),
                overdue_reminded_at: Set(None),
            }
        })
        .collect();
    for chunk in rows.chunks(500) {
        inquiry::Entity::insert_many(chunk.to_vec())
            .exec(&app.ctx.db)
            .await
            .expect("open questions");
    }
    let merge = json!({"i": {"kind": "MERGE", "effectiveAt": (end - CDuration::days(180)).to_rfc3339(),
        "decisionRef": "Nghị quyết 202/2025/QH15", "fromUnitIds": ids,
        "newUnits": [{"code": "BENCH-MERGED", "name": "Đơn vị hợp nhất", "level": "DEPARTMENT"}]}});
    let t = Instant::now();
    let r = g
        .run(
            "mutation($i:ReorganizeUnitsInput!){ reorganizeUnits(input:$i){ id into { id } } }",
            merge,
        )
        .await;
    let reorganize_ms = t.elapsed().as_secs_f64() * 1000.0;
    let merged = r.data()["reorganizeUnits"]["into"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let moved = g
        .run(
            "query($u:UUID){ inquiries(unitId:$u, status: OPEN){ id } }",
            json!({"u": merged}),
        )
        .await
        .data()["inquiries"]
        .as_array()
        .map_or(0, Vec::len);
    let q = "query($f:DateTime!,$t:DateTime!){ complianceReport(from:$f,to:$t){ unit { id } periodFrom periodTo releasesPublished pressConferencesRequired monthsWithoutInformation daysWithoutSpokesperson inquiriesReceived } }";
    let mut ms = Vec::new();
    let mut unit_rows = 0;
    for i in 0..6 {
        // A period a millisecond longer each time: the server keeps a viewer's identical query
        // for a second, and a cached answer measures nothing.
        let to = end + CDuration::milliseconds(i);
        let vars = json!({"f": (end - CDuration::days(365)).to_rfc3339(), "t": to.to_rfc3339()});
        let t = Instant::now();
        let r = g.run(q, vars).await;
        let took = t.elapsed().as_secs_f64() * 1000.0;
        unit_rows = r.data()["complianceReport"].as_array().map_or(0, Vec::len);
        if i > 0 {
            ms.push(took);
        }
    }
    ms.sort_by(f64::total_cmp);
    Some(
        json!({"scenario": "reorganization", "backend": format!("{backend:?}"), "units": units,
        "merged": ids.len(), "releases": releases, "open_items_moved": moved,
        "reorganize_ms": reorganize_ms, "unit_rows": unit_rows,
        "report_ms_p50": pct(&ms, 50.0), "report_ms_max": pct(&ms, 100.0),
        "machine": crate::machine()}),
    )
}
