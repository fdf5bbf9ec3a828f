//! What the documentation says, typed: the committed `metadata/docs-facts.json`
//! and what the generator and `docs-check` read. Every fact keeps the page and
//! line it came from.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// Where a fact was read: a page relative to the docs root, and a 1-based
/// line. Written `page:line` in the committed file.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct Source {
    pub page: String,
    pub line: usize,
}

impl Source {
    pub fn new(page: &str, line: usize) -> Source {
        Source {
            page: page.to_string(),
            line,
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.page, self.line)
    }
}

impl From<Source> for String {
    fn from(s: Source) -> String {
        s.to_string()
    }
}

impl TryFrom<String> for Source {
    type Error = String;
    fn try_from(s: String) -> Result<Source, String> {
        let (page, line) = s
            .rsplit_once(':')
            .ok_or_else(|| format!("`{s}`: expected page:line"))?;
        let line = line
            .parse()
            .map_err(|e| format!("`{s}`: the line is not a number: {e}"))?;
        Ok(Source::new(page, line))
    }
}

/// A page that could not be read as documented, and what was skipped.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Warning {
    pub at: Source,
    pub message: String,
}

impl Warning {
    /// How the warning for an example that is not JSON begins.
    pub const UNPARSED_EXAMPLE: &'static str = "invalid JSON in the";

    /// Whether this says a request or response example is not JSON:
    /// `docs-check` reports those of the operations it matches in its
    /// `example` class. (A resource page's JSON representation is no such
    /// example.)
    pub fn is_unparsed_example(&self) -> bool {
        self.message
            .strip_prefix(Self::UNPARSED_EXAMPLE)
            .is_some_and(|rest| {
                rest.starts_with(" request example") || rest.starts_with(" response example")
            })
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.message)
    }
}

/// A piece of prose and where it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    pub text: String,
    pub at: Source,
}

/// A `TODO` marker, or an example value that is only a placeholder
/// (`"String (timestamp)"`): the docs do not settle the element yet.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Todo {
    /// The text around the marker (the cell, line or paragraph).
    pub text: String,
    pub at: Source,
}

/// Everything read from the pages.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DocsFacts {
    /// Bumped when the shape of this file changes.
    pub format: u32,
    /// Where the pages came from (a directory or a URL), as given.
    pub source: String,
    /// Every page read, relative to the docs root, with its title.
    pub pages: BTreeMap<String, PageInfo>,
    /// Documented types by local name as the pages write it
    /// (`crossTenantMigrationJob`), enums included.
    pub types: BTreeMap<String, TypeDoc>,
    /// One entry per documented request (HTTP method and path), sorted by
    /// method and path.
    pub operations: Vec<OperationDoc>,
    /// What the extractor skipped, with where.
    pub warnings: Vec<Warning>,
}

pub const FORMAT: u32 = 1;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageInfo {
    pub title: Option<String>,
    /// `resourcePageType`, `apiPageType`, `conceptualPageType`, or `rendered`
    /// for a page saved from the rendered site.
    pub kind: String,
    /// `ms.date` of the front matter.
    pub date: Option<String>,
    /// The first paragraph after the title (overview pages have no type or
    /// operation, but their summary can introduce a module).
    pub summary: Option<Text>,
    /// Pages the slice asked for come first; the others (older versions,
    /// saved copies) only fill what the current pages leave out.
    pub precedence: Precedence,
    /// Every TODO marker on the page (front matter included).
    pub todos: Vec<Todo>,
}

/// Which page wins when two document the same element.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Precedence {
    /// A page of the docs repository layout (`resources/`, `api/`).
    Current,
    /// A page saved beside the docs layout (rendered or copied elsewhere).
    Saved,
    /// A page under `older-versions/`.
    Older,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TypeDoc {
    /// Qualified, from the page's resource annotation when it has one
    /// (`microsoft.graph.crossTenantMigrationJob`).
    pub qualified_name: Option<String>,
    pub at: Option<Source>,
    pub description: Option<Text>,
    /// `microsoft.graph.entity` from the resource annotation, or `entity`
    /// from the sentence "Inherits from entity." when the annotation names none.
    pub base_type: Option<String>,
    pub properties: BTreeMap<String, PropertyDoc>,
    /// Navigation properties (the Relationships table).
    pub relationships: BTreeMap<String, PropertyDoc>,
    /// Enum members: documented as the possible values of a property of
    /// this enum type.
    pub members: BTreeMap<String, MemberDoc>,
    /// The Methods table.
    pub methods: Vec<MethodLink>,
    /// The JSON representation block.
    pub json_representation: Option<Example>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PropertyDoc {
    /// As the page writes it: `[x](../resources/x.md) collection`, reduced
    /// to `x collection`.
    pub type_text: String,
    /// The type's local name without `collection` (`String`, `crossTenantMigrationTask`).
    pub type_name: String,
    pub collection: bool,
    pub description: Option<String>,
    /// The description says "Read-only."
    pub read_only: bool,
    /// The description holds a TODO marker.
    pub todo: bool,
    /// `Required.` / `Optional.` when the description says so.
    pub required: Option<bool>,
    /// The values listed after "The possible values are:".
    pub possible_values: Vec<String>,
    pub at: Source,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MemberDoc {
    /// Text in parentheses after the member, when the docs give one.
    pub description: Option<String>,
    pub at: Source,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MethodLink {
    /// `Get`, `Update`, `cancel`…
    pub label: String,
    /// The linked api page, relative to the docs root (`api/x.md`).
    pub page: String,
    pub return_type: String,
    pub description: String,
    pub at: Source,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OperationDoc {
    /// The page the facts come from first; `also` lists pages that filled
    /// what it leaves out (older versions, saved copies).
    pub page: String,
    pub also: Vec<String>,
    pub title: Option<String>,
    /// The first paragraph of the page.
    pub summary: Option<Text>,
    /// `(method, path)` as the HTTP request section writes them.
    pub http_requests: Vec<HttpRequest>,
    pub permissions: Vec<Permission>,
    /// The name of the permissions include when the table itself is not on
    /// the page (`crosstenantmigrationjob-migrate-permissions`).
    pub permissions_include: Option<Text>,
    /// Microsoft Entra roles named for delegated access. Where the markdown
    /// takes them from a shared include (`roles_include`), they are those
    /// another page shows for the same include (a rendered page), with
    /// that page's lines.
    pub roles: Vec<Text>,
    /// The access-requirements include (`rbac-crosstenantmigration-apis`).
    pub roles_include: Option<Text>,
    /// The request body table (empty with `no_request_body`).
    pub request_body: Vec<ParamDoc>,
    /// "Don't supply a request body for this method."
    pub no_request_body: bool,
    /// Function parameters (`## Function parameters`).
    pub function_parameters: Vec<ParamDoc>,
    pub success_status: Option<Status>,
    pub errors: Vec<ErrorCase>,
    pub national_clouds: Option<NationalClouds>,
    pub examples: Vec<Example>,
    /// TODO markers and placeholder example values of this operation's pages.
    pub todos: Vec<Todo>,
    /// Request-body rows any page marks TODO, kept even where a newer page's
    /// table replaced that page's: the watch list of unsettled elements
    /// needs them by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub todo_rows: Vec<ParamDoc>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpRequest {
    pub method: String,
    /// As written, without the `https://graph.microsoft.com/beta` prefix.
    pub path: String,
    pub at: Source,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Permission {
    /// `Delegated (work or school account)`, `Delegated (personal Microsoft account)`, `Application`.
    pub permission_type: String,
    /// Empty when "Not supported." / "N/A".
    pub least_privileged: Vec<String>,
    pub higher_privileged: Vec<String>,
    pub at: Source,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ParamDoc {
    pub name: String,
    pub type_text: String,
    pub type_name: String,
    pub collection: bool,
    /// From "Required." / "Optional." in the description, or a column.
    pub required: Option<bool>,
    pub description: Option<String>,
    pub todo: bool,
    pub possible_values: Vec<String>,
    pub at: Source,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Status {
    pub code: u16,
    /// `200 OK`, as written.
    pub text: String,
    pub at: Source,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorCase {
    pub status: u16,
    /// The Graph error code when the table has a column for it.
    pub code: Option<String>,
    /// The "Scenario" column, when there is one.
    pub scenario: Option<String>,
    /// The message, or the description when the table has no message column.
    pub message_pattern: String,
    /// Which column `message_pattern` comes from (`Message`, `Description`).
    pub message_column: String,
    /// The `{placeholders}` of the message, in order.
    pub placeholders: Vec<String>,
    pub at: Source,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NationalClouds {
    /// The national-cloud include says the API is on the global service only.
    pub global_only: bool,
    /// The include named (`global-only`).
    pub include: String,
    pub at: Source,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Example {
    /// `request`, `response` or `resource`.
    pub kind: String,
    /// The annotation's `name`.
    pub name: Option<String>,
    /// The annotation's `@odata.type`, or the resource's.
    pub odata_type: Option<String>,
    pub truncated: bool,
    /// `POST https://…` or `HTTP/1.1 201 Created`.
    pub http_line: Option<String>,
    /// The JSON body verbatim (without the HTTP line and headers).
    pub json: Option<String>,
    /// Whether `json` parses.
    pub json_parses: bool,
    /// The line of the opening fence.
    pub at: Source,
    /// The line where `json` starts.
    pub json_line: Option<usize>,
}
