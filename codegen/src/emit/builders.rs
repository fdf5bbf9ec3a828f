//! Renders the plan's request builders: one chain per URL path, so users
//! never assemble URL strings.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::models::structure;
use super::tokens::{deprecated_attr, docs, named, ty};
use super::verbatim;
use crate::plan::names::ident_text;
use crate::plan::{
    BuilderPlan, ErrorEnumPlan, MethodKind, MethodPlan, RootMethod, UrlParam, UrlValue,
};

/// A builder with its methods, its query-option marker and, for an action,
/// its request body.
pub(super) fn builder(b: &BuilderPlan) -> TokenStream {
    let name = format_ident!("{}", b.rust_name);
    let template = &b.template;
    let d = docs(&b.docs);
    let methods = b.methods.iter().map(method);
    let marker = b.query_marker.as_ref().map(|m| {
        let marker = format_ident!("{}", m.rust_name);
        let allowed = m.allowed.iter().map(|a| format_ident!("{}", a));
        let d = format!(
            " The query options the metadata allows on `{}`.",
            m.template
        );
        quote! {
            #[doc = #d]
            #[derive(Clone, Copy, Debug)]
            pub struct #marker;
            #( impl crate::runtime::options::#allowed for #marker {} )*
        }
    });
    let body = b.body.as_ref().map(structure);
    let errors = b
        .methods
        .iter()
        .filter_map(|m| m.errors.as_ref())
        .map(error_enum);
    // The shared boilerplate lives in `support::request_builder!`, so the
    // generated files hold only what differs between builders.
    quote! {
        #d
        #[derive(Clone)]
        pub struct #name {
            client: crate::runtime::Client,
            path: crate::runtime::RequestPath,
        }
        crate::support::request_builder!(#name, #template);
        impl #name {
            #(#methods)*
        }
        #marker
        #body
        #(#errors)*
    }
}

/// A request's documented failures: the enum, its matching table and the
/// conversion from the SDK's error.
fn error_enum(e: &ErrorEnumPlan) -> TokenStream {
    let name = format_ident!("{}", e.rust_name);
    let d = docs(&e.docs);
    let variants = e.variants.iter().map(|v| {
        let vd = docs(&v.docs);
        let vn = format_ident!("{}", v.name);
        let fields = v.fields.iter().map(|f| {
            let doc = format!(" The {f} named in the service's message.");
            let f = named(&ident_text(f));
            quote! {
                #[doc = #doc]
                #f: String,
            }
        });
        quote! {
            #vd
            #[non_exhaustive]
            #vn {
                #(#fields)*
                /// The SDK error: status, Graph code and message, request ids.
                error: crate::runtime::Error,
            },
        }
    });
    let cases = e.variants.iter().map(|v| {
        let status = proc_macro2::Literal::u16_unsuffixed(v.status);
        let code = match &v.code {
            Some(c) => quote!(Some(#c)),
            None => quote!(None),
        };
        let pattern = &v.pattern;
        let exact = v.exact_message;
        quote! {
            crate::runtime::documented::Case { status: #status, code: #code, pattern: #pattern, exact_message: #exact },
        }
    });
    let arms = e.variants.iter().enumerate().map(|(i, v)| {
        let i = proc_macro2::Literal::usize_unsuffixed(i);
        let vn = format_ident!("{}", v.name);
        let fields = v.fields.iter().map(|f| {
            let f = named(&ident_text(f));
            quote!(#f: values.next().unwrap_or_default(),)
        });
        quote! {
            Some((#i, values)) => {
                #[allow(unused_mut, unused_variables)]
                let mut values = values.into_iter();
                #name::#vn { #(#fields)* error }
            }
        }
    });
    let table = verbatim::table(
        "crate::support::documented_error",
        std::slice::from_ref(&e.rust_name),
        &e.variants
            .iter()
            .map(|v| v.name.clone())
            .collect::<Vec<_>>(),
    );
    quote! {
        #d
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// Any failure the page does not document (another status, a
            /// transport or decode error): the whole error.
            Other(crate::runtime::Error),
        }

        impl #name {
            /// The documented cases, in the order the page lists them.
            pub const CASES: &'static [crate::runtime::documented::Case] = &[#(#cases)*];

        }

        #table

        impl From<crate::runtime::Error> for #name {
            fn from(error: crate::runtime::Error) -> Self {
                match crate::runtime::documented::classify(&error, Self::CASES) {
                    #(#arms)*
                    _ => #name::Other(error),
                }
            }
        }

    }
}

pub(super) fn root(roots: &[RootMethod]) -> TokenStream {
    let methods = roots.iter().map(|r| {
        let method = named(&r.name);
        let builder = format_ident!("{}", r.target);
        let d = docs(&r.docs);
        let seg = &r.segment;
        quote! {
            #d
            pub fn #method(&self) -> crate::builders::#builder {
                crate::builders::#builder::new(self.clone(), crate::runtime::RequestPath::root().segment(#seg))
            }
        }
    });
    quote! {
        impl crate::runtime::Client {
            #(#methods)*
        }
    }
}

fn method(m: &MethodPlan) -> TokenStream {
    let d = docs(&m.docs);
    let dep = deprecated_attr(m.deprecated.as_deref());
    let name = named(&m.name);
    let get = quote!(self.client.request(http::Method::GET, self.path.clone()));
    let body = match &m.kind {
        MethodKind::List { item, options } => {
            let (item, options) = (ty(item), ty(options));
            quote! {
                pub fn #name(&self) -> crate::runtime::ListRequest<#item, #options> {
                    crate::runtime::ListRequest::new(#get)
                }
            }
        }
        MethodKind::Count => quote! {
            pub fn #name(&self) -> crate::runtime::CountRequest {
                crate::runtime::CountRequest::new(self.client.request(http::Method::GET, self.path.segment("$count")))
            }
        },
        MethodKind::Create { ty: t, read_only } if !read_only.is_empty() => {
            let t = ty(t);
            let checks = read_only.iter().map(|(field, json, why)| {
                let field = named(field);
                quote!((#json, #why, body.#field.is_unset()),)
            });
            quote! {
                pub fn #name(&self, body: &#t) -> crate::runtime::SendRequest<#t> {
                    // The properties the service sets itself: one that is set
                    // makes serialising the body fail, so nothing is sent.
                    let refused = [#(#checks)*]
                        .into_iter()
                        .find(|(_, _, unset)| !unset)
                        .map(|(p, why, _)| (p, why));
                    crate::runtime::SendRequest::new(self.client.request(http::Method::POST, self.path.clone())
                        .json(&crate::support::CreateBody { body, refused }))
                }
            }
        }
        MethodKind::Create { ty: t, .. } => {
            let t = ty(t);
            quote! {
                pub fn #name(&self, body: &#t) -> crate::runtime::SendRequest<#t> {
                    crate::runtime::SendRequest::new(self.client.request(http::Method::POST, self.path.clone()).json(body))
                }
            }
        }
        MethodKind::DeltaUpdate {
            item,
            max_items,
            not_sent,
        } => {
            let t = ty(item);
            let max_items = proc_macro2::Literal::usize_unsuffixed(*max_items);
            let not_sent = not_sent.iter().map(|(json, _)| json);
            quote! {
                pub async fn #name(&self, changes: Vec<crate::runtime::delta::DeltaChange<#t>>) -> crate::runtime::Result<crate::runtime::delta::DeltaReport<#t, #t>> {
                    let options = crate::runtime::delta::DeltaOptions {
                        chunk_size: #max_items,
                        not_sent: &[#(#not_sent),*],
                        ..Default::default()
                    };
                    crate::runtime::delta::delta_update_with(&self.client, self.path.clone(), changes, options).await
                }
            }
        }
        MethodKind::Get { ty: t, options } => {
            let (t, options) = (ty(t), ty(options));
            quote! {
                pub fn #name(&self) -> crate::runtime::ItemRequest<#t, #options> {
                    crate::runtime::ItemRequest::new(#get)
                }
            }
        }
        MethodKind::Update { ty: t, edit } => {
            let t = ty(t);
            let body = match edit {
                Some(e) => {
                    let e = format_ident!("{}", e);
                    quote!(crate::models::#e)
                }
                None => t.clone(),
            };
            quote! {
                pub fn #name(&self, body: &#body) -> crate::runtime::OptionalRequest<#t> {
                    crate::runtime::OptionalRequest::new(self.client.request(http::Method::PATCH, self.path.clone()).json(body))
                }
            }
        }
        MethodKind::Delete => quote! {
            pub fn #name(&self) -> crate::runtime::EmptyRequest {
                crate::runtime::EmptyRequest::new(self.client.request(http::Method::DELETE, self.path.clone()))
            }
        },
        MethodKind::CallFunction { returns } => {
            let t = returns.as_ref().map_or(quote!(serde_json::Value), ty);
            quote! {
                pub fn #name(&self) -> crate::runtime::ItemRequest<#t> {
                    crate::runtime::ItemRequest::new(#get)
                }
            }
        }
        MethodKind::CallDeltaFunction { item } => {
            let t = ty(item);
            quote! {
                pub fn #name(&self) -> crate::runtime::ListRequest<#t> {
                    crate::runtime::ListRequest::new(#get)
                }
            }
        }
        MethodKind::CallAction { returns, body } => {
            let (send, ctor) = match returns {
                Some(t) => {
                    let t = ty(t);
                    (
                        quote!(crate::runtime::SendRequest<#t>),
                        quote!(crate::runtime::SendRequest::new),
                    )
                }
                None => (
                    quote!(crate::runtime::EmptyRequest),
                    quote!(crate::runtime::EmptyRequest::new),
                ),
            };
            let post = quote!(self.client.request(http::Method::POST, self.path.clone()));
            match body {
                Some(b) => {
                    let b = format_ident!("{}", b);
                    quote! {
                        pub fn #name(&self, body: &#b) -> #send {
                            #ctor(#post.json(body))
                        }
                    }
                }
                None => quote! {
                    pub fn #name(&self) -> #send {
                        #ctor(#post)
                    }
                },
            }
        }
        MethodKind::ById {
            target,
            placeholder,
            key,
        } => {
            let target = format_ident!("{}", target);
            let param = param_type(key);
            let segment = match key {
                UrlValue::Text => quote!(id.as_ref()),
                // Key-as-segment: the literal without quotes.
                _ => quote!(&id.to_string()),
            };
            quote! {
                pub fn #name(&self, id: #param) -> crate::builders::#target {
                    crate::builders::#target::new(self.client.clone(), self.path.key(#placeholder, #segment))
                }
            }
        }
        MethodKind::ByAlternateKey { target, params } => {
            let target = format_ident!("{}", target);
            let (args, pairs) = url_params(params);
            quote! {
                pub fn #name(&self, #(#args),*) -> crate::builders::#target {
                    crate::builders::#target::new(self.client.clone(), self.path.with_call_on_last(&[#(#pairs),*]))
                }
            }
        }
        MethodKind::Navigate { target, segment } => {
            let target = format_ident!("{}", target);
            quote! {
                pub fn #name(&self) -> crate::builders::#target {
                    crate::builders::#target::new(self.client.clone(), self.path.segment(#segment))
                }
            }
        }
        MethodKind::Function {
            target,
            segment,
            params,
        } => {
            let target = format_ident!("{}", target);
            let (args, pairs) = url_params(params);
            quote! {
                pub fn #name(&self, #(#args),*) -> #target {
                    #target::new(self.client.clone(), self.path.call(#segment, &[#(#pairs),*]))
                }
            }
        }
        MethodKind::Action { target, segment } => {
            let target = format_ident!("{}", target);
            quote! {
                pub fn #name(&self) -> #target {
                    #target::new(self.client.clone(), self.path.segment(#segment))
                }
            }
        }
    };
    quote! {
        #d
        #dep
        #body
    }
}

fn param_type(v: &UrlValue) -> TokenStream {
    v.param_type()
        .parse()
        .unwrap_or_else(|_| quote!(compile_error!("invalid URL parameter type")))
}

/// The method arguments and the `(name, literal)` pairs of typed URL values.
fn url_params(params: &[UrlParam]) -> (Vec<TokenStream>, Vec<TokenStream>) {
    params
        .iter()
        .map(|p| {
            let v = named(&p.rust_name);
            let t = param_type(&p.value);
            let lit = match p.value {
                UrlValue::Text => quote!(crate::runtime::ODataLiteral::String(#v.as_ref())),
                UrlValue::Integer(_) => quote!(crate::runtime::ODataLiteral::Int(i64::from(#v))),
                UrlValue::Boolean => quote!(crate::runtime::ODataLiteral::Bool(#v)),
                UrlValue::Guid => quote!(crate::runtime::ODataLiteral::Guid(#v)),
                UrlValue::Date => quote!(crate::runtime::ODataLiteral::Date(#v)),
                UrlValue::DateTimeOffset => {
                    quote!(crate::runtime::ODataLiteral::DateTimeOffset(#v))
                }
            };
            let odata = &p.odata_name;
            (quote!(#v: #t), quote!((#odata, #lit)))
        })
        .unzip()
}
