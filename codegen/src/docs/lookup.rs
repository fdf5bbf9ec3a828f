//! Finding the facts of a type, a property or an operation, the way the
//! generator knows them: by (qualified) type name, and by HTTP method and
//! URL template.

use super::facts::*;

/// A URL template with every `{placeholder}` written `{}`, without the
/// service root, a trailing slash or case: the docs name the key of a job
/// `{crossTenantMigrationJobId}` on one page and `{id}` on another.
pub fn normalise_path(path: &str) -> String {
    kept(path).flat_map(char::to_lowercase).collect()
}

/// Whether two URL templates are the same after [`normalise_path`], without
/// building either: the plan compares every documented request with every
/// builder's template.
pub fn same_path(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        let lower = |c: char| c.to_ascii_lowercase();
        kept(a).map(lower).eq(kept(b).map(lower))
    } else {
        kept(a)
            .flat_map(char::to_lowercase)
            .eq(kept(b).flat_map(char::to_lowercase))
    }
}

/// The characters of a template that [`normalise_path`] keeps, in their
/// case.
fn kept(path: &str) -> impl Iterator<Item = char> + '_ {
    let path = path.trim();
    let path = path
        .strip_prefix("https://graph.microsoft.com/beta")
        .unwrap_or(path)
        .trim_end_matches('/');
    let mut in_placeholder = false;
    path.chars().filter(move |&c| match c {
        '{' => {
            in_placeholder = true;
            true
        }
        '}' => {
            in_placeholder = false;
            true
        }
        _ => !in_placeholder,
    })
}

impl DocsFacts {
    /// A type by local (`crossTenantMigrationJob`) or qualified
    /// (`microsoft.graph.crossTenantMigrationJob`) name, ignoring case.
    pub fn type_doc(&self, name: &str) -> Option<&TypeDoc> {
        let local = name.rsplit('.').next().unwrap_or(name);
        self.types.get(local).or_else(|| {
            self.types
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(local))
                .map(|(_, v)| v)
        })
    }

    /// A structural property of a type (not inherited ones: the docs repeat
    /// those on the derived type's page, with "Inherited from").
    pub fn property(&self, type_name: &str, property: &str) -> Option<&PropertyDoc> {
        let t = self.type_doc(type_name)?;
        t.properties.get(property).or_else(|| {
            t.properties
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(property))
                .map(|(_, v)| v)
        })
    }

    /// A navigation property (the Relationships table).
    pub fn relationship(&self, type_name: &str, name: &str) -> Option<&PropertyDoc> {
        self.type_doc(type_name)?.relationships.get(name)
    }

    /// An enum member's documentation.
    pub fn member(&self, enum_name: &str, member: &str) -> Option<&MemberDoc> {
        self.type_doc(enum_name)?.members.get(member)
    }

    /// The operation documented for `method` on a URL template, placeholders
    /// in any spelling: `POST /solutions/migrations/crossTenantMigrationJobs/{id}/migrate`.
    pub fn operation(&self, method: &str, path: &str) -> Option<&OperationDoc> {
        self.operations.iter().find(|op| {
            op.http_requests
                .iter()
                .any(|r| r.method.eq_ignore_ascii_case(method) && same_path(&r.path, path))
        })
    }

    /// The operation documented on a page (`graph-docs/api/x.md`), whether it
    /// is the operation's main page or one that filled it in.
    pub fn operation_on_page(&self, page: &str) -> Option<&OperationDoc> {
        self.operations
            .iter()
            .find(|op| op.page == page || op.also.iter().any(|p| p == page))
    }

    /// The properties the type's Update page lets a caller set.
    pub fn updatable_properties(&self, type_name: &str) -> Option<&[ParamDoc]> {
        let t = self.type_doc(type_name)?;
        t.methods
            .iter()
            .filter(|m| m.label.to_ascii_lowercase().contains("update"))
            .find_map(|m| self.operation_on_page(&m.page))
            .map(|op| op.request_body.as_slice())
    }

    /// Every TODO marker and placeholder value, page order.
    pub fn todos(&self) -> Vec<&Todo> {
        let mut out: Vec<&Todo> = self
            .pages
            .values()
            .flat_map(|p| p.todos.iter())
            .chain(self.operations.iter().flat_map(|o| o.todos.iter()))
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// Counts for reports: `(descriptions, error cases, examples, todos)`.
    pub fn counts(&self) -> FactCounts {
        let descriptions = self
            .types
            .values()
            .map(|t| {
                usize::from(t.description.is_some())
                    + t.properties
                        .values()
                        .chain(t.relationships.values())
                        .filter(|p| p.description.is_some())
                        .count()
                    + t.members
                        .values()
                        .filter(|m| m.description.is_some())
                        .count()
            })
            .sum::<usize>()
            + self
                .operations
                .iter()
                .map(|o| {
                    usize::from(o.summary.is_some())
                        + o.request_body
                            .iter()
                            .chain(&o.function_parameters)
                            .filter(|p| p.description.is_some())
                            .count()
                })
                .sum::<usize>();
        FactCounts {
            pages: self.pages.len(),
            types: self.types.len(),
            operations: self.operations.len(),
            descriptions,
            errors: self.operations.iter().map(|o| o.errors.len()).sum(),
            examples: self
                .operations
                .iter()
                .map(|o| o.examples.len())
                .sum::<usize>()
                + self
                    .types
                    .values()
                    .filter(|t| t.json_representation.is_some())
                    .count(),
            todos: self.todos().len(),
            warnings: self.warnings.len(),
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FactCounts {
    pub pages: usize,
    pub types: usize,
    pub operations: usize,
    pub descriptions: usize,
    pub errors: usize,
    pub examples: usize,
    pub todos: usize,
    pub warnings: usize,
}

impl std::fmt::Display for FactCounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} pages, {} types, {} operations, {} descriptions, {} error cases, {} examples, {} TODO markers and placeholder values, {} warnings",
            self.pages,
            self.types,
            self.operations,
            self.descriptions,
            self.errors,
            self.examples,
            self.todos,
            self.warnings
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_path_agrees_with_normalise_path() {
        let paths = [
            "/solutions/migrations/crossTenantMigrationJobs/{crossTenantMigrationJobId}/migrate",
            "https://graph.microsoft.com/beta/solutions/migrations/crossTenantMigrationJobs/{id}/migrate/",
            " /Solutions/Migrations/CrossTenantMigrationJobs/{x}/Migrate ",
            "/solutions/migrations/crossTenantMigrationJobs/{id}",
            "/sites/{İd}/ÉTÉ",
            "/sites/{x}/été",
            "/sites/{x}/ete",
            "",
        ];
        for a in paths {
            for b in paths {
                assert_eq!(
                    same_path(a, b),
                    normalise_path(a) == normalise_path(b),
                    "{a:?} vs {b:?}"
                );
            }
        }
        assert!(same_path(paths[0], paths[1]) && same_path(paths[0], paths[2]));
        assert!(same_path(paths[4], paths[5]) && !same_path(paths[5], paths[6]));
    }
}
