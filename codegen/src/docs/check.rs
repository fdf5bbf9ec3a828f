//! `docs-check`: where the documentation and the sliced metadata disagree.
//! Every finding names both places (page:line and CSDL line) and, when a
//! metadata patch could settle it, carries a skeleton of that patch.

use std::collections::BTreeSet;
use std::fmt::Write;

use serde::Serialize;
use serde_json::Value;

use super::extract::{is_placeholder_value, is_primitive};
use super::facts::*;
use super::lookup::normalise_path;
use crate::csdl::syntax::{OperationKind, StructuredKind};
use crate::model::paths::{self, PathNode};
use crate::model::{Model, OperationDef, Primitive, TypeKind, TypeRef, vocab};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingClass {
    /// Documented, but the metadata does not have it.
    NotInMetadata,
    /// A type or its collection-ness differs.
    Type,
    /// A name matches only when letter case is ignored: JSON names are
    /// case-sensitive, so the documented spelling would not reach the
    /// property.
    Case,
    /// Enum members differ (beyond `unknownFutureValue`).
    Enum,
    /// An operation's binding or parameters differ.
    Operation,
    /// An example's JSON does not decode into the metadata's types.
    Example,
    /// What `docs-refresh` could not read: a table row skipped, an example
    /// that is not JSON, a code block left open, an annotation comment that
    /// does not parse. Its facts are missing from the rest of the report.
    Unread,
    /// In the metadata, but no page documents it (last: the least actionable).
    Undocumented,
}

impl FindingClass {
    pub const ALL: [FindingClass; 8] = [
        FindingClass::NotInMetadata,
        FindingClass::Type,
        FindingClass::Case,
        FindingClass::Enum,
        FindingClass::Operation,
        FindingClass::Example,
        FindingClass::Unread,
        FindingClass::Undocumented,
    ];

    pub fn name(self) -> &'static str {
        match self {
            FindingClass::NotInMetadata => "not-in-metadata",
            FindingClass::Undocumented => "undocumented",
            FindingClass::Type => "type",
            FindingClass::Case => "case",
            FindingClass::Enum => "enum",
            FindingClass::Operation => "operation",
            FindingClass::Example => "example",
            FindingClass::Unread => "unread",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            FindingClass::NotInMetadata => "Documented but absent from the metadata",
            FindingClass::Undocumented => "In the metadata but undocumented",
            FindingClass::Type => "Type or collection-ness differs",
            FindingClass::Case => {
                "Name spelled in other letter case (JSON names are case-sensitive)"
            }
            FindingClass::Enum => "Enum members differ",
            FindingClass::Operation => "Operation binding or parameters differ",
            FindingClass::Example => "Example JSON does not decode into the metadata's types",
            FindingClass::Unread => {
                "Documentation the extractor could not read (its facts are missing)"
            }
        }
    }

    pub fn from_name(name: &str) -> Option<FindingClass> {
        Self::ALL.into_iter().find(|c| c.name() == name)
    }

    pub fn names() -> String {
        Self::ALL.map(FindingClass::name).join(", ")
    }
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Finding {
    pub class: FindingClass,
    /// What it is about: `microsoft.graph.x/property`, `POST /path`, `$.a.b`.
    pub subject: String,
    pub message: String,
    /// `page:line`.
    pub docs: Option<String>,
    /// `metadata/graph-beta-migrations.csdl:line`.
    pub csdl: Option<String>,
    /// A skeleton of a `metadata/patches/*.toml` that would settle it.
    pub patch: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Report {
    pub findings: Vec<Finding>,
}

impl Report {
    pub fn count(&self, class: FindingClass) -> usize {
        self.findings.iter().filter(|f| f.class == class).count()
    }
}

struct Ctx<'a> {
    model: &'a Model,
    findings: Vec<Finding>,
}

impl Ctx<'_> {
    fn csdl(&self, line: u32) -> Option<String> {
        (line > 0).then(|| format!("{}:{line}", self.model.file))
    }

    fn push(
        &mut self,
        class: FindingClass,
        subject: String,
        message: String,
        docs: Option<&Source>,
        csdl_line: Option<u32>,
        patch: Option<String>,
    ) {
        let csdl = csdl_line.and_then(|l| self.csdl(l));
        self.findings.push(Finding {
            class,
            subject,
            message,
            docs: docs.map(Source::to_string),
            csdl,
            patch,
        });
    }
}

/// A documented name that matches a declared one only when letter case is
/// ignored.
fn spelled_apart(documented: &str, declared: &str) -> String {
    format!(
        "the docs spell `{documented}`, the metadata `{declared}`: JSON names are case-sensitive, \
         so a value written as documented would not reach the property"
    )
}

/// Compares the facts with the model of the slice.
pub fn check(facts: &DocsFacts, model: &Model) -> Report {
    let mut cx = Ctx {
        model,
        findings: Vec::new(),
    };
    types(&mut cx, facts);
    operations(&mut cx, facts);
    // What could not be read is a disagreement nobody can see otherwise:
    // `docs-refresh` printed it once, and its facts are simply absent.
    // Examples that are not JSON are in the `example` class already.
    for w in facts.warnings.iter().filter(|w| !w.is_unparsed_example()) {
        cx.push(
            FindingClass::Unread,
            w.at.to_string(),
            w.message.clone(),
            Some(&w.at),
            None,
            None,
        );
    }
    cx.findings.sort();
    cx.findings.dedup();
    Report {
        findings: cx.findings,
    }
}

fn local(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

fn find_struct<'m>(model: &'m Model, name: &str) -> Option<&'m crate::model::StructDef> {
    model
        .structs
        .values()
        .find(|s| local(&s.name).eq_ignore_ascii_case(local(name)))
}

fn find_enum<'m>(model: &'m Model, name: &str) -> Option<&'m crate::model::EnumDef> {
    model
        .enums
        .values()
        .find(|e| local(&e.name).eq_ignore_ascii_case(local(name)))
}

/// The CSDL spelling of a documented type (`String collection` →
/// `Collection(Edm.String)`), for patch skeletons.
fn csdl_type(model: &Model, type_name: &str, collection: bool) -> String {
    let inner = if is_primitive(type_name) {
        let edm = Primitive::all_names()
            .find(|n| n.eq_ignore_ascii_case(type_name))
            .unwrap_or("String");
        format!("Edm.{edm}")
    } else {
        let qualified = find_struct(model, type_name)
            .map(|s| s.name.clone())
            .or_else(|| find_enum(model, type_name).map(|e| e.name.clone()))
            .unwrap_or_else(|| format!("microsoft.graph.{type_name}"));
        format!("graph.{}", local(&qualified))
    };
    if collection {
        format!("Collection({inner})")
    } else {
        inner
    }
}

/// Whether a documented type names the model's type.
fn same_type(model: &Model, type_name: &str, collection: bool, ty: &TypeRef) -> bool {
    if type_name.is_empty() {
        return true;
    }
    if collection != ty.collection {
        return false;
    }
    let single = TypeRef {
        collection: false,
        kind: ty.kind.clone(),
    };
    match model.primitive_of(&single) {
        Some(p) => p.edm_name().eq_ignore_ascii_case(type_name),
        None => ty
            .kind
            .defined_name()
            .is_some_and(|n| local(n).eq_ignore_ascii_case(type_name)),
    }
}

fn describe_doc_type(type_name: &str, collection: bool) -> String {
    if collection {
        format!("{type_name} collection")
    } else {
        type_name.to_string()
    }
}

fn types(cx: &mut Ctx<'_>, facts: &DocsFacts) {
    let model = cx.model;
    let mut documented: BTreeSet<String> = BTreeSet::new();
    for (name, doc) in &facts.types {
        if let Some(s) = find_struct(model, name) {
            documented.insert(s.name.clone());
            if doc.at.is_some() {
                properties(cx, s, doc);
            }
            base_type(cx, s, doc);
        } else if let Some(e) = find_enum(model, name) {
            documented.insert(e.name.clone());
            enum_members(cx, e, doc);
        } else {
            let at = doc
                .at
                .clone()
                .or_else(|| doc.members.values().next().map(|m| m.at.clone()));
            cx.push(
                FindingClass::NotInMetadata,
                name.clone(),
                format!("the docs describe type `{name}`; the slice has no type of that name"),
                at.as_ref(),
                None,
                None,
            );
        }
    }
    for s in model.structs.values() {
        if !documented.contains(&s.name) && local(&s.name) != "entity" {
            cx.push(
                FindingClass::Undocumented,
                s.name.clone(),
                format!("no resource page documents `{}`", local(&s.name)),
                None,
                Some(s.pos.line),
                None,
            );
        }
    }
}

/// The documented base type against the metadata's, by local name (the
/// sentence "Inherits from entity." names no namespace).
fn base_type(cx: &mut Ctx<'_>, s: &crate::model::StructDef, doc: &TypeDoc) {
    let Some(documented) = doc.base_type.as_deref() else {
        return;
    };
    let declared = s.base_type.as_deref().map(local);
    if declared == Some(local(documented)) {
        return;
    }
    cx.push(
        FindingClass::Type,
        s.name.clone(),
        format!(
            "the docs say `{}` inherits from `{documented}`, the metadata {}",
            local(&s.name),
            match declared {
                Some(b) => format!("from `{b}`"),
                None => "from nothing".to_string(),
            }
        ),
        doc.at.as_ref(),
        Some(s.pos.line),
        None,
    );
}

fn properties(cx: &mut Ctx<'_>, s: &crate::model::StructDef, doc: &TypeDoc) {
    let model = cx.model;
    struct Member<'a> {
        name: &'a str,
        ty: &'a TypeRef,
        line: u32,
    }
    let mut members: Vec<Member<'_>> = model
        .all_properties(&s.name)
        .into_iter()
        .map(|p| Member {
            name: &p.name,
            ty: &p.ty,
            line: p.pos.line,
        })
        .collect();
    members.extend(
        model
            .all_navigation_properties(&s.name)
            .into_iter()
            .map(|n| Member {
                name: &n.name,
                ty: &n.ty,
                line: n.pos.line,
            }),
    );
    let docs: Vec<(&String, &PropertyDoc)> =
        doc.properties.iter().chain(&doc.relationships).collect();
    let keys: Vec<String> = vocab::alternate_keys(&s.annotations)
        .into_iter()
        .flat_map(|k| k.parts.into_iter().map(|(_, name)| name))
        .collect();
    for (name, p) in &docs {
        let subject = format!("{}/{name}", s.name);
        match members.iter().find(|m| m.name.eq_ignore_ascii_case(name)) {
            None => {
                let also_key = keys.iter().any(|k| k.eq_ignore_ascii_case(name));
                cx.push(
                    FindingClass::NotInMetadata,
                    subject,
                    format!(
                        "property `{name}` ({}) is documented but not declared on `{}`{}",
                        describe_doc_type(&p.type_name, p.collection),
                        local(&s.name),
                        if also_key {
                            "; the metadata's alternate key names it, so a service value lands in additional data"
                        } else {
                            ""
                        }
                    ),
                    Some(&p.at),
                    Some(s.pos.line),
                    Some(add_property_patch(model, s, name, p)),
                );
            }
            Some(m) => {
                if m.name != name.as_str() {
                    cx.push(
                        FindingClass::Case,
                        subject.clone(),
                        spelled_apart(name, m.name),
                        Some(&p.at),
                        Some(m.line),
                        None,
                    );
                }
                if !same_type(model, &p.type_name, p.collection, m.ty) {
                    cx.push(
                        FindingClass::Type,
                        subject,
                        format!(
                            "the docs type `{name}` as {}, the metadata as {}",
                            describe_doc_type(&p.type_name, p.collection),
                            m.ty
                        ),
                        Some(&p.at),
                        Some(m.line),
                        Some(set_type_patch(
                            model,
                            s,
                            m.name,
                            &p.type_name,
                            p.collection,
                            &p.at,
                        )),
                    );
                }
            }
        }
    }
    for m in &members {
        if !docs.iter().any(|(n, _)| n.eq_ignore_ascii_case(m.name)) {
            cx.push(
                FindingClass::Undocumented,
                format!("{}/{}", s.name, m.name),
                format!(
                    "`{}` ({}) is not in the Properties or Relationships table of the `{}` page",
                    m.name,
                    m.ty,
                    local(&s.name)
                ),
                doc.at.as_ref(),
                Some(m.line),
                None,
            );
        }
    }
}

fn add_property_patch(
    model: &Model,
    s: &crate::model::StructDef,
    name: &str,
    p: &PropertyDoc,
) -> String {
    format!(
        "description = \"{name} is documented on {page} but {ty} does not declare it\"\n\
         documentation = \"{page}\"\n\
         \n\
         # patch.rs adds schema-level elements only: adding a property to an existing\n\
         # type needs an \"add\" change with a target (not supported yet).\n\
         [[change]]\n\
         action = \"add\"\n\
         target = \"{ty}\"\n\
         xml = '''<Property Name=\"{name}\" Type=\"{csdl}\" />'''\n",
        page = p.at.page,
        ty = s.name,
        csdl = csdl_type(model, &p.type_name, p.collection),
    )
}

fn set_type_patch(
    model: &Model,
    s: &crate::model::StructDef,
    name: &str,
    type_name: &str,
    collection: bool,
    at: &Source,
) -> String {
    format!(
        "description = \"{name}: the docs ({at}) give its type as {doc}\"\n\
         documentation = \"{page}\"\n\
         \n\
         [[change]]\n\
         action = \"set-attribute\"\n\
         target = \"{ty}/{name}\"\n\
         attribute = \"Type\"\n\
         value = \"{csdl}\"\n",
        doc = describe_doc_type(type_name, collection),
        page = at.page,
        ty = s.name,
        csdl = csdl_type(model, type_name, collection),
    )
}

fn enum_members(cx: &mut Ctx<'_>, e: &crate::model::EnumDef, doc: &TypeDoc) {
    const FUTURE: &str = "unknownFutureValue";
    for (name, m) in &doc.members {
        if name != FUTURE && !e.members.iter().any(|x| &x.name == name) {
            cx.push(
                FindingClass::Enum,
                format!("{}/{name}", e.name),
                format!(
                    "member `{name}` is documented but not in the metadata's `{}`",
                    local(&e.name)
                ),
                Some(&m.at),
                Some(e.pos.line),
                Some(format!(
                    "description = \"{name} is documented as a value of {ty} ({at})\"\n\
                     documentation = \"{page}\"\n\
                     \n\
                     # patch.rs adds schema-level elements only: adding a member to an\n\
                     # existing enum needs an \"add\" change with a target (not supported yet).\n\
                     [[change]]\n\
                     action = \"add\"\n\
                     target = \"{ty}\"\n\
                     xml = '''<Member Name=\"{name}\" />'''\n",
                    ty = e.name,
                    at = m.at,
                    page = m.at.page,
                )),
            );
        }
    }
    let at = doc.members.values().next().map(|m| m.at.clone());
    for m in &e.members {
        if m.name != FUTURE && !doc.members.contains_key(&m.name) {
            cx.push(
                FindingClass::Enum,
                format!("{}/{}", e.name, m.name),
                format!(
                    "member `{}` is in the metadata but not among the documented values",
                    m.name
                ),
                at.as_ref(),
                Some(m.pos.line),
                None,
            );
        }
    }
}

/// What a documented request resolves to in the model's URL tree.
enum Target<'m> {
    /// A resource path: CRUD on an entity or collection.
    Node(PathNode),
    /// A bound operation, with the argument names the path gives.
    Operation(&'m OperationDef, PathNode, Vec<String>),
}

fn url_tree(model: &Model) -> Vec<(String, PathNode)> {
    let mut nodes = Vec::new();
    paths::walk(
        model,
        &mut |n: &PathNode| n.segments.len() <= 12,
        &mut |n: &PathNode| nodes.push((normalise_path(&n.template()), n.clone())),
    );
    nodes
}

fn resolve<'m>(
    model: &'m Model,
    tree: &[(String, PathNode)],
    path: &str,
) -> Result<Target<'m>, String> {
    let want = normalise_path(path);
    let node = |p: &str| tree.iter().find(|(k, _)| k == p).map(|(_, n)| n.clone());
    if let Some(n) = node(&want) {
        return Ok(Target::Node(n));
    }
    let (prefix, last) = want.rsplit_once('/').ok_or("not a path")?;
    let (name, args) = match last.split_once('(') {
        Some((n, a)) => (
            n,
            a.trim_end_matches(')')
                .split(',')
                .filter_map(|kv| kv.split_once('=').map(|(k, _)| k.trim().to_string()))
                .collect::<Vec<_>>(),
        ),
        None => (last, Vec::new()),
    };
    // `collection(altKey='{x}')`: an entity addressed by an alternate key.
    if !args.is_empty()
        && let Some(n) = node(&format!("{prefix}/{name}"))
        && n.collection
    {
        let mut single = n.clone();
        single.collection = false;
        return Ok(Target::Node(single));
    }
    let Some(parent) = node(prefix) else {
        return Err(format!("no resource path `{prefix}` in the slice"));
    };
    let named = |collection: bool| {
        model
            .bound_operations(&parent.ty, collection)
            .into_iter()
            .find(|o| o.short_name().eq_ignore_ascii_case(name))
    };
    match named(parent.collection) {
        Some(op) => Ok(Target::Operation(op, parent, args)),
        None => match named(!parent.collection) {
            Some(other) => Err(format!(
                "`{}` is bound to {} `{}` in the metadata, but the docs call it on {}",
                other.short_name(),
                if parent.collection {
                    "a single"
                } else {
                    "a collection of"
                },
                local(&parent.ty),
                if parent.collection {
                    "the collection"
                } else {
                    "a single entity"
                }
            )),
            None => Err(format!(
                "nothing named `{name}` is bound to `{}`{} in the slice",
                local(&parent.ty),
                if parent.collection {
                    " collections"
                } else {
                    ""
                }
            )),
        },
    }
}

fn operations(cx: &mut Ctx<'_>, facts: &DocsFacts) {
    let model = cx.model;
    let tree = url_tree(model);
    let mut matched: BTreeSet<String> = BTreeSet::new();
    // (short name, binding type, collection) of every documented operation.
    let mut documented_bindings: Vec<(String, String, bool, Source)> = Vec::new();
    for op in &facts.operations {
        for req in &op.http_requests {
            let subject = format!("{} {}", req.method, req.path);
            match resolve(model, &tree, &req.path) {
                Err(msg) => {
                    let class = if msg.contains("is bound to") {
                        FindingClass::Operation
                    } else {
                        FindingClass::NotInMetadata
                    };
                    let patch = (class == FindingClass::Operation)
                        .then(|| binding_patch(model, &tree, op, &req.path))
                        .flatten();
                    cx.push(class, subject, msg, Some(&req.at), None, patch);
                }
                Ok(Target::Node(node)) => {
                    node_request(cx, op, &req.method, &node, &subject, &req.at);
                    examples(cx, op, &subject, &req.method, &Target::Node(node));
                }
                Ok(Target::Operation(def, node, args)) => {
                    matched.insert(def.signature());
                    documented_bindings.push((
                        def.short_name().to_string(),
                        node.ty.clone(),
                        node.collection,
                        req.at.clone(),
                    ));
                    operation_parameters(cx, op, def, &args, &subject, &req.at);
                    examples(
                        cx,
                        op,
                        &subject,
                        &req.method,
                        &Target::Operation(def, node, args),
                    );
                }
            }
        }
    }
    for def in &model.operations {
        if !def.is_bound || matched.contains(&def.signature()) {
            continue;
        }
        let binding = def
            .binding
            .as_ref()
            .expect("bound operations have a binding");
        let ty = binding.ty.kind.defined_name().unwrap_or("");
        let other = documented_bindings
            .iter()
            .find(|(n, t, c, _)| n == def.short_name() && t == ty && *c != binding.ty.collection);
        match other {
            Some((_, _, c, at)) => cx.push(
                FindingClass::Operation,
                def.signature(),
                format!(
                    "the metadata binds `{}` to {}; the docs document it only on {}",
                    def.short_name(),
                    binding.ty,
                    if *c {
                        "the collection"
                    } else {
                        "a single entity"
                    }
                ),
                Some(at),
                Some(def.pos.line),
                None,
            ),
            None => cx.push(
                FindingClass::Undocumented,
                def.signature(),
                format!(
                    "no page documents a request for `{}` bound to {}",
                    def.short_name(),
                    binding.ty
                ),
                None,
                Some(def.pos.line),
                None,
            ),
        }
    }
}

/// A create or update request: its body table names properties of the type.
fn node_request(
    cx: &mut Ctx<'_>,
    op: &OperationDoc,
    method: &str,
    node: &PathNode,
    subject: &str,
    at: &Source,
) {
    let model = cx.model;
    let writes = match method {
        "POST" => node.collection,
        "PATCH" | "PUT" => true,
        _ => false,
    };
    if method == "POST" && !node.collection {
        cx.push(
            FindingClass::Operation,
            subject.to_string(),
            format!(
                "POST on a single `{}`, which is neither a collection nor an action",
                local(&node.ty)
            ),
            Some(at),
            None,
            None,
        );
    }
    if !writes {
        return;
    }
    let Some(s) = model.struct_def(&node.ty) else {
        return;
    };
    for p in &op.request_body {
        let declared = model
            .all_properties(&s.name)
            .into_iter()
            .find(|d| d.name.eq_ignore_ascii_case(&p.name));
        match declared {
            None => cx.push(
                FindingClass::NotInMetadata,
                format!("{subject} body/{}", p.name),
                format!(
                    "the request body documents `{}`, which `{}` does not declare",
                    p.name,
                    local(&s.name)
                ),
                Some(&p.at),
                Some(s.pos.line),
                None,
            ),
            Some(d) => {
                if d.name != p.name {
                    cx.push(
                        FindingClass::Case,
                        format!("{subject} body/{}", p.name),
                        format!("request body: {}", spelled_apart(&p.name, &d.name)),
                        Some(&p.at),
                        Some(d.pos.line),
                        None,
                    );
                }
                if !same_type(model, &p.type_name, p.collection, &d.ty) {
                    cx.push(
                        FindingClass::Type,
                        format!("{subject} body/{}", p.name),
                        format!(
                            "the request body types `{}` as {}, the metadata as {}",
                            p.name,
                            describe_doc_type(&p.type_name, p.collection),
                            d.ty
                        ),
                        Some(&p.at),
                        Some(d.pos.line),
                        None,
                    );
                }
            }
        }
    }
}

fn operation_parameters(
    cx: &mut Ctx<'_>,
    op: &OperationDoc,
    def: &OperationDef,
    path_args: &[String],
    subject: &str,
    at: &Source,
) {
    let model = cx.model;
    let documented: Vec<(String, Option<&ParamDoc>, Source)> =
        if def.kind == OperationKind::Function {
            let mut v: Vec<(String, Option<&ParamDoc>, Source)> = path_args
                .iter()
                .map(|a| (a.clone(), None, at.clone()))
                .collect();
            for p in &op.function_parameters {
                match v
                    .iter_mut()
                    .find(|(n, _, _)| n.eq_ignore_ascii_case(&p.name))
                {
                    Some(slot) => slot.1 = Some(p),
                    None => v.push((p.name.clone(), Some(p), p.at.clone())),
                }
            }
            v
        } else {
            op.request_body
                .iter()
                .map(|p| (p.name.clone(), Some(p), p.at.clone()))
                .collect()
        };
    for (name, p, doc_at) in &documented {
        match def
            .parameters
            .iter()
            .find(|d| d.name.eq_ignore_ascii_case(name))
        {
            None => cx.push(
                FindingClass::Operation,
                format!("{subject} ({name})"),
                format!(
                    "the docs pass parameter `{name}`; the metadata's `{}` has no such parameter",
                    def.short_name()
                ),
                Some(doc_at),
                Some(def.pos.line),
                None,
            ),
            Some(d) => {
                if let Some(p) = p
                    && !same_type(model, &p.type_name, p.collection, &d.ty)
                {
                    cx.push(
                        FindingClass::Type,
                        format!("{subject} ({name})"),
                        format!(
                            "the docs type parameter `{name}` as {}, the metadata as {}",
                            describe_doc_type(&p.type_name, p.collection),
                            d.ty
                        ),
                        Some(&p.at),
                        Some(d.pos.line),
                        None,
                    );
                }
            }
        }
    }
    for d in &def.parameters {
        if !documented
            .iter()
            .any(|(n, _, _)| n.eq_ignore_ascii_case(&d.name))
        {
            cx.push(
                FindingClass::Operation,
                format!("{subject} ({})", d.name),
                format!(
                    "the metadata's `{}` takes parameter `{}` ({}), which the docs do not pass",
                    def.short_name(),
                    d.name,
                    d.ty
                ),
                Some(at),
                Some(d.pos.line),
                None,
            );
        }
    }
}

/// An action bound as the docs bind it, with the documented body as its
/// parameters (as metadata/patches/0001-validate-on-collection.toml does).
fn binding_patch(
    model: &Model,
    tree: &[(String, PathNode)],
    op: &OperationDoc,
    path: &str,
) -> Option<String> {
    let want = normalise_path(path);
    let (prefix, name) = want.rsplit_once('/')?;
    let parent = tree.iter().find(|(k, _)| k == prefix).map(|(_, n)| n)?;
    let original = model
        .operations
        .iter()
        .find(|o| o.short_name().eq_ignore_ascii_case(name))?;
    let mut xml = format!(
        "<Action Name=\"{}\" IsBound=\"true\">\n  <Parameter Name=\"bindingParameter\" Type=\"{}\" />\n",
        original.short_name(),
        csdl_type(model, local(&parent.ty), parent.collection)
    );
    for p in &op.request_body {
        let _ = writeln!(
            xml,
            "  <Parameter Name=\"{}\" Type=\"{}\" />",
            p.name,
            csdl_type(model, &p.type_name, p.collection)
        );
    }
    if let Some(r) = &original.return_type {
        let _ = writeln!(xml, "  <ReturnType Type=\"{}\" />", r.ty);
    }
    xml.push_str("</Action>");
    Some(format!(
        "description = \"{name} is documented on {page} bound to {binding}\"\n\
         documentation = \"{page}\"\n\
         \n\
         [[change]]\n\
         action = \"add\"\n\
         schema = \"microsoft.graph\"\n\
         xml = '''\n{xml}\n'''\n",
        page = op.page,
        binding = if parent.collection {
            "the collection"
        } else {
            "a single entity"
        },
    ))
}

/// What a JSON body should be.
enum Expect<'m> {
    Type(TypeRef),
    /// An action's parameters, as a JSON object.
    Parameters(&'m OperationDef),
}

fn examples(cx: &mut Ctx<'_>, op: &OperationDoc, subject: &str, method: &str, target: &Target<'_>) {
    let model = cx.model;
    for e in &op.examples {
        // Examples of another request on the same page (a page with several
        // request lines) are checked against their own line only.
        if let Some(line) = &e.http_line
            && let Some((m, _)) = super::extract::request_line(line)
            && m != method
        {
            continue;
        }
        let Some(json) = &e.json else { continue };
        let at = Source::new(&e.at.page, e.json_line.unwrap_or(e.at.line));
        let Ok(value) = serde_json::from_str::<Value>(json) else {
            cx.push(
                FindingClass::Example,
                format!("{subject}: {} example at {}", e.kind, e.at),
                "the example's JSON does not parse, so no client can decode it".to_string(),
                Some(&at),
                None,
                None,
            );
            continue;
        };
        let expect = match (e.kind.as_str(), target) {
            (_, _)
                if e.odata_type
                    .as_deref()
                    .is_some_and(|t| model.structs.contains_key(t)) =>
            {
                let t = e.odata_type.clone().unwrap();
                let collection = value.get("value").is_some_and(Value::is_array);
                Expect::Type(TypeRef {
                    collection,
                    kind: struct_kind(model, &t),
                })
            }
            ("request", Target::Node(n)) if method != "GET" && method != "DELETE" => {
                Expect::Type(TypeRef {
                    collection: method == "PATCH" && n.collection,
                    kind: struct_kind(model, &n.ty),
                })
            }
            ("request", Target::Operation(def, _, _)) if def.kind == OperationKind::Action => {
                Expect::Parameters(def)
            }
            ("response", Target::Node(n)) if method == "GET" || method == "POST" => {
                Expect::Type(TypeRef {
                    collection: method == "GET" && n.collection,
                    kind: struct_kind(model, &n.ty),
                })
            }
            ("response", Target::Operation(def, _, _)) => match &def.return_type {
                Some(r) => Expect::Type(r.ty.clone()),
                None => continue,
            },
            _ => continue,
        };
        let mut problems = Vec::new();
        match expect {
            Expect::Type(ty) if ty.collection => match value.get("value") {
                Some(items) => decode(model, items, &ty, "$.value", None, &mut problems),
                None => problems.push((
                    "$".to_string(),
                    format!("a collection response without `value` (expected {ty})"),
                    None,
                )),
            },
            Expect::Type(ty) => decode(model, &value, &ty, "$", None, &mut problems),
            Expect::Parameters(def) => match value.as_object() {
                Some(map) => {
                    for (k, v) in map {
                        if k.contains('@') {
                            continue;
                        }
                        let path = format!("$.{k}");
                        match def.parameters.iter().find(|p| &p.name == k) {
                            Some(p) => decode_nullable(
                                model,
                                v,
                                &p.ty,
                                p.nullable,
                                p.pos.line,
                                &path,
                                &mut problems,
                            ),
                            None => problems.push((
                                path,
                                format!("`{}` has no parameter `{k}`", def.short_name()),
                                Some(def.pos.line),
                            )),
                        }
                    }
                }
                None => problems.push((
                    "$".into(),
                    "the parameters are not a JSON object".into(),
                    None,
                )),
            },
        }
        for (path, message, line) in problems {
            let offset = super::extract::key_line(json, &path);
            cx.push(
                FindingClass::Example,
                format!("{subject}: {} example {path}", e.kind),
                message,
                Some(&Source::new(&at.page, at.line + offset)),
                line,
                None,
            );
        }
    }
}

fn struct_kind(model: &Model, name: &str) -> TypeKind {
    match model.struct_def(name).map(|s| s.kind) {
        Some(StructuredKind::Complex) => TypeKind::Complex(name.to_string()),
        _ => TypeKind::Entity(name.to_string()),
    }
}

type Problems = Vec<(String, String, Option<u32>)>;

fn decode_nullable(
    model: &Model,
    v: &Value,
    ty: &TypeRef,
    nullable: bool,
    line: u32,
    path: &str,
    out: &mut Problems,
) {
    if v.is_null() {
        if !nullable && !ty.collection {
            out.push((
                path.to_string(),
                format!("null, but the metadata declares it non-nullable {ty}"),
                Some(line),
            ));
        }
        return;
    }
    decode(model, v, ty, path, Some(line), out);
}

/// Whether `v` decodes as `ty`: property names, JSON kinds per Edm type,
/// enum members, and the formats of dates and GUIDs.
fn decode(
    model: &Model,
    v: &Value,
    ty: &TypeRef,
    path: &str,
    line: Option<u32>,
    out: &mut Problems,
) {
    if ty.collection {
        let Some(items) = v.as_array() else {
            out.push((
                path.to_string(),
                format!("expected an array ({ty}), found {}", kind(v)),
                line,
            ));
            return;
        };
        let single = TypeRef {
            collection: false,
            kind: ty.kind.clone(),
        };
        for (i, item) in items.iter().enumerate() {
            decode(model, item, &single, &format!("{path}[{i}]"), line, out);
        }
        return;
    }
    if let Some(p) = model.primitive_of(ty) {
        if let Some(problem) = primitive(p, v) {
            out.push((path.to_string(), problem, line));
        }
        return;
    }
    match &ty.kind {
        TypeKind::Enum(name) => {
            let Some(e) = model.enums.get(name) else {
                return;
            };
            let Some(s) = v.as_str() else {
                out.push((
                    path.to_string(),
                    format!("expected a member of {name}, found {}", kind(v)),
                    Some(e.pos.line),
                ));
                return;
            };
            for part in s.split(',').map(str::trim) {
                if !e.members.iter().any(|m| m.name == part) {
                    let placeholder = if is_placeholder_value(part) {
                        " (a placeholder: the docs give no real value)"
                    } else {
                        ""
                    };
                    out.push((
                        path.to_string(),
                        format!("`{part}` is not a member of {name}{placeholder}"),
                        Some(e.pos.line),
                    ));
                }
            }
        }
        TypeKind::Complex(name) | TypeKind::Entity(name) => {
            let Some(map) = v.as_object() else {
                out.push((
                    path.to_string(),
                    format!("expected an object ({name}), found {}", kind(v)),
                    line,
                ));
                return;
            };
            let mut actual = name.clone();
            if let Some(t) = map.get("@odata.type").and_then(Value::as_str) {
                let t = model.qualify(t.trim_start_matches('#'));
                match model.struct_def(&t) {
                    Some(_) if model.is_same_or_derived(&t, name) => actual = t,
                    Some(_) => out.push((
                        format!("{path}.@odata.type"),
                        format!("`{t}` is not {name} or derived from it"),
                        None,
                    )),
                    None => out.push((
                        format!("{path}.@odata.type"),
                        format!("`{t}` is not a type of the slice"),
                        None,
                    )),
                }
            }
            let Some(s) = model.struct_def(&actual) else {
                return;
            };
            let open = model.base_chain(&actual).iter().any(|b| b.open_type);
            for (k, item) in map {
                if k.contains('@') {
                    continue;
                }
                let child = format!("{path}.{k}");
                let prop = model
                    .all_properties(&actual)
                    .into_iter()
                    .find(|p| &p.name == k);
                let nav = model
                    .all_navigation_properties(&actual)
                    .into_iter()
                    .find(|n| &n.name == k);
                match (prop, nav) {
                    (Some(p), _) => {
                        decode_nullable(model, item, &p.ty, p.nullable, p.pos.line, &child, out)
                    }
                    (None, Some(n)) => {
                        decode_nullable(model, item, &n.ty, true, n.pos.line, &child, out)
                    }
                    (None, None) if !open => out.push((
                        child,
                        format!("`{k}` is not a property of {actual}"),
                        Some(s.pos.line),
                    )),
                    (None, None) => {}
                }
            }
        }
        _ => {}
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn primitive(p: Primitive, v: &Value) -> Option<String> {
    let want_string = |check: fn(&str) -> bool, what: &str| match v.as_str() {
        Some(s) if check(s) => None,
        Some(s) if is_placeholder_value(s) => Some(format!(
            "`{s}` is not a valid {what} (a placeholder: the docs give no real value)"
        )),
        Some(s) => Some(format!("`{s}` is not a valid {what}")),
        None => Some(format!("expected a string ({what}), found {}", kind(v))),
    };
    match p {
        Primitive::String | Primitive::Binary | Primitive::Duration | Primitive::TimeOfDay => {
            want_string(|_| true, p.edm_name())
        }
        Primitive::Guid => want_string(is_guid, "Edm.Guid"),
        Primitive::DateTimeOffset => want_string(is_date_time, "Edm.DateTimeOffset"),
        Primitive::Date => want_string(is_date, "Edm.Date"),
        Primitive::Boolean => {
            (!v.is_boolean()).then(|| format!("expected a boolean, found {}", kind(v)))
        }
        Primitive::Byte
        | Primitive::SByte
        | Primitive::Int16
        | Primitive::Int32
        | Primitive::Int64 => {
            (!(v.is_i64() || v.is_u64())).then(|| format!("expected an integer, found {}", kind(v)))
        }
        Primitive::Double | Primitive::Single | Primitive::Decimal => {
            (!v.is_number()).then(|| format!("expected a number, found {}", kind(v)))
        }
        _ => None,
    }
}

fn is_guid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(p, n)| p.len() == n && p.chars().all(|c| c.is_ascii_hexdigit()))
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && [0, 1, 2, 3, 5, 6, 8, 9]
            .iter()
            .all(|&i| b[i].is_ascii_digit())
}

/// RFC 3339: `2025-05-22T17:14:52Z`, fractions and offsets allowed.
fn is_date_time(s: &str) -> bool {
    let Some((date, time)) = s.split_once(['T', 't']) else {
        return false;
    };
    if !is_date(date) {
        return false;
    }
    let b = time.as_bytes();
    if b.len() < 9 || b[2] != b':' || b[5] != b':' {
        return false;
    }
    if ![0, 1, 3, 4, 6, 7].iter().all(|&i| b[i].is_ascii_digit()) {
        return false;
    }
    let mut rest = &time[8..];
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.chars().take_while(char::is_ascii_digit).count();
        if digits == 0 {
            return false;
        }
        rest = &frac[digits..];
    }
    rest == "Z"
        || rest == "z"
        || (rest.len() == 6
            && (rest.starts_with('+') || rest.starts_with('-'))
            && rest.as_bytes()[3] == b':')
}

/// The report for people: findings by class, each with both locations and
/// the patch skeleton when there is one.
/// For each documented operation, the bound operation its request calls
/// (`POST …/{id}/validate`), `None` for requests on resources (CRUD).
pub fn called_operations<'m>(
    model: &'m Model,
    ops: &[OperationDoc],
) -> Vec<Option<&'m OperationDef>> {
    let tree = url_tree(model);
    ops.iter()
        .map(|op| {
            op.http_requests
                .iter()
                .find_map(|r| match resolve(model, &tree, &r.path) {
                    Ok(Target::Operation(called, ..)) => Some(called),
                    _ => None,
                })
        })
        .collect()
}

pub fn markdown(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# docs-check: {} findings\n", report.findings.len());
    let _ = writeln!(out, "| Class | Findings |\n|:---|---:|");
    for c in FindingClass::ALL {
        let _ = writeln!(
            out,
            "| {} (`{}`) | {} |",
            c.title(),
            c.name(),
            report.count(c)
        );
    }
    for c in FindingClass::ALL {
        let findings: Vec<&Finding> = report.findings.iter().filter(|f| f.class == c).collect();
        if findings.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n## {} ({})\n", c.title(), findings.len());
        for f in findings {
            let _ = writeln!(out, "- **{}**: {}", f.subject, f.message);
            let _ = writeln!(
                out,
                "  docs: {} · metadata: {}",
                f.docs.as_deref().unwrap_or("(none)"),
                f.csdl.as_deref().unwrap_or("(none)")
            );
            if let Some(p) = &f.patch {
                let _ = writeln!(out, "  patch skeleton:\n\n  ```toml");
                for l in p.lines() {
                    let _ = writeln!(out, "  {l}");
                }
                let _ = writeln!(out, "  ```");
            }
        }
    }
    out
}

pub fn json(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(report).expect("the report serialises");
    s.push('\n');
    s
}

/// A few lines for `regen`: counts per class, then the first findings.
pub fn summary(report: &Report, limit: usize) -> String {
    let mut out = String::new();
    let counts: Vec<String> = FindingClass::ALL
        .iter()
        .filter(|c| report.count(**c) > 0)
        .map(|c| format!("{} {}", report.count(*c), c.name()))
        .collect();
    let _ = writeln!(
        out,
        "docs check: {} findings{}",
        report.findings.len(),
        if counts.is_empty() {
            String::new()
        } else {
            format!(" ({})", counts.join(", "))
        }
    );
    for f in report.findings.iter().take(limit) {
        let _ = writeln!(out, "  [{}] {}: {}", f.class.name(), f.subject, f.message);
    }
    if report.findings.len() > limit {
        let _ = writeln!(
            out,
            "  … and {} more (`cargo xtask docs-check` lists them all)",
            report.findings.len() - limit
        );
    }
    out
}
