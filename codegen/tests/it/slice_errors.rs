//! Slicing fails with located, explanatory errors: a schema without the
//! `solutions` singleton, a typo in an include path, a broken slice.toml.

use migrations_codegen::csdl::Diagnostics;
use migrations_codegen::pipeline;
use migrations_codegen::slice::SliceConfig;

use crate::support;

fn slice_err(
    file: &str,
    text: &str,
    config: &SliceConfig,
    patches: &[migrations_codegen::patch::Patch],
) -> Diagnostics {
    match pipeline::slice_source(file, text, config, patches) {
        Ok(s) => panic!(
            "slicing {file} unexpectedly succeeded with paths {:?}",
            s.selection.paths
        ),
        Err(d) => d,
    }
}

/// slice.toml text whose include paths are written on lines 2 and 3.
fn toml_with(include: &[&str]) -> String {
    let mut s = String::from("include = [\n");
    for p in include {
        s.push_str(&format!("  \"{p}\",\n"));
    }
    s.push_str("]\n");
    s
}

#[test]
fn usnat_has_no_solutions_singleton() {
    let Some((file, text)) = support::shared_csdl("graph-beta-usnat.csdl") else {
        return;
    };
    let text_config = toml_with(&[
        "/solutions/migrations/**",
        "/solutions/sharePoint/migrations/**",
    ]);
    let config = SliceConfig::from_toml("metadata/slice.toml", &text_config).unwrap();
    let d = slice_err(&file, &text, &config, &[]);
    assert_eq!(d.0.len(), 2, "one error per include path:\n{d}");
    let first = d.0[0].to_string();
    // Located at the include path in slice.toml (line 2, after `  "`).
    assert!(
        first.starts_with("metadata/slice.toml:2:4: error: include path \"/solutions/migrations/**\" does not resolve in ../shared/metadata/graph-beta-usnat.csdl: segment \"solutions\" is not found under the entity container"),
        "{first}"
    );
    assert_eq!(d.0[1].pos.line, 3, "{}", d.0[1]);
    // The closest existing names are the most similar ones, not the first
    // in alphabetical order (usnat has 81 singletons and entity sets).
    let closest = first
        .split("(closest existing: ")
        .nth(1)
        .unwrap_or_else(|| panic!("no closest names in: {first}"));
    let shown: Vec<&str> = closest
        .split(" and ")
        .next()
        .unwrap()
        .trim_end_matches(')')
        .split(", ")
        .collect();
    assert_eq!(shown.len(), 12, "{first}");
    assert_eq!(
        shown[..4],
        ["functions", "settings", "auditLogs", "subscriptions"],
        "{first}"
    );
    assert!(
        !shown.contains(&"accessReviewDecisions"),
        "alphabetical, not closest: {first}"
    );
    // Independently: the names shown are the 12 most similar of all the
    // container's children, most similar first.
    let model = pipeline::load_model(&file, &text).unwrap();
    let score = |n: &str| strsim::jaro_winkler("solutions", &n.to_ascii_lowercase());
    let mut all: Vec<&str> = model
        .singletons
        .keys()
        .chain(model.entity_sets.keys())
        .map(String::as_str)
        .collect();
    assert_eq!(all.len(), 81);
    all.sort_by(|a, b| score(b).total_cmp(&score(a)).then_with(|| a.cmp(b)));
    assert_eq!(shown, all[..12], "{first}");
    assert!(first.ends_with(" and 69 more)"), "{first}");
}

#[test]
fn usnat_with_the_committed_patches_reports_the_missing_root_first() {
    let Some((file, text)) = support::shared_csdl("graph-beta-usnat.csdl") else {
        return;
    };
    let d = slice_err(
        &file,
        &text,
        &support::committed_config(),
        &support::committed_patches(),
    );
    let all = d.to_string();
    assert!(
        d.0[0]
            .message
            .contains("segment \"solutions\" is not found"),
        "the missing singleton must come first:\n{all}"
    );
    assert_eq!(d.0[0].file, "metadata/slice.toml", "{all}");
    // Patch 0001 adds an overload bound to a type usnat lacks: that error
    // points into the patch file, never into the CSDL.
    let patch_errors: Vec<_> =
        d.0.iter()
            .filter(|e| e.message.contains("crossTenantMigrationJob"))
            .collect();
    assert!(!patch_errors.is_empty(), "{all}");
    for e in &patch_errors {
        assert_eq!(
            e.file, "metadata/patches/0001-validate-on-collection.toml",
            "{all}"
        );
        assert!(e.pos.line >= 8, "inside the xml of the patch: {e}");
    }
    let binding = patch_errors
        .iter()
        .find(|e| e.message.contains("\"graph.crossTenantMigrationJob\""))
        .unwrap_or_else(|| panic!("{all}"));
    assert_eq!(binding.pos.line, 9, "the bindingParameter line: {binding}");
    assert!(
        !all.contains("graph-beta-usnat.csdl:9:"),
        "patch positions reported under the CSDL's name:\n{all}"
    );
}

#[test]
fn typo_in_an_include_path_suggests_the_existing_segment() {
    let Some((file, text)) = support::shared_csdl("graph-beta.csdl") else {
        return;
    };
    let config = SliceConfig::from_toml(
        "metadata/slice.toml",
        &toml_with(&["/solutions/migratons/**"]),
    )
    .unwrap();
    let d = slice_err(&file, &text, &config, &support::committed_patches());
    assert_eq!(d.0.len(), 1, "{d}");
    assert_eq!(
        d.0[0].to_string(),
        "metadata/slice.toml:2:4: error: include path \"/solutions/migratons/**\" does not resolve in ../shared/metadata/graph-beta.csdl: segment \"migratons\" is not found under /solutions; did you mean \"migrations\"? (closest existing: migrations, sharePoint)"
    );
}

#[test]
fn typo_deeper_in_a_path_names_its_parent() {
    let Some((file, text)) = support::shared_csdl("graph-beta.csdl") else {
        return;
    };
    let config =
        support::config(&["/solutions/sharePoint/migrations/crossOrganizationMigrationTask/**"]);
    let d = slice_err(&file, &text, &config, &[]);
    let msg = &d.0[0].message;
    assert!(
        msg.contains("segment \"crossOrganizationMigrationTask\" is not found under /solutions/sharePoint/migrations; did you mean \"crossOrganizationMigrationTasks\"?"),
        "{msg}"
    );
    assert!(
        msg.ends_with("(closest existing: crossOrganizationMigrationTasks, crossOrganizationGroupMappings, crossOrganizationUserMappings)"),
        "{msg}"
    );
}

#[test]
fn include_matching_nothing_is_an_error() {
    let Some((file, text)) = support::shared_csdl("graph-beta.csdl") else {
        return;
    };
    // The literal prefix exists, the wildcard part matches nothing.
    let config = support::config(&["/solutions/migrations/*/nothingHere"]);
    let d = slice_err(&file, &text, &config, &[]);
    assert!(d.0[0].message.contains("match no path"), "{d}");
}

#[test]
fn invalid_toml_is_located() {
    let text = "include = [\n  \"/solutions/migrations/**\",\n  oops\n]\n";
    let d = SliceConfig::from_toml("metadata/slice.toml", text).unwrap_err();
    let e = &d.0[0];
    assert_eq!(e.file, "metadata/slice.toml");
    assert_eq!((e.pos.line, e.pos.col), (3, 3), "{e}");
    assert!(e.message.starts_with("invalid slice configuration"), "{e}");
}

#[test]
fn missing_or_empty_include_is_located() {
    let d = SliceConfig::from_toml("metadata/slice.toml", "exclude = []\n").unwrap_err();
    let e = d.0[0].to_string();
    assert!(e.starts_with("metadata/slice.toml:"), "{e}");
    assert!(e.contains("include"), "{e}");
    assert!(d.0[0].pos.line >= 1, "{e}");

    let d = SliceConfig::from_toml("metadata/slice.toml", "# slice\n\ninclude = []\n").unwrap_err();
    assert_eq!(
        d.0[0].to_string(),
        "metadata/slice.toml:3:11: error: slice configuration has no include paths: expected at least one"
    );
}

/// Patterns are located by where TOML read them, not by searching the text:
/// single-quoted, split over lines, or written twice (once in a comment).
#[test]
fn patterns_are_located_where_they_are_written() {
    let text = "# \"/a/**\" was here\ninclude = [\n  '/a/**',\n  \"solutions/x\",\n]\n";
    let d = SliceConfig::from_toml("metadata/slice.toml", text).unwrap_err();
    assert_eq!(
        d.0[0].to_string(),
        "metadata/slice.toml:4:4: error: path pattern \"solutions/x\" must start with \"/\""
    );
    let text =
        "# \"/a/**\" was here\ninclude = [\n  '/b/**',\n  \"/a/**\",\n]\nexclude = ['/a/x']\n";
    let config = SliceConfig::from_toml("metadata/slice.toml", text).unwrap();
    let at =
        |p: &migrations_codegen::slice::PathPattern| (p.as_str().to_string(), p.pos().to_string());
    assert_eq!(
        config.include.iter().map(at).collect::<Vec<_>>(),
        [
            ("/b/**".to_string(), "3:4".to_string()),
            ("/a/**".to_string(), "4:4".to_string())
        ]
    );
    assert_eq!(
        at(&config.exclude[0]),
        ("/a/x".to_string(), "6:13".to_string())
    );
}

#[test]
fn unknown_keys_and_bad_patterns_are_located() {
    let d = SliceConfig::from_toml(
        "metadata/slice.toml",
        "include = [\"/solutions/**\"]\nexlude = []\n",
    )
    .unwrap_err();
    let e = &d.0[0];
    assert_eq!(e.pos.line, 2, "{e}");
    assert!(e.message.contains("exlude"), "{e}");

    let d = SliceConfig::from_toml("metadata/slice.toml", "include = [\"solutions/**\"]\n")
        .unwrap_err();
    assert!(
        d.0[0].message.contains("must start with \"/\""),
        "{}",
        d.0[0]
    );
    assert_eq!(d.0[0].file, "metadata/slice.toml");
}

#[test]
fn committed_slice_toml_loads_with_positions() {
    let config = support::committed_config();
    assert_eq!(config.file, "metadata/slice.toml");
    let texts: Vec<&str> = config.include.iter().map(|p| p.as_str()).collect();
    assert_eq!(
        texts,
        [
            "/solutions/migrations/**",
            "/solutions/sharePoint/migrations/**"
        ]
    );
    let text =
        std::fs::read_to_string(support::workspace_root().join("metadata/slice.toml")).unwrap();
    for p in &config.include {
        let line = text.lines().nth(p.pos().line as usize - 1).unwrap();
        assert_eq!(
            &line[p.pos().col as usize - 1..][..p.as_str().len()],
            p.as_str(),
            "the position of {} points at it",
            p.as_str()
        );
    }
}

#[test]
fn a_slice_reaching_too_many_paths_is_refused_with_where_they_are() {
    let Some((file, text)) = support::shared_csdl("graph-beta.csdl") else {
        return;
    };
    // `/**` over the whole schema: hundreds of thousands of paths, which
    // would take minutes and gigabytes to generate.
    let config =
        SliceConfig::from_toml("metadata/slice.toml", &toml_with(&["/solutions/**", "/**"]))
            .unwrap();
    assert_eq!(
        config.max_paths,
        migrations_codegen::slice::DEFAULT_MAX_PATHS
    );
    let d = slice_err(&file, &text, &config, &[]);
    assert_eq!(d.0.len(), 1, "{d}");
    let message = d.0[0].to_string();
    assert!(
        message.starts_with(
            "metadata/slice.toml:3:4: error: include path \"/**\" reaches more than 5000 URL paths of ../shared/metadata/graph-beta.csdl (containment nests "
        ),
        "{message}"
    );
    assert!(
        message.contains("narrow it, add exclude patterns, or raise max_paths in the slice configuration; most of the first 5000 paths are under /entitlementManagement/accessPackageAssignmentPolicies (1433), /drive/list (1210), /drive/activities (600)"),
        "{message}"
    );

    // The budget is the configuration's: a small one stops a small slice.
    let small = SliceConfig::from_toml(
        "metadata/slice.toml",
        &format!(
            "{}max_paths = 3\n",
            toml_with(&["/solutions/migrations/**"])
        ),
    )
    .unwrap();
    assert_eq!(small.max_paths, 3);
    let message = slice_err(&file, &text, &small, &[]).0[0].to_string();
    assert!(
        message.starts_with("metadata/slice.toml:2:4: error: include path \"/solutions/migrations/**\" reaches more than 3 URL paths"),
        "{message}"
    );
    // ... and a large one lets the committed slice through unchanged.
    let mut roomy = support::committed_config();
    roomy.max_paths = 100;
    let sliced = pipeline::slice_source(&file, &text, &roomy, &support::committed_patches())
        .unwrap_or_else(|d| panic!("{d}"));
    assert!(sliced.selection.paths.len() < 100);
}

/// A misspelled exclude path excludes nothing: it is an error, located in
/// slice.toml, as a misspelled include is, not a slice that silently holds
/// what it was meant to keep out.
#[test]
fn an_exclude_path_that_does_not_resolve_is_an_error() {
    let Some((file, text)) = support::shared_csdl("graph-beta.csdl") else {
        return;
    };
    let toml =
        "include = [\"/solutions/migrations/**\"]\nexclude = [\"/solutions/migratons/**\"]\n";
    let config = SliceConfig::from_toml("metadata/slice.toml", toml).unwrap();
    let d = slice_err(&file, &text, &config, &[]);
    assert_eq!(d.0.len(), 1, "{d}");
    let shown = d.0[0].to_string();
    assert!(
        shown.starts_with(
            "metadata/slice.toml:2:13: error: exclude path \"/solutions/migratons/**\" does not resolve"
        ),
        "{shown}"
    );
    assert!(shown.contains("did you mean \"migrations\"?"), "{shown}");
}
