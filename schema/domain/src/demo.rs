//! The demo province for `pressnet serve --demo`: a provincial People's Committee, a dozen
//! departments and branches, several communes, local and central outlets with journalists,
//! and spokespersons for most units. Loading is idempotent: a second run changes nothing.
use crate::auth::{Viewer, ViewerAccount};
use crate::context::AppContext;
use crate::enums::{AccreditationStatus, OutletKind, OutletScope, Role, UnitLevel};
use crate::error::AppResult;
use crate::services::registry::{self, NewJournalist, NewOutlet, NewSpokesperson, NewUnit};
use std::sync::Arc;
use uuid::Uuid;

/// Every demo account signs in with this password.
pub const DEMO_PASSWORD: &str = "pressnet-demo";
pub const DEMO_ADMIN: &str = "admin@demo.pressnet.vn";
pub(crate) const DEMO_AUDITOR: &str = "thanhtra@demo.pressnet.vn";
/// The marker unit: present means the demo is loaded.
const PROVINCE_CODE: &str = "UBND-TINH";

use UnitLevel::{Branch, Commune, Department, Province};

/// (code, name, level, spokesperson: (name, position, phone, e-mail, decision)).
type UnitRow = (
    &'static str,
    &'static str,
    UnitLevel,
    Option<(
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
    )>,
);

const UNITS: &[UnitRow] = &[
    (
        PROVINCE_CODE,
        "Ủy ban nhân dân tỉnh Hà Sơn",
        Province,
        Some((
            "Nguyễn Văn Thắng",
            "Chánh Văn phòng UBND tỉnh",
            "0204 3854 101",
            "phatngon@ubnd.hason.gov.vn",
            "15/QĐ-UBND",
        )),
    ),
    (
        "SO-VHTTDL",
        "Sở Văn hóa, Thể thao và Du lịch",
        Department,
        Some((
            "Trần Thị Hương",
            "Phó Giám đốc Sở",
            "0204 3854 102",
            "huong.tt@svhttdl.hason.gov.vn",
            "21/QĐ-SVHTTDL",
        )),
    ),
    (
        "SO-YTE",
        "Sở Y tế",
        Department,
        Some((
            "Lê Minh Đức",
            "Giám đốc Sở",
            "0204 3854 103",
            "duc.lm@syt.hason.gov.vn",
            "08/QĐ-SYT",
        )),
    ),
    (
        "SO-TC",
        "Sở Tài chính",
        Department,
        Some((
            "Phạm Quốc Anh",
            "Phó Giám đốc Sở",
            "0204 3854 104",
            "anh.pq@stc.hason.gov.vn",
            "12/QĐ-STC",
        )),
    ),
    (
        "SO-GDDT",
        "Sở Giáo dục và Đào tạo",
        Department,
        Some((
            "Đỗ Thị Lan",
            "Chánh Văn phòng Sở",
            "0204 3854 105",
            "lan.dt@sgddt.hason.gov.vn",
            "33/QĐ-SGDĐT",
        )),
    ),
    (
        "SO-NNMT",
        "Sở Nông nghiệp và Môi trường",
        Department,
        Some((
            "Hoàng Văn Bình",
            "Phó Giám đốc Sở",
            "0204 3854 106",
            "binh.hv@snnmt.hason.gov.vn",
            "19/QĐ-SNNMT",
        )),
    ),
    (
        "SO-XD",
        "Sở Xây dựng",
        Department,
        Some((
            "Vũ Thị Ngọc Ánh",
            "Phó Giám đốc Sở",
            "0204 3854 107",
            "anh.vtn@sxd.hason.gov.vn",
            "27/QĐ-SXD",
        )),
    ),
    (
        "SO-CT",
        "Sở Công Thương",
        Department,
        Some((
            "Bùi Đức Long",
            "Phó Giám đốc Sở",
            "0204 3854 108",
            "long.bd@sct.hason.gov.vn",
            "41/QĐ-SCT",
        )),
    ),
    ("SO-NV", "Sở Nội vụ", Department, None),
    (
        "CA-TINH",
        "Công an tỉnh",
        Branch,
        Some((
            "Đại tá Ngô Văn Hải",
            "Phó Giám đốc Công an tỉnh",
            "0204 3854 109",
            "phatngon@catinh.hason.gov.vn",
            "102/QĐ-CAT",
        )),
    ),
    (
        "BHXH-TINH",
        "Bảo hiểm xã hội tỉnh",
        Branch,
        Some((
            "Đặng Thu Trang",
            "Phó Giám đốc",
            "0204 3854 110",
            "trang.dt@bhxh.hason.gov.vn",
            "07/QĐ-BHXH",
        )),
    ),
    ("THUE-TINH", "Thuế tỉnh", Branch, None),
    (
        "XA-DONG-SON",
        "UBND xã Đông Sơn",
        Commune,
        Some((
            "Lý Văn Tuấn",
            "Chủ tịch UBND xã",
            "0204 3854 111",
            "tuan.lv@dongson.hason.gov.vn",
            "03/QĐ-UBND",
        )),
    ),
    (
        "PHUONG-BAC-HA",
        "UBND phường Bắc Hà",
        Commune,
        Some((
            "Mai Thị Hạnh",
            "Phó Chủ tịch UBND phường",
            "0204 3854 112",
            "hanh.mt@bacha.hason.gov.vn",
            "05/QĐ-UBND",
        )),
    ),
    ("XA-YEN-THE", "UBND xã Yên Thế", Commune, None),
];

/// (name, kind, scope, licence, newsroom e-mail, journalists: (name, e-mail, press card)).
type OutletRow = (
    &'static str,
    OutletKind,
    OutletScope,
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str, &'static str)],
);

const OUTLETS: &[OutletRow] = &[
    (
        "Báo Hà Sơn",
        OutletKind::Print,
        OutletScope::Local,
        "GP-112/BTTTT",
        "toasoan@baohason.vn",
        &[
            ("Nguyễn Thị Mai", "mai.nt@baohason.vn", "HS-00123"),
            ("Trịnh Văn Khoa", "khoa.tv@baohason.vn", "HS-00124"),
        ],
    ),
    (
        "Đài Phát thanh và Truyền hình Hà Sơn",
        OutletKind::Television,
        OutletScope::Local,
        "GP-245/BTTTT",
        "bantin@hstv.vn",
        &[("Phan Quang Huy", "huy.pq@hstv.vn", "HS-00231")],
    ),
    (
        "Cổng Thông tin điện tử tỉnh Hà Sơn",
        OutletKind::Online,
        OutletScope::Local,
        "GP-18/STTTT",
        "bbt@hason.gov.vn",
        &[("Lưu Thị Thảo", "thao.lt@hason.gov.vn", "HS-00302")],
    ),
    (
        "Báo Nhân Dân — Văn phòng thường trú",
        OutletKind::Print,
        OutletScope::Central,
        "GP-01/BVHTTDL",
        "vptt.hason@nhandan.vn",
        &[("Đoàn Minh Tâm", "tam.dm@nhandan.vn", "TW-10021")],
    ),
    (
        "Thông tấn xã Việt Nam — Phân xã Hà Sơn",
        OutletKind::NewsAgency,
        OutletScope::Central,
        "GP-03/BVHTTDL",
        "phanxa.hason@vnanet.vn",
        &[("Cao Thị Yến", "yen.ct@vnanet.vn", "TW-10455")],
    ),
    (
        "Đài Tiếng nói Việt Nam — Cơ quan thường trú",
        OutletKind::Radio,
        OutletScope::Central,
        "GP-05/BVHTTDL",
        "thuongtru.hason@vov.vn",
        &[("Tạ Văn Sơn", "son.tv@vov.vn", "TW-10877")],
    ),
    (
        "Tạp chí Văn nghệ Hà Sơn",
        OutletKind::Magazine,
        OutletScope::Local,
        "GP-77/STTTT",
        "tapchi@vannghehason.vn",
        &[],
    ),
];

fn admin_viewer() -> Viewer {
    Viewer {
        account: Some(Arc::new(ViewerAccount {
            id: Uuid::nil(),
            email: "demo-loader".into(),
            role: Role::Admin,
            spokesperson_id: None,
            unit_id: None,
            spokesperson_until: None,
            journalist_id: None,
            outlet_id: None,
            outlet_accreditation: None,
            outlet_accredited_until: None,
            press_card_expires_at: None,
        })),
        client_addr: None,
    }
}

/// Loads the demo province unless it is already there.
pub async fn load(ctx: &AppContext) -> AppResult<()> {
    if registry::unit_by_code(ctx, PROVINCE_CODE).await?.is_some() {
        tracing::info!("demo province already loaded");
        return Ok(());
    }
    let admin = admin_viewer();
    crate::services::accounts::ensure_staff_account(ctx, DEMO_ADMIN, DEMO_PASSWORD, Role::Admin)
        .await?;
    crate::services::accounts::ensure_staff_account(
        ctx,
        DEMO_AUDITOR,
        DEMO_PASSWORD,
        Role::Auditor,
    )
    .await?;

    let mut province_id = None;
    // The province first (parent of the rest); then the others in order.
    for (code, name, level, sp) in UNITS {
        let parent_id = if *level == Province {
            None
        } else {
            province_id
        };
        let unit = registry::create_unit(
            ctx,
            &admin,
            NewUnit {
                code: (*code).into(),
                name: (*name).into(),
                level: *level,
                parent_id,
            },
        )
        .await?;
        if *level == Province {
            province_id = Some(unit.id);
        }
        if let Some((full_name, position, phone, email, decision)) = sp {
            registry::register_spokesperson(
                ctx,
                &admin,
                NewSpokesperson {
                    unit_id: unit.id,
                    full_name: (*full_name).into(),
                    position: (*position).into(),
                    phone: (*phone).into(),
                    email: (*email).into(),
                    appointment_ref: Some((*decision).into()),
                    is_primary: true,
                    password: Some(DEMO_PASSWORD.into()),
                },
            )
            .await?;
        }
    }
    for (i, (name, kind, scope, licence, email, journalists)) in OUTLETS.iter().enumerate() {
        let o = registry::register_outlet(
            ctx,
            &admin,
            NewOutlet {
                name: (*name).into(),
                kind: *kind,
                scope: *scope,
                licence_number: (*licence).into(),
                email: (*email).into(),
                media_types: Vec::new(),
            },
        )
        .await?;
        // The magazine stays PENDING: the demo shows an outlet awaiting accreditation.
        if i + 1 < OUTLETS.len() {
            let until = ctx.clock.now() + chrono::Duration::days(365);
            registry::set_accreditation(
                ctx,
                &admin,
                o.id,
                AccreditationStatus::Accredited,
                Some(until),
            )
            .await?;
        }
        for (full_name, jemail, card) in *journalists {
            registry::register_journalist(
                ctx,
                &admin,
                NewJournalist {
                    outlet_id: o.id,
                    full_name: (*full_name).into(),
                    email: (*jemail).into(),
                    press_card_number: Some((*card).into()),
                    // Press Law 2025: five years; one card runs out soon, to show the reminder.
                    press_card_expires_at: Some(
                        ctx.clock.now()
                            + chrono::Duration::days(if *card == "HS-00124" {
                                20
                            } else {
                                3 * 365
                            }),
                    ),
                    password: Some(DEMO_PASSWORD.into()),
                },
            )
            .await?;
        }
    }
    crate::demo_2026::load(ctx, &admin, province_id).await?;
    load_activity(ctx).await?;
    if let Some(p) = province_id {
        let v = as_account(ctx, "phatngon@ubnd.hason.gov.vn").await?;
        crate::demo_2026::plan(ctx, &v, p).await?;
    }
    tracing::info!("demo province loaded");
    Ok(())
}

/// Viewer of a demo account (as if signed in).
async fn as_account(ctx: &AppContext, email: &str) -> AppResult<Viewer> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let acct = crate::entities::account::Entity::find()
        .filter(crate::entities::account::Column::Email.eq(email))
        .one(&ctx.db)
        .await?
        .ok_or_else(|| crate::error::AppError::internal(format!("demo account {email} missing")))?;
    let v = crate::services::accounts::viewer_account(ctx, acct).await?;
    Ok(Viewer {
        account: Some(Arc::new(v)),
        client_addr: None,
    })
}

/// (author, kind, title, summary, body, topics)
type DemoRelease<'a> = (
    &'a Viewer,
    crate::enums::ReleaseKind,
    &'a str,
    &'a str,
    &'a str,
    Vec<&'a str>,
);

/// A few published releases, a press conference coming up, and press questions (answered,
/// declined, open, overdue), so the demo looks like a province at work.
async fn load_activity(ctx: &AppContext) -> AppResult<()> {
    use crate::enums::ReleaseKind;
    use crate::services::releases::{Audience, NewPressConference, NewRelease};
    use crate::services::{inquiries, publishing, releases};
    let now = ctx.clock.now();
    let all = Audience {
        all_accredited: true,
        ..Default::default()
    };
    let province = as_account(ctx, "phatngon@ubnd.hason.gov.vn").await?;
    let health = as_account(ctx, "duc.lm@syt.hason.gov.vn").await?;
    let edu = as_account(ctx, "lan.dt@sgddt.hason.gov.vn").await?;
    let unit_of = |v: &Viewer| {
        v.account
            .as_deref()
            .and_then(|a| a.unit_id)
            .unwrap_or_default()
    };
    let items: Vec<DemoRelease> = vec![
        (&health, ReleaseKind::PressRelease, "Thông cáo báo chí về tình hình sốt xuất huyết trên địa bàn tỉnh",
         "Số ca mắc giảm 18% so với cùng kỳ; Sở Y tế khuyến cáo người dân diệt bọ gậy.",
         "## Tình hình\n\nTrong tuần, toàn tỉnh ghi nhận **126 ca** sốt xuất huyết, giảm 18% so với cùng kỳ.\n\n## Khuyến cáo\n\n- Diệt lăng quăng, bọ gậy\n- Ngủ màn kể cả ban ngày", vec!["y tế", "dịch bệnh"]),
        (&edu, ReleaseKind::Statement, "Phát ngôn về kỳ thi tuyển sinh lớp 10 năm học 2027-2028",
         "Kỳ thi diễn ra ngày 3-4/6/2027; thí sinh đăng ký trực tuyến từ 15/4.",
         "Sở Giáo dục và Đào tạo thông tin về lịch thi, môn thi và cách đăng ký dự thi.", vec!["giáo dục"]),
        (&province, ReleaseKind::PressRelease, "Kết quả phát triển kinh tế - xã hội tháng 10/2026",
         "GRDP 10 tháng tăng 8,2%; thu ngân sách đạt 91% dự toán năm.",
         "UBND tỉnh thông tin kết quả phát triển kinh tế - xã hội tháng 10 và 10 tháng năm 2026.", vec!["kinh tế"]),
    ];
    for (v, kind, title, summary, body, topics) in items {
        let r = releases::create(
            ctx,
            v,
            NewRelease {
                unit_id: unit_of(v),
                kind,
                title: title.into(),
                summary: summary.into(),
                body: body.into(),
                topics: topics.into_iter().map(str::to_owned).collect(),
                audience: all.clone(),
                press_conference: None,
                supersedes_id: None,
                visibility: None,
                plan_item_id: None,
            },
        )
        .await?;
        publishing::publish(ctx, v, r.id, None).await?;
    }
    let conf = releases::create(
        ctx,
        &province,
        NewRelease {
            unit_id: unit_of(&province),
            kind: ReleaseKind::PressConference,
            title: "Họp báo thường kỳ quý IV/2026 của UBND tỉnh".into(),
            summary: "Thông tin tình hình kinh tế - xã hội quý IV và trả lời câu hỏi của báo chí."
                .into(),
            body: "Kính mời các cơ quan báo chí tham dự buổi họp báo thường kỳ quý IV/2026.".into(),
            topics: vec!["họp báo".into()],
            audience: all.clone(),
            press_conference: Some(NewPressConference {
                starts_at: now + chrono::Duration::days(5),
                ends_at: Some(now + chrono::Duration::days(5) + chrono::Duration::hours(2)),
                location: "Hội trường UBND tỉnh, số 1 đường Trần Hưng Đạo".into(),
                rsvp_deadline: Some(now + chrono::Duration::days(4)),
                capacity: Some(60),
            }),
            supersedes_id: None,
            visibility: None,
            plan_item_id: None,
        },
    )
    .await?;
    publishing::publish(ctx, &province, conf.id, None).await?;
    let reporter = as_account(ctx, "mai.nt@baohason.vn").await?;
    let tv = as_account(ctx, "huy.pq@hstv.vn").await?;
    let q1 = inquiries::ask(
        ctx,
        &reporter,
        unit_of(&health),
        "Sở Y tế có kế hoạch phun hóa chất diệt muỗi tại những xã nào trong tháng tới?",
    )
    .await?;
    inquiries::respond(
        ctx,
        &health,
        q1.id,
        Ok("Sở sẽ phun tại 12 xã có ổ dịch; danh sách đăng trên cổng thông tin của Sở."),
    )
    .await?;
    inquiries::rate(ctx, &reporter, q1.id, crate::enums::AnswerRating::Satisfied).await?;
    let q2 = inquiries::ask(
        ctx,
        &tv,
        unit_of(&province),
        "Kết quả thanh tra dự án khu đô thị phía Nam đã có chưa?",
    )
    .await?;
    inquiries::respond(
        ctx,
        &province,
        q2.id,
        Err("Vụ việc đang được thanh tra, chưa có kết luận (Điều 10, Nghị định 09/2017/NĐ-CP)."),
    )
    .await?;
    inquiries::ask(
        ctx,
        &reporter,
        unit_of(&edu),
        "Tỉnh có tăng chỉ tiêu tuyển sinh lớp 10 công lập không?",
    )
    .await?;
    // One question past its deadline: asked four days ago.
    let late = inquiries::ask(
        ctx,
        &tv,
        unit_of(&province),
        "Tiến độ giải phóng mặt bằng cao tốc đoạn qua tỉnh?",
    )
    .await?;
    let mut am: crate::entities::inquiry::ActiveModel = late.into();
    am.asked_at = sea_orm::Set(now - chrono::Duration::days(4));
    am.due_at = sea_orm::Set(now - chrono::Duration::days(1));
    sea_orm::ActiveModelTrait::update(am, &ctx.db).await?;
    Ok(())
}

/// The demo accounts, one per line, for the person who started the demo to sign in with.
pub fn accounts_text() -> String {
    use std::fmt::Write;
    let mut out = format!("\n  pressnet demo — every account's password: {DEMO_PASSWORD}\n");
    let _ = writeln!(out, "    ADMIN        {DEMO_ADMIN}");
    let _ = writeln!(out, "    AUDITOR      {DEMO_AUDITOR}");
    for (_, unit, _, sp) in UNITS {
        if let Some((name, _, _, email, _)) = sp {
            let _ = writeln!(out, "    SPOKESPERSON {email:<38} {name} — {unit}");
        }
    }
    for (outlet, _, _, _, _, journalists) in OUTLETS {
        for (name, email, _) in *journalists {
            let _ = writeln!(out, "    JOURNALIST   {email:<38} {name} — {outlet}");
        }
    }
    out
}
