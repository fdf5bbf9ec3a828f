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

/// The permission table of the SharePoint migration APIs: a token must carry
/// one of the listed permissions (compared case-insensitively). The names are
/// those of the SharePoint pages (`SharePointCrossTenantMigration.Read.All` for
/// reads, `...Manage.All` for both).
pub const PERMISSIONS: &[(ApiFamily, Access, &[&str])] = &[
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

/// The directory roles the crossTenantMigrationJob pages name. Their permission
/// tables say application and delegated permissions are "Not supported": the
/// signed-in user needs one of these roles, for reads and writes alike. A test
/// token carries a role as `role:<name>` (spaces optional, any case), e.g.
/// `Bearer sim.role:Microsoft365MigrationAdministrator`.
pub const JOB_ROLES: &[&str] = &[
    "Microsoft 365 Migration Administrator",
    "Global Administrator",
];

/// The permissions that allow `method` on `family` (from [`PERMISSIONS`]);
/// empty for the job APIs, which no permission allows (see [`JOB_ROLES`]).
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

fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether a token entry is `role:<one of JOB_ROLES>`.
fn is_job_role(entry: &str) -> bool {
    let Some(name) = entry.get(..5).filter(|p| p.eq_ignore_ascii_case("role:")) else {
        return false;
    };
    let name = squash(&entry[name.len()..]);
    JOB_ROLES.iter().any(|r| squash(r) == name)
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
            "Access token validation failure. Invalid audience. (graph-sim expects 'Bearer sim.<entry>,<entry>...' where an entry is a permission or role:<role>)",
        )),
    }
}

/// 403 unless the token's entries allow the operation: for the job APIs one
/// of [`JOB_ROLES`], for the SharePoint APIs one of [`PERMISSIONS`]; `*` allows all.
pub(crate) fn authorize(perms: &[String], family: ApiFamily, method: &Method) -> GResult<()> {
    if perms.iter().any(|p| p == "*") {
        return Ok(());
    }
    let (ok, message) = match family {
        ApiFamily::CrossTenantMigrationJobs => (
            perms.iter().any(|p| is_job_role(p)),
            format!(
                "Access denied. Application and delegated permissions are not supported for this API; the signed-in user needs one of the roles {} (graph-sim token: 'Bearer sim.role:Microsoft365MigrationAdministrator').",
                JOB_ROLES.join(" or ")
            ),
        ),
        ApiFamily::SharePointMigrations => {
            let needed = required_permissions(family, method);
            (
                perms
                    .iter()
                    .any(|p| needed.iter().any(|n| n.eq_ignore_ascii_case(p))),
                "Access denied".to_string(),
            )
        }
    };
    if ok {
        Ok(())
    } else {
        Err(GraphError::new(
            StatusCode::FORBIDDEN,
            "accessDenied",
            message,
        ))
    }
}
