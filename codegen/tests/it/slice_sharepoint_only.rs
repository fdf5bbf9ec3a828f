//! A slice of the SharePoint migration paths only keeps nothing of the
//! cross-tenant migration API: the closure does not leak across subtrees.

use std::collections::BTreeSet;

use migrations_codegen::model::Model;
use migrations_codegen::pipeline::{self, Sliced};
use migrations_codegen::slice::SliceConfig;

use crate::support;

const INCLUDE: &str = "/solutions/sharePoint/migrations/**";

fn sliced(with_patches: bool) -> Option<(Sliced, Model, SliceConfig)> {
    let (file, text) = support::shared_csdl("graph-beta.csdl")?;
    let config = support::config(&[INCLUDE]);
    let patches = if with_patches {
        support::committed_patches()
    } else {
        Vec::new()
    };
    let sliced = pipeline::slice_source(&file, &text, &config, &patches)
        .unwrap_or_else(|d| panic!("slicing {INCLUDE} failed:\n{d}"));
    let model = pipeline::load_model("sharepoint-only.csdl", &sliced.csdl)
        .unwrap_or_else(|d| panic!("the SharePoint-only slice does not resolve:\n{d}"));
    Some((sliced, model, config))
}

fn type_names(model: &Model) -> BTreeSet<String> {
    model
        .enums
        .keys()
        .chain(model.structs.keys())
        .chain(model.type_definitions.keys())
        .cloned()
        .collect()
}

/// The XML after the generated header comment, without the entity
/// container's record of the patches applied: both name every patch, whether
/// the slice kept what it changed or not, and may mention anything.
fn body(csdl: &str) -> String {
    let end = csdl.find("-->").expect("header comment");
    csdl[end..]
        .lines()
        .filter(|l| {
            !l.trim_start()
                .starts_with("<Annotation Term=\"GraphMigrations.Sdk.V1.Patched\" String=\"metadata/patches/0001-")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn no_cross_tenant_migration_type_remains() {
    for with_patches in [false, true] {
        let Some((sliced, model, _)) = sliced(with_patches) else {
            return;
        };
        let leaked: Vec<String> = type_names(&model)
            .into_iter()
            .chain(sliced.selection.types.iter().cloned())
            .chain(sliced.selection.containers.iter().cloned())
            .filter(|n| n.to_ascii_lowercase().contains("crosstenantmigration"))
            .collect();
        assert!(
            leaked.is_empty(),
            "patches: {with_patches}: cross-tenant types leaked into the slice: {leaked:?}"
        );
        assert!(
            !body(&sliced.csdl)
                .to_ascii_lowercase()
                .contains("crosstenantmigration"),
            "patches: {with_patches}: the sliced CSDL still mentions crossTenantMigration"
        );
        assert!(
            !model.structs.contains_key("microsoft.graph.migrationsRoot"),
            "migrationsRoot is not on a SharePoint path"
        );
        assert!(!body(&sliced.csdl).contains("migrationsRoot\""));
        // 0001 and 0004 are recorded as applied (on the container), though
        // nothing they touched is in this slice; 0002 and 0003 mark the
        // mappings.
        let recorded =
            migrations_codegen::model::vocab::applied_patches(&model.container_annotations);
        assert_eq!(recorded.len(), if with_patches { 4 } else { 0 });
        let on_elements = sliced
            .csdl
            .matches("GraphMigrations.Sdk.V1.Patched")
            .count();
        assert_eq!(on_elements, if with_patches { 2 } else { 0 });
        // No deprecated element is left: all of them were cross-tenant.
        assert!(
            model.deprecations().is_empty(),
            "{:?}",
            model.deprecations()
        );
        // Only the SharePoint operations: cancel on a task and the three
        // getBySource* functions. The patched validate overload is bound to
        // a type outside the slice.
        let ops: BTreeSet<String> = model.operations.iter().map(|o| o.signature()).collect();
        assert_eq!(
            ops,
            BTreeSet::from(
                [
                    "microsoft.graph.cancel(microsoft.graph.sharePointMigrationTask)",
                    "microsoft.graph.getBySourceGroupMailNickname(Collection(microsoft.graph.sharePointMigrationTask),Edm.String)",
                    "microsoft.graph.getBySourceSiteUrl(Collection(microsoft.graph.sharePointMigrationTask),Edm.String)",
                    "microsoft.graph.getBySourceUserPrincipalName(Collection(microsoft.graph.sharePointMigrationTask),Edm.String)",
                ]
                .map(String::from)
            )
        );
    }
}

#[test]
fn solutions_root_keeps_only_share_point() {
    let Some((sliced, model, _)) = sliced(true) else {
        return;
    };
    let root = model
        .struct_def("microsoft.graph.solutionsRoot")
        .expect("solutionsRoot is a container on the path");
    let navs: Vec<&str> = root
        .navigation_properties
        .iter()
        .map(|n| n.name.as_str())
        .collect();
    assert_eq!(navs, ["sharePoint"]);
    assert_eq!(
        sliced.selection.containers,
        BTreeSet::from([
            "microsoft.graph.sharePointRoot".to_string(),
            "microsoft.graph.solutionsRoot".to_string()
        ])
    );
    assert!(
        sliced
            .selection
            .paths
            .iter()
            .all(|p| p.starts_with("/solutions/sharePoint/migrations")),
        "{:#?}",
        sliced.selection.paths
    );
    // The SharePoint side is the same as in the default slice: the mapping
    // types, the polymorphic task parameters and identities.
    for t in [
        "sharePointMigrationsRoot",
        "sharePointMigrationTask",
        "sharePointUserIdentityMapping",
        "sharePointGroupIdentityMapping",
        "sharePointSiteMigrationTaskParameters",
        "userIdentity",
        "groupIdentity",
    ] {
        assert!(
            model.structs.contains_key(&format!("microsoft.graph.{t}")),
            "{t} is missing"
        );
    }
}

#[test]
fn delta_update_patches_still_apply() {
    let Some((_, model, _)) = sliced(true) else {
        return;
    };
    let root = model
        .struct_def("microsoft.graph.sharePointMigrationsRoot")
        .unwrap();
    for nav in [
        "crossOrganizationUserMappings",
        "crossOrganizationGroupMappings",
    ] {
        let n = root
            .navigation_properties
            .iter()
            .find(|n| n.name == nav)
            .unwrap();
        let d = migrations_codegen::model::vocab::delta_update(&n.annotations)
            .unwrap_or_else(|| panic!("{nav} lost its DeltaUpdate annotation"));
        assert_eq!(d.max_items, 50);
    }
}

#[test]
fn generated_surface_has_only_share_point_paths() {
    let Some((_, model, config)) = sliced(true) else {
        return;
    };
    let generated =
        pipeline::generate(&model, &config).unwrap_or_else(|d| panic!("generation failed:\n{d}"));
    assert!(
        generated
            .api_surface
            .lines()
            .all(|l| l.contains(" /solutions/sharePoint/migrations")),
        "{}",
        generated.api_surface
    );
    assert!(
        !generated
            .api_surface
            .to_ascii_lowercase()
            .contains("crosstenantmigration")
    );
    assert!(
        generated
            .files
            .keys()
            .all(|f| !f.contains("cross_tenant_migration")),
        "{:?}",
        generated.files.keys()
    );
    assert!(!generated.files.contains_key("models/migrations_root.rs"));
    assert!(
        generated
            .files
            .contains_key("models/share_point_migrations_root.rs")
    );
    assert!(
        generated
            .api_surface
            .contains("GET /solutions/sharePoint/migrations/crossOrganizationMigrationTasks/getBySourceSiteUrl(sourceSiteUrl='{sourceSiteUrl}') -> microsoft.graph.sharePointMigrationTask")
    );
}
