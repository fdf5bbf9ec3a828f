//! Test tokens and the permission table.

use http::{HeaderMap, Method, StatusCode};

use crate::error::{GResult, GraphError};
use crate::routes::ApiFamily;

/// Whether an operation reads or changes state (`GET` reads, every other method writes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// `GET` operations.
    Read,
    /// `POST`, `PATCH`, `DELETE`.
    Write,
}

/// The permission table: for each API family and access kind, a token must
/// carry at least one of the listed permissions (compared case-insensitively).
///
/// * SharePoint: the names in the SharePoint migration pages
///   (`SharePointCrossTenantMigration.Read.All` for reads, `...Manage.All` for both).
/// * Cross-tenant migration jobs: the saved pages only reference permission
///   include files; the published pages name `CrossTenantContentMigration.Read.All`
///   / `CrossTenantContentMigration.ReadWrite.All`. The simulator also accepts
///   `CrossTenantMigrationJob.ReadWrite.All` and `CrossTenantMigration.ReadWrite.All`
///   as aliases of the read-write permission.
pub const PERMISSIONS: &[(ApiFamily, Access, &[&str])] = &[
    (
        ApiFamily::CrossTenantMigrationJobs,
        Access::Read,
        &[
            "CrossTenantContentMigration.Read.All",
            "CrossTenantContentMigration.ReadWrite.All",
            "CrossTenantMigrationJob.ReadWrite.All",
            "CrossTenantMigration.ReadWrite.All",
        ],
    ),
    (
        ApiFamily::CrossTenantMigrationJobs,
        Access::Write,
        &[
            "CrossTenantContentMigration.ReadWrite.All",
            "CrossTenantMigrationJob.ReadWrite.All",
            "CrossTenantMigration.ReadWrite.All",
        ],
    ),
    (
        ApiFamily::SharePointMigrations,
        Access::Read,
        &[
            "SharePointCrossTenantMigration.Read.All",
            "SharePointCrossTenantMigration.Manage.All",
        ],
    ),
    (
        ApiFamily::SharePointMigrations,
        Access::Write,
        &["SharePointCrossTenantMigration.Manage.All"],
    ),
];

/// The permissions that allow `method` on `family` (from [`PERMISSIONS`]).
pub fn required_permissions(family: ApiFamily, method: &Method) -> &'static [&'static str] {
    let access = if method == Method::GET {
        Access::Read
    } else {
        Access::Write
    };
    PERMISSIONS
        .iter()
        .find(|(f, a, _)| *f == family && *a == access)
        .map(|(_, _, p)| *p)
        .unwrap_or(&[])
}

/// The permissions carried by the request's token, or a 401.
pub(crate) fn token_permissions(headers: &HeaderMap, accept_any: bool) -> GResult<Vec<String>> {
    let unauthorized = |msg: &str| {
        GraphError::new(StatusCode::UNAUTHORIZED, "InvalidAuthenticationToken", msg).with_header(
            "www-authenticate",
            "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\"",
        )
    };
    let Some(value) = headers.get("authorization") else {
        return Err(unauthorized("Access token is empty."));
    };
    let value = value.to_str().unwrap_or("").trim();
    if value.is_empty() {
        return Err(unauthorized("Access token is empty."));
    }
    let Some((scheme, token)) = value.split_once(' ') else {
        return Err(unauthorized(
            "Access token validation failure. The Authorization header must be 'Bearer <token>'.",
        ));
    };
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(unauthorized(
            "Access token validation failure. The Authorization header must be 'Bearer <token>'.",
        ));
    }
    let token = token.trim();
    if token.is_empty() {
        return Err(unauthorized("Access token is empty."));
    }
    if token == "sim" {
        return Ok(Vec::new());
    }
    match token.strip_prefix("sim.") {
        Some(list) => Ok(list
            .split(',')
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect()),
        None if accept_any => Ok(vec!["*".to_string()]),
        None => Err(unauthorized(
            "Access token validation failure. Invalid audience. (graph-sim expects 'Bearer sim.<permission>,<permission>...')",
        )),
    }
}

/// 403 unless `perms` holds one of the permissions the operation needs.
pub(crate) fn authorize(perms: &[String], family: ApiFamily, method: &Method) -> GResult<()> {
    let needed = required_permissions(family, method);
    let ok = perms
        .iter()
        .any(|p| p == "*" || needed.iter().any(|n| n.eq_ignore_ascii_case(p)));
    if ok {
        return Ok(());
    }
    let message = match family {
        ApiFamily::SharePointMigrations => "Access denied".to_string(),
        ApiFamily::CrossTenantMigrationJobs => format!(
            "Access denied. The token needs one of these permissions: {}.",
            needed.join(", ")
        ),
    };
    Err(GraphError::new(
        StatusCode::FORBIDDEN,
        "accessDenied",
        message,
    ))
}
