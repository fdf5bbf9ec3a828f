//! Operations: paired across the two models by signature (overloads), their
//! return types and parameters, and the generated method names of each.

use std::collections::BTreeMap;

use super::{ChangeKind, Differ, Severity, deprecation_suffix, nullability, typed};
use crate::csdl::syntax::OperationKind;
use crate::model::{Model, OperationDef, ParameterDef, ReturnDef};

impl Differ<'_> {
    pub(super) fn operations(&mut self) {
        let (old, new) = (operation_index(self.old), operation_index(self.new));
        let pairs = pair_operations(&old, &new);
        for o in &pairs.removed {
            self.push(
                Severity::Breaking,
                ChangeKind::OperationRemoved,
                &o.signature(),
                operation_text(o),
            );
        }
        for (o, n) in &pairs.same {
            self.operation(o, n);
        }
        for n in &pairs.added {
            let detail = format!(
                "{}{}",
                operation_text(n),
                deprecation_suffix(&n.annotations)
            );
            self.push(
                Severity::Additive,
                ChangeKind::OperationAdded,
                &n.signature(),
                detail,
            );
        }
        // An overload added or removed can rename the methods generated for
        // the others (`recent` → `recent_with_top`).
        let Some((old_plan, new_plan)) = self.plans else {
            return;
        };
        let (old_names, new_names) = (
            old_plan.method_names_by_operation(),
            new_plan.method_names_by_operation(),
        );
        for (o, n) in &pairs.same {
            let (Some(before), Some(after)) =
                (old_names.get(&o.signature()), new_names.get(&n.signature()))
            else {
                continue;
            };
            if before != after {
                let calls = |names: &[String]| {
                    names
                        .iter()
                        .map(|m| format!("{m}()"))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                self.push(
                    Severity::Breaking,
                    ChangeKind::MethodRenamed,
                    &n.signature(),
                    format!(
                        "{} → {}: the operation's overloads changed",
                        calls(before),
                        calls(after)
                    ),
                );
            }
        }
    }

    fn operation(&mut self, o: &OperationDef, n: &OperationDef) {
        let target = n.signature();
        self.revisions(&target, &o.annotations, &n.annotations);
        let function = n.kind == OperationKind::Function;
        if return_text(o.return_type.as_ref()) != return_text(n.return_type.as_ref()) {
            self.push(
                Severity::Breaking,
                ChangeKind::ReturnTypeChanged,
                &target,
                format!(
                    "{} → {}",
                    return_text(o.return_type.as_ref()),
                    return_text(n.return_type.as_ref())
                ),
            );
        } else if let (Some(or), Some(nr)) = (&o.return_type, &n.return_type)
            && or.nullable != nr.nullable
        {
            self.push(
                Severity::Note,
                ChangeKind::ReturnNullabilityChanged,
                &target,
                format!(
                    "{} → {}",
                    nullability(or.nullable),
                    nullability(nr.nullable)
                ),
            );
        }
        // An action's parameters are the fields of a request body
        // (`Field<T>`); an action that had none gains a `body` argument.
        // A function's parameters are method arguments: any change breaks.
        let gains_body = !function && o.parameters.is_empty() && !n.parameters.is_empty();
        for op in &o.parameters {
            let ptarget = format!("{target}/{}", op.name);
            match n.parameters.iter().find(|p| p.name == op.name) {
                None => self.push(
                    Severity::Breaking,
                    ChangeKind::ParameterRemoved,
                    &ptarget,
                    typed(&op.ty, op.nullable),
                ),
                Some(np) => self.parameter(&ptarget, op, np, function),
            }
        }
        for np in &n.parameters {
            if o.parameters.iter().any(|p| p.name == np.name) {
                continue;
            }
            let ptarget = format!("{target}/{}", np.name);
            let (severity, why) = if function {
                (Severity::Breaking, "a new argument of the generated method")
            } else if gains_body {
                (Severity::Breaking, "post() now takes a request body")
            } else if !np.nullable {
                (Severity::Breaking, "a new required parameter")
            } else {
                (Severity::Additive, "optional")
            };
            self.push(
                severity,
                ChangeKind::ParameterAdded,
                &ptarget,
                format!("{}: {why}", typed(&np.ty, np.nullable)),
            );
        }
        // A function's arguments are positional: the same parameters in
        // another order still compile, with the caller's values swapped.
        if function {
            let order = |ps: &[ParameterDef], other: &[ParameterDef]| -> Vec<String> {
                ps.iter()
                    .filter(|p| other.iter().any(|q| q.name == p.name))
                    .map(|p| p.name.clone())
                    .collect()
            };
            let (was, is) = (
                order(&o.parameters, &n.parameters),
                order(&n.parameters, &o.parameters),
            );
            if was != is {
                self.push(
                    Severity::Breaking,
                    ChangeKind::ParametersReordered,
                    &target,
                    format!(
                        "{} → {}: the generated method's arguments are positional",
                        was.join(", "),
                        is.join(", ")
                    ),
                );
            }
        }
    }

    fn parameter(&mut self, target: &str, o: &ParameterDef, n: &ParameterDef, function: bool) {
        if o.ty != n.ty {
            self.push(
                Severity::Breaking,
                ChangeKind::ParameterTypeChanged,
                target,
                format!("{} → {}", o.ty, n.ty),
            );
        }
        if o.nullable != n.nullable {
            let severity = if !function && o.nullable && !n.nullable {
                Severity::Breaking
            } else {
                Severity::Note
            };
            let why = if severity == Severity::Breaking {
                ": now required"
            } else {
                ""
            };
            self.push(
                severity,
                ChangeKind::ParameterNullabilityChanged,
                target,
                format!(
                    "{} → {}{why}",
                    nullability(o.nullable),
                    nullability(n.nullable)
                ),
            );
        }
    }
}

fn return_text(r: Option<&ReturnDef>) -> String {
    match r {
        Some(r) => r.ty.to_string(),
        None => "nothing".to_string(),
    }
}

fn operation_text(o: &OperationDef) -> String {
    let kind = match o.kind {
        OperationKind::Action => "action",
        OperationKind::Function => "function",
    };
    let params: Vec<String> = o
        .parameters
        .iter()
        .map(|p| format!("{}: {}", p.name, p.ty))
        .collect();
    format!(
        "{kind}({}) returning {}",
        params.join(", "),
        return_text(o.return_type.as_ref())
    )
}

/// `function ns.f(binding)`: what the overloads of one operation share.
fn operation_group(o: &OperationDef) -> String {
    let kind = match o.kind {
        OperationKind::Action => "action",
        OperationKind::Function => "function",
    };
    let binding = o
        .binding
        .as_ref()
        .map(|b| b.ty.to_string())
        .unwrap_or_default();
    format!("{kind} {}({binding})", o.name)
}

/// Every operation by its group, signature and parameter names, which
/// tell overloads apart: CSDL lets two overloads have the same parameter
/// types under other names (`f(from: String)`, `f(to: String)`).
fn operation_index(model: &Model) -> BTreeMap<String, &OperationDef> {
    model
        .operations
        .iter()
        .map(|o| {
            let names: Vec<&str> = o.parameters.iter().map(|p| p.name.as_str()).collect();
            (
                format!(
                    "{} {} {}",
                    operation_group(o),
                    o.signature(),
                    names.join(",")
                ),
                o,
            )
        })
        .collect()
}

/// Pairs the operations of two models: by signature, then, within a group,
/// the one operation left on each side (a function whose parameters
/// changed). The rest are removed or added.
fn pair_operations<'m>(
    old: &BTreeMap<String, &'m OperationDef>,
    new: &BTreeMap<String, &'m OperationDef>,
) -> OperationPairs<'m> {
    let mut pairs = OperationPairs::default();
    let mut left_old: BTreeMap<String, Vec<&OperationDef>> = BTreeMap::new();
    let mut left_new: BTreeMap<String, Vec<&OperationDef>> = BTreeMap::new();
    for (key, o) in old {
        match new.get(key) {
            Some(n) => pairs.same.push((o, n)),
            None => left_old.entry(operation_group(o)).or_default().push(o),
        }
    }
    for (key, n) in new {
        if !old.contains_key(key) {
            left_new.entry(operation_group(n)).or_default().push(n);
        }
    }
    for (group, os) in left_old {
        match left_new.remove(&group) {
            Some(ns) if os.len() == 1 && ns.len() == 1 => pairs.same.push((os[0], ns[0])),
            Some(ns) => {
                pairs.removed.extend(os);
                pairs.added.extend(ns);
            }
            None => pairs.removed.extend(os),
        }
    }
    pairs.added.extend(left_new.into_values().flatten());
    pairs
}

#[derive(Default)]
struct OperationPairs<'m> {
    same: Vec<(&'m OperationDef, &'m OperationDef)>,
    removed: Vec<&'m OperationDef>,
    added: Vec<&'m OperationDef>,
}
