//! The CSDL syntax tree: what the XML says, element by element, with the
//! position each element started at. Names are kept exactly as written
//! (aliases unresolved); resolution is the job of [`crate::model`].
//!
//! Every collection keeps document order so that a writer can reproduce a
//! file faithfully and diagnostics can point at the first offender.

use std::fmt;

/// A 1-based line and column in the source text (column counts bytes).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

/// A whole `edmx:Edmx` document.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Document {
    /// The file name used in diagnostics.
    pub file: String,
    pub version: String,
    pub references: Vec<Reference>,
    pub schemas: Vec<Schema>,
}

/// `edmx:Reference`: recorded, never fetched.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Reference {
    pub uri: String,
    pub includes: Vec<Include>,
    pub pos: Pos,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Include {
    pub namespace: String,
    pub alias: Option<String>,
    pub pos: Pos,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Schema {
    pub namespace: String,
    pub alias: Option<String>,
    pub pos: Pos,
    pub enum_types: Vec<EnumType>,
    pub type_definitions: Vec<TypeDefinition>,
    pub complex_types: Vec<StructuredType>,
    pub entity_types: Vec<StructuredType>,
    /// Actions and functions, in document order; overloads share a name.
    pub operations: Vec<Operation>,
    pub terms: Vec<Term>,
    pub containers: Vec<EntityContainer>,
    /// External `Annotations Target="..."` blocks.
    pub annotations: Vec<Annotations>,
}

/// The facets a property, parameter, return type or type definition may carry.
/// Values are kept as written (`MaxLength="max"`, `Scale="variable"`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facets {
    pub max_length: Option<String>,
    pub precision: Option<u32>,
    pub scale: Option<String>,
    pub unicode: Option<bool>,
    pub srid: Option<String>,
}

/// A type reference as written: `Edm.String`, `graph.user`,
/// `Collection(microsoft.graph.identity)`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct TypeRef {
    pub collection: bool,
    /// The qualified element type name, alias not yet resolved.
    pub name: String,
    pub pos: Pos,
}

impl fmt::Display for TypeRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.collection {
            write!(f, "Collection({})", self.name)
        } else {
            f.write_str(&self.name)
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct EnumType {
    pub name: String,
    pub underlying_type: Option<String>,
    pub is_flags: bool,
    pub members: Vec<EnumMember>,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct EnumMember {
    pub name: String,
    /// `None` when the member has no `Value` attribute (implicit numbering).
    pub value: Option<i64>,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct TypeDefinition {
    pub name: String,
    pub underlying_type: String,
    pub facets: Facets,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StructuredKind {
    #[default]
    Complex,
    Entity,
}

/// `ComplexType` or `EntityType`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StructuredType {
    pub kind: StructuredKind,
    pub name: String,
    pub base_type: Option<String>,
    pub is_abstract: bool,
    pub open_type: bool,
    pub has_stream: bool,
    pub key: Option<Key>,
    pub properties: Vec<Property>,
    pub navigation_properties: Vec<NavigationProperty>,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Key {
    pub property_refs: Vec<PropertyRef>,
    pub pos: Pos,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct PropertyRef {
    pub name: String,
    pub alias: Option<String>,
    pub pos: Pos,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Property {
    pub name: String,
    pub ty: TypeRef,
    /// As written; absent means the CSDL default (true).
    pub nullable: Option<bool>,
    pub facets: Facets,
    pub default_value: Option<String>,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

impl Property {
    pub fn is_nullable(&self) -> bool {
        self.nullable.unwrap_or(true)
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct NavigationProperty {
    pub name: String,
    pub ty: TypeRef,
    pub nullable: Option<bool>,
    pub contains_target: bool,
    pub partner: Option<String>,
    pub referential_constraints: Vec<ReferentialConstraint>,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReferentialConstraint {
    pub property: String,
    pub referenced_property: String,
    pub pos: Pos,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OperationKind {
    #[default]
    Action,
    Function,
}

/// `Action` or `Function`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Operation {
    pub kind: OperationKind,
    pub name: String,
    pub is_bound: bool,
    pub is_composable: bool,
    pub entity_set_path: Option<String>,
    pub parameters: Vec<Parameter>,
    pub return_type: Option<ReturnType>,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Parameter {
    pub name: String,
    pub ty: TypeRef,
    pub nullable: Option<bool>,
    pub facets: Facets,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReturnType {
    pub ty: TypeRef,
    pub nullable: Option<bool>,
    pub facets: Facets,
    pub pos: Pos,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Term {
    pub name: String,
    pub ty: TypeRef,
    pub nullable: Option<bool>,
    pub default_value: Option<String>,
    pub applies_to: Option<String>,
    pub base_term: Option<String>,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct EntityContainer {
    pub name: String,
    pub entity_sets: Vec<EntitySet>,
    pub singletons: Vec<Singleton>,
    pub action_imports: Vec<ActionImport>,
    pub function_imports: Vec<FunctionImport>,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct EntitySet {
    pub name: String,
    pub entity_type: String,
    pub include_in_service_document: Option<bool>,
    pub bindings: Vec<NavigationPropertyBinding>,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Singleton {
    pub name: String,
    pub ty: String,
    pub bindings: Vec<NavigationPropertyBinding>,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct NavigationPropertyBinding {
    pub path: String,
    pub target: String,
    pub pos: Pos,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ActionImport {
    pub name: String,
    pub action: String,
    pub entity_set: Option<String>,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct FunctionImport {
    pub name: String,
    pub function: String,
    pub entity_set: Option<String>,
    pub include_in_service_document: Option<bool>,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

/// An external `<Annotations Target="...">` block.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Annotations {
    pub target: String,
    pub qualifier: Option<String>,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

/// One `<Annotation Term="...">`, inline or inside an `Annotations` block.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Annotation {
    pub term: String,
    pub qualifier: Option<String>,
    /// The value, from a constant attribute (`String="..."`) or the child
    /// expression. `None` means the term's default (usually `true`).
    pub value: Option<Expr>,
    pub pos: Pos,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub pos: Pos,
}

/// Annotation expressions. Constant values keep their lexical form so that
/// a writer reproduces them byte for byte.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    String(String),
    Bool(bool),
    Int(i64),
    Float(String),
    Decimal(String),
    Date(String),
    DateTimeOffset(String),
    Duration(String),
    Guid(String),
    TimeOfDay(String),
    Binary(String),
    /// Space-separated `Namespace.EnumType/Member` values.
    EnumMember(String),
    Path(String),
    PropertyPath(String),
    NavigationPropertyPath(String),
    AnnotationPath(String),
    Null,
    Record(Record),
    Collection(Vec<Expr>),
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Record {
    pub ty: Option<String>,
    pub property_values: Vec<PropertyValue>,
    pub annotations: Vec<Annotation>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PropertyValue {
    pub property: String,
    pub value: Expr,
    pub pos: Pos,
}

impl Record {
    pub fn get(&self, property: &str) -> Option<&Expr> {
        self.property_values
            .iter()
            .find(|p| p.property == property)
            .map(|p| &p.value)
    }
}

impl Expr {
    pub fn new(kind: ExprKind, pos: Pos) -> Self {
        Expr { kind, pos }
    }

    /// The text of a string-like constant or path.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            ExprKind::String(s)
            | ExprKind::Date(s)
            | ExprKind::DateTimeOffset(s)
            | ExprKind::EnumMember(s)
            | ExprKind::Path(s)
            | ExprKind::PropertyPath(s)
            | ExprKind::NavigationPropertyPath(s)
            | ExprKind::AnnotationPath(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.kind {
            ExprKind::Bool(b) => Some(b),
            _ => None,
        }
    }

    pub fn as_record(&self) -> Option<&Record> {
        match &self.kind {
            ExprKind::Record(r) => Some(r),
            _ => None,
        }
    }

    pub fn as_collection(&self) -> Option<&[Expr]> {
        match &self.kind {
            ExprKind::Collection(items) => Some(items),
            _ => None,
        }
    }
}
