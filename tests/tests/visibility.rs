//! The one visibility rule, table-driven: every read path × every kind of viewer × every
//! release state, on both databases.
use pressnet_tests::ws::WsClient;
use pressnet_tests::*;
use serde_json::json;
use std::collections::BTreeSet;
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Draft,
    Scheduled,
    /// Scheduled, then retracted before its time: a cancelled embargo.
    Cancelled,
    /// Published to outlets 0 and 2 (PRESS_ONLY).
    Targeted,
    /// Published to every accredited outlet (PUBLIC).
    Public,
    /// Published to outlets 0 and 2, then retracted.
    Retracted,
}
const STATES: [State; 6] = [
    State::Draft,
    State::Scheduled,
    State::Cancelled,
    State::Targeted,
    State::Public,
    State::Retracted,
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Anonymous,
    /// Journalist of outlet 0 (reached by every published release).
    Reached,
    /// Journalist of outlet 1 (reached only by the PUBLIC release).
    Unreached,
    /// Journalist of outlet 2: reached, then suspended.
    Suspended,
    OwnSpokesperson,
    OtherSpokesperson,
    /// A spokesperson of the unit whose term has ended.
    Former,
    Admin,
    Auditor,
}
const WHO: [Who; 9] = [
    Who::Anonymous,
    Who::Reached,
    Who::Unreached,
    Who::Suspended,
    Who::OwnSpokesperson,
    Who::OtherSpokesperson,
    Who::Former,
    Who::Admin,
    Who::Auditor,
];

/// The rule, written out: the unit's view sees everything; anyone else sees a published
/// release when it is PUBLIC, or when it reached their accredited outlet.
fn sees(who: Who, state: State) -> bool {
    use State::*;
    use Who::*;
    match who {
        OwnSpokesperson | Admin | Auditor => true,
        Reached => matches!(state, Targeted | Public | Retracted),
        _ => state == Public,
    }
}

/// The unit's view: drafts, the delivery log, exports.
fn unit_view(who: Who) -> bool {
    matches!(who, Who::OwnSpokesperson | Who::Admin | Who::Auditor)
}

fn word(state: State) -> String {
    format!("mã{state:?}").to_lowercase()
}

each!(backends;
    async fn every_read_path_every_viewer_every_state(app) {
        let w = World::build(&app, 3).await;
        let admin = app.gql_as(&w.admin);
        let sp = app.gql_as(&w.spokesperson);
        register_spokesperson(&admin, &w.unit_id, "Trần Văn Cũ", "cu@syt.vn").await;
        let former = app.login("cu@syt.vn", PASSWORD).await;
        let targeted = json!({"outletIds": [w.outlets[0].0, w.outlets[2].0]});
        let later = (app.clock.now() + chrono::Duration::days(3650)).to_rfc3339();
        let mut ids = Vec::new();
        for state in STATES {
            let title = format!("Thông cáo {}", word(state));
            let audience = if state == State::Public { json!({"allAccredited": true}) } else { targeted.clone() };
            let id = draft(&sp, &w.unit_id, &title, audience).await;
            match state {
                State::Draft => {}
                State::Scheduled | State::Cancelled => {
                    sp.run(PUBLISH, json!({"id": id, "at": later})).await.data();
                }
                _ => {
                    sp.run(PUBLISH, json!({"id": id})).await.data();
                }
            }
            if matches!(state, State::Cancelled | State::Retracted) {
                let r = sp.run("mutation($id:UUID!){ retractRelease(id:$id, reason:\"Hủy\"){ status } }", json!({"id": id})).await;
                assert_eq!(r.data()["retractRelease"]["status"], "RETRACTED");
            }
            ids.push((state, id));
        }
        // Outlet 2 is suspended after it received; the former spokesperson's term ends.
        admin.run("mutation($o:UUID!){ setAccreditation(outletId:$o,status:SUSPENDED){ id } }", json!({"o": w.outlets[2].0})).await.data();
        let list = admin.run("{ units { id spokespersons { id email } } }", json!({})).await;
        let former_id = list.data()["units"].as_array().expect("units").iter()
            .flat_map(|u| u["spokespersons"].as_array().cloned().unwrap_or_default())
            .find(|s| s["email"] == "cu@syt.vn").expect("former")["id"].clone();
        admin.run("mutation($id:UUID!){ endSpokespersonTerm(id:$id){ id } }", json!({"id": former_id})).await.data();
        app.clock.advance(chrono::Duration::seconds(2));

        let token = |who: Who| -> Option<String> {
            match who {
                Who::Anonymous => None,
                Who::Reached => Some(w.outlets[0].1.clone()),
                Who::Unreached => Some(w.outlets[1].1.clone()),
                Who::Suspended => Some(w.outlets[2].1.clone()),
                Who::OwnSpokesperson => Some(w.spokesperson.clone()),
                Who::OtherSpokesperson => Some(w.other_spokesperson.clone()),
                Who::Former => Some(former.clone()),
                Who::Admin => Some(w.admin.clone()),
                Who::Auditor => Some(w.auditor.clone()),
            }
        };
        let http = reqwest::Client::new();
        for who in WHO {
            let g = match token(who) { Some(t) => app.gql_as(&t), None => app.gql() };
            // Path: release(id), with a nested field of the unit's view.
            for (state, id) in &ids {
                let r = g.run("query($id:UUID!){ release(id:$id){ id title audience { allAccredited } } }", json!({"id": id})).await;
                let seen = !r.data()["release"].is_null();
                assert_eq!(seen, sees(who, *state), "release(id) {who:?} {state:?}: {}", r.body);
                if seen {
                    assert_eq!(r.data()["release"]["audience"].is_null(), !unit_view(who), "audience {who:?} {state:?}");
                }
            }
            // Paths: releases (every status filter) and search.
            let r = g.run("{ releases(first: 100) { totalCount edges { node { id } } } }", json!({})).await;
            let listed: BTreeSet<String> = r.data()["releases"]["edges"].as_array().expect("edges").iter()
                .map(|e| e["node"]["id"].as_str().unwrap_or_default().to_owned()).collect();
            for (state, id) in &ids {
                assert_eq!(listed.contains(id), sees(who, *state), "releases {who:?} {state:?}");
                for status in ["DRAFT", "SCHEDULED", "PUBLISHED", "RETRACTED"] {
                    let r = g.run("query($s:ReleaseStatus,$q:String){ releases(status:$s, search:$q) { edges { node { id } } } }", json!({"s": status, "q": word(*state)})).await;
                    let found = r.data()["releases"]["edges"].as_array().expect("edges").iter().any(|e| e["node"]["id"] == id.as_str());
                    if found {
                        assert!(sees(who, *state), "search {status} {who:?} {state:?} leaked");
                    }
                }
                let r = g.run("query($q:String){ releases(search:$q) { totalCount } }", json!({"q": word(*state)})).await;
                assert_eq!(r.data()["releases"]["totalCount"] == 1, sees(who, *state), "search {who:?} {state:?}");
            }
            // Path: the delivery log.
            for (state, id) in &ids {
                let r = g.run("query($r:UUID){ deliveries(releaseId:$r, first: 50) { totalCount } }", json!({"r": id})).await;
                if who == Who::Anonymous {
                    assert_eq!(r.code(), "UNAUTHENTICATED");
                    continue;
                }
                let n = r.data()["deliveries"]["totalCount"].as_i64().unwrap_or_default();
                let delivered = matches!(state, State::Targeted | State::Public | State::Retracted);
                // A journalist reads their own outlet's rows, while the outlet is accredited.
                let own = who == Who::Reached || (who == Who::Unreached && *state == State::Public);
                let expect = delivered && (unit_view(who) || own);
                assert_eq!(n > 0, expect, "deliveries {who:?} {state:?}: {}", r.body);
            }
            // Path: the delivery CSV export.
            for (state, id) in &ids {
                let mut req = http.get(format!("{}/exports/deliveries.csv?releaseId={id}", app.base));
                if let Some(t) = token(who) {
                    req = req.bearer_auth(t);
                }
                let status = req.send().await.expect("csv").status();
                assert_eq!(status.is_success(), unit_view(who), "deliveries.csv {who:?} {state:?}: {status}");
            }
        }
        // Path: the public Atom feeds hold the PUBLIC published release and nothing else.
        for path in ["/feeds/releases.atom", "/feeds/units/SO-YTE.atom"] {
            let atom = http.get(format!("{}{path}", app.base)).send().await.expect("atom").text().await.expect("text");
            for (state, id) in &ids {
                assert_eq!(atom.contains(id.as_str()), *state == State::Public, "{path} {state:?}");
            }
        }
        // Path: the live feed (catch-up from the start) of each journalist.
        for who in [Who::Reached, Who::Unreached, Who::Suspended] {
            let t = token(who).expect("journalist");
            match WsClient::connect(&app.ws_url(), &t).await {
                Ok(mut c) => {
                    c.subscribe("f", "subscription($s:String){ releasePublished(since:$s){ release { id } } }", json!({"s": "0000000000000000"})).await;
                    let mut got = BTreeSet::new();
                    while let Some(v) = c.next(Duration::from_millis(800)).await {
                        if v["type"] != "next" { assert_ne!(who, Who::Reached, "{v}"); break; }
                        if let Some(id) = v["payload"]["data"]["releasePublished"]["release"]["id"].as_str() {
                            got.insert(id.to_owned());
                        }
                    }
                    for (state, id) in &ids {
                        let expect = match who {
                            Who::Reached => matches!(state, State::Targeted | State::Public | State::Retracted),
                            Who::Unreached => *state == State::Public,
                            _ => false,
                        };
                        assert_eq!(got.contains(id), expect, "live feed {who:?} {state:?}");
                    }
                }
                Err(e) => panic!("{who:?} could not connect: {e}"),
            }
        }
        // Nothing of a cancelled embargo counts as published: no deliveries, no report line.
        let year = app.clock.now() - chrono::Duration::days(1);
        let r = admin.run("query($f:DateTime!,$t:DateTime!){ complianceReport(from:$f,to:$t){ unit { id } releasesPublished } }",
            json!({"f": year.to_rfc3339(), "t": (app.clock.now() + chrono::Duration::days(1)).to_rfc3339()})).await;
        let mine = r.data()["complianceReport"].as_array().expect("report").iter()
            .find(|u| u["unit"]["id"] == w.unit_id.as_str()).expect("unit")["releasesPublished"].clone();
        assert_eq!(mine, json!(3), "targeted, public and retracted-after-publication only");
    }
);
