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
    pub include_annotations: Vec<IncludeAnnotations>,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Include {
    pub namespace: String,
    pub alias: Option<String>,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

/// `edmx:IncludeAnnotations`: which annotations of the referenced document
/// apply (recorded, never fetched).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct IncludeAnnotations {
    pub term_namespace: String,
    pub qualifier: Option<String>,
    pub target_namespace: Option<String>,
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
    /// `<Annotation>` elements directly in the schema: the schema
    /// annotating itself (the OASIS vocabularies do).
    pub own_annotations: Vec<Annotation>,
}

/// The facets a property, parameter, return type or type definition may
/// carry; read them as fields ([`FacetValues`] through `Deref`).
///
/// Nine elements in ten carry none, so the values live behind one pointer
/// that is absent when all are: a property of Graph's schema is 80 bytes
/// smaller for it, in the syntax tree and again in the model.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facets(Option<Box<FacetValues>>);

/// The facet values, kept as written (`MaxLength="max"`, `Scale="variable"`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FacetValues {
    pub max_length: Option<String>,
    pub precision: Option<u32>,
    pub scale: Option<String>,
    pub unicode: Option<bool>,
    pub srid: Option<String>,
}

static NO_FACETS: FacetValues = FacetValues {
    max_length: None,
    precision: None,
    scale: None,
    unicode: None,
    srid: None,
};

impl Facets {
    /// Whether no facet is set.
    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }
}

impl From<FacetValues> for Facets {
    /// Values that set nothing make the empty [`Facets`], so that equal
    /// facets compare equal however they were built.
    fn from(values: FacetValues) -> Facets {
        if values == NO_FACETS {
            Facets(None)
        } else {
            Facets(Some(Box::new(values)))
        }
    }
}

impl std::ops::Deref for Facets {
    type Target = FacetValues;

    fn deref(&self) -> &FacetValues {
        self.0.as_deref().unwrap_or(&NO_FACETS)
    }
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
    pub on_delete: Option<OnDelete>,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReferentialConstraint {
    pub property: String,
    pub referenced_property: String,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

/// `<OnDelete Action="Cascade">`: the action, as written (`Cascade`,
/// `None`, `SetNull`, `SetDefault`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OnDelete {
    pub action: String,
    pub annotations: Vec<Annotation>,
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
    /// CSDL 4.01 annotations on the return type, such as `Core.IsDelta`.
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Term {
    pub name: String,
    pub ty: TypeRef,
    pub nullable: Option<bool>,
    pub facets: Facets,
    pub default_value: Option<String>,
    pub applies_to: Option<String>,
    pub base_term: Option<String>,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct EntityContainer {
    pub name: String,
    /// The qualified name of the container this one extends.
    pub extends: Option<String>,
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
    /// CSDL 4.01: whether the singleton may be null.
    pub nullable: Option<bool>,
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
    /// Annotations on this annotation.
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    /// Annotations inside the expression's element (CSDL 4.01 annotates
    /// `Apply`, `If`, `Null`, operators and the like); a record's own
    /// annotations are in [`Record::annotations`].
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

/// The operators CSDL writes as elements holding their operands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Operator {
    And,
    Or,
    Not,
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
    Has,
    In,
    Add,
    Sub,
    Neg,
    Mul,
    Div,
    DivBy,
    Mod,
}

impl Operator {
    pub const ALL: [Operator; 18] = [
        Operator::And,
        Operator::Or,
        Operator::Not,
        Operator::Eq,
        Operator::Ne,
        Operator::Gt,
        Operator::Ge,
        Operator::Lt,
        Operator::Le,
        Operator::Has,
        Operator::In,
        Operator::Add,
        Operator::Sub,
        Operator::Neg,
        Operator::Mul,
        Operator::Div,
        Operator::DivBy,
        Operator::Mod,
    ];

    /// The element name.
    pub fn name(self) -> &'static str {
        match self {
            Operator::And => "And",
            Operator::Or => "Or",
            Operator::Not => "Not",
            Operator::Eq => "Eq",
            Operator::Ne => "Ne",
            Operator::Gt => "Gt",
            Operator::Ge => "Ge",
            Operator::Lt => "Lt",
            Operator::Le => "Le",
            Operator::Has => "Has",
            Operator::In => "In",
            Operator::Add => "Add",
            Operator::Sub => "Sub",
            Operator::Neg => "Neg",
            Operator::Mul => "Mul",
            Operator::Div => "Div",
            Operator::DivBy => "DivBy",
            Operator::Mod => "Mod",
        }
    }

    pub fn from_name(name: &str) -> Option<Operator> {
        Operator::ALL.into_iter().find(|o| o.name() == name)
    }

    /// How many operands the operator takes.
    pub fn arity(self) -> usize {
        match self {
            Operator::Not | Operator::Neg => 1,
            _ => 2,
        }
    }
}

/// `<Cast>` or `<IsOf>`: a type (with facets) applied to one operand.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeTest {
    pub ty: TypeRef,
    pub facets: Facets,
    pub operand: Expr,
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
    ModelElementPath(String),
    /// The qualified name of a labeled element.
    LabeledElementReference(String),
    Null,
    Record(Record),
    Collection(Vec<Expr>),
    /// `<Apply Function="odata.concat">` and its arguments.
    Apply {
        function: String,
        arguments: Vec<Expr>,
    },
    /// Condition, then, and (except in a collection) else.
    If(Vec<Expr>),
    Operator(Operator, Vec<Expr>),
    Cast(Box<TypeTest>),
    IsOf(Box<TypeTest>),
    LabeledElement {
        name: String,
        value: Box<Expr>,
    },
    /// `<UrlRef>`: an expression giving a URL.
    UrlRef(Box<Expr>),
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
    pub annotations: Vec<Annotation>,
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
        Expr {
            kind,
            annotations: Vec::new(),
            pos,
        }
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
            | ExprKind::AnnotationPath(s)
            | ExprKind::ModelElementPath(s)
            | ExprKind::LabeledElementReference(s) => Some(s),
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
