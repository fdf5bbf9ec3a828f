//! Decoding of the generated `AnyX` enums: streamed into the variant when
//! `@odata.type` comes first (as Graph writes it), buffered otherwise; both
//! give the same value, and both keep unknown types and properties.

use graph_migrations::models::{
    AnySharePointMigrationTaskParameters as Any, SharePointMigrationTaskParameters,
    SharePointUserMigrationTaskParameters,
};
use serde_json::{Value, json};

fn decode(v: &Value) -> Any {
    // From bytes (the SDK's path, keys borrowed) and from a Value (keys owned).
    let text = serde_json::to_vec(v).unwrap();
    let from_bytes: Any = serde_json::from_slice(&text).unwrap();
    let from_value: Any = serde_json::from_value(v.clone()).unwrap();
    assert_eq!(from_bytes, from_value);
    from_bytes
}

/// The same object with `@odata.type` first, last, and in the middle.
fn orders(odata_type: &str) -> Vec<Value> {
    let fields = [
        (
            "sourceSiteUrl",
            json!("https://contoso.sharepoint.com/sites/a"),
        ),
        (
            "targetOrganizationId",
            json!("3ef4e46d-13a3-4895-b6ea-a74a20b1fac0"),
        ),
        (
            "sourceUserIdentity",
            json!({"id": "u1", "userPrincipalName": "a@contoso.com"}),
        ),
        ("futureProperty", json!({"nested": [1, 2]})),
    ];
    let mut out = Vec::new();
    for at in [0, fields.len(), 2] {
        let mut text = String::from("{");
        for (i, (k, v)) in fields.iter().enumerate() {
            if i == at {
                text.push_str(&format!("\"@odata.type\":{},", json!(odata_type)));
            }
            text.push_str(&format!("{}:{v},", json!(k)));
        }
        if at == fields.len() {
            text.push_str(&format!("\"@odata.type\":{},", json!(odata_type)));
        }
        text.pop();
        text.push('}');
        // Keep the key order: parse with serde_json's order-preserving
        // reader only through from_slice; the Value is for from_value.
        out.push(serde_json::from_str::<Value>(&text).unwrap());
        let streamed: Any = serde_json::from_str(&text).unwrap();
        assert_eq!(streamed, decode(out.last().unwrap()));
    }
    out
}

#[test]
fn a_derived_type_decodes_the_same_wherever_odata_type_is() {
    let mut seen = Vec::new();
    for v in orders("#microsoft.graph.sharePointUserMigrationTaskParameters") {
        let Any::SharePointUserMigrationTaskParameters(p) = decode(&v) else {
            panic!("{v}");
        };
        assert_eq!(
            p.odata_type.as_deref(),
            Some("#microsoft.graph.sharePointUserMigrationTaskParameters")
        );
        assert_eq!(
            p.source_user_identity
                .get()
                .and_then(|u| u.user_principal_name.get())
                .map(String::as_str),
            Some("a@contoso.com")
        );
        assert_eq!(
            p.additional_data.get("futureProperty"),
            Some(&json!({"nested": [1, 2]}))
        );
        seen.push(p);
    }
    assert!(seen.windows(2).all(|w| w[0] == w[1]));
}

#[test]
fn odata_type_is_matched_without_hash_and_case_insensitively() {
    for t in [
        "microsoft.graph.sharePointUserMigrationTaskParameters",
        "#Microsoft.Graph.SHAREPOINTUSERMIGRATIONTASKPARAMETERS",
    ] {
        for v in orders(t) {
            let decoded = decode(&v);
            assert!(
                matches!(decoded, Any::SharePointUserMigrationTaskParameters(ref p) if p.odata_type.as_deref() == Some(t)),
                "{t}: {decoded:?}"
            );
        }
    }
}

#[test]
fn an_unknown_or_missing_odata_type_decodes_as_the_base_type_and_keeps_everything() {
    for v in orders("#microsoft.graph.sharePointFutureMigrationTaskParameters") {
        let Any::SharePointMigrationTaskParameters(p) = decode(&v) else {
            panic!("{v}");
        };
        assert_eq!(
            p.odata_type.as_deref(),
            Some("#microsoft.graph.sharePointFutureMigrationTaskParameters")
        );
        // Not a property of the base type: kept as additional data.
        assert!(p.additional_data.contains_key("sourceUserIdentity"));
        assert!(p.additional_data.contains_key("futureProperty"));
        assert!(p.source_site_url.is_set());
        // Written back as received.
        let back = serde_json::to_value(Any::SharePointMigrationTaskParameters(p)).unwrap();
        assert_eq!(back, v);
    }
    let no_type = json!({"sourceSiteUrl": "https://contoso.sharepoint.com/sites/a"});
    let Any::SharePointMigrationTaskParameters(p) = decode(&no_type) else {
        panic!()
    };
    assert_eq!(p.odata_type, None);
    assert_eq!(
        decode(&json!({})),
        Any::SharePointMigrationTaskParameters(SharePointMigrationTaskParameters::default())
    );
    let null_type = json!({"@odata.type": null, "validateOnly": true});
    let Any::SharePointMigrationTaskParameters(p) = decode(&null_type) else {
        panic!()
    };
    assert_eq!((p.odata_type, p.validate_only.get()), (None, Some(&true)));
}

#[test]
fn a_round_trip_keeps_the_variant_and_its_odata_type() {
    let v = Any::from(
        SharePointUserMigrationTaskParameters::new()
            .with_source_site_url("https://contoso.sharepoint.com/sites/a".to_string()),
    );
    let json = serde_json::to_value(&v).unwrap();
    assert_eq!(
        json["@odata.type"],
        "#microsoft.graph.sharePointUserMigrationTaskParameters"
    );
    let back = decode(&json);
    assert_eq!(
        back.odata_type(),
        Some("#microsoft.graph.sharePointUserMigrationTaskParameters")
    );
    assert!(matches!(
        back,
        Any::SharePointUserMigrationTaskParameters(_)
    ));
}

#[test]
fn errors_name_the_path_inside_the_variant() {
    // A malformed GUID string is kept (see `edm::Guid`); a number is no GUID at all.
    let body = br##"{"value":[{"@odata.type":"#microsoft.graph.sharePointUserMigrationTaskParameters","targetOrganizationId":42}]}"##;
    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Page {
        value: Vec<Any>,
    }
    let (path, message) = graph_migrations::runtime::decode_json::<Page>(body).unwrap_err();
    assert_eq!(path, "value[0].targetOrganizationId", "{message}");
    // Not an object at all.
    let err = serde_json::from_str::<Any>("[1]").unwrap_err().to_string();
    assert!(
        err.contains("microsoft.graph.sharePointMigrationTaskParameters"),
        "{err}"
    );
}

#[test]
fn the_last_of_repeated_odata_type_keys_chooses_the_variant() {
    let text = r##"{"@odata.type":"#microsoft.graph.sharePointUserMigrationTaskParameters","sourceSiteUrl":"https://contoso.sharepoint.com/sites/a","sourceUserIdentity":{"id":"u1"},"@odata.type":"#microsoft.graph.sharePointSiteMigrationTaskParameters","validateOnly":true}"##;
    let decoded: Any = serde_json::from_str(text).unwrap();
    let Any::SharePointSiteMigrationTaskParameters(p) = &decoded else {
        panic!("{decoded:?}")
    };
    assert_eq!(
        p.odata_type.as_deref(),
        Some("#microsoft.graph.sharePointSiteMigrationTaskParameters")
    );
    assert!(p.source_site_url.is_set() && p.validate_only.get() == Some(&true));
    // Not a property of a site task: kept.
    assert_eq!(
        p.additional_data.get("sourceUserIdentity"),
        Some(&json!({"id": "u1"}))
    );
    // Stable through a round trip.
    let again: Any = serde_json::from_value(serde_json::to_value(&decoded).unwrap()).unwrap();
    assert_eq!(again, decoded);
}
