//! The plan: every Rust item the SDK will have, with every name, type and
//! decision made once, from the resolved model and the slice's paths.
//!
//! The emitters render it into tokens and nothing else; the API listing and
//! the diff's rename check read it too, so the three can never disagree
//! about what a method is called (progenitor's `OperationMethod`, typify's
//! `TypeSpace` and smithy-rs' symbol provider play the same part).

mod builders;
mod deprecation;
mod docs;
mod documented;
mod edits;
mod errors;
pub mod names;
pub mod options;
mod surface;
mod types;
mod unsettled;
mod url;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

pub use deprecation::deprecation_note;
pub use docs::Docs;
pub use errors::unused_error_names;
pub use options::Options;
pub use surface::Endpoint;
pub use unsettled::Unsettled;
pub use url::UrlValue;

use crate::csdl::Diagnostics;
use crate::docs::DocsFacts;
use crate::model::Model;
use crate::slice::SliceConfig;

/// Which URL paths get builders and methods. The slice configuration is one;
/// the plan asks nothing else of it.
pub trait Paths {
    /// The path itself is in the slice.
    fn includes(&self, segments: &[&str]) -> bool;
    /// Some path below this prefix may be in the slice.
    fn may_include_below(&self, prefix: &[&str]) -> bool;
}

impl Paths for SliceConfig {
    fn includes(&self, segments: &[&str]) -> bool {
        SliceConfig::includes(self, segments)
    }

    fn may_include_below(&self, prefix: &[&str]) -> bool {
        SliceConfig::may_include_below(self, prefix)
    }
}

/// A Rust type as source text (`crate::models::Foo`, `Vec<String>`), which
/// is how reviewers read it in the diff and how the emitter parses it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RustType(pub String);

impl RustType {
    pub fn new(text: impl Into<String>) -> Self {
        RustType(text.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for RustType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Everything one generation run will write.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The sliced CSDL file the generated files say they come from (the
    /// options'; the model's own file name is a test's or a temporary one).
    pub source: String,
    pub enums: Vec<EnumPlan>,
    /// The model types (action request bodies live with their builders).
    pub structs: Vec<StructPlan>,
    pub builders: Vec<BuilderPlan>,
    /// `Client` methods for the first segment of each path.
    pub roots: Vec<RootMethod>,
    /// The watch list: elements the documentation has not settled.
    pub unsettled: Vec<Unsettled>,
}

/// A Rust enum for an OData enum type.
#[derive(Clone, Debug)]
pub struct EnumPlan {
    pub rust_name: String,
    pub module: String,
    pub odata_name: String,
    pub flags: bool,
    pub docs: Docs,
    pub deprecated: Option<String>,
    pub members: Vec<EnumMemberPlan>,
}

#[derive(Clone, Debug)]
pub struct EnumMemberPlan {
    pub variant: String,
    pub wire: String,
    pub docs: Docs,
    pub deprecated: Option<String>,
}

/// What a generated struct stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StructKind {
    /// An OData complex or entity type: it has an `@odata.type`.
    ODataType { odata_name: String },
    /// The parameters of an action, sent as its request body: not an OData
    /// type, so no `@odata.type` and no `ODATA_TYPE`.
    ActionParameters { signature: String },
}

/// A Rust struct: a model type or an action's request body.
#[derive(Clone, Debug)]
pub struct StructPlan {
    pub rust_name: String,
    /// The file the struct lives in (a builder's file for request bodies).
    pub module: String,
    pub kind: StructKind,
    pub docs: Docs,
    pub deprecated: Option<String>,
    pub fields: Vec<FieldPlan>,
    /// `AnyX`, when the type is used polymorphically.
    pub any: Option<AnyPlan>,
    /// `XEdit`, when a `PATCH` updates the type.
    pub edit: Option<EditPlan>,
}

/// An edit of a fetched value: what it may change and what it may not.
#[derive(Clone, Debug)]
pub struct EditPlan {
    pub rust_name: String,
    pub docs: Docs,
    /// The struct's fields an edit may change, each with its setter's doc
    /// comment (the setters keep the struct's names).
    pub updatable: Vec<EditSetter>,
    /// Every other property, with the fact that makes it read-only.
    pub read_only: Vec<(String, String)>,
    /// Whether `@odata.type` is sent: the type has derived types, and the
    /// service needs it to pick one.
    pub send_odata_type: bool,
}

/// A field an edit may change.
#[derive(Clone, Debug)]
pub struct EditSetter {
    /// Index into the struct's fields.
    pub field: usize,
    /// The doc comment of the edit's `with_x` (its `with_x_null` is the
    /// struct's).
    pub docs: Docs,
}

/// A setter method: its name and its doc comment.
#[derive(Clone, Debug)]
pub struct Setter {
    pub name: String,
    pub docs: Docs,
}

/// One member of a struct, with its setters.
#[derive(Clone, Debug)]
pub struct FieldPlan {
    pub json: String,
    /// As written in source (`r#type` for a keyword).
    pub rust_name: String,
    /// The value type, without `Field<…>`.
    pub ty: RustType,
    /// The member's OData type (`Collection(ns.thing)`): the diff tells a
    /// Rust type that changed with it from one that changed on its own.
    pub odata_type: String,
    /// `with_x(impl Into<T>)`.
    pub setter: Setter,
    /// `with_x_null()`, for nullable members: the explicit `null` stays one
    /// call away, and a member that may not be null has none.
    pub null_setter: Option<Setter>,
    pub docs: Docs,
    pub deprecated: Option<String>,
}

/// `AnyX`: the base type or any type derived from it, by `@odata.type`.
#[derive(Clone, Debug)]
pub struct AnyPlan {
    pub rust_name: String,
    pub base_variant: String,
    pub base_odata: String,
    /// `(variant, type name, qualified OData name)`.
    pub variants: Vec<(String, String, String)>,
    pub docs: Docs,
}

/// A request builder: one URL path (or one operation below a path).
#[derive(Clone, Debug)]
pub struct BuilderPlan {
    pub rust_name: String,
    pub module: String,
    pub template: String,
    pub docs: Docs,
    pub methods: Vec<MethodPlan>,
    /// A marker type for the query options the capabilities allow, when they
    /// restrict any.
    pub query_marker: Option<QueryMarker>,
    /// The request body of an action builder, defined beside it.
    pub body: Option<StructPlan>,
}

/// Every query-option trait a request may implement; a builder without a
/// [`QueryMarker`] allows them all.
pub const QUERY_OPTIONS: [&str; 8] = [
    "Select", "Expand", "Filter", "OrderBy", "Top", "Skip", "Search", "Count",
];

#[derive(Clone, Debug)]
pub struct QueryMarker {
    pub rust_name: String,
    pub template: String,
    /// Option traits the marker implements (`Select`, `Top`, …).
    pub allowed: Vec<&'static str>,
}

/// A method of a request builder.
#[derive(Clone, Debug)]
pub struct MethodPlan {
    pub name: String,
    pub docs: Docs,
    pub deprecated: Option<String>,
    pub kind: MethodKind,
    /// The HTTP requests the method sends or leads to, for the API listing:
    /// a terminal method has one; `by_display_name()` leads to the
    /// requests of its item builder under the alternate-key URL.
    pub endpoints: Vec<Endpoint>,
    /// The signature of the operation a method reaches (`ns.f(binding,…)`),
    /// for the diff's rename check.
    pub operation: Option<String>,
    /// The documented failures of the request the method sends.
    pub errors: Option<ErrorEnumPlan>,
}

/// A request's documented failures: an enum with a variant per case.
#[derive(Clone, Debug)]
pub struct ErrorEnumPlan {
    pub rust_name: String,
    pub docs: Docs,
    pub variants: Vec<ErrorVariantPlan>,
}

#[derive(Clone, Debug)]
pub struct ErrorVariantPlan {
    pub name: String,
    pub docs: Docs,
    pub status: u16,
    pub code: Option<String>,
    /// The documented message, `{placeholders}` included.
    pub pattern: String,
    /// Whether the page quotes the message (rather than describing the case).
    pub exact_message: bool,
    /// A field per placeholder, in order.
    pub fields: Vec<String>,
}

/// A field the service sets itself: (Rust name, OData name, why).
pub type ReadOnlyField = (String, String, String);

/// A typed value in a URL: the method parameter and how it is written.
#[derive(Clone, Debug)]
pub struct UrlParam {
    /// The Rust parameter name.
    pub rust_name: String,
    /// The OData name (`displayName`).
    pub odata_name: String,
    pub value: UrlValue,
}

#[derive(Clone, Debug)]
pub enum MethodKind {
    /// `GET` a collection: a list request.
    List { item: RustType, options: RustType },
    /// `GET …/$count`.
    Count,
    /// `POST` to a collection: create an item. `read_only` are the fields
    /// (Rust name, OData name, why) the service sets itself: a body with one
    /// set is refused before anything is sent.
    Create {
        ty: RustType,
        read_only: Vec<ReadOnlyField>,
    },
    /// Delta `PATCH` of a collection, in chunks. `not_sent` are the item's
    /// properties (OData name, why) an update may not carry, key excepted
    /// (a delta item may name its entity by key): left out of every item.
    DeltaUpdate {
        item: RustType,
        max_items: usize,
        not_sent: Vec<(String, String)>,
    },
    /// `GET` one entity.
    Get { ty: RustType, options: RustType },
    /// `PATCH` one entity, with an edit as its body.
    Update { ty: RustType, edit: Option<String> },
    /// `DELETE` one entity.
    Delete,
    /// `GET` a function's result.
    CallFunction { returns: Option<RustType> },
    /// `GET` a delta function (`Core.IsDelta` on its return type): its
    /// items, page by page, the last page keeping `@odata.deltaLink`.
    CallDeltaFunction { item: RustType },
    /// `POST` an action, with its parameters as the body when it has any.
    CallAction {
        returns: Option<RustType>,
        body: Option<String>,
    },
    /// An item by its key: `{placeholder}` in the template.
    ById {
        target: String,
        placeholder: String,
        key: UrlValue,
    },
    /// An item by an alternate key: `coll(alias='…')`.
    ByAlternateKey {
        target: String,
        params: Vec<UrlParam>,
    },
    /// A navigation property: one more segment.
    Navigate { target: String, segment: String },
    /// A bound function: `name(p=…)` as one segment.
    Function {
        target: String,
        segment: String,
        params: Vec<UrlParam>,
    },
    /// A bound action: its name as one segment.
    Action { target: String, segment: String },
}

/// `client.solutions()`.
#[derive(Clone, Debug)]
pub struct RootMethod {
    pub name: String,
    pub segment: String,
    pub target: String,
    pub docs: Docs,
}

/// Plans the SDK for a (sliced) model, the paths it covers and what the
/// documentation says about them.
pub fn plan(
    model: &Model,
    paths: &dyn Paths,
    options: &Options,
    docs: &DocsFacts,
) -> Result<Plan, Diagnostics> {
    let types = types::TypeSpace::new(model, options, docs)?;
    let (enums, structs) = types.plan_models()?;
    let (builders, roots) = builders::plan(&types, paths)?;
    let mut plan = Plan {
        source: options.sliced_csdl.clone(),
        enums,
        structs,
        builders,
        roots,
        unsettled: Vec::new(),
    };
    plan.unsettled = unsettled::unsettled(&plan, model, docs);
    edits::plan_edits(&mut plan, model, docs);
    edits::check_edit_names(&plan, model)?;
    Ok(plan)
}

impl Plan {
    /// The generated method names of every operation the SDK reaches, by
    /// operation signature (one operation may be reached from several paths).
    pub fn method_names_by_operation(&self) -> BTreeMap<String, Vec<String>> {
        let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for b in &self.builders {
            for m in &b.methods {
                if let Some(sig) = &m.operation {
                    let names = out.entry(sig.clone()).or_default();
                    if !names.contains(&m.name) {
                        names.push(m.name.clone());
                    }
                }
            }
        }
        for names in out.values_mut() {
            names.sort();
        }
        out
    }

    /// `metadata/api-surface.txt`.
    pub fn api_surface(&self) -> String {
        surface::listing(self)
    }
}
