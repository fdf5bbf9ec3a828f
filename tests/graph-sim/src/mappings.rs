//! sharePointUserIdentityMapping and sharePointGroupIdentityMapping.

use base64::Engine;
use http::{Method, StatusCode};
use serde_json::{Map, Value, json};

use crate::error::{GResult, GraphError};
use crate::odata;
use crate::paging::{self, Keyed, next_seq};
use crate::request::{Req, Resp};
use crate::routes::{Key, MapKind};
use crate::state::Store;
use crate::util::{check_props, enum_member, is_guid, opt_object, opt_str};

/// Most items a delta PATCH may carry.
pub(crate) const DELTA_LIMIT: usize = 50;

#[derive(Clone, Debug)]
pub(crate) struct Mapping {
    /// Creation sequence number (the collection's order).
    pub seq: u64,
    pub id: String,
    /// Lower-cased alternate key.
    pub key: String,
    /// Properties other than `id` and `@odata.type`.
    pub entity: Map<String, Value>,
}

struct KindInfo {
    type_name: &'static str,
    source_field: &'static str,
    source_key_field: &'static str,
    target_field: &'static str,
    target_fields: &'static [&'static str],
    data_field: &'static str,
    data_props: &'static [&'static str],
    type_field: &'static str,
    type_members: &'static [&'static str],
}

fn info(kind: MapKind) -> KindInfo {
    match kind {
        MapKind::User => KindInfo {
            type_name: "sharePointUserIdentityMapping",
            source_field: "sourceUserIdentity",
            source_key_field: "userPrincipalName",
            target_field: "targetUserIdentity",
            target_fields: &["userPrincipalName", "id"],
            data_field: "targetUserMigrationData",
            data_props: &["email"],
            type_field: "userType",
            type_members: &[
                "none",
                "regularUser",
                "adminUser",
                "guestUser",
                "unknownFutureValue",
            ],
        },
        MapKind::Group => KindInfo {
            type_name: "sharePointGroupIdentityMapping",
            source_field: "sourceGroupIdentity",
            source_key_field: "id",
            target_field: "targetGroupIdentity",
            target_fields: &["id"],
            data_field: "targetGroupMigrationData",
            data_props: &["mailNickname"],
            type_field: "groupType",
            type_members: &["none", "regularGroup", "m365Group", "unknownFutureValue"],
        },
    }
}

fn props(kind: MapKind) -> Vec<&'static str> {
    let i = info(kind);
    vec![
        "id",
        "deleted",
        "sourceOrganizationId",
        i.source_field,
        i.target_field,
        i.data_field,
        i.type_field,
        kind.alt_key(),
    ]
}

/// The stable id of a mapping: base64url of a small header and the key.
pub(crate) fn mapping_id(kind: MapKind, key: &str) -> String {
    let mut bytes = vec![
        1u8,
        0,
        0,
        0,
        if kind == MapKind::User { 1 } else { 2 },
        0,
        0,
        0,
    ];
    bytes.extend_from_slice(key.to_ascii_lowercase().as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn list(store: &Store, kind: MapKind) -> &Vec<Mapping> {
    match kind {
        MapKind::User => &store.user_maps,
        MapKind::Group => &store.group_maps,
    }
}

fn list_mut(store: &mut Store, kind: MapKind) -> &mut Vec<Mapping> {
    match kind {
        MapKind::User => &mut store.user_maps,
        MapKind::Group => &mut store.group_maps,
    }
}

/// Every mapping of one kind, as JSON.
pub(crate) fn all_json(store: &Store, kind: MapKind) -> Vec<Value> {
    list(store, kind)
        .iter()
        .map(|m| mapping_json(kind, m))
        .collect()
}

pub(crate) fn mapping_json(kind: MapKind, m: &Mapping) -> Value {
    let mut out = Map::new();
    out.insert(
        "@odata.type".into(),
        Value::String(format!("#microsoft.graph.{}", info(kind).type_name)),
    );
    out.insert("id".into(), Value::String(m.id.clone()));
    for (k, v) in &m.entity {
        out.insert(k.clone(), v.clone());
    }
    Value::Object(out)
}

/// The alternate key named by an item (identity property or the alternate-key property).
fn item_key(kind: MapKind, item: &Map<String, Value>) -> GResult<Option<String>> {
    let i = info(kind);
    if let Some(src) = opt_object(item, i.source_field)?
        && let Some(v) = opt_str(src, i.source_key_field)?.filter(|s| !s.trim().is_empty())
    {
        return Ok(Some(v.trim().to_string()));
    }
    Ok(opt_str(item, kind.alt_key())?.filter(|s| !s.trim().is_empty()))
}

fn clean_object(
    obj: &Map<String, Value>,
    field: &str,
    allowed: Option<&[&str]>,
) -> GResult<Map<String, Value>> {
    let mut out = Map::new();
    for (k, v) in obj {
        if k.starts_with('@') {
            continue;
        }
        if let Some(allowed) = allowed
            && !allowed.contains(&k.as_str())
        {
            return Err(GraphError::bad_request(format!(
                "The property '{k}' does not exist on '{field}'."
            )));
        }
        match v {
            Value::Null => {}
            Value::String(_) => {
                out.insert(k.clone(), v.clone());
            }
            _ => {
                return Err(GraphError::bad_request(format!(
                    "Invalid value for property '{field}.{k}': a string is expected."
                )));
            }
        }
    }
    Ok(out)
}

/// Validates the properties of an upsert item and returns them normalized.
fn normalize(kind: MapKind, item: &Map<String, Value>) -> GResult<Map<String, Value>> {
    let i = info(kind);
    check_props(item, &props(kind), i.type_name)?;
    let mut out = Map::new();
    if let Some(org) = opt_str(item, "sourceOrganizationId")? {
        if !is_guid(&org) {
            return Err(GraphError::bad_request(format!(
                "Invalid value '{org}' for property 'sourceOrganizationId': a GUID is expected."
            )));
        }
        out.insert("sourceOrganizationId".into(), Value::String(org));
    }
    if let Some(t) = opt_str(item, i.type_field)? {
        out.insert(
            i.type_field.into(),
            Value::String(enum_member(&t, i.type_members, i.type_field)?.into()),
        );
    }
    for f in [i.source_field, i.target_field] {
        if let Some(o) = opt_object(item, f)? {
            out.insert(f.into(), Value::Object(clean_object(o, f, None)?));
        }
    }
    if let Some(o) = opt_object(item, i.data_field)? {
        out.insert(
            i.data_field.into(),
            Value::Object(clean_object(o, i.data_field, Some(i.data_props))?),
        );
    }
    if let Some(key) = item_key(kind, item)? {
        let src = out
            .entry(i.source_field)
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(o) = src {
            o.insert(i.source_key_field.into(), Value::String(key));
        }
    }
    Ok(out)
}

/// Creates a mapping (409 if the key exists).
pub(crate) fn create(
    store: &mut Store,
    kind: MapKind,
    item: &Map<String, Value>,
) -> GResult<usize> {
    let i = info(kind);
    let mut props = normalize(kind, item)?;
    let key = item_key(kind, item)?.ok_or_else(|| {
        GraphError::missing_param(&format!("{}.{}", i.source_field, i.source_key_field))
    })?;
    let has_target = props
        .get(i.target_field)
        .and_then(Value::as_object)
        .is_some_and(|o| i.target_fields.iter().any(|f| o.contains_key(*f)));
    if !has_target {
        return Err(GraphError::missing_param(&format!(
            "{}.{}",
            i.target_field, i.target_fields[0]
        )));
    }
    let lower = key.to_ascii_lowercase();
    if list(store, kind).iter().any(|m| m.key == lower) {
        return Err(GraphError::conflict(format!(
            "An identity mapping for source '{key}' already exists."
        )));
    }
    props
        .entry("sourceOrganizationId")
        .or_insert_with(|| Value::String(store.cfg.sharepoint_tenant_id.clone()));
    props
        .entry(i.type_field)
        .or_insert_with(|| Value::String("none".into()));
    let m = Mapping {
        seq: next_seq(),
        id: mapping_id(kind, &key),
        key: lower,
        entity: props,
    };
    let l = list_mut(store, kind);
    l.push(m);
    Ok(l.len() - 1)
}

/// Merges updated properties; the source identity keeps its key as first written.
fn merge(kind: MapKind, m: &mut Mapping, mut props: Map<String, Value>) {
    let i = info(kind);
    let existing_key = m
        .entity
        .get(i.source_field)
        .and_then(|s| s.get(i.source_key_field))
        .cloned();
    if let (Some(Value::Object(src)), Some(k)) = (props.get_mut(i.source_field), existing_key) {
        src.insert(i.source_key_field.into(), k);
    }
    for (k, v) in props {
        m.entity.insert(k, v);
    }
}

fn find(store: &Store, kind: MapKind, key: &Key) -> GResult<usize> {
    list(store, kind)
        .iter()
        .position(|m| match key {
            Key::Id(id) => m.id == *id,
            Key::Alt(k) => m.key == k.to_ascii_lowercase(),
        })
        .ok_or_else(|| {
            let k = match key {
                Key::Id(v) | Key::Alt(v) => v,
            };
            GraphError::not_found(format!("The identity mapping '{k}' was not found."))
        })
}

fn collection_context(kind: MapKind) -> String {
    format!("solutions/sharePoint/migrations/{}", kind.set_name())
}

pub(crate) fn collection(store: &mut Store, req: &Req, kind: MapKind) -> GResult<Resp> {
    match req.method {
        Method::GET => {
            let items = list(store, kind)
                .iter()
                .map(|m| Keyed::new(m.seq, mapping_json(kind, m)))
                .collect();
            paging::collection(
                req,
                items,
                &collection_context(kind),
                store.cfg.page_size,
                store.cfg.max_page_size,
            )
        }
        Method::POST => {
            let body = req.json_object()?;
            let idx = create(store, kind, &body)?;
            let ctx = format!("{}/$entity", collection_context(kind));
            Ok(odata::entity_with_status(
                req,
                StatusCode::CREATED,
                mapping_json(kind, &list(store, kind)[idx]),
                &ctx,
            ))
        }
        Method::PATCH => delta(store, req, kind),
        _ => Err(GraphError::method_not_allowed()),
    }
}

enum Op {
    Remove(String),
    Upsert(String, Map<String, Value>),
}

fn delta(store: &mut Store, req: &Req, kind: MapKind) -> GResult<Resp> {
    let i = info(kind);
    let body = req.json_object()?;
    let items = match body.get("value") {
        Some(Value::Array(items)) => items,
        Some(_) => {
            return Err(GraphError::bad_request(
                "The 'value' property must be an array.",
            ));
        }
        None => return Err(GraphError::missing_param("value")),
    };
    if items.len() > DELTA_LIMIT {
        return Err(GraphError::bad_request(format!(
            "The request contains {} items; a maximum of {DELTA_LIMIT} items is allowed in the value array.",
            items.len()
        )));
    }
    // Validate everything first: the delta is applied all or nothing.
    let mut ops = Vec::new();
    for (n, item) in items.iter().enumerate() {
        let Some(item) = item.as_object() else {
            return Err(GraphError::bad_request(format!(
                "Item {n} of 'value' must be an object."
            )));
        };
        let prefix = |e: GraphError| GraphError {
            message: format!("Item {n}: {}", e.message),
            ..e
        };
        let removed = item.contains_key("@removed");
        let key = match item_key(kind, item).map_err(prefix)? {
            Some(k) => k,
            None => match opt_str(item, "id").map_err(prefix)?.and_then(|id| {
                list(store, kind)
                    .iter()
                    .find(|m| m.id == id)
                    .map(|m| m.key.clone())
            }) {
                Some(k) if removed => k,
                _ => {
                    return Err(prefix(GraphError::missing_param(&format!(
                        "{}.{}",
                        i.source_field, i.source_key_field
                    ))));
                }
            },
        };
        if removed {
            ops.push(Op::Remove(key));
        } else {
            let props = normalize(kind, item).map_err(prefix)?;
            let exists = list(store, kind)
                .iter()
                .any(|m| m.key == key.to_ascii_lowercase())
                || ops
                    .iter()
                    .any(|o| matches!(o, Op::Upsert(k, _) if k.eq_ignore_ascii_case(&key)));
            if !exists {
                let has_target = props
                    .get(i.target_field)
                    .and_then(Value::as_object)
                    .is_some_and(|o| i.target_fields.iter().any(|f| o.contains_key(*f)));
                if !has_target {
                    return Err(prefix(GraphError::missing_param(&format!(
                        "{}.{}",
                        i.target_field, i.target_fields[0]
                    ))));
                }
            }
            ops.push(Op::Upsert(key, props));
        }
    }
    let mut out = Vec::new();
    for op in ops {
        match op {
            Op::Remove(key) => {
                let lower = key.to_ascii_lowercase();
                let l = list_mut(store, kind);
                let id = match l.iter().position(|m| m.key == lower) {
                    Some(p) => l.remove(p).id,
                    None => mapping_id(kind, &key),
                };
                out.push(json!({
                    "@odata.type": format!("#microsoft.graph.{}", i.type_name),
                    "id": id,
                    i.source_field: {i.source_key_field: key},
                }));
            }
            Op::Upsert(key, props) => {
                let lower = key.to_ascii_lowercase();
                let pos = list(store, kind).iter().position(|m| m.key == lower);
                let idx = match pos {
                    Some(p) => {
                        merge(kind, &mut list_mut(store, kind)[p], props);
                        p
                    }
                    None => create(store, kind, &props)?,
                };
                out.push(mapping_json(kind, &list(store, kind)[idx]));
            }
        }
    }
    Ok(Resp::ok(json!({
        "@odata.context": req.context(&collection_context(kind)),
        "value": out,
    })))
}

pub(crate) fn count(store: &mut Store, req: &Req, kind: MapKind) -> GResult<Resp> {
    if req.method != Method::GET {
        return Err(GraphError::method_not_allowed());
    }
    paging::count(
        req,
        list(store, kind)
            .iter()
            .map(|m| mapping_json(kind, m))
            .collect(),
    )
}

/// One mapping as an entity response.
fn entity_response(store: &Store, req: &Req, kind: MapKind, idx: usize) -> Resp {
    let ctx = format!("{}/$entity", collection_context(kind));
    odata::entity(req, mapping_json(kind, &list(store, kind)[idx]), &ctx)
}

pub(crate) fn item(store: &mut Store, req: &Req, kind: MapKind, key: &Key) -> GResult<Resp> {
    let idx = find(store, kind, key)?;
    match req.method {
        Method::GET => Ok(entity_response(store, req, kind, idx)),
        Method::PATCH => {
            let body = req.json_object()?;
            let props = normalize(kind, &body)?;
            if let Some(k) = item_key(kind, &body)?
                && k.to_ascii_lowercase() != list(store, kind)[idx].key
            {
                return Err(GraphError::bad_request(
                    "The source identity of an identity mapping can't be changed.",
                ));
            }
            merge(kind, &mut list_mut(store, kind)[idx], props);
            // The update pages: "200 OK and an updated ... object in the response body".
            Ok(entity_response(store, req, kind, idx))
        }
        Method::DELETE => {
            list_mut(store, kind).remove(idx);
            Ok(Resp::empty(StatusCode::NO_CONTENT))
        }
        _ => Err(GraphError::method_not_allowed()),
    }
}
