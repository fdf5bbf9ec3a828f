//! The CSDL grammar: one method per element kind, each reading the
//! element's attributes, then its children up to its end tag.

use std::borrow::Cow;

use super::events::{Elem, Ns, TextMode};
use super::values::{self, excerpt};
use super::{PResult, Parser, exact};
use crate::csdl::syntax::*;

const EDMX_CHILDREN: &str = "<edmx:Reference> or <edmx:DataServices>";
const SCHEMA_CHILDREN: &str = "<EnumType>, <TypeDefinition>, <ComplexType>, <EntityType>, <Action>, <Function>, <Term>, <EntityContainer>, <Annotations> or <Annotation>";
const ENUM_CHILDREN: &str = "<Member> or <Annotation>";
const ANNOTATION_ONLY: &str = "<Annotation>";
const COMPLEX_CHILDREN: &str = "<Property>, <NavigationProperty> or <Annotation>";
const ENTITY_CHILDREN: &str = "<Key>, <Property>, <NavigationProperty> or <Annotation>";
const NAVIGATION_CHILDREN: &str = "<ReferentialConstraint>, <OnDelete> or <Annotation>";
const REFERENCE_ANNOTATION_CHILDREN: &str =
    "<edmx:Include>, <edmx:IncludeAnnotations> or <Annotation>";
const OPERATION_CHILDREN: &str = "<Parameter>, <ReturnType> or <Annotation>";
const CONTAINER_CHILDREN: &str =
    "<EntitySet>, <Singleton>, <ActionImport>, <FunctionImport> or <Annotation>";
const SET_CHILDREN: &str = "<NavigationPropertyBinding> or <Annotation>";
const ANNOTATION_CHILDREN: &str =
    "an expression such as <String>, <Record> or <Collection>, or <Annotation>";
const OPERAND_CHILDREN: &str = "expressions such as <Path>, <Apply> or <Eq>, or <Annotation>";
const RECORD_CHILDREN: &str = "<PropertyValue> or <Annotation>";
const COLLECTION_CHILDREN: &str = "expressions such as <String>, <Record> or <Collection>";

/// Constant and path expressions, which have both an attribute and an
/// element form.
pub(super) const CONSTANT_EXPRESSIONS: &[&str] = &[
    "String",
    "Bool",
    "Int",
    "Float",
    "Decimal",
    "Date",
    "DateTimeOffset",
    "Duration",
    "Guid",
    "TimeOfDay",
    "Binary",
    "EnumMember",
    "Path",
    "PropertyPath",
    "NavigationPropertyPath",
    "AnnotationPath",
    "ModelElementPath",
];

/// Expressions that are elements only: `<LabeledElementReference>` holds
/// text, the others hold expressions.
pub(super) const ELEMENT_EXPRESSIONS: &[&str] = &[
    "Null",
    "Record",
    "Collection",
    "Apply",
    "If",
    "Cast",
    "IsOf",
    "LabeledElement",
    "LabeledElementReference",
    "UrlRef",
];

/// Where an annotation's or property value's value came from so far.
#[derive(Default)]
struct ValueSlot {
    value: Option<Expr>,
    attribute: Option<&'static str>,
}

/// The EDMX version of a pre-V4 edmx namespace (OData V1–V3 and Entity
/// Framework metadata).
fn legacy_edmx(uri: &str) -> Option<&'static str> {
    match uri {
        "http://schemas.microsoft.com/ado/2007/06/edmx" => Some("1.0"),
        "http://schemas.microsoft.com/ado/2008/10/edmx" => Some("2.0"),
        "http://schemas.microsoft.com/ado/2009/11/edmx" => Some("3.0"),
        _ => None,
    }
}

/// The CSDL version of a pre-V4 edm namespace.
fn legacy_edm(uri: &str) -> Option<&'static str> {
    match uri {
        "http://schemas.microsoft.com/ado/2006/04/edm" => Some("1.0"),
        "http://schemas.microsoft.com/ado/2007/05/edm" => Some("1.1"),
        "http://schemas.microsoft.com/ado/2008/01/edm" => Some("1.2"),
        "http://schemas.microsoft.com/ado/2008/09/edm" => Some("2.0"),
        "http://schemas.microsoft.com/ado/2009/11/edm" => Some("3.0"),
        _ => None,
    }
}

fn trim_cow(text: Cow<'_, str>) -> Cow<'_, str> {
    match text {
        Cow::Borrowed(s) => Cow::Borrowed(s.trim()),
        Cow::Owned(s) if s.trim().len() == s.len() => Cow::Owned(s),
        Cow::Owned(s) => Cow::Owned(s.trim().to_string()),
    }
}

impl<'a> Parser<'a> {
    // ----- attribute conveniences -------------------------------------

    fn string(&mut self, el: &Elem<'a>, name: &str) -> Option<String> {
        self.attr(el, name).map(|v| v.text.into_owned())
    }

    fn required_string(&mut self, el: &Elem<'a>, name: &str) -> String {
        self.required(el, name)
            .map(|v| v.text.into_owned())
            .unwrap_or_default()
    }

    /// An attribute whose value must pass `valid`; otherwise a located error
    /// saying what was `expected` (the value is still returned, so parsing
    /// goes on and reports further errors).
    fn checked(
        &mut self,
        el: &Elem<'a>,
        name: &str,
        required: bool,
        valid: impl Fn(&str) -> bool,
        expected: &str,
    ) -> Option<String> {
        let v = if required {
            self.required(el, name)?
        } else {
            self.attr(el, name)?
        };
        if !valid(&v.text) {
            self.error(
                v.offset,
                format!(
                    "invalid {name} \"{}\" on <{}>: expected {expected}",
                    excerpt(&v.text, 60),
                    el.qname
                ),
            );
        }
        Some(v.text.into_owned())
    }

    /// A SimpleIdentifier attribute.
    fn identifier(&mut self, el: &Elem<'a>, name: &str, required: bool) -> Option<String> {
        self.checked(
            el,
            name,
            required,
            values::is_simple_identifier,
            "a simple identifier (a letter or \"_\" followed by letters, digits or \"_\")",
        )
    }

    /// The required `Name` attribute.
    fn name(&mut self, el: &Elem<'a>) -> String {
        self.identifier(el, "Name", true).unwrap_or_default()
    }

    /// A qualified name attribute (`Namespace.Name`).
    fn qualified(&mut self, el: &Elem<'a>, name: &str, required: bool) -> Option<String> {
        self.checked(
            el,
            name,
            required,
            values::is_qualified_name,
            "a qualified name such as Namespace.Name",
        )
    }

    /// A namespace attribute: dot-separated identifiers.
    fn namespace(&mut self, el: &Elem<'a>, name: &str) -> String {
        let Some(v) = self.required(el, name) else {
            return String::new();
        };
        if !values::is_dotted(&v.text, 1) {
            self.error(
                v.offset,
                format!(
                    "invalid {name} \"{}\" on <{}>: expected dot-separated simple identifiers such as microsoft.graph",
                    excerpt(&v.text, 60),
                    el.qname
                ),
            );
        }
        v.text.into_owned()
    }

    fn boolean(&mut self, el: &Elem<'a>, name: &str) -> Option<bool> {
        let v = self.attr(el, name)?;
        match values::parse_bool(&v.text) {
            Some(b) => Some(b),
            None => {
                self.error(
                    v.offset,
                    format!(
                        "invalid {name} value \"{}\": expected \"true\" or \"false\"",
                        excerpt(&v.text, 40)
                    ),
                );
                None
            }
        }
    }

    /// A required type reference attribute.
    fn type_ref(&mut self, el: &Elem<'a>, name: &str, pos: Pos) -> TypeRef {
        let Some(v) = self.required(el, name) else {
            return TypeRef {
                pos,
                ..TypeRef::default()
            };
        };
        match values::parse_type_ref(&v.text) {
            Ok((collection, type_name)) => TypeRef {
                collection,
                name: type_name.to_string(),
                pos,
            },
            Err(message) => {
                self.error(v.offset, message);
                TypeRef {
                    collection: false,
                    name: v.text.into_owned(),
                    pos,
                }
            }
        }
    }

    fn facets(&mut self, el: &Elem<'a>) -> Facets {
        // Most elements have no facet at all.
        let any = self.attr_list().iter().any(|a| {
            matches!(
                a.key,
                "MaxLength" | "Precision" | "Scale" | "Unicode" | "SRID"
            )
        });
        if !any {
            return Facets::default();
        }
        let max_length = self.attr(el, "MaxLength").map(|v| {
            if v.text != "max" && !values::is_digits(&v.text) {
                self.error(
                    v.offset,
                    format!(
                        "invalid MaxLength value \"{}\": expected a non-negative integer or \"max\"",
                        excerpt(&v.text, 40)
                    ),
                );
            }
            v.text.into_owned()
        });
        let precision = self
            .attr(el, "Precision")
            .and_then(|v| match values::parse_u32(&v.text) {
                Some(n) => Some(n),
                None => {
                    self.error(
                        v.offset,
                        format!(
                            "invalid Precision value \"{}\": expected a non-negative integer",
                            excerpt(&v.text, 40)
                        ),
                    );
                    None
                }
            });
        let scale = self.attr(el, "Scale").map(|v| {
            if !matches!(&*v.text, "variable" | "floating") && !values::is_digits(&v.text) {
                self.error(
                    v.offset,
                    format!(
                        "invalid Scale value \"{}\": expected a non-negative integer, \"variable\" or \"floating\"",
                        excerpt(&v.text, 40)
                    ),
                );
            }
            v.text.into_owned()
        });
        let unicode = self.boolean(el, "Unicode");
        let srid = self.attr(el, "SRID").map(|v| {
            if v.text != "variable" && !values::is_digits(&v.text) {
                self.error(
                    v.offset,
                    format!(
                        "invalid SRID value \"{}\": expected a non-negative integer or \"variable\"",
                        excerpt(&v.text, 40)
                    ),
                );
            }
            v.text.into_owned()
        });
        FacetValues {
            max_length,
            precision,
            scale,
            unicode,
            srid,
        }
        .into()
    }

    // ----- document structure -----------------------------------------

    /// `edmx:Edmx`, the root.
    pub(super) fn edmx(&mut self, root: Elem<'a>) -> PResult<Document> {
        if root.local != "Edmx" {
            return Err(self.fatal(
                root.offset,
                format!("expected root element <edmx:Edmx>, found <{}>", root.qname),
            ));
        }
        if let Ns::Other(uri) = root.ns
            && let Some(edmx) = legacy_edmx(uri)
        {
            return Err(self.legacy(root, edmx));
        }
        if root.ns != Ns::Edmx {
            return Err(self.fatal(
                root.offset,
                format!(
                    "root element <{}> is not in the edmx namespace: expected xmlns:edmx=\"{}\"",
                    root.qname,
                    super::events::EDMX_NS
                ),
            ));
        }
        let mut document = Document {
            file: self.file.to_string(),
            ..Document::default()
        };
        if let Some(v) = self.required(&root, "Version") {
            if v.text != "4.0" && v.text != "4.01" {
                self.error(
                    v.offset,
                    format!(
                        "unsupported Version \"{}\" on <{}>: expected \"4.0\" or \"4.01\"",
                        excerpt(&v.text, 20),
                        root.qname
                    ),
                );
            }
            document.version = v.text.into_owned();
        }
        let mut data_services: Option<usize> = None;
        while let Some(child) = self.next_child(&root, TextMode::Report)? {
            match child.edmx() {
                Some("Reference") => {
                    let reference = self.reference(child)?;
                    document.references.push(reference);
                }
                Some("DataServices") => {
                    if let Some(first) = data_services {
                        let first = self.pos(first);
                        self.error(
                            child.offset,
                            format!(
                                "unexpected second <{}> in <{}>: expected one (the first is at {first})",
                                child.qname, root.qname
                            ),
                        );
                        self.skip(child)?;
                    } else {
                        data_services = Some(child.offset);
                        self.data_services(child, &mut document.schemas)?;
                    }
                }
                _ => self.unexpected(child, &root, EDMX_CHILDREN)?,
            }
        }
        if data_services.is_none() {
            self.error(
                root.offset,
                format!("expected <edmx:DataServices> in <{}>", root.qname),
            );
        }
        Ok(document)
    }

    /// The one error for an OData V1–V3 document (EDMX 1.0 to 3.0), naming
    /// its OData version when its `DataServices` says it.
    fn legacy(&mut self, root: Elem<'a>, edmx: &str) -> super::Fatal {
        let version = self
            .attr_list()
            .iter()
            .find(|a| a.key == "Version")
            .map(|a| a.value);
        let before = self.diags.len();
        // DataServiceVersion is on the first child: peek at it. A malformed
        // document still gets only the one error below.
        let service_version = match self.next_child(&root, TextMode::Ignore) {
            Ok(Some(child)) if child.local == "DataServices" => self
                .attr_list()
                .iter()
                .find(|a| a.key == "DataServiceVersion" || a.key.ends_with(":DataServiceVersion"))
                .map(|a| a.value),
            _ => None,
        };
        self.diags.truncate(before);
        self.has_error = self
            .diags
            .iter()
            .any(|d| d.severity == crate::Severity::Error);
        let odata = match service_version.map(str::trim) {
            Some(v @ ("1.0" | "2.0" | "3.0")) => format!("an OData V{} document", &v[..1]),
            _ => "an OData V2/V3 document".to_string(),
        };
        let mut what = format!("EDMX {edmx}");
        if let Some(v) = version {
            what.push_str(&format!(", Version=\"{}\"", excerpt(v, 20)));
        }
        if let Some(v) = service_version {
            what.push_str(&format!(", DataServiceVersion=\"{}\"", excerpt(v, 20)));
        }
        self.fatal(
            root.offset,
            format!(
                "<{}> is {odata} ({what}): OData V2 and V3 metadata is not supported, expected OData V4 CSDL (xmlns:edmx=\"{}\", Version \"4.0\" or \"4.01\")",
                root.qname,
                super::events::EDMX_NS
            ),
        )
    }

    fn reference(&mut self, el: Elem<'a>) -> PResult<Reference> {
        let pos = self.pos(el.offset);
        let uri = self.required_string(&el, "Uri");
        let mut reference = Reference {
            uri,
            pos,
            ..Reference::default()
        };
        while let Some(child) = self.next_child(&el, TextMode::Report)? {
            if child.edmx() == Some("Include") {
                let pos = self.pos(child.offset);
                let namespace = self.namespace(&child, "Namespace");
                let alias = self.identifier(&child, "Alias", false);
                let mut include = Include {
                    namespace,
                    alias,
                    annotations: Vec::new(),
                    pos,
                };
                self.annotations_only(&child, &mut include.annotations)?;
                reference.includes.push(include);
            } else if child.edmx() == Some("IncludeAnnotations") {
                let pos = self.pos(child.offset);
                let term_namespace = self.namespace(&child, "TermNamespace");
                let qualifier = self.identifier(&child, "Qualifier", false);
                let target_namespace = self
                    .attr(&child, "TargetNamespace")
                    .map(|v| v.text.into_owned());
                self.no_children(&child)?;
                reference.include_annotations.push(IncludeAnnotations {
                    term_namespace,
                    qualifier,
                    target_namespace,
                    pos,
                });
            } else if child.csdl() == Some("Annotation") {
                self.push_annotation(child, &mut reference.annotations)?;
            } else {
                self.unexpected(child, &el, REFERENCE_ANNOTATION_CHILDREN)?;
            }
        }
        Ok(reference)
    }

    fn data_services(&mut self, el: Elem<'a>, schemas: &mut Vec<Schema>) -> PResult<()> {
        let before = schemas.len();
        let mut legacy = false;
        while let Some(child) = self.next_child(&el, TextMode::Report)? {
            if child.csdl() == Some("Schema") {
                let schema = self.schema(child)?;
                schemas.push(schema);
            } else if let Ns::Other(uri) = child.ns
                && child.local == "Schema"
                && let Some(csdl) = legacy_edm(uri)
            {
                self.error(
                    child.offset,
                    format!(
                        "<{}> is in the CSDL {csdl} namespace \"{uri}\" of OData V1-V3: OData V2 and V3 metadata is not supported, expected xmlns=\"{}\"",
                        child.qname,
                        super::events::EDM_NS
                    ),
                );
                legacy = true;
                self.skip(child)?;
            } else {
                self.unexpected(child, &el, "<Schema>")?;
            }
        }
        if schemas.len() == before && !legacy {
            self.error(
                el.offset,
                format!("expected at least one <Schema> in <{}>", el.qname),
            );
        }
        Ok(())
    }

    fn schema(&mut self, el: Elem<'a>) -> PResult<Schema> {
        let pos = self.pos(el.offset);
        let namespace = self.namespace(&el, "Namespace");
        let alias = self.identifier(&el, "Alias", false);
        let mut schema = Schema {
            namespace,
            alias,
            pos,
            ..Schema::default()
        };
        while let Some(child) = self.next_child(&el, TextMode::Report)? {
            self.schema_item(&mut schema, &el, child)?;
        }
        Ok(schema)
    }

    /// One element of a schema (or of a fragment).
    pub(super) fn schema_item(
        &mut self,
        schema: &mut Schema,
        parent: &Elem<'a>,
        child: Elem<'a>,
    ) -> PResult<()> {
        match child.csdl() {
            Some("EnumType") => {
                let x = self.enum_type(child)?;
                schema.enum_types.push(x);
            }
            Some("TypeDefinition") => {
                let x = self.type_definition(child)?;
                schema.type_definitions.push(x);
            }
            Some("ComplexType") => {
                let x = self.structured(child, StructuredKind::Complex)?;
                schema.complex_types.push(x);
            }
            Some("EntityType") => {
                let x = self.structured(child, StructuredKind::Entity)?;
                schema.entity_types.push(x);
            }
            Some("Action") => {
                let x = self.operation(child, OperationKind::Action)?;
                schema.operations.push(x);
            }
            Some("Function") => {
                let x = self.operation(child, OperationKind::Function)?;
                schema.operations.push(x);
            }
            Some("Term") => {
                let x = self.term(child)?;
                schema.terms.push(x);
            }
            Some("EntityContainer") => {
                let x = self.container(child)?;
                schema.containers.push(x);
            }
            Some("Annotations") => {
                let x = self.annotations_block(child)?;
                schema.annotations.push(x);
            }
            Some("Annotation") => self.push_annotation(child, &mut schema.own_annotations)?,
            _ => self.unexpected(child, parent, SCHEMA_CHILDREN)?,
        }
        Ok(())
    }

    /// Reports and skips a second `child` where `parent` (named `name`)
    /// allows at most one.
    fn second_child(&mut self, child: Elem<'a>, parent: &Elem<'a>, name: &str) -> PResult<()> {
        self.error(
            child.offset,
            format!(
                "unexpected second <{}> in <{} Name=\"{name}\">: expected at most one",
                child.qname, parent.qname
            ),
        );
        self.skip(child)
    }

    /// Children that may only be annotations.
    fn annotations_only(&mut self, el: &Elem<'a>, out: &mut Vec<Annotation>) -> PResult<()> {
        while let Some(child) = self.next_child(el, TextMode::Report)? {
            if child.csdl() == Some("Annotation") {
                self.push_annotation(child, out)?;
            } else {
                self.unexpected(child, el, ANNOTATION_ONLY)?;
            }
        }
        Ok(())
    }

    fn push_annotation(&mut self, el: Elem<'a>, out: &mut Vec<Annotation>) -> PResult<()> {
        let annotation = self.annotation(el)?;
        out.push(annotation);
        Ok(())
    }

    // ----- types ------------------------------------------------------

    fn enum_type(&mut self, el: Elem<'a>) -> PResult<EnumType> {
        let pos = self.pos(el.offset);
        let name = self.name(&el);
        let underlying_type = self.qualified(&el, "UnderlyingType", false);
        let is_flags = self.boolean(&el, "IsFlags").unwrap_or(false);
        let mut enum_type = EnumType {
            name,
            underlying_type,
            is_flags,
            members: Vec::new(),
            annotations: Vec::new(),
            pos,
        };
        self.scratch.members.clear();
        while let Some(child) = self.next_child(&el, TextMode::Report)? {
            match child.csdl() {
                Some("Member") => {
                    let member = self.member(child)?;
                    self.scratch.members.push(member);
                }
                Some("Annotation") => self.push_annotation(child, &mut enum_type.annotations)?,
                _ => self.unexpected(child, &el, ENUM_CHILDREN)?,
            }
        }
        enum_type.members = exact(&mut self.scratch.members);
        Ok(enum_type)
    }

    fn member(&mut self, el: Elem<'a>) -> PResult<EnumMember> {
        let pos = self.pos(el.offset);
        let name = self.name(&el);
        let value = self.attr(&el, "Value").and_then(|v| match v.text.parse::<i64>() {
            Ok(n) => Some(n),
            Err(e) => {
                let message = match e.kind() {
                    std::num::IntErrorKind::PosOverflow | std::num::IntErrorKind::NegOverflow => {
                        format!(
                            "enum member \"{name}\" has Value \"{}\" out of range: expected an integer between {} and {}",
                            excerpt(&v.text, 40),
                            i64::MIN,
                            i64::MAX
                        )
                    }
                    _ => format!(
                        "enum member \"{name}\" has non-numeric Value \"{}\": expected an integer",
                        excerpt(&v.text, 40)
                    ),
                };
                self.error(v.offset, message);
                None
            }
        });
        let mut member = EnumMember {
            name,
            value,
            annotations: Vec::new(),
            pos,
        };
        self.annotations_only(&el, &mut member.annotations)?;
        Ok(member)
    }

    fn type_definition(&mut self, el: Elem<'a>) -> PResult<TypeDefinition> {
        let pos = self.pos(el.offset);
        let name = self.name(&el);
        let underlying_type = self
            .qualified(&el, "UnderlyingType", true)
            .unwrap_or_default();
        let facets = self.facets(&el);
        let mut definition = TypeDefinition {
            name,
            underlying_type,
            facets,
            annotations: Vec::new(),
            pos,
        };
        self.annotations_only(&el, &mut definition.annotations)?;
        Ok(definition)
    }

    fn structured(&mut self, el: Elem<'a>, kind: StructuredKind) -> PResult<StructuredType> {
        let pos = self.pos(el.offset);
        let name = self.name(&el);
        let base_type = self.qualified(&el, "BaseType", false);
        let is_abstract = self.boolean(&el, "Abstract").unwrap_or(false);
        let open_type = self.boolean(&el, "OpenType").unwrap_or(false);
        let has_stream = self.boolean(&el, "HasStream").unwrap_or(false);
        let mut ty = StructuredType {
            kind,
            name,
            base_type,
            is_abstract,
            open_type,
            has_stream,
            key: None,
            properties: Vec::new(),
            navigation_properties: Vec::new(),
            annotations: Vec::new(),
            pos,
        };
        let expected = match kind {
            StructuredKind::Complex => COMPLEX_CHILDREN,
            StructuredKind::Entity => ENTITY_CHILDREN,
        };
        self.scratch.properties.clear();
        self.scratch.navigation_properties.clear();
        while let Some(child) = self.next_child(&el, TextMode::Report)? {
            match child.csdl() {
                Some("Property") => {
                    let property = self.property(child)?;
                    self.scratch.properties.push(property);
                }
                Some("NavigationProperty") => {
                    let navigation = self.navigation_property(child)?;
                    self.scratch.navigation_properties.push(navigation);
                }
                Some("Annotation") => self.push_annotation(child, &mut ty.annotations)?,
                Some("Key") if kind == StructuredKind::Entity => {
                    if ty.key.is_some() {
                        self.second_child(child, &el, &ty.name)?;
                    } else {
                        ty.key = Some(self.key(child)?);
                    }
                }
                _ => self.unexpected(child, &el, expected)?,
            }
        }
        ty.properties = exact(&mut self.scratch.properties);
        ty.navigation_properties = exact(&mut self.scratch.navigation_properties);
        Ok(ty)
    }

    fn key(&mut self, el: Elem<'a>) -> PResult<Key> {
        let pos = self.pos(el.offset);
        let mut key = Key {
            property_refs: Vec::new(),
            pos,
        };
        while let Some(child) = self.next_child(&el, TextMode::Report)? {
            if child.csdl() == Some("PropertyRef") {
                let pos = self.pos(child.offset);
                let name = self.required_string(&child, "Name");
                let alias = self.identifier(&child, "Alias", false);
                self.no_children(&child)?;
                key.property_refs.push(PropertyRef { name, alias, pos });
            } else {
                self.unexpected(child, &el, "<PropertyRef>")?;
            }
        }
        if key.property_refs.is_empty() {
            self.error(
                el.offset,
                format!("expected <PropertyRef> in <{}>", el.qname),
            );
        }
        Ok(key)
    }

    fn property(&mut self, el: Elem<'a>) -> PResult<Property> {
        let pos = self.pos(el.offset);
        let name = self.name(&el);
        let ty = self.type_ref(&el, "Type", pos);
        let nullable = self.boolean(&el, "Nullable");
        let facets = self.facets(&el);
        let default_value = self.string(&el, "DefaultValue");
        let mut property = Property {
            name,
            ty,
            nullable,
            facets,
            default_value,
            annotations: Vec::new(),
            pos,
        };
        self.annotations_only(&el, &mut property.annotations)?;
        Ok(property)
    }

    fn navigation_property(&mut self, el: Elem<'a>) -> PResult<NavigationProperty> {
        let pos = self.pos(el.offset);
        let name = self.name(&el);
        let ty = self.type_ref(&el, "Type", pos);
        let nullable = self.boolean(&el, "Nullable");
        let contains_target = self.boolean(&el, "ContainsTarget").unwrap_or(false);
        let partner = self.string(&el, "Partner");
        let mut navigation = NavigationProperty {
            name,
            ty,
            nullable,
            contains_target,
            partner,
            referential_constraints: Vec::new(),
            on_delete: None,
            annotations: Vec::new(),
            pos,
        };
        while let Some(child) = self.next_child(&el, TextMode::Report)? {
            match child.csdl() {
                Some("ReferentialConstraint") => {
                    let pos = self.pos(child.offset);
                    let property = self.required_string(&child, "Property");
                    let referenced_property = self.required_string(&child, "ReferencedProperty");
                    let mut constraint = ReferentialConstraint {
                        property,
                        referenced_property,
                        annotations: Vec::new(),
                        pos,
                    };
                    self.annotations_only(&child, &mut constraint.annotations)?;
                    navigation.referential_constraints.push(constraint);
                }
                Some("OnDelete") => {
                    if navigation.on_delete.is_some() {
                        self.second_child(child, &el, &navigation.name)?;
                        continue;
                    }
                    let pos = self.pos(child.offset);
                    let action = self.required_string(&child, "Action");
                    if !action.is_empty()
                        && !matches!(
                            action.as_str(),
                            "Cascade" | "None" | "SetNull" | "SetDefault"
                        )
                    {
                        let offset = self
                            .attr_list()
                            .iter()
                            .find(|a| a.key == "Action")
                            .map_or(child.offset, |a| a.offset);
                        self.error(
                            offset,
                            format!(
                                "invalid Action \"{}\" on <{}>: expected Cascade, None, SetNull or SetDefault",
                                excerpt(&action, 40),
                                child.qname
                            ),
                        );
                    }
                    let mut on_delete = OnDelete {
                        action,
                        annotations: Vec::new(),
                        pos,
                    };
                    self.annotations_only(&child, &mut on_delete.annotations)?;
                    navigation.on_delete = Some(on_delete);
                }
                Some("Annotation") => self.push_annotation(child, &mut navigation.annotations)?,
                _ => self.unexpected(child, &el, NAVIGATION_CHILDREN)?,
            }
        }
        Ok(navigation)
    }

    // ----- operations and terms ---------------------------------------

    fn operation(&mut self, el: Elem<'a>, kind: OperationKind) -> PResult<Operation> {
        let pos = self.pos(el.offset);
        let name = self.name(&el);
        let is_bound = self.boolean(&el, "IsBound").unwrap_or(false);
        let is_composable = self.boolean(&el, "IsComposable").unwrap_or(false);
        let entity_set_path = self.string(&el, "EntitySetPath");
        let mut operation = Operation {
            kind,
            name,
            is_bound,
            is_composable,
            entity_set_path,
            parameters: Vec::new(),
            return_type: None,
            annotations: Vec::new(),
            pos,
        };
        self.scratch.parameters.clear();
        while let Some(child) = self.next_child(&el, TextMode::Report)? {
            match child.csdl() {
                Some("Parameter") => {
                    let parameter = self.parameter(child)?;
                    self.scratch.parameters.push(parameter);
                }
                Some("ReturnType") => {
                    if operation.return_type.is_some() {
                        self.second_child(child, &el, &operation.name)?;
                    } else {
                        operation.return_type = Some(self.return_type(child)?);
                    }
                }
                Some("Annotation") => self.push_annotation(child, &mut operation.annotations)?,
                _ => self.unexpected(child, &el, OPERATION_CHILDREN)?,
            }
        }
        operation.parameters = exact(&mut self.scratch.parameters);
        if kind == OperationKind::Function && operation.return_type.is_none() {
            self.error(
                el.offset,
                format!(
                    "expected <ReturnType> in <{} Name=\"{}\">",
                    el.qname, operation.name
                ),
            );
        }
        if operation.is_bound && operation.parameters.is_empty() {
            self.error(
                el.offset,
                format!(
                    "<{} Name=\"{}\"> is bound but has no <Parameter>: expected the binding parameter first",
                    el.qname, operation.name
                ),
            );
        }
        Ok(operation)
    }

    fn parameter(&mut self, el: Elem<'a>) -> PResult<Parameter> {
        let pos = self.pos(el.offset);
        let name = self.name(&el);
        let ty = self.type_ref(&el, "Type", pos);
        let nullable = self.boolean(&el, "Nullable");
        let facets = self.facets(&el);
        let mut parameter = Parameter {
            name,
            ty,
            nullable,
            facets,
            annotations: Vec::new(),
            pos,
        };
        self.annotations_only(&el, &mut parameter.annotations)?;
        Ok(parameter)
    }

    fn return_type(&mut self, el: Elem<'a>) -> PResult<ReturnType> {
        let pos = self.pos(el.offset);
        let ty = self.type_ref(&el, "Type", pos);
        let nullable = self.boolean(&el, "Nullable");
        let facets = self.facets(&el);
        let mut return_type = ReturnType {
            ty,
            nullable,
            facets,
            annotations: Vec::new(),
            pos,
        };
        self.annotations_only(&el, &mut return_type.annotations)?;
        Ok(return_type)
    }

    fn term(&mut self, el: Elem<'a>) -> PResult<Term> {
        let pos = self.pos(el.offset);
        let name = self.name(&el);
        let ty = self.type_ref(&el, "Type", pos);
        let nullable = self.boolean(&el, "Nullable");
        let facets = self.facets(&el);
        let default_value = self.string(&el, "DefaultValue");
        let applies_to = self.string(&el, "AppliesTo");
        let base_term = self.qualified(&el, "BaseTerm", false);
        let mut term = Term {
            name,
            ty,
            nullable,
            facets,
            default_value,
            applies_to,
            base_term,
            annotations: Vec::new(),
            pos,
        };
        self.annotations_only(&el, &mut term.annotations)?;
        Ok(term)
    }

    // ----- entity container -------------------------------------------

    fn container(&mut self, el: Elem<'a>) -> PResult<EntityContainer> {
        let pos = self.pos(el.offset);
        let name = self.name(&el);
        let extends = self.qualified(&el, "Extends", false);
        let mut container = EntityContainer {
            name,
            extends,
            pos,
            ..EntityContainer::default()
        };
        while let Some(child) = self.next_child(&el, TextMode::Report)? {
            match child.csdl() {
                Some("EntitySet") => {
                    let pos = self.pos(child.offset);
                    let name = self.name(&child);
                    let entity_type = self
                        .qualified(&child, "EntityType", true)
                        .unwrap_or_default();
                    let include_in_service_document =
                        self.boolean(&child, "IncludeInServiceDocument");
                    let mut set = EntitySet {
                        name,
                        entity_type,
                        include_in_service_document,
                        bindings: Vec::new(),
                        annotations: Vec::new(),
                        pos,
                    };
                    self.set_children(&child, &mut set.bindings, &mut set.annotations)?;
                    container.entity_sets.push(set);
                }
                Some("Singleton") => {
                    let pos = self.pos(child.offset);
                    let name = self.name(&child);
                    let ty = self.qualified(&child, "Type", true).unwrap_or_default();
                    let nullable = self.boolean(&child, "Nullable");
                    let mut singleton = Singleton {
                        name,
                        ty,
                        nullable,
                        bindings: Vec::new(),
                        annotations: Vec::new(),
                        pos,
                    };
                    self.set_children(&child, &mut singleton.bindings, &mut singleton.annotations)?;
                    container.singletons.push(singleton);
                }
                Some("ActionImport") => {
                    let pos = self.pos(child.offset);
                    let name = self.name(&child);
                    let action = self.qualified(&child, "Action", true).unwrap_or_default();
                    let entity_set = self.string(&child, "EntitySet");
                    let mut import = ActionImport {
                        name,
                        action,
                        entity_set,
                        annotations: Vec::new(),
                        pos,
                    };
                    self.annotations_only(&child, &mut import.annotations)?;
                    container.action_imports.push(import);
                }
                Some("FunctionImport") => {
                    let pos = self.pos(child.offset);
                    let name = self.name(&child);
                    let function = self.qualified(&child, "Function", true).unwrap_or_default();
                    let entity_set = self.string(&child, "EntitySet");
                    let include_in_service_document =
                        self.boolean(&child, "IncludeInServiceDocument");
                    let mut import = FunctionImport {
                        name,
                        function,
                        entity_set,
                        include_in_service_document,
                        annotations: Vec::new(),
                        pos,
                    };
                    self.annotations_only(&child, &mut import.annotations)?;
                    container.function_imports.push(import);
                }
                Some("Annotation") => self.push_annotation(child, &mut container.annotations)?,
                _ => self.unexpected(child, &el, CONTAINER_CHILDREN)?,
            }
        }
        Ok(container)
    }

    /// The children of an entity set or singleton.
    fn set_children(
        &mut self,
        el: &Elem<'a>,
        bindings: &mut Vec<NavigationPropertyBinding>,
        annotations: &mut Vec<Annotation>,
    ) -> PResult<()> {
        while let Some(child) = self.next_child(el, TextMode::Report)? {
            match child.csdl() {
                Some("NavigationPropertyBinding") => {
                    let pos = self.pos(child.offset);
                    let path = self.required_string(&child, "Path");
                    let target = self.required_string(&child, "Target");
                    self.no_children(&child)?;
                    bindings.push(NavigationPropertyBinding { path, target, pos });
                }
                Some("Annotation") => self.push_annotation(child, annotations)?,
                _ => self.unexpected(child, el, SET_CHILDREN)?,
            }
        }
        Ok(())
    }

    // ----- annotations ------------------------------------------------

    fn annotations_block(&mut self, el: Elem<'a>) -> PResult<Annotations> {
        let pos = self.pos(el.offset);
        let target = self.required_string(&el, "Target");
        let qualifier = self.string(&el, "Qualifier");
        let mut block = Annotations {
            target,
            qualifier,
            annotations: Vec::new(),
            pos,
        };
        self.annotations_only(&el, &mut block.annotations)?;
        Ok(block)
    }

    /// `<Annotation>`, with its value and the annotations on it.
    fn annotation(&mut self, el: Elem<'a>) -> PResult<Annotation> {
        let pos = self.pos(el.offset);
        let term = self.qualified(&el, "Term", true).unwrap_or_default();
        let qualifier = self.string(&el, "Qualifier");
        let mut slot = self.value_attributes(&el);
        let mut annotations = Vec::new();
        while let Some(child) = self.next_child(&el, TextMode::Report)? {
            if child.csdl() == Some("Annotation") {
                self.push_annotation(child, &mut annotations)?;
                continue;
            }
            self.child_value(&mut slot, child, &el, ANNOTATION_CHILDREN)?;
        }
        Ok(Annotation {
            term,
            qualifier,
            value: slot.value,
            annotations,
            pos,
        })
    }

    /// The value given in attribute form (`String="..."`), if any.
    fn value_attributes(&mut self, el: &Elem<'a>) -> ValueSlot {
        let mut slot = ValueSlot::default();
        let count = self.attr_list().len();
        for i in 0..count {
            let raw = self.attr_list()[i];
            let kind = match CONSTANT_EXPRESSIONS.iter().find(|k| **k == raw.key) {
                Some(&kind) => kind,
                None if raw.key == "UrlRef" => "UrlRef",
                None => continue,
            };
            let Some(v) = self.decode(el, raw) else {
                continue;
            };
            if let Some(first) = slot.attribute {
                self.error(
                    raw.offset,
                    format!(
                        "unexpected second value attribute {kind} on <{}>: the value is already given by attribute {first}",
                        el.qname
                    ),
                );
                continue;
            }
            let pos = self.pos(raw.offset);
            let value = if kind == "UrlRef" {
                // The attribute form of `<UrlRef><String>...</String></UrlRef>`.
                let url = Expr::new(ExprKind::String(v.text.into_owned()), pos);
                Some(ExprKind::UrlRef(Box::new(url)))
            } else {
                self.constant(kind, v.text, raw.offset)
            };
            if let Some(value) = value {
                slot.value = Some(Expr::new(value, pos));
            }
            slot.attribute = Some(kind);
        }
        slot
    }

    /// A child of an annotation, property value or labeled element, which
    /// should be its value.
    fn child_value(
        &mut self,
        slot: &mut ValueSlot,
        child: Elem<'a>,
        parent: &Elem<'a>,
        expected: &str,
    ) -> PResult<()> {
        let (qname, offset) = (child.qname, child.offset);
        let Some(value) = self.expression(child, parent, expected)? else {
            return Ok(());
        };
        if let Some(attribute) = slot.attribute {
            self.error(
                offset,
                format!(
                    "unexpected <{qname}> in <{}>: the value is already given by attribute {attribute}",
                    parent.qname
                ),
            );
        } else if slot.value.is_some() {
            self.error(
                offset,
                format!(
                    "unexpected second value <{qname}> in <{}>: expected a single expression",
                    parent.qname
                ),
            );
        } else {
            slot.value = Some(value);
        }
        Ok(())
    }

    /// A constant from its lexical form; errors are recorded.
    fn constant(&mut self, kind: &str, text: Cow<'a, str>, offset: usize) -> Option<ExprKind> {
        let invalid = |s: &str, expected: &str| {
            format!(
                "invalid {kind} value \"{}\": expected {expected}",
                excerpt(s, 40)
            )
        };
        let value = match kind {
            "String" => ExprKind::String(text.into_owned()),
            "Bool" => match values::parse_bool(&text) {
                Some(b) => ExprKind::Bool(b),
                None => {
                    self.error(offset, invalid(&text, "\"true\" or \"false\""));
                    return None;
                }
            },
            "Int" => match text.parse::<i64>() {
                Ok(n) => ExprKind::Int(n),
                Err(e) => {
                    let expected = match e.kind() {
                        std::num::IntErrorKind::PosOverflow
                        | std::num::IntErrorKind::NegOverflow => "a 64-bit integer",
                        _ => "an integer",
                    };
                    self.error(offset, invalid(&text, expected));
                    return None;
                }
            },
            "Float" | "Decimal" => {
                let ok = if kind == "Float" {
                    values::is_float(&text)
                } else {
                    values::is_decimal(&text)
                };
                if !ok {
                    let expected = if kind == "Float" {
                        "a floating-point number"
                    } else {
                        "a decimal number"
                    };
                    self.error(offset, invalid(&text, expected));
                    return None;
                }
                let text = text.into_owned();
                if kind == "Float" {
                    ExprKind::Float(text)
                } else {
                    ExprKind::Decimal(text)
                }
            }
            "Date" => ExprKind::Date(text.into_owned()),
            "DateTimeOffset" => ExprKind::DateTimeOffset(text.into_owned()),
            "Duration" => ExprKind::Duration(text.into_owned()),
            "Guid" => ExprKind::Guid(text.into_owned()),
            "TimeOfDay" => ExprKind::TimeOfDay(text.into_owned()),
            "Binary" => ExprKind::Binary(text.into_owned()),
            "EnumMember" => ExprKind::EnumMember(text.into_owned()),
            "Path" => ExprKind::Path(text.into_owned()),
            "PropertyPath" => ExprKind::PropertyPath(text.into_owned()),
            "NavigationPropertyPath" => ExprKind::NavigationPropertyPath(text.into_owned()),
            "AnnotationPath" => ExprKind::AnnotationPath(text.into_owned()),
            "ModelElementPath" => ExprKind::ModelElementPath(text.into_owned()),
            _ => return None,
        };
        Some(value)
    }

    /// An expression element; `None` when it is not one (already
    /// reported) or its constant is invalid.
    fn expression(
        &mut self,
        el: Elem<'a>,
        parent: &Elem<'a>,
        expected: &str,
    ) -> PResult<Option<Expr>> {
        let Some(local) = el.csdl() else {
            self.unexpected(el, parent, expected)?;
            return Ok(None);
        };
        let pos = self.pos(el.offset);
        if let Some(&kind) = CONSTANT_EXPRESSIONS.iter().find(|k| **k == local) {
            let text = self.text_of(&el)?;
            let text = if kind == "String" {
                text
            } else {
                trim_cow(text)
            };
            return Ok(self
                .constant(kind, text, el.offset)
                .map(|value| Expr::new(value, pos)));
        }
        let mut annotations = Vec::new();
        let kind = match local {
            "Null" => {
                self.annotations_only(&el, &mut annotations)?;
                ExprKind::Null
            }
            "Record" => ExprKind::Record(self.record(el)?),
            "Collection" => ExprKind::Collection(self.collection(el)?),
            "LabeledElementReference" => {
                let text = self.text_of(&el)?;
                let text = trim_cow(text);
                if !values::is_qualified_name(&text) {
                    self.error(
                        el.offset,
                        format!(
                            "invalid <{}> \"{}\": expected the qualified name of a labeled element",
                            el.qname,
                            excerpt(&text, 60)
                        ),
                    );
                }
                ExprKind::LabeledElementReference(text.into_owned())
            }
            "Apply" => {
                let function = self.qualified(&el, "Function", true).unwrap_or_default();
                let arguments = self.operands(&el, &mut annotations)?;
                ExprKind::Apply {
                    function,
                    arguments,
                }
            }
            "If" => {
                let operands = self.operands(&el, &mut annotations)?;
                self.operand_count(
                    &el,
                    operands.len(),
                    2,
                    3,
                    "a condition, a then and an else expression",
                );
                ExprKind::If(operands)
            }
            "Cast" | "IsOf" => {
                let ty = self.type_ref(&el, "Type", pos);
                let facets = self.facets(&el);
                let mut operands = self.operands(&el, &mut annotations)?;
                self.operand_count(&el, operands.len(), 1, 1, "one expression");
                let Some(operand) = operands.pop() else {
                    return Ok(None);
                };
                let test = Box::new(TypeTest {
                    ty,
                    facets,
                    operand,
                });
                if local == "Cast" {
                    ExprKind::Cast(test)
                } else {
                    ExprKind::IsOf(test)
                }
            }
            "LabeledElement" => {
                let name = self.name(&el);
                let mut slot = self.value_attributes(&el);
                while let Some(child) = self.next_child(&el, TextMode::Report)? {
                    if child.csdl() == Some("Annotation") {
                        self.push_annotation(child, &mut annotations)?;
                    } else {
                        self.child_value(&mut slot, child, &el, OPERAND_CHILDREN)?;
                    }
                }
                let Some(value) = slot.value else {
                    if slot.attribute.is_none() {
                        self.error(
                            el.offset,
                            format!(
                                "expected a value for <{} Name=\"{name}\">: an attribute such as String=\"...\" or a child expression",
                                el.qname
                            ),
                        );
                    }
                    return Ok(None);
                };
                ExprKind::LabeledElement {
                    name,
                    value: Box::new(value),
                }
            }
            "UrlRef" => {
                let mut operands = self.operands(&el, &mut annotations)?;
                self.operand_count(&el, operands.len(), 1, 1, "one expression giving the URL");
                let Some(url) = operands.pop() else {
                    return Ok(None);
                };
                ExprKind::UrlRef(Box::new(url))
            }
            _ => match Operator::from_name(local) {
                Some(op) => {
                    let operands = self.operands(&el, &mut annotations)?;
                    let n = op.arity();
                    let expected = if n == 1 {
                        "one expression"
                    } else {
                        "two expressions"
                    };
                    self.operand_count(&el, operands.len(), n, n, expected);
                    ExprKind::Operator(op, operands)
                }
                None => {
                    self.unexpected(el, parent, expected)?;
                    return Ok(None);
                }
            },
        };
        let mut expr = Expr::new(kind, pos);
        expr.annotations = annotations;
        Ok(Some(expr))
    }

    /// The child expressions of a dynamic expression, its annotations going
    /// to `annotations`.
    fn operands(&mut self, el: &Elem<'a>, annotations: &mut Vec<Annotation>) -> PResult<Vec<Expr>> {
        let mut operands = Vec::new();
        while let Some(child) = self.next_child(el, TextMode::Report)? {
            if child.csdl() == Some("Annotation") {
                self.push_annotation(child, annotations)?;
            } else if let Some(operand) = self.expression(child, el, OPERAND_CHILDREN)? {
                operands.push(operand);
            }
        }
        Ok(operands)
    }

    /// Reports a dynamic expression with fewer than `min` or more than
    /// `max` operands.
    fn operand_count(
        &mut self,
        el: &Elem<'a>,
        found: usize,
        min: usize,
        max: usize,
        expected: &str,
    ) {
        if found < min || found > max {
            self.error(
                el.offset,
                format!(
                    "wrong number of operands in <{}>: expected {expected}, found {found}",
                    el.qname
                ),
            );
        }
    }

    fn record(&mut self, el: Elem<'a>) -> PResult<Record> {
        let ty = self.qualified(&el, "Type", false);
        let mut record = Record {
            ty,
            property_values: Vec::new(),
            annotations: Vec::new(),
        };
        while let Some(child) = self.next_child(&el, TextMode::Report)? {
            match child.csdl() {
                Some("PropertyValue") => {
                    if let Some(value) = self.property_value(child)? {
                        record.property_values.push(value);
                    }
                }
                Some("Annotation") => self.push_annotation(child, &mut record.annotations)?,
                _ => self.unexpected(child, &el, RECORD_CHILDREN)?,
            }
        }
        Ok(record)
    }

    fn property_value(&mut self, el: Elem<'a>) -> PResult<Option<PropertyValue>> {
        let pos = self.pos(el.offset);
        let property = self.identifier(&el, "Property", true);
        let mut slot = self.value_attributes(&el);
        let mut annotations = Vec::new();
        while let Some(child) = self.next_child(&el, TextMode::Report)? {
            if child.csdl() == Some("Annotation") {
                self.push_annotation(child, &mut annotations)?;
                continue;
            }
            self.child_value(&mut slot, child, &el, ANNOTATION_CHILDREN)?;
        }
        let Some(property) = property else {
            return Ok(None);
        };
        match slot.value {
            Some(value) => Ok(Some(PropertyValue {
                property,
                value,
                annotations,
                pos,
            })),
            None => {
                if slot.attribute.is_none() {
                    self.error(
                        el.offset,
                        format!(
                            "expected a value for <{} Property=\"{property}\">: an attribute such as String=\"...\" or a child expression",
                            el.qname
                        ),
                    );
                }
                Ok(None)
            }
        }
    }

    fn collection(&mut self, el: Elem<'a>) -> PResult<Vec<Expr>> {
        let mut items = Vec::new();
        while let Some(child) = self.next_child(&el, TextMode::Report)? {
            if let Some(item) = self.expression(child, &el, COLLECTION_CHILDREN)? {
                items.push(item);
            }
        }
        Ok(items)
    }
}
