//! `$expand`: which navigation properties a response may expand.
//!
//! The metadata (`metadata/graph-beta-migrations.csdl`, from Graph's beta CSDL)
//! carries no `Org.OData.Capabilities.V1.ExpandRestrictions` for these entity
//! types, so by the OData default every navigation property is expandable:
//! `users` of a crossTenantMigrationJob, `crossTenantMigrationJobs` of the
//! migrationsRoot and the three collections of the sharePointMigrationsRoot.
//! Any other name, or `$expand` on a type without navigation properties, is a
//! 400: the option is never silently ignored.

use crate::error::{GResult, GraphError};
use crate::request::Req;
use crate::routes::{JobAction, Route};

/// The entity type a route answers with and its navigation properties.
fn answered_type(route: &Route) -> Option<(&'static str, &'static [&'static str])> {
    const JOB: (&str, &[&str]) = ("crossTenantMigrationJob", &["users"]);
    Some(match route {
        Route::Jobs | Route::JobsValidate | Route::Job(_) => JOB,
        Route::JobAction(_, JobAction::Validate | JobAction::Migrate) => JOB,
        Route::JobAction(_, JobAction::Cancel) | Route::JobUserCancel(..) => {
            ("crossTenantMigrationCancelResponse", &[])
        }
        Route::MigrationsRoot => ("migrationsRoot", &["crossTenantMigrationJobs"]),
        Route::JobUsers(_) | Route::JobUser(..) => ("crossTenantMigrationTask", &[]),
        Route::SpRoot => (
            "sharePointMigrationsRoot",
            &[
                "crossOrganizationGroupMappings",
                "crossOrganizationMigrationTasks",
                "crossOrganizationUserMappings",
            ],
        ),
        Route::SpTasks | Route::SpTask(_) | Route::SpGetBy(..) => ("sharePointMigrationTask", &[]),
        Route::Maps(k) | Route::Map(k, _) => (k.type_name(), &[]),
        Route::JobsCount
        | Route::JobUsersCount(_)
        | Route::SpTasksCount
        | Route::MapsCount(_)
        | Route::SpTaskCancel(_) => return None,
    })
}

/// The navigation properties the request's `$expand` names (canonical
/// spelling), or a 400 naming the first one the answered type can't expand.
pub(crate) fn requested(req: &Req, route: &Route) -> GResult<Vec<String>> {
    let Some(spec) = req.query_opt("$expand") else {
        return Ok(Vec::new());
    };
    let Some((type_name, navs)) = answered_type(route) else {
        return Err(GraphError::bad_request(
            "The query option $expand is not allowed on this request: it returns no entity.",
        ));
    };
    let mut out: Vec<String> = Vec::new();
    for item in spec.split(',').map(str::trim) {
        if item.contains('(') {
            return Err(GraphError::bad_request(format!(
                "Nested query options in $expand ('{item}') are not supported by graph-sim."
            )));
        }
        let names: Vec<&str> = if item == "*" {
            navs.to_vec()
        } else {
            match navs.iter().find(|n| n.eq_ignore_ascii_case(item)) {
                Some(n) => vec![*n],
                None => {
                    return Err(GraphError::bad_request(format!(
                        "Could not find a navigation property named '{item}' on type 'microsoft.graph.{type_name}' to expand."
                    )));
                }
            }
        };
        for n in names {
            if !out.iter().any(|x| x == n) {
                out.push(n.to_string());
            }
        }
    }
    Ok(out)
}
