//! Every CSDL construct the parser keeps, checked field by field.

use migrations_codegen::csdl::syntax::*;
use migrations_codegen::csdl::{ParseOptions, parse, parse_fragment};

/// A document using every supported construct. Line numbers matter: the
/// test checks positions against them.
pub(crate) const RICH: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<!-- a comment before the root -->
<ex:Edmx Version="4.01" xmlns:ex="http://docs.oasis-open.org/odata/ns/edmx">
  <ex:Reference Uri="https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Core.V1.xml">
    <ex:Include Namespace="Org.OData.Core.V1" Alias="Core" />
  </ex:Reference>
  <ex:DataServices>
    <Schema Namespace="microsoft.graph" Alias="graph" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EnumType Name="color" UnderlyingType="Edm.Int64" IsFlags="true">
        <Member Name="red" Value="1" />
        <Member Name="green" Value="-2">
          <Annotation Term="Core.Description" String="a &quot;green&quot; &amp; &#x263A; member" />
        </Member>
        <Annotation Term="Core.Description">
          <String>line one
line two &lt;b&gt; <![CDATA[<raw & text>]]></String>
        </Annotation>
      </EnumType>
      <EnumType Name="implicit">
        <Member Name="first" />
        <Member Name="second" />
      </EnumType>
      <TypeDefinition Name="money" UnderlyingType="Edm.Decimal" Precision="18" Scale="variable">
        <Annotation Term="Core.Description" String="an amount" />
      </TypeDefinition>
      <ComplexType Name="address" OpenType="true" Abstract="false">
        <Property Name="street" Type="Edm.String" Nullable="false" MaxLength="max" Unicode="false" DefaultValue="none" />
        <Property Name="point" Type="Edm.GeographyPoint" SRID="4326" />
        <Property Name="amount" Type="Edm.Decimal" Precision="10" Scale="2" />
        <Property Name="tags" Type="Collection(Edm.String)">
          <Annotation Term="Core.Immutable" />
        </Property>
      </ComplexType>
      <EntityType Name="entity" Abstract="true">
        <Key>
          <PropertyRef Name="id" />
        </Key>
        <Property Name="id" Type="Edm.String" Nullable="false" />
      </EntityType>
      <EntityType Name="user" BaseType="graph.entity" OpenType="true" HasStream="true">
        <Property Name="address" Type="graph.address" />
        <NavigationProperty Name="manager" Type="graph.user" Nullable="true" Partner="reports">
          <ReferentialConstraint Property="managerId" ReferencedProperty="id" />
        </NavigationProperty>
        <NavigationProperty Name="reports" Type="Collection(graph.user)" ContainsTarget="true" />
        <Annotation Term="Core.Description" Qualifier="short" String="A user." />
      </EntityType>
      <EntityType Name="keyed">
        <Key>
          <PropertyRef Name="address/street" Alias="street" />
          <PropertyRef Name="id" />
        </Key>
        <Property Name="id" Type="Edm.Int32" Nullable="false" />
      </EntityType>
      <Action Name="reset" IsBound="true" EntitySetPath="bindingParameter/reports">
        <Parameter Name="bindingParameter" Type="graph.user" Nullable="false" />
        <Parameter Name="reason" Type="Edm.String" MaxLength="100">
          <Annotation Term="Core.Description" String="why" />
        </Parameter>
        <ReturnType Type="Collection(graph.user)" Nullable="false" />
      </Action>
      <Function Name="find" IsBound="true" IsComposable="true">
        <Parameter Name="bindingParameter" Type="Collection(graph.user)" />
        <ReturnType Type="graph.user" />
      </Function>
      <Function Name="find" IsBound="true">
        <Parameter Name="bindingParameter" Type="Collection(graph.user)" />
        <Parameter Name="name" Type="Edm.String" Nullable="false" Unicode="false" />
        <ReturnType Type="Collection(graph.user)" Nullable="true" Precision="3" />
      </Function>
      <Term Name="flag" Type="Edm.Boolean" Nullable="false" DefaultValue="true" AppliesTo="EntityType Property" BaseTerm="Core.Tag">
        <Annotation Term="Core.Description" String="a flag" />
      </Term>
      <EntityContainer Name="GraphService">
        <EntitySet Name="users" EntityType="graph.user" IncludeInServiceDocument="false">
          <NavigationPropertyBinding Path="manager" Target="users" />
          <Annotation Term="Core.Description" String="all users" />
        </EntitySet>
        <Singleton Name="me" Type="graph.user">
          <NavigationPropertyBinding Path="reports" Target="users" />
        </Singleton>
        <ActionImport Name="resetAll" Action="graph.resetAll" EntitySet="users" />
        <FunctionImport Name="findAll" Function="graph.findAll" EntitySet="users" IncludeInServiceDocument="true">
          <Annotation Term="Core.Description" String="find" />
        </FunctionImport>
        <Annotation Term="Core.Description" String="the container" />
      </EntityContainer>
      <Annotations Target="graph.user" Qualifier="tablet">
        <Annotation Term="Core.Constants" Bool="false" />
        <Annotation Term="Core.Ints" Int="-42" />
        <Annotation Term="Core.Floats" Float="1.5e3" />
        <Annotation Term="Core.Decimals" Decimal="-0.25" />
        <Annotation Term="Core.Dates" Date="2023-11-15" />
        <Annotation Term="Core.Stamps" DateTimeOffset="2023-11-15T10:00:00Z" />
        <Annotation Term="Core.Durations" Duration="P1D" />
        <Annotation Term="Core.Guids" Guid="21EC2020-3AEA-1069-A2DD-08002B30309D" />
        <Annotation Term="Core.Times" TimeOfDay="10:00:00" />
        <Annotation Term="Core.Binaries" Binary="T0RhdGE" />
        <Annotation Term="Core.Enums" EnumMember="Core.Permission/Read Core.Permission/Write" />
        <Annotation Term="Core.Paths" Path="address/street" />
        <Annotation Term="Core.PropertyPaths" PropertyPath="address" />
        <Annotation Term="Core.NavigationPaths" NavigationPropertyPath="manager" />
        <Annotation Term="Core.AnnotationPaths" AnnotationPath="@Core.Description" />
      </Annotations>
      <Annotations Target="graph.user/address">
        <Annotation Term="Core.Elements">
          <Collection>
            <Bool>true</Bool>
            <Int> 7 </Int>
            <Float>INF</Float>
            <Decimal>3.14</Decimal>
            <Date>2026-07-09</Date>
            <DateTimeOffset>2026-07-09T00:00:00Z</DateTimeOffset>
            <Duration>PT1H</Duration>
            <Guid>21EC2020-3AEA-1069-A2DD-08002B30309D</Guid>
            <TimeOfDay>23:59:59</TimeOfDay>
            <Binary>AQID</Binary>
            <EnumMember>Core.RevisionKind/Deprecated</EnumMember>
            <Path>a/b</Path>
            <PropertyPath>a</PropertyPath>
            <NavigationPropertyPath>manager</NavigationPropertyPath>
            <AnnotationPath>@Core.Description</AnnotationPath>
            <Null />
            <String />
            <Record Type="Core.RevisionType">
              <PropertyValue Property="Version" String="1" />
              <PropertyValue Property="Kind">
                <EnumMember>Core.RevisionKind/Added</EnumMember>
              </PropertyValue>
              <PropertyValue Property="Nested">
                <Record>
                  <PropertyValue Property="Deep" Int="1" />
                </Record>
              </PropertyValue>
              <Annotation Term="Core.Description" String="on a record" />
            </Record>
            <Collection />
          </Collection>
        </Annotation>
      </Annotations>
      <Annotation Term="Core.SchemaVersion" String="1.0" />
    </Schema>
    <Schema Namespace="microsoft.graph.other">
      <ComplexType Name="empty" />
    </Schema>
  </ex:DataServices>
</ex:Edmx>
"#;

/// The 1-based line and column of the first occurrence of `needle`.
fn at(needle: &str) -> Pos {
    let offset = RICH.find(needle).unwrap_or_else(|| panic!("{needle}"));
    let before = &RICH[..offset];
    Pos {
        line: before.matches('\n').count() as u32 + 1,
        col: (offset - before.rfind('\n').map_or(0, |i| i + 1)) as u32 + 1,
    }
}

fn document() -> Document {
    match parse("rich.csdl", RICH, &ParseOptions { strict: true }) {
        Ok(parsed) => {
            assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
            parsed.document
        }
        Err(e) => panic!("{e}"),
    }
}

fn s(x: &str) -> String {
    x.to_string()
}

#[test]
fn document_and_references() {
    let doc = document();
    assert_eq!(doc.file, "rich.csdl");
    assert_eq!(doc.version, "4.01");
    assert_eq!(
        doc.references,
        [Reference {
            uri: s(
                "https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Core.V1.xml"
            ),
            includes: vec![Include {
                namespace: s("Org.OData.Core.V1"),
                alias: Some(s("Core")),
                annotations: vec![],
                pos: at("<ex:Include"),
            }],
            include_annotations: vec![],
            annotations: vec![],
            pos: at("<ex:Reference"),
        }]
    );
    assert_eq!(doc.schemas.len(), 2);
    let other = &doc.schemas[1];
    // No default namespace in scope: tolerated as CSDL.
    assert_eq!(other.namespace, "microsoft.graph.other");
    assert_eq!(other.alias, None);
    assert_eq!(other.complex_types[0].name, "empty");
    assert_eq!(
        other.complex_types[0].pos,
        at("<ComplexType Name=\"empty\"")
    );
}

#[test]
fn enums_and_type_definitions() {
    let doc = document();
    let graph = &doc.schemas[0];
    assert_eq!(graph.namespace, "microsoft.graph");
    assert_eq!(graph.alias.as_deref(), Some("graph"));
    assert_eq!(graph.pos, at("<Schema Namespace=\"microsoft.graph\""));

    let color = &graph.enum_types[0];
    assert_eq!(color.name, "color");
    assert_eq!(color.underlying_type.as_deref(), Some("Edm.Int64"));
    assert!(color.is_flags);
    assert_eq!(color.pos, at("<EnumType Name=\"color\""));
    assert_eq!(color.members.len(), 2);
    assert_eq!(color.members[0].name, "red");
    assert_eq!(color.members[0].value, Some(1));
    assert_eq!(color.members[1].value, Some(-2));
    assert_eq!(color.members[1].pos, at("<Member Name=\"green\""));
    let member_note = &color.members[1].annotations[0];
    assert_eq!(member_note.term, "Core.Description");
    assert_eq!(
        member_note.value.as_ref().and_then(Expr::as_str),
        Some("a \"green\" & \u{263A} member")
    );
    let enum_note = &color.annotations[0];
    assert_eq!(
        enum_note.value.as_ref().map(|e| &e.kind),
        Some(&ExprKind::String(s("line one\nline two <b> <raw & text>")))
    );
    assert_eq!(
        enum_note.value.as_ref().unwrap().pos,
        at("<String>line one")
    );

    let implicit = &graph.enum_types[1];
    assert!(!implicit.is_flags);
    assert_eq!(implicit.underlying_type, None);
    assert_eq!(
        implicit
            .members
            .iter()
            .map(|m| (m.name.as_str(), m.value))
            .collect::<Vec<_>>(),
        [("first", None), ("second", None)]
    );

    let money = &graph.type_definitions[0];
    assert_eq!(money.name, "money");
    assert_eq!(money.underlying_type, "Edm.Decimal");
    assert_eq!(
        money.facets,
        Facets::from(FacetValues {
            precision: Some(18),
            scale: Some(s("variable")),
            ..FacetValues::default()
        })
    );
    // Values that set nothing are the empty facets, not a box of Nones.
    assert_eq!(Facets::from(FacetValues::default()), Facets::default());
    assert!(!money.facets.is_empty() && Facets::default().is_empty());
    assert_eq!(money.annotations.len(), 1);
}

#[test]
fn structured_types() {
    let doc = document();
    let graph = &doc.schemas[0];
    let address = &graph.complex_types[0];
    assert_eq!(address.kind, StructuredKind::Complex);
    assert!(address.open_type && !address.is_abstract && !address.has_stream);
    assert_eq!(address.key, None);
    let street = &address.properties[0];
    assert_eq!(street.name, "street");
    assert_eq!(
        street.ty,
        TypeRef {
            collection: false,
            name: s("Edm.String"),
            pos: at("<Property Name=\"street\""),
        }
    );
    assert_eq!(street.nullable, Some(false));
    assert!(!street.is_nullable());
    assert_eq!(street.facets.max_length.as_deref(), Some("max"));
    assert_eq!(street.facets.unicode, Some(false));
    assert_eq!(street.default_value.as_deref(), Some("none"));
    assert_eq!(address.properties[1].facets.srid.as_deref(), Some("4326"));
    assert_eq!(address.properties[2].facets.precision, Some(10));
    assert_eq!(address.properties[2].facets.scale.as_deref(), Some("2"));
    let tags = &address.properties[3];
    assert!(tags.ty.collection);
    assert_eq!(tags.ty.name, "Edm.String");
    assert!(tags.is_nullable());
    assert_eq!(tags.annotations[0].term, "Core.Immutable");
    assert_eq!(tags.annotations[0].value, None);

    let entity = &graph.entity_types[0];
    assert!(entity.is_abstract);
    let key = entity.key.as_ref().expect("key");
    assert_eq!(key.pos, at("<Key>"));
    assert_eq!(key.property_refs[0].name, "id");

    let user = &graph.entity_types[1];
    assert_eq!(user.kind, StructuredKind::Entity);
    assert_eq!(user.base_type.as_deref(), Some("graph.entity"));
    assert!(user.open_type && user.has_stream);
    let manager = &user.navigation_properties[0];
    assert_eq!(manager.name, "manager");
    assert_eq!(manager.nullable, Some(true));
    assert!(!manager.contains_target);
    assert_eq!(manager.partner.as_deref(), Some("reports"));
    assert_eq!(
        manager.referential_constraints,
        [ReferentialConstraint {
            property: s("managerId"),
            referenced_property: s("id"),
            annotations: vec![],
            pos: at("<ReferentialConstraint"),
        }]
    );
    let reports = &user.navigation_properties[1];
    assert!(reports.contains_target);
    assert_eq!(reports.ty.to_string(), "Collection(graph.user)");
    assert_eq!(user.annotations[0].qualifier.as_deref(), Some("short"));

    let keyed = &graph.entity_types[2];
    let refs = &keyed.key.as_ref().unwrap().property_refs;
    assert_eq!(refs[0].name, "address/street");
    assert_eq!(refs[0].alias.as_deref(), Some("street"));
    assert_eq!(refs[1].alias, None);
}

#[test]
fn operations_and_terms() {
    let doc = document();
    let graph = &doc.schemas[0];
    assert_eq!(graph.operations.len(), 3);
    let reset = &graph.operations[0];
    assert_eq!(reset.kind, OperationKind::Action);
    assert!(reset.is_bound && !reset.is_composable);
    assert_eq!(
        reset.entity_set_path.as_deref(),
        Some("bindingParameter/reports")
    );
    assert_eq!(reset.parameters[0].nullable, Some(false));
    assert_eq!(
        reset.parameters[1].facets.max_length.as_deref(),
        Some("100")
    );
    assert_eq!(reset.parameters[1].annotations.len(), 1);
    let ret = reset.return_type.as_ref().unwrap();
    assert_eq!(ret.ty.to_string(), "Collection(graph.user)");
    assert_eq!(ret.nullable, Some(false));
    assert_eq!(
        ret.pos,
        at("<ReturnType Type=\"Collection(graph.user)\" Nullable=\"false\"")
    );

    // Overloads share a name and keep document order.
    let finds: Vec<&Operation> = graph
        .operations
        .iter()
        .filter(|o| o.name == "find")
        .collect();
    assert_eq!(finds.len(), 2);
    assert!(finds.iter().all(|f| f.kind == OperationKind::Function));
    assert!(finds[0].is_composable && !finds[1].is_composable);
    assert_eq!(finds[1].parameters[1].facets.unicode, Some(false));
    let ret = finds[1].return_type.as_ref().unwrap();
    assert_eq!(ret.nullable, Some(true));
    assert_eq!(ret.facets.precision, Some(3));

    let term = &graph.terms[0];
    assert_eq!(term.name, "flag");
    assert_eq!(term.ty.name, "Edm.Boolean");
    assert_eq!(term.nullable, Some(false));
    assert_eq!(term.default_value.as_deref(), Some("true"));
    assert_eq!(term.applies_to.as_deref(), Some("EntityType Property"));
    assert_eq!(term.base_term.as_deref(), Some("Core.Tag"));
    assert_eq!(term.annotations.len(), 1);
}

#[test]
fn container() {
    let doc = document();
    let container = &doc.schemas[0].containers[0];
    assert_eq!(container.name, "GraphService");
    assert_eq!(container.annotations.len(), 1);
    let users = &container.entity_sets[0];
    assert_eq!(users.entity_type, "graph.user");
    assert_eq!(users.include_in_service_document, Some(false));
    assert_eq!(
        users.bindings,
        [NavigationPropertyBinding {
            path: s("manager"),
            target: s("users"),
            pos: at("<NavigationPropertyBinding Path=\"manager\""),
        }]
    );
    assert_eq!(users.annotations.len(), 1);
    let me = &container.singletons[0];
    assert_eq!(me.ty, "graph.user");
    assert_eq!(me.bindings[0].path, "reports");
    let action = &container.action_imports[0];
    assert_eq!(action.action, "graph.resetAll");
    assert_eq!(action.entity_set.as_deref(), Some("users"));
    let function = &container.function_imports[0];
    assert_eq!(function.function, "graph.findAll");
    assert_eq!(function.include_in_service_document, Some(true));
    assert_eq!(function.annotations.len(), 1);
}

#[test]
fn annotation_expressions() {
    let doc = document();
    let graph = &doc.schemas[0];
    // Two external blocks; the schema's own annotation is its own.
    assert_eq!(graph.annotations.len(), 2);
    let constants = &graph.annotations[0];
    assert_eq!(constants.target, "graph.user");
    assert_eq!(constants.qualifier.as_deref(), Some("tablet"));
    let kinds: Vec<ExprKind> = constants
        .annotations
        .iter()
        .map(|a| a.value.as_ref().unwrap().kind.clone())
        .collect();
    assert_eq!(
        kinds,
        [
            ExprKind::Bool(false),
            ExprKind::Int(-42),
            ExprKind::Float(s("1.5e3")),
            ExprKind::Decimal(s("-0.25")),
            ExprKind::Date(s("2023-11-15")),
            ExprKind::DateTimeOffset(s("2023-11-15T10:00:00Z")),
            ExprKind::Duration(s("P1D")),
            ExprKind::Guid(s("21EC2020-3AEA-1069-A2DD-08002B30309D")),
            ExprKind::TimeOfDay(s("10:00:00")),
            ExprKind::Binary(s("T0RhdGE")),
            ExprKind::EnumMember(s("Core.Permission/Read Core.Permission/Write")),
            ExprKind::Path(s("address/street")),
            ExprKind::PropertyPath(s("address")),
            ExprKind::NavigationPropertyPath(s("manager")),
            ExprKind::AnnotationPath(s("@Core.Description")),
        ]
    );
    // Attribute-form values are located at their attribute.
    assert_eq!(
        constants.annotations[1].value.as_ref().unwrap().pos,
        at("Int=\"-42\"")
    );

    let elements = &graph.annotations[1];
    assert_eq!(elements.target, "graph.user/address");
    let items = elements.annotations[0]
        .value
        .as_ref()
        .and_then(Expr::as_collection)
        .unwrap();
    let record = items[17].as_record().unwrap();
    let nested = record.get("Nested").and_then(Expr::as_record).unwrap();
    let kinds: Vec<ExprKind> = items.iter().map(|e| e.kind.clone()).collect();
    assert_eq!(
        kinds,
        [
            ExprKind::Bool(true),
            ExprKind::Int(7),
            ExprKind::Float(s("INF")),
            ExprKind::Decimal(s("3.14")),
            ExprKind::Date(s("2026-07-09")),
            ExprKind::DateTimeOffset(s("2026-07-09T00:00:00Z")),
            ExprKind::Duration(s("PT1H")),
            ExprKind::Guid(s("21EC2020-3AEA-1069-A2DD-08002B30309D")),
            ExprKind::TimeOfDay(s("23:59:59")),
            ExprKind::Binary(s("AQID")),
            ExprKind::EnumMember(s("Core.RevisionKind/Deprecated")),
            ExprKind::Path(s("a/b")),
            ExprKind::PropertyPath(s("a")),
            ExprKind::NavigationPropertyPath(s("manager")),
            ExprKind::AnnotationPath(s("@Core.Description")),
            ExprKind::Null,
            ExprKind::String(s("")),
            ExprKind::Record(record.clone()),
            ExprKind::Collection(vec![]),
        ]
    );
    assert_eq!(items[16].pos, at("<String />"));
    assert_eq!(record.ty.as_deref(), Some("Core.RevisionType"));
    assert_eq!(record.property_values.len(), 3);
    assert_eq!(
        record.property_values[0].pos,
        at("<PropertyValue Property=\"Version\"")
    );
    assert_eq!(
        record.get("Kind").map(|e| &e.kind),
        Some(&ExprKind::EnumMember(s("Core.RevisionKind/Added")))
    );
    assert_eq!(nested.get("Deep").map(|e| &e.kind), Some(&ExprKind::Int(1)));
    assert_eq!(record.annotations.len(), 1);
    assert_eq!(record.annotations[0].term, "Core.Description");

    let own = &graph.own_annotations;
    assert_eq!(own.len(), 1);
    assert_eq!(own[0].term, "Core.SchemaVersion");
    assert_eq!(own[0].pos, at("<Annotation Term=\"Core.SchemaVersion\""));
}

#[test]
fn dynamic_expressions_are_kept_not_dropped() {
    let input = r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
<edmx:DataServices>
<Schema Namespace="n" xmlns="http://docs.oasis-open.org/odata/ns/edm">
<Annotations Target="n.t">
  <Annotation Term="Core.Computed"><If><Bool>true</Bool><Bool>false</Bool><Bool>true</Bool></If></Annotation>
  <Annotation Term="Core.Kept"><Record><PropertyValue Property="a"><Apply Function="odata.concat"/></PropertyValue><PropertyValue Property="b" Int="2"/></Record></Annotation>
  <Annotation Term="Core.Element" ModelElementPath="n.t"/>
</Annotations>
</Schema>
</edmx:DataServices>
</edmx:Edmx>"#;
    let parsed = parse("u.csdl", input, &ParseOptions { strict: true }).expect("parses");
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    let block = &parsed.document.schemas[0].annotations[0];
    assert_eq!(block.annotations.len(), 3);
    let computed = block.annotations[0].value.as_ref().unwrap();
    let ExprKind::If(branches) = &computed.kind else {
        panic!("expected <If>, got {computed:?}");
    };
    assert_eq!(branches.len(), 3);
    assert_eq!(computed.pos, Pos { line: 5, col: 36 });
    let kept = block.annotations[1]
        .value
        .as_ref()
        .and_then(Expr::as_record)
        .unwrap();
    assert_eq!(kept.property_values.len(), 2);
    assert_eq!(
        kept.property_values[0].value.kind,
        ExprKind::Apply {
            function: s("odata.concat"),
            arguments: vec![]
        }
    );
    assert_eq!(
        block.annotations[2].value.as_ref().map(|e| &e.kind),
        Some(&ExprKind::ModelElementPath(s("n.t")))
    );
}

#[test]
fn prefixes_are_resolved_not_spelled() {
    // CSDL elements under a prefix, edmx under the default namespace.
    let input = r#"<Edmx xmlns="http://docs.oasis-open.org/odata/ns/edmx" Version="4.0">
  <DataServices>
    <e:Schema xmlns:e="http://docs.oasis-open.org/odata/ns/edm" Namespace="n">
      <e:EntityType Name="t"><e:Property Name="p" Type="Edm.String"/></e:EntityType>
    </e:Schema>
  </DataServices>
</Edmx>"#;
    let parsed = parse("p.csdl", input, &ParseOptions { strict: true }).expect("parses");
    let schema = &parsed.document.schemas[0];
    assert_eq!(schema.entity_types[0].properties[0].name, "p");
    assert_eq!(schema.entity_types[0].pos, Pos { line: 4, col: 7 });
}

#[test]
fn byte_order_mark_and_crlf() {
    let input = "\u{feff}<edmx:Edmx Version=\"4.0\" xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\">\r\n<edmx:DataServices>\r\n<Schema Namespace=\"n\">\r\n  <ComplexType Name=\"c\">\r\n    <Annotation Term=\"a.b\"><String>x\r\ny</String></Annotation>\r\n  </ComplexType>\r\n</Schema></edmx:DataServices></edmx:Edmx>\r\n";
    let parsed = parse("b.csdl", input, &ParseOptions::default()).expect("parses");
    let c = &parsed.document.schemas[0].complex_types[0];
    assert_eq!(c.pos, Pos { line: 4, col: 3 });
    assert_eq!(
        c.annotations[0].value.as_ref().and_then(Expr::as_str),
        Some("x\ny")
    );
}

#[test]
fn fragments_share_the_element_parser() {
    let text = r#"<EnumType Name="e"><Member Name="a" Value="1"/></EnumType>
<ComplexType Name="c"><Property Name="p" Type="Edm.String"/></ComplexType>
  <EntityType Name="t" BaseType="graph.entity"/>
<Action Name="act"><Parameter Name="x" Type="Edm.Int32"/></Action>
<Function Name="fn"><ReturnType Type="Edm.Int32"/></Function>
<Term Name="term" Type="Edm.String"/>
<TypeDefinition Name="td" UnderlyingType="Edm.String"/>
<Annotations Target="graph.user"><Annotation Term="Core.Description" String="x"/></Annotations>
<EntityContainer Name="c"><Singleton Name="s" Type="graph.t"/></EntityContainer>
<!-- comments are fine -->
"#;
    let schema = parse_fragment(
        "patch.toml",
        text,
        Pos { line: 20, col: 9 },
        "microsoft.graph",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(schema.namespace, "microsoft.graph");
    assert_eq!(schema.pos, Pos { line: 20, col: 9 });
    assert_eq!(schema.enum_types[0].pos, Pos { line: 20, col: 9 });
    assert_eq!(
        schema.enum_types[0].members[0].pos,
        Pos { line: 20, col: 28 }
    );
    assert_eq!(schema.complex_types[0].pos, Pos { line: 21, col: 1 });
    assert_eq!(schema.entity_types[0].pos, Pos { line: 22, col: 3 });
    assert_eq!(schema.operations.len(), 2);
    assert_eq!(schema.terms[0].name, "term");
    assert_eq!(schema.type_definitions[0].name, "td");
    assert_eq!(schema.annotations[0].target, "graph.user");
    assert_eq!(schema.containers[0].singletons[0].name, "s");

    let empty = parse_fragment("patch.toml", "", Pos { line: 1, col: 1 }, "n").unwrap();
    assert_eq!(empty.namespace, "n");
}

#[test]
fn mutated_documents_never_panic() {
    // Deterministic pseudo-random edits of the rich document: every result
    // is either a tree or diagnostics holding an error.
    assert!(RICH.is_ascii());
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move |bound: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % bound as u64) as usize
    };
    const PIECES: &[&str] = &[
        "<",
        ">",
        "\"",
        "'",
        "&",
        "/",
        "=",
        " ",
        "a",
        "\n",
        ";",
        "#",
        "</",
        "/>",
        "<!",
        "<?",
        "]]>",
        "<![CDATA[",
        "&#x",
        "xmlns=\"\"",
        "xmlns:ex=\"urn:x\"",
        "Collection(",
        ")",
        ".",
        "<Foo>",
        "<Collection>",
        "<Record>",
        "Nullable=\"x\" ",
    ];
    let rounds = std::env::var("PARSER_MUTATION_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3000);
    for round in 0..rounds {
        let mut text = RICH.to_string();
        for _ in 0..1 + next(3) {
            let at = next(text.len() + 1);
            match next(3) {
                0 => text.insert_str(at, PIECES[next(PIECES.len())]),
                1 => {
                    let end = (at + 1 + next(40)).min(text.len());
                    text.replace_range(at.min(end)..end, "");
                }
                _ => {
                    let end = (at + 1).min(text.len());
                    text.replace_range(at.min(end)..end, PIECES[next(PIECES.len())]);
                }
            }
        }
        let options = ParseOptions {
            strict: round % 2 == 0,
        };
        match parse("m.csdl", &text, &options) {
            Ok(parsed) => assert!(
                parsed
                    .warnings
                    .iter()
                    .all(|w| w.severity == migrations_codegen::csdl::Severity::Warning)
            ),
            Err(diagnostics) => assert!(diagnostics.errors().next().is_some()),
        }
        let _ = parse_fragment("m.toml", &text, Pos { line: 3, col: 7 }, "n");
    }
}
