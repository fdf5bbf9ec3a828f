//! Types: enums, type definitions, structured types with their
//! properties, navigation properties and alternate keys.

use super::{ChangeKind, Differ, Severity, deprecation_suffix, nullability, typed};
use crate::csdl::syntax::StructuredKind;
use crate::model::{EnumDef, NavigationDef, PropertyDef, StructDef, vocab};

impl Differ<'_> {
    pub(super) fn enums(&mut self) {
        for (name, o) in &self.old.enums {
            if !self.new.enums.contains_key(name) && !self.new.structs.contains_key(name) {
                self.push(
                    Severity::Breaking,
                    ChangeKind::TypeRemoved,
                    name,
                    format!("enum type, members: {}", member_list(o)),
                );
            }
        }
        for (name, n) in &self.new.enums {
            let Some(o) = self.old.enums.get(name) else {
                if let Some(s) = self.old.structs.get(name) {
                    self.push(
                        Severity::Breaking,
                        ChangeKind::TypeKindChanged,
                        name,
                        format!("{} → enum type", struct_kind(s.kind)),
                    );
                } else {
                    self.push(
                        Severity::Additive,
                        ChangeKind::TypeAdded,
                        name,
                        format!(
                            "enum type, members: {}{}",
                            member_list(n),
                            deprecation_suffix(&n.annotations)
                        ),
                    );
                }
                continue;
            };
            self.revisions(name, &o.annotations, &n.annotations);
            if o.is_flags != n.is_flags {
                self.push(
                    Severity::Breaking,
                    ChangeKind::TypeFlagsChanged,
                    name,
                    format!("IsFlags {} → {}", o.is_flags, n.is_flags),
                );
            }
            if o.underlying_type != n.underlying_type {
                self.push(
                    Severity::Note,
                    ChangeKind::UnderlyingTypeChanged,
                    name,
                    format!(
                        "Edm.{} → Edm.{}",
                        o.underlying_type.edm_name(),
                        n.underlying_type.edm_name()
                    ),
                );
            }
            for om in &o.members {
                let target = format!("{name}/{}", om.name);
                match n.members.iter().find(|m| m.name == om.name) {
                    None => self.push(
                        Severity::Breaking,
                        ChangeKind::EnumMemberRemoved,
                        &target,
                        format!("value {}", om.value),
                    ),
                    Some(nm) => {
                        if nm.value != om.value {
                            self.push(
                                Severity::Note,
                                ChangeKind::EnumMemberValueChanged,
                                &target,
                                format!("{} → {} (the wire uses names)", om.value, nm.value),
                            );
                        }
                        self.revisions(&target, &om.annotations, &nm.annotations);
                    }
                }
            }
            for nm in &n.members {
                if !o.members.iter().any(|m| m.name == nm.name) {
                    self.push(
                        Severity::Additive,
                        ChangeKind::EnumMemberAdded,
                        &format!("{name}/{}", nm.name),
                        format!(
                            "value {}; older releases decode it as UnknownValue{}",
                            nm.value,
                            deprecation_suffix(&nm.annotations)
                        ),
                    );
                }
            }
        }
    }

    pub(super) fn type_definitions(&mut self) {
        for (name, o) in &self.old.type_definitions {
            match self.new.type_definitions.get(name) {
                None => self.push(
                    Severity::Breaking,
                    ChangeKind::TypeRemoved,
                    name,
                    format!("type definition of Edm.{}", o.underlying_type.edm_name()),
                ),
                Some(n) => {
                    if n.underlying_type != o.underlying_type {
                        self.push(
                            Severity::Breaking,
                            ChangeKind::UnderlyingTypeChanged,
                            name,
                            format!(
                                "Edm.{} → Edm.{}",
                                o.underlying_type.edm_name(),
                                n.underlying_type.edm_name()
                            ),
                        );
                    }
                    self.revisions(name, &o.annotations, &n.annotations);
                }
            }
        }
        for (name, n) in &self.new.type_definitions {
            if !self.old.type_definitions.contains_key(name) {
                self.push(
                    Severity::Additive,
                    ChangeKind::TypeAdded,
                    name,
                    format!("type definition of Edm.{}", n.underlying_type.edm_name()),
                );
            }
        }
    }

    pub(super) fn structs(&mut self) {
        for (name, o) in &self.old.structs {
            if !self.new.structs.contains_key(name) {
                // A struct that became an enum is reported by enums().
                if !self.new.enums.contains_key(name) {
                    self.push(
                        Severity::Breaking,
                        ChangeKind::TypeRemoved,
                        name,
                        struct_summary(o),
                    );
                }
            }
        }
        for (name, n) in &self.new.structs {
            match self.old.structs.get(name) {
                Some(o) => self.structure(name, o, n),
                None if self.old.enums.contains_key(name) => self.push(
                    Severity::Breaking,
                    ChangeKind::TypeKindChanged,
                    name,
                    format!("enum type → {}", struct_kind(n.kind)),
                ),
                None => {
                    let detail = format!(
                        "{}{}",
                        struct_summary(n),
                        deprecation_suffix(&n.annotations)
                    );
                    self.push(Severity::Additive, ChangeKind::TypeAdded, name, detail);
                }
            }
        }
    }

    fn structure(&mut self, name: &str, o: &StructDef, n: &StructDef) {
        self.revisions(name, &o.annotations, &n.annotations);
        if o.kind != n.kind {
            self.push(
                Severity::Breaking,
                ChangeKind::TypeKindChanged,
                name,
                format!("{} → {}", struct_kind(o.kind), struct_kind(n.kind)),
            );
        }
        if o.base_type != n.base_type {
            self.push(
                Severity::Breaking,
                ChangeKind::BaseTypeChanged,
                name,
                format!(
                    "{} → {}",
                    o.base_type.as_deref().unwrap_or("none"),
                    n.base_type.as_deref().unwrap_or("none")
                ),
            );
        }
        let (ok, nk) = (self.old.key(name), self.new.key(name));
        if ok != nk {
            let text = |k: &[crate::model::KeyPart]| {
                k.iter()
                    .map(|p| p.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            self.push(
                Severity::Breaking,
                ChangeKind::KeyChanged,
                name,
                format!("({}) → ({})", text(ok), text(nk)),
            );
        }
        let flags = |s: &StructDef| {
            let mut f = Vec::new();
            if s.is_abstract {
                f.push("abstract");
            }
            if s.open_type {
                f.push("open");
            }
            if s.has_stream {
                f.push("has stream");
            }
            if f.is_empty() {
                "none".to_string()
            } else {
                f.join(", ")
            }
        };
        if (o.is_abstract, o.open_type, o.has_stream) != (n.is_abstract, n.open_type, n.has_stream)
        {
            self.push(
                Severity::Note,
                ChangeKind::TypeFlagsChanged,
                name,
                format!("{} → {}", flags(o), flags(n)),
            );
        }
        self.properties(name, o, n);
        self.navigations(name, o, n);
        let (oks, nks) = (
            vocab::alternate_keys(&o.annotations),
            vocab::alternate_keys(&n.annotations),
        );
        for k in &oks {
            if !nks.contains(k) {
                self.push(
                    Severity::Breaking,
                    ChangeKind::AlternateKeyRemoved,
                    name,
                    format!("({})", key_text(k)),
                );
            }
        }
        for k in &nks {
            if !oks.contains(k) {
                self.push(
                    Severity::Additive,
                    ChangeKind::AlternateKeyAdded,
                    name,
                    format!("({})", key_text(k)),
                );
            }
        }
    }

    /// A property that moved between a type and its base: a note when its
    /// type stayed the same (the Rust struct keeps the field), else breaking.
    fn property_moved(
        &mut self,
        target: &str,
        old: &PropertyDef,
        new: &PropertyDef,
        moved: &str,
        retyped: &str,
    ) {
        if old.ty == new.ty {
            let detail = format!("{moved} ({})", typed(&new.ty, new.nullable));
            self.push(Severity::Note, ChangeKind::PropertyMoved, target, detail);
        } else {
            let detail = format!("{} → {} ({retyped})", old.ty, new.ty);
            self.push(
                Severity::Breaking,
                ChangeKind::PropertyTypeChanged,
                target,
                detail,
            );
        }
    }

    fn properties(&mut self, name: &str, o: &StructDef, n: &StructDef) {
        for op in &o.properties {
            let target = format!("{name}/{}", op.name);
            let Some(np) = n.properties.iter().find(|p| p.name == op.name) else {
                // Still there through a new base type: the Rust struct keeps the field.
                let new = self.new;
                match new
                    .all_properties(name)
                    .into_iter()
                    .find(|p| p.name == op.name)
                {
                    Some(inherited) => self.property_moved(
                        &target,
                        op,
                        inherited,
                        "now inherited from a base type",
                        "now inherited",
                    ),
                    None => self.push(
                        Severity::Breaking,
                        ChangeKind::PropertyRemoved,
                        &target,
                        typed(&op.ty, op.nullable),
                    ),
                }
                continue;
            };
            self.property(&target, op, np);
        }
        for np in &n.properties {
            if o.properties.iter().any(|p| p.name == np.name) {
                continue;
            }
            let target = format!("{name}/{}", np.name);
            let old = self.old;
            match old
                .all_properties(name)
                .into_iter()
                .find(|p| p.name == np.name)
            {
                Some(inherited) => self.property_moved(
                    &target,
                    inherited,
                    np,
                    "now declared here, was inherited",
                    "now declared here",
                ),
                None => self.push(
                    Severity::Additive,
                    ChangeKind::PropertyAdded,
                    &target,
                    format!(
                        "{}{}",
                        typed(&np.ty, np.nullable),
                        deprecation_suffix(&np.annotations)
                    ),
                ),
            }
        }
    }

    fn property(&mut self, target: &str, o: &PropertyDef, n: &PropertyDef) {
        if o.ty != n.ty {
            self.push(
                Severity::Breaking,
                ChangeKind::PropertyTypeChanged,
                target,
                format!("{} → {}", o.ty, n.ty),
            );
        }
        if o.nullable != n.nullable {
            let why = if n.nullable {
                "values may now be null"
            } else {
                "reads unaffected; writes should now send a value"
            };
            self.push(
                Severity::Note,
                ChangeKind::PropertyNullabilityChanged,
                target,
                format!(
                    "{} → {}: {why}",
                    nullability(o.nullable),
                    nullability(n.nullable)
                ),
            );
        }
        if o.default_value != n.default_value {
            self.push(
                Severity::Note,
                ChangeKind::PropertyDefaultChanged,
                target,
                format!(
                    "{} → {}",
                    o.default_value.as_deref().unwrap_or("none"),
                    n.default_value.as_deref().unwrap_or("none")
                ),
            );
        }
        self.revisions(target, &o.annotations, &n.annotations);
    }

    fn navigations(&mut self, name: &str, o: &StructDef, n: &StructDef) {
        for on in &o.navigation_properties {
            let target = format!("{name}/{}", on.name);
            match n.navigation_properties.iter().find(|x| x.name == on.name) {
                None => {
                    if self
                        .new
                        .all_navigation_properties(name)
                        .iter()
                        .any(|x| x.name == on.name && x.ty == on.ty)
                    {
                        self.push(
                            Severity::Note,
                            ChangeKind::PropertyMoved,
                            &target,
                            "now inherited from a base type".into(),
                        );
                    } else {
                        self.push(
                            Severity::Breaking,
                            ChangeKind::NavigationRemoved,
                            &target,
                            nav_text(on),
                        );
                    }
                }
                Some(nn) => self.navigation(&target, on, nn),
            }
        }
        for nn in &n.navigation_properties {
            if o.navigation_properties.iter().any(|x| x.name == nn.name) {
                continue;
            }
            let target = format!("{name}/{}", nn.name);
            if self
                .old
                .all_navigation_properties(name)
                .iter()
                .any(|x| x.name == nn.name && x.ty == nn.ty)
            {
                self.push(
                    Severity::Note,
                    ChangeKind::PropertyMoved,
                    &target,
                    "now declared here, was inherited".into(),
                );
            } else {
                let detail = format!("{}{}", nav_text(nn), deprecation_suffix(&nn.annotations));
                self.push(
                    Severity::Additive,
                    ChangeKind::NavigationAdded,
                    &target,
                    detail,
                );
            }
        }
    }

    fn navigation(&mut self, target: &str, o: &NavigationDef, n: &NavigationDef) {
        if o.ty != n.ty {
            self.push(
                Severity::Breaking,
                ChangeKind::NavigationTypeChanged,
                target,
                format!("{} → {}", o.ty, n.ty),
            );
        }
        if o.contains_target != n.contains_target {
            self.push(
                Severity::Breaking,
                ChangeKind::NavigationContainmentChanged,
                target,
                format!(
                    "ContainsTarget {} → {}: request paths through it change",
                    o.contains_target, n.contains_target
                ),
            );
        }
        if o.nullable != n.nullable {
            self.push(
                Severity::Note,
                ChangeKind::NavigationNullabilityChanged,
                target,
                format!("{} → {}", nullability(o.nullable), nullability(n.nullable)),
            );
        }
        match (
            vocab::delta_update(&o.annotations),
            vocab::delta_update(&n.annotations),
        ) {
            (Some(d), None) => self.push(
                Severity::Breaking,
                ChangeKind::DeltaUpdateRemoved,
                target,
                format!(
                    "delta_update (at most {} items) is no longer generated",
                    d.max_items
                ),
            ),
            (None, Some(d)) => self.push(
                Severity::Additive,
                ChangeKind::DeltaUpdateAdded,
                target,
                format!("delta_update, at most {} items", d.max_items),
            ),
            _ => {}
        }
        self.revisions(target, &o.annotations, &n.annotations);
    }
}

fn struct_kind(kind: StructuredKind) -> &'static str {
    match kind {
        StructuredKind::Complex => "complex type",
        StructuredKind::Entity => "entity type",
    }
}

fn key_text(key: &vocab::AlternateKey) -> String {
    key.parts
        .iter()
        .map(|(alias, path)| {
            if alias == path {
                path.clone()
            } else {
                format!("{alias}={path}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn member_list(e: &EnumDef) -> String {
    e.members
        .iter()
        .map(|m| m.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn struct_summary(s: &StructDef) -> String {
    let mut text = struct_kind(s.kind).to_string();
    if let Some(b) = &s.base_type {
        text.push_str(&format!(" deriving from {b}"));
    }
    let props = s.properties.len();
    let navs = s.navigation_properties.len();
    text.push_str(&format!(
        ", {props} propert{}",
        if props == 1 { "y" } else { "ies" }
    ));
    if navs > 0 {
        text.push_str(&format!(
            ", {navs} navigation propert{}",
            if navs == 1 { "y" } else { "ies" }
        ));
    }
    text
}

fn nav_text(n: &NavigationDef) -> String {
    format!(
        "{}{}",
        n.ty,
        if n.contains_target { ", contained" } else { "" }
    )
}
