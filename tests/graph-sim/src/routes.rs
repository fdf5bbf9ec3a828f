//! Maps request paths to operations (and to the path templates that the
//! request counters use).

use crate::error::{GResult, GraphError};
use crate::odata::{Segment, decode_segment, parse_segment, split_raw_path};

/// An entity key: the `id`, or the entity's alternate key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Key {
    Id(String),
    Alt(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JobAction {
    Validate,
    Migrate,
    Cancel,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GetBy {
    UserPrincipalName,
    SiteUrl,
    GroupMailNickname,
}

impl GetBy {
    pub(crate) fn function(self) -> &'static str {
        match self {
            GetBy::UserPrincipalName => "getBySourceUserPrincipalName",
            GetBy::SiteUrl => "getBySourceSiteUrl",
            GetBy::GroupMailNickname => "getBySourceGroupMailNickname",
        }
    }

    pub(crate) fn parameter(self) -> &'static str {
        match self {
            GetBy::UserPrincipalName => "sourcePrincipalName",
            GetBy::SiteUrl => "sourceSiteUrl",
            GetBy::GroupMailNickname => "sourceGroupMailNickname",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MapKind {
    User,
    Group,
}

impl MapKind {
    pub(crate) fn type_name(self) -> &'static str {
        match self {
            MapKind::User => "sharePointUserIdentityMapping",
            MapKind::Group => "sharePointGroupIdentityMapping",
        }
    }

    pub(crate) fn set_name(self) -> &'static str {
        match self {
            MapKind::User => "crossOrganizationUserMappings",
            MapKind::Group => "crossOrganizationGroupMappings",
        }
    }

    pub(crate) fn alt_key(self) -> &'static str {
        match self {
            MapKind::User => "sourceUserPrincipalName",
            MapKind::Group => "sourceGroupObjectId",
        }
    }
}

/// The API family a route belongs to (decides the permissions it needs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiFamily {
    /// `/solutions/migrations/...` (crossTenantMigrationJob and its tasks).
    CrossTenantMigrationJobs,
    /// `/solutions/sharePoint/migrations/...` (tasks and identity mappings).
    SharePointMigrations,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Route {
    MigrationsRoot,
    Jobs,
    JobsCount,
    JobsValidate,
    Job(Key),
    JobAction(Key, JobAction),
    JobUsers(Key),
    JobUsersCount(Key),
    JobUser(Key, String),
    JobUserCancel(Key, String),
    SpRoot,
    SpTasks,
    SpTasksCount,
    SpTask(String),
    SpTaskCancel(String),
    SpGetBy(GetBy, Option<String>),
    Maps(MapKind),
    MapsCount(MapKind),
    Map(MapKind, Key),
}

impl Route {
    pub(crate) fn family(&self) -> ApiFamily {
        match self {
            Route::MigrationsRoot
            | Route::Jobs
            | Route::JobsCount
            | Route::JobsValidate
            | Route::Job(_)
            | Route::JobAction(..)
            | Route::JobUsers(_)
            | Route::JobUsersCount(_)
            | Route::JobUser(..)
            | Route::JobUserCancel(..) => ApiFamily::CrossTenantMigrationJobs,
            _ => ApiFamily::SharePointMigrations,
        }
    }

    /// The path template used by the request counters.
    pub(crate) fn template(&self) -> String {
        const JOBS: &str = "/solutions/migrations/crossTenantMigrationJobs";
        const SP: &str = "/solutions/sharePoint/migrations";
        let job = |k: &Key| match k {
            Key::Id(_) => format!("{JOBS}/{{id}}"),
            Key::Alt(_) => format!("{JOBS}(displayName='{{displayName}}')"),
        };
        match self {
            Route::MigrationsRoot => "/solutions/migrations".into(),
            Route::Jobs => JOBS.into(),
            Route::JobsCount => format!("{JOBS}/$count"),
            Route::JobsValidate => format!("{JOBS}/validate"),
            Route::Job(k) => job(k),
            Route::JobAction(k, a) => format!(
                "{}/{}",
                job(k),
                match a {
                    JobAction::Validate => "validate",
                    JobAction::Migrate => "migrate",
                    JobAction::Cancel => "cancel",
                }
            ),
            Route::JobUsers(k) => format!("{}/users", job(k)),
            Route::JobUsersCount(k) => format!("{}/users/$count", job(k)),
            Route::JobUser(k, _) => format!("{}/users/{{taskId}}", job(k)),
            Route::JobUserCancel(k, _) => format!("{}/users/{{taskId}}/cancel", job(k)),
            Route::SpRoot => SP.into(),
            Route::SpTasks => format!("{SP}/crossOrganizationMigrationTasks"),
            Route::SpTasksCount => format!("{SP}/crossOrganizationMigrationTasks/$count"),
            Route::SpTask(_) => format!("{SP}/crossOrganizationMigrationTasks/{{id}}"),
            Route::SpTaskCancel(_) => format!("{SP}/crossOrganizationMigrationTasks/{{id}}/cancel"),
            Route::SpGetBy(g, _) => format!(
                "{SP}/crossOrganizationMigrationTasks/{}({}='{{{}}}')",
                g.function(),
                g.parameter(),
                g.parameter()
            ),
            Route::Maps(m) => format!("{SP}/{}", m.set_name()),
            Route::MapsCount(m) => format!("{SP}/{}/$count", m.set_name()),
            Route::Map(m, Key::Id(_)) => format!("{SP}/{}/{{id}}", m.set_name()),
            Route::Map(m, Key::Alt(_)) => {
                format!(
                    "{SP}/{}({}='{{{}}}')",
                    m.set_name(),
                    m.alt_key(),
                    m.alt_key()
                )
            }
        }
    }
}

/// A parsed request path.
#[derive(Debug)]
pub(crate) struct Parsed {
    /// `/beta` when the path used that prefix.
    pub prefix: String,
    pub route: GResult<Route>,
}

fn not_found_segment(seg: &Segment) -> GraphError {
    GraphError::bad_request(format!(
        "Resource not found for the segment '{}'.",
        seg.name
    ))
}

/// Key from parentheses on an entity-set segment.
fn paren_key(seg: &Segment, alt: Option<&str>) -> GResult<Key> {
    let Some((name, value)) = seg.key() else {
        return Err(GraphError::bad_request(format!(
            "The key in segment '{}' must be a single value.",
            seg.name
        )));
    };
    match name {
        None => Ok(Key::Id(value.to_string())),
        Some(n) if n.eq_ignore_ascii_case("id") => Ok(Key::Id(value.to_string())),
        Some(n) if alt.is_some_and(|a| a.eq_ignore_ascii_case(n)) => {
            Ok(Key::Alt(value.to_string()))
        }
        Some(n) => Err(GraphError::bad_request(format!(
            "'{n}' is not a key or an alternate key of the entity set '{}'.",
            seg.name
        ))),
    }
}

fn plain_key(seg: &Segment) -> GResult<String> {
    if seg.args.is_some() {
        return Err(not_found_segment(seg));
    }
    Ok(seg.name.clone())
}

/// Parses a raw request path.
pub(crate) fn parse(raw_path: &str) -> Parsed {
    let mut segs = Vec::new();
    for raw in split_raw_path(raw_path) {
        match decode_segment(raw).and_then(|d| parse_segment(&d)) {
            Ok(s) => segs.push(s),
            Err(e) => {
                return Parsed {
                    prefix: String::new(),
                    route: Err(e),
                };
            }
        }
    }
    let mut prefix = String::new();
    if segs.first().is_some_and(|s| s.plain("beta")) {
        prefix = "/beta".into();
        segs.remove(0);
    }
    Parsed {
        prefix,
        route: match_route(&segs),
    }
}

fn match_route(segs: &[Segment]) -> GResult<Route> {
    let Some(first) = segs.first() else {
        return Err(GraphError::bad_request(
            "Resource not found for the segment ''.",
        ));
    };
    if !first.plain("solutions") {
        return Err(not_found_segment(first));
    }
    let Some(second) = segs.get(1) else {
        return Err(GraphError::bad_request(
            "The solutions root is not served by this simulator.",
        ));
    };
    if second.plain("migrations") {
        return match_jobs(&segs[2..]);
    }
    if second.plain("sharePoint") {
        match segs.get(2) {
            Some(s) if s.plain("migrations") => return match_sharepoint(&segs[3..]),
            Some(s) => return Err(not_found_segment(s)),
            None => {
                return Err(GraphError::bad_request(
                    "The sharePoint root is not served by this simulator.",
                ));
            }
        }
    }
    Err(not_found_segment(second))
}

fn match_jobs(rest: &[Segment]) -> GResult<Route> {
    let Some(c) = rest.first() else {
        return Ok(Route::MigrationsRoot);
    };
    if !c.is("crossTenantMigrationJobs") {
        return Err(not_found_segment(c));
    }
    let (key, tail) = if c.args.is_some() {
        (paren_key(c, Some("displayName"))?, &rest[1..])
    } else {
        match rest.get(1) {
            None => return Ok(Route::Jobs),
            Some(s) if s.plain("$count") && rest.len() == 2 => return Ok(Route::JobsCount),
            Some(s) if s.plain("validate") && rest.len() == 2 => return Ok(Route::JobsValidate),
            Some(s) => (Key::Id(plain_key(s)?), &rest[2..]),
        }
    };
    let Some(t0) = tail.first() else {
        return Ok(Route::Job(key));
    };
    if tail.len() == 1 {
        if t0.plain("validate") {
            return Ok(Route::JobAction(key, JobAction::Validate));
        }
        if t0.plain("migrate") {
            return Ok(Route::JobAction(key, JobAction::Migrate));
        }
        if t0.plain("cancel") {
            return Ok(Route::JobAction(key, JobAction::Cancel));
        }
    }
    if !t0.is("users") {
        return Err(not_found_segment(t0));
    }
    let (task, tail2) = if t0.args.is_some() {
        match paren_key(t0, None)? {
            Key::Id(v) | Key::Alt(v) => (v, &tail[1..]),
        }
    } else {
        match tail.get(1) {
            None => return Ok(Route::JobUsers(key)),
            Some(s) if s.plain("$count") && tail.len() == 2 => {
                return Ok(Route::JobUsersCount(key));
            }
            Some(s) => (plain_key(s)?, &tail[2..]),
        }
    };
    match tail2 {
        [] => Ok(Route::JobUser(key, task)),
        [a] if a.plain("cancel") => Ok(Route::JobUserCancel(key, task)),
        [other, ..] => Err(not_found_segment(other)),
    }
}

fn match_sharepoint(rest: &[Segment]) -> GResult<Route> {
    let Some(c) = rest.first() else {
        return Ok(Route::SpRoot);
    };
    if c.is("crossOrganizationMigrationTasks") {
        let (id, tail) = if c.args.is_some() {
            match paren_key(c, None)? {
                Key::Id(v) | Key::Alt(v) => (v, &rest[1..]),
            }
        } else {
            match rest.get(1) {
                None => return Ok(Route::SpTasks),
                Some(s) if s.plain("$count") && rest.len() == 2 => return Ok(Route::SpTasksCount),
                Some(s) if rest.len() == 2 && s.args.is_some() => {
                    for g in [
                        GetBy::UserPrincipalName,
                        GetBy::SiteUrl,
                        GetBy::GroupMailNickname,
                    ] {
                        if s.is(g.function()) {
                            let value = s
                                .args
                                .as_ref()
                                .and_then(|a| {
                                    a.iter().find(|x| {
                                        x.name
                                            .as_deref()
                                            .is_some_and(|n| n.eq_ignore_ascii_case(g.parameter()))
                                    })
                                })
                                .map(|a| a.value.clone());
                            return Ok(Route::SpGetBy(g, value));
                        }
                    }
                    return Err(not_found_segment(s));
                }
                Some(s) => (plain_key(s)?, &rest[2..]),
            }
        };
        return match tail {
            [] => Ok(Route::SpTask(id)),
            [a] if a.plain("cancel") => Ok(Route::SpTaskCancel(id)),
            [other, ..] => Err(not_found_segment(other)),
        };
    }
    for kind in [MapKind::User, MapKind::Group] {
        if c.is(kind.set_name()) {
            if c.args.is_some() {
                let key = paren_key(c, Some(kind.alt_key()))?;
                return match rest.get(1) {
                    None => Ok(Route::Map(kind, key)),
                    Some(s) => Err(not_found_segment(s)),
                };
            }
            return match rest {
                [_] => Ok(Route::Maps(kind)),
                [_, s] if s.plain("$count") => Ok(Route::MapsCount(kind)),
                [_, s] => Ok(Route::Map(kind, Key::Id(plain_key(s)?))),
                [_, _, s, ..] => Err(not_found_segment(s)),
                [] => unreachable!(),
            };
        }
    }
    Err(not_found_segment(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(p: &str) -> Route {
        parse(p).route.unwrap()
    }

    #[test]
    fn routes() {
        assert_eq!(r("/solutions/migrations"), Route::MigrationsRoot);
        assert_eq!(
            r("/beta/solutions/migrations/crossTenantMigrationJobs"),
            Route::Jobs
        );
        assert_eq!(
            r("/solutions/migrations/crosstenantmigrationjobs/abc"),
            Route::Job(Key::Id("abc".into()))
        );
        assert_eq!(
            r("/solutions/migrations/crossTenantMigrationJobs(displayName='a%2Fb''c')/migrate"),
            Route::JobAction(Key::Alt("a/b'c".into()), JobAction::Migrate)
        );
        assert_eq!(
            r("/solutions/migrations/crossTenantMigrationJobs('x')/users('y')/cancel"),
            Route::JobUserCancel(Key::Id("x".into()), "y".into())
        );
        assert_eq!(
            r(
                "/solutions/sharePoint/migrations/crossOrganizationMigrationTasks/getBySourceSiteUrl(sourceSiteUrl='https%3A%2F%2Fcontoso.sharepoint.com%2Fsites%2FIT')"
            ),
            Route::SpGetBy(
                GetBy::SiteUrl,
                Some("https://contoso.sharepoint.com/sites/IT".into())
            )
        );
        assert_eq!(
            r(
                "/solutions/sharePoint/migrations/crossOrganizationMigrationTasks/getBySourceSiteUrl(sourceSiteUrl='https://contoso.sharepoint.com/sites/IT')"
            ),
            Route::SpGetBy(
                GetBy::SiteUrl,
                Some("https://contoso.sharepoint.com/sites/IT".into())
            )
        );
        assert_eq!(
            r(
                "/solutions/sharePoint/migrations/crossOrganizationUserMappings(sourceUserPrincipalName='a%40b.com')"
            ),
            Route::Map(MapKind::User, Key::Alt("a@b.com".into()))
        );
        assert!(parse("/solutions/foo").route.is_err());
    }
}
