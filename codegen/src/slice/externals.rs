//! The refusal of a slice that needs a type the document only references:
//! a type of a namespace declared by `edmx:Include` but not loaded has no
//! definition to generate code from. A slice that stays clear of such
//! types is generated as usual.

use super::Selection;
use crate::csdl::syntax::Pos;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{Model, TypeKind, TypeRef};

/// Every place where an element the slice keeps refers to an external
/// type, as located errors; `Ok` when there is none.
pub fn check_externals(model: &Model, sel: &Selection) -> Result<(), Diagnostics> {
    if model.external_types.is_empty() {
        return Ok(());
    }
    let mut errors = Vec::new();
    let mut refuse = |what: String, name: &str, pos: Pos| {
        let ns = name.rsplit_once('.').map_or(name, |(ns, _)| ns);
        errors.push(Diagnostic::error(
            model.file.clone(),
            pos,
            format!(
                "{what} needs type \"{name}\" of the referenced namespace \"{ns}\", which this document does not define: \
                 expected the namespace's schema in the document, or a slice that does not reach {what}"
            ),
        ));
    };
    let external = |ty: &TypeRef| match &ty.kind {
        TypeKind::External(n) => Some(n.clone()),
        _ => None,
    };
    for name in sel.types.iter().chain(&sel.containers) {
        let Some(s) = model.structs.get(name) else {
            continue;
        };
        if let Some(b) = &s.base_type
            && model.external_types.contains_key(b)
        {
            refuse(format!("\"{name}\""), b, s.pos);
        }
        for p in &s.properties {
            if let Some(n) = external(&p.ty) {
                refuse(format!("property \"{name}/{}\"", p.name), &n, p.pos);
            }
        }
        let kept = sel.navigations.get(name);
        for n in &s.navigation_properties {
            if kept.is_some_and(|k| k.contains(&n.name))
                && let Some(t) = external(&n.ty)
            {
                refuse(
                    format!("navigation property \"{name}/{}\"", n.name),
                    &t,
                    n.pos,
                );
            }
        }
    }
    for op in model.operations.iter().filter(|o| sel.keeps_operation(o)) {
        for p in op.binding.iter().chain(&op.parameters) {
            if let Some(n) = external(&p.ty) {
                refuse(format!("parameter \"{}/{}\"", op.name, p.name), &n, p.pos);
            }
        }
        if let Some(r) = &op.return_type
            && let Some(n) = external(&r.ty)
        {
            refuse(format!("the return type of \"{}\"", op.name), &n, r.pos);
        }
    }
    for (name, ty, pos) in (model
        .entity_sets
        .values()
        .filter(|e| sel.entity_sets.contains(&e.name)))
    .map(|e| (&e.name, &e.entity_type, e.pos))
    .chain(
        (model
            .singletons
            .values()
            .filter(|s| sel.singletons.contains(&s.name)))
        .map(|s| (&s.name, &s.ty, s.pos)),
    ) {
        if model.external_types.contains_key(ty) {
            refuse(format!("\"{name}\""), ty, pos);
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        errors.sort_by_key(|d| d.pos);
        Err(Diagnostics(errors))
    }
}
