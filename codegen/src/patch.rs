//! Declarative metadata patches (`metadata/patches/*.toml`), applied to the
//! syntax tree before slicing, in file-name order.
//!
//! A patch corrects the published metadata where the documentation shows it
//! is wrong or incomplete. Every element a patch touches gets a
//! `GraphMigrations.Sdk.V1.Patched` annotation naming the patch, so the
//! sliced CSDL, the generated docs and the API surface all show that a patch
//! is in force.
//!
//! ```toml
//! description = "why"
//! documentation = "graph-docs/api/page.md"   # relative to ../shared/api-docs
//!
//! [[change]]
//! action = "add"                     # add | remove | set-attribute | add-annotation | remove-annotation
//! schema = "microsoft.graph"         # for add: the schema that receives the elements
//! xml = '''<Action Name="x" ...>...</Action>'''
//!
//! [[change]]
//! action = "set-attribute"
//! target = "microsoft.graph.crossTenantMigrationTask/taskType"
//! attribute = "Type"
//! value = "microsoft.graph.crossTenantMigrationTaskType"
//! ```

use serde::Deserialize;
use toml::Spanned;

use crate::csdl::syntax::{self, Annotation, Document, Expr, ExprKind, Pos, Schema};
use crate::csdl::{Diagnostic, Diagnostics, parse_fragment};
use crate::lines::pos_of;
use crate::model::vocab;

#[derive(Clone, Debug)]
pub struct Patch {
    pub file: String,
    pub description: String,
    pub documentation: String,
    pub changes: Vec<Change>,
    /// SHA-256 of the patch file's text: the entity container records it,
    /// so a patch edited after the committed slice was made is noticed.
    pub digest: String,
}

#[derive(Clone, Debug)]
pub struct Change {
    pub pos: Pos,
    pub target_pos: Pos,
    pub kind: ChangeKind,
}

#[derive(Clone, Debug)]
pub enum ChangeKind {
    Add {
        schema: String,
        elements: Box<Schema>,
    },
    Remove {
        target: String,
    },
    SetAttribute {
        target: String,
        attribute: String,
        value: String,
    },
    AddAnnotation {
        target: String,
        annotations: Vec<Annotation>,
    },
    RemoveAnnotation {
        target: String,
        term: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPatch {
    description: String,
    documentation: String,
    #[serde(rename = "change")]
    changes: Vec<Spanned<RawChange>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChange {
    action: Spanned<String>,
    schema: Option<String>,
    target: Option<Spanned<String>>,
    xml: Option<Spanned<String>>,
    attribute: Option<String>,
    value: Option<String>,
    term: Option<String>,
}

impl Patch {
    pub fn from_toml(file: &str, text: &str) -> Result<Patch, Diagnostics> {
        let err = |offset: usize, msg: String| {
            Diagnostics::from(Diagnostic::error(file, pos_of(text, offset), msg))
        };
        let raw: RawPatch = toml::from_str(text).map_err(|e| {
            err(
                e.span().map(|s| s.start).unwrap_or(0),
                format!("invalid patch: {}", e.message().trim()),
            )
        })?;
        let mut changes = Vec::new();
        for spanned in raw.changes {
            let at = spanned.span().start;
            let c = spanned.into_inner();
            let pos = pos_of(text, at);
            let target_pos = c
                .target
                .as_ref()
                .map(|t| pos_of(text, t.span().start))
                .unwrap_or(pos);
            let need = |v: Option<Spanned<String>>, what: &str| {
                v.map(Spanned::into_inner).ok_or_else(|| {
                    err(
                        at,
                        format!("change \"{}\" needs a \"{what}\" field", c.action.get_ref()),
                    )
                })
            };
            let action_at = c.action.span().start;
            let kind = match c.action.get_ref().as_str() {
                "add" => {
                    let schema = c
                        .schema
                        .clone()
                        .ok_or_else(|| err(at, "change \"add\" needs a \"schema\" field".into()))?;
                    let xml = c
                        .xml
                        .ok_or_else(|| err(at, "change \"add\" needs an \"xml\" field".into()))?;
                    let base = xml_base(text, xml.span().start);
                    let elements = parse_fragment(file, xml.get_ref(), base, &schema)?;
                    ChangeKind::Add {
                        schema,
                        elements: Box::new(elements),
                    }
                }
                "remove" => ChangeKind::Remove {
                    target: need(c.target, "target")?,
                },
                "set-attribute" => ChangeKind::SetAttribute {
                    target: need(c.target, "target")?,
                    attribute: c.attribute.ok_or_else(|| {
                        err(
                            at,
                            "change \"set-attribute\" needs an \"attribute\" field".into(),
                        )
                    })?,
                    value: c.value.ok_or_else(|| {
                        err(
                            at,
                            "change \"set-attribute\" needs a \"value\" field".into(),
                        )
                    })?,
                },
                "add-annotation" => {
                    let target = need(c.target, "target")?;
                    let xml = c.xml.ok_or_else(|| {
                        err(
                            at,
                            "change \"add-annotation\" needs an \"xml\" field".into(),
                        )
                    })?;
                    let base = xml_base(text, xml.span().start);
                    // Parsed as is, not wrapped in `<Annotations>`: a wrapper
                    // on the first line would shift the columns reported there.
                    // Top-level annotations are the fragment schema's own.
                    let schema = parse_fragment(file, xml.get_ref(), base, "patch")?;
                    if let Some(pos) = non_annotation_element(&schema) {
                        return Err(Diagnostics::from(Diagnostic::error(
                            file,
                            pos,
                            "the xml of an \"add-annotation\" change may only hold <Annotation> elements",
                        )));
                    }
                    let annotations = schema.own_annotations;
                    ChangeKind::AddAnnotation {
                        target,
                        annotations,
                    }
                }
                "remove-annotation" => ChangeKind::RemoveAnnotation {
                    target: need(c.target, "target")?,
                    term: c.term.ok_or_else(|| {
                        err(
                            at,
                            "change \"remove-annotation\" needs a \"term\" field".into(),
                        )
                    })?,
                },
                other => {
                    // Located at the action's value, not at `[[change]]`.
                    return Err(err(
                        action_at,
                        format!(
                            "unknown patch action \"{other}\": expected add, remove, set-attribute, add-annotation or remove-annotation"
                        ),
                    ));
                }
            };
            changes.push(Change {
                pos,
                target_pos,
                kind,
            });
        }
        Ok(Patch {
            file: file.to_string(),
            description: raw.description,
            documentation: raw.documentation,
            changes,
            digest: sha256_hex(text),
        })
    }

    /// The note every patched element carries.
    pub fn note(&self) -> String {
        format!(
            "{}: {} (documentation: {})",
            self.file, self.description, self.documentation
        )
    }

    /// Applies every change; a target that names nothing is an error naming
    /// this patch file and the line of the change.
    pub fn apply(&self, doc: &mut Document) -> Result<(), Diagnostics> {
        let note = self.note();
        // Slicing an already sliced file must give the same bytes; a patch
        // edited since that slice was made cannot be re-applied on top of
        // its earlier self.
        match applied_digest(doc, &self.file) {
            Some(d) if d == self.digest => return Ok(()),
            Some(_) => {
                return Err(Diagnostic::error(
                    self.file.clone(),
                    Pos { line: 1, col: 1 },
                    "this patch changed after the metadata it is recorded in was sliced: \
                     run `cargo xtask regen --from <the full Graph $metadata>` to apply it to the published metadata",
                )
                .into());
            }
            None => {}
        }
        let aliases = alias_map(doc);
        for change in &self.changes {
            let fail = |msg: String| {
                Diagnostics::from(Diagnostic::error(self.file.clone(), change.target_pos, msg))
            };
            match &change.kind {
                ChangeKind::Add { schema, elements } => {
                    let target = doc
                        .schemas
                        .iter_mut()
                        .find(|s| &s.namespace == schema || s.alias.as_deref() == Some(schema.as_str()))
                        .ok_or_else(|| fail(format!("patch adds to schema \"{schema}\", which the metadata does not define")))?;
                    // A schema holds one container at most, and an added one
                    // would not merge with the metadata's: refused, not dropped.
                    if !elements.containers.is_empty() {
                        return Err(fail(
                            "patch adds an <EntityContainer>: a schema holds at most one, and an add cannot merge into the metadata's; expected types, operations, terms or annotations".to_string(),
                        ));
                    }
                    let mut e = (**elements).clone();
                    let mark = |anns: &mut Vec<Annotation>| anns.push(patched_annotation(&note));
                    e.enum_types
                        .iter_mut()
                        .for_each(|x| mark(&mut x.annotations));
                    e.type_definitions
                        .iter_mut()
                        .for_each(|x| mark(&mut x.annotations));
                    e.complex_types
                        .iter_mut()
                        .for_each(|x| mark(&mut x.annotations));
                    e.entity_types
                        .iter_mut()
                        .for_each(|x| mark(&mut x.annotations));
                    e.operations
                        .iter_mut()
                        .for_each(|x| mark(&mut x.annotations));
                    e.terms.iter_mut().for_each(|x| mark(&mut x.annotations));
                    e.annotations
                        .iter_mut()
                        .for_each(|x| mark(&mut x.annotations));
                    if !e.own_annotations.is_empty() {
                        mark(&mut e.own_annotations);
                    }
                    target.enum_types.extend(e.enum_types);
                    target.type_definitions.extend(e.type_definitions);
                    target.complex_types.extend(e.complex_types);
                    target.entity_types.extend(e.entity_types);
                    target.operations.extend(e.operations);
                    target.terms.extend(e.terms);
                    target.annotations.extend(e.annotations);
                    target.own_annotations.extend(e.own_annotations);
                    // The added elements carry positions in this patch file:
                    // a type they name that the metadata lacks must be
                    // reported here, not by the resolver under the CSDL's name.
                    let unknown = unknown_type_refs(doc, &aliases, elements);
                    if !unknown.is_empty() {
                        return Err(Diagnostics(
                            unknown
                                .into_iter()
                                .map(|(name, pos)| {
                                    Diagnostic::error(
                                        self.file.clone(),
                                        pos,
                                        format!(
                                            "patch refers to type \"{name}\", which the metadata ({}) does not define",
                                            doc.file
                                        ),
                                    )
                                })
                                .collect(),
                        ));
                    }
                }
                ChangeKind::Remove { target } => {
                    if !remove(doc, &aliases, target) {
                        return Err(fail(format!(
                            "patch target \"{target}\" names nothing in the metadata"
                        )));
                    }
                }
                ChangeKind::SetAttribute {
                    target,
                    attribute,
                    value,
                } => {
                    // As for added elements: a type the metadata lacks, or a
                    // value that is no type at all, is this patch's error,
                    // not the resolver's at 0:0 (nor a slice that does not
                    // parse again).
                    if matches!(attribute.as_str(), "Type" | "BaseType")
                        && let Some(problem) = type_value_problem(doc, &aliases, attribute, value)
                    {
                        return Err(fail(format!(
                            "patch sets {attribute} of \"{target}\" to \"{value}\"{problem}"
                        )));
                    }
                    // Every overload a target names is set: the first failure
                    // is the patch's error, whichever overload comes last.
                    let mut found: Option<Result<(), String>> = None;
                    with_target(doc, &aliases, target, &mut |mut t| {
                        let result = t.set(attribute, value);
                        found = Some(found.take().unwrap_or(Ok(())).and(result));
                    });
                    match found {
                        None => {
                            return Err(fail(format!(
                                "patch target \"{target}\" names nothing in the metadata"
                            )));
                        }
                        Some(Err(msg)) => return Err(fail(msg)),
                        Some(Ok(())) => {}
                    }
                    with_target(doc, &aliases, target, &mut |mut t| {
                        t.annotations().push(patched_annotation(&note))
                    });
                }
                ChangeKind::AddAnnotation {
                    target,
                    annotations,
                } => {
                    let mut found = false;
                    with_target(doc, &aliases, target, &mut |mut t| {
                        found = true;
                        let anns = t.annotations();
                        anns.extend(annotations.iter().cloned());
                        anns.push(patched_annotation(&note));
                    });
                    if !found {
                        return Err(fail(format!(
                            "patch target \"{target}\" names nothing in the metadata"
                        )));
                    }
                }
                ChangeKind::RemoveAnnotation { target, term } => {
                    // Found on any overload the target names, inline or in an
                    // external annotation block, it is removed; the target is
                    // marked either way.
                    let external = remove_external_annotation(doc, &aliases, target, term);
                    let mut removed = None;
                    with_target(doc, &aliases, target, &mut |mut t| {
                        let anns = t.annotations();
                        let before = anns.len();
                        anns.retain(|a| &a.term != term);
                        let here = before != anns.len();
                        removed = Some(removed.unwrap_or(false) || here);
                        if here || external {
                            anns.push(patched_annotation(&note));
                        }
                    });
                    match removed {
                        None if !external => {
                            return Err(fail(format!(
                                "patch target \"{target}\" names nothing in the metadata"
                            )));
                        }
                        Some(false) if !external => {
                            return Err(fail(format!(
                                "patch target \"{target}\" has no annotation with term \"{term}\""
                            )));
                        }
                        _ => {}
                    }
                }
            }
        }
        // The entity container records every patch applied, even when a
        // slice drops all the elements the patch touched (a SharePoint-only
        // slice keeps nothing of 0001's validate overload): slicing that
        // slice again must not apply the patch a second time.
        if let Some(c) = doc
            .schemas
            .iter_mut()
            .flat_map(|s| &mut s.containers)
            .next()
        {
            c.annotations.push(Annotation {
                term: format!("{}.AppliedPatch", vocab::SDK),
                qualifier: None,
                value: Some(Expr::new(
                    ExprKind::String(format!("{} sha256:{}", self.file, self.digest)),
                    Pos::default(),
                )),
                annotations: Vec::new(),
                pos: Pos::default(),
            });
        }
        Ok(())
    }
}

/// The position of the first element of a fragment that is not an
/// annotation, if any.
fn non_annotation_element(s: &Schema) -> Option<Pos> {
    let mut positions: Vec<Pos> = Vec::new();
    positions.extend(s.enum_types.iter().map(|x| x.pos));
    positions.extend(s.type_definitions.iter().map(|x| x.pos));
    positions.extend(s.complex_types.iter().map(|x| x.pos));
    positions.extend(s.entity_types.iter().map(|x| x.pos));
    positions.extend(s.operations.iter().map(|x| x.pos));
    positions.extend(s.terms.iter().map(|x| x.pos));
    positions.extend(s.containers.iter().map(|x| x.pos));
    // `<Annotations Target=...>` blocks name their own target: not allowed.
    positions.extend(s.annotations.iter().map(|a| a.pos));
    positions.into_iter().min()
}

/// Where the XML of a TOML string starts: the line after `'''` when the
/// string opens with a newline, else the quote's own line.
fn xml_base(text: &str, offset: usize) -> Pos {
    let rest = &text[offset..];
    // TOML drops the line break after the opening quotes, `\r\n` as well
    // as `\n` (a Windows checkout).
    let skip = if rest.starts_with("'''\r\n") || rest.starts_with("\"\"\"\r\n") {
        5
    } else if rest.starts_with("'''\n") || rest.starts_with("\"\"\"\n") {
        4
    } else if rest.starts_with("'''") || rest.starts_with("\"\"\"") {
        3
    } else {
        1
    };
    pos_of(text, offset + skip)
}

/// The type references in `added` (base types, property, parameter, return
/// and term types) that name nothing in `doc`, with where they are written.
/// Edm types and types of namespaces the document only references
/// (`edmx:Include`) are taken on trust, as the resolver does.
fn unknown_type_refs(
    doc: &Document,
    aliases: &[(String, String)],
    added: &Schema,
) -> Vec<(String, Pos)> {
    let mut out = Vec::new();
    let mut check = |name: &str, pos: Pos| {
        if !type_is_known(doc, aliases, name) {
            out.push((name.to_string(), pos));
        }
    };
    for t in added.complex_types.iter().chain(&added.entity_types) {
        if let Some(b) = &t.base_type {
            check(b, t.pos);
        }
        for p in &t.properties {
            check(&p.ty.name, p.ty.pos);
        }
        for n in &t.navigation_properties {
            check(&n.ty.name, n.ty.pos);
        }
    }
    for o in &added.operations {
        for p in &o.parameters {
            check(&p.ty.name, p.ty.pos);
        }
        if let Some(r) = &o.return_type {
            check(&r.ty.name, r.ty.pos);
        }
    }
    for t in &added.terms {
        check(&t.ty.name, t.ty.pos);
    }
    out
}

/// What is wrong with `value` as the `Type` or `BaseType` a patch sets, as
/// the end of a sentence, if anything.
fn type_value_problem(
    doc: &Document,
    aliases: &[(String, String)],
    attribute: &str,
    value: &str,
) -> Option<String> {
    let element = match value
        .strip_prefix("Collection(")
        .and_then(|v| v.strip_suffix(')'))
    {
        Some(_) if attribute == "BaseType" => {
            return Some(
                ": expected the qualified name of a structured type, not a collection".into(),
            );
        }
        Some(inner) => inner,
        None => value,
    };
    let mut segments = element.split('.');
    let well_formed = element.contains('.')
        && segments.all(|s| {
            s.chars()
                .next()
                .is_some_and(|c| c.is_alphabetic() || c == '_')
                && s.chars().all(|c| c.is_alphanumeric() || c == '_')
        });
    if !well_formed {
        return Some(
            ": expected a qualified type name such as Namespace.Type or Collection(Namespace.Type)"
                .into(),
        );
    }
    if let Some(edm) = element.strip_prefix("Edm.") {
        return crate::model::Primitive::from_edm_name(edm)
            .is_none()
            .then(|| format!(": \"{element}\" is no type of the Edm namespace"));
    }
    (!type_is_known(doc, aliases, element))
        .then(|| format!(", which the metadata ({}) does not define", doc.file))
}

/// Whether `name` (alias or namespace qualified) names a type of `doc`, or
/// of a namespace it only references (`edmx:Include`), taken on trust as
/// the resolver does; Edm types always.
fn type_is_known(doc: &Document, aliases: &[(String, String)], name: &str) -> bool {
    let q = qualify(aliases, name);
    // A patch names a handful of types: looking each up in its schema
    // beats indexing every type of the full schema.
    match q.rsplit_once('.') {
        None => false,
        Some(("Edm", _)) => true,
        Some((ns, local)) => match doc.schemas.iter().find(|s| s.namespace == ns) {
            Some(s) => s
                .enum_types
                .iter()
                .map(|t| &t.name)
                .chain(s.type_definitions.iter().map(|t| &t.name))
                .chain(s.complex_types.iter().map(|t| &t.name))
                .chain(s.entity_types.iter().map(|t| &t.name))
                .any(|n| n == local),
            None => doc
                .references
                .iter()
                .flat_map(|r| &r.includes)
                .any(|i| i.namespace == ns || i.alias.as_deref() == Some(ns)),
        },
    }
}

/// The digest recorded on the entity container for a patch file, if the
/// document was already patched with it.
fn applied_digest(doc: &Document, file: &str) -> Option<String> {
    let prefix = format!("{file} sha256:");
    doc.schemas
        .iter()
        .flat_map(|s| &s.containers)
        .flat_map(|c| &c.annotations)
        .filter(|a| vocab::term_is(&a.term, vocab::SDK, "AppliedPatch"))
        .filter_map(|a| a.value.as_ref().and_then(Expr::as_str))
        .find_map(|v| v.strip_prefix(&prefix).map(str::to_string))
}

fn sha256_hex(text: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub fn patched_annotation(note: &str) -> Annotation {
    Annotation {
        term: format!("{}.Patched", vocab::SDK),
        qualifier: None,
        value: Some(Expr::new(
            ExprKind::String(note.to_string()),
            Pos::default(),
        )),
        annotations: Vec::new(),
        pos: Pos::default(),
    }
}

fn alias_map(doc: &Document) -> Vec<(String, String)> {
    doc.schemas
        .iter()
        .filter_map(|s| s.alias.clone().map(|a| (a, s.namespace.clone())))
        .collect()
}

/// Splits `ns.Type/member` into (namespace, local name, member) with the
/// namespace resolved through aliases; operation overloads keep their
/// parameter list in the local name (`cancel(microsoft.graph.x)`).
fn split<'t>(
    aliases: &[(String, String)],
    target: &'t str,
) -> Option<(String, &'t str, Option<&'t str>)> {
    let (head, member) = match target.find('(') {
        Some(_) => {
            let close = target.rfind(')')?;
            let rest = &target[close + 1..];
            (&target[..close + 1], rest.strip_prefix('/'))
        }
        None => match target.split_once('/') {
            Some((h, m)) => (h, Some(m)),
            None => (target, None),
        },
    };
    let name_part = head.split('(').next()?;
    let (ns, _) = name_part.rsplit_once('.')?;
    let local = &head[ns.len() + 1..];
    let ns = aliases
        .iter()
        .find(|(a, _)| a == ns)
        .map(|(_, n)| n.clone())
        .unwrap_or_else(|| ns.to_string());
    Some((ns, local, member))
}

fn qualify(aliases: &[(String, String)], name: &str) -> String {
    if let Some(inner) = name
        .strip_prefix("Collection(")
        .and_then(|r| r.strip_suffix(')'))
    {
        return format!("Collection({})", qualify(aliases, inner.trim()));
    }
    match name.rsplit_once('.') {
        Some((p, l)) => match aliases.iter().find(|(a, _)| a == p) {
            Some((_, ns)) => format!("{ns}.{l}"),
            None => name.to_string(),
        },
        None => name.to_string(),
    }
}

fn op_matches(aliases: &[(String, String)], op: &syntax::Operation, local: &str) -> bool {
    let Some((name, args)) = local.split_once('(') else {
        return op.name == local;
    };
    if op.name != name {
        return false;
    }
    // Only the call's own parenthesis: `Collection(x))` keeps its inner one.
    let args = args.strip_suffix(')').unwrap_or(args);
    let wanted: Vec<String> = args
        .split(',')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(|a| qualify(aliases, a))
        .collect();
    let actual: Vec<String> = op
        .parameters
        .iter()
        .map(|p| qualify(aliases, &p.ty.to_string()))
        .collect();
    // Graph writes an action's target with its binding parameter only; a
    // function's names all of them (the resolver's reading).
    actual == wanted
        || (op.kind == syntax::OperationKind::Action
            && op.is_bound
            && wanted.len() == 1
            && actual.first() == wanted.first())
}

/// A mutable view of whatever a target names.
enum Target<'a> {
    Struct(&'a mut syntax::StructuredType),
    Property(&'a mut syntax::Property),
    Navigation(&'a mut syntax::NavigationProperty),
    Enum(&'a mut syntax::EnumType),
    Member(&'a mut syntax::EnumMember),
    Operation(&'a mut syntax::Operation),
    Parameter(&'a mut syntax::Parameter),
}

impl Target<'_> {
    fn annotations(&mut self) -> &mut Vec<Annotation> {
        match self {
            Target::Struct(x) => &mut x.annotations,
            Target::Property(x) => &mut x.annotations,
            Target::Navigation(x) => &mut x.annotations,
            Target::Enum(x) => &mut x.annotations,
            Target::Member(x) => &mut x.annotations,
            Target::Operation(x) => &mut x.annotations,
            Target::Parameter(x) => &mut x.annotations,
        }
    }

    fn set(&mut self, attribute: &str, value: &str) -> Result<(), String> {
        let flag = |v: &str| match v {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(format!(
                "attribute {attribute} takes \"true\" or \"false\", not \"{value}\""
            )),
        };
        let ty = |v: &str| -> Result<syntax::TypeRef, String> {
            match v.strip_prefix("Collection(") {
                Some(inner) => inner
                    .strip_suffix(')')
                    .map(|n| syntax::TypeRef {
                        collection: true,
                        name: n.to_string(),
                        pos: Pos::default(),
                    })
                    .ok_or_else(|| format!("malformed type \"{v}\": expected \")\"")),
                None => Ok(syntax::TypeRef {
                    collection: false,
                    name: v.to_string(),
                    pos: Pos::default(),
                }),
            }
        };
        match (self, attribute) {
            (Target::Struct(t), "BaseType") => t.base_type = Some(value.to_string()),
            (Target::Struct(t), "Abstract") => t.is_abstract = flag(value)?,
            (Target::Struct(t), "OpenType") => t.open_type = flag(value)?,
            (Target::Property(p), "Type") => p.ty = ty(value)?,
            (Target::Property(p), "Nullable") => p.nullable = Some(flag(value)?),
            (Target::Property(p), "DefaultValue") => p.default_value = Some(value.to_string()),
            (Target::Navigation(n), "Type") => n.ty = ty(value)?,
            (Target::Navigation(n), "Nullable") => n.nullable = Some(flag(value)?),
            (Target::Navigation(n), "ContainsTarget") => n.contains_target = flag(value)?,
            (Target::Enum(e), "IsFlags") => e.is_flags = flag(value)?,
            (Target::Member(m), "Value") => {
                m.value = Some(
                    value
                        .parse()
                        .map_err(|_| format!("Value takes an integer, not \"{value}\""))?,
                )
            }
            (Target::Operation(o), "IsBound") => {
                o.is_bound = flag(value)?;
                if o.is_bound && o.parameters.is_empty() {
                    return Err(
                        "IsBound=\"true\" needs a binding parameter, and this operation has no parameter"
                            .to_string(),
                    );
                }
            }
            (Target::Operation(o), "IsComposable") => o.is_composable = flag(value)?,
            (Target::Operation(o), "EntitySetPath") => o.entity_set_path = Some(value.to_string()),
            (Target::Parameter(p), "Type") => p.ty = ty(value)?,
            (Target::Parameter(p), "Nullable") => p.nullable = Some(flag(value)?),
            (_, other) => {
                return Err(format!(
                    "attribute \"{other}\" cannot be set on this target"
                ));
            }
        }
        Ok(())
    }
}

fn with_target(
    doc: &mut Document,
    aliases: &[(String, String)],
    target: &str,
    f: &mut dyn FnMut(Target<'_>),
) {
    let Some((ns, local, member)) = split(aliases, target) else {
        return;
    };
    for schema in doc.schemas.iter_mut().filter(|s| s.namespace == ns) {
        for t in schema
            .complex_types
            .iter_mut()
            .chain(schema.entity_types.iter_mut())
        {
            if t.name != local {
                continue;
            }
            match member {
                None => f(Target::Struct(t)),
                Some(m) => {
                    if let Some(p) = t.properties.iter_mut().find(|p| p.name == m) {
                        f(Target::Property(p));
                    } else if let Some(n) = t.navigation_properties.iter_mut().find(|n| n.name == m)
                    {
                        f(Target::Navigation(n));
                    }
                }
            }
            return;
        }
        if let Some(e) = schema.enum_types.iter_mut().find(|e| e.name == local) {
            match member {
                None => f(Target::Enum(e)),
                Some(m) => {
                    if let Some(x) = e.members.iter_mut().find(|x| x.name == m) {
                        f(Target::Member(x));
                    }
                }
            }
            return;
        }
        for op in schema
            .operations
            .iter_mut()
            .filter(|o| op_matches(aliases, o, local))
        {
            match member {
                None => f(Target::Operation(op)),
                Some(m) => {
                    if let Some(p) = op.parameters.iter_mut().find(|p| p.name == m) {
                        f(Target::Parameter(p));
                    }
                }
            }
        }
    }
}

fn remove(doc: &mut Document, aliases: &[(String, String)], target: &str) -> bool {
    let Some((ns, local, member)) = split(aliases, target) else {
        return false;
    };
    let mut removed = false;
    for schema in doc.schemas.iter_mut().filter(|s| s.namespace == ns) {
        match member {
            None => {
                let before = schema.complex_types.len()
                    + schema.entity_types.len()
                    + schema.enum_types.len()
                    + schema.operations.len()
                    + schema.type_definitions.len();
                schema.complex_types.retain(|t| t.name != local);
                schema.entity_types.retain(|t| t.name != local);
                schema.enum_types.retain(|t| t.name != local);
                schema.type_definitions.retain(|t| t.name != local);
                schema.operations.retain(|o| !op_matches(aliases, o, local));
                let after = schema.complex_types.len()
                    + schema.entity_types.len()
                    + schema.enum_types.len()
                    + schema.operations.len()
                    + schema.type_definitions.len();
                removed |= before != after;
            }
            Some(m) => {
                for t in schema
                    .complex_types
                    .iter_mut()
                    .chain(schema.entity_types.iter_mut())
                    .filter(|t| t.name == local)
                {
                    let before = t.properties.len() + t.navigation_properties.len();
                    t.properties.retain(|p| p.name != m);
                    t.navigation_properties.retain(|p| p.name != m);
                    removed |= before != t.properties.len() + t.navigation_properties.len();
                }
                for e in schema.enum_types.iter_mut().filter(|e| e.name == local) {
                    let before = e.members.len();
                    e.members.retain(|x| x.name != m);
                    removed |= before != e.members.len();
                }
            }
        }
    }
    if removed {
        // Annotations that targeted the removed element would now name nothing.
        let q = format!("{ns}.{local}");
        let whole = match member {
            Some(m) => format!("{q}/{m}"),
            None => q,
        };
        for schema in &mut doc.schemas {
            schema.annotations.retain(|a| {
                let t = qualify(aliases, &a.target);
                t != whole && !t.starts_with(&format!("{whole}/"))
            });
        }
    }
    removed
}

fn remove_external_annotation(
    doc: &mut Document,
    aliases: &[(String, String)],
    target: &str,
    term: &str,
) -> bool {
    let wanted = qualify(aliases, target);
    let mut removed = false;
    for schema in &mut doc.schemas {
        // A block this removal empties goes; one that was empty already is
        // the metadata's, and stays.
        schema.annotations.retain_mut(|block| {
            if qualify(aliases, &block.target) != wanted {
                return true;
            }
            let before = block.annotations.len();
            block.annotations.retain(|a| a.term != term);
            let here = before != block.annotations.len();
            removed |= here;
            !(here && block.annotations.is_empty())
        });
    }
    removed
}
