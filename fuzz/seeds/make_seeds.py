#!/usr/bin/env python3
"""Writes the small committed seed corpora of the fuzz targets.

    python3 fuzz/seeds/make_seeds.py            # from the repository root, ../shared beside it

- seeds/csdl/: whole documents (the committed sliced CSDL, and small documents
  wrapping a few elements) for `csdl_parse`.
- seeds/csdl_fragment/: top-level schema elements of
  ../shared/metadata/graph-beta.csdl, one per file: every element the
  migration slice names, plus the first few of every element kind.
- seeds/models/: the JSON examples of the migration API documentation pages
  (../shared/api-docs), one object per file, for `model_json`.

Deterministic; the output stays far below 1 MB. Run the fuzzers to grow a
corpus under fuzz/corpus/ (git-ignored): only these seeds are committed.
"""

import json
import os
import re
import shutil
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SHARED = os.path.abspath(os.path.join(ROOT, "..", "shared"))
OUT = os.path.dirname(os.path.abspath(__file__))

# Names of the types and operations of the slice (metadata/api-surface.txt
# and the model listing), matched case-insensitively against Name="...".
SLICE_PREFIXES = (
    "crossTenantMigration", "sharePoint", "migrationsRoot", "solutionsRoot",
    "identity", "userIdentity", "groupIdentity", "emailIdentity", "initiator",
    "publicError", "publicInnerError", "publicErrorDetail", "deleted",
    "detailsInfo", "provisioned", "provisioning", "teamwork", "programResource",
    "servicePrincipalIdentity", "exchangeOnlineCrossTenantMigrationSettings",
    "getBySource", "validate", "migrate", "cancel", "entity",
)
PER_KIND = 3
KINDS = ("EnumType", "TypeDefinition", "ComplexType", "EntityType", "Action",
         "Function", "Term", "Annotations")
MAX_ELEMENT = 16 * 1024


def top_level_elements(text):
    """(kind, name, text) of each direct child of the first <Schema>."""
    lines = text.splitlines(keepends=True)
    out = []
    i = 0
    # Schema children are indented by six spaces in the published file.
    start_re = re.compile(r"^      <(\w+)(?:\s[^>]*?)?(/?)>")
    while i < len(lines):
        m = start_re.match(lines[i])
        if not m:
            i += 1
            continue
        kind, selfclose = m.group(1), m.group(2) == "/" or lines[i].rstrip().endswith("/>")
        name_m = re.search(r'(?:Name|Target)="([^"]*)"', lines[i])
        name = name_m.group(1) if name_m else kind
        j = i
        if not selfclose:
            end = "      </%s>" % kind
            while j < len(lines) and not lines[j].startswith(end):
                j += 1
        out.append((kind, name, "".join(l[6:] if l.startswith("      ") else l for l in lines[i:j + 1])))
        i = j + 1
    return out


def safe(name):
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name)[:80]


def csdl_seeds():
    src = os.path.join(SHARED, "metadata", "graph-beta.csdl")
    with open(src, encoding="utf-8") as f:
        text = f.read()
    elements = top_level_elements(text)
    chosen = []
    seen_kind = {}
    for kind, name, body in elements:
        if len(body) > MAX_ELEMENT:
            continue
        short = name.split(".")[-1].split("/")[0]
        in_slice = any(short.lower().startswith(p.lower()) for p in SLICE_PREFIXES)
        first_of_kind = seen_kind.get(kind, 0) < PER_KIND
        if in_slice or first_of_kind:
            seen_kind[kind] = seen_kind.get(kind, 0) + 1
            chosen.append((kind, name, body))
    frag_dir = os.path.join(OUT, "csdl_fragment")
    doc_dir = os.path.join(OUT, "csdl")
    for d in (frag_dir, doc_dir):
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
    names = set()
    for kind, name, body in chosen:
        fname = "%s-%s.xml" % (kind, safe(name))
        # Unique even on case-insensitive file systems (cancel / Cancel).
        n = 1
        while fname.lower() in names:
            n += 1
            fname = "%s-%s-%d.xml" % (kind, safe(name), n)
        names.add(fname.lower())
        with open(os.path.join(frag_dir, fname), "w", encoding="utf-8") as f:
            f.write(body)
    # Whole documents: the committed slice, and one small document per kind.
    shutil.copy(os.path.join(ROOT, "metadata", "graph-beta-migrations.csdl"),
                os.path.join(doc_dir, "graph-beta-migrations.xml"))
    head = ('<?xml version="1.0" encoding="utf-8"?>\n'
            '<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">\n'
            '  <edmx:DataServices>\n'
            '    <Schema Namespace="microsoft.graph" Alias="graph" xmlns="http://docs.oasis-open.org/odata/ns/edm">\n')
    tail = "    </Schema>\n  </edmx:DataServices>\n</edmx:Edmx>\n"
    for kind in KINDS:
        bodies = [b for k, _, b in chosen if k == kind][:PER_KIND]
        if bodies:
            with open(os.path.join(doc_dir, "small-%s.xml" % kind), "w", encoding="utf-8") as f:
                f.write(head + "".join(bodies) + tail)
    with open(os.path.join(doc_dir, "csdl401-constructs.xml"), "w", encoding="utf-8") as f:
        f.write(CSDL401)
    return len(names)


# The CSDL 4.01 constructs Graph's files do not use (dynamic expressions,
# annotations on annotations, references and return types, OnDelete,
# IncludeAnnotations, abstract types, Unicode names), for the fuzzers to
# start from.
CSDL401 = """<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.01" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:Reference Uri="https://example.com/Core.xml">
    <edmx:Include Namespace="Org.OData.Core.V1" Alias="Core"><Annotation Term="Core.Description" String="core" /></edmx:Include>
    <edmx:IncludeAnnotations TermNamespace="Org.OData.Core.V1" Qualifier="q" TargetNamespace="n" />
    <Annotation Term="Core.Description" String="a reference" />
  </edmx:Reference>
  <edmx:DataServices>
    <Schema Namespace="n" Alias="self" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="Straße"><Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.String" Nullable="false" />
        <Property Name="any" Type="Edm.Untyped" />
        <NavigationProperty Name="parent" Type="self.Straße"><OnDelete Action="Cascade" /></NavigationProperty>
        <NavigationProperty Name="other" Type="Edm.EntityType" />
      </EntityType>
      <Function Name="delta" IsBound="true"><Parameter Name="it" Type="Collection(self.Straße)" />
        <ReturnType Type="Collection(self.Straße)"><Annotation Term="Core.IsDelta" Bool="true" /></ReturnType>
      </Function>
      <Term Name="any" Type="Edm.Untyped" />
      <Annotations Target="self.Straße">
        <Annotation Term="self.any"><Apply Function="odata.concat"><String>a</String><Path>id</Path></Apply></Annotation>
        <Annotation Term="self.any" Qualifier="if"><If><Eq><Path>id</Path><Null /></Eq><Int>1</Int><Int>2</Int></If></Annotation>
        <Annotation Term="self.any" Qualifier="ops"><And><Or><Not><Has><Path>a</Path><EnumMember>self.e/x</EnumMember></Has></Not><In><Path>b</Path><Collection><Int>1</Int></Collection></In></Or><Le><Add><Int>1</Int><Neg><Int>2</Int></Neg></Add><Int>3</Int></Le></And></Annotation>
        <Annotation Term="self.any" Qualifier="cast"><Cast Type="Edm.Decimal" Precision="3" Scale="1"><IsOf Type="Edm.Int32"><Path>n</Path></IsOf></Cast></Annotation>
        <Annotation Term="self.any" Qualifier="label"><LabeledElement Name="l" String="x"><Annotation Term="self.any" Bool="true" /></LabeledElement></Annotation>
        <Annotation Term="self.any" Qualifier="ref"><LabeledElementReference>self.l</LabeledElementReference></Annotation>
        <Annotation Term="self.any" Qualifier="url" UrlRef="http://host/doc" />
        <Annotation Term="self.any" Qualifier="model" ModelElementPath="self.Straße/id"><Annotation Term="self.any" String="nested" /></Annotation>
      </Annotations>
      <Annotation Term="Core.Description" String="the schema" />
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"""


def json_blocks(md):
    """The JSON part of every fenced block (```json, ``` http with headers)."""
    out, current = [], None
    for line in md.splitlines():
        t = line.strip()
        if current is not None:
            if t == "```":
                start = min((i for i in (current.find("{"), current.find("[")) if i >= 0), default=-1)
                if start >= 0:
                    out.append(current[start:])
                current = None
            else:
                current += line + "\n"
        elif t.startswith("```"):
            current = ""
    return out


def repair(s):
    return re.sub(r",(\s*[}\]])", r"\1", s)


def model_seeds():
    pages = []
    api = os.path.join(SHARED, "api-docs", "graph-docs", "api")
    for name in sorted(os.listdir(api)):
        low = name.lower()
        if low.startswith(("crosstenantmigration", "sharepointmigration", "sharepointuseridentitymapping",
                           "sharepointgroupidentitymapping", "migrationsroot")):
            pages.append(os.path.join(api, name))
    top = os.path.join(SHARED, "api-docs")
    pages += [os.path.join(top, n) for n in sorted(os.listdir(top)) if n.endswith(".md")]
    out_dir = os.path.join(OUT, "models")
    shutil.rmtree(out_dir, ignore_errors=True)
    os.makedirs(out_dir)
    written = set()
    for page in pages:
        with open(page, encoding="utf-8") as f:
            md = f.read()
        for i, block in enumerate(json_blocks(md)):
            try:
                value = json.loads(repair(block))
            except ValueError:
                continue
            objects = [value] if isinstance(value, dict) else []
            if isinstance(value, dict) and isinstance(value.get("value"), list):
                objects += [v for v in value["value"] if isinstance(v, dict)]
            for j, obj in enumerate(objects):
                text = json.dumps(obj, indent=2, ensure_ascii=False) + "\n"
                if text in written:
                    continue
                written.add(text)
                base = os.path.splitext(os.path.basename(page))[0]
                with open(os.path.join(out_dir, "%s-%d-%d.json" % (base, i, j)), "w", encoding="utf-8") as f:
                    f.write(text)
    return len(written)


def main():
    if not os.path.isdir(SHARED):
        sys.exit("../shared is missing: it holds the metadata and the documentation")
    n_csdl = csdl_seeds()
    n_json = model_seeds()
    total = 0
    for d, _, files in os.walk(OUT):
        total += sum(os.path.getsize(os.path.join(d, f)) for f in files)
    print("%d CSDL fragments, %d JSON objects, %d bytes in %s" % (n_csdl, n_json, total, OUT))
    if total > 1_000_000:
        sys.exit("seed corpora over 1 MB: lower PER_KIND or MAX_ELEMENT")


if __name__ == "__main__":
    main()
