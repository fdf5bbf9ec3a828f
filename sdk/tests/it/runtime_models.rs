//! Field tri-state serde and Edm primitive round trips, as generated models use them.

use graph_migrations::Field;
use graph_migrations::runtime::edm::{
    Binary, Date, DateTimeOffset, Decimal, Double, Duration, Guid, Int64, Single, TimeOfDay,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

#[derive(Serialize, Deserialize, Debug, PartialEq, Default, Clone)]
#[serde(rename_all = "camelCase")]
struct Params {
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    target_data_location_code: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    validate_only: Field<bool>,
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    preferred_start_date_time: Field<DateTimeOffset>,
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    target_organization_id: Field<Guid>,
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    workloads: Field<Vec<String>>,
}

#[test]
fn field_tri_state_reads_and_writes() {
    // from the create-task doc: targetDataLocationCode explicitly null
    let body = json!({
        "targetOrganizationId": "78d010af-72cb-412f-8779-18ce9b5f553b",
        "targetDataLocationCode": null,
        "preferredStartDateTime": "2024-08-31T16:00:00Z"
    });
    let p: Params = serde_json::from_value(body.clone()).unwrap();
    assert!(p.target_data_location_code.is_null());
    assert!(p.validate_only.is_unset());
    assert!(p.target_organization_id.is_set());
    assert_eq!(p.workloads, Field::Unset);
    assert_eq!(serde_json::to_value(&p).unwrap(), body);

    // a PATCH sends only what was set, null when asked
    let patch = Params {
        validate_only: Field::Set(true),
        target_data_location_code: Field::Null,
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({"validateOnly": true, "targetDataLocationCode": null})
    );
    assert_eq!(serde_json::to_value(Params::default()).unwrap(), json!({}));

    // reading never fails on a missing property
    let empty: Params = serde_json::from_value(json!({})).unwrap();
    assert_eq!(empty, Params::default());

    // helpers
    let mut f: Field<String> = "x".to_string().into();
    assert_eq!(f.get().map(String::as_str), Some("x"));
    assert_eq!(f.as_deref(), Some("x"));
    f.get_mut().unwrap().push('y');
    assert_eq!(f.as_ref(), Field::Set(&"xy".to_string()));
    assert_eq!(f.clone().map(|s| s.len()), Field::Set(2));
    assert_eq!(f.take(), Field::Set("xy".to_string()));
    assert!(f.is_unset());
    assert_eq!(Field::<u8>::from(None), Field::Null);
    assert_eq!(Field::from(Some(3u8)).into_option(), Some(3));
    assert_eq!(Field::<u8>::Null.into_option(), None);
    // a wrong type is still an error (with serde's message), not silently Unset
    assert!(serde_json::from_value::<Params>(json!({"validateOnly": "yes"})).is_err());
}

fn round_trip<T: Serialize + for<'de> Deserialize<'de>>(v: Value) {
    let t: T = serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("{v}: {e}"));
    assert_eq!(
        serde_json::to_value(&t).unwrap(),
        v,
        "{}",
        std::any::type_name::<T>()
    );
}

#[test]
fn edm_round_trips() {
    round_trip::<DateTimeOffset>(json!("2026-05-04T20:55:10.5427196Z"));
    round_trip::<DateTimeOffset>(json!("2026-05-22T17:14:52Z"));
    round_trip::<DateTimeOffset>(json!("2024-08-31T16:00:00-07:00"));
    round_trip::<Date>(json!("2025-11-02"));
    round_trip::<TimeOfDay>(json!("08:30:00.1234567"));
    round_trip::<TimeOfDay>(json!("08:30"));
    round_trip::<Duration>(json!("P1DT2H3M4.5S"));
    round_trip::<Duration>(json!("-PT36H"));
    round_trip::<Duration>(json!("P0D"));
    round_trip::<Double>(json!(1.0e-300));
    round_trip::<Double>(json!("NaN"));
    round_trip::<Double>(json!("INF"));
    round_trip::<Double>(json!("-INF"));
    round_trip::<Single>(json!(3.5));
    round_trip::<Single>(json!("NaN"));
    round_trip::<Decimal>(json!("79228162514264337593543950335"));
    round_trip::<Decimal>(json!("-0.000000000000000000000000001"));
    round_trip::<Decimal>(json!(12.25));
    round_trip::<Decimal>(json!(-7));
    round_trip::<Binary>(json!("AAECAwQF/w=="));
    round_trip::<Int64>(json!(9_007_199_254_740_993i64));
    round_trip::<Guid>(json!("da157a29-f793-4dd6-9c73-41d2c73c2546"));

    // values, not just text
    let d: DateTimeOffset = serde_json::from_value(json!("2026-05-04T20:55:10.5427196Z")).unwrap();
    assert_eq!(d.value().unwrap().nanosecond(), 542_719_600);
    let dur: Duration = "P1DT2H3M4.5S".parse().unwrap();
    assert_eq!(
        dur.to_std(),
        Some(std::time::Duration::from_millis(93_784_500))
    );
    assert!("-PT1S".parse::<Duration>().unwrap().to_std().is_none());
    let i: Int64 = serde_json::from_value(json!("-42")).unwrap();
    assert_eq!(i.0, -42);
    let b: Binary = serde_json::from_value(json!("AAECAwQF_w")).unwrap(); // url-safe, unpadded
    assert_eq!(b.0, vec![0, 1, 2, 3, 4, 5, 255]);
    let nan: Double = serde_json::from_value(json!("NaN")).unwrap();
    assert!(nan.0.is_nan());
    let dec: Decimal = serde_json::from_value(json!("79228162514264337593543950335")).unwrap();
    assert_eq!(dec.as_str(), "79228162514264337593543950335");
    // Display / FromStr agree with the JSON form
    for s in ["2026-05-04T20:55:10.5427196Z", "2024-08-31T16:00:00-07:00"] {
        assert_eq!(s.parse::<DateTimeOffset>().unwrap().to_string(), s);
    }
    assert_eq!(
        "2025-11-02".parse::<Date>().unwrap().to_string(),
        "2025-11-02"
    );
    assert_eq!(Double(f64::NEG_INFINITY).to_string(), "-INF");
}

#[test]
fn edm_rejects_malformed_values() {
    // DateTimeOffset and Guid keep a malformed value instead (see `edm`),
    // but building one from text stays strict.
    assert!("2026-13-01T00:00:00Z".parse::<DateTimeOffset>().is_err());
    assert!("not-a-guid".parse::<Guid>().is_err());
    assert!(serde_json::from_value::<Date>(json!("2025-11-2")).is_err());
    assert!(serde_json::from_value::<TimeOfDay>(json!("8:30")).is_err());
    assert!(serde_json::from_value::<Duration>(json!("P1Y")).is_err());
    assert!(serde_json::from_value::<Decimal>(json!("1e")).is_err());
    assert!(serde_json::from_value::<Int64>(json!("12.5")).is_err());
    assert!(serde_json::from_value::<Binary>(json!("***")).is_err());
    assert!(serde_json::from_value::<Double>(json!("Infinityish")).is_err());
}

/// Text from the service or a user is untrusted: a multi-byte character
/// anywhere in an Edm literal is an error, never a panic (`PT5µS` sliced
/// `edm::Duration` inside the `µ`).
#[test]
fn edm_values_with_multibyte_characters_are_errors_not_panics() {
    let odd = ["é", "µ", "€", "😀", "\u{0}", "\u{300}"];
    let stems = [
        "",
        "P",
        "PT",
        "PT1",
        "PT5",
        "P1DT",
        "-PT",
        "PT1.",
        "PT1.5",
        "P1D",
        "2025-",
        "2025-11-0",
        "2025-11-02T",
        "12:",
        "12:30:",
        "12:30:00.",
        "1",
        "1.",
        "-",
        "0x",
        "AAAA",
    ];
    let mut checked = 0;
    for stem in stems {
        for c in odd {
            for text in [
                format!("{stem}{c}"),
                format!("{stem}{c}S"),
                format!("{c}{stem}"),
            ] {
                assert!(text.parse::<Duration>().is_err(), "{text:?}");
                let v = json!(text);
                let _ = serde_json::from_value::<Duration>(v.clone());
                let _ = serde_json::from_value::<Date>(v.clone());
                let _ = serde_json::from_value::<TimeOfDay>(v.clone());
                let _ = serde_json::from_value::<DateTimeOffset>(v.clone());
                let _ = serde_json::from_value::<Guid>(v.clone());
                let _ = serde_json::from_value::<Decimal>(v.clone());
                let _ = serde_json::from_value::<Int64>(v.clone());
                let _ = serde_json::from_value::<Binary>(v.clone());
                let _ = serde_json::from_value::<Double>(v.clone());
                let _ = serde_json::from_value::<Single>(v);
                checked += 1;
            }
        }
    }
    assert_eq!(checked, stems.len() * odd.len() * 3);
}

/// Every resource a `PATCH` updates has an edit whose read-only properties
/// each name the fact that makes them read-only: the key, a property the
/// documentation marks "Read-only.", or one missing from the documented
/// update's request body.
#[test]
#[allow(deprecated)]
fn edits_refuse_read_only_properties_with_the_fact_behind_each() {
    use graph_migrations::models::*;
    let facts = |list: &[(&str, &str)]| -> std::collections::BTreeMap<String, String> {
        list.iter()
            .map(|(p, w)| (p.to_string(), w.to_string()))
            .collect()
    };
    let job = facts(CrossTenantMigrationJobEdit::READ_ONLY);
    assert_eq!(job["id"], "the key: it names the entity and never changes");
    for p in [
        "createdBy",
        "createdDateTime",
        "status",
        "displayName",
        "lastUpdatedDateTime",
    ] {
        assert_eq!(
            job[p],
            "not in the request body of the documented update (graph-docs/api/crosstenantmigrationjob-update.md)",
            "{p}"
        );
    }
    assert!(
        !job.contains_key("completeAfterDateTime"),
        "the update page allows it"
    );
    let task = facts(SharePointMigrationTaskEdit::READ_ONLY);
    assert_eq!(
        task["error"],
        "documented as read-only (graph-docs/resources/sharepointmigrationtask.md:37)"
    );
    assert_eq!(
        task["startedDateTime"],
        "documented as read-only (graph-docs/resources/sharepointmigrationtask.md:42)"
    );
    assert!(!task.contains_key("parameters"));
    for edit in [
        facts(CrossTenantMigrationTaskEdit::READ_ONLY),
        facts(SharePointUserIdentityMappingEdit::READ_ONLY),
        facts(SharePointGroupIdentityMappingEdit::READ_ONLY),
    ] {
        assert_eq!(edit["id"], "the key: it names the entity and never changes");
    }
    // A read-only property the caller insists on is sent; nothing else is.
    let fetched: CrossTenantMigrationJob = serde_json::from_value(
        serde_json::json!({"id": "j", "createdBy": "a", "status": "submitted"}),
    )
    .unwrap();
    let body =
        serde_json::to_value(fetched.edit().insist("createdBy", serde_json::json!("b"))).unwrap();
    assert_eq!(body, serde_json::json!({"createdBy": "b"}));
}

/// A JSON object names each key once: a body saying `completeAfterDateTime`
/// twice leaves the service to pick one. What was insisted on wins over
/// `additional_data`, which wins over the typed field, in edits and in
/// plain models alike.
#[test]
#[allow(
    deprecated,
    reason = "the job types are deprecated in the metadata and still documented"
)]
fn every_key_of_a_body_is_sent_once() {
    use graph_migrations::models::*;
    // `to_value` would fold repeated keys into one; the text shows them.
    let once = |text: &str, key: &str, value: &str| {
        assert_eq!(text.matches(&format!("\"{key}\":")).count(), 1, "{text}");
        assert!(text.contains(&format!("\"{key}\":{value}")), "{text}");
    };
    let at = |s: &str| {
        s.parse::<graph_migrations::runtime::edm::DateTimeOffset>()
            .unwrap()
    };
    let fetched: CrossTenantMigrationJob = serde_json::from_value(
        json!({"id": "j", "completeAfterDateTime": "2030-01-01T00:00:00Z", "status": "validatePassed"}),
    )
    .unwrap();
    let insisted = fetched
        .edit()
        .with_complete_after_date_time(at("2031-01-01T00:00:00Z"))
        .insist("completeAfterDateTime", json!("2032-01-01T00:00:00Z"));
    let text = serde_json::to_string(&insisted).unwrap();
    once(&text, "completeAfterDateTime", "\"2032-01-01T00:00:00Z\"");

    let mut extra = fetched
        .edit()
        .with_complete_after_date_time(at("2031-01-01T00:00:00Z"));
    extra.additional_data_mut().insert(
        "completeAfterDateTime".into(),
        json!("2033-01-01T00:00:00Z"),
    );
    extra
        .additional_data_mut()
        .insert("newThing".into(), json!(1));
    let extra = extra.insist("newThing", json!(2));
    let text = serde_json::to_string(&extra).unwrap();
    once(&text, "completeAfterDateTime", "\"2033-01-01T00:00:00Z\"");
    once(&text, "newThing", "2");

    // An entry that is only carried along (unchanged since the fetch) does
    // not hide a typed change; one removed sends no `null` under a known
    // name beside the typed value.
    let mut carried = CrossTenantMigrationJob::new();
    carried
        .additional_data
        .insert("completeAfterDateTime".into(), json!("old"));
    let new = || at("2034-01-01T00:00:00Z");
    let edit = carried.edit().with_complete_after_date_time(new());
    let text = serde_json::to_string(&edit).unwrap();
    once(&text, "completeAfterDateTime", "\"2034-01-01T00:00:00Z\"");
    let mut removed = carried.edit().with_complete_after_date_time(new());
    removed
        .additional_data_mut()
        .remove("completeAfterDateTime");
    let text = serde_json::to_string(&removed).unwrap();
    once(&text, "completeAfterDateTime", "\"2034-01-01T00:00:00Z\"");

    let mut model = CrossTenantMigrationJob::new().with_display_name("typed");
    model.odata_type = Some("#microsoft.graph.crossTenantMigrationJob".into());
    model
        .additional_data
        .insert("displayName".into(), json!("extra"));
    model
        .additional_data
        .insert("@odata.type".into(), json!("#microsoft.graph.other"));
    let text = serde_json::to_string(&model).unwrap();
    once(&text, "displayName", "\"extra\"");
    once(&text, "@odata.type", "\"#microsoft.graph.other\"");
}

/// A create body with a property the service sets itself (documented
/// "Read-only.") is refused before anything is sent; put in
/// `additional_data`, the caller insists and it is sent.
#[tokio::test]
async fn creating_with_a_read_only_property_is_refused_unless_insisted() {
    use graph_migrations::models::*;
    let sim = graph_sim::start(graph_sim::SimConfig::default()).await;
    let client = crate::support::sim_client(&sim);
    let tasks = client
        .solutions()
        .share_point()
        .migrations()
        .cross_organization_migration_tasks();
    let started: graph_migrations::runtime::edm::DateTimeOffset =
        "2025-01-01T00:00:00Z".parse().unwrap();
    let body = SharePointMigrationTask::new().with_started_date_time(started);
    let err = tasks.post(&body).await.unwrap_err();
    assert!(
        matches!(&err, graph_migrations::Error::InvalidRequest(m)
            if m.contains("`startedDateTime` is read-only (documented as read-only (graph-docs/resources/sharepointmigrationtask.md:42))")),
        "{err}"
    );
    let template = "/solutions/sharePoint/migrations/crossOrganizationMigrationTasks";
    assert_eq!(
        sim.stats().requests("POST", template),
        0,
        "nothing was sent"
    );
    // Insisting: the same property through additional_data is sent.
    let mut insisted = SharePointMigrationTask::new();
    insisted.additional_data.insert(
        "startedDateTime".into(),
        serde_json::json!("2025-01-01T00:00:00Z"),
    );
    let _ = tasks.post(&insisted).await;
    assert_eq!(sim.stats().requests("POST", template), 1);
    assert_eq!(
        sim.stats().request_bodies("POST", template)[0]["startedDateTime"],
        "2025-01-01T00:00:00Z"
    );
    sim.shutdown().await;
}

/// RFC 3339 has no room for an offset with seconds (a historical local
/// mean time from a time-zone database) or a year before 0. Such a value is
/// written in UTC, with a signed year where needed, instead of making
/// `to_string` (and the URL literal) panic.
#[test]
fn date_time_offsets_rfc_3339_cannot_hold_are_written_in_utc() {
    use graph_migrations::runtime::{ODataLiteral, encode_odata_literal};
    let lmt = time::UtcOffset::from_hms(0, 19, 32).unwrap();
    let at = time::macros::datetime!(1900-01-01 12:00:00).assume_offset(lmt);
    let d = DateTimeOffset::from(at);
    assert_eq!(d.to_string(), "1900-01-01T11:40:28Z");
    assert_eq!(
        serde_json::to_value(&d).unwrap(),
        json!("1900-01-01T11:40:28Z")
    );
    let back: DateTimeOffset = serde_json::from_value(json!(d.to_string())).unwrap();
    assert_eq!(back.value().unwrap(), at);
    let old = time::macros::datetime!(-0001-03-04 05:06:07.25 UTC);
    let d = DateTimeOffset::from(old);
    assert_eq!(d.to_string(), "-0001-03-04T05:06:07.25Z");
    let literal = encode_odata_literal(&ODataLiteral::DateTimeOffset(d));
    assert!(literal.contains("0001-03-04T05"), "{literal}");
}

/// One value that does not decode (`"status": 3`, a `null` in a list of
/// strings) does not lose the entity it is in: the property stays unset,
/// the value is kept as received in `additional_data` and written back
/// unchanged, and a warning names it. A body that is no object at all still
/// fails, with the strict decode's path.
#[tokio::test]
#[allow(
    deprecated,
    reason = "the job types are deprecated in the metadata and still documented"
)]
async fn a_malformed_value_does_not_lose_its_entity() {
    use crate::support::*;
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let (log, _guard) = capture_tracing();
    let server = MockServer::start().await;
    let job_path = "/beta/solutions/migrations/crossTenantMigrationJobs/j";
    Mock::given(method("GET"))
        .and(path(job_path))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "j",
            "displayName": "kept",
            "resources": ["a", null],
            "status": 3,
            "exchangeSettings": {"domain": 7}
        })))
        .mount(&server)
        .await;
    let jobs = client(&server)
        .solutions()
        .migrations()
        .cross_tenant_migration_jobs();
    let job = jobs.by_id("j").get().await.unwrap();
    assert_eq!(job.display_name, Field::Set("kept".to_string()));
    assert!(job.resources.is_unset() && job.status.is_unset());
    assert_eq!(job.additional_data["resources"], json!(["a", null]));
    assert_eq!(job.additional_data["status"], json!(3));
    let back = serde_json::to_value(&job).unwrap();
    for key in ["resources", "status", "exchangeSettings", "displayName"] {
        assert_eq!(
            back[key],
            json!({
                "id": "j",
                "displayName": "kept",
                "resources": ["a", null],
                "status": 3,
                "exchangeSettings": {"domain": 7}
            })[key],
            "{key} written back as received: {back}"
        );
    }
    let logged = log.text();
    let warning = logged
        .lines()
        .find(|l| l.contains("WARN") && l.contains("kept as received"))
        .unwrap_or_else(|| panic!("no warning in {logged}"));
    assert!(warning.contains("status: invalid type"), "{warning}");
    assert!(
        !warning.contains("127.0.0.1"),
        "no URL in the warning: {warning}"
    );

    Mock::given(method("GET"))
        .and(path(
            "/beta/solutions/migrations/crossTenantMigrationJobs/k",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!(["not", "a", "job"])))
        .mount(&server)
        .await;
    let err = jobs.by_id("k").get().await.unwrap_err();
    assert!(matches!(err, graph_migrations::Error::Decode(_)), "{err}");
}

/// Creating a job sends only what its documentation lets a create set
/// ("You can specify the following properties when creating"): a job
/// fetched and posted again, with its `id` and `status`, is refused before
/// anything is sent, citing the page.
#[tokio::test]
#[allow(
    deprecated,
    reason = "the cross-tenant job types are deprecated in the metadata"
)]
async fn creating_a_job_from_a_fetched_one_is_refused() {
    use graph_migrations::models::*;
    let sim = graph_sim::start(graph_sim::SimConfig::default()).await;
    let client = crate::support::sim_client(&sim);
    let jobs = client
        .solutions()
        .migrations()
        .cross_tenant_migration_jobs();
    let template = "/solutions/migrations/crossTenantMigrationJobs";
    let fetched = CrossTenantMigrationJob::new()
        .with_id("job-1".to_string())
        .with_display_name("again".to_string())
        .with_status(CrossTenantMigrationJobStatus::Completed);
    let err = jobs.post(&fetched).await.unwrap_err();
    assert!(
        matches!(&err, graph_migrations::Error::InvalidRequest(m)
            if m.contains("`id`")
                && m.contains("migrationsroot-post-crosstenantmigrationjobs.md:57")),
        "{err}"
    );
    assert_eq!(
        sim.stats().requests("POST", template),
        0,
        "nothing was sent"
    );
    sim.shutdown().await;
}
