//! The type space: the Rust name and type of every OData type in the slice,
//! which types are polymorphic (`AnyX`) and which fields need a `Box`, and
//! the plans of the model files.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use super::documented;
use super::names::{self, assign_unique, pascal};
use super::{
    AnyPlan, Docs, EnumMemberPlan, EnumPlan, FieldPlan, Options, RustType, Setter, StructKind,
    StructPlan, deprecation_note,
};
use crate::csdl::Diagnostics;
use crate::csdl::syntax::{Annotation, Pos, StructuredKind};
use crate::docs::DocsFacts;
use crate::model::{
    EnumDef, Model, NavigationDef, ParameterDef, Primitive, PropertyDef, StructDef, TypeKind,
    TypeRef, vocab,
};

/// A member of a generated struct, whatever it came from (property,
/// navigation property, action parameter).
pub(super) struct Member<'a> {
    pub json: &'a str,
    pub ty: &'a TypeRef,
    pub nullable: bool,
    /// `property`, `navigation property` or `parameter`, for its docs.
    pub what: &'static str,
    pub annotations: &'a [Annotation],
    pub pos: Pos,
}

impl<'a> Member<'a> {
    pub(super) fn property(p: &'a PropertyDef) -> Self {
        Member {
            json: &p.name,
            ty: &p.ty,
            nullable: p.nullable,
            what: "property",
            annotations: &p.annotations,
            pos: p.pos,
        }
    }

    pub(super) fn navigation(n: &'a NavigationDef) -> Self {
        Member {
            json: &n.name,
            ty: &n.ty,
            nullable: n.nullable,
            what: "navigation property",
            annotations: &n.annotations,
            pos: n.pos,
        }
    }

    pub(super) fn parameter(p: &'a ParameterDef) -> Self {
        Member {
            json: &p.name,
            ty: &p.ty,
            nullable: p.nullable,
            what: "parameter",
            annotations: &p.annotations,
            pos: p.pos,
        }
    }
}

pub(super) struct TypeSpace<'m> {
    pub model: &'m Model,
    pub options: &'m Options,
    /// What the documentation says about the slice.
    pub docs: &'m DocsFacts,
    /// Qualified OData name → Rust type name.
    pub names: BTreeMap<String, String>,
    /// Structured types used polymorphically: they get an `AnyX` enum.
    pub polymorphic: BTreeSet<String>,
}

impl<'m> TypeSpace<'m> {
    pub(super) fn new(
        model: &'m Model,
        options: &'m Options,
        docs: &'m DocsFacts,
    ) -> Result<Self, Diagnostics> {
        let names = names::type_names(
            model
                .enums
                .keys()
                .chain(model.structs.keys())
                .map(String::as_str),
            &options.namespace,
        );
        // Two types with one Rust name (`n.thing` and `n.Thing`) would share a
        // module file, one silently overwriting the other.
        let positioned: Vec<(&str, Pos)> = model
            .enums
            .values()
            .map(|e| (e.name.as_str(), e.pos))
            .chain(model.structs.values().map(|s| (s.name.as_str(), s.pos)))
            .collect();
        assign_unique(
            &model.file,
            "the schema's types",
            positioned,
            |q| names::module(&names[q]),
            names::Reserved {
                // `mod.rs` is the module's own file; the others are the
                // modules of types that would hide what the generated code
                // names from the prelude (`String`, `Option`, `Some`, …).
                names: &[
                    "mod", "string", "option", "result", "vec", "box", "some", "none", "ok", "err",
                ],
                suffix: None,
            },
        )?;
        // A type used polymorphically gets the wrapper `AnyX`, which a
        // schema type of that name (`anyThing` beside `thing`) would take too.
        let polymorphic = polymorphic_types(model);
        let taken: BTreeMap<&str, &str> = names
            .iter()
            .map(|(q, r)| (r.as_str(), q.as_str()))
            .collect();
        let clashes: Vec<crate::csdl::Diagnostic> = polymorphic
            .iter()
            .filter_map(|q| {
                let wrapper = format!("Any{}", names[q.as_str()]);
                let other = taken.get(wrapper.as_str())?;
                let pos = model.structs.get(*other).map(|s| s.pos).unwrap_or_default();
                Some(crate::csdl::Diagnostic::error(
                    &model.file,
                    pos,
                    format!(
                        "\"{other}\" becomes the Rust name \"{wrapper}\", which the generator gives \
                         the values of \"{q}\" and its derived types"
                    ),
                ))
            })
            .collect();
        if !clashes.is_empty() {
            return Err(Diagnostics(clashes));
        }
        Ok(TypeSpace {
            model,
            options,
            docs,
            names,
            polymorphic,
        })
    }

    pub(super) fn file(&self) -> &str {
        &self.model.file
    }

    /// The deprecation note of annotated items, dated by the options.
    pub(super) fn deprecated(&self, annotations: &[Annotation]) -> Option<String> {
        vocab::deprecation(annotations)
            .map(|d| deprecation_note(&d, self.options.metadata_date.as_deref()))
    }

    /// The deprecation of a type or any of its base types.
    pub(super) fn type_deprecated(&self, qualified: &str) -> Option<String> {
        if let Some(e) = self.model.enums.get(qualified) {
            return self.deprecated(&e.annotations);
        }
        self.model
            .base_chain(qualified)
            .iter()
            .find_map(|s| self.deprecated(&s.annotations))
    }

    /// The Rust type of a value (collections as `Vec`), without `Field`;
    /// `owner` is the struct holding it, which decides boxing.
    pub(super) fn rust_type(&self, ty: &TypeRef, owner: Option<&str>) -> RustType {
        let inner = match &ty.kind {
            TypeKind::Primitive(p) => primitive(*p).to_string(),
            TypeKind::TypeDefinition(n) => {
                primitive(self.model.type_definitions[n].underlying_type).to_string()
            }
            // A type of a namespace the document references but does not
            // hold: slicing refuses a slice that needs one, so this is only
            // reached for elements outside it; raw JSON loses nothing.
            TypeKind::External(_) => "serde_json::Value".to_string(),
            TypeKind::Enum(n) => {
                let id = &self.names[n];
                if self.model.enums[n].is_flags {
                    format!("crate::runtime::Flags<crate::models::{id}>")
                } else {
                    format!("crate::models::{id}")
                }
            }
            TypeKind::Complex(n) | TypeKind::Entity(n) => {
                let t = format!("crate::models::{}", self.value_name(n));
                match owner {
                    Some(o) if !ty.collection && self.reaches(n, o) => format!("Box<{t}>"),
                    _ => t,
                }
            }
        };
        RustType(if ty.collection {
            format!("Vec<{inner}>")
        } else {
            inner
        })
    }

    /// The Rust name of a value of the structured type: its `AnyX` enum when
    /// it is polymorphic.
    pub(super) fn value_name(&self, qualified: &str) -> String {
        if self.polymorphic.contains(qualified) {
            format!("Any{}", self.names[qualified])
        } else {
            self.names[qualified].clone()
        }
    }

    /// The Rust type for a single value of the given structured type.
    pub(super) fn value_type(&self, qualified: &str) -> RustType {
        let kind = match self.model.struct_def(qualified).map(|s| s.kind) {
            Some(StructuredKind::Entity) => TypeKind::Entity(qualified.to_string()),
            _ => TypeKind::Complex(qualified.to_string()),
        };
        self.rust_type(
            &TypeRef {
                collection: false,
                kind,
            },
            None,
        )
    }

    /// Whether a value of `from`'s Rust type can hold the struct `to` by
    /// value, without a `Vec` in between (so the field needs a `Box`). The
    /// Rust type of a polymorphic type is its `AnyX` enum, which holds any
    /// derived struct by value; navigation properties are fields too.
    fn reaches(&self, from: &str, to: &str) -> bool {
        let mut stack = vec![from];
        let mut seen = HashSet::new();
        while let Some(n) = stack.pop() {
            let mut held = vec![n];
            if self.polymorphic.contains(n) {
                held.extend(self.model.derived_closure(n));
            }
            for s in held {
                if s == to {
                    return true;
                }
                if !seen.insert(s) {
                    continue;
                }
                let properties = self.model.all_properties(s).into_iter().map(|p| &p.ty);
                let navigations = self
                    .model
                    .all_navigation_properties(s)
                    .into_iter()
                    .map(|n| &n.ty);
                for ty in properties.chain(navigations) {
                    if let Some(t) = ty.kind.structured_name()
                        && !ty.collection
                    {
                        stack.push(t);
                    }
                }
            }
        }
        false
    }

    /// The plans of every enum and structured type, in the model's order;
    /// the diagnostics of every type that failed.
    pub(super) fn plan_models(&self) -> Result<(Vec<EnumPlan>, Vec<StructPlan>), Diagnostics> {
        let mut errors = Vec::new();
        let mut enums = Vec::new();
        for e in self.model.enums.values() {
            match self.enum_plan(e) {
                Ok(p) => enums.push(p),
                Err(d) => errors.extend(d.0),
            }
        }
        let mut structs = Vec::new();
        for s in self.model.structs.values() {
            match self.model_struct(s) {
                Ok(p) => structs.push(p),
                Err(d) => errors.extend(d.0),
            }
        }
        if errors.is_empty() {
            Ok((enums, structs))
        } else {
            Err(Diagnostics(errors))
        }
    }

    fn enum_plan(&self, e: &EnumDef) -> Result<EnumPlan, Diagnostics> {
        let rust_name = self.names[&e.name].clone();
        let variants = assign_unique(
            self.file(),
            &format!("enum type {}", e.name),
            e.members.iter().map(|m| (m.name.as_str(), m.pos)),
            pascal,
            names::Reserved {
                names: &["UnknownValue"],
                suffix: Some("Member"),
            },
        )?;
        let members = e
            .members
            .iter()
            .zip(variants)
            .map(|(m, variant)| {
                let mut docs = described(
                    documented::member_description(self.docs, &e.name, &m.name),
                    &m.annotations,
                );
                docs.paragraph(format!("`{}` (value {}).", m.name, m.value));
                EnumMemberPlan {
                    variant,
                    wire: m.name.clone(),
                    docs,
                    deprecated: self.deprecated(&m.annotations),
                }
            })
            .collect();
        let mut docs = described(
            documented::type_description(self.docs, &e.name),
            &e.annotations,
        );
        docs.paragraph(format!(
            "OData enum type `{}`{}.",
            e.name,
            if e.is_flags { " (flags)" } else { "" }
        ));
        docs.paragraph(
            "Forward compatible: a member this version does not know decodes into `UnknownValue` and encodes back \
             unchanged. Known members match case-insensitively and encode in the schema's spelling.",
        );
        Ok(EnumPlan {
            module: names::module(&rust_name),
            rust_name,
            odata_name: e.name.clone(),
            flags: e.is_flags,
            docs,
            deprecated: self.deprecated(&e.annotations),
            members,
        })
    }

    fn model_struct(&self, s: &StructDef) -> Result<StructPlan, Diagnostics> {
        let props = self.model.all_properties(&s.name);
        let navs = self.model.all_navigation_properties(&s.name);
        let members: Vec<Member<'_>> = props
            .iter()
            .map(|p| Member::property(p))
            .chain(navs.iter().map(|n| Member::navigation(n)))
            .collect();
        let rust_name = self.names[&s.name].clone();
        let mut docs = described(
            documented::type_description(self.docs, &s.name),
            &s.annotations,
        );
        docs.paragraph(format!("OData type `{}`.", s.name));
        let fields = self.fields(
            &format!("type {}", s.name),
            &rust_name,
            &members,
            Some(&s.name),
        )?;
        Ok(StructPlan {
            module: names::module(&rust_name),
            kind: StructKind::ODataType {
                odata_name: s.name.clone(),
            },
            docs,
            deprecated: self.deprecated(&s.annotations),
            fields,
            any: self
                .polymorphic
                .contains(&s.name)
                .then(|| self.any_plan(&s.name)),
            edit: None,
            rust_name,
        })
    }

    /// The request body of an action: its parameters as fields.
    pub(super) fn parameters_struct(
        &self,
        rust_name: String,
        module: String,
        signature: String,
        members: &[Member<'_>],
        docs: Docs,
    ) -> Result<StructPlan, Diagnostics> {
        let fields = self.fields(
            &format!("parameters of {signature}"),
            &rust_name,
            members,
            None,
        )?;
        Ok(StructPlan {
            rust_name,
            module,
            kind: StructKind::ActionParameters { signature },
            docs,
            deprecated: None,
            fields,
            any: None,
            edit: None,
        })
    }

    fn fields(
        &self,
        scope: &str,
        owner: &str,
        members: &[Member<'_>],
        owner_for_boxing: Option<&str>,
    ) -> Result<Vec<FieldPlan>, Diagnostics> {
        let field_names = assign_unique(
            self.file(),
            scope,
            members.iter().map(|m| (m.json, m.pos)),
            names::snake,
            names::Reserved {
                names: &["odata_type", "additional_data"],
                suffix: Some("_property"),
            },
        )?;
        let fields: Vec<FieldPlan> = members
            .iter()
            .zip(field_names)
            .map(|(m, rust_name)| {
                let documented = owner_for_boxing.and_then(|owner| {
                    self.model
                        .base_chain(owner)
                        .iter()
                        .find_map(|t| documented::property_description(self.docs, &t.name, m.json))
                });
                let mut docs = described(documented, m.annotations);
                docs.paragraph(format!(
                    "OData {} `{}`: `{}`{}{}.",
                    m.what,
                    m.json,
                    m.ty,
                    if m.nullable {
                        ", nullable"
                    } else {
                        ", not nullable"
                    },
                    if vocab::computed(m.annotations) {
                        ", computed by the service"
                    } else {
                        ""
                    }
                ));
                let bare = rust_name.trim_start_matches("r#");
                let rust_name = names::ident_text(&rust_name);
                let setter = Setter {
                    name: format!("with_{bare}"),
                    docs: setter_docs(
                        format!("Sets `{}` (builder style)", m.json),
                        &docs,
                        owner,
                        &rust_name,
                    ),
                };
                let null_setter = m.nullable.then(|| Setter {
                    name: format!("with_{}_null", bare.trim_end_matches('_')),
                    docs: Docs::line(format!(
                        "Sets `{}` to an explicit `null` (sent as `null` in a request body).",
                        m.json
                    )),
                });
                FieldPlan {
                    json: m.json.to_string(),
                    ty: self.rust_type(m.ty, owner_for_boxing),
                    odata_type: m.ty.to_string(),
                    setter,
                    null_setter,
                    docs,
                    deprecated: self.deprecated(m.annotations),
                    rust_name,
                }
            })
            .collect();
        // `with_x_null` for `x` and `with_x_null` for a member `xNull` would
        // be one method twice.
        let setters = fields.iter().zip(members).flat_map(|(f, m)| {
            std::iter::once((f.setter.name.as_str(), m))
                .chain(f.null_setter.as_ref().map(|n| (n.name.as_str(), m)))
        });
        let mut seen: BTreeMap<&str, &Member<'_>> = BTreeMap::new();
        let mut errors = Vec::new();
        for (setter, m) in setters {
            if let Some(other) = seen.insert(setter, m) {
                errors.push(crate::csdl::Diagnostic::error(
                    self.file(),
                    m.pos,
                    format!(
                        "\"{}\" in {scope} gets the setter \"{setter}\", which \"{}\" (at {}) already has",
                        m.json, other.json, other.pos
                    ),
                ));
            }
        }
        if errors.is_empty() {
            Ok(fields)
        } else {
            Err(Diagnostics(errors))
        }
    }

    fn any_plan(&self, base: &str) -> AnyPlan {
        let base_variant = self.names[base].clone();
        let variants = self
            .model
            .derived_closure(base)
            .into_iter()
            .map(|d| (self.names[d].clone(), self.names[d].clone(), d.to_string()))
            .collect();
        AnyPlan {
            rust_name: format!("Any{base_variant}"),
            base_variant,
            base_odata: base.to_string(),
            variants,
            docs: Docs::line(format!(
                "A `{base}` or any type derived from it, decoded by `@odata.type` (with or without the leading `#`, \
                 compared case-insensitively). An unknown `@odata.type` decodes as the base type and keeps its \
                 `@odata.type` and every property."
            )),
        }
    }
}

/// Description (the documentation's, else the metadata's), long
/// description and patch notes.
pub(super) fn described(documented: Option<String>, annotations: &[Annotation]) -> Docs {
    let mut docs = Docs::new();
    if let Some(d) = documented::description(documented.as_deref(), vocab::description(annotations))
    {
        docs.paragraph(d);
    }
    if let Some(d) = vocab::long_description(annotations) {
        docs.paragraph(d);
    }
    docs.extend(&patch_docs(annotations));
    docs
}

/// The patches in force on an item, one paragraph each.
/// A setter's doc comment: `lead: ` and the field's summary, then a link
/// to the field (rustdoc cannot link to a raw identifier).
pub(super) fn setter_docs(lead: String, field: &Docs, owner: &str, rust_name: &str) -> Docs {
    let mut d = Docs::line(format!("{lead}: {}", field.summary().unwrap_or_default()));
    if !rust_name.starts_with("r#") {
        d.paragraph(format!("See [`{owner}::{rust_name}`]."));
    }
    d
}

pub(super) fn patch_docs(annotations: &[Annotation]) -> Docs {
    let mut docs = Docs::new();
    for p in vocab::patched(annotations) {
        docs.paragraph(format!("**Metadata patch in force**: {p}"));
    }
    docs
}

/// Structured types that have derived types and appear as the declared type
/// of a property, navigation property (an `$expand`ed value carries its
/// derived `@odata.type` too), parameter or return value.
fn polymorphic_types(model: &Model) -> BTreeSet<String> {
    let mut used: BTreeSet<&str> = BTreeSet::new();
    for s in model.structs.values() {
        for p in &s.properties {
            used.extend(p.ty.kind.structured_name());
        }
        for n in &s.navigation_properties {
            used.extend(n.ty.kind.structured_name());
        }
    }
    for o in &model.operations {
        for p in &o.parameters {
            used.extend(p.ty.kind.structured_name());
        }
        if let Some(r) = &o.return_type {
            used.extend(r.ty.kind.structured_name());
        }
    }
    used.into_iter()
        .filter(|n| model.derived.get(*n).is_some_and(|d| !d.is_empty()))
        .map(str::to_string)
        .collect()
}

fn primitive(p: Primitive) -> &'static str {
    match p {
        Primitive::Binary => "crate::runtime::edm::Binary",
        Primitive::Boolean => "bool",
        Primitive::Byte => "u8",
        Primitive::SByte => "i8",
        Primitive::Int16 => "i16",
        Primitive::Int32 => "i32",
        Primitive::Int64 => "crate::runtime::edm::Int64",
        Primitive::Date => "crate::runtime::edm::Date",
        Primitive::DateTimeOffset => "crate::runtime::edm::DateTimeOffset",
        Primitive::TimeOfDay => "crate::runtime::edm::TimeOfDay",
        Primitive::Duration => "crate::runtime::edm::Duration",
        Primitive::Decimal => "crate::runtime::edm::Decimal",
        Primitive::Double => "crate::runtime::edm::Double",
        Primitive::Single => "crate::runtime::edm::Single",
        Primitive::Guid => "crate::runtime::edm::Guid",
        Primitive::String => "String",
        // Streams, untyped values and spatial types travel as raw JSON.
        _ => "serde_json::Value",
    }
}
