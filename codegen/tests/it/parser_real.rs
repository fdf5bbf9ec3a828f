//! Parses the real Microsoft Graph beta CSDL files from ../shared/metadata
//! and checks the parsed tree against counts computed independently, by
//! scanning the text for start tags.

use std::collections::BTreeMap;
use std::time::Instant;

use migrations_codegen::csdl::syntax::*;
use migrations_codegen::csdl::{ParseOptions, parse};
use migrations_codegen::model::resolve;

use crate::support;

/// The file's text from ../shared/metadata, or `None` (with a note) when
/// ../shared is absent outside CI.
fn load(name: &str) -> Option<String> {
    support::shared_csdl(name).map(|(_, text)| text)
}

/// The elements counted in both ways: every element the syntax tree keeps
/// one node for.
const COUNTED: &[&str] = &[
    "Schema",
    "EnumType",
    "Member",
    "TypeDefinition",
    "ComplexType",
    "EntityType",
    "Key",
    "PropertyRef",
    "Property",
    "NavigationProperty",
    "ReferentialConstraint",
    "Action",
    "Function",
    "Parameter",
    "ReturnType",
    "Term",
    "EntityContainer",
    "EntitySet",
    "Singleton",
    "NavigationPropertyBinding",
    "ActionImport",
    "FunctionImport",
    "Annotations",
    "Annotation",
    "Record",
    "PropertyValue",
    "Collection",
    "OnDelete",
    "edmx:Reference",
    "edmx:Include",
    "edmx:IncludeAnnotations",
    "Null",
    "Apply",
    "If",
    "Cast",
    "IsOf",
    "LabeledElement",
    "LabeledElementReference",
    "UrlRef",
    "And",
    "Or",
    "Not",
    "Eq",
    "Ne",
    "Gt",
    "Ge",
    "Lt",
    "Le",
    "Has",
    "In",
];

/// Counts start tags `<Name` followed by whitespace, `/` or `>` in the raw
/// text. The files have no comments or CDATA, so this is exact.
fn scan_counts(text: &str) -> BTreeMap<&'static str, usize> {
    let mut counts = BTreeMap::new();
    for &name in COUNTED {
        let needle = format!("<{name}");
        let count = text
            .match_indices(&needle)
            .filter(|(i, _)| {
                matches!(
                    text.as_bytes().get(i + needle.len()),
                    Some(b' ' | b'\t' | b'\r' | b'\n' | b'/' | b'>')
                )
            })
            .count();
        counts.insert(name, count);
    }
    counts
}

#[derive(Default)]
struct Counter(BTreeMap<&'static str, usize>);

impl Counter {
    fn add(&mut self, name: &'static str, n: usize) {
        *self.0.entry(name).or_default() += n;
    }

    fn annotations(&mut self, annotations: &[Annotation]) {
        self.add("Annotation", annotations.len());
        for a in annotations {
            if let Some(value) = &a.value {
                self.expr(value);
            }
            self.annotations(&a.annotations);
        }
    }

    fn exprs(&mut self, name: &'static str, items: &[Expr]) {
        self.add(name, 1);
        for item in items {
            self.expr(item);
        }
    }

    fn expr(&mut self, expr: &Expr) {
        self.annotations(&expr.annotations);
        match &expr.kind {
            ExprKind::Record(record) => {
                self.add("Record", 1);
                self.add("PropertyValue", record.property_values.len());
                for pv in &record.property_values {
                    self.expr(&pv.value);
                    self.annotations(&pv.annotations);
                }
                self.annotations(&record.annotations);
            }
            ExprKind::Collection(items) => self.exprs("Collection", items),
            ExprKind::Apply { arguments, .. } => self.exprs("Apply", arguments),
            ExprKind::If(items) => self.exprs("If", items),
            ExprKind::Operator(op, items) => {
                // Arithmetic operators are not scanned for (`<Add` would
                // also match other names).
                let name = COUNTED.iter().find(|n| **n == op.name()).copied();
                match name {
                    Some(name) => self.exprs(name, items),
                    None => items.iter().for_each(|i| self.expr(i)),
                }
            }
            ExprKind::Cast(test) => self.exprs("Cast", std::slice::from_ref(&test.operand)),
            ExprKind::IsOf(test) => self.exprs("IsOf", std::slice::from_ref(&test.operand)),
            ExprKind::LabeledElement { value, .. } => {
                self.exprs("LabeledElement", std::slice::from_ref(&**value))
            }
            ExprKind::UrlRef(url) => self.exprs("UrlRef", std::slice::from_ref(&**url)),
            ExprKind::LabeledElementReference(_) => self.add("LabeledElementReference", 1),
            ExprKind::Null => self.add("Null", 1),
            _ => {}
        }
    }

    fn document(&mut self, document: &Document) {
        for &name in COUNTED {
            self.add(name, 0);
        }
        self.add("edmx:Reference", document.references.len());
        for r in &document.references {
            self.annotations(&r.annotations);
            self.add("edmx:Include", r.includes.len());
            for i in &r.includes {
                self.annotations(&i.annotations);
            }
            self.add("edmx:IncludeAnnotations", r.include_annotations.len());
        }
        self.add("Schema", document.schemas.len());
        for schema in &document.schemas {
            self.annotations(&schema.own_annotations);
            self.add("EnumType", schema.enum_types.len());
            for e in &schema.enum_types {
                self.annotations(&e.annotations);
                self.add("Member", e.members.len());
                for m in &e.members {
                    self.annotations(&m.annotations);
                }
            }
            self.add("TypeDefinition", schema.type_definitions.len());
            for t in &schema.type_definitions {
                self.annotations(&t.annotations);
            }
            self.add("ComplexType", schema.complex_types.len());
            self.add("EntityType", schema.entity_types.len());
            for t in schema.complex_types.iter().chain(&schema.entity_types) {
                self.annotations(&t.annotations);
                if let Some(key) = &t.key {
                    self.add("Key", 1);
                    self.add("PropertyRef", key.property_refs.len());
                }
                self.add("Property", t.properties.len());
                for p in &t.properties {
                    self.annotations(&p.annotations);
                }
                self.add("NavigationProperty", t.navigation_properties.len());
                for n in &t.navigation_properties {
                    self.annotations(&n.annotations);
                    self.add("ReferentialConstraint", n.referential_constraints.len());
                    for r in &n.referential_constraints {
                        self.annotations(&r.annotations);
                    }
                    if let Some(d) = &n.on_delete {
                        self.add("OnDelete", 1);
                        self.annotations(&d.annotations);
                    }
                }
            }
            for op in &schema.operations {
                self.add(
                    match op.kind {
                        OperationKind::Action => "Action",
                        OperationKind::Function => "Function",
                    },
                    1,
                );
                self.annotations(&op.annotations);
                self.add("Parameter", op.parameters.len());
                for p in &op.parameters {
                    self.annotations(&p.annotations);
                }
                self.add("ReturnType", usize::from(op.return_type.is_some()));
                if let Some(r) = &op.return_type {
                    self.annotations(&r.annotations);
                }
            }
            self.add("Term", schema.terms.len());
            for t in &schema.terms {
                self.annotations(&t.annotations);
            }
            self.add("EntityContainer", schema.containers.len());
            for c in &schema.containers {
                self.annotations(&c.annotations);
                self.add("EntitySet", c.entity_sets.len());
                for s in &c.entity_sets {
                    self.annotations(&s.annotations);
                    self.add("NavigationPropertyBinding", s.bindings.len());
                }
                self.add("Singleton", c.singletons.len());
                for s in &c.singletons {
                    self.annotations(&s.annotations);
                    self.add("NavigationPropertyBinding", s.bindings.len());
                }
                self.add("ActionImport", c.action_imports.len());
                for i in &c.action_imports {
                    self.annotations(&i.annotations);
                }
                self.add("FunctionImport", c.function_imports.len());
                for i in &c.function_imports {
                    self.annotations(&i.annotations);
                }
            }
            self.add("Annotations", schema.annotations.len());
            for block in &schema.annotations {
                self.annotations(&block.annotations);
            }
        }
    }
}

/// Parses `name`, checks the counts (against the scan, and against
/// `exact`: every element kind not listed there must be absent) and
/// returns the text and document.
fn parse_and_count(name: &str, exact: &[(&str, usize)]) -> Option<(String, Document)> {
    let text = load(name)?;
    let started = Instant::now();
    let parsed = match parse(name, &text, &ParseOptions::default()) {
        Ok(parsed) => parsed,
        Err(diagnostics) => panic!("{name} does not parse:\n{diagnostics}"),
    };
    eprintln!(
        "{name}: parsed {} bytes in {:?}",
        text.len(),
        started.elapsed()
    );
    assert!(
        parsed.warnings.is_empty(),
        "{name}: unexpected warnings:\n{}",
        parsed
            .warnings
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
    let document = parsed.document;
    let model = resolve(&document).unwrap_or_else(|d| panic!("{name} does not resolve:\n{d}"));
    assert!(
        model.warnings.is_empty(),
        "{name}: unexpected resolver warnings:\n{:?}",
        model.warnings
    );
    assert_eq!(document.version, "4.0");
    assert_eq!(document.file, name);

    let mut counter = Counter::default();
    counter.document(&document);
    let scanned = scan_counts(&text);
    assert_eq!(
        counter.0, scanned,
        "{name}: parsed counts differ from scanned counts"
    );
    // The figures the issue asks for, which must all be present.
    for required in [
        "Schema",
        "EnumType",
        "ComplexType",
        "EntityType",
        "Action",
        "Function",
        "EntitySet",
        "Singleton",
        "Term",
        "Annotations",
        "Annotation",
        "Property",
        "NavigationProperty",
    ] {
        assert!(counter.0[required] > 0, "{name}: no <{required}> parsed");
    }
    eprintln!("{name}: {:?}", counter.0);
    for (element, count) in &counter.0 {
        let expected = exact
            .iter()
            .find(|(e, _)| e == element)
            .map_or(0, |(_, n)| *n);
        assert_eq!(*count, expected, "{name}: <{element}> count");
    }
    Some((text, document))
}

fn schema<'d>(document: &'d Document, namespace: &str) -> &'d Schema {
    document
        .schemas
        .iter()
        .find(|s| s.namespace == namespace)
        .unwrap_or_else(|| panic!("no schema {namespace}"))
}

/// The 1-based line and byte column of the first occurrence of `needle`,
/// computed from the raw text.
fn locate(text: &str, needle: &str) -> Pos {
    let offset = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not found"));
    let before = &text[..offset];
    let line = before.matches('\n').count() as u32 + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Pos {
        line,
        col: (offset - line_start) as u32 + 1,
    }
}

fn check_get_by_source_site_url(document: &Document) {
    let graph = schema(document, "microsoft.graph");
    let overloads: Vec<&Operation> = graph
        .operations
        .iter()
        .filter(|o| o.name == "getBySourceSiteUrl")
        .collect();
    assert_eq!(overloads.len(), 1);
    let f = overloads[0];
    assert_eq!(f.kind, OperationKind::Function);
    assert!(f.is_bound);
    assert!(!f.is_composable);
    assert_eq!(f.parameters.len(), 2);
    let binding = &f.parameters[0];
    assert_eq!(binding.name, "bindingParameter");
    assert!(binding.ty.collection);
    assert_eq!(binding.ty.name, "graph.sharePointMigrationTask");
    assert_eq!(
        binding.ty.to_string(),
        "Collection(graph.sharePointMigrationTask)"
    );
    let url = &f.parameters[1];
    assert_eq!(url.name, "sourceSiteUrl");
    assert!(!url.ty.collection);
    assert_eq!(url.ty.name, "Edm.String");
    assert_eq!(url.facets.unicode, Some(false));
    assert_eq!(url.nullable, None);
    let ret = f.return_type.as_ref().expect("return type");
    assert!(!ret.ty.collection);
    assert_eq!(ret.ty.name, "graph.sharePointMigrationTask");
    assert_eq!(url.pos.line, f.pos.line + 2);
}

#[test]
fn graph_beta() {
    let Some((text, document)) = parse_and_count(
        "graph-beta.csdl",
        &[
            ("Action", 709),
            ("Annotation", 906),
            ("Annotations", 291),
            ("Collection", 122),
            ("ComplexType", 1048),
            ("EntityContainer", 1),
            ("EntitySet", 58),
            ("EntityType", 726),
            ("EnumType", 482),
            ("Function", 251),
            ("Key", 17),
            ("Member", 2719),
            ("NavigationProperty", 1068),
            ("NavigationPropertyBinding", 70),
            ("Parameter", 2426),
            ("Property", 6687),
            ("PropertyRef", 17),
            ("PropertyValue", 1057),
            ("Record", 748),
            ("ReturnType", 743),
            ("Schema", 6),
            ("Singleton", 24),
            ("Term", 12),
        ],
    ) else {
        return;
    };
    assert_eq!(document.schemas.len(), 6);
    let graph = schema(&document, "microsoft.graph");
    assert_eq!(graph.alias.as_deref(), Some("graph"));
    assert_eq!(
        graph.pos,
        locate(&text, "<Schema Namespace=\"microsoft.graph\"")
    );

    // The job type: position, properties, alternate key.
    let job = graph
        .entity_types
        .iter()
        .find(|t| t.name == "crossTenantMigrationJob")
        .expect("crossTenantMigrationJob");
    assert_eq!(job.kind, StructuredKind::Entity);
    assert_eq!(
        job.pos,
        locate(&text, "<EntityType Name=\"crossTenantMigrationJob\"")
    );
    assert_eq!(job.base_type.as_deref(), Some("graph.entity"));
    let display_name = job
        .properties
        .iter()
        .find(|p| p.name == "displayName")
        .expect("displayName");
    assert_eq!(display_name.ty.name, "Edm.String");
    assert_eq!(display_name.nullable, Some(false));
    assert_eq!(display_name.pos.line, job.pos.line + 4);
    assert_eq!(display_name.pos.col, job.pos.col + 2);
    let users = &job.navigation_properties[0];
    assert_eq!(users.name, "users");
    assert!(users.contains_target);
    assert!(users.ty.collection);
    assert_eq!(users.ty.name, "graph.crossTenantMigrationTask");

    let alternate = job
        .annotations
        .iter()
        .find(|a| a.term == "Org.OData.Core.V1.AlternateKeys")
        .expect("AlternateKeys");
    let keys = alternate
        .value
        .as_ref()
        .and_then(Expr::as_collection)
        .expect("a collection");
    assert_eq!(keys.len(), 1);
    let key = keys[0].as_record().expect("a record");
    assert_eq!(key.ty.as_deref(), Some("Org.OData.Core.V1.AlternateKey"));
    let parts = key
        .get("Key")
        .and_then(Expr::as_collection)
        .expect("Key collection");
    assert_eq!(parts.len(), 1);
    let part = parts[0].as_record().expect("PropertyRef record");
    assert_eq!(part.ty.as_deref(), Some("Org.OData.Core.V1.PropertyRef"));
    assert_eq!(
        part.get("Alias").map(|e| &e.kind),
        Some(&ExprKind::String("displayName".into()))
    );
    assert_eq!(
        part.get("Name").map(|e| &e.kind),
        Some(&ExprKind::PropertyPath("displayName".into()))
    );
    assert_eq!(
        alternate.pos,
        locate(
            &text,
            "<Annotation Term=\"Org.OData.Core.V1.AlternateKeys\">\n          <Collection>\n            <Record Type=\"Org.OData.Core.V1.AlternateKey\">\n              <PropertyValue Property=\"Key\">\n                <Collection>\n                  <Record Type=\"Org.OData.Core.V1.PropertyRef\">\n                    <PropertyValue Property=\"Alias\" String=\"displayName\" />"
        )
    );

    // The deprecation of the job type.
    let block = graph
        .annotations
        .iter()
        .find(|b| b.target == "microsoft.graph.crossTenantMigrationJob")
        .expect("Annotations block for the job");
    assert_eq!(
        block.pos,
        locate(
            &text,
            "<Annotations Target=\"microsoft.graph.crossTenantMigrationJob\">"
        )
    );
    let revisions = block
        .annotations
        .iter()
        .find(|a| a.term == "Org.OData.Core.V1.Revisions")
        .expect("Revisions");
    let items = revisions
        .value
        .as_ref()
        .and_then(Expr::as_collection)
        .expect("a collection");
    assert_eq!(items.len(), 1);
    let revision = items[0].as_record().expect("a record");
    assert_eq!(revision.ty, None);
    assert_eq!(
        revision.get("Date").map(|e| &e.kind),
        Some(&ExprKind::Date("2023-11-15".into()))
    );
    assert_eq!(
        revision.get("RemovalDate").map(|e| &e.kind),
        Some(&ExprKind::Date("2026-07-09".into()))
    );
    assert_eq!(
        revision.get("Kind").map(|e| &e.kind),
        Some(&ExprKind::EnumMember(
            "Org.OData.Core.V1.RevisionKind/Deprecated".into()
        ))
    );
    assert_eq!(
        revision.get("Version").and_then(Expr::as_str),
        Some("2023-11/PrivatePreview:CrossTenantContentMigrationAPI")
    );
    let names: Vec<&str> = revision
        .property_values
        .iter()
        .map(|p| p.property.as_str())
        .collect();
    assert_eq!(names, ["Date", "Kind", "RemovalDate", "Version"]);

    // The singleton added for the migration paths.
    let container = &graph.containers[0];
    let solutions = container
        .singletons
        .iter()
        .find(|s| s.name == "solutions")
        .expect("solutions singleton");
    assert_eq!(solutions.ty, "microsoft.graph.solutionsRoot");
    assert!(solutions.bindings.is_empty());

    check_get_by_source_site_url(&document);
}

#[test]
fn graph_beta_usnat() {
    let Some((text, document)) = parse_and_count(
        "graph-beta-usnat.csdl",
        &[
            ("Action", 705),
            ("Annotation", 898),
            ("Annotations", 284),
            ("Collection", 113),
            ("ComplexType", 1044),
            ("EntityContainer", 1),
            ("EntitySet", 58),
            ("EntityType", 722),
            ("EnumType", 479),
            ("Function", 251),
            ("Key", 17),
            ("Member", 2683),
            ("NavigationProperty", 1064),
            ("NavigationPropertyBinding", 70),
            ("Parameter", 2422),
            ("Property", 6660),
            ("PropertyRef", 17),
            ("PropertyValue", 1026),
            ("Record", 739),
            ("ReturnType", 739),
            ("Schema", 6),
            ("Singleton", 23),
            ("Term", 12),
        ],
    ) else {
        return;
    };
    assert_eq!(document.schemas.len(), 6);
    let graph = schema(&document, "microsoft.graph");
    assert!(
        graph
            .entity_types
            .iter()
            .all(|t| t.name != "crossTenantMigrationJob")
    );
    let task = graph
        .entity_types
        .iter()
        .find(|t| t.name == "sharePointMigrationTask")
        .expect("sharePointMigrationTask");
    assert_eq!(
        task.pos,
        locate(&text, "<EntityType Name=\"sharePointMigrationTask\"")
    );
    check_get_by_source_site_url(&document);
}
