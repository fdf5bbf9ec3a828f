//! Applies a [`Selection`] to the syntax tree, producing the sliced document
//! that `metadata/graph-beta-migrations.csdl` is written from.

use super::Selection;
use crate::csdl::syntax::{self, Document, OperationKind, Schema};
use crate::model::Model;

pub fn filter(doc: &Document, model: &Model, sel: &Selection) -> Document {
    let mut out = Document {
        file: doc.file.clone(),
        version: doc.version.clone(),
        references: doc.references.clone(),
        schemas: Vec::new(),
    };
    // Qualified names are built in one reused buffer: most elements are not
    // kept, and slicing the full schema checks tens of thousands.
    let mut buf = String::new();
    for schema in &doc.schemas {
        let ns = schema.namespace.clone();
        let mut s = Schema {
            namespace: schema.namespace.clone(),
            alias: schema.alias.clone(),
            pos: schema.pos,
            ..Schema::default()
        };
        s.enum_types = schema
            .enum_types
            .iter()
            .filter(|e| sel.types.contains(qualified(&mut buf, &ns, &e.name)))
            .cloned()
            .collect();
        s.type_definitions = schema
            .type_definitions
            .iter()
            .filter(|t| sel.types.contains(qualified(&mut buf, &ns, &t.name)))
            .cloned()
            .collect();
        let mut keep_struct = |t: &syntax::StructuredType| -> Option<syntax::StructuredType> {
            let name = qualified(&mut buf, &ns, &t.name);
            if !sel.keeps_type(name) {
                return None;
            }
            let mut t = t.clone();
            let navs = sel.navigations.get(name);
            t.navigation_properties
                .retain(|n| navs.is_some_and(|k| k.contains(&n.name)));
            if sel.containers.contains(name) {
                let key: Vec<String> = model.key(name).iter().map(|k| k.name.clone()).collect();
                t.properties.retain(|p| key.contains(&p.name));
            }
            Some(t)
        };
        s.complex_types = schema
            .complex_types
            .iter()
            .filter_map(&mut keep_struct)
            .collect();
        s.entity_types = schema
            .entity_types
            .iter()
            .filter_map(&mut keep_struct)
            .collect();
        s.operations = schema
            .operations
            .iter()
            .filter(|o| {
                sel.keeps_operation_named(qualified(&mut buf, &ns, &o.name))
                    && sel.operations.contains(&syntax_signature(model, &ns, o))
            })
            .cloned()
            .collect();
        s.terms = schema
            .terms
            .iter()
            .filter(|t| sel.terms.contains(qualified(&mut buf, &ns, &t.name)))
            .cloned()
            .collect();
        for c in &schema.containers {
            let mut c = c.clone();
            c.entity_sets.retain(|e| sel.entity_sets.contains(&e.name));
            c.singletons.retain(|e| sel.singletons.contains(&e.name));
            let kept =
                |target: &str| sel.entity_sets.contains(target) || sel.singletons.contains(target);
            for e in &mut c.entity_sets {
                e.bindings.retain(|b| kept(&b.target));
            }
            for e in &mut c.singletons {
                e.bindings.retain(|b| kept(&b.target));
            }
            c.action_imports.clear();
            c.function_imports.clear();
            s.containers.push(c);
        }
        s.annotations = schema
            .annotations
            .iter()
            .filter(|a| target_kept(model, sel, &s, &a.target))
            .cloned()
            .collect();
        // The schema's annotations on itself go with it, when it is kept
        // for what it holds.
        s.own_annotations = schema.own_annotations.clone();
        out.schemas.push(s);
    }
    out.schemas.retain(|s| {
        !(s.enum_types.is_empty()
            && s.type_definitions.is_empty()
            && s.complex_types.is_empty()
            && s.entity_types.is_empty()
            && s.operations.is_empty()
            && s.terms.is_empty()
            && s.containers
                .iter()
                .all(|c| c.entity_sets.is_empty() && c.singletons.is_empty())
            // Annotations on the schema itself do not keep it.
            && s.annotations
                .iter()
                .all(|a| a.target == s.namespace || s.alias.as_ref() == Some(&a.target)))
    });
    out
}

/// The signature of a syntax-level operation, qualified the way
/// [`crate::model::OperationDef::signature`] writes it.
pub fn syntax_signature(model: &Model, namespace: &str, op: &syntax::Operation) -> String {
    let mut out = String::with_capacity(namespace.len() + op.name.len() + 64);
    out.push_str(namespace);
    out.push('.');
    out.push_str(&op.name);
    out.push('(');
    let bound = usize::from(op.is_bound);
    let params = match op.kind {
        OperationKind::Function => op.parameters.len(),
        OperationKind::Action => bound.min(op.parameters.len()),
    };
    for (i, p) in op.parameters.iter().take(params).enumerate() {
        if i > 0 {
            out.push(',');
        }
        if p.ty.collection {
            out.push_str("Collection(");
            model.qualify_into(&p.ty.name, &mut out);
            out.push(')');
        } else {
            model.qualify_into(&p.ty.name, &mut out);
        }
    }
    out.push(')');
    out
}

/// `namespace.name` in `buf`.
fn qualified<'b>(buf: &'b mut String, namespace: &str, name: &str) -> &'b str {
    buf.clear();
    buf.push_str(namespace);
    buf.push('.');
    buf.push_str(name);
    buf
}

/// Whether an external annotation target names something the slice keeps.
fn target_kept(model: &Model, sel: &Selection, kept_schema: &Schema, target: &str) -> bool {
    let (head, member) = match target.split_once('(') {
        Some((op, rest)) => {
            let q = model.qualify(op.trim());
            // Keep the block when a kept overload of that operation exists
            // and its parameter types match.
            let args = rest.rsplit_once(')').map(|(a, _)| a).unwrap_or("");
            let wanted: Vec<String> = args
                .split(',')
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(|a| model.qualify(a))
                .collect();
            return model.operations.iter().any(|o| {
                o.name == q && sel.keeps_operation(o) && {
                    let mut all: Vec<String> = o.binding.iter().map(|b| b.ty.to_string()).collect();
                    all.extend(o.parameters.iter().map(|p| p.ty.to_string()));
                    all == wanted || all.first() == wanted.first() && wanted.len() == 1
                }
            });
        }
        None => match target.split_once('/') {
            Some((h, m)) => (h, Some(m)),
            None => (target, None),
        },
    };
    // The schema itself (by namespace or alias) goes with the schema.
    if member.is_none()
        && (kept_schema.namespace == head || kept_schema.alias.as_deref() == Some(head))
    {
        return true;
    }
    let q = model.qualify(head);
    if model.container_name.as_deref() == Some(q.as_str()) {
        return match member {
            None => true,
            Some(m) => {
                let first = m.split('/').next().unwrap_or(m);
                sel.entity_sets.contains(first) || sel.singletons.contains(first)
            }
        };
    }
    // An operation named without its parameters: every overload of it, as
    // the resolver reads the target.
    if member.is_none() && sel.keeps_operation_named(&q) {
        return true;
    }
    if !sel.keeps_type(&q) && !sel.terms.contains(&q) {
        return false;
    }
    let Some(m) = member else {
        return true;
    };
    if let Some(s) = model.structs.get(&q) {
        let is_prop = s.properties.iter().any(|p| p.name == m);
        if is_prop {
            return !sel.containers.contains(&q) || model.key(&q).iter().any(|k| k.name == m);
        }
        return sel.navigations.get(&q).is_some_and(|n| n.contains(m));
    }
    true
}
