//! CSDL 4.0 and 4.01 XML conformance: one document per construct of the
//! OASIS specification ("OData Common Schema Definition Language (CSDL) XML
//! Representation Version 4.01"), each parsed strictly (no warning),
//! resolved, written back, parsed again and compared: the two syntax trees
//! must be equal but for positions, and the written text must still show
//! the construct. A construct the parser dropped or the writer forgot fails
//! one of the two.

use migrations_codegen::csdl::syntax::{Document, ExprKind, Operator};
use migrations_codegen::csdl::write::write_document;
use migrations_codegen::csdl::{ParseOptions, parse};
use migrations_codegen::model::{Model, resolve, resolve_owned};

const EDMX: &str = "http://docs.oasis-open.org/odata/ns/edmx";
const EDM: &str = "http://docs.oasis-open.org/odata/ns/edm";

/// A document with `references` (edmx:Reference elements) and one schema
/// `n` (alias `self`) holding `body`.
fn document(references: &str, body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <edmx:Edmx Version=\"4.01\" xmlns:edmx=\"{EDMX}\">\n\
         {references}\n\
         <edmx:DataServices>\n\
         <Schema Namespace=\"n\" Alias=\"self\" xmlns=\"{EDM}\">\n\
         {body}\n\
         </Schema>\n\
         </edmx:DataServices>\n\
         </edmx:Edmx>\n"
    )
}

/// The Debug form of a tree without its positions, which writing changes.
fn shape(doc: &Document) -> String {
    let text = format!("{doc:#?}");
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find("Pos {") {
        out.push_str(&rest[..at]);
        out.push_str("Pos");
        let end = rest[at..].find('}').expect("a Pos ends");
        rest = &rest[at + end + 1..];
    }
    out.push_str(rest);
    out
}

/// Parses `text` strictly, resolves it, writes it, parses the writing and
/// compares. Returns the model and the written text.
fn round_trip(name: &str, text: &str) -> (Model, String) {
    let options = ParseOptions { strict: true };
    let first = parse("c.csdl", text, &options)
        .unwrap_or_else(|d| panic!("{name}: does not parse:\n{d}\n{text}"));
    assert!(
        first.warnings.is_empty(),
        "{name}: warnings {:?}",
        first.warnings
    );
    let model = resolve(&first.document)
        .unwrap_or_else(|d| panic!("{name}: does not resolve:\n{d}\n{text}"));
    let written = write_document(&first.document, &[]);
    let second = parse("c.csdl", &written, &options)
        .unwrap_or_else(|d| panic!("{name}: the written text does not parse:\n{d}\n{written}"));
    assert!(second.warnings.is_empty(), "{name}: {:?}", second.warnings);
    assert_eq!(
        shape(&first.document),
        shape(&second.document),
        "{name}: writing lost or changed something:\n{written}"
    );
    // Writing is a fixed point, and owned resolution sees the same model.
    assert_eq!(write_document(&second.document, &[]), written, "{name}");
    let owned = resolve_owned(second.document).expect("resolves");
    assert_eq!(
        format!("{:?}", owned.counts()),
        format!("{:?}", model.counts())
    );
    (model, written)
}

/// One construct: its name, the references, the schema body, and text the
/// written document must contain.
struct Construct {
    name: &'static str,
    references: &'static str,
    body: &'static str,
    written: &'static [&'static str],
}

const fn construct(
    name: &'static str,
    body: &'static str,
    written: &'static [&'static str],
) -> Construct {
    Construct {
        name,
        references: "",
        body,
        written,
    }
}

fn constructs() -> Vec<Construct> {
    vec![
        construct(
            "annotation on the schema",
            r#"<Annotation Term="self.note" String="the schema itself"/>
<Term Name="note" Type="Edm.String"/>"#,
            &[r#"<Annotation Term="self.note" String="the schema itself" />"#],
        ),
        construct(
            "external annotations targeting the schema",
            r#"<Term Name="note" Type="Edm.String"/>
<Annotations Target="n"><Annotation Term="self.note" String="by namespace"/></Annotations>
<Annotations Target="self"><Annotation Term="self.note" Qualifier="q" String="by alias"/></Annotations>"#,
            &[r#"<Annotations Target="self">"#],
        ),
        construct(
            "annotation on an annotation",
            r#"<Term Name="note" Type="Edm.String"/>
<ComplexType Name="c"><Annotation Term="self.note" String="outer"><Annotation Term="self.note" String="inner"><Annotation Term="self.note" Qualifier="deep" String="innermost"/></Annotation></Annotation></ComplexType>"#,
            &[r#"String="innermost""#],
        ),
        Construct {
            name: "annotations on edmx:Reference and edmx:Include, edmx:IncludeAnnotations",
            references: r#"<edmx:Reference Uri="https://example.com/vocabularies/Core.xml">
<edmx:Include Namespace="Org.OData.Core.V1" Alias="Core"><Annotation Term="Core.Description" String="the core vocabulary"/></edmx:Include>
<edmx:IncludeAnnotations TermNamespace="Org.OData.Core.V1" Qualifier="Tablet" TargetNamespace="n"/>
<edmx:IncludeAnnotations TermNamespace="Org.OData.Core.V1"/>
<Annotation Term="Core.LongDescription" String="a reference"/>
</edmx:Reference>"#,
            body: r#"<ComplexType Name="c"/>"#,
            written: &[
                r#"<edmx:Reference Uri="https://example.com/vocabularies/Core.xml" xmlns="http://docs.oasis-open.org/odata/ns/edm">"#,
                r#"<edmx:IncludeAnnotations TermNamespace="Org.OData.Core.V1" Qualifier="Tablet" TargetNamespace="n" />"#,
                r#"String="the core vocabulary""#,
                r#"String="a reference""#,
            ],
        },
        construct(
            "annotation on a return type (Core.IsDelta)",
            r#"<EntityType Name="e"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String" Nullable="false"/></EntityType>
<Function Name="delta" IsBound="true"><Parameter Name="bindingParameter" Type="Collection(self.e)"/><ReturnType Type="Collection(self.e)"><Annotation Term="Org.OData.Core.V1.IsDelta" Bool="true"/></ReturnType></Function>"#,
            &[r#"<Annotation Term="Org.OData.Core.V1.IsDelta" Bool="true" />"#],
        ),
        construct(
            "constant expressions, attribute form",
            r#"<Term Name="any" Type="Edm.Untyped"/>
<Annotations Target="self.any">
<Annotation Term="self.any" Qualifier="s" String="text &amp; more"/>
<Annotation Term="self.any" Qualifier="b" Bool="false"/>
<Annotation Term="self.any" Qualifier="i" Int="-42"/>
<Annotation Term="self.any" Qualifier="f" Float="1.5e3"/>
<Annotation Term="self.any" Qualifier="m" Decimal="3.14"/>
<Annotation Term="self.any" Qualifier="d" Date="2026-12-06"/>
<Annotation Term="self.any" Qualifier="t" DateTimeOffset="2026-12-06T02:30:00Z"/>
<Annotation Term="self.any" Qualifier="u" Duration="P1DT2H"/>
<Annotation Term="self.any" Qualifier="g" Guid="21EC2020-3AEA-1069-A2DD-08002B30309D"/>
<Annotation Term="self.any" Qualifier="o" TimeOfDay="21:45:00"/>
<Annotation Term="self.any" Qualifier="y" Binary="T0RhdGE"/>
<Annotation Term="self.any" Qualifier="e" EnumMember="self.colour/red self.colour/blue"/>
</Annotations>"#,
            &[r#"Duration="P1DT2H""#, r#"String="text &amp; more""#],
        ),
        construct(
            "constant expressions, element form",
            r#"<Term Name="any" Type="Collection(Edm.Untyped)"/>
<Annotations Target="self.any"><Annotation Term="self.any"><Collection>
<String>text</String><Bool>true</Bool><Int>7</Int><Float>INF</Float><Decimal>-0.5</Decimal><Date>2000-01-01</Date>
<DateTimeOffset>2000-01-01T00:00:00+01:00</DateTimeOffset><Duration>PT1S</Duration><Guid>21EC2020-3AEA-1069-A2DD-08002B30309D</Guid>
<TimeOfDay>00:00:01.5</TimeOfDay><Binary>AQID</Binary><EnumMember>self.colour/red</EnumMember>
</Collection></Annotation></Annotations>"#,
            &["<Float>INF</Float>", "<Binary>AQID</Binary>"],
        ),
        construct(
            "path expressions, both forms",
            r#"<Term Name="any" Type="Collection(Edm.Untyped)"/>
<Annotations Target="self.any">
<Annotation Term="self.any" Qualifier="a" AnnotationPath="a/@self.any"/>
<Annotation Term="self.any" Qualifier="m" ModelElementPath="self.any"/>
<Annotation Term="self.any" Qualifier="n" NavigationPropertyPath="a/b"/>
<Annotation Term="self.any" Qualifier="p" PropertyPath="a/c"/>
<Annotation Term="self.any" Qualifier="x" Path="a/d"/>
<Annotation Term="self.any" Qualifier="all"><Collection><AnnotationPath>@self.any</AnnotationPath><ModelElementPath>self.e/id</ModelElementPath><NavigationPropertyPath>nav</NavigationPropertyPath><PropertyPath>prop</PropertyPath><Path>@self.any/x</Path></Collection></Annotation>
</Annotations>"#,
            &[
                r#"ModelElementPath="self.any""#,
                "<ModelElementPath>self.e/id</ModelElementPath>",
            ],
        ),
        construct(
            "Collection, Record and PropertyValue, annotated",
            r#"<Term Name="any" Type="Edm.Untyped"/>
<Annotations Target="self.any"><Annotation Term="self.any"><Record Type="self.thing">
<PropertyValue Property="a" Int="1"><Annotation Term="self.any" String="on a property value"/></PropertyValue>
<PropertyValue Property="b"><Collection><Record/><Null/></Collection></PropertyValue>
<Annotation Term="self.any" String="on the record"/>
</Record></Annotation></Annotations>"#,
            &[r#"String="on a property value""#, "<Null />"],
        ),
        construct(
            "Null, annotated",
            r#"<Term Name="any" Type="Edm.Untyped"/>
<Annotations Target="self.any"><Annotation Term="self.any"><Null><Annotation Term="self.any" String="why null"/></Null></Annotation></Annotations>"#,
            &[r#"String="why null""#],
        ),
        construct(
            "Apply",
            r#"<Term Name="any" Type="Edm.Untyped"/>
<Annotations Target="self.any"><Annotation Term="self.any"><Apply Function="odata.concat"><String>Product: </String><Path>ProductName</Path><Apply Function="odata.fillUriTemplate"><String>http://host/{x}</String><LabeledElement Name="x" Path="ID"/></Apply><Annotation Term="self.any" String="on the call"/></Apply></Annotation></Annotations>"#,
            &[
                r#"<Apply Function="odata.fillUriTemplate">"#,
                r#"<LabeledElement Name="x" Path="ID" />"#,
            ],
        ),
        construct(
            "If",
            r#"<Term Name="any" Type="Edm.Untyped"/>
<Annotations Target="self.any"><Annotation Term="self.any"><If><Path>IsFemale</Path><String>Female</String><String>Male</String></If></Annotation>
<Annotation Term="self.any" Qualifier="c"><Collection><If><Path>IsVip</Path><String>vip</String></If></Collection></Annotation></Annotations>"#,
            &["<If>"],
        ),
        construct(
            "comparison and logical operators",
            r#"<Term Name="any" Type="Edm.Boolean"/>
<Annotations Target="self.any"><Annotation Term="self.any"><And>
<And><Or><Eq><Path>a</Path><Int>1</Int></Eq><Ne><Path>a</Path><Int>2</Int></Ne></Or>
<Not><Gt><Path>a</Path><Int>3</Int></Gt></Not></And>
<Or><Ge><Path>a</Path><Int>4</Int></Ge><Or><Lt><Path>a</Path><Int>5</Int></Lt><Le><Path>a</Path><Int>6</Int></Le></Or></Or>
<Annotation Term="self.any" String="annotated operator"/></And><Annotation Term="self.any" Bool="true"/></Annotation>
<Annotation Term="self.any" Qualifier="h"><Has><Path>colours</Path><EnumMember>self.colour/red</EnumMember></Has></Annotation>
<Annotation Term="self.any" Qualifier="i"><In><Path>size</Path><Collection><String>XS</String><String>S</String></Collection></In></Annotation>
<Annotation Term="self.any" Qualifier="arith"><Eq><Add><Mul><Int>2</Int><Neg><Path>a</Path></Neg></Mul><Sub><DivBy><Float>1</Float><Div><Int>4</Int><Mod><Int>5</Int><Int>3</Int></Mod></Div></DivBy><Int>1</Int></Sub></Add><Int>0</Int></Eq></Annotation>
</Annotations>"#,
            &["<Has>", "<In>", "<Not>", "<DivBy>", "<Mod>"],
        ),
        construct(
            "Cast and IsOf",
            r#"<Term Name="any" Type="Edm.Untyped"/>
<Annotations Target="self.any"><Annotation Term="self.any"><Cast Type="Edm.Decimal" Precision="10" Scale="2"><Path>Average</Path></Cast></Annotation>
<Annotation Term="self.any" Qualifier="t"><IsOf Type="Collection(self.e)"><Path>Items</Path><Annotation Term="self.any" String="typed"/></IsOf></Annotation></Annotations>"#,
            &[
                r#"<Cast Type="Edm.Decimal" Precision="10" Scale="2">"#,
                r#"<IsOf Type="Collection(self.e)">"#,
            ],
        ),
        construct(
            "LabeledElement and LabeledElementReference",
            r#"<Term Name="any" Type="Edm.Untyped"/>
<Annotations Target="self.any"><Annotation Term="self.any"><LabeledElement Name="CustomerFirstName"><Path>FirstName</Path><Annotation Term="self.any" String="labelled"/></LabeledElement></Annotation>
<Annotation Term="self.any" Qualifier="r"><LabeledElementReference>self.CustomerFirstName</LabeledElementReference></Annotation></Annotations>"#,
            &["<LabeledElementReference>self.CustomerFirstName</LabeledElementReference>"],
        ),
        construct(
            "UrlRef, both forms",
            r#"<Term Name="any" Type="Edm.Untyped"/>
<Annotations Target="self.any"><Annotation Term="self.any" UrlRef="http://host/wiki/HowToUse"/>
<Annotation Term="self.any" Qualifier="e"><UrlRef><Apply Function="odata.fillUriTemplate"><String>http://host/{id}</String><LabeledElement Name="id" Path="ID"/></Apply><Annotation Term="self.any" String="a link"/></UrlRef></Annotation></Annotations>"#,
            &["<UrlRef>", "<String>http://host/wiki/HowToUse</String>"],
        ),
        construct(
            "OnDelete and annotated ReferentialConstraint",
            r#"<EntityType Name="e"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String" Nullable="false"/><Property Name="parentId" Type="Edm.String"/>
<NavigationProperty Name="parent" Type="self.e" Partner="children"><ReferentialConstraint Property="parentId" ReferencedProperty="id"><Annotation Term="self.note" String="the link"/></ReferentialConstraint><OnDelete Action="SetNull"><Annotation Term="self.note" String="orphans stay"/></OnDelete></NavigationProperty>
<NavigationProperty Name="children" Type="Collection(self.e)" Partner="parent"><OnDelete Action="Cascade"/></NavigationProperty></EntityType>
<Term Name="note" Type="Edm.String"/>"#,
            &[
                r#"<OnDelete Action="SetNull">"#,
                r#"<OnDelete Action="Cascade" />"#,
                r#"String="the link""#,
            ],
        ),
        construct(
            "abstract Edm types",
            r#"<ComplexType Name="bag" OpenType="true"><Property Name="anything" Type="Edm.Untyped"/><Property Name="primitive" Type="Edm.PrimitiveType"/><Property Name="complex" Type="Edm.ComplexType"/><Property Name="many" Type="Collection(Edm.Untyped)"/></ComplexType>
<EntityType Name="e"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String" Nullable="false"/><NavigationProperty Name="related" Type="Collection(Edm.EntityType)"/><NavigationProperty Name="one" Type="Edm.EntityType"/></EntityType>
<Function Name="give"><Parameter Name="p" Type="Edm.PrimitiveType"/><ReturnType Type="Edm.EntityType"/></Function>
<Action Name="take" IsBound="true"><Parameter Name="bindingParameter" Type="self.e"/><Parameter Name="entity" Type="Edm.EntityType"/><Parameter Name="value" Type="Edm.Untyped"/><ReturnType Type="Collection(Edm.ComplexType)"/></Action>"#,
            &[
                r#"Type="Collection(Edm.EntityType)""#,
                r#"<ReturnType Type="Edm.EntityType" />"#,
            ],
        ),
        construct(
            "non-ASCII identifiers",
            r#"<EntityType Name="Straße"><Key><PropertyRef Name="nummer"/></Key><Property Name="nummer" Type="Edm.Int32" Nullable="false"/><Property Name="名前" Type="Edm.String"/><Property Name="a‿b" Type="Edm.String"/><Property Name="café" Type="Edm.String"/></EntityType>
<EnumType Name="Größe"><Member Name="klein"/><Member Name="groß"/></EnumType>"#,
            &[
                r#"<EntityType Name="Straße">"#,
                r#"Name="a‿b""#,
                r#"Name="名前""#,
            ],
        ),
        construct(
            "Term facets, container Extends, Singleton Nullable, imports",
            r#"<Term Name="amount" Type="Edm.Decimal" Precision="12" Scale="variable" BaseTerm="self.code"/>
<Term Name="code" Type="Edm.String" MaxLength="10" Unicode="false" DefaultValue="x" AppliesTo="EntityType Property" Nullable="false"/>
<Term Name="where" Type="Edm.GeographyPoint" SRID="4326"/>
<EntityType Name="e"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String" Nullable="false"/></EntityType>
<Action Name="reset"/>
<Function Name="top" IsComposable="true"><ReturnType Type="Collection(self.e)"/></Function>
<EntityContainer Name="c" Extends="other.base"><EntitySet Name="es" EntityType="self.e" IncludeInServiceDocument="false"/><Singleton Name="me" Type="self.e" Nullable="true"/><ActionImport Name="resetAll" Action="self.reset"/><FunctionImport Name="topAll" Function="self.top" EntitySet="es" IncludeInServiceDocument="true"/></EntityContainer>"#,
            &[
                r#"<EntityContainer Name="c" Extends="other.base">"#,
                r#"<Singleton Name="me" Type="self.e" Nullable="true" />"#,
                r#"MaxLength="10" Unicode="false""#,
                r#"SRID="4326""#,
            ],
        ),
        construct(
            "type definitions, enums with flags, keys with aliases",
            r#"<TypeDefinition Name="length" UnderlyingType="Edm.Int32"><Annotation Term="self.note" String="metres"/></TypeDefinition>
<TypeDefinition Name="name" UnderlyingType="Edm.String" MaxLength="max" Unicode="true"/>
<EnumType Name="colour" UnderlyingType="Edm.Byte" IsFlags="true"><Member Name="red" Value="1"/><Member Name="blue" Value="2"><Annotation Term="self.note" String="calm"/></Member></EnumType>
<ComplexType Name="address"><Property Name="street" Type="self.name"/></ComplexType>
<EntityType Name="e" HasStream="true"><Key><PropertyRef Name="home/street" Alias="street"/></Key><Property Name="home" Type="self.address" Nullable="false"/></EntityType>
<EntityType Name="f" BaseType="self.e" Abstract="true" OpenType="true"/>
<Term Name="note" Type="Edm.String"/>"#,
            &[
                r#"<PropertyRef Name="home/street" Alias="street" />"#,
                r#"IsFlags="true""#,
            ],
        ),
        construct(
            "external annotation targets of every kind",
            r#"<EntityType Name="e"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String" Nullable="false"/><NavigationProperty Name="self" Type="self.e"/></EntityType>
<EnumType Name="colour"><Member Name="red"/></EnumType>
<Action Name="act" IsBound="true"><Parameter Name="it" Type="self.e"/><Parameter Name="x" Type="Edm.String"/></Action>
<Function Name="fun"><Parameter Name="p" Type="Edm.Int32"/><ReturnType Type="Edm.String"/></Function>
<Term Name="note" Type="Edm.String"/>
<EntityContainer Name="c"><EntitySet Name="es" EntityType="self.e"/></EntityContainer>
<Annotations Target="self.act(self.e)/x"><Annotation Term="self.note" String="a parameter"/></Annotations>
<Annotations Target="self.c/es"><Annotation Term="self.note" String="an entity set"/></Annotations>
<Annotations Target="self.colour/red"><Annotation Term="self.note" String="a member"/></Annotations>
<Annotations Target="self.e/id"><Annotation Term="self.note" String="a property"/></Annotations>
<Annotations Target="self.fun(Edm.Int32)"><Annotation Term="self.note" String="an overload"/></Annotations>
<Annotations Target="self.note" Qualifier="q"><Annotation Term="self.note" String="a term"/></Annotations>"#,
            &[r#"<Annotations Target="self.act(self.e)/x">"#],
        ),
    ]
}

#[test]
fn every_construct_survives_parse_resolve_write_parse() {
    let constructs = constructs();
    for c in &constructs {
        let text = document(c.references, c.body);
        let (_, written) = round_trip(c.name, &text);
        for needle in c.written {
            assert!(
                written.contains(needle),
                "{}: the written text lacks {needle}:\n{written}",
                c.name
            );
        }
    }
}

#[test]
fn the_model_gives_typed_access_to_what_generation_needs() {
    let find = |name: &str| {
        constructs()
            .into_iter()
            .find(|c| c.name == name)
            .map(|c| document(c.references, c.body))
            .unwrap()
    };
    let (model, _) = round_trip("delta", &find("annotation on a return type (Core.IsDelta)"));
    let delta = model
        .operations
        .iter()
        .find(|o| o.name == "n.delta")
        .unwrap();
    assert!(delta.returns_delta());

    let (model, _) = round_trip("schema", &find("annotation on the schema"));
    assert_eq!(model.schema_annotations["n"].len(), 1);
    let (model, _) = round_trip(
        "targets",
        &find("external annotations targeting the schema"),
    );
    let on_schema = &model.schema_annotations["n"];
    assert_eq!(on_schema.len(), 2);
    assert_eq!(on_schema[1].qualifier.as_deref(), Some("q"));

    let (model, _) = round_trip("abstract", &find("abstract Edm types"));
    let e = &model.structs["n.e"];
    assert_eq!(e.navigation_properties.len(), 2);
    assert_eq!(model.operations.len(), 2);

    let (model, _) = round_trip("unicode", &find("non-ASCII identifiers"));
    assert!(model.structs.contains_key("n.Straße"));
    assert!(model.enums.contains_key("n.Größe"));
}

#[test]
fn operators_cover_the_specification() {
    let text = document(
        "",
        r#"<Term Name="any" Type="Edm.Boolean"/>
<Annotations Target="self.any"><Annotation Term="self.any"><Not><Eq><Int>1</Int><Int>1</Int></Eq></Not></Annotation></Annotations>"#,
    );
    let parsed = parse("o.csdl", &text, &ParseOptions { strict: true }).unwrap();
    let value = parsed.document.schemas[0].annotations[0].annotations[0]
        .value
        .as_ref()
        .unwrap();
    let ExprKind::Operator(Operator::Not, operands) = &value.kind else {
        panic!("{value:?}");
    };
    assert!(matches!(
        operands[0].kind,
        ExprKind::Operator(Operator::Eq, _)
    ));
    for op in Operator::ALL {
        assert_eq!(Operator::from_name(op.name()), Some(op));
    }
}

/// The CSDL specification's own example of an external annotation
/// document: its targets lie in a namespace it references but does not
/// hold, and are kept with warnings rather than rejected.
#[test]
fn the_specifications_external_annotation_example_resolves() {
    let text = format!(
        "<edmx:Edmx xmlns:edmx=\"{EDMX}\" Version=\"4.01\">\n\
         <edmx:Reference Uri=\"http://host/service/$metadata\">\n\
         <edmx:Include Namespace=\"ODataDemo\" Alias=\"target\"/>\n\
         </edmx:Reference>\n\
         <edmx:Reference Uri=\"http://somewhere/Vocabulary/V1\">\n\
         <edmx:Include Alias=\"Vocabulary1\" Namespace=\"Some.Vocabulary.V1\"/>\n\
         </edmx:Reference>\n\
         <edmx:DataServices>\n\
         <Schema xmlns=\"{EDM}\" Namespace=\"External.Annotations\">\n\
         <Annotations Target=\"target.Product\">\n\
         <Annotation Term=\"Vocabulary1.Tags\"><Collection><String>MasterData</String></Collection></Annotation>\n\
         </Annotations>\n\
         <Annotations Target=\"target.Supplier\">\n\
         <Annotation Term=\"Vocabulary1.EMail\"><Null/></Annotation>\n\
         <Annotation Term=\"Vocabulary1.AccountID\" Path=\"ID\"/>\n\
         <Annotation Term=\"Vocabulary1.Title\" String=\"Supplier Info\"/>\n\
         <Annotation Term=\"Vocabulary1.DisplayName\"><Apply Function=\"odata.concat\"><Path>Name</Path><String> in </String><Path>Address/CountryName</Path></Apply></Annotation>\n\
         </Annotations>\n\
         </Schema>\n\
         </edmx:DataServices>\n\
         </edmx:Edmx>\n"
    );
    let (model, _) = round_trip("spec example", &text);
    let warnings: Vec<String> = model.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "c.csdl:10:1: warning: annotation target \"target.Product\" is in the referenced namespace \"ODataDemo\", which this document does not define: kept as external annotations",
            "c.csdl:13:1: warning: annotation target \"target.Supplier\" is in the referenced namespace \"ODataDemo\", which this document does not define: kept as external annotations",
        ]
    );
    assert_eq!(model.external_annotations.len(), 2);
    assert_eq!(model.external_annotations[1].target, "ODataDemo.Supplier");
    assert_eq!(model.external_annotations[1].annotations.len(), 4);
}
