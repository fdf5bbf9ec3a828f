//! Slicing the Graph beta stand-in (../shared/metadata/graph-beta.csdl) with
//! the committed metadata/slice.toml and metadata/patches gives exactly the
//! types and operations the closure rules justify, and nothing else.
//!
//! The closure rules (codegen/src/slice/closure.rs):
//! 1. containers on the included paths keep their key and the navigation
//!    properties on those paths (`solutionsRoot`, `sharePointRoot`);
//! 2. the entity types the included paths address, plus their derived types;
//! 3. the types of every property of a kept type, plus the derived types of
//!    every structured property type (it may hold any of them);
//! 4. base types of every kept type (containers included: they carry the key);
//! 5. parameter and return types of the included bound operations.

use std::collections::BTreeSet;

use migrations_codegen::csdl::syntax::{OperationKind, StructuredKind};
use migrations_codegen::model::{Model, vocab};
use migrations_codegen::pipeline::{self, Sliced};

use crate::support;

const NS: &str = "microsoft.graph";

/// Every enum type, each with the property that needs it.
const ENUMS: &[(&str, &str)] = &[
    (
        "crossTenantMigrationJobStatus",
        "crossTenantMigrationJob/status",
    ),
    (
        "crossTenantMigrationJobType",
        "crossTenantMigrationJob/jobType",
    ),
    (
        "crossTenantMigrationServiceStatus",
        "crossTenantMigrationServiceStatusDetails/status",
    ),
    (
        "initiatorType",
        "initiator/initiatorType (initiator derives from identity)",
    ),
    (
        "sharePointIdentityMappingGroupType",
        "sharePointGroupIdentityMapping/groupType",
    ),
    (
        "sharePointIdentityMappingUserType",
        "sharePointUserIdentityMapping/userType",
    ),
    (
        "sharePointMigrationTaskStatus",
        "sharePointMigrationTask/status",
    ),
    (
        "teamworkApplicationIdentityType",
        "teamworkApplicationIdentity/applicationIdentityType (derives from identity)",
    ),
    (
        "teamworkConversationIdentityType",
        "teamworkConversationIdentity/conversationIdentityType (derives from identity)",
    ),
    (
        "teamworkUserIdentityType",
        "teamworkUserIdentity/userIdentityType (derives from identity)",
    ),
];

/// Every derived type of `identity` in the schema: `identity` is the declared
/// type of sharePointGroupIdentityMapping/sourceGroupIdentity and
/// targetGroupIdentity, so a payload may carry any of them.
const IDENTITY_FAMILY: &[&str] = &[
    "emailIdentity",
    "groupIdentity",
    "initiator",
    "programResource",
    "provisionedIdentity",
    "provisioningServicePrincipal",
    "provisioningSystem",
    "servicePrincipalIdentity",
    "sharePointGroupIdentity",
    "sharePointIdentity",
    "teamworkApplicationIdentity",
    "teamworkConversationIdentity",
    "teamworkTagIdentity",
    "teamworkUserIdentity",
    "userIdentity",
];

/// Every complex type, each with what needs it.
const COMPLEX: &[(&str, &str)] = &[
    (
        "crossTenantMigrationCancelResponse",
        "return type of cancel on a job and on a task",
    ),
    (
        "crossTenantMigrationServiceStatusDetails",
        "crossTenantMigrationTask/currentStatus",
    ),
    (
        "deleted",
        "sharePointIdentityMapping/deleted (base of both mappings)",
    ),
    (
        "detailsInfo",
        "provisionedIdentity/details, provisioningSystem/details",
    ),
    ("error", "crossTenantMigrationServiceStatusDetails/errors"),
    (
        "exchangeOnlineCrossTenantMigrationSettings",
        "crossTenantMigrationJob/exchangeSettings and the patched validate parameter",
    ),
    (
        "identity",
        "sharePointGroupIdentityMapping/sourceGroupIdentity",
    ),
    ("publicError", "sharePointMigrationTask/error"),
    ("publicErrorDetail", "publicError/details"),
    ("publicInnerError", "publicError/innerError"),
    (
        "sharePointIdentityMappingGroupMigrationData",
        "sharePointGroupIdentityMapping/targetGroupMigrationData",
    ),
    (
        "sharePointIdentityMappingUserMigrationData",
        "sharePointUserIdentityMapping/targetUserMigrationData",
    ),
    (
        "sharePointMigrationTaskParameters",
        "sharePointMigrationTask/parameters",
    ),
    (
        "sharePointGroupMigrationTaskParameters",
        "derives from sharePointMigrationTaskParameters (polymorphic parameters)",
    ),
    (
        "sharePointSiteMigrationTaskParameters",
        "derives from sharePointMigrationTaskParameters (polymorphic parameters)",
    ),
    (
        "sharePointUserMigrationTaskParameters",
        "derives from sharePointMigrationTaskParameters (polymorphic parameters)",
    ),
];

/// Every entity type, each with what needs it.
const ENTITIES: &[(&str, &str)] = &[
    (
        "solutionsRoot",
        "container: type of the solutions singleton",
    ),
    ("migrationsRoot", "/solutions/migrations"),
    (
        "crossTenantMigrationJob",
        "/solutions/migrations/crossTenantMigrationJobs",
    ),
    (
        "crossTenantMigrationTask",
        ".../crossTenantMigrationJobs/{id}/users",
    ),
    ("sharePointRoot", "container: /solutions/sharePoint"),
    (
        "sharePointMigrationsRoot",
        "/solutions/sharePoint/migrations",
    ),
    (
        "sharePointMigrationTask",
        "/solutions/sharePoint/migrations/crossOrganizationMigrationTasks",
    ),
    (
        "sharePointUserIdentityMapping",
        "/solutions/sharePoint/migrations/crossOrganizationUserMappings",
    ),
    (
        "sharePointGroupIdentityMapping",
        "/solutions/sharePoint/migrations/crossOrganizationGroupMappings",
    ),
    (
        "sharePointIdentityMapping",
        "base type of both identity mappings",
    ),
    (
        "entity",
        "base type of every entity type above but solutionsRoot: the key",
    ),
];

/// Every operation overload, by signature (actions by binding type only).
const OPERATIONS: &[&str] = &[
    "microsoft.graph.cancel(microsoft.graph.crossTenantMigrationJob)",
    "microsoft.graph.cancel(microsoft.graph.crossTenantMigrationTask)",
    "microsoft.graph.cancel(microsoft.graph.sharePointMigrationTask)",
    "microsoft.graph.getBySourceGroupMailNickname(Collection(microsoft.graph.sharePointMigrationTask),Edm.String)",
    "microsoft.graph.getBySourceSiteUrl(Collection(microsoft.graph.sharePointMigrationTask),Edm.String)",
    "microsoft.graph.getBySourceUserPrincipalName(Collection(microsoft.graph.sharePointMigrationTask),Edm.String)",
    "microsoft.graph.migrate(microsoft.graph.crossTenantMigrationJob)",
    // Added by metadata/patches/0001-validate-on-collection.toml.
    "microsoft.graph.validate(Collection(microsoft.graph.crossTenantMigrationJob))",
    "microsoft.graph.validate(microsoft.graph.crossTenantMigrationJob)",
];

fn q(local: &str) -> String {
    format!("{NS}.{local}")
}

fn set<'a>(names: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
    names.into_iter().map(q).collect()
}

/// The committed configuration and patches applied to graph-beta.csdl, and
/// the resolved model of the sliced output.
fn sliced() -> Option<(Sliced, Model)> {
    let (file, text) = support::shared_csdl("graph-beta.csdl")?;
    let sliced = pipeline::slice_source(
        &file,
        &text,
        &support::committed_config(),
        &support::committed_patches(),
    )
    .unwrap_or_else(|d| panic!("slicing graph-beta.csdl failed:\n{d}"));
    let model = pipeline::load_model(pipeline::SLICED_CSDL, &sliced.csdl)
        .unwrap_or_else(|d| panic!("the sliced CSDL does not resolve:\n{d}"));
    Some((sliced, model))
}

fn assert_same(what: &str, actual: &BTreeSet<String>, expected: &BTreeSet<String>) {
    let missing: Vec<_> = expected.difference(actual).collect();
    let extra: Vec<_> = actual.difference(expected).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{what} differ from the expected set\n  missing: {missing:?}\n  unexpected: {extra:?}"
    );
}

#[test]
fn sliced_model_has_exactly_the_expected_types() {
    let Some((_, model)) = sliced() else { return };
    let enums: BTreeSet<String> = model.enums.keys().cloned().collect();
    assert_same("enum types", &enums, &set(ENUMS.iter().map(|(n, _)| *n)));

    let complex: BTreeSet<String> = model
        .structs
        .values()
        .filter(|s| s.kind == StructuredKind::Complex)
        .map(|s| s.name.clone())
        .collect();
    let expected_complex = set(COMPLEX
        .iter()
        .map(|(n, _)| *n)
        .chain(IDENTITY_FAMILY.iter().copied()));
    assert_same("complex types", &complex, &expected_complex);

    let entities: BTreeSet<String> = model
        .structs
        .values()
        .filter(|s| s.kind == StructuredKind::Entity)
        .map(|s| s.name.clone())
        .collect();
    assert_same(
        "entity types",
        &entities,
        &set(ENTITIES.iter().map(|(n, _)| *n)),
    );
    assert!(
        model.type_definitions.is_empty(),
        "no type definition is needed: {:?}",
        model.type_definitions.keys()
    );
    assert_eq!(model.counts().enum_types, 10);
    assert_eq!(model.counts().complex_types, 31);
    assert_eq!(model.counts().entity_types, 11);
}

#[test]
fn selection_agrees_with_the_sliced_model() {
    let Some((sliced, model)) = sliced() else {
        return;
    };
    let sel = &sliced.selection;
    let all: BTreeSet<String> = sel.types.union(&sel.containers).cloned().collect();
    let in_model: BTreeSet<String> = model
        .enums
        .keys()
        .chain(model.structs.keys())
        .cloned()
        .collect();
    assert_same("selected types", &all, &in_model);
    // Only the two types above the included paths are containers.
    assert_same(
        "containers",
        &sel.containers,
        &set(["solutionsRoot", "sharePointRoot"]),
    );
    assert_eq!(
        sel.singletons,
        BTreeSet::from(["solutions".to_string()]),
        "the only singleton on the paths"
    );
    assert!(sel.entity_sets.is_empty(), "{:?}", sel.entity_sets);
    assert_eq!(
        model.singletons.keys().collect::<Vec<_>>(),
        ["solutions"],
        "the sliced container keeps exactly the solutions singleton"
    );
    assert!(model.entity_sets.is_empty());
}

#[test]
fn every_kept_type_is_justified_by_the_closure_rules() {
    // Recompute the closure independently from the sliced model: the
    // addressed entity types, then property/base/derived types. A type in
    // the slice that this does not reach has no reason to be there.
    let Some((_, model)) = sliced() else { return };
    let mut reached: BTreeSet<String> = set(["solutionsRoot", "sharePointRoot"]);
    let mut work: Vec<String> = ENTITIES
        .iter()
        .map(|(n, _)| q(n))
        .filter(|n| !reached.contains(n))
        .collect();
    for op in &model.operations {
        work.extend(
            op.parameters
                .iter()
                .filter_map(|p| p.ty.kind.defined_name().map(str::to_string)),
        );
        work.extend(
            op.return_type
                .iter()
                .filter_map(|r| r.ty.kind.defined_name().map(str::to_string)),
        );
    }
    // Containers need their base type for the key.
    work.push(q("entity"));
    while let Some(n) = work.pop() {
        if !reached.insert(n.clone()) {
            continue;
        }
        let Some(s) = model.struct_def(&n) else {
            continue;
        };
        work.extend(s.base_type.clone());
        for p in &s.properties {
            if let Some(t) = p.ty.kind.defined_name() {
                work.push(t.to_string());
                work.extend(model.derived_closure(t).into_iter().map(str::to_string));
            }
        }
    }
    let in_model: BTreeSet<String> = model
        .enums
        .keys()
        .chain(model.structs.keys())
        .cloned()
        .collect();
    assert_same("types reached by the closure rules", &reached, &in_model);
}

#[test]
fn sliced_model_has_exactly_the_expected_operations() {
    let Some((sliced, model)) = sliced() else {
        return;
    };
    let expected: BTreeSet<String> = OPERATIONS.iter().map(|s| s.to_string()).collect();
    let in_model: BTreeSet<String> = model.operations.iter().map(|o| o.signature()).collect();
    assert_same("operations in the sliced model", &in_model, &expected);
    assert_same(
        "operations in the selection",
        &sliced.selection.operations,
        &expected,
    );
    assert_eq!(model.operations.len(), 9, "no duplicate overloads");
    let count = |name: &str| {
        model
            .operations
            .iter()
            .filter(|o| o.short_name() == name)
            .count()
    };
    assert_eq!(count("cancel"), 3);
    assert_eq!(count("migrate"), 1);
    assert_eq!(count("validate"), 2);
    assert_eq!(
        model
            .operations
            .iter()
            .filter(|o| o.kind == OperationKind::Function)
            .map(|o| o.short_name())
            .collect::<BTreeSet<_>>(),
        BTreeSet::from([
            "getBySourceGroupMailNickname",
            "getBySourceSiteUrl",
            "getBySourceUserPrincipalName"
        ])
    );
    // Every operation is bound, and bound to a type on an included path.
    for op in &model.operations {
        let b = op
            .binding
            .as_ref()
            .unwrap_or_else(|| panic!("{} is unbound", op.signature()));
        let ty = b.ty.kind.defined_name().unwrap();
        assert!(
            ENTITIES.iter().any(|(n, _)| q(n) == ty),
            "{} is bound to {ty}, not on the paths",
            op.signature()
        );
    }
    // The patched overload is bound to the collection; the metadata's own
    // one to a single job.
    let validate: Vec<_> = model
        .operations
        .iter()
        .filter(|o| o.short_name() == "validate")
        .collect();
    assert!(
        validate
            .iter()
            .any(|o| o.binding.as_ref().unwrap().ty.collection
                && !vocab::patched(&o.annotations).is_empty())
    );
    assert!(validate.iter().any(|o| {
        !o.binding.as_ref().unwrap().ty.collection
                // Documented by patch 0004, changed by none.
                && vocab::patched(&o.annotations)
                    .iter()
                    .all(|n| n.starts_with("metadata/patches/0004-"))
                && o.parameters.is_empty()
    }));
}

#[test]
fn solutions_root_keeps_only_the_paths_navigation_properties() {
    let Some((_, model)) = sliced() else { return };
    let root = model
        .struct_def(&q("solutionsRoot"))
        .expect("solutionsRoot");
    let navs: Vec<&str> = root
        .navigation_properties
        .iter()
        .map(|n| n.name.as_str())
        .collect();
    assert_eq!(navs, ["migrations", "sharePoint"]);
    assert!(root.properties.is_empty(), "a container keeps only its key");
    let sp = model
        .struct_def(&q("sharePointRoot"))
        .expect("sharePointRoot");
    let navs: Vec<&str> = sp
        .navigation_properties
        .iter()
        .map(|n| n.name.as_str())
        .collect();
    assert_eq!(navs, ["migrations"]);
    // The key comes from the base type, kept whole.
    assert_eq!(
        model
            .key(&q("sharePointRoot"))
            .iter()
            .map(|k| k.name.as_str())
            .collect::<Vec<_>>(),
        ["id"]
    );
    // Entity types reached through properties only keep no navigation.
    for name in [
        "crossTenantMigrationTask",
        "sharePointMigrationTask",
        "entity",
    ] {
        let s = model.struct_def(&q(name)).unwrap();
        assert!(
            s.navigation_properties.is_empty(),
            "{name} keeps {:?}",
            s.navigation_properties
                .iter()
                .map(|n| &n.name)
                .collect::<Vec<_>>()
        );
    }
}

#[test]
fn derived_types_of_polymorphic_payloads_are_present() {
    let Some((_, model)) = sliced() else { return };
    for (derived, base) in [
        ("userIdentity", "identity"),
        ("groupIdentity", "identity"),
        (
            "sharePointUserMigrationTaskParameters",
            "sharePointMigrationTaskParameters",
        ),
        (
            "sharePointSiteMigrationTaskParameters",
            "sharePointMigrationTaskParameters",
        ),
        (
            "sharePointGroupMigrationTaskParameters",
            "sharePointMigrationTaskParameters",
        ),
    ] {
        let s = model
            .struct_def(&q(derived))
            .unwrap_or_else(|| panic!("{derived} is missing from the slice"));
        assert_eq!(s.base_type.as_deref(), Some(q(base).as_str()), "{derived}");
        assert!(model.is_same_or_derived(&q(derived), &q(base)));
    }
    // The base types are used as declared property types: that is what
    // makes them polymorphic.
    let task = model.struct_def(&q("sharePointMigrationTask")).unwrap();
    let parameters = task
        .properties
        .iter()
        .find(|p| p.name == "parameters")
        .unwrap();
    assert_eq!(
        parameters.ty.kind.structured_name(),
        Some(q("sharePointMigrationTaskParameters").as_str())
    );
    assert_eq!(
        model
            .derived_closure(&q("sharePointMigrationTaskParameters"))
            .len(),
        3
    );
    assert_eq!(
        model.derived_closure(&q("identity")).len(),
        IDENTITY_FAMILY.len()
    );
}

#[test]
fn revisions_annotations_survive_slicing() {
    let Some((sliced, model)) = sliced() else {
        return;
    };
    // (type, deprecated since, removal)
    let expected = [
        ("crossTenantMigrationJob", "2023-11-15", "2026-07-09"),
        ("crossTenantMigrationJobStatus", "2023-11-15", "2026-07-09"),
        ("crossTenantMigrationJobType", "2025-07-09", "2026-07-09"),
        (
            "crossTenantMigrationServiceStatus",
            "2023-11-15",
            "2024-11-15",
        ),
        (
            "crossTenantMigrationServiceStatusDetails",
            "2023-11-15",
            "2026-07-09",
        ),
        ("crossTenantMigrationTask", "2023-11-15", "2026-07-09"),
        ("migrationsRoot", "2023-11-15", "2026-07-09"),
    ];
    for (name, since, removal) in expected {
        assert!(
            sliced
                .csdl
                .contains(&format!("<Annotations Target=\"{NS}.{name}\">")),
            "the sliced CSDL lost the annotations of {name}"
        );
        let anns = model
            .enums
            .get(&q(name))
            .map(|e| &e.annotations)
            .or_else(|| model.structs.get(&q(name)).map(|s| &s.annotations))
            .unwrap_or_else(|| panic!("{name} is missing"));
        let r = vocab::deprecation(anns)
            .unwrap_or_else(|| panic!("{name} lost its Revisions annotation"));
        assert_eq!(r.date.as_deref(), Some(since), "{name}");
        assert_eq!(r.removal_date.as_deref(), Some(removal), "{name}");
        assert!(
            r.version
                .as_deref()
                .unwrap()
                .contains("CrossTenantContentMigrationAPI")
        );
    }
    let deprecated: BTreeSet<String> = model.deprecations().into_iter().map(|(n, _)| n).collect();
    assert_same(
        "deprecated elements",
        &deprecated,
        &set(expected.iter().map(|(n, _, _)| *n)),
    );
    // Nothing of the SharePoint side is deprecated.
    assert!(!sliced.csdl.contains("Target=\"microsoft.graph.sharePoint"));
}

#[test]
fn included_paths_are_the_migration_trees() {
    let Some((sliced, _)) = sliced() else { return };
    let paths = &sliced.selection.paths;
    assert!(paths.iter().all(|p| p.starts_with("/solutions/migrations")
        || p.starts_with("/solutions/sharePoint/migrations")));
    for p in [
        "/solutions/migrations/crossTenantMigrationJobs/{crossTenantMigrationJobId}/users/{crossTenantMigrationTaskId}",
        "/solutions/sharePoint/migrations/crossOrganizationMigrationTasks/{sharePointMigrationTaskId}",
        "/solutions/sharePoint/migrations/crossOrganizationUserMappings/{sharePointUserIdentityMappingId}",
        "/solutions/sharePoint/migrations/crossOrganizationGroupMappings/{sharePointGroupIdentityMappingId}",
    ] {
        assert!(
            paths.iter().any(|x| x == p),
            "{p} is not included: {paths:#?}"
        );
    }
    assert_eq!(paths.len(), 12, "{paths:#?}");
}

/// graph-beta.csdl sliced with `include` (and `exclude`), and the model of
/// the slice.
fn sliced_with(include: &[&str], exclude: &[&str]) -> Option<(Sliced, Model)> {
    let (file, text) = support::shared_csdl("graph-beta.csdl")?;
    let config =
        migrations_codegen::slice::SliceConfig::new(include, exclude).expect("valid patterns");
    let sliced = pipeline::slice_source(&file, &text, &config, &[])
        .unwrap_or_else(|d| panic!("slicing {include:?} failed:\n{d}"));
    let model = pipeline::load_model(pipeline::SLICED_CSDL, &sliced.csdl)
        .unwrap_or_else(|d| panic!("the slice of {include:?} does not resolve:\n{d}"));
    Some((sliced, model))
}

fn navigation_names(model: &Model, ty: &str) -> BTreeSet<String> {
    model.structs[&q(ty)]
        .navigation_properties
        .iter()
        .map(|n| n.name.clone())
        .collect()
}

/// A path through an inherited navigation property keeps it on the type that
/// declares it: `/drive/createdByUser` is `baseItem`'s.
#[test]
fn an_inherited_navigation_property_is_kept_where_it_is_declared() {
    let Some((sliced, model)) = sliced_with(&["/drive/createdByUser"], &[]) else {
        return;
    };
    assert!(
        sliced
            .selection
            .paths
            .contains(&"/drive/createdByUser".to_string())
    );
    assert_eq!(
        navigation_names(&model, "baseItem"),
        BTreeSet::from(["createdByUser".to_string()])
    );
    assert!(model.structs.contains_key(&q("user")));
}

/// A complex type's navigation properties are part of its value: an
/// action's result that has nothing else keeps them, and their targets.
#[test]
fn a_complex_types_navigation_properties_are_kept_with_their_targets() {
    let Some((_, model)) = sliced_with(&["/applicationTemplates/*/instantiate"], &[]) else {
        return;
    };
    let navs = navigation_names(&model, "applicationServicePrincipal");
    assert!(
        navs.contains("application") && navs.contains("servicePrincipal"),
        "{navs:?}"
    );
    assert!(model.structs.contains_key(&q("application")));
    assert!(model.structs.contains_key(&q("servicePrincipal")));
}

/// An excluded subtree is not walked: it costs nothing of the path budget,
/// and the navigation property leading into it is not kept.
#[test]
fn an_excluded_subtree_is_not_walked_nor_kept() {
    let Some((sliced, model)) = sliced_with(
        &["/solutions/migrations/**"],
        &["/solutions/migrations/crossTenantMigrationJobs/*/users/**"],
    ) else {
        return;
    };
    assert!(
        !sliced.selection.paths.iter().any(|p| p.contains("/users")),
        "{:?}",
        sliced.selection.paths
    );
    assert!(!navigation_names(&model, "crossTenantMigrationJob").contains("users"));
}

/// An annotation block whose target names an operation without its
/// parameter types (`ns.f`, every overload, as the resolver reads it)
/// stays in the slice with the operation; it was dropped.
#[test]
fn annotations_on_an_operation_named_without_parameters_are_kept() {
    let text = r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
<edmx:Reference Uri="https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Core.V1.xml">
<edmx:Include Namespace="Org.OData.Core.V1" Alias="Core"/>
</edmx:Reference>
<edmx:DataServices>
<Schema Namespace="ns" Alias="n" xmlns="http://docs.oasis-open.org/odata/ns/edm">
<EntityType Name="thing"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String" Nullable="false"/></EntityType>
<Function Name="look" IsBound="true"><Parameter Name="bp" Type="n.thing"/><ReturnType Type="Edm.String"/></Function>
<EntityContainer Name="c"><EntitySet Name="things" EntityType="n.thing"/></EntityContainer>
<Annotations Target="n.look"><Annotation Term="Core.Description" String="looks"/></Annotations>
</Schema>
</edmx:DataServices>
</edmx:Edmx>
"#;
    let config =
        migrations_codegen::slice::SliceConfig::new(&["/things/**"], &[]).expect("valid patterns");
    let sliced = pipeline::slice_source("t.csdl", text, &config, &[])
        .unwrap_or_else(|d| panic!("slicing failed:\n{d}"));
    assert!(
        sliced.csdl.contains("<Annotations Target=\"n.look\">"),
        "{}",
        sliced.csdl
    );
    let model = pipeline::load_model(pipeline::SLICED_CSDL, &sliced.csdl)
        .unwrap_or_else(|d| panic!("the slice does not resolve:\n{d}"));
    let look = model
        .operations
        .iter()
        .find(|o| o.name == "ns.look")
        .expect("the function is kept");
    assert!(
        look.annotations
            .iter()
            .any(|a| a.term.ends_with("Description")),
        "{look:?}"
    );
}
