//! A second, lenient decode of a single entity whose strict decode failed:
//! a property value that does not decode (`"status": 3`, `["a", null]` for a
//! list of strings) is kept as received in its object's `additional_data`
//! instead of failing the whole response. From there it is written back
//! unchanged, since an `additional_data` entry wins over its typed field.
//!
//! The generated models ask [`active`] for each property they decode, so
//! the strict path costs one thread-local read per property; buffering a
//! value to try it happens only in the lenient pass, which runs on this
//! thread, synchronously, inside `leniently`.

use std::cell::{Cell, RefCell};

thread_local! {
    static ACTIVE: Cell<bool> = const { Cell::new(false) };
    static REJECTED: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// Runs `decode` with lenient property decoding on; returns its result and
/// the properties it kept as received (`status: invalid type …`).
pub(crate) fn leniently<R>(decode: impl FnOnce() -> R) -> (R, Vec<String>) {
    let was = ACTIVE.with(|a| a.replace(true));
    let before = REJECTED.with(|r| r.borrow().len());
    let out = decode();
    ACTIVE.with(|a| a.set(was));
    let rejected = REJECTED.with(|r| r.borrow_mut().split_off(before));
    (out, rejected)
}

/// Whether a lenient decode runs on this thread.
pub fn active() -> bool {
    ACTIVE.with(Cell::get)
}

/// Records that `property` was kept as received: `message` says why.
pub fn reject(property: &str, message: impl std::fmt::Display) {
    REJECTED.with(|r| r.borrow_mut().push(format!("{property}: {message}")));
}
