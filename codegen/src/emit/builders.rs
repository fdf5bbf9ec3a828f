//! Request builders: one chain per URL path, so users never assemble URL
//! strings; and the API surface listing produced from the same walk.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Ctx;
use super::models::{Member, deprecated_attr, doc_lines, docs};
use super::names::{self, ident, pascal_word, snake, type_ident};
use crate::csdl::Diagnostics;
use crate::csdl::syntax::{Annotation, OperationKind};
use crate::model::paths::{self, PathNode, Segment, SegmentKind};
use crate::model::{OperationDef, Primitive, TypeRef, vocab};

/// One line of `metadata/api-surface.txt`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ApiOperation {
    pub template: String,
    pub method: String,
    pub returns: String,
    pub notes: Vec<String>,
}

impl ApiOperation {
    pub fn line(&self) -> String {
        let mut s = format!("{} {} -> {}", self.method, self.template, self.returns);
        for n in &self.notes {
            s.push_str(&format!("  [{n}]"));
        }
        s
    }
}

/// A resource node of the builder tree.
struct Node {
    path: PathNode,
    /// Whether the slice includes this path itself (not just paths below it).
    included: bool,
    base: String,
}

pub struct BuilderFile {
    pub module: String,
    pub tokens: TokenStream,
}

pub fn generate(
    ctx: &Ctx<'_>,
) -> Result<(Vec<BuilderFile>, Vec<ApiOperation>, TokenStream), Diagnostics> {
    let mut nodes: Vec<PathNode> = Vec::new();
    paths::walk(
        ctx.model,
        &mut |n| ctx.config.may_include_below(&n.segment_texts()),
        &mut |n| nodes.push(n.clone()),
    );
    let bases = short_names(&nodes);
    let nodes: Vec<Node> = nodes
        .into_iter()
        .map(|path| {
            let included = ctx.config.includes(&path.segment_texts());
            let base = bases[&path.template()].clone();
            Node {
                path,
                included,
                base,
            }
        })
        .collect();
    let by_template: BTreeMap<String, &Node> =
        nodes.iter().map(|n| (n.path.template(), n)).collect();
    let mut files: BTreeMap<String, TokenStream> = BTreeMap::new();
    let mut surface = Vec::new();
    // Operation builders are named after their node and operation; one
    // that would take a node builder's name (`charts/item(name=…)` beside
    // `charts/{id}`, both `…ChartsItem`) says which kind it is instead.
    let node_bases: HashSet<&str> = nodes.iter().map(|n| n.base.as_str()).collect();
    let mut errors = Vec::new();
    let mut children_of: HashMap<&[Segment], Vec<&Node>> = HashMap::new();
    for node in &nodes {
        if let Some((_, parent)) = node.path.segments.split_last() {
            children_of.entry(parent).or_default().push(node);
        }
    }
    for node in &nodes {
        let children = children_of
            .get(node.path.segments.as_slice())
            .map_or(&[][..], Vec::as_slice);
        // Every node is tried, so that one run reports every path the
        // generator cannot write, not only the first.
        let tokens = match node_builder(ctx, node, children, &node_bases, &mut surface) {
            Ok(tokens) => tokens,
            Err(d) => {
                errors.extend(d.0);
                continue;
            }
        };
        // A collection and its items share a file.
        let owner = match node.path.segments.last().map(|s| &s.kind) {
            Some(SegmentKind::Key) => {
                let parent: String = node
                    .path
                    .template()
                    .rsplit_once('/')
                    .map(|(p, _)| p.to_string())
                    .unwrap_or_default();
                by_template[&parent].base.clone()
            }
            _ => node.base.clone(),
        };
        files
            .entry(super::names::module(&owner))
            .or_default()
            .extend(tokens);
    }
    if !errors.is_empty() {
        // A type's error is met once per path through it.
        errors.sort_by(|a, b| {
            (a.pos.line, a.pos.col, &a.message).cmp(&(b.pos.line, b.pos.col, &b.message))
        });
        errors.dedup_by(|a, b| a.pos == b.pos && a.message == b.message);
        return Err(Diagnostics(errors));
    }
    let roots: Vec<TokenStream> = nodes
        .iter()
        .filter(|n| n.path.segments.len() == 1)
        .map(|n| {
            let seg = &n.path.segments[0].text;
            let method = ident(&snake(seg));
            let builder = builder_ident(n);
            let doc = format!(" `/{seg}`");
            quote! {
                #[doc = #doc]
                pub fn #method(&self) -> crate::builders::#builder {
                    crate::builders::#builder::new(self.clone(), crate::runtime::RequestPath::root().segment(#seg))
                }
            }
        })
        .collect();
    let root = quote! {
        impl crate::runtime::Client {
            #(#roots)*
        }
    };
    surface.sort();
    surface.dedup();
    Ok((
        files
            .into_iter()
            .map(|(module, tokens)| BuilderFile { module, tokens })
            .collect(),
        surface,
        root,
    ))
}

/// The shortest unique PascalCase name for each node, from its last
/// non-key segments (`/solutions/sharePoint/migrations` → `SharePointMigrations`
/// because `/solutions/migrations` is `SolutionsMigrations`); item nodes add `Item`.
fn short_names(nodes: &[PathNode]) -> BTreeMap<String, String> {
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

/// Methods every request builder may have besides its navigation
/// properties and bound operations (`get`… by capability, `by_id` on
/// collections, `path` and `new` always).
const RESERVED_METHODS: &[&str] = &[
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

fn builder_ident(n: &Node) -> proc_macro2::Ident {
    format_ident!("{}RequestBuilder", n.base)
}

/// A builder struct: the shared boilerplate lives in `support::request_builder!`
/// so the generated files hold only what differs between builders.
fn struct_builder(name: &proc_macro2::Ident, template: &str, doc: &[String]) -> TokenStream {
    let d = docs(doc);
    quote! {
        #d
        #[derive(Clone)]
        pub struct #name {
            client: crate::runtime::Client,
            path: crate::runtime::RequestPath,
        }
        crate::support::request_builder!(#name, #template);
    }
}

fn notes_for(annotations: &[Annotation]) -> Vec<String> {
    let mut notes: Vec<String> = vocab::patched(annotations)
        .into_iter()
        .map(|p| format!("patched: {}", p.split(':').next().unwrap_or(&p)))
        .collect();
    if let Some(d) = vocab::deprecation(annotations) {
        notes.push(format!(
            "deprecated, removal {}",
            d.removal_date.unwrap_or_else(|| "unannounced".into())
        ));
    }
    notes
}

fn node_builder(
    ctx: &Ctx<'_>,
    node: &Node,
    children: &[&Node],
    node_bases: &HashSet<&str>,
    surface: &mut Vec<ApiOperation>,
) -> Result<TokenStream, Diagnostics> {
    let name = builder_ident(node);
    let template = node.path.template();
    let entity = &node.path.ty;
    let entity_ty = ctx.value_type(entity);
    let entity_name = entity.clone();
    let type_annotations: Vec<Annotation> = ctx
        .model
        .base_chain(entity)
        .iter()
        .flat_map(|s| s.annotations.clone())
        .collect();
    let nav_annotations = nav_annotations(ctx, &node.path);
    let mut all_annotations = type_annotations.clone();
    all_annotations.extend(nav_annotations.iter().cloned());
    let caps = vocab::capabilities(&nav_annotations);
    let notes = notes_for(&type_annotations);
    let mut doc = vec![format!(
        "`{template}`: {} `{entity_name}`.",
        if node.path.collection {
            "a collection of"
        } else {
            "a"
        }
    )];
    if let Some(d) = vocab::deprecation(&type_annotations) {
        doc.push(String::new());
        doc.push(format!("The type is {}.", d.note()));
    }
    let mut out = struct_builder(&name, &template, &doc);
    let mut methods = Vec::new();
    let mut extra = TokenStream::new();
    let push = |surface: &mut Vec<ApiOperation>,
                method: &str,
                template: &str,
                returns: String,
                notes: &[String]| {
        surface.push(ApiOperation {
            template: template.to_string(),
            method: method.to_string(),
            returns,
            notes: notes.to_vec(),
        });
    };
    let dep = deprecated_attr(&type_annotations);
    let coll = format!("Collection({entity_name})");
    let options = query_options(ctx, node, &caps, &mut extra);
    if node.included {
        if node.path.collection {
            if caps.readable != Some(false) {
                let d = format!(
                    " `GET {template}`: lists `{entity_name}` items; page through them with `.items()` or `.pages()`."
                );
                methods.push(quote! {
                    #[doc = #d]
                    #dep
                    pub fn get(&self) -> crate::support::ListRequest<#entity_ty, #options> {
                        crate::support::ListRequest::new(self.client.request(http::Method::GET, self.path.clone()))
                    }
                });
                push(surface, "GET", &template, coll.clone(), &notes);
                if caps.countable != Some(false) {
                    let d = format!(" `GET {template}/$count`");
                    methods.push(quote! {
                        #[doc = #d]
                        pub fn count(&self) -> crate::support::CountRequest {
                            crate::support::CountRequest::new(self.client.request(http::Method::GET, self.path.segment("$count")))
                        }
                    });
                    push(
                        surface,
                        "GET",
                        &format!("{template}/$count"),
                        "Edm.Int64".into(),
                        &notes,
                    );
                }
            }
            if caps.insertable != Some(false) {
                let d = format!(" `POST {template}`: creates a `{entity_name}`.");
                methods.push(quote! {
                    #[doc = #d]
                    #dep
                    pub fn post(&self, body: &#entity_ty) -> crate::support::SendRequest<#entity_ty> {
                        crate::support::SendRequest::new(self.client.request(http::Method::POST, self.path.clone()).json(body))
                    }
                });
                push(surface, "POST", &template, entity_name.clone(), &notes);
            }
            if let Some(delta) = vocab::delta_update(&nav_annotations) {
                let max = delta.max_items as usize;
                let mut d = vec![
                    format!(
                        "`PATCH {template}` with an OData delta payload (`\"@context\": \"#$delta\"`): adds, updates and removes items in bulk,"
                    ),
                    format!(
                        "split into requests of at most {max} items. The report says which chunks were applied, so a caller can resume after a failure."
                    ),
                ];
                d.extend(
                    vocab::patched(&nav_annotations)
                        .into_iter()
                        .map(|p| format!("\n**Metadata patch in force**: {p}")),
                );
                let dd = docs(&d);
                methods.push(quote! {
                    #dd
                    #dep
                    pub async fn delta_update(&self, changes: Vec<crate::runtime::delta::DeltaChange<#entity_ty>>) -> crate::runtime::Result<crate::runtime::delta::DeltaReport<#entity_ty, #entity_ty>> {
                        crate::runtime::delta::delta_update(&self.client, self.path.clone(), changes, #max).await
                    }
                });
                let mut n = notes.clone();
                n.extend(notes_for(&nav_annotations));
                push(surface, "PATCH", &template, coll.clone(), &n);
            }
            // Items by key and by every alternate key.
            if let Some(item) = children.iter().find(|c| {
                matches!(
                    c.path.segments.last().map(|s| &s.kind),
                    Some(SegmentKind::Key)
                )
            }) {
                let item_builder = builder_ident(item);
                let placeholder = item
                    .path
                    .segments
                    .last()
                    .unwrap()
                    .text
                    .trim_matches(|c| c == '{' || c == '}')
                    .to_string();
                let d = format!(" `{}`: one item by its key.", item.path.template());
                let (id_type, segment) = match key_value(ctx, entity)? {
                    UrlValue::Text => (quote!(impl AsRef<str>), quote!(id.as_ref())),
                    // Key-as-segment: the literal without quotes.
                    other => (other.param_type(), quote!(&id.to_string())),
                };
                methods.push(quote! {
                    #[doc = #d]
                    pub fn by_id(&self, id: #id_type) -> crate::builders::#item_builder {
                        crate::builders::#item_builder::new(self.client.clone(), self.path.key(#placeholder, #segment))
                    }
                });
                for key in ctx.alternate_keys(entity) {
                    let pos = ctx
                        .model
                        .struct_def(entity)
                        .map(|s| s.pos)
                        .unwrap_or_default();
                    let values = key
                        .parts
                        .iter()
                        .map(|(a, p)| {
                            UrlValue::of(
                                ctx,
                                ctx.key_property_type(entity, p),
                                &format!("alternate key {a} of {entity}"),
                                pos,
                            )
                        })
                        .collect::<Result<Vec<_>, _>>()?;
                    let method = format_ident!(
                        "by_{}",
                        key.parts
                            .iter()
                            .map(|(a, _)| snake(a))
                            .collect::<Vec<_>>()
                            .join("_and_")
                    );
                    let params: Vec<_> = key.parts.iter().map(|(a, _)| ident(&snake(a))).collect();
                    let param_types: Vec<_> = values.iter().map(UrlValue::param_type).collect();
                    let aliases: Vec<&str> = key.parts.iter().map(|(a, _)| a.as_str()).collect();
                    let lits: Vec<TokenStream> = values
                        .iter()
                        .zip(&params)
                        .map(|(v, p)| v.literal(p))
                        .collect();
                    let alt_template = format!(
                        "{template}({})",
                        key.parts
                            .iter()
                            .zip(&values)
                            .map(|((a, _), v)| v.template(a))
                            .collect::<Vec<_>>()
                            .join(",")
                    );
                    let d = format!(" `{alt_template}`: one item by its alternate key.");
                    methods.push(quote! {
                        #[doc = #d]
                        pub fn #method(&self, #( #params: #param_types ),*) -> crate::builders::#item_builder {
                            crate::builders::#item_builder::new(self.client.clone(), self.path.with_call_on_last(&[#( (#aliases, #lits) ),*]))
                        }
                    });
                    item_surface(ctx, item, &alt_template, &entity_name, &notes, surface);
                }
            }
        } else {
            let is_key = matches!(
                node.path.segments.last().map(|s| &s.kind),
                Some(SegmentKind::Key)
            );
            if caps.readable != Some(false) {
                let d = format!(" `GET {template}`");
                methods.push(quote! {
                    #[doc = #d]
                    #dep
                    pub fn get(&self) -> crate::support::ItemRequest<#entity_ty, #options> {
                        crate::support::ItemRequest::new(self.client.request(http::Method::GET, self.path.clone()))
                    }
                });
            }
            if caps.updatable != Some(false) {
                let d = format!(
                    " `PATCH {template}`: sends only the properties set on `body` (and explicit nulls)."
                );
                methods.push(quote! {
                    #[doc = #d]
                    #dep
                    pub fn patch(&self, body: &#entity_ty) -> crate::support::OptionalRequest<#entity_ty> {
                        crate::support::OptionalRequest::new(self.client.request(http::Method::PATCH, self.path.clone()).json(body))
                    }
                });
            }
            if is_key && caps.deletable != Some(false) {
                let d = format!(" `DELETE {template}`");
                methods.push(quote! {
                    #[doc = #d]
                    #dep
                    pub fn delete(&self) -> crate::support::EmptyRequest {
                        crate::support::EmptyRequest::new(self.client.request(http::Method::DELETE, self.path.clone()))
                    }
                });
            }
            item_surface_with(&caps, is_key, &template, &entity_name, &notes, surface);
        }
    }
    // Navigation properties and bound operations become methods next to
    // the ones above: a name that is already taken would not compile, so it
    // is reported where the schema defines it.
    let mut taken: BTreeMap<String, String> = RESERVED_METHODS
        .iter()
        .map(|m| (m.to_string(), "the generator reserves it".to_string()))
        .collect();
    for key in ctx.alternate_keys(entity) {
        let m = format!(
            "by_{}",
            key.parts
                .iter()
                .map(|(a, _)| snake(a))
                .collect::<Vec<_>>()
                .join("_and_")
        );
        taken.insert(m, "an alternate key has it".to_string());
    }
    // A name the generator reserves is the schema's to yield, with a suffix
    // saying what the method is (`count_action` beside `count` for
    // `$count`); any other clash is an error, since renaming one of two
    // schema names would depend on their order.
    let mut claim = |name: &str, suffix: &str, what: String, pos: crate::csdl::syntax::Pos| {
        let mut method = snake(name);
        if RESERVED_METHODS.contains(&method.as_str()) {
            method.push_str(suffix);
        }
        let shown = ident(&method).to_string();
        if let Some(holder) = taken.get(&shown) {
            return Err(Diagnostics::from(crate::csdl::Diagnostic::error(
                ctx.file.clone(),
                pos,
                format!(
                    "{what} becomes the method \"{shown}\" of the request builder for {template}, but {holder}"
                ),
            )));
        }
        taken.insert(shown, format!("{what} has it"));
        Ok(method)
    };
    // Navigation.
    for child in children.iter().filter(|c| {
        matches!(
            c.path.segments.last().map(|s| &s.kind),
            Some(SegmentKind::Navigation { .. })
        )
    }) {
        let seg = &child.path.segments.last().unwrap().text;
        let pos = match child.path.segments.last().map(|s| &s.kind) {
            Some(SegmentKind::Navigation { owner, .. }) => ctx
                .model
                .all_navigation_properties(owner)
                .into_iter()
                .find(|n| &n.name == seg)
                .map(|n| n.pos)
                .unwrap_or_default(),
            _ => Default::default(),
        };
        let method = claim(
            seg,
            "_navigation",
            format!("navigation property \"{seg}\""),
            pos,
        )?;
        let method = ident(&method);
        let b = builder_ident(child);
        let d = format!(" `{}`", child.path.template());
        methods.push(quote! {
            #[doc = #d]
            pub fn #method(&self) -> crate::builders::#b {
                crate::builders::#b::new(self.client.clone(), self.path.segment(#seg))
            }
        });
    }
    // Bound operations included in the slice.
    let ops: Vec<(&OperationDef, String)> = ctx
        .model
        .bound_operations(entity, node.path.collection)
        .into_iter()
        .map(|op| (op, paths::operation_segment(ctx.model, op)))
        .filter(|(_, seg)| {
            let mut segs = node.path.segment_texts();
            segs.push(seg);
            ctx.config.includes(&segs)
        })
        .collect();
    // Bound to an ancestor and redefined below it with the same parameters:
    // the URL reaches the derived type's overload only.
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
        let name = names::overload_name(op.short_name(), &op.parameter_names(), &overloads);
        let suffix = match op.kind {
            OperationKind::Action => "_action",
            _ => "_function",
        };
        let name = claim(
            &name,
            suffix,
            format!("operation {}", op.signature()),
            op.pos,
        )?;
        let (method, tokens) = operation(
            ctx,
            node,
            op,
            &name,
            &format!("{template}/{seg}"),
            node_bases,
            surface,
        )?;
        methods.push(method);
        extra.extend(tokens);
    }
    out.extend(quote! {
        impl #name {
            #(#methods)*
        }
        #extra
    });
    Ok(out)
}

fn item_surface(
    ctx: &Ctx<'_>,
    item: &Node,
    template: &str,
    entity: &str,
    notes: &[String],
    surface: &mut Vec<ApiOperation>,
) {
    let caps = vocab::capabilities(&nav_annotations(ctx, &item.path));
    item_surface_with(&caps, true, template, entity, notes, surface);
}

fn item_surface_with(
    caps: &vocab::Capabilities,
    is_key: bool,
    template: &str,
    entity: &str,
    notes: &[String],
    surface: &mut Vec<ApiOperation>,
) {
    let mut add = |m: &str, r: &str| {
        surface.push(ApiOperation {
            template: template.to_string(),
            method: m.to_string(),
            returns: r.to_string(),
            notes: notes.to_vec(),
        })
    };
    if caps.readable != Some(false) {
        add("GET", entity);
    }
    if caps.updatable != Some(false) {
        add("PATCH", entity);
    }
    if is_key && caps.deletable != Some(false) {
        add("DELETE", "None");
    }
}

/// Annotations on the navigation property, entity set or singleton that
/// leads to a node (capabilities, our DeltaUpdate term).
fn nav_annotations(ctx: &Ctx<'_>, path: &PathNode) -> Vec<Annotation> {
    let mut segs = path.segments.iter().rev();
    let mut last = segs.next();
    if matches!(last.map(|s| &s.kind), Some(SegmentKind::Key)) {
        last = segs.next();
    }
    match last {
        Some(s) => match &s.kind {
            SegmentKind::Navigation { owner, .. } => ctx
                .model
                .all_navigation_properties(owner)
                .into_iter()
                .find(|n| n.name == s.text)
                .map(|n| n.annotations.clone())
                .unwrap_or_default(),
            SegmentKind::EntitySet => ctx
                .model
                .entity_sets
                .get(&s.text)
                .map(|e| e.annotations.clone())
                .unwrap_or_default(),
            SegmentKind::Singleton => ctx
                .model
                .singletons
                .get(&s.text)
                .map(|e| e.annotations.clone())
                .unwrap_or_default(),
            SegmentKind::Key => Vec::new(),
        },
        None => Vec::new(),
    }
}

/// The query-option marker type for a node: `AllOptions` unless the
/// capability annotations restrict something, then a generated marker that
/// implements only the allowed options.
fn query_options(
    ctx: &Ctx<'_>,
    node: &Node,
    caps: &vocab::Capabilities,
    extra: &mut TokenStream,
) -> TokenStream {
    let flags = [
        ("Select", caps.selectable),
        ("Expand", caps.expandable),
        ("Filter", caps.filterable),
        ("OrderBy", caps.sortable),
        ("Top", caps.top_supported),
        ("Skip", caps.skip_supported),
        ("Search", caps.searchable),
        ("Count", caps.countable),
    ];
    let _ = ctx;
    if flags.iter().all(|(_, v)| *v != Some(false)) {
        return quote!(crate::support::AllOptions);
    }
    let marker = format_ident!("{}QueryOptions", node.base);
    let allowed: Vec<_> = flags
        .iter()
        .filter(|(_, v)| *v != Some(false))
        .map(|(n, _)| format_ident!("{}", n))
        .collect();
    let d = format!(
        " The query options the metadata allows on `{}`.",
        node.path.template()
    );
    extra.extend(quote! {
        #[doc = #d]
        #[derive(Clone, Copy, Debug)]
        pub struct #marker;
        #( impl crate::support::options::#allowed for #marker {} )*
    });
    quote!(#marker)
}

/// How the key of `entity` is written as a path segment. Keys of several
/// properties have no segment form (`/things(a=1,b=2)`): a located error
/// rather than a wrong URL.
fn key_value(ctx: &Ctx<'_>, entity: &str) -> Result<UrlValue, Diagnostics> {
    let Some(keyed) = ctx
        .model
        .base_chain(entity)
        .into_iter()
        .find(|s| !s.key.is_empty())
    else {
        return Ok(UrlValue::Text);
    };
    match keyed.key.as_slice() {
        [part] => UrlValue::of(
            ctx,
            ctx.key_property_type(entity, &part.name),
            &format!("key {} of {}", part.name, keyed.name),
            keyed.pos,
        ),
        parts => Err(crate::csdl::Diagnostic::error(
            ctx.file.clone(),
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

/// How a key part or function parameter is written into a URL: the type
/// the builder method takes and the OData literal it becomes. Types without
/// a URL form here are refused at generation time, with their position,
/// rather than encoded wrongly.
enum UrlValue {
    /// Strings and enum members: `impl AsRef<str>`, a quoted literal.
    Text,
    /// The Rust integer type of an Edm integer type.
    Integer(TokenStream),
    Boolean,
    Guid,
    Date,
    DateTimeOffset,
}

impl UrlValue {
    /// `ty` is `None` for an alternate key whose property is not found
    /// (the resolver reports that); it is taken as a string.
    fn of(
        ctx: &Ctx<'_>,
        ty: Option<&TypeRef>,
        what: &str,
        pos: crate::csdl::syntax::Pos,
    ) -> Result<Self, Diagnostics> {
        let Some(ty) = ty else {
            return Ok(UrlValue::Text);
        };
        if ctx.model.quoted_in_urls(ty) {
            return Ok(UrlValue::Text);
        }
        Ok(match ctx.model.primitive_of(ty) {
            Some(Primitive::Byte) => UrlValue::Integer(quote!(u8)),
            Some(Primitive::SByte) => UrlValue::Integer(quote!(i8)),
            Some(Primitive::Int16) => UrlValue::Integer(quote!(i16)),
            Some(Primitive::Int32) => UrlValue::Integer(quote!(i32)),
            Some(Primitive::Int64) => UrlValue::Integer(quote!(i64)),
            Some(Primitive::Boolean) => UrlValue::Boolean,
            Some(Primitive::Guid) => UrlValue::Guid,
            Some(Primitive::Date) => UrlValue::Date,
            Some(Primitive::DateTimeOffset) => UrlValue::DateTimeOffset,
            _ => {
                return Err(crate::csdl::Diagnostic::error(
                    ctx.file.clone(),
                    pos,
                    format!(
                        "{what} has type {ty}: the generator writes only strings, enum members, integers, \
                         Booleans, GUIDs, dates and date-times (or type definitions of these) into URLs; \
                         exclude the paths that need it in the slice configuration to generate the rest"
                    ),
                )
                .into());
            }
        })
    }

    fn param_type(&self) -> TokenStream {
        match self {
            UrlValue::Text => quote!(impl AsRef<str>),
            UrlValue::Integer(t) => t.clone(),
            UrlValue::Boolean => quote!(bool),
            UrlValue::Guid => quote!(uuid::Uuid),
            UrlValue::Date => quote!(crate::runtime::edm::Date),
            UrlValue::DateTimeOffset => quote!(crate::runtime::edm::DateTimeOffset),
        }
    }

    /// The `ODataLiteral` for the method parameter `v`.
    fn literal(&self, v: &proc_macro2::Ident) -> TokenStream {
        match self {
            UrlValue::Text => quote!(crate::runtime::ODataLiteral::String(#v.as_ref())),
            UrlValue::Integer(_) => quote!(crate::runtime::ODataLiteral::Int(i64::from(#v))),
            UrlValue::Boolean => quote!(crate::runtime::ODataLiteral::Bool(#v)),
            UrlValue::Guid => quote!(crate::runtime::ODataLiteral::Guid(#v)),
            UrlValue::Date => quote!(crate::runtime::ODataLiteral::Date(#v)),
            UrlValue::DateTimeOffset => quote!(crate::runtime::ODataLiteral::DateTimeOffset(#v)),
        }
    }

    /// `name='{name}'` or `name={name}`, as the path templates write it.
    fn template(&self, name: &str) -> String {
        match self {
            UrlValue::Text => format!("{name}='{{{name}}}'"),
            _ => format!("{name}={{{name}}}"),
        }
    }
}

/// `name` is the operation's Rust name ([`names::overload_name`]).
fn operation(
    ctx: &Ctx<'_>,
    node: &Node,
    op: &OperationDef,
    name: &str,
    template: &str,
    node_bases: &HashSet<&str>,
    surface: &mut Vec<ApiOperation>,
) -> Result<(TokenStream, TokenStream), Diagnostics> {
    let short = op.short_name();
    let method = ident(&snake(name));
    let mut base = format!("{}{}", node.base, pascal_word(name));
    if node_bases.contains(base.as_str()) {
        base.push_str(match op.kind {
            OperationKind::Action => "Action",
            _ => "Function",
        });
    }
    let builder = format_ident!("{base}RequestBuilder");
    let mut doc = doc_lines(&op.annotations);
    doc.insert(
        0,
        format!(
            "`{} {template}`",
            if op.kind == OperationKind::Action {
                "POST"
            } else {
                "GET"
            }
        ),
    );
    let mut tokens = struct_builder(&builder, template, &doc);
    let dep = deprecated_attr(&op.annotations);
    let returns = op
        .return_type
        .as_ref()
        .map(|r| r.ty.to_string())
        .unwrap_or_else(|| "None".into());
    let ret_ty = op.return_type.as_ref().map(|r| ctx.rust_type(&r.ty, None));
    let notes = notes_for(&op.annotations);
    let d = docs(&doc);
    let method_tokens = if op.kind == OperationKind::Function {
        let values = op
            .parameters
            .iter()
            .map(|p| {
                UrlValue::of(
                    ctx,
                    Some(&p.ty),
                    &format!(
                        "parameter {} of {} (path {template})",
                        p.name,
                        op.signature()
                    ),
                    p.pos,
                )
            })
            .collect::<Result<Vec<_>, _>>()?;
        let params: Vec<_> = op
            .parameters
            .iter()
            .map(|p| ident(&snake(&p.name)))
            .collect();
        let param_types: Vec<_> = values.iter().map(UrlValue::param_type).collect();
        let names: Vec<&str> = op.parameters.iter().map(|p| p.name.as_str()).collect();
        let lits: Vec<TokenStream> = values
            .iter()
            .zip(&params)
            .map(|(v, p)| v.literal(p))
            .collect();
        let ret = ret_ty.unwrap_or_else(|| quote!(serde_json::Value));
        tokens.extend(quote! {
            impl #builder {
                #d
                #dep
                pub fn get(&self) -> crate::support::ItemRequest<#ret> {
                    crate::support::ItemRequest::new(self.client.request(http::Method::GET, self.path.clone()))
                }
            }
        });
        surface.push(ApiOperation {
            template: template.to_string(),
            method: "GET".into(),
            returns,
            notes,
        });
        quote! {
            #d
            #dep
            pub fn #method(&self, #( #params: #param_types ),*) -> #builder {
                #builder::new(self.client.clone(), self.path.call(#short, &[#( (#names, #lits) ),*]))
            }
        }
    } else {
        let send = match &ret_ty {
            Some(t) => quote!(crate::support::SendRequest<#t>),
            None => quote!(crate::support::EmptyRequest),
        };
        let ctor = match &ret_ty {
            Some(_) => quote!(crate::support::SendRequest::new),
            None => quote!(crate::support::EmptyRequest::new),
        };
        if op.parameters.is_empty() {
            tokens.extend(quote! {
                impl #builder {
                    #d
                    #dep
                    pub fn post(&self) -> #send {
                        #ctor(self.client.request(http::Method::POST, self.path.clone()))
                    }
                }
            });
        } else {
            let body_name = format!("{}{}PostRequestBody", node.base, pascal_word(name));
            let body = type_ident(&body_name);
            let members: Vec<Member<'_>> = op.parameters.iter().map(Member::parameter).collect();
            let mut body_annotations = vec![];
            body_annotations.extend(
                op.annotations
                    .iter()
                    .filter(|a| !vocab::term_is(&a.term, vocab::CORE, "Revisions"))
                    .cloned(),
            );
            let body_struct = ctx.structure(
                &body_name,
                &format!("parameters of {}", op.signature()),
                &members,
                &body_annotations,
                None,
            )?;
            tokens.extend(body_struct);
            tokens.extend(quote! {
                impl #builder {
                    #d
                    #dep
                    pub fn post(&self, body: &#body) -> #send {
                        #ctor(self.client.request(http::Method::POST, self.path.clone()).json(body))
                    }
                }
            });
        }
        surface.push(ApiOperation {
            template: template.to_string(),
            method: "POST".into(),
            returns,
            notes,
        });
        quote! {
            #d
            pub fn #method(&self) -> #builder {
                #builder::new(self.client.clone(), self.path.segment(#short))
            }
        }
    };
    Ok((method_tokens, tokens))
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
