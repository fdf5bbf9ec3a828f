//! Identity mappings: CRUD by id and alternate key, delta PATCH.

use serde_json::{Value, json};

use crate::support::*;

fn user_mapping(src: &str, tgt: &str) -> Value {
    json!({
        "@odata.type": "#microsoft.graph.sharePointUserIdentityMapping",
        "sourceOrganizationId": "11111111-1111-1111-1111-111111111111",
        "userType": "RegularUser",
        "sourceUserIdentity": {"@odata.type": "microsoft.graph.userIdentity", "userPrincipalName": src},
        "targetUserIdentity": {"@odata.type": "microsoft.graph.userIdentity", "userPrincipalName": tgt},
        "targetUserMigrationData": {"@odata.type": "microsoft.graph.sharePointIdentityMappingUserMigrationData", "email": tgt}
    })
}

#[tokio::test]
async fn user_mapping_crud_by_id_and_alternate_key() {
    let (_sim, api) = sim().await;
    let upn = "o'neil@contoso.com";
    let r = api
        .post(USER_MAPS, user_mapping(upn, "oneil@fabrikam.com"))
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let m = r.json();
    let id = m["id"].as_str().unwrap().to_string();
    assert_eq!(
        m["@odata.type"],
        "#microsoft.graph.sharePointUserIdentityMapping"
    );
    assert_eq!(m["userType"], "regularUser", "schema casing");
    assert_eq!(m["sourceUserIdentity"], json!({"userPrincipalName": upn}));
    assert!(
        id.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    );
    assert_eq!(
        api.post(USER_MAPS, user_mapping(upn, "x@y.z")).await.status,
        409
    );

    let by_key = api
        .get(&format!(
            "{USER_MAPS}(sourceUserPrincipalName={})",
            lit(upn)
        ))
        .await;
    assert_eq!(by_key.status, 200, "{}", by_key.text);
    assert_eq!(by_key.json()["id"], json!(id));
    let by_id = api.get(&format!("{USER_MAPS}/{id}")).await.json();
    assert_eq!(
        by_id["targetUserIdentity"]["userPrincipalName"],
        "oneil@fabrikam.com"
    );
    assert_eq!(api.get(&format!("{USER_MAPS}('{id}')")).await.status, 200);
    assert_eq!(api.get(&format!("{USER_MAPS}/$count")).await.text, "1");

    let r = api
        .patch(
            &format!("{USER_MAPS}(sourceUserPrincipalName={})", lit(upn)),
            json!({"userType": "guestUser", "targetUserIdentity": {"userPrincipalName": "guest@fabrikam.com"}}),
        )
        .await;
    // The update page: 200 with the updated mapping.
    assert_eq!(r.status, 200, "{}", r.text);
    let updated = r.json();
    assert_eq!(updated["userType"], "guestUser");
    assert_eq!(updated["id"], json!(id));
    assert_eq!(
        updated["targetUserIdentity"]["userPrincipalName"],
        "guest@fabrikam.com"
    );
    let m = api
        .get(&format!("{USER_MAPS}/{id}?$select=userType"))
        .await
        .json();
    assert_eq!(m["userType"], "guestUser");
    assert!(m.get("targetUserIdentity").is_none(), "$select");
    assert_eq!(
        m["@odata.type"], "#microsoft.graph.sharePointUserIdentityMapping",
        "annotations kept"
    );
    let r = api
        .patch(
            &format!("{USER_MAPS}/{id}"),
            json!({"sourceUserIdentity": {"userPrincipalName": "someone-else@contoso.com"}}),
        )
        .await;
    assert_eq!(r.status, 400, "the alternate key can't change");
    assert_eq!(
        api.patch(&format!("{USER_MAPS}/{id}"), json!({"userType": "boss"}))
            .await
            .status,
        400
    );

    assert_eq!(api.delete(&format!("{USER_MAPS}/{id}")).await.status, 204);
    let r = api
        .get(&format!(
            "{USER_MAPS}(sourceUserPrincipalName={})",
            lit(upn)
        ))
        .await;
    assert_eq!(r.status, 404);
    assert_eq!(r.error().0, "itemNotFound");
}

#[tokio::test]
async fn group_mapping_crud() {
    let (_sim, api) = sim().await;
    let src = "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa";
    let r = api
        .post(
            GROUP_MAPS,
            json!({
                "sourceOrganizationId": "11111111-1111-1111-1111-111111111111",
                "groupType": "m365group",
                "sourceGroupIdentity": {"id": src},
                "targetGroupIdentity": {"id": "bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb"},
                "targetGroupMigrationData": {"mailNickname": "targetGroup"}
            }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let m = r.json();
    // The documented example id for this source group.
    assert_eq!(
        m["id"],
        "AQAAAAIAAABhYWFhYWFhYS1hYWFhLWFhYWEtYWFhYS1hYWFhYWFhYWFhYWE"
    );
    assert_eq!(m["groupType"], "m365Group");
    let r = api
        .get(&format!("{GROUP_MAPS}(sourceGroupObjectId='{src}')"))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json()["targetGroupMigrationData"]["mailNickname"],
        "targetGroup"
    );
    assert_eq!(api.get(&format!("{GROUP_MAPS}/$count")).await.text, "1");
    assert_eq!(
        api.patch(
            &format!("{GROUP_MAPS}(sourceGroupObjectId='{src}')"),
            json!({"groupType": "regularGroup"})
        )
        .await
        .json()["groupType"],
        "regularGroup"
    );
    let list = api
        .get(&format!(
            "{GROUP_MAPS}?$filter=groupType%20eq%20'regularGroup'"
        ))
        .await
        .json();
    assert_eq!(list["value"].as_array().unwrap().len(), 1);
    assert_eq!(
        api.delete(&format!("{GROUP_MAPS}(sourceGroupObjectId='{src}')"))
            .await
            .status,
        204
    );
    assert_eq!(api.get(&format!("{GROUP_MAPS}/$count")).await.text, "0");
    // Missing key → 400 naming it.
    let r = api
        .post(GROUP_MAPS, json!({"targetGroupIdentity": {"id": "x"}}))
        .await;
    assert_eq!(r.status, 400);
    assert!(r.error().1.contains("sourceGroupIdentity.id"));
}

#[tokio::test]
async fn delta_patch_adds_updates_and_removes() {
    let (sim, api) = sim().await;
    sim.state()
        .seed_user_mapping("keep@contoso.com", "keep@fabrikam.com");
    let gone = sim
        .state()
        .seed_user_mapping("gone@contoso.com", "gone@fabrikam.com");
    sim.state()
        .seed_user_mapping("update@contoso.com", "old@fabrikam.com");

    let body = json!({
        "@context": "#$delta",
        "value": [
            user_mapping("new1@contoso.com", "new1@fabrikam.com"),
            user_mapping("new2@contoso.com", "new2@fabrikam.com"),
            {
                "@odata.type": "#microsoft.graph.sharePointUserIdentityMapping",
                "sourceUserIdentity": {"userPrincipalName": "UPDATE@contoso.com"},
                "targetUserIdentity": {"userPrincipalName": "new@fabrikam.com"}
            },
            {
                "@odata.type": "#microsoft.graph.sharePointUserIdentityMapping",
                "@removed": {"reason": "deleted"},
                "sourceUserIdentity": {"userPrincipalName": "gone@contoso.com"}
            }
        ]
    });
    let r = api.patch(USER_MAPS, body).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let v = r.json();
    assert!(
        v["@odata.context"]
            .as_str()
            .unwrap()
            .ends_with("#solutions/sharePoint/migrations/crossOrganizationUserMappings")
    );
    let items = v["value"].as_array().unwrap();
    assert_eq!(items.len(), 4);
    assert_eq!(
        items[2]["targetUserIdentity"]["userPrincipalName"],
        "new@fabrikam.com"
    );
    assert_eq!(
        items[2]["userType"], "regularUser",
        "update keeps other properties"
    );
    assert_eq!(items[3]["id"], json!(gone));
    assert_eq!(
        items[3]["sourceUserIdentity"]["userPrincipalName"],
        "gone@contoso.com"
    );

    let all = sim.state().user_mappings();
    let upns: Vec<&str> = all
        .iter()
        .map(|m| {
            m["sourceUserIdentity"]["userPrincipalName"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(
        upns,
        vec![
            "keep@contoso.com",
            "update@contoso.com",
            "new1@contoso.com",
            "new2@contoso.com"
        ]
    );
    assert_eq!(
        api.get(&format!(
            "{USER_MAPS}(sourceUserPrincipalName='gone@contoso.com')"
        ))
        .await
        .status,
        404
    );

    // Group delta with a removal by key.
    sim.state().seed_group_mapping(
        "cccccccc-0000-0000-0000-000000000000",
        "dddddddd-0000-0000-0000-000000000000",
    );
    let r = api
        .patch(
            GROUP_MAPS,
            json!({"@context": "#$delta", "value": [
                {"@removed": {"reason": "deleted"}, "sourceGroupIdentity": {"id": "cccccccc-0000-0000-0000-000000000000"}},
                {"groupType": "regularGroup", "sourceGroupIdentity": {"id": "eeeeeeee-0000-0000-0000-000000000000"},
                 "targetGroupIdentity": {"id": "ffffffff-0000-0000-0000-000000000000"}}
            ]}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let groups = sim.state().group_mappings();
    assert_eq!(groups.len(), 1);
    assert_eq!(
        groups[0]["sourceGroupIdentity"]["id"],
        "eeeeeeee-0000-0000-0000-000000000000"
    );
}

#[tokio::test]
async fn delta_patch_limits_and_atomicity() {
    let (sim, api) = sim().await;
    let items: Vec<Value> = (0..51)
        .map(|i| user_mapping(&format!("u{i}@contoso.com"), &format!("u{i}@fabrikam.com")))
        .collect();
    let r = api
        .patch(USER_MAPS, json!({"@context": "#$delta", "value": items}))
        .await;
    assert_eq!(r.status, 400);
    let (code, message) = r.error();
    assert_eq!(code, "invalidRequest");
    assert_eq!(
        message,
        "The request contains 51 items; a maximum of 50 items is allowed in the value array."
    );
    assert!(sim.state().user_mappings().is_empty());

    let items: Vec<Value> = (0..50)
        .map(|i| user_mapping(&format!("u{i}@contoso.com"), &format!("u{i}@fabrikam.com")))
        .collect();
    let r = api
        .patch(USER_MAPS, json!({"@context": "#$delta", "value": items}))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(api.get(&format!("{USER_MAPS}/$count")).await.text, "50");

    // One bad item rejects the whole delta.
    let r = api
        .patch(
            USER_MAPS,
            json!({"@context": "#$delta", "value": [
                user_mapping("fine@contoso.com", "fine@fabrikam.com"),
                {"sourceUserIdentity": {"userPrincipalName": "no-target@contoso.com"}}
            ]}),
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(r.error().1.starts_with("Item 1:"), "{}", r.text);
    assert_eq!(api.get(&format!("{USER_MAPS}/$count")).await.text, "50");
    assert_eq!(
        api.patch(USER_MAPS, json!({"@context": "#$delta"}))
            .await
            .status,
        400
    );
}

#[tokio::test]
async fn remaining_mapping_operations_and_paging() {
    let (sim, api) = sim().await;
    sim.state().set_page_size(2);
    for i in 0..3 {
        let r = api
            .post(
                USER_MAPS,
                user_mapping(&format!("p{i}@contoso.com"), &format!("p{i}@fabrikam.com")),
            )
            .await;
        assert_eq!(r.status, 201);
    }
    let page = api.get(&format!("{USER_MAPS}?$count=true")).await.json();
    assert_eq!(page["@odata.count"], 3);
    assert_eq!(page["value"].as_array().unwrap().len(), 2);
    let rest = api
        .get(page["@odata.nextLink"].as_str().unwrap())
        .await
        .json();
    assert_eq!(
        rest["value"][0]["sourceUserIdentity"]["userPrincipalName"],
        "p2@contoso.com"
    );

    let id = page["value"][0]["id"].as_str().unwrap().to_string();
    let r = api
        .patch(
            &format!("{USER_MAPS}/{id}"),
            json!({"targetUserMigrationData": {"email": "new@fabrikam.com"}}),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        api.get(&format!("{USER_MAPS}/{id}")).await.json()["targetUserMigrationData"]["email"],
        "new@fabrikam.com"
    );
    assert_eq!(
        api.delete(&format!(
            "{USER_MAPS}(sourceUserPrincipalName='p1@contoso.com')"
        ))
        .await
        .status,
        204
    );
    assert_eq!(api.get(&format!("{USER_MAPS}/$count")).await.text, "2");

    let gid = sim.state().seed_group_mapping(
        "12121212-0000-0000-0000-000000000000",
        "34343434-0000-0000-0000-000000000000",
    );
    let g = api.get(&format!("{GROUP_MAPS}/{gid}")).await;
    assert_eq!(g.status, 200);
    assert_eq!(
        g.json()["@odata.type"],
        "#microsoft.graph.sharePointGroupIdentityMapping"
    );
    assert_eq!(
        api.patch(
            &format!("{GROUP_MAPS}('{gid}')"),
            json!({"targetGroupMigrationData": {"mailNickname": "tg"}})
        )
        .await
        .status,
        200
    );
    let list = api.get(GROUP_MAPS).await.json();
    assert_eq!(
        list["value"][0]["targetGroupMigrationData"]["mailNickname"],
        "tg"
    );
    assert_eq!(api.delete(&format!("{GROUP_MAPS}/{gid}")).await.status, 204);
    assert_eq!(api.get(&format!("{GROUP_MAPS}/{gid}")).await.status, 404);
    // Read-only SharePoint permission: reads yes, writes no.
    let reader = api.with_token(Some("sim.SharePointCrossTenantMigration.Read.All"));
    assert_eq!(reader.get(USER_MAPS).await.status, 200);
    assert_eq!(
        reader.patch(USER_MAPS, json!({"value": []})).await.status,
        403
    );
}
