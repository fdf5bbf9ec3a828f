//! The resolved model's data: every name fully qualified, every type
//! reference resolved to a definition or an Edm primitive.

use std::fmt;

use crate::csdl::syntax::{Annotation, Facets, OperationKind, Pos, StructuredKind};

/// Every Edm primitive type, including the abstract ones CSDL allows in
/// references (`Edm.PrimitiveType`, `Edm.Untyped`) and the spatial family.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Primitive {
    Binary,
    Boolean,
    Byte,
    Date,
    DateTimeOffset,
    Decimal,
    Double,
    Duration,
    Guid,
    Int16,
    Int32,
    Int64,
    SByte,
    Single,
    Stream,
    String,
    TimeOfDay,
    Untyped,
    PrimitiveType,
    Geography,
    GeographyPoint,
    GeographyLineString,
    GeographyPolygon,
    GeographyMultiPoint,
    GeographyMultiLineString,
    GeographyMultiPolygon,
    GeographyCollection,
    Geometry,
    GeometryPoint,
    GeometryLineString,
    GeometryPolygon,
    GeometryMultiPoint,
    GeometryMultiLineString,
    GeometryMultiPolygon,
    GeometryCollection,
    /// `Edm.EntityType`, `Edm.ComplexType`, `Edm.AnnotationPath` and the
    /// other abstract or path types that only terms use.
    Abstract(&'static str),
}

const PRIMITIVES: &[(&str, Primitive)] = &[
    ("Binary", Primitive::Binary),
    ("Boolean", Primitive::Boolean),
    ("Byte", Primitive::Byte),
    ("Date", Primitive::Date),
    ("DateTimeOffset", Primitive::DateTimeOffset),
    ("Decimal", Primitive::Decimal),
    ("Double", Primitive::Double),
    ("Duration", Primitive::Duration),
    ("Guid", Primitive::Guid),
    ("Int16", Primitive::Int16),
    ("Int32", Primitive::Int32),
    ("Int64", Primitive::Int64),
    ("SByte", Primitive::SByte),
    ("Single", Primitive::Single),
    ("Stream", Primitive::Stream),
    ("String", Primitive::String),
    ("TimeOfDay", Primitive::TimeOfDay),
    ("Untyped", Primitive::Untyped),
    ("PrimitiveType", Primitive::PrimitiveType),
    ("Geography", Primitive::Geography),
    ("GeographyPoint", Primitive::GeographyPoint),
    ("GeographyLineString", Primitive::GeographyLineString),
    ("GeographyPolygon", Primitive::GeographyPolygon),
    ("GeographyMultiPoint", Primitive::GeographyMultiPoint),
    (
        "GeographyMultiLineString",
        Primitive::GeographyMultiLineString,
    ),
    ("GeographyMultiPolygon", Primitive::GeographyMultiPolygon),
    ("GeographyCollection", Primitive::GeographyCollection),
    ("Geometry", Primitive::Geometry),
    ("GeometryPoint", Primitive::GeometryPoint),
    ("GeometryLineString", Primitive::GeometryLineString),
    ("GeometryPolygon", Primitive::GeometryPolygon),
    ("GeometryMultiPoint", Primitive::GeometryMultiPoint),
    (
        "GeometryMultiLineString",
        Primitive::GeometryMultiLineString,
    ),
    ("GeometryMultiPolygon", Primitive::GeometryMultiPolygon),
    ("GeometryCollection", Primitive::GeometryCollection),
    ("EntityType", Primitive::Abstract("EntityType")),
    ("ComplexType", Primitive::Abstract("ComplexType")),
    ("AnnotationPath", Primitive::Abstract("AnnotationPath")),
    ("PropertyPath", Primitive::Abstract("PropertyPath")),
    (
        "NavigationPropertyPath",
        Primitive::Abstract("NavigationPropertyPath"),
    ),
    ("AnyPropertyPath", Primitive::Abstract("AnyPropertyPath")),
    ("ModelElementPath", Primitive::Abstract("ModelElementPath")),
    ("Path", Primitive::Abstract("Path")),
];

impl Primitive {
    /// Looks up the part after `Edm.`.
    pub fn from_edm_name(name: &str) -> Option<Primitive> {
        // Called for every Edm type reference: compare lengths and first
        // bytes first, so that most table entries cost no call to memcmp.
        let first = name.as_bytes().first();
        PRIMITIVES
            .iter()
            .find(|(n, _)| n.len() == name.len() && n.as_bytes().first() == first && *n == name)
            .map(|(_, p)| *p)
    }

    pub fn edm_name(self) -> &'static str {
        if let Primitive::Abstract(n) = self {
            return n;
        }
        PRIMITIVES
            .iter()
            .find(|(_, p)| *p == self)
            .map(|(n, _)| *n)
            .expect("every primitive is in the table")
    }

    pub fn all_names() -> impl Iterator<Item = &'static str> {
        PRIMITIVES.iter().map(|(n, _)| *n)
    }
}

/// What a resolved name refers to.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TypeKind {
    Primitive(Primitive),
    Enum(String),
    TypeDefinition(String),
    Complex(String),
    Entity(String),
    /// A type of a namespace the document references (`edmx:Include`) but
    /// does not hold: kept by name; a slice that needs it is refused
    /// ([`crate::slice::check_externals`]).
    External(String),
}

impl TypeKind {
    /// The qualified name of a defined type (`None` for primitives).
    pub fn defined_name(&self) -> Option<&str> {
        match self {
            TypeKind::Primitive(_) | TypeKind::External(_) => None,
            TypeKind::Enum(n)
            | TypeKind::TypeDefinition(n)
            | TypeKind::Complex(n)
            | TypeKind::Entity(n) => Some(n),
        }
    }

    pub fn structured_name(&self) -> Option<&str> {
        match self {
            TypeKind::Complex(n) | TypeKind::Entity(n) => Some(n),
            _ => None,
        }
    }
}

/// A resolved type reference.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeRef {
    pub collection: bool,
    pub kind: TypeKind,
}

impl TypeRef {
    /// Appends the name as CSDL writes it (`Collection(Edm.String)`), without
    /// going through the formatting machinery: signatures are built often.
    pub fn push_to(&self, out: &mut String) {
        if self.collection {
            out.push_str("Collection(");
        }
        match &self.kind {
            TypeKind::Primitive(p) => {
                out.push_str("Edm.");
                out.push_str(p.edm_name());
            }
            TypeKind::Enum(n)
            | TypeKind::TypeDefinition(n)
            | TypeKind::Complex(n)
            | TypeKind::Entity(n)
            | TypeKind::External(n) => out.push_str(n),
        }
        if self.collection {
            out.push(')');
        }
    }
}

impl fmt::Display for TypeRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.collection {
            f.write_str("Collection(")?;
        }
        match &self.kind {
            TypeKind::Primitive(p) => {
                f.write_str("Edm.")?;
                f.write_str(p.edm_name())?;
            }
            TypeKind::Enum(n)
            | TypeKind::TypeDefinition(n)
            | TypeKind::Complex(n)
            | TypeKind::Entity(n)
            | TypeKind::External(n) => f.write_str(n)?,
        }
        if self.collection {
            f.write_str(")")?;
        }
        Ok(())
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct EnumDef {
    pub name: String,
    pub underlying_type: Primitive,
    pub is_flags: bool,
    /// Members with their effective values (implicit values numbered as
    /// CSDL prescribes: previous + 1, starting at 0).
    pub members: Vec<EnumMemberDef>,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EnumMemberDef {
    pub name: String,
    pub value: i64,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TypeDefinitionDef {
    pub name: String,
    pub underlying_type: Primitive,
    pub facets: Facets,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Clone, Debug, PartialEq)]
pub struct StructDef {
    pub name: String,
    pub kind: StructuredKind,
    pub base_type: Option<String>,
    pub is_abstract: bool,
    pub open_type: bool,
    pub has_stream: bool,
    /// The key as declared on this type (only root entity types declare one).
    pub key: Vec<KeyPart>,
    pub properties: Vec<PropertyDef>,
    pub navigation_properties: Vec<NavigationDef>,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyPart {
    pub name: String,
    pub alias: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PropertyDef {
    pub name: String,
    pub ty: TypeRef,
    pub nullable: bool,
    pub facets: Facets,
    pub default_value: Option<String>,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NavigationDef {
    pub name: String,
    pub ty: TypeRef,
    pub nullable: bool,
    pub contains_target: bool,
    pub partner: Option<String>,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Clone, Debug, PartialEq)]
pub struct OperationDef {
    pub kind: OperationKind,
    /// Qualified name, e.g. `microsoft.graph.cancel`.
    pub name: String,
    pub is_bound: bool,
    pub is_composable: bool,
    pub entity_set_path: Option<String>,
    /// The binding parameter (first parameter of a bound operation).
    pub binding: Option<ParameterDef>,
    /// Parameters after the binding parameter.
    pub parameters: Vec<ParameterDef>,
    pub return_type: Option<ReturnDef>,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

impl OperationDef {
    /// The overload signature used by annotation targets:
    /// `microsoft.graph.cancel(microsoft.graph.crossTenantMigrationJob)`.
    /// Actions are identified by their binding parameter only; functions by
    /// all their parameters.
    pub fn signature(&self) -> String {
        let mut out = String::with_capacity(self.name.len() + 64);
        out.push_str(&self.name);
        out.push('(');
        let parameters = match self.kind {
            OperationKind::Function => self.parameters.as_slice(),
            OperationKind::Action => &[],
        };
        for (i, ty) in (self.binding.iter().chain(parameters))
            .map(|p| &p.ty)
            .enumerate()
        {
            if i > 0 {
                out.push(',');
            }
            ty.push_to(&mut out);
        }
        out.push(')');
        out
    }

    /// The names of the parameters after the binding parameter.
    pub fn parameter_names(&self) -> Vec<&str> {
        self.parameters.iter().map(|p| p.name.as_str()).collect()
    }

    pub fn short_name(&self) -> &str {
        self.name.rsplit('.').next().unwrap_or(&self.name)
    }

    /// Whether the return type carries `Core.IsDelta`: the function answers
    /// with delta pages (changes since a delta link, and a new delta link).
    pub fn returns_delta(&self) -> bool {
        self.return_type
            .as_ref()
            .is_some_and(|r| super::vocab::is_delta(&r.annotations))
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ParameterDef {
    pub name: String,
    pub ty: TypeRef,
    pub nullable: bool,
    pub facets: Facets,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ReturnDef {
    pub ty: TypeRef,
    pub nullable: bool,
    pub facets: Facets,
    /// Annotations on the `ReturnType` element (`Core.IsDelta`).
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EntitySetDef {
    pub name: String,
    pub entity_type: String,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SingletonDef {
    pub name: String,
    pub ty: String,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}
