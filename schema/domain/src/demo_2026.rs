//! The demo province as it is in 2026 (issue 33): the Department of Information and
//! Communications merged into Culture, Sports and Tourism (March 2025), three communes merged
//! into a ward (1 July 2025), the provincial paper and radio-television merged into one "Báo và
//! Phát thanh, Truyền hình", a stricter rule set in force from the next month, and the
//! province's communication plan for the year.
use crate::auth::Viewer;
use crate::clock::vn_start_of;
use crate::context::AppContext;
use crate::entities::outlet;
use crate::enums::{OutletKind, OutletScope, PlanItemKind, ReorganizationKind, UnitLevel};
use crate::error::AppResult;
use crate::services::registry::{self, NewOutlet, NewUnit};
use crate::services::reorganizations::{self, Decision};
use crate::services::rules::{self, NewRules};
use crate::services::{outlet_mergers, plans};
use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

fn vn_day(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(y, m, d).map_or(DateTime::<Utc>::UNIX_EPOCH, vn_start_of)
}

async fn unit_id(ctx: &AppContext, code: &str) -> AppResult<Option<Uuid>> {
    Ok(registry::unit_by_code(ctx, code).await?.map(|u| u.id))
}

async fn new_unit(
    ctx: &AppContext,
    admin: &Viewer,
    code: &str,
    name: &str,
    level: UnitLevel,
    parent: Option<Uuid>,
) -> AppResult<Uuid> {
    let n = NewUnit {
        code: code.into(),
        name: name.into(),
        level,
        parent_id: parent,
    };
    Ok(registry::create_unit(ctx, admin, n).await?.id)
}

/// Loads the 2026 lineage; `province` is the provincial People's Committee.
pub(crate) async fn load(
    ctx: &AppContext,
    admin: &Viewer,
    province: Option<Uuid>,
) -> AppResult<()> {
    // A department that took over another's press duties.
    let culture = unit_id(ctx, "SO-VHTTDL").await?;
    let info = new_unit(
        ctx,
        admin,
        "SO-TTTT",
        "Sở Thông tin và Truyền thông",
        UnitLevel::Department,
        province,
    )
    .await?;
    reorganizations::reorganize(
        ctx,
        admin,
        Decision {
            kind: ReorganizationKind::Merge,
            effective_at: vn_day(2025, 3, 1),
            decision_ref: "Nghị quyết 25/NQ-HĐND (sắp xếp các cơ quan chuyên môn)".into(),
            from_unit_ids: vec![info],
            into_unit_ids: culture.into_iter().collect(),
            new_units: Vec::new(),
        },
    )
    .await?;
    // Communes merged into a ward.
    let mut communes: Vec<Uuid> = unit_id(ctx, "XA-YEN-THE").await?.into_iter().collect();
    for (code, name) in [
        ("XA-YEN-LAC", "UBND xã Yên Lạc"),
        ("XA-YEN-BINH", "UBND xã Yên Bình"),
    ] {
        communes.push(new_unit(ctx, admin, code, name, UnitLevel::Commune, province).await?);
    }
    reorganizations::reorganize(
        ctx,
        admin,
        Decision {
            kind: ReorganizationKind::Merge,
            effective_at: vn_day(2025, 7, 1),
            decision_ref: "Nghị quyết 1664/NQ-UBTVQH15".into(),
            from_unit_ids: communes,
            into_unit_ids: Vec::new(),
            new_units: vec![NewUnit {
                code: "PHUONG-YEN-THE".into(),
                name: "UBND phường Yên Thế".into(),
                level: UnitLevel::Commune,
                parent_id: province,
            }],
        },
    )
    .await?;

    // The provincial paper and radio-television became one outlet.
    let local: Vec<Uuid> = outlet::Entity::find()
        .filter(outlet::Column::Name.is_in(["Báo Hà Sơn", "Đài Phát thanh và Truyền hình Hà Sơn"]))
        .all(&ctx.db)
        .await?
        .into_iter()
        .map(|o| o.id)
        .collect();
    if local.len() == 2 {
        let into = NewOutlet {
            name: "Báo và Phát thanh, Truyền hình Hà Sơn".into(),
            kind: OutletKind::Print,
            scope: OutletScope::Local,
            licence_number: "GP-01/2025/BVHTTDL".into(),
            email: "toasoan@hasontv.vn".into(),
            media_types: vec![
                OutletKind::Online,
                OutletKind::Radio,
                OutletKind::Television,
            ],
        };
        outlet_mergers::merge(
            ctx,
            admin,
            local,
            into,
            vn_day(2025, 7, 1),
            "Quyết định 1012/QĐ-UBND",
        )
        .await?;
    }

    // A stricter rule set from the first day of next month.
    let now = ctx.clock.now();
    let today = crate::clock::vn_date(now);
    let next = NaiveDate::from_ymd_opt(today.year(), today.month(), 1)
        .and_then(|d| d.checked_add_months(Months::new(1)))
        .map_or(now + chrono::Duration::days(31), vn_start_of);
    let every = |v: i32| {
        vec![
            (UnitLevel::Province, v),
            (UnitLevel::Department, v),
            (UnitLevel::Branch, v),
            (UnitLevel::Commune, v),
        ]
    };
    rules::add(
        ctx,
        admin,
        NewRules {
            effective_from: next,
            decision_ref: "Nghị định thay thế Nghị định 09/2017/NĐ-CP (dự thảo)".into(),
            inquiry_due_hours: every(48),
            press_report_due_days: 7,
            first_statement_hours: 12,
            conferences_per_quarter: vec![(UnitLevel::Province, 1), (UnitLevel::Department, 1)],
            information_per_month: vec![(UnitLevel::Province, 2), (UnitLevel::Department, 1)],
            spokesperson_vacancy_days: 5,
        },
    )
    .await?;
    Ok(())
}

/// The province's communication plan for this year, written by its spokesperson.
pub(crate) async fn plan(ctx: &AppContext, spokesperson: &Viewer, province: Uuid) -> AppResult<()> {
    let now = ctx.clock.now();
    let year = crate::clock::vn_date(now).year();
    let quarter_end = |m: u32| vn_day(year, m, 25);
    let items = vec![
        plans::NewItem {
            title: "Họp báo định kỳ quý I".into(),
            kind: PlanItemKind::PressConference,
            due_at: quarter_end(3),
        },
        plans::NewItem {
            title: "Họp báo định kỳ quý II".into(),
            kind: PlanItemKind::PressConference,
            due_at: quarter_end(6),
        },
        plans::NewItem {
            title: "Truyền thông về chính quyền địa phương hai cấp".into(),
            kind: PlanItemKind::Campaign,
            due_at: quarter_end(9),
        },
        plans::NewItem {
            title: "Thông cáo kết quả kinh tế - xã hội năm".into(),
            kind: PlanItemKind::PressRelease,
            due_at: quarter_end(12),
        },
    ];
    plans::set(ctx, spokesperson, province, year, items).await?;
    Ok(())
}
