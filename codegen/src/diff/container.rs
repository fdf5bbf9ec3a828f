//! The entity container: entity sets, singletons, and the metadata patches
//! recorded on it.

use std::collections::BTreeMap;

use super::{ChangeKind, Differ, PatchInForce, Severity, patches_in_force};
use crate::csdl::syntax::Annotation;

impl Differ<'_> {
    pub(super) fn container(&mut self) {
        let (old, new) = (self.old, self.new);
        self.container_members(
            &old.entity_sets,
            &new.entity_sets,
            |e| (&e.entity_type, &e.annotations),
            [
                ChangeKind::EntitySetRemoved,
                ChangeKind::EntitySetTypeChanged,
                ChangeKind::EntitySetAdded,
            ],
        );
        self.container_members(
            &old.singletons,
            &new.singletons,
            |s| (&s.ty, &s.annotations),
            [
                ChangeKind::SingletonRemoved,
                ChangeKind::SingletonTypeChanged,
                ChangeKind::SingletonAdded,
            ],
        );
    }

    /// Entity sets or singletons: removed, retyped, deprecated, added.
    /// `kinds` are the removed, type-changed and added change kinds.
    fn container_members<V>(
        &mut self,
        old: &BTreeMap<String, V>,
        new: &BTreeMap<String, V>,
        parts: fn(&V) -> (&String, &Vec<Annotation>),
        [removed, retyped, added]: [ChangeKind; 3],
    ) {
        for (name, o) in old {
            let (o_ty, o_ann) = parts(o);
            match new.get(name) {
                None => self.push(Severity::Breaking, removed, name, o_ty.clone()),
                Some(n) => {
                    let (n_ty, n_ann) = parts(n);
                    if n_ty != o_ty {
                        self.push(
                            Severity::Breaking,
                            retyped,
                            name,
                            format!("{o_ty} → {n_ty}"),
                        );
                    }
                    self.revisions(name, o_ann, n_ann);
                }
            }
        }
        for (name, n) in new {
            if !old.contains_key(name) {
                self.push(Severity::Additive, added, name, parts(n).0.clone());
            }
        }
    }

    pub(super) fn patches(&mut self) {
        let old = patches_in_force(self.old);
        let new = patches_in_force(self.new);
        let about = |p: &PatchInForce| p.description.clone().unwrap_or_default();
        for n in &new {
            match old.iter().find(|o| o.file == n.file) {
                None => self.push(Severity::Note, ChangeKind::PatchAdded, &n.file, about(n)),
                Some(o) => {
                    if let (Some(a), Some(b)) = (&o.sha256, &n.sha256)
                        && a != b
                    {
                        self.push(
                            Severity::Note,
                            ChangeKind::PatchChanged,
                            &n.file,
                            format!("sha256 {} → {}", short(a), short(b)),
                        );
                    }
                }
            }
        }
        for o in &old {
            if !new.iter().any(|n| n.file == o.file) {
                self.push(Severity::Note, ChangeKind::PatchRemoved, &o.file, about(o));
            }
        }
    }
}

fn short(digest: &str) -> &str {
    digest.get(..12).unwrap_or(digest)
}
