//! The request builders: one per URL path of the slice and one per bound
//! operation below a path, with every method named, typed and documented.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use super::deprecation::removal_note;
use super::names::{Reserved, assign_unique, ident_text, overload_name, pascal_word, snake};
use super::types::{Member, TypeSpace, patch_docs};
use super::{
    BuilderPlan, Docs, Endpoint, MethodKind, MethodPlan, Paths, QUERY_OPTIONS, QueryMarker,
    RootMethod, RustType, StructPlan, UrlParam, UrlValue,
};
use super::{documented, errors};
use crate::csdl::syntax::{Annotation, OperationKind, Pos};
use crate::csdl::{Diagnostic, Diagnostics};
use crate::model::paths::{self, PathNode, Segment, SegmentKind};
use crate::model::{OperationDef, vocab};

/// A resource node of the builder tree.
struct Node {
    path: PathNode,
    template: String,
    /// Whether the slice includes this path itself (not just paths below it).
    included: bool,
    base: String,
}

impl Node {
    fn builder(&self) -> String {
        format!("{}RequestBuilder", self.base)
    }

    fn is_key(&self) -> bool {
        matches!(
            self.path.segments.last().map(|s| &s.kind),
            Some(SegmentKind::Key)
        )
    }
}

/// Methods every request builder may have besides its navigation
/// properties and bound operations (`get`… by capability, `by_id` on
/// collections, `path` and `new` always).
pub(super) const RESERVED_METHODS: &[&str] = &[
    "new",
    "path",
    "get",
    "post",
    "patch",
    "delete",
    "count",
    "by_id",
    "delta_update",
];

/// Why a method is deprecated: its own annotation or a deprecated type it
/// reads or writes.
#[derive(Clone)]
struct Deprecation {
    note: String,
    listing: String,
}

/// The methods the runtime's `Client` has (and `clone`, which generated
/// builders call on it): a root method may not take one of their names.
const CLIENT_METHODS: &[&str] = &[
    "builder",
    "base_url",
    "scopes",
    "retry_policy",
    "cloud",
    "is_same_origin",
    "batch",
    "request",
    "request_url",
    "clone",
];

pub(super) fn plan(
    types: &TypeSpace<'_>,
    paths: &dyn Paths,
) -> Result<(Vec<BuilderPlan>, Vec<RootMethod>), Diagnostics> {
    let mut found: Vec<PathNode> = Vec::new();
    paths::walk(
        types.model,
        &mut |n| paths.may_include_below(&n.segment_texts()),
        &mut |n| found.push(n.clone()),
    );
    let bases = short_names(&found);
    let nodes: Vec<Node> = found
        .into_iter()
        .map(|path| {
            let template = path.template();
            Node {
                included: paths.includes(&path.segment_texts()),
                base: bases[&template].clone(),
                template,
                path,
            }
        })
        .collect();
    let by_template: HashMap<&str, &Node> =
        nodes.iter().map(|n| (n.template.as_str(), n)).collect();
    // Operation builders are named after their node and operation; one
    // that would take a node builder's name (`charts/item(name=…)` beside
    // `charts/{id}`, both `…ChartsItem`) says which kind it is instead.
    let node_bases: HashSet<&str> = nodes.iter().map(|n| n.base.as_str()).collect();
    let mut children_of: HashMap<&[Segment], Vec<&Node>> = HashMap::new();
    for node in &nodes {
        if let Some((_, parent)) = node.path.segments.split_last() {
            children_of.entry(parent).or_default().push(node);
        }
    }
    let mut builders = Vec::new();
    let mut errors = Vec::new();
    for node in &nodes {
        let children = children_of
            .get(node.path.segments.as_slice())
            .map_or(&[][..], Vec::as_slice);
        // A collection and its items share a file.
        let owner = if node.is_key() {
            let parent = node.template.rsplit_once('/').map_or("", |(p, _)| p);
            by_template[parent].base.as_str()
        } else {
            node.base.as_str()
        };
        let planner = NodePlanner {
            types,
            paths,
            node,
            children,
            node_bases: &node_bases,
            module: super::names::module(owner),
        };
        // Every node is tried, so that one run reports every path the
        // generator cannot write, not only the first.
        match planner.plan() {
            Ok(mut b) => builders.append(&mut b),
            Err(d) => errors.extend(d.0),
        }
    }
    if !errors.is_empty() {
        // A type's error is met once per path through it.
        errors.sort_by(|a, b| {
            (a.pos.line, a.pos.col, &a.message).cmp(&(b.pos.line, b.pos.col, &b.message))
        });
        errors.dedup_by(|a, b| a.pos == b.pos && a.message == b.message);
        return Err(Diagnostics(errors));
    }
    // Operation builders are named after their node and their operation, so
    // two of them can meet (`itemZ` bound to a collection beside `z` bound
    // to its items: both `XItemZRequestBuilder`); every builder is in
    // `crate::builders`, where one name can serve one type.
    let mut first_of: HashMap<&str, &BuilderPlan> = HashMap::new();
    let mut clashes = Vec::new();
    for b in &builders {
        let Some(first) = first_of.insert(b.rust_name.as_str(), b) else {
            continue;
        };
        let pos = b
            .methods
            .iter()
            .find_map(|m| m.operation.as_deref())
            .and_then(|sig| types.model.operations.iter().find(|o| o.signature() == sig))
            .map(|o| o.pos)
            .unwrap_or_default();
        clashes.push(Diagnostic::error(
            types.file(),
            pos,
            format!(
                "the request builder for {} would be named {}, as the one for {} is",
                b.template, b.rust_name, first.template
            ),
        ));
    }
    if !clashes.is_empty() {
        return Err(Diagnostics(clashes));
    }
    let root_nodes: Vec<&Node> = nodes
        .iter()
        .filter(|n| n.path.segments.len() == 1)
        .collect();
    let model = types.model;
    let declared_at = |segment: &str| {
        (model.entity_sets.get(segment).map(|e| e.pos))
            .or_else(|| model.singletons.get(segment).map(|s| s.pos))
            .unwrap_or_default()
    };
    // Root methods live on `Client` beside its own methods, and two
    // container members may snake-case alike (`things`, `Things`).
    let names = assign_unique(
        types.file(),
        "the entity container",
        root_nodes.iter().map(|n| {
            let segment = n.path.segments[0].text.as_str();
            (segment, declared_at(segment))
        }),
        snake,
        Reserved {
            names: CLIENT_METHODS,
            suffix: Some("_root"),
        },
    )?;
    let roots = root_nodes
        .iter()
        .zip(names)
        .map(|(n, name)| {
            let segment = n.path.segments[0].text.clone();
            RootMethod {
                name: ident_text(&name),
                docs: Docs::line(format!("`/{segment}`")),
                target: n.builder(),
                segment,
            }
        })
        .collect();
    Ok((builders, roots))
}

struct NodePlanner<'a, 'm> {
    types: &'a TypeSpace<'m>,
    paths: &'a dyn Paths,
    node: &'a Node,
    children: &'a [&'a Node],
    node_bases: &'a HashSet<&'a str>,
    module: String,
}

impl NodePlanner<'_, '_> {
    fn file(&self) -> &str {
        self.types.file()
    }

    /// The deprecation of methods that read or write `ty`.
    fn type_deprecation(&self, ty: &str) -> Option<Deprecation> {
        let model = self.types.model;
        let as_of = self.types.options.metadata_date.as_deref();
        let revision = match model.enums.get(ty) {
            Some(e) => vocab::deprecation(&e.annotations),
            None => model
                .base_chain(ty)
                .iter()
                .find_map(|s| vocab::deprecation(&s.annotations)),
        }?;
        Some(Deprecation {
            note: format!(
                "reads or writes `{ty}`, {}",
                super::deprecation_note(&revision, as_of)
            ),
            listing: removal_note(&revision, as_of),
        })
    }

    fn own_deprecation(&self, annotations: &[Annotation]) -> Option<Deprecation> {
        let as_of = self.types.options.metadata_date.as_deref();
        vocab::deprecation(annotations).map(|r| Deprecation {
            note: super::deprecation_note(&r, as_of),
            listing: removal_note(&r, as_of),
        })
    }

    fn plan(&self) -> Result<Vec<BuilderPlan>, Diagnostics> {
        let node = self.node;
        let template = &node.template;
        let entity = &node.path.ty;
        let entity_ty = self.types.value_type(entity);
        let nav_annotations = nav_annotations(self.types, &node.path);
        let caps = vocab::capabilities(&nav_annotations);
        let type_dep = self.type_deprecation(entity);
        let mut docs = Docs::line(format!(
            "`{template}`: {} `{entity}`.",
            if node.path.collection {
                "a collection of"
            } else {
                "a"
            }
        ));
        if let Some(d) = self.types.type_deprecated(entity) {
            docs.paragraph(format!("The type is {d}."));
        }
        let query_marker = query_marker(node, &caps);
        let options = RustType::new(match &query_marker {
            Some(m) => m.rust_name.clone(),
            None => "crate::runtime::options::AllOptions".to_string(),
        });
        let builder = node.builder();
        let mut methods = Vec::new();
        let terminal = |name: &str,
                        http: &'static str,
                        endpoint_template: String,
                        returns: String,
                        docs: Docs,
                        kind: MethodKind,
                        dep: &Option<Deprecation>,
                        extra_notes: Vec<String>| {
            let mut notes = extra_notes;
            notes.extend(dep.as_ref().map(|d| d.listing.clone()));
            MethodPlan {
                name: name.to_string(),
                docs,
                deprecated: dep.as_ref().map(|d| d.note.clone()),
                kind,
                endpoints: vec![Endpoint {
                    http,
                    template: endpoint_template,
                    returns,
                    notes,
                    rust: format!("{builder}::{name}()"),
                }],
                operation: None,
                errors: None,
            }
        };
        let type_patches = patch_notes(
            &self
                .types
                .model
                .base_chain(entity)
                .iter()
                .flat_map(|s| s.annotations.clone())
                .collect::<Vec<_>>(),
        );
        if node.included {
            if node.path.collection {
                let coll = format!("Collection({entity})");
                if caps.readable != Some(false) {
                    methods.push(terminal(
                        "get",
                        "GET",
                        template.clone(),
                        coll.clone(),
                        Docs::line(format!(
                            "`GET {template}`: lists `{entity}` items; page through them with `.items()` or `.pages()`."
                        )),
                        MethodKind::List {
                            item: entity_ty.clone(),
                            options: options.clone(),
                        },
                        &type_dep,
                        type_patches.clone(),
                    ));
                    if caps.countable != Some(false) {
                        methods.push(terminal(
                            "count",
                            "GET",
                            format!("{template}/$count"),
                            "Edm.Int64".into(),
                            Docs::line(format!(
                                "`GET {template}/$count`: the number of `{entity}` items."
                            )),
                            MethodKind::Count,
                            &type_dep,
                            type_patches.clone(),
                        ));
                    }
                }
                if caps.insertable != Some(false) {
                    methods.push(terminal(
                        "post",
                        "POST",
                        template.clone(),
                        entity.clone(),
                        Docs::line(format!("`POST {template}`: creates a `{entity}`.")),
                        MethodKind::Create {
                            ty: entity_ty.clone(),
                            read_only: Vec::new(),
                        },
                        &type_dep,
                        type_patches.clone(),
                    ));
                }
                if let Some(delta) = vocab::delta_update(&nav_annotations) {
                    let max = delta.max_items as usize;
                    let mut d = Docs::line(format!(
                        "`PATCH {template}` with an OData delta payload (`\"@context\": \"#$delta\"`): adds, updates and removes items in bulk, \
                         split into requests of at most {max} items. The report says which chunks were applied, so a caller can resume after a failure."
                    ));
                    d.extend(&patch_docs(&nav_annotations));
                    let mut notes = type_patches.clone();
                    notes.extend(patch_notes(&nav_annotations));
                    methods.push(terminal(
                        "delta_update",
                        "PATCH",
                        template.clone(),
                        coll.clone(),
                        d,
                        MethodKind::DeltaUpdate {
                            item: entity_ty.clone(),
                            max_items: max,
                            // Decided with the edits (`edits::plan_edits`).
                            not_sent: Vec::new(),
                        },
                        &type_dep,
                        notes,
                    ));
                }
                self.item_methods(&mut methods, &type_dep, &type_patches)?;
            } else {
                if caps.readable != Some(false) {
                    methods.push(terminal(
                        "get",
                        "GET",
                        template.clone(),
                        entity.clone(),
                        Docs::line(format!("`GET {template}`")),
                        MethodKind::Get {
                            ty: entity_ty.clone(),
                            options: options.clone(),
                        },
                        &type_dep,
                        type_patches.clone(),
                    ));
                }
                if caps.updatable != Some(false) {
                    methods.push(terminal(
                        "patch",
                        "PATCH",
                        template.clone(),
                        entity.clone(),
                        Docs::line(format!(
                            "`PATCH {template}`: sends only the properties set on `body` (and explicit nulls)."
                        )),
                        MethodKind::Update {
                            ty: entity_ty.clone(),
                            edit: None,
                        },
                        &type_dep,
                        type_patches.clone(),
                    ));
                }
                if node.is_key() && caps.deletable != Some(false) {
                    methods.push(terminal(
                        "delete",
                        "DELETE",
                        template.clone(),
                        "None".into(),
                        Docs::line(format!("`DELETE {template}`")),
                        MethodKind::Delete,
                        &type_dep,
                        type_patches.clone(),
                    ));
                }
            }
        }
        let mut taken: BTreeMap<String, String> = RESERVED_METHODS
            .iter()
            .map(|m| (m.to_string(), "the generator reserves it".to_string()))
            .collect();
        for key in self.alternate_keys() {
            let method = alternate_key_method(&key);
            // Two keys whose aliases read alike, or one aliased `id` beside
            // `by_id`, would be one method twice.
            if let Some(holder) = taken.get(&method) {
                let pos = (self.types.model.struct_def(&self.node.path.ty))
                    .map(|s| s.pos)
                    .unwrap_or_default();
                return Err(Diagnostic::error(
                    self.file(),
                    pos,
                    format!(
                        "an alternate key of {} becomes the method \"{method}\" of the request builder for {}, but {holder}",
                        self.node.path.ty, self.node.template
                    ),
                )
                .into());
            }
            taken.insert(method, "an alternate key has it".to_string());
        }
        let mut builders = Vec::new();
        self.navigation_methods(&mut methods, &mut taken)?;
        self.operation_methods(&mut methods, &mut taken, &mut builders)?;
        builders.insert(
            0,
            BuilderPlan {
                rust_name: builder,
                module: self.module.clone(),
                template: template.clone(),
                docs,
                methods,
                query_marker,
                body: None,
            },
        );
        for b in &mut builders {
            self.document(b);
        }
        Ok(builders)
    }

    /// What the documentation says about the requests a builder's methods
    /// send: their docs, and their documented errors as an enum.
    fn document(&self, builder: &mut BuilderPlan) {
        let base = builder
            .rust_name
            .strip_suffix("RequestBuilder")
            .unwrap_or(&builder.rust_name)
            .to_string();
        for m in &mut builder.methods {
            let [endpoint] = m.endpoints.as_slice() else {
                // An accessor that reaches several requests (an alternate
                // key's GET, PATCH and DELETE, documented under that key's
                // URL and nowhere else): each documented one is named here,
                // with its page.
                for e in &m.endpoints {
                    if let Some(op) = self.types.docs.operation(e.http, &e.template) {
                        let summary = op
                            .summary
                            .as_ref()
                            .map(|s| format!("{} ", documented::doc_text(&s.text)))
                            .unwrap_or_default();
                        m.docs.paragraph(format!(
                            "`{}`: {summary}Documentation: <{}>",
                            e.http,
                            documented::page_url(&op.page)
                        ));
                    }
                }
                continue;
            };
            let Some(op) = self.types.docs.operation(endpoint.http, &endpoint.template) else {
                continue;
            };
            m.docs.extend(&documented::request_docs(op));
            let rust_name = match m.kind {
                MethodKind::CallAction { .. }
                | MethodKind::CallFunction { .. }
                | MethodKind::CallDeltaFunction { .. } => {
                    format!("{base}Error")
                }
                _ => format!("{base}{}Error", pascal_word(&m.name)),
            };
            let label = format!("{} {}", endpoint.http, endpoint.template);
            m.errors = errors::plan_errors(rust_name, &label, op, &self.types.options.error_names);
            if let Some(e) = &m.errors {
                let cases: Vec<String> = e
                    .variants
                    .iter()
                    .map(|v| format!("`{}` {}", v.status, v.name))
                    .collect();
                m.docs.paragraph(format!(
                    "**Documented errors**: {} (see [`{}`]).",
                    cases.join(", "),
                    e.rust_name
                ));
            }
        }
    }

    fn alternate_keys(&self) -> Vec<vocab::AlternateKey> {
        // A derived type may annotate again the key its base declares: one
        // method serves both.
        let mut keys: Vec<vocab::AlternateKey> = Vec::new();
        for key in self
            .types
            .model
            .base_chain(&self.node.path.ty)
            .iter()
            .flat_map(|s| vocab::alternate_keys(&s.annotations))
        {
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        keys
    }

    /// Items by key and by every alternate key.
    fn item_methods(
        &self,
        methods: &mut Vec<MethodPlan>,
        dep: &Option<Deprecation>,
        type_patches: &[String],
    ) -> Result<(), Diagnostics> {
        let Some(item) = self.children.iter().find(|c| c.is_key()) else {
            return Ok(());
        };
        let model = self.types.model;
        let entity = &self.node.path.ty;
        let builder = self.node.builder();
        let placeholder = item
            .path
            .segments
            .last()
            .map(|s| s.text.trim_matches(|c| c == '{' || c == '}').to_string())
            .unwrap_or_default();
        methods.push(MethodPlan {
            name: "by_id".into(),
            docs: Docs::line(format!("`{}`: one item by its key.", item.template)),
            deprecated: dep.as_ref().map(|d| d.note.clone()),
            kind: MethodKind::ById {
                target: item.builder(),
                placeholder,
                key: self.key_value()?,
            },
            endpoints: Vec::new(),
            operation: None,
            errors: None,
        });
        let item_caps = vocab::capabilities(&nav_annotations(self.types, &item.path));
        for key in self.alternate_keys() {
            let pos = model.struct_def(entity).map(|s| s.pos).unwrap_or_default();
            let params = key
                .parts
                .iter()
                .map(|(alias, property)| {
                    let ty = model
                        .all_properties(entity)
                        .into_iter()
                        .find(|p| &p.name == property)
                        .map(|p| &p.ty);
                    Ok(UrlParam {
                        rust_name: ident_text(&snake(alias)),
                        odata_name: alias.clone(),
                        value: UrlValue::of(
                            model,
                            ty,
                            &format!("alternate key {alias} of {entity}"),
                            pos,
                        )?,
                    })
                })
                .collect::<Result<Vec<_>, Diagnostics>>()?;
            let alt_template = format!(
                "{}({})",
                self.node.template,
                params
                    .iter()
                    .map(|p| p.value.template(&p.odata_name))
                    .collect::<Vec<_>>()
                    .join(",")
            );
            let name = alternate_key_method(&key);
            let mut notes = type_patches.to_vec();
            notes.extend(dep.as_ref().map(|d| d.listing.clone()));
            let endpoint = |http: &'static str, returns: &str, call: &str| Endpoint {
                http,
                template: alt_template.clone(),
                returns: returns.to_string(),
                notes: notes.clone(),
                rust: format!("{builder}::{name}(…).{call}()"),
            };
            let mut endpoints = Vec::new();
            if item_caps.readable != Some(false) {
                endpoints.push(endpoint("GET", entity, "get"));
            }
            if item_caps.updatable != Some(false) {
                endpoints.push(endpoint("PATCH", entity, "patch"));
            }
            if item_caps.deletable != Some(false) {
                endpoints.push(endpoint("DELETE", "None", "delete"));
            }
            methods.push(MethodPlan {
                docs: Docs::line(format!("`{alt_template}`: one item by its alternate key.")),
                deprecated: dep.as_ref().map(|d| d.note.clone()),
                kind: MethodKind::ByAlternateKey {
                    target: item.builder(),
                    params,
                },
                endpoints,
                operation: None,
                errors: None,
                name,
            });
        }
        Ok(())
    }

    /// How the key of the node's entity is written as a path segment. Keys
    /// of several properties have no segment form (`/things(a=1,b=2)`): a
    /// located error rather than a wrong URL.
    fn key_value(&self) -> Result<UrlValue, Diagnostics> {
        let model = self.types.model;
        let entity = &self.node.path.ty;
        let Some(keyed) = model
            .base_chain(entity)
            .into_iter()
            .find(|s| !s.key.is_empty())
        else {
            return Ok(UrlValue::Text);
        };
        match keyed.key.as_slice() {
            [part] => UrlValue::of(
                model,
                model
                    .all_properties(entity)
                    .into_iter()
                    .find(|p| p.name == part.name)
                    .map(|p| &p.ty),
                &format!("key {} of {}", part.name, keyed.name),
                keyed.pos,
            ),
            parts => Err(Diagnostic::error(
                self.file(),
                keyed.pos,
                format!(
                    "{} has a key of {} properties: the generator supports keys of one property",
                    keyed.name,
                    parts.len()
                ),
            )
            .into()),
        }
    }

    /// A name that is already taken would not compile, so it is reported
    /// where the schema defines it. A name the generator reserves is the
    /// schema's to yield, with a suffix saying what the method is
    /// (`count_action` beside `count` for `$count`); any other clash is an
    /// error, since renaming one of two schema names would depend on their
    /// order. The name is returned unescaped (`type`, for `r#type`).
    fn claim(
        &self,
        taken: &mut BTreeMap<String, String>,
        name: &str,
        suffix: &str,
        what: String,
        pos: Pos,
    ) -> Result<String, Diagnostics> {
        let mut method = snake(name);
        if RESERVED_METHODS.contains(&method.as_str()) {
            method.push_str(suffix);
        }
        let shown = ident_text(&method);
        if let Some(holder) = taken.get(&shown) {
            return Err(Diagnostic::error(
                self.file(),
                pos,
                format!(
                    "{what} becomes the method \"{shown}\" of the request builder for {}, but {holder}",
                    self.node.template
                ),
            )
            .into());
        }
        taken.insert(shown, format!("{what} has it"));
        Ok(method)
    }

    fn navigation_methods(
        &self,
        methods: &mut Vec<MethodPlan>,
        taken: &mut BTreeMap<String, String>,
    ) -> Result<(), Diagnostics> {
        for child in self.children.iter().filter(|c| {
            matches!(
                c.path.segments.last().map(|s| &s.kind),
                Some(SegmentKind::Navigation { .. })
            )
        }) {
            let Some(last) = child.path.segments.last() else {
                continue;
            };
            let seg = &last.text;
            let pos = match &last.kind {
                SegmentKind::Navigation { owner, .. } => self
                    .types
                    .model
                    .all_navigation_properties(owner)
                    .into_iter()
                    .find(|n| &n.name == seg)
                    .map(|n| n.pos)
                    .unwrap_or_default(),
                _ => Pos::default(),
            };
            let name = self.claim(
                taken,
                seg,
                "_navigation",
                format!("navigation property \"{seg}\""),
                pos,
            )?;
            methods.push(MethodPlan {
                name: ident_text(&name),
                docs: Docs::line(format!("`{}`", child.template)),
                deprecated: self.type_deprecation(&child.path.ty).map(|d| d.note),
                kind: MethodKind::Navigate {
                    target: child.builder(),
                    segment: seg.clone(),
                },
                endpoints: Vec::new(),
                operation: None,
                errors: None,
            });
        }
        Ok(())
    }

    /// Bound operations included in the slice: a method leading to a
    /// builder of their own, whose `get` or `post` sends the request.
    fn operation_methods(
        &self,
        methods: &mut Vec<MethodPlan>,
        taken: &mut BTreeMap<String, String>,
        builders: &mut Vec<BuilderPlan>,
    ) -> Result<(), Diagnostics> {
        let model = self.types.model;
        let node = self.node;
        let ops: Vec<(&OperationDef, String)> = model
            .bound_operations(&node.path.ty, node.path.collection)
            .into_iter()
            .map(|op| (op, paths::operation_segment(model, op)))
            .filter(|(_, seg)| {
                let mut segs = node.path.segment_texts();
                segs.push(seg);
                self.paths.includes(&segs)
            })
            .collect();
        // Bound to an ancestor and redefined below it with the same
        // parameters: the URL reaches the derived type's overload only.
        let visible: Vec<&(&OperationDef, String)> = ops
            .iter()
            .enumerate()
            .filter(|(i, (op, seg))| {
                !ops[i + 1..]
                    .iter()
                    .any(|(o, s)| s == seg && o.short_name() == op.short_name())
            })
            .map(|(_, x)| x)
            .collect();
        for (op, seg) in visible.iter().copied() {
            let overloads: Vec<Vec<&str>> = visible
                .iter()
                .filter(|(o, _)| o.short_name() == op.short_name())
                .map(|(o, _)| o.parameter_names())
                .collect();
            let name = overload_name(op.short_name(), &op.parameter_names(), &overloads);
            let suffix = match op.kind {
                OperationKind::Action => "_action",
                _ => "_function",
            };
            let name = self.claim(
                taken,
                &name,
                suffix,
                format!("operation {}", op.signature()),
                op.pos,
            )?;
            let (method, builder) =
                self.operation(op, &name, &format!("{}/{seg}", node.template))?;
            methods.push(method);
            builders.push(builder);
        }
        Ok(())
    }

    /// The deprecation of an operation: its own, else that of a type it
    /// reads or writes (its return type, the type it is bound to, a
    /// parameter's type): calling it depends on that type staying.
    fn operation_deprecation(&self, op: &OperationDef) -> Option<Deprecation> {
        self.own_deprecation(&op.annotations).or_else(|| {
            let returned = op
                .return_type
                .as_ref()
                .and_then(|r| r.ty.kind.defined_name());
            let params = op
                .binding
                .iter()
                .chain(&op.parameters)
                .filter_map(|p| p.ty.kind.defined_name());
            returned
                .into_iter()
                .chain(params)
                .find_map(|t| self.type_deprecation(t))
        })
    }

    /// `name` is the operation's Rust method name, unescaped.
    fn operation(
        &self,
        op: &OperationDef,
        name: &str,
        template: &str,
    ) -> Result<(MethodPlan, BuilderPlan), Diagnostics> {
        let model = self.types.model;
        let node = self.node;
        let short = op.short_name().to_string();
        let words = pascal_word(name);
        let mut base = format!("{}{words}", node.base);
        if self.node_bases.contains(base.as_str()) {
            base.push_str(match op.kind {
                OperationKind::Action => "Action",
                _ => "Function",
            });
        }
        let builder = format!("{base}RequestBuilder");
        let dep = self.operation_deprecation(op);
        let returns_text = op
            .return_type
            .as_ref()
            .map(|r| r.ty.to_string())
            .unwrap_or_else(|| "None".into());
        let returns = op
            .return_type
            .as_ref()
            .map(|r| self.types.rust_type(&r.ty, None));
        let is_action = op.kind == OperationKind::Action;
        let http = if is_action { "POST" } else { "GET" };
        // The operation's description goes on its builder, on the method
        // that reaches it and on the one that sends the request; a patch in
        // force goes on the method that reaches it, once.
        let mut op_docs = Docs::line(format!("`{http} {template}`"));
        if let Some(d) = vocab::description(&op.annotations) {
            op_docs.paragraph(d);
        }
        if let Some(d) = vocab::long_description(&op.annotations) {
            op_docs.paragraph(d);
        }
        if op.returns_delta() {
            op_docs.paragraph(
                "A delta function (`Core.IsDelta`): page through the changes with `.pages()` or `.items()`; the \
                 last page of a round keeps `@odata.deltaLink` (`Page::delta_link`), where the next round \
                 starts (`Pager::resume(&client, &link)`).",
            );
        }
        let mut reach_docs = op_docs.clone();
        reach_docs.extend(&patch_docs(&op.annotations));
        let mut notes = patch_notes(&op.annotations);
        notes.extend(dep.as_ref().map(|d| d.listing.clone()));
        let parent = node.builder();
        let mut body = None;
        let (method_kind, terminal_kind, terminal_name, call) = if is_action {
            if !op.parameters.is_empty() {
                let body_name = format!("{}{words}PostRequestBody", node.base);
                let members: Vec<Member<'_>> =
                    op.parameters.iter().map(Member::parameter).collect();
                let docs = Docs::line(format!(
                    "The request body of `POST {template}`: the parameters of `{}`.",
                    op.signature()
                ));
                body = Some(self.types.parameters_struct(
                    body_name,
                    self.module.clone(),
                    op.signature(),
                    &members,
                    docs,
                )?);
            }
            (
                MethodKind::Action {
                    target: builder.clone(),
                    segment: short.clone(),
                },
                MethodKind::CallAction {
                    returns: returns.clone(),
                    body: body.as_ref().map(|b: &StructPlan| b.rust_name.clone()),
                },
                "post",
                format!("{parent}::{}().post()", ident_text(name)),
            )
        } else {
            // Two parameters may snake-case alike (`startDate`, `StartDate`):
            // one method could not take both.
            let rust_names = assign_unique(
                self.types.file(),
                &format!("the parameters of {}", op.signature()),
                op.parameters.iter().map(|p| (p.name.as_str(), p.pos)),
                snake,
                Reserved {
                    names: &[],
                    suffix: None,
                },
            )?;
            let params = op
                .parameters
                .iter()
                .zip(rust_names)
                .map(|(p, rust_name)| {
                    Ok(UrlParam {
                        rust_name: ident_text(&rust_name),
                        odata_name: p.name.clone(),
                        value: UrlValue::of(
                            model,
                            Some(&p.ty),
                            &format!(
                                "parameter {} of {} (path {template})",
                                p.name,
                                op.signature()
                            ),
                            p.pos,
                        )?,
                    })
                })
                .collect::<Result<Vec<_>, Diagnostics>>()?;
            let call = if params.is_empty() {
                format!("{parent}::{}().get()", ident_text(name))
            } else {
                format!("{parent}::{}(…).get()", ident_text(name))
            };
            (
                MethodKind::Function {
                    target: builder.clone(),
                    segment: short.clone(),
                    params,
                },
                match op.return_type.as_ref().filter(|_| op.returns_delta()) {
                    Some(r) => MethodKind::CallDeltaFunction {
                        item: self.types.rust_type(
                            &crate::model::TypeRef {
                                collection: false,
                                kind: r.ty.kind.clone(),
                            },
                            None,
                        ),
                    },
                    None => MethodKind::CallFunction {
                        returns: returns.clone(),
                    },
                },
                "get",
                call,
            )
        };
        let method = MethodPlan {
            name: ident_text(name),
            docs: reach_docs,
            deprecated: dep.as_ref().map(|d| d.note.clone()),
            kind: method_kind,
            endpoints: Vec::new(),
            operation: Some(op.signature()),
            errors: None,
        };
        let send = MethodPlan {
            name: terminal_name.to_string(),
            docs: op_docs.clone(),
            deprecated: dep.as_ref().map(|d| d.note.clone()),
            kind: terminal_kind,
            endpoints: vec![Endpoint {
                http,
                template: template.to_string(),
                returns: returns_text,
                notes,
                rust: call,
            }],
            operation: None,
            errors: None,
        };
        let builder_docs = op_docs.clone();
        Ok((
            method,
            BuilderPlan {
                rust_name: builder,
                module: self.module.clone(),
                template: template.to_string(),
                docs: builder_docs,
                methods: vec![send],
                query_marker: None,
                body,
            },
        ))
    }
}

fn alternate_key_method(key: &vocab::AlternateKey) -> String {
    ident_text(&format!(
        "by_{}",
        key.parts
            .iter()
            .map(|(alias, _)| snake(alias))
            .collect::<Vec<_>>()
            .join("_and_")
    ))
}

/// `patched: metadata/patches/x.toml` for every patch in force.
fn patch_notes(annotations: &[Annotation]) -> Vec<String> {
    vocab::patched(annotations)
        .into_iter()
        .map(|p| format!("patched: {}", p.split(':').next().unwrap_or(&p)))
        .collect()
}

/// Annotations on the navigation property, entity set or singleton that
/// leads to a node (capabilities, our DeltaUpdate term).
fn nav_annotations(types: &TypeSpace<'_>, path: &PathNode) -> Vec<Annotation> {
    let model = types.model;
    let mut segs = path.segments.iter().rev();
    let mut last = segs.next();
    if matches!(last.map(|s| &s.kind), Some(SegmentKind::Key)) {
        last = segs.next();
    }
    let Some(s) = last else {
        return Vec::new();
    };
    match &s.kind {
        SegmentKind::Navigation { owner, .. } => model
            .all_navigation_properties(owner)
            .into_iter()
            .find(|n| n.name == s.text)
            .map(|n| n.annotations.clone())
            .unwrap_or_default(),
        SegmentKind::EntitySet => model
            .entity_sets
            .get(&s.text)
            .map(|e| e.annotations.clone())
            .unwrap_or_default(),
        SegmentKind::Singleton => model
            .singletons
            .get(&s.text)
            .map(|e| e.annotations.clone())
            .unwrap_or_default(),
        SegmentKind::Key => Vec::new(),
    }
}

/// The query-option marker for a node: none (every option) unless the
/// capability annotations restrict something.
fn query_marker(node: &Node, caps: &vocab::Capabilities) -> Option<QueryMarker> {
    // One capability per option of `QUERY_OPTIONS`, in its order.
    let supported = [
        caps.selectable,
        caps.expandable,
        caps.filterable,
        caps.sortable,
        caps.top_supported,
        caps.skip_supported,
        caps.searchable,
        caps.countable,
    ];
    let flags: Vec<(&'static str, Option<bool>)> =
        QUERY_OPTIONS.iter().copied().zip(supported).collect();
    if flags.iter().all(|(_, v)| *v != Some(false)) {
        return None;
    }
    Some(QueryMarker {
        rust_name: format!("{}QueryOptions", node.base),
        template: node.template.clone(),
        allowed: flags
            .iter()
            .filter(|(_, v)| *v != Some(false))
            .map(|(n, _)| *n)
            .collect(),
    })
}

/// The shortest unique PascalCase name for each node, from its last
/// non-key segments (`/solutions/sharePoint/migrations` → `SharePointMigrations`
/// because `/solutions/migrations` is `SolutionsMigrations`); item nodes add `Item`.
pub(crate) fn short_names(nodes: &[PathNode]) -> BTreeMap<String, String> {
    let words = |n: &PathNode, depth: usize| -> String {
        let names: Vec<&str> = n
            .segments
            .iter()
            .filter(|s| s.kind != SegmentKind::Key)
            .map(|s| s.text.as_str())
            .collect();
        let start = names.len().saturating_sub(depth);
        let mut s: String = names[start..].iter().map(|w| pascal_word(w)).collect();
        if matches!(n.segments.last().map(|s| &s.kind), Some(SegmentKind::Key)) {
            s.push_str("Item");
        }
        s
    };
    // Every node starts with its last word; nodes whose names are shared
    // take one more word, until no name is shared. Names are compared with
    // what the other nodes have at that moment, whatever their depth
    // (`/policies/conditionalAccessPolicies` and
    // `/conditionalAccess/policies` both make `ConditionalAccessPolicies`).
    // The items of a collection are always its name and `Item`: they take
    // their words with it. One pass over the nodes per round: a wide slice
    // has thousands of them.
    let templates: Vec<String> = nodes.iter().map(PathNode::template).collect();
    let index: HashMap<&str, usize> = templates
        .iter()
        .enumerate()
        .map(|(i, t)| (t.as_str(), i))
        .collect();
    let owner: Vec<usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| match n.segments.last().map(|s| &s.kind) {
            Some(SegmentKind::Key) => templates[i]
                .rsplit_once('/')
                .and_then(|(parent, _)| index.get(parent).copied())
                .unwrap_or(i),
            _ => i,
        })
        .collect();
    let mut depth = vec![1usize; nodes.len()];
    loop {
        let names: Vec<String> = nodes
            .iter()
            .zip(&owner)
            .map(|(n, &o)| words(n, depth[o]))
            .collect();
        let mut holders: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, name) in names.iter().enumerate() {
            holders.entry(name).or_default().push(i);
        }
        let mut deeper = false;
        let mut unresolved: Vec<Vec<usize>> = Vec::new();
        let mut bumped: HashSet<usize> = HashSet::new();
        for group in holders.into_values() {
            let distinct: BTreeSet<&str> = group.iter().map(|&i| templates[i].as_str()).collect();
            if distinct.len() < 2 {
                continue;
            }
            let mut grew = false;
            for &i in &group {
                let o = owner[i];
                if bumped.contains(&o) {
                    grew = true;
                } else if depth[o] < nodes[o].segments.len() {
                    depth[o] += 1;
                    bumped.insert(o);
                    grew = true;
                }
            }
            deeper |= grew;
            if !grew {
                unresolved.push(group);
            }
        }
        if deeper {
            continue;
        }
        let mut out: BTreeMap<String, String> = templates
            .iter()
            .cloned()
            .zip(names.iter().cloned())
            .collect();
        // Paths whose words are all the same (they differ in keys only) are
        // numbered in template order.
        for group in unresolved {
            let distinct: BTreeSet<&str> = group.iter().map(|&i| templates[i].as_str()).collect();
            for (k, template) in distinct.into_iter().enumerate().skip(1) {
                let name = format!("{}{}", names[group[0]], k + 1);
                out.insert(template.to_string(), name);
            }
        }
        return out;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::paths::Segment;

    /// A path from its template: `{…}` segments are keys, the rest navigation.
    fn node(template: &str) -> PathNode {
        let segments = template
            .trim_start_matches('/')
            .split('/')
            .map(|text| Segment {
                text: text.to_string(),
                kind: if text.starts_with('{') {
                    SegmentKind::Key
                } else {
                    SegmentKind::Navigation {
                        owner: String::new(),
                        contained: true,
                    }
                },
            })
            .collect();
        PathNode {
            segments,
            ty: String::new(),
            collection: false,
        }
    }

    fn names(templates: &[&str]) -> Vec<String> {
        let nodes: Vec<PathNode> = templates.iter().map(|t| node(t)).collect();
        let out = short_names(&nodes);
        templates.iter().map(|t| out[*t].clone()).collect()
    }

    #[test]
    fn names_take_words_until_unique_and_items_follow_their_collection() {
        assert_eq!(
            names(&[
                "/policies",
                "/policies/conditionalAccessPolicies",
                "/policies/conditionalAccessPolicies/{policyId}",
                "/conditionalAccess",
                "/conditionalAccess/policies",
                "/conditionalAccess/policies/{policyId}",
            ]),
            [
                "Policies",
                "PoliciesConditionalAccessPolicies",
                "PoliciesConditionalAccessPoliciesItem",
                "ConditionalAccess",
                "ConditionalAccessPolicies",
                "ConditionalAccessPoliciesItem",
            ]
        );
    }

    #[test]
    fn paths_differing_only_in_keys_are_numbered() {
        // In template order, `/a/b` comes first (`b` sorts before `{`).
        assert_eq!(names(&["/a/{aId}/b", "/a/b"]), ["AB2", "AB"]);
    }
}
