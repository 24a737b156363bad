//! Objects written as YAML while they are described, with no [`Value`]
//! built, kept or dropped: the `yaml!` macro (the grammar of `json!`) makes
//! an [`Emit`], and [`Documents`] writes emits into one file's text. The
//! bytes are the tree writer's: a [`Value`] is itself an [`Emit`], written
//! by the same functions, and every scalar goes through the same quoting.
//!
//! `json!` builds a value a later step edits (an override, a merge, an
//! annotation added by another module); `yaml!` writes one no step edits,
//! which is most objects and the cheapest way to write them. An absent
//! [`Option`] leaves its entry (or item) out; `..EXPR` in a `yaml!` object
//! writes the `(key, value)` pairs of `EXPR` in order.
//!
//! An object or a list is written before it is known to be empty: its
//! `KEY:` and line break are taken back and `KEY: {}` (`[]`) written when
//! nothing was put in it, as the tree writer writes an empty one.
//!
//! An emit is also a value when one is needed (`Value::from`, or `json!`
//! given one): a helper written once with `yaml!` serves objects written
//! as they are described and objects built to be edited alike.

use super::{map, pad, scalar, seq, string, text, write_document};
use crate::value::{Map, Str, Value};

/// Something written as one YAML value.
pub trait Emit {
    /// As the value of an entry whose key was just written, `:` not yet:
    /// the entry is at `indent`, and `explicit` when its key was written
    /// as `? KEY`.
    fn value(self, out: &mut String, indent: usize, explicit: bool);

    /// As an item of a sequence at `indent`, after its `- `.
    fn item(self, out: &mut String, indent: usize);

    /// As a whole document.
    fn document(self, out: &mut String);

    /// As a value, for an object built to be edited.
    fn into_value(self) -> Value;

    /// Whether the entry or item is left out (an absent [`Option`]).
    #[inline(always)]
    fn absent(&self) -> bool {
        false
    }
}

/// A key of an entry: a [`Str`] (a literal is classified when hybridc is
/// compiled) or any string.
pub trait Key {
    fn write(&self, out: &mut String);

    /// As the key of a value's map.
    fn into_str(self) -> Str;
}

impl Key for Str {
    #[inline(always)]
    fn write(&self, out: &mut String) {
        text(out, self);
    }

    fn into_str(self) -> Str {
        self
    }
}

impl Key for &Str {
    #[inline(always)]
    fn write(&self, out: &mut String) {
        text(out, self);
    }

    fn into_str(self) -> Str {
        self.clone()
    }
}

impl Key for &str {
    #[inline(always)]
    fn write(&self, out: &mut String) {
        string(out, self);
    }

    fn into_str(self) -> Str {
        Str::from(self.to_string())
    }
}

impl Key for String {
    #[inline(always)]
    fn write(&self, out: &mut String) {
        string(out, self);
    }

    fn into_str(self) -> Str {
        Str::from(self)
    }
}

impl Key for &String {
    #[inline(always)]
    fn write(&self, out: &mut String) {
        string(out, self);
    }

    fn into_str(self) -> Str {
        Str::from(self.clone())
    }
}

/// Where an object's entries or a list's items go: into the text, or into
/// a value being built.
#[derive(Debug)]
enum Sink<'a, T> {
    Text(&'a mut String),
    Tree(&'a mut T),
}

/// The entries of an object being written.
#[derive(Debug)]
pub struct Entries<'a> {
    sink: Sink<'a, Map>,
    indent: usize,
    /// The first entry continues the line of its `- `.
    inline_first: bool,
    written: usize,
}

impl Entries<'_> {
    /// Writes `key: value` (nothing for an absent value).
    #[inline(always)]
    pub fn entry(&mut self, key: impl Key, value: impl Emit) {
        if value.absent() {
            return;
        }
        match &mut self.sink {
            Sink::Text(out) => {
                let first_inline = self.written == 0 && self.inline_first;
                let explicit = super::key(out, self.indent, first_inline, |out| key.write(out));
                value.value(out, self.indent, explicit);
            }
            Sink::Tree(map) => {
                map.insert(key.into_str(), value.into_value());
            }
        }
        self.written += 1;
    }

    /// Writes each `(key, value)` of `entries` in order.
    #[inline]
    pub fn entries<K: Key, V: Emit>(&mut self, entries: impl IntoIterator<Item = (K, V)>) {
        for (k, v) in entries {
            self.entry(k, v);
        }
    }
}

/// The items of a list being written.
#[derive(Debug)]
pub struct Items<'a> {
    sink: Sink<'a, Vec<Value>>,
    indent: usize,
    written: usize,
}

impl Items<'_> {
    /// Writes `- item` (nothing for an absent item).
    #[inline(always)]
    pub fn item(&mut self, item: impl Emit) {
        if item.absent() {
            return;
        }
        match &mut self.sink {
            Sink::Text(out) => {
                pad(out, self.indent);
                out.push_str("- ");
                item.item(out, self.indent);
            }
            Sink::Tree(items) => items.push(item.into_value()),
        }
        self.written += 1;
    }

    /// Writes each of `items` in order.
    #[inline]
    pub fn items<T: Emit>(&mut self, items: impl IntoIterator<Item = T>) {
        for item in items {
            self.item(item);
        }
    }
}

/// An object whose entries a function writes (what `yaml!({ … })` makes).
pub struct Obj<F>(pub F);

impl<F> std::fmt::Debug for Obj<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Obj(..)")
    }
}

impl<F: FnOnce(&mut Entries<'_>)> Obj<F> {
    /// Writes this object's entries among those of another object (an
    /// object's metadata with an entry added after them).
    #[inline(always)]
    pub fn splice_into(self, e: &mut Entries<'_>) {
        (self.0)(e);
    }

    /// Writes the entries at `indent`; `false` when there were none, with
    /// nothing written.
    #[inline(always)]
    fn entries(self, out: &mut String, indent: usize, inline_first: bool) -> bool {
        let mut e = Entries { sink: Sink::Text(out), indent, inline_first, written: 0 };
        (self.0)(&mut e);
        e.written > 0
    }
}

impl<F: FnOnce(&mut Entries<'_>)> Emit for Obj<F> {
    #[inline(always)]
    fn value(self, out: &mut String, indent: usize, _explicit: bool) {
        let mark = out.len();
        out.push_str(":\n");
        if !self.entries(out, indent + 2, false) {
            out.truncate(mark);
            out.push_str(": {}\n");
        }
    }

    #[inline(always)]
    fn item(self, out: &mut String, indent: usize) {
        if !self.entries(out, indent + 2, true) {
            out.push_str("{}\n");
        }
    }

    #[inline(always)]
    fn document(self, out: &mut String) {
        if !self.entries(out, 0, false) {
            out.push_str("{}\n");
        }
    }

    fn into_value(self) -> Value {
        let mut map = Map::new();
        (self.0)(&mut Entries { sink: Sink::Tree(&mut map), indent: 0, inline_first: false, written: 0 });
        Value::Object(map)
    }
}

impl<F: FnOnce(&mut Entries<'_>)> From<Obj<F>> for Value {
    fn from(o: Obj<F>) -> Value {
        o.into_value()
    }
}

/// A list whose items a function writes (what `yaml!([ … ])` makes).
pub struct List<F>(pub F);

impl<F> std::fmt::Debug for List<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("List(..)")
    }
}

impl<F: FnOnce(&mut Items<'_>)> List<F> {
    #[inline(always)]
    fn items(self, out: &mut String, indent: usize) -> bool {
        let mut items = Items { sink: Sink::Text(out), indent, written: 0 };
        (self.0)(&mut items);
        items.written > 0
    }
}

impl<F: FnOnce(&mut Items<'_>)> Emit for List<F> {
    #[inline(always)]
    fn value(self, out: &mut String, indent: usize, explicit: bool) {
        let mark = out.len();
        out.push_str(":\n");
        if !self.items(out, if explicit { indent + 2 } else { indent }) {
            out.truncate(mark);
            out.push_str(": []\n");
        }
    }

    #[inline(always)]
    fn item(self, out: &mut String, indent: usize) {
        let mark = out.len();
        out.push('\n');
        if !self.items(out, indent + 2) {
            out.truncate(mark);
            out.push_str("[]\n");
        }
    }

    #[inline(always)]
    fn document(self, out: &mut String) {
        if !self.items(out, 0) {
            out.push_str("[]\n");
        }
    }

    fn into_value(self) -> Value {
        let mut items = Vec::new();
        (self.0)(&mut Items { sink: Sink::Tree(&mut items), indent: 0, written: 0 });
        Value::Array(items)
    }
}

impl<F: FnOnce(&mut Items<'_>)> From<List<F>> for Value {
    fn from(l: List<F>) -> Value {
        l.into_value()
    }
}

/// The items of `items` as a list.
#[inline(always)]
pub fn list<T: Emit>(items: impl IntoIterator<Item = T>) -> List<impl FnOnce(&mut Items<'_>)> {
    List(move |l: &mut Items<'_>| l.items(items))
}

/// The `(key, value)` pairs of `entries` as an object.
#[inline(always)]
pub fn object<K: Key, V: Emit>(entries: impl IntoIterator<Item = (K, V)>) -> Obj<impl FnOnce(&mut Entries<'_>)> {
    Obj(move |e: &mut Entries<'_>| e.entries(entries))
}

/// `emit` as it is written, or — when there is an `edit` to make (an
/// annotation another module adds in some cases) — the value it makes,
/// edited.
pub fn edited<E: Emit>(emit: E, edit: Option<impl FnOnce(&mut Value)>) -> either::Either<Value, E> {
    match edit {
        Some(edit) => {
            let mut value = emit.into_value();
            edit(&mut value);
            either::Either::Left(value)
        }
        None => either::Either::Right(emit),
    }
}

impl<T: Emit> Emit for Option<T> {
    #[inline(always)]
    fn value(self, out: &mut String, indent: usize, explicit: bool) {
        if let Some(v) = self {
            v.value(out, indent, explicit);
        }
    }

    #[inline(always)]
    fn item(self, out: &mut String, indent: usize) {
        if let Some(v) = self {
            v.item(out, indent);
        }
    }

    #[inline(always)]
    fn document(self, out: &mut String) {
        if let Some(v) = self {
            v.document(out);
        }
    }

    /// `null` when absent (an entry or item leaves it out before).
    fn into_value(self) -> Value {
        self.map_or(Value::Null, Emit::into_value)
    }

    #[inline(always)]
    fn absent(&self) -> bool {
        self.is_none()
    }
}

impl<T: Emit> Emit for Vec<T> {
    #[inline]
    fn value(self, out: &mut String, indent: usize, explicit: bool) {
        list(self).value(out, indent, explicit);
    }

    #[inline]
    fn item(self, out: &mut String, indent: usize) {
        list(self).item(out, indent);
    }

    #[inline]
    fn document(self, out: &mut String) {
        list(self).document(out);
    }

    /// Absent items are left out, as they are from the text.
    fn into_value(self) -> Value {
        Value::Array(self.into_iter().filter(|item| !item.absent()).map(Emit::into_value).collect())
    }
}

/// One of two kinds of emit (an object built to be edited in one case,
/// written as described in the other).
impl<A: Emit, B: Emit> Emit for either::Either<A, B> {
    #[inline(always)]
    fn value(self, out: &mut String, indent: usize, explicit: bool) {
        either::for_both!(self, e => e.value(out, indent, explicit));
    }

    #[inline(always)]
    fn item(self, out: &mut String, indent: usize) {
        either::for_both!(self, e => e.item(out, indent));
    }

    fn document(self, out: &mut String) {
        either::for_both!(self, e => e.document(out));
    }

    fn into_value(self) -> Value {
        either::for_both!(self, e => e.into_value())
    }

    #[inline(always)]
    fn absent(&self) -> bool {
        either::for_both!(self, e => e.absent())
    }
}

/// A value built as a tree, written by the tree writer.
impl Emit for &Value {
    #[inline]
    fn value(self, out: &mut String, indent: usize, explicit: bool) {
        match self {
            Value::Object(inner) if !inner.is_empty() => {
                out.push_str(":\n");
                map(out, inner, indent + 2, false);
            }
            Value::Array(items) if !items.is_empty() => {
                out.push_str(":\n");
                seq(out, items, if explicit { indent + 2 } else { indent });
            }
            other => {
                out.push_str(": ");
                scalar(out, other);
                out.push('\n');
            }
        }
    }

    #[inline]
    fn item(self, out: &mut String, indent: usize) {
        match self {
            Value::Object(m) if !m.is_empty() => map(out, m, indent + 2, true),
            Value::Array(inner) if !inner.is_empty() => {
                out.push('\n');
                seq(out, inner, indent + 2);
            }
            other => {
                scalar(out, other);
                out.push('\n');
            }
        }
    }

    #[inline]
    fn document(self, out: &mut String) {
        write_document(out, self);
    }

    fn into_value(self) -> Value {
        self.clone()
    }
}

/// Forwards to `&T` for an owned value (moved in, dropped once written).
macro_rules! by_reference {
    ($($t:ty),*) => {$(
        impl Emit for $t {
            #[inline(always)]
            fn value(self, out: &mut String, indent: usize, explicit: bool) {
                (&self).value(out, indent, explicit);
            }

            #[inline(always)]
            fn item(self, out: &mut String, indent: usize) {
                (&self).item(out, indent);
            }

            #[inline(always)]
            fn document(self, out: &mut String) {
                (&self).document(out);
            }

            fn into_value(self) -> Value {
                Value::from(self)
            }
        }
    )*};
}

by_reference!(Value, Map);

impl Emit for &Map {
    #[inline]
    fn value(self, out: &mut String, indent: usize, _explicit: bool) {
        if self.is_empty() {
            out.push_str(": {}\n");
        } else {
            out.push_str(":\n");
            map(out, self, indent + 2, false);
        }
    }

    #[inline]
    fn item(self, out: &mut String, indent: usize) {
        if self.is_empty() {
            out.push_str("{}\n");
        } else {
            map(out, self, indent + 2, true);
        }
    }

    #[inline]
    fn document(self, out: &mut String) {
        if self.is_empty() {
            out.push_str("{}\n");
        } else {
            map(out, self, 0, false);
        }
    }

    fn into_value(self) -> Value {
        Value::Object(self.clone())
    }
}

/// A scalar: `write` puts its text.
macro_rules! scalars {
    ($($t:ty => |$s:ident, $out:ident| $write:expr;)*) => {$(
        impl Emit for $t {
            #[inline(always)]
            fn value(self, out: &mut String, _indent: usize, _explicit: bool) {
                out.push_str(": ");
                self.item(out, 0);
            }

            #[inline(always)]
            fn item(self, $out: &mut String, _indent: usize) {
                let $s = self;
                $write;
                $out.push('\n');
            }

            #[inline(always)]
            fn document(self, out: &mut String) {
                self.item(out, 0);
            }

            fn into_value(self) -> Value {
                Value::from(self)
            }
        }
    )*};
}

scalars! {
    Str => |s, out| text(out, &s);
    &Str => |s, out| text(out, s);
    &str => |s, out| string(out, s);
    String => |s, out| string(out, &s);
    &String => |s, out| string(out, s);
    bool => |b, out| out.push_str(if b { "true" } else { "false" });
    u16 => |n, out| out.push_str(itoa::Buffer::new().format(n));
    u32 => |n, out| out.push_str(itoa::Buffer::new().format(n));
    u64 => |n, out| out.push_str(itoa::Buffer::new().format(n));
    usize => |n, out| out.push_str(itoa::Buffer::new().format(n));
    i32 => |n, out| out.push_str(itoa::Buffer::new().format(n));
    i64 => |n, out| out.push_str(itoa::Buffer::new().format(n));
}

/// The documents of one file, separated by `---`, written as they come.
#[derive(Debug)]
pub struct Documents {
    out: String,
    count: usize,
}

impl Default for Documents {
    /// Room for a workload's file, which most files are.
    fn default() -> Documents {
        Documents::with_capacity(4096)
    }
}

impl Documents {
    pub fn new() -> Documents {
        Documents::default()
    }

    pub fn with_capacity(bytes: usize) -> Documents {
        Documents { out: String::with_capacity(bytes), count: 0 }
    }

    /// Appends one document.
    #[inline]
    pub fn push(&mut self, doc: impl Emit) {
        if doc.absent() {
            return;
        }
        if self.count > 0 {
            self.out.push_str("---\n");
        }
        doc.document(&mut self.out);
        self.count += 1;
    }

    /// Appends each of `docs`.
    pub fn extend<T: Emit>(&mut self, docs: impl IntoIterator<Item = T>) {
        for doc in docs {
            self.push(doc);
        }
    }

    /// How many documents were written.
    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The file's text. Files are held until written: none keeps the
    /// room it did not use. Shrinking would not do it: the allocator keeps
    /// a block where it is when it is asked to shrink it by less than half
    /// (a workload's file of 3.5 kB would hold its 4 kB), so the text is
    /// copied into a block of its size instead.
    pub fn finish(self) -> String {
        let room = self.out.capacity() - self.out.len();
        if room > self.out.len() / 8 {
            return self.out.as_str().to_owned();
        }
        self.out
    }
}

/// An object or a list written as it is described: `json!`'s grammar, with
/// `..EXPR` in an object for `EXPR`'s `(key, value)` pairs, and an absent
/// `Option` left out (`..EXPR` in a list writes the items of `EXPR`). Each value is an [`Emit`]; a literal key is
/// classified when hybridc is compiled. Like a `move` closure, it moves
/// what it names (`&x` too): bind a reference to use a value again.
#[macro_export]
macro_rules! yaml {
    ({ $($tt:tt)* }) => {
        $crate::yaml::Obj(move |__entries: &mut $crate::yaml::Entries<'_>| {
            $crate::yaml_entries!(__entries; $($tt)*);
        })
    };
    ([ $($tt:tt)* ]) => {
        $crate::yaml::List(move |__items: &mut $crate::yaml::Items<'_>| {
            $crate::yaml_items!(__items; $($tt)*);
        })
    };
    ($lit:literal) => {
        $crate::yaml_literal!($lit)
    };
    ($other:expr) => {
        $other
    };
}

#[macro_export]
#[doc(hidden)]
macro_rules! yaml_literal {
    ($lit:literal) => {{
        const { $crate::value::Lit($lit).emit() }
    }};
}

#[macro_export]
#[doc(hidden)]
macro_rules! yaml_entries {
    ($e:ident;) => {};
    ($e:ident; .. $entries:expr , $($rest:tt)*) => {
        $e.entries($entries);
        $crate::yaml_entries!($e; $($rest)*);
    };
    ($e:ident; .. $entries:expr) => {
        $e.entries($entries);
    };
    ($e:ident; $key:literal : { $($v:tt)* } $(, $($rest:tt)*)?) => {
        $e.entry($crate::key!($key), $crate::yaml!({ $($v)* }));
        $crate::yaml_entries!($e; $($($rest)*)?);
    };
    ($e:ident; $key:literal : [ $($v:tt)* ] $(, $($rest:tt)*)?) => {
        $e.entry($crate::key!($key), $crate::yaml!([ $($v)* ]));
        $crate::yaml_entries!($e; $($($rest)*)?);
    };
    ($e:ident; $key:literal : $v:literal $(, $($rest:tt)*)?) => {
        $e.entry($crate::key!($key), $crate::yaml_literal!($v));
        $crate::yaml_entries!($e; $($($rest)*)?);
    };
    ($e:ident; $key:literal : $v:expr , $($rest:tt)*) => {
        $e.entry($crate::key!($key), $v);
        $crate::yaml_entries!($e; $($rest)*);
    };
    ($e:ident; $key:literal : $v:expr) => {
        $e.entry($crate::key!($key), $v);
    };
    ($e:ident; ($key:expr) : { $($v:tt)* } $(, $($rest:tt)*)?) => {
        $e.entry($key, $crate::yaml!({ $($v)* }));
        $crate::yaml_entries!($e; $($($rest)*)?);
    };
    ($e:ident; ($key:expr) : $v:expr , $($rest:tt)*) => {
        $e.entry($key, $v);
        $crate::yaml_entries!($e; $($rest)*);
    };
    ($e:ident; ($key:expr) : $v:expr) => {
        $e.entry($key, $v);
    };
}

#[macro_export]
#[doc(hidden)]
macro_rules! yaml_items {
    ($l:ident;) => {};
    ($l:ident; .. $items:expr , $($rest:tt)*) => {
        $l.items($items);
        $crate::yaml_items!($l; $($rest)*);
    };
    ($l:ident; .. $items:expr) => {
        $l.items($items);
    };
    ($l:ident; { $($v:tt)* } $(, $($rest:tt)*)?) => {
        $l.item($crate::yaml!({ $($v)* }));
        $crate::yaml_items!($l; $($($rest)*)?);
    };
    ($l:ident; [ $($v:tt)* ] $(, $($rest:tt)*)?) => {
        $l.item($crate::yaml!([ $($v)* ]));
        $crate::yaml_items!($l; $($($rest)*)?);
    };
    ($l:ident; $v:literal $(, $($rest:tt)*)?) => {
        $l.item($crate::yaml_literal!($v));
        $crate::yaml_items!($l; $($($rest)*)?);
    };
    ($l:ident; $v:expr , $($rest:tt)*) => {
        $l.item($v);
        $crate::yaml_items!($l; $($rest)*);
    };
    ($l:ident; $v:expr) => {
        $l.item($v);
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A value written entry by entry through [`Obj`] and [`List`], as
    /// `yaml!` writes, never as a tree.
    struct Streamed<'a>(&'a Value);

    impl Emit for Streamed<'_> {
        fn value(self, out: &mut String, indent: usize, explicit: bool) {
            match self.0 {
                Value::Object(m) => Obj(|e: &mut Entries<'_>| e.entries(m.iter().map(|(k, v)| (k, Streamed(v)))))
                    .value(out, indent, explicit),
                Value::Array(a) => {
                    List(|l: &mut Items<'_>| l.items(a.iter().map(Streamed))).value(out, indent, explicit)
                }
                scalar => scalar.value(out, indent, explicit),
            }
        }

        fn item(self, out: &mut String, indent: usize) {
            match self.0 {
                Value::Object(m) => {
                    Obj(|e: &mut Entries<'_>| e.entries(m.iter().map(|(k, v)| (k, Streamed(v))))).item(out, indent)
                }
                Value::Array(a) => List(|l: &mut Items<'_>| l.items(a.iter().map(Streamed))).item(out, indent),
                scalar => scalar.item(out, indent),
            }
        }

        fn document(self, out: &mut String) {
            match self.0 {
                Value::Object(m) => {
                    Obj(|e: &mut Entries<'_>| e.entries(m.iter().map(|(k, v)| (k, Streamed(v))))).document(out)
                }
                Value::Array(a) => List(|l: &mut Items<'_>| l.items(a.iter().map(Streamed))).document(out),
                scalar => scalar.document(out),
            }
        }

        fn into_value(self) -> Value {
            match self.0 {
                Value::Object(m) => {
                    Obj(|e: &mut Entries<'_>| e.entries(m.iter().map(|(k, v)| (k, Streamed(v))))).into_value()
                }
                Value::Array(a) => List(|l: &mut Items<'_>| l.items(a.iter().map(Streamed))).into_value(),
                scalar => scalar.into_value(),
            }
        }
    }

    #[test]
    fn the_macro_writes_what_json_builds() {
        let owned = String::from("web");
        // `yaml!` moves what it uses: a reference is moved, the value stays.
        let name = &owned;
        let none: Option<&str> = None;
        let ports = [8080u32, 9090];
        let streamed = || {
            yaml!({
                "apiVersion": "v1",
                "metadata": { "name": name, "labels": { "app": name, "missing": none }, "annotations": {} },
                "spec": {
                    "replicas": 2,
                    "paused": false,
                    "ports": ports.iter().map(|&p| yaml!({ "port": p, "name": format!("p{p}") })).collect::<Vec<_>>(),
                    "empty": [],
                    "nested": [[], ["a", 1], { "k": "yes" }, {}],
                    ..[("x-1", "1.0"), ("x-2", "ok")],
                    ("dynamic key"): "v",
                },
            })
        };
        let built = json!({
            "apiVersion": "v1",
            "metadata": { "name": name, "labels": { "app": name }, "annotations": {} },
            "spec": {
                "replicas": 2,
                "paused": false,
                "ports": [{ "port": 8080, "name": "p8080" }, { "port": 9090, "name": "p9090" }],
                "empty": [],
                "nested": [[], ["a", 1], { "k": "yes" }, {}],
                "x-1": "1.0",
                "x-2": "ok",
                "dynamic key": "v",
            },
        });
        assert_eq!(Value::from(streamed()), built);
        let items = vec![Some("a"), None, Some("b")];
        assert_eq!(items.clone().into_value(), json!(["a", "b"]));
        let mut text = Documents::new();
        text.push(items);
        assert_eq!(text.finish(), "- a\n- b\n");
        assert_eq!(json!({ "in": streamed() }), json!({ "in": built.clone() }));
        let mut docs = Documents::new();
        docs.push(streamed());
        docs.push(None::<Value>);
        docs.push(yaml!({}));
        docs.push(yaml!([]));
        assert_eq!(docs.len(), 3);
        assert_eq!(docs.finish(), crate::yaml::documents(&[built, json!({}), json!([])]));
    }

    #[test]
    fn an_edit_is_made_on_the_value_and_only_when_asked() {
        let add = |v: &mut Value| {
            if let Some(m) = v.as_object_mut() {
                m.insert("added", Value::from(true));
            }
        };
        let mut docs = Documents::new();
        docs.push(edited(yaml!({ "kept": 1 }), Some(add)));
        docs.push(edited(yaml!({ "kept": 1 }), None::<fn(&mut Value)>));
        assert_eq!(docs.finish(), "kept: 1\nadded: true\n---\nkept: 1\n");
    }

    fn values() -> impl Strategy<Value = Value> {
        let key = prop_oneof![Just(String::new()), "[a-z:# -]{0,6}", "x{1001,1003}"];
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            "[a-z'\n: -]{0,5}".prop_map(Value::from),
        ];
        leaf.prop_recursive(4, 48, 5, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::vec((key.clone(), inner), 0..4)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map>())),
            ]
        })
    }

    proptest! {
        /// Written entry by entry, any value is the bytes of the tree
        /// writer: empty objects and lists anywhere, lists in lists, keys
        /// too long to be implicit.
        #[test]
        fn streaming_writes_the_tree_writers_bytes(docs in prop::collection::vec(values(), 1..4)) {
            let mut streamed = Documents::new();
            streamed.extend(docs.iter().map(Streamed));
            prop_assert_eq!(streamed.finish(), crate::yaml::documents(&docs));
        }

        /// Built as a value instead, the same entries make the same value.
        #[test]
        fn an_emit_is_the_value_it_writes(v in values()) {
            prop_assert_eq!(Streamed(&v).into_value(), v);
        }
    }
}
