//! Syntax tree → normalised CSDL text: two-space indentation, a fixed
//! attribute order, elements of each kind sorted by name (operation overloads
//! by signature), so that the same schema always gives the same bytes and a
//! schema change gives a small diff.

use std::fmt::Write;

use super::syntax::*;

const EDM_NS: &str = "http://docs.oasis-open.org/odata/ns/edm";

pub struct Writer {
    out: String,
    depth: usize,
}

/// Appends `text` to a comment: no two dashes may meet inside one (XML
/// forbids `--` there, and `-->` would end it early), so a space goes
/// between every two. A patch's description is free text: `a ---> b`.
fn push_comment_text(out: &mut String, text: &str) {
    let mut dash = false;
    for c in text.chars() {
        if dash && c == '-' {
            out.push(' ');
        }
        dash = c == '-';
        out.push(c);
    }
}

/// Writes `doc`, with `header` lines as a leading XML comment.
pub fn write_document(doc: &Document, header: &[String]) -> String {
    let mut w = Writer {
        out: String::with_capacity(64 * 1024),
        depth: 0,
    };
    w.out
        .push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    if !header.is_empty() {
        w.out.push_str("<!--\n");
        for line in header {
            if line.is_empty() {
                w.out.push('\n');
            } else {
                w.out.push_str("  ");
                push_comment_text(&mut w.out, line);
                w.out.push('\n');
            }
        }
        w.out.push_str("-->\n");
    }
    let version = if doc.version.is_empty() {
        "4.0"
    } else {
        &doc.version
    };
    w.open(
        "edmx:Edmx",
        &[
            ("Version", Some(version)),
            (
                "xmlns:edmx",
                Some("http://docs.oasis-open.org/odata/ns/edmx"),
            ),
        ],
    );
    for r in &doc.references {
        // Annotations are edm elements; outside a Schema the edm namespace
        // is not declared yet.
        let annotated =
            !r.annotations.is_empty() || r.includes.iter().any(|i| !i.annotations.is_empty());
        w.open(
            "edmx:Reference",
            &[
                ("Uri", Some(&r.uri)),
                ("xmlns", annotated.then_some(EDM_NS)),
            ],
        );
        for i in &r.includes {
            w.element(
                "edmx:Include",
                &[
                    ("Namespace", Some(&i.namespace)),
                    ("Alias", i.alias.as_deref()),
                ],
                !i.annotations.is_empty(),
                |w| w.annotations(&i.annotations),
            );
        }
        for i in &r.include_annotations {
            w.empty(
                "edmx:IncludeAnnotations",
                &[
                    ("TermNamespace", Some(&i.term_namespace)),
                    ("Qualifier", i.qualifier.as_deref()),
                    ("TargetNamespace", i.target_namespace.as_deref()),
                ],
            );
        }
        w.annotations(&r.annotations);
        w.close("edmx:Reference");
    }
    w.open("edmx:DataServices", &[]);
    for s in &doc.schemas {
        w.schema(s);
    }
    w.close("edmx:DataServices");
    w.close("edmx:Edmx");
    w.out
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("&#xA;"),
            '\r' => out.push_str("&#xD;"),
            '\t' => out.push_str("&#x9;"),
            c => out.push(c),
        }
    }
    out
}

fn b(v: bool) -> &'static str {
    if v { "true" } else { "false" }
}

fn opt_b(v: Option<bool>) -> Option<&'static str> {
    v.map(b)
}

impl Writer {
    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
    }

    fn start(&mut self, name: &str, attrs: &[(&str, Option<&str>)]) {
        self.indent();
        self.out.push('<');
        self.out.push_str(name);
        for (k, v) in attrs {
            if let Some(v) = v {
                let _ = write!(self.out, " {k}=\"{}\"", escape(v));
            }
        }
    }

    fn open(&mut self, name: &str, attrs: &[(&str, Option<&str>)]) {
        self.start(name, attrs);
        self.out.push_str(">\n");
        self.depth += 1;
    }

    fn empty(&mut self, name: &str, attrs: &[(&str, Option<&str>)]) {
        self.start(name, attrs);
        self.out.push_str(" />\n");
    }

    fn close(&mut self, name: &str) {
        self.depth -= 1;
        self.indent();
        let _ = writeln!(self.out, "</{name}>");
    }

    /// An element with children written by `body`, or an empty element when
    /// `has_children` is false.
    fn element(
        &mut self,
        name: &str,
        attrs: &[(&str, Option<&str>)],
        has_children: bool,
        body: impl FnOnce(&mut Self),
    ) {
        if has_children {
            self.open(name, attrs);
            body(self);
            self.close(name);
        } else {
            self.empty(name, attrs);
        }
    }

    fn schema(&mut self, s: &Schema) {
        self.open(
            "Schema",
            &[
                ("Namespace", Some(&s.namespace)),
                ("Alias", s.alias.as_deref()),
                ("xmlns", Some(EDM_NS)),
            ],
        );
        let mut enums: Vec<&EnumType> = s.enum_types.iter().collect();
        enums.sort_by(|a, b| a.name.cmp(&b.name));
        for e in enums {
            self.enum_type(e);
        }
        let mut tds: Vec<&TypeDefinition> = s.type_definitions.iter().collect();
        tds.sort_by(|a, b| a.name.cmp(&b.name));
        for t in tds {
            let attrs = facet_attrs(&t.facets);
            let mut all: Vec<(&str, Option<&str>)> = vec![
                ("Name", Some(&t.name)),
                ("UnderlyingType", Some(&t.underlying_type)),
            ];
            all.extend(attrs.iter().map(|(k, v)| (*k, v.as_deref())));
            self.element("TypeDefinition", &all, !t.annotations.is_empty(), |w| {
                w.annotations(&t.annotations)
            });
        }
        for list in [&s.complex_types, &s.entity_types] {
            let mut types: Vec<&StructuredType> = list.iter().collect();
            types.sort_by(|a, b| a.name.cmp(&b.name));
            for t in types {
                self.structured(t);
            }
        }
        let mut ops: Vec<&Operation> = s.operations.iter().collect();
        ops.sort_by_cached_key(|o| {
            (
                o.name.clone(),
                o.kind,
                o.parameters
                    .iter()
                    .map(|p| p.ty.to_string())
                    .collect::<Vec<_>>(),
            )
        });
        for o in ops {
            self.operation(o);
        }
        let mut terms: Vec<&Term> = s.terms.iter().collect();
        terms.sort_by(|a, b| a.name.cmp(&b.name));
        for t in terms {
            let ty = t.ty.to_string();
            let facets = facet_attrs(&t.facets);
            let mut attrs: Vec<(&str, Option<&str>)> = vec![
                ("Name", Some(&t.name)),
                ("Type", Some(&ty)),
                ("BaseTerm", t.base_term.as_deref()),
                ("Nullable", opt_b(t.nullable)),
            ];
            attrs.extend(facets.iter().map(|(k, v)| (*k, v.as_deref())));
            attrs.push(("DefaultValue", t.default_value.as_deref()));
            attrs.push(("AppliesTo", t.applies_to.as_deref()));
            self.element("Term", &attrs, !t.annotations.is_empty(), |w| {
                w.annotations(&t.annotations)
            });
        }
        for c in &s.containers {
            self.container(c);
        }
        let mut blocks: Vec<&Annotations> = s.annotations.iter().collect();
        blocks.sort_by(|a, b| (&a.target, &a.qualifier).cmp(&(&b.target, &b.qualifier)));
        for a in blocks {
            self.open(
                "Annotations",
                &[
                    ("Target", Some(&a.target)),
                    ("Qualifier", a.qualifier.as_deref()),
                ],
            );
            self.annotations(&a.annotations);
            self.close("Annotations");
        }
        self.annotations(&s.own_annotations);
        self.close("Schema");
    }

    fn enum_type(&mut self, e: &EnumType) {
        self.open(
            "EnumType",
            &[
                ("Name", Some(&e.name)),
                ("UnderlyingType", e.underlying_type.as_deref()),
                ("IsFlags", e.is_flags.then_some("true")),
            ],
        );
        for m in &e.members {
            let value = m.value.map(|v| v.to_string());
            self.element(
                "Member",
                &[("Name", Some(&m.name)), ("Value", value.as_deref())],
                !m.annotations.is_empty(),
                |w| w.annotations(&m.annotations),
            );
        }
        self.annotations(&e.annotations);
        self.close("EnumType");
    }

    fn structured(&mut self, t: &StructuredType) {
        let name = match t.kind {
            StructuredKind::Complex => "ComplexType",
            StructuredKind::Entity => "EntityType",
        };
        let attrs = [
            ("Name", Some(t.name.as_str())),
            ("BaseType", t.base_type.as_deref()),
            ("Abstract", t.is_abstract.then_some("true")),
            ("OpenType", t.open_type.then_some("true")),
            ("HasStream", t.has_stream.then_some("true")),
        ];
        let has_children = t.key.is_some()
            || !t.properties.is_empty()
            || !t.navigation_properties.is_empty()
            || !t.annotations.is_empty();
        self.element(name, &attrs, has_children, |w| {
            if let Some(k) = &t.key {
                w.open("Key", &[]);
                for r in &k.property_refs {
                    w.empty(
                        "PropertyRef",
                        &[("Name", Some(&r.name)), ("Alias", r.alias.as_deref())],
                    );
                }
                w.close("Key");
            }
            for p in &t.properties {
                let ty = p.ty.to_string();
                let facets = facet_attrs(&p.facets);
                let mut attrs: Vec<(&str, Option<&str>)> = vec![
                    ("Name", Some(&p.name)),
                    ("Type", Some(&ty)),
                    ("Nullable", opt_b(p.nullable)),
                ];
                attrs.extend(facets.iter().map(|(k, v)| (*k, v.as_deref())));
                attrs.push(("DefaultValue", p.default_value.as_deref()));
                w.element("Property", &attrs, !p.annotations.is_empty(), |w| {
                    w.annotations(&p.annotations)
                });
            }
            for n in &t.navigation_properties {
                let ty = n.ty.to_string();
                let attrs = [
                    ("Name", Some(n.name.as_str())),
                    ("Type", Some(&ty)),
                    ("Nullable", opt_b(n.nullable)),
                    ("Partner", n.partner.as_deref()),
                    ("ContainsTarget", n.contains_target.then_some("true")),
                ];
                let has = !n.annotations.is_empty()
                    || !n.referential_constraints.is_empty()
                    || n.on_delete.is_some();
                w.element("NavigationProperty", &attrs, has, |w| {
                    for r in &n.referential_constraints {
                        w.element(
                            "ReferentialConstraint",
                            &[
                                ("Property", Some(&r.property)),
                                ("ReferencedProperty", Some(&r.referenced_property)),
                            ],
                            !r.annotations.is_empty(),
                            |w| w.annotations(&r.annotations),
                        );
                    }
                    if let Some(d) = &n.on_delete {
                        w.element(
                            "OnDelete",
                            &[("Action", Some(&d.action))],
                            !d.annotations.is_empty(),
                            |w| w.annotations(&d.annotations),
                        );
                    }
                    w.annotations(&n.annotations);
                });
            }
            w.annotations(&t.annotations);
        });
    }

    fn operation(&mut self, o: &Operation) {
        let name = match o.kind {
            OperationKind::Action => "Action",
            OperationKind::Function => "Function",
        };
        self.open(
            name,
            &[
                ("Name", Some(&o.name)),
                ("EntitySetPath", o.entity_set_path.as_deref()),
                ("IsBound", o.is_bound.then_some("true")),
                ("IsComposable", o.is_composable.then_some("true")),
            ],
        );
        for p in &o.parameters {
            let ty = p.ty.to_string();
            let facets = facet_attrs(&p.facets);
            let mut attrs: Vec<(&str, Option<&str>)> = vec![
                ("Name", Some(&p.name)),
                ("Type", Some(&ty)),
                ("Nullable", opt_b(p.nullable)),
            ];
            attrs.extend(facets.iter().map(|(k, v)| (*k, v.as_deref())));
            self.element("Parameter", &attrs, !p.annotations.is_empty(), |w| {
                w.annotations(&p.annotations)
            });
        }
        if let Some(r) = &o.return_type {
            let ty = r.ty.to_string();
            let facets = facet_attrs(&r.facets);
            let mut attrs: Vec<(&str, Option<&str>)> =
                vec![("Type", Some(&ty)), ("Nullable", opt_b(r.nullable))];
            attrs.extend(facets.iter().map(|(k, v)| (*k, v.as_deref())));
            self.element("ReturnType", &attrs, !r.annotations.is_empty(), |w| {
                w.annotations(&r.annotations)
            });
        }
        self.annotations(&o.annotations);
        self.close(name);
    }

    fn container(&mut self, c: &EntityContainer) {
        self.open(
            "EntityContainer",
            &[("Name", Some(&c.name)), ("Extends", c.extends.as_deref())],
        );
        let mut sets: Vec<&EntitySet> = c.entity_sets.iter().collect();
        sets.sort_by(|a, b| a.name.cmp(&b.name));
        for e in sets {
            let iisd = opt_b(e.include_in_service_document);
            self.element(
                "EntitySet",
                &[
                    ("Name", Some(&e.name)),
                    ("EntityType", Some(&e.entity_type)),
                    ("IncludeInServiceDocument", iisd),
                ],
                !e.bindings.is_empty() || !e.annotations.is_empty(),
                |w| {
                    w.bindings(&e.bindings);
                    w.annotations(&e.annotations);
                },
            );
        }
        let mut singletons: Vec<&Singleton> = c.singletons.iter().collect();
        singletons.sort_by(|a, b| a.name.cmp(&b.name));
        for s in singletons {
            self.element(
                "Singleton",
                &[
                    ("Name", Some(&s.name)),
                    ("Type", Some(&s.ty)),
                    ("Nullable", opt_b(s.nullable)),
                ],
                !s.bindings.is_empty() || !s.annotations.is_empty(),
                |w| {
                    w.bindings(&s.bindings);
                    w.annotations(&s.annotations);
                },
            );
        }
        for a in &c.action_imports {
            self.element(
                "ActionImport",
                &[
                    ("Name", Some(&a.name)),
                    ("Action", Some(&a.action)),
                    ("EntitySet", a.entity_set.as_deref()),
                ],
                !a.annotations.is_empty(),
                |w| w.annotations(&a.annotations),
            );
        }
        for f in &c.function_imports {
            self.element(
                "FunctionImport",
                &[
                    ("Name", Some(&f.name)),
                    ("Function", Some(&f.function)),
                    ("EntitySet", f.entity_set.as_deref()),
                    (
                        "IncludeInServiceDocument",
                        opt_b(f.include_in_service_document),
                    ),
                ],
                !f.annotations.is_empty(),
                |w| w.annotations(&f.annotations),
            );
        }
        self.annotations(&c.annotations);
        self.close("EntityContainer");
    }

    fn bindings(&mut self, bindings: &[NavigationPropertyBinding]) {
        let mut sorted: Vec<&NavigationPropertyBinding> = bindings.iter().collect();
        sorted.sort_by(|a, b| (&a.path, &a.target).cmp(&(&b.path, &b.target)));
        for b in sorted {
            self.empty(
                "NavigationPropertyBinding",
                &[("Path", Some(&b.path)), ("Target", Some(&b.target))],
            );
        }
    }

    fn annotations(&mut self, annotations: &[Annotation]) {
        for a in annotations {
            self.annotation(a);
        }
    }

    fn annotation(&mut self, a: &Annotation) {
        let base = [
            ("Term", Some(a.term.as_str())),
            ("Qualifier", a.qualifier.as_deref()),
        ];
        self.expr_element("Annotation", &base, a.value.as_ref(), &a.annotations);
    }

    /// Writes an element carrying an expression: constants as attributes,
    /// records and collections as children.
    fn expr_element(
        &mut self,
        name: &str,
        base: &[(&str, Option<&str>)],
        value: Option<&Expr>,
        extra: &[Annotation],
    ) {
        let mut attrs: Vec<(&str, Option<&str>)> = base.to_vec();
        let constant = value.and_then(constant_attr);
        if let Some((k, v)) = &constant {
            attrs.push((k, Some(v.as_str())));
        }
        let child = value.filter(|_| constant.is_none());
        if child.is_none() && extra.is_empty() {
            self.empty(name, &attrs);
            return;
        }
        self.open(name, &attrs);
        if let Some(v) = child {
            self.expr(v);
        }
        self.annotations(extra);
        self.close(name);
    }

    fn expr(&mut self, e: &Expr) {
        let notes = &e.annotations;
        match &e.kind {
            ExprKind::Record(r) => {
                let has = !r.property_values.is_empty() || !r.annotations.is_empty();
                self.element("Record", &[("Type", r.ty.as_deref())], has, |w| {
                    for pv in &r.property_values {
                        w.expr_element(
                            "PropertyValue",
                            &[("Property", Some(&pv.property))],
                            Some(&pv.value),
                            &pv.annotations,
                        );
                    }
                    w.annotations(&r.annotations);
                });
            }
            ExprKind::Collection(items) => self.operands("Collection", &[], items, notes),
            ExprKind::Null => self.operands("Null", &[], &[], notes),
            ExprKind::Apply {
                function,
                arguments,
            } => self.operands("Apply", &[("Function", Some(function))], arguments, notes),
            ExprKind::If(operands) => self.operands("If", &[], operands, notes),
            ExprKind::Operator(op, operands) => self.operands(op.name(), &[], operands, notes),
            ExprKind::Cast(test) | ExprKind::IsOf(test) => {
                let name = if matches!(e.kind, ExprKind::Cast(_)) {
                    "Cast"
                } else {
                    "IsOf"
                };
                let ty = test.ty.to_string();
                let facets = facet_attrs(&test.facets);
                let mut attrs: Vec<(&str, Option<&str>)> = vec![("Type", Some(&ty))];
                attrs.extend(facets.iter().map(|(k, v)| (*k, v.as_deref())));
                self.operands(name, &attrs, std::slice::from_ref(&test.operand), notes);
            }
            ExprKind::LabeledElement { name, value } => {
                self.expr_element(
                    "LabeledElement",
                    &[("Name", Some(name))],
                    Some(value),
                    notes,
                );
            }
            ExprKind::UrlRef(url) => {
                self.operands("UrlRef", &[], std::slice::from_ref(&**url), notes);
            }
            ExprKind::LabeledElementReference(name) => {
                self.text_element("LabeledElementReference", name)
            }
            _ => {
                let (name, text) = constant_attr(e).expect("every other expression is a constant");
                self.text_element(name, &text);
            }
        }
    }

    /// An expression element holding other expressions, then annotations.
    fn operands(
        &mut self,
        name: &str,
        attrs: &[(&str, Option<&str>)],
        operands: &[Expr],
        annotations: &[Annotation],
    ) {
        let has = !operands.is_empty() || !annotations.is_empty();
        self.element(name, attrs, has, |w| {
            for o in operands {
                w.expr(o);
            }
            w.annotations(annotations);
        });
    }

    /// `<Name>text</Name>`.
    fn text_element(&mut self, name: &str, text: &str) {
        self.indent();
        let _ = writeln!(self.out, "<{name}>{}</{name}>", escape(text));
    }
}

/// `(attribute/element name, lexical value)` of a constant expression (or
/// path), the expressions that have an attribute form.
fn constant_attr(e: &Expr) -> Option<(&'static str, String)> {
    Some(match &e.kind {
        ExprKind::String(s) => ("String", s.clone()),
        ExprKind::Bool(v) => ("Bool", b(*v).to_string()),
        ExprKind::Int(i) => ("Int", i.to_string()),
        ExprKind::Float(s) => ("Float", s.clone()),
        ExprKind::Decimal(s) => ("Decimal", s.clone()),
        ExprKind::Date(s) => ("Date", s.clone()),
        ExprKind::DateTimeOffset(s) => ("DateTimeOffset", s.clone()),
        ExprKind::Duration(s) => ("Duration", s.clone()),
        ExprKind::Guid(s) => ("Guid", s.clone()),
        ExprKind::TimeOfDay(s) => ("TimeOfDay", s.clone()),
        ExprKind::Binary(s) => ("Binary", s.clone()),
        ExprKind::EnumMember(s) => ("EnumMember", s.clone()),
        ExprKind::Path(s) => ("Path", s.clone()),
        ExprKind::PropertyPath(s) => ("PropertyPath", s.clone()),
        ExprKind::NavigationPropertyPath(s) => ("NavigationPropertyPath", s.clone()),
        ExprKind::AnnotationPath(s) => ("AnnotationPath", s.clone()),
        ExprKind::ModelElementPath(s) => ("ModelElementPath", s.clone()),
        ExprKind::LabeledElementReference(_)
        | ExprKind::Null
        | ExprKind::Record(_)
        | ExprKind::Collection(_)
        | ExprKind::Apply { .. }
        | ExprKind::If(_)
        | ExprKind::Operator(..)
        | ExprKind::Cast(_)
        | ExprKind::IsOf(_)
        | ExprKind::LabeledElement { .. }
        | ExprKind::UrlRef(_) => return None,
    })
}

fn facet_attrs(f: &Facets) -> Vec<(&'static str, Option<String>)> {
    vec![
        ("MaxLength", f.max_length.clone()),
        ("Precision", f.precision.map(|p| p.to_string())),
        ("Scale", f.scale.clone()),
        ("Unicode", f.unicode.map(|u| b(u).to_string())),
        ("SRID", f.srid.clone()),
    ]
}

#[cfg(test)]
mod tests {
    use super::write_document;
    use crate::csdl::{ParseOptions, parse};

    #[test]
    fn header_text_with_dashes_stays_inside_the_comment() {
        let doc = parse(
            "t.csdl",
            r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices><Schema Namespace="ns" xmlns="http://docs.oasis-open.org/odata/ns/edm"/></edmx:DataServices></edmx:Edmx>"#,
            &ParseOptions::default(),
        )
        .expect("parses")
        .document;
        let header = ["x ---> y", "----", "a - b -- c", "-", "ends-"].map(String::from);
        let written = write_document(&doc, &header);
        let comment = &written[written.find("<!--").expect("a comment") + 4..];
        let comment = &comment[..comment.find("-->").expect("the comment ends")];
        assert!(!comment.contains("--"), "{written}");
        assert!(comment.contains("x - - -> y"), "{written}");
        let again = parse("w.csdl", &written, &ParseOptions::default())
            .unwrap_or_else(|d| panic!("{d}\n{written}"));
        let namespaces: Vec<&str> = again
            .document
            .schemas
            .iter()
            .map(|s| s.namespace.as_str())
            .collect();
        assert_eq!(namespaces, ["ns"]);
    }
}
