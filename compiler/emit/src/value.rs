//! The values targets build their objects with, and the `json!` macro that
//! builds them: [`Value`] (null, booleans, numbers, strings, lists,
//! objects) and [`Map`], an object's entries in insertion order. The YAML
//! writer ([`crate::yaml`]) writes them as they are.
//!
//! Strings and keys are [`Str`]s: a literal (`"apiVersion"`, `"v1"`) is
//! borrowed, with no allocation, and a key is compared, not hashed — an
//! object holds a handful of keys (one of more than [`INDEXED`] also keeps
//! an index of them). The semantics are serde_json's with
//! `preserve_order`: inserting an existing key replaces its value in place
//! and returns the old one, iteration follows insertion order, `remove` is
//! `swap_remove`, and two objects are equal when they hold the same
//! entries in any order.
//!
//! Values read back from YAML (`yaml::read_documents`) are serde_json's;
//! `From<serde_json::Value>` turns them into these (for the overrides,
//! which edit emitted objects), and [`serde::Serialize`] turns these into
//! JSON.

use std::borrow::{Borrow, Cow};
use std::collections::HashMap;
use std::fmt;
use std::ops::Deref;

/// A string of a value or a key: borrowed when it is `'static` (literals,
/// constants), owned otherwise. A literal of the `json!` macro is
/// classified when hybridc itself is compiled: one the YAML writer writes
/// plain is marked so ([`Str::literal`]), and written without a look.
#[derive(Clone)]
pub struct Str(Repr);

#[derive(Clone)]
enum Repr {
    /// `'static`, and written plain as it is.
    Plain(&'static str),
    Static(&'static str),
    Owned(String),
}

impl Str {
    /// A `'static` string, borrowed.
    pub const fn borrowed(s: &'static str) -> Str {
        Str(Repr::Static(s))
    }

    /// A `'static` string, borrowed and classified for the YAML writer (in
    /// a `const` context, such as the `json!` macro's literals).
    pub const fn literal(s: &'static str) -> Str {
        if crate::yaml::plain_literal(s) {
            Str(Repr::Plain(s))
        } else {
            Str(Repr::Static(s))
        }
    }

    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Plain(s) | Repr::Static(s) => s,
            Repr::Owned(s) => s,
        }
    }

    /// Whether the YAML writer may write it as it is, known beforehand.
    pub(crate) fn known_plain(&self) -> bool {
        matches!(self.0, Repr::Plain(_))
    }

    pub fn into_string(self) -> String {
        match self.0 {
            Repr::Plain(s) | Repr::Static(s) => s.to_string(),
            Repr::Owned(s) => s,
        }
    }
}

impl Default for Str {
    fn default() -> Str {
        Str::borrowed("")
    }
}

impl PartialEq for Str {
    fn eq(&self, other: &Str) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Str {}

impl PartialOrd for Str {
    fn partial_cmp(&self, other: &Str) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Str {
    fn cmp(&self, other: &Str) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl std::hash::Hash for Str {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.as_str().hash(h);
    }
}

impl Deref for Str {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Str {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Str {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for Str {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Str {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl From<&'static str> for Str {
    fn from(s: &'static str) -> Str {
        Str::borrowed(s)
    }
}

impl From<String> for Str {
    fn from(s: String) -> Str {
        Str(Repr::Owned(s))
    }
}

impl From<Cow<'static, str>> for Str {
    fn from(s: Cow<'static, str>) -> Str {
        match s {
            Cow::Borrowed(s) => Str::borrowed(s),
            Cow::Owned(s) => Str::from(s),
        }
    }
}

impl From<Str> for String {
    fn from(s: Str) -> String {
        s.into_string()
    }
}

impl PartialEq<str> for Str {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Str {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Str {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

/// A value of a generated object.
#[derive(Clone, Debug, Default)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    /// An integer; [`Value::UInt`] only for one above `i64::MAX` (the
    /// `From` impls choose, so that one number has one form).
    Int(i64),
    UInt(u64),
    /// A finite float (`From<f64>` makes a non-finite one null, as
    /// serde_json does).
    Float(f64),
    String(Str),
    Array(Vec<Value>),
    Object(Map),
}

impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::UInt(a), Value::UInt(b)) => a == b,
            (Value::Float(a), Value::Float(b)) => a == b,
            (Value::String(a), Value::String(b)) => a == b,
            (Value::Array(a), Value::Array(b)) => a == b,
            (Value::Object(a), Value::Object(b)) => a == b,
            _ => false,
        }
    }
}

/// The null every missing index reads as.
static NULL: Value = Value::Null;

impl Value {
    /// The value of key `key` of an object; `None` for anything else.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object()?.get(key)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.as_object_mut()?.get_mut(key)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s.as_str()),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            Value::UInt(u) => i64::try_from(*u).ok(),
            _ => None,
        }
    }

    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Value::Int(i) => u64::try_from(*i).ok(),
            Value::UInt(u) => Some(*u),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Int(i) => Some(*i as f64),
            Value::UInt(u) => Some(*u as f64),
            Value::Float(f) => Some(*f),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    pub fn as_array_mut(&mut self) -> Option<&mut Vec<Value>> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_object_mut(&mut self) -> Option<&mut Map> {
        match self {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    pub fn is_string(&self) -> bool {
        matches!(self, Value::String(_))
    }

    pub fn is_array(&self) -> bool {
        matches!(self, Value::Array(_))
    }

    pub fn is_object(&self) -> bool {
        matches!(self, Value::Object(_))
    }

    /// The value, leaving null in its place.
    pub fn take(&mut self) -> Value {
        std::mem::take(self)
    }
}

/// Compact JSON (for messages).
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&serde_json::to_string(self).map_err(|_| fmt::Error)?)
    }
}

impl std::ops::Index<&str> for Value {
    type Output = Value;
    /// The value of key `key`, null when there is none (as serde_json).
    fn index(&self, key: &str) -> &Value {
        self.get(key).unwrap_or(&NULL)
    }
}

impl std::ops::Index<usize> for Value {
    type Output = Value;
    /// The item at `i` of a list, null when there is none (as serde_json).
    fn index(&self, i: usize) -> &Value {
        self.as_array().and_then(|a| a.get(i)).unwrap_or(&NULL)
    }
}

impl PartialEq<str> for Value {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == Some(other)
    }
}

impl PartialEq<&str> for Value {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == Some(*other)
    }
}

impl PartialEq<String> for Value {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == Some(other.as_str())
    }
}

impl PartialEq<bool> for Value {
    fn eq(&self, other: &bool) -> bool {
        self.as_bool() == Some(*other)
    }
}

impl PartialEq<f64> for Value {
    fn eq(&self, other: &f64) -> bool {
        self.as_f64() == Some(*other)
    }
}

macro_rules! integers {
    ($($t:ty)*) => {$(
        impl From<$t> for Value {
            fn from(n: $t) -> Value {
                match i64::try_from(n) {
                    Ok(i) => Value::Int(i),
                    // Only a u64 or usize above i64::MAX.
                    Err(_) => u64::try_from(n).map_or(Value::Null, Value::UInt),
                }
            }
        }

        impl From<&$t> for Value {
            fn from(n: &$t) -> Value {
                Value::from(*n)
            }
        }

        impl PartialEq<$t> for Value {
            fn eq(&self, other: &$t) -> bool {
                match self {
                    Value::Int(i) => i128::from(*i) == *other as i128,
                    Value::UInt(u) => i128::from(*u) == *other as i128,
                    _ => false,
                }
            }
        }
    )*};
}

integers!(i8 i16 i32 i64 isize u8 u16 u32 u64 usize);

impl From<f64> for Value {
    fn from(f: f64) -> Value {
        if f.is_finite() {
            Value::Float(f)
        } else {
            Value::Null
        }
    }
}

impl From<f32> for Value {
    fn from(f: f32) -> Value {
        Value::from(f64::from(f))
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<&bool> for Value {
    fn from(b: &bool) -> Value {
        Value::Bool(*b)
    }
}

impl From<Str> for Value {
    fn from(s: Str) -> Value {
        Value::String(s)
    }
}

impl From<&Str> for Value {
    fn from(s: &Str) -> Value {
        Value::String(s.clone())
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(Str::from(s.to_string()))
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(Str::from(s))
    }
}

impl From<&String> for Value {
    fn from(s: &String) -> Value {
        Value::String(Str::from(s.clone()))
    }
}

impl From<Cow<'static, str>> for Value {
    fn from(s: Cow<'static, str>) -> Value {
        Value::String(Str::from(s))
    }
}

impl From<Map> for Value {
    fn from(m: Map) -> Value {
        Value::Object(m)
    }
}

impl From<&Value> for Value {
    fn from(v: &Value) -> Value {
        v.clone()
    }
}

impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(v: Vec<T>) -> Value {
        Value::Array(v.into_iter().map(Into::into).collect())
    }
}

impl<T: Clone + Into<Value>> From<&[T]> for Value {
    fn from(v: &[T]) -> Value {
        Value::Array(v.iter().cloned().map(Into::into).collect())
    }
}

impl<T: Clone + Into<Value>> From<&Vec<T>> for Value {
    fn from(v: &Vec<T>) -> Value {
        Value::from(v.as_slice())
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Value {
        v.map_or(Value::Null, Into::into)
    }
}

impl<T: Into<Value>> FromIterator<T> for Value {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Value {
        Value::Array(iter.into_iter().map(Into::into).collect())
    }
}

/// A value read back (from YAML or JSON).
impl From<serde_json::Value> for Value {
    fn from(v: serde_json::Value) -> Value {
        match v {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(b),
            serde_json::Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
                (Some(i), _, _) => Value::Int(i),
                (None, Some(u), _) => Value::UInt(u),
                (None, None, Some(f)) => Value::from(f),
                (None, None, None) => Value::Null,
            },
            serde_json::Value::String(s) => Value::from(s),
            serde_json::Value::Array(a) => Value::Array(a.into_iter().map(Value::from).collect()),
            serde_json::Value::Object(m) => Value::Object(m.into_iter().collect()),
        }
    }
}

impl serde::Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Int(i) => s.serialize_i64(*i),
            Value::UInt(u) => s.serialize_u64(*u),
            Value::Float(f) => s.serialize_f64(*f),
            Value::String(v) => s.serialize_str(v),
            Value::Array(a) => s.collect_seq(a),
            Value::Object(m) => m.serialize(s),
        }
    }
}

/// A literal of the `json!` macro, made a value when hybridc itself is
/// compiled (`const { Lit(…).value() }`): a string literal is borrowed and
/// classified ([`Str::literal`]); an integer literal is an `i64`.
#[doc(hidden)]
#[derive(Debug)]
pub struct Lit<T>(pub T);

impl Lit<&'static str> {
    pub const fn value(self) -> Value {
        Value::String(Str::literal(self.0))
    }

    /// For `yaml!`: classified for the YAML writer when hybridc is compiled.
    pub const fn emit(self) -> Str {
        Str::literal(self.0)
    }
}

impl Lit<i64> {
    pub const fn value(self) -> Value {
        Value::Int(self.0)
    }

    pub const fn emit(self) -> i64 {
        self.0
    }
}

/// `json!` writes `true` and `false` by its own rules; `yaml!` takes them
/// as literals.
impl Lit<bool> {
    pub const fn emit(self) -> bool {
        self.0
    }
}

impl Lit<f64> {
    pub const fn value(self) -> Value {
        Value::Float(self.0)
    }
}

/// The size from which a map also keeps a hash index of its keys (a
/// stack's `resources`, with one entry per resource), so that building a
/// large object stays linear; below it a key is found by comparing.
const INDEXED: usize = 32;

type Index = HashMap<Str, usize, foldhash::fast::FixedState>;

/// An object's entries, in insertion order.
#[derive(Clone, Default)]
pub struct Map {
    entries: Vec<(Str, Value)>,
    /// The position of every key, once there are more than [`INDEXED`].
    index: Option<Box<Index>>,
}

impl fmt::Debug for Map {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.entries.iter().map(|(k, v)| (k, v))).finish()
    }
}

/// The same entries, in any order (as serde_json's maps compare).
impl PartialEq for Map {
    fn eq(&self, other: &Map) -> bool {
        self.len() == other.len()
            && (self.entries.iter().zip(&other.entries).all(|((a, x), (b, y))| a == b && x == y)
                || self.entries.iter().all(|(k, v)| other.get(k) == Some(v)))
    }
}

impl Map {
    pub fn new() -> Map {
        Map::default()
    }

    /// An empty map with room for `n` entries (the `json!` macro's objects
    /// are made with room for all of theirs: none grows while it is built).
    pub fn with_capacity(n: usize) -> Map {
        Map { entries: Vec::with_capacity(n), index: None }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    #[inline(always)]
    fn position(&self, key: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index.get(key).copied(),
            None => {
                // The length and the first byte tell most keys apart
                // before a comparison of the bytes.
                let key = key.as_bytes();
                self.entries.iter().position(|(k, _)| {
                    let k = k.as_bytes();
                    k.len() == key.len() && k.first() == key.first() && k == key
                })
            }
        }
    }

    /// Rebuilds the index after a removal (or drops it when the map is
    /// small again).
    fn reindex(&mut self) {
        self.index = (self.entries.len() > INDEXED).then(|| {
            let mut index = Index::with_capacity_and_hasher(self.entries.len(), Default::default());
            for (i, (k, _)) in self.entries.iter().enumerate() {
                index.insert(k.clone(), i);
            }
            Box::new(index)
        });
    }

    /// Sets `key` to `value`: an existing key keeps its place and its old
    /// value is returned; a new one goes last.
    #[inline(always)]
    pub fn insert(&mut self, key: impl Into<Str>, value: Value) -> Option<Value> {
        let key = key.into();
        if let Some(slot) = self.position(&key).and_then(|i| self.entries.get_mut(i)) {
            return Some(std::mem::replace(&mut slot.1, value));
        }
        if let Some(index) = &mut self.index {
            index.insert(key.clone(), self.entries.len());
            self.entries.push((key, value));
        } else {
            self.entries.push((key, value));
            if self.entries.len() > INDEXED {
                self.reindex();
            }
        }
        None
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.position(key).and_then(|i| self.entries.get(i)).map(|(_, v)| v)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.position(key).and_then(|i| self.entries.get_mut(i)).map(|(_, v)| v)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.position(key).is_some()
    }

    /// Removes `key`, moving the last entry into its place (serde_json's
    /// `remove` with `preserve_order`).
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        self.swap_remove(key)
    }

    pub fn swap_remove(&mut self, key: &str) -> Option<Value> {
        let i = self.position(key)?;
        let (_, v) = self.entries.swap_remove(i);
        self.reindex();
        Some(v)
    }

    /// Removes `key`, keeping the order of the others.
    pub fn shift_remove(&mut self, key: &str) -> Option<Value> {
        let i = self.position(key)?;
        let (_, v) = self.entries.remove(i);
        self.reindex();
        Some(v)
    }

    /// Keeps the entries for which `f` is true, in order.
    pub fn retain(&mut self, mut f: impl FnMut(&Str, &mut Value) -> bool) {
        self.entries.retain_mut(|(k, v)| f(k, v));
        self.reindex();
    }

    /// The entry of `key`, to insert a value when there is none.
    pub fn entry(&mut self, key: impl Into<Str>) -> Entry<'_> {
        Entry { map: self, key: key.into() }
    }

    pub fn iter(&self) -> Iter<'_> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    pub fn iter_mut(&mut self) -> IterMut<'_> {
        self.entries.iter_mut().map(|(k, v)| (&*k, v))
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &Str> + ExactSizeIterator {
        self.entries.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &Value> + ExactSizeIterator {
        self.entries.iter().map(|(_, v)| v)
    }
}

pub type Iter<'a> = std::iter::Map<std::slice::Iter<'a, (Str, Value)>, fn(&'a (Str, Value)) -> (&'a Str, &'a Value)>;
pub type IterMut<'a> =
    std::iter::Map<std::slice::IterMut<'a, (Str, Value)>, fn(&'a mut (Str, Value)) -> (&'a Str, &'a mut Value)>;

impl std::ops::Index<&str> for Map {
    type Output = Value;
    /// The value of `key`, null when there is none.
    fn index(&self, key: &str) -> &Value {
        self.get(key).unwrap_or(&NULL)
    }
}

/// A key of a [`Map`] that may not be there yet (see [`Map::entry`]).
#[derive(Debug)]
pub struct Entry<'a> {
    map: &'a mut Map,
    key: Str,
}

impl<'a> Entry<'a> {
    /// The key's value, `f()` inserted first when there is none.
    pub fn or_insert_with(self, f: impl FnOnce() -> Value) -> &'a mut Value {
        let at = match self.map.position(&self.key) {
            Some(at) => at,
            None => {
                self.map.insert(self.key, f());
                self.map.entries.len() - 1
            }
        };
        // In range: found above, or the entry just pushed.
        #[allow(clippy::indexing_slicing)]
        &mut self.map.entries[at].1
    }

    pub fn or_insert(self, value: Value) -> &'a mut Value {
        self.or_insert_with(|| value)
    }

    pub fn or_default(self) -> &'a mut Value {
        self.or_insert_with(Value::default)
    }
}

impl<K: Into<Str>, V: Into<Value>> FromIterator<(K, V)> for Map {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Map {
        let mut m = Map::new();
        m.extend(iter);
        m
    }
}

impl<K: Into<Str>, V: Into<Value>> Extend<(K, V)> for Map {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v.into());
        }
    }
}

impl IntoIterator for Map {
    type Item = (Str, Value);
    type IntoIter = std::vec::IntoIter<(Str, Value)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<'a> IntoIterator for &'a Map {
    type Item = (&'a Str, &'a Value);
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl<'a> IntoIterator for &'a mut Map {
    type Item = (&'a Str, &'a mut Value);
    type IntoIter = IterMut<'a>;
    fn into_iter(self) -> IterMut<'a> {
        self.iter_mut()
    }
}

impl serde::Serialize for Map {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.entries.iter().map(|(k, v)| (k.as_str(), v)))
    }
}

/// Builds a [`Value`] with JSON syntax, as serde_json's `json!` (the rules
/// below are serde_json's, MIT or Apache-2.0): `json!({ "kind": "Service",
/// "spec": { "ports": ports } })`. Literal keys and string literals are
/// borrowed; an interpolated expression becomes a value by `Value::from`,
/// so a value, a map, a list or a `String` is moved into its place.
#[macro_export]
macro_rules! json {
    ($($json:tt)+) => {
        $crate::json_internal!($($json)+)
    };
}

#[macro_export]
#[doc(hidden)]
macro_rules! json_internal {

    // One for each comma between an object's entries (the room it is made
    // with: at least its number of entries, one more after a trailing
    // comma or a comma of a value's own, such as a closure's).
    (@comma ,) => {
        1usize
    };

    (@comma $other:tt) => {
        0usize
    };

    (@array [$($elems:expr,)*]) => {
        ::std::vec![$($elems,)*]
    };

    (@array [$($elems:expr),*]) => {
        ::std::vec![$($elems),*]
    };

    (@array [$($elems:expr,)*] null $($rest:tt)*) => {
        $crate::json_internal!(@array [$($elems,)* $crate::json_internal!(null)] $($rest)*)
    };

    (@array [$($elems:expr,)*] true $($rest:tt)*) => {
        $crate::json_internal!(@array [$($elems,)* $crate::json_internal!(true)] $($rest)*)
    };

    (@array [$($elems:expr,)*] false $($rest:tt)*) => {
        $crate::json_internal!(@array [$($elems,)* $crate::json_internal!(false)] $($rest)*)
    };

    (@array [$($elems:expr,)*] [$($array:tt)*] $($rest:tt)*) => {
        $crate::json_internal!(@array [$($elems,)* $crate::json_internal!([$($array)*])] $($rest)*)
    };

    (@array [$($elems:expr,)*] {$($map:tt)*} $($rest:tt)*) => {
        $crate::json_internal!(@array [$($elems,)* $crate::json_internal!({$($map)*})] $($rest)*)
    };

    (@array [$($elems:expr,)*] $next:literal, $($rest:tt)*) => {
        $crate::json_internal!(@array [$($elems,)* { const { $crate::value::Lit($next).value() } },] $($rest)*)
    };

    (@array [$($elems:expr,)*] $last:literal) => {
        $crate::json_internal!(@array [$($elems,)* { const { $crate::value::Lit($last).value() } }])
    };

    (@array [$($elems:expr,)*] $next:expr, $($rest:tt)*) => {
        $crate::json_internal!(@array [$($elems,)* $crate::json_internal!($next),] $($rest)*)
    };

    (@array [$($elems:expr,)*] $last:expr) => {
        $crate::json_internal!(@array [$($elems,)* $crate::json_internal!($last)])
    };

    (@array [$($elems:expr),*] , $($rest:tt)*) => {
        $crate::json_internal!(@array [$($elems,)*] $($rest)*)
    };

    (@array [$($elems:expr),*] $unexpected:tt $($rest:tt)*) => {
        $crate::json_unexpected!($unexpected)
    };


    (@object $object:ident () () ()) => {};

    (@object $object:ident [$key:literal] ($value:expr) , $($rest:tt)*) => {
        let _ = $object.insert(const { $crate::value::Str::literal($key) }, $value);
        $crate::json_internal!(@object $object () ($($rest)*) ($($rest)*));
    };

    (@object $object:ident [$key:literal] ($value:expr)) => {
        let _ = $object.insert(const { $crate::value::Str::literal($key) }, $value);
    };

    (@object $object:ident [$($key:tt)+] ($value:expr) , $($rest:tt)*) => {
        let _ = $object.insert(($($key)+), $value);
        $crate::json_internal!(@object $object () ($($rest)*) ($($rest)*));
    };

    (@object $object:ident [$($key:tt)+] ($value:expr) $unexpected:tt $($rest:tt)*) => {
        $crate::json_unexpected!($unexpected);
    };

    (@object $object:ident [$($key:tt)+] ($value:expr)) => {
        let _ = $object.insert(($($key)+), $value);
    };

    (@object $object:ident ($($key:tt)+) (: null $($rest:tt)*) $copy:tt) => {
        $crate::json_internal!(@object $object [$($key)+] ($crate::json_internal!(null)) $($rest)*);
    };

    (@object $object:ident ($($key:tt)+) (: true $($rest:tt)*) $copy:tt) => {
        $crate::json_internal!(@object $object [$($key)+] ($crate::json_internal!(true)) $($rest)*);
    };

    (@object $object:ident ($($key:tt)+) (: false $($rest:tt)*) $copy:tt) => {
        $crate::json_internal!(@object $object [$($key)+] ($crate::json_internal!(false)) $($rest)*);
    };

    (@object $object:ident ($($key:tt)+) (: [$($array:tt)*] $($rest:tt)*) $copy:tt) => {
        $crate::json_internal!(@object $object [$($key)+] ($crate::json_internal!([$($array)*])) $($rest)*);
    };

    (@object $object:ident ($($key:tt)+) (: {$($map:tt)*} $($rest:tt)*) $copy:tt) => {
        $crate::json_internal!(@object $object [$($key)+] ($crate::json_internal!({$($map)*})) $($rest)*);
    };

    (@object $object:ident ($($key:tt)+) (: $value:literal , $($rest:tt)*) $copy:tt) => {
        $crate::json_internal!(@object $object [$($key)+] ({ const { $crate::value::Lit($value).value() } }) , $($rest)*);
    };

    (@object $object:ident ($($key:tt)+) (: $value:literal) $copy:tt) => {
        $crate::json_internal!(@object $object [$($key)+] ({ const { $crate::value::Lit($value).value() } }));
    };

    (@object $object:ident ($($key:tt)+) (: $value:expr , $($rest:tt)*) $copy:tt) => {
        $crate::json_internal!(@object $object [$($key)+] ($crate::json_internal!($value)) , $($rest)*);
    };

    (@object $object:ident ($($key:tt)+) (: $value:expr) $copy:tt) => {
        $crate::json_internal!(@object $object [$($key)+] ($crate::json_internal!($value)));
    };

    (@object $object:ident ($($key:tt)+) (:) $copy:tt) => {
        $crate::json_internal!();
    };

    (@object $object:ident ($($key:tt)+) () $copy:tt) => {
        $crate::json_internal!();
    };

    (@object $object:ident () (: $($rest:tt)*) ($colon:tt $($copy:tt)*)) => {
        $crate::json_unexpected!($colon);
    };

    (@object $object:ident ($($key:tt)*) (, $($rest:tt)*) ($comma:tt $($copy:tt)*)) => {
        $crate::json_unexpected!($comma);
    };

    (@object $object:ident () (($key:expr) : $($rest:tt)*) $copy:tt) => {
        $crate::json_internal!(@object $object ($key) (: $($rest)*) (: $($rest)*));
    };

    (@object $object:ident ($($key:tt)*) (: $($unexpected:tt)+) $copy:tt) => {
        $crate::json_expect_expr_comma!($($unexpected)+);
    };

    (@object $object:ident ($($key:tt)*) ($tt:tt $($rest:tt)*) $copy:tt) => {
        $crate::json_internal!(@object $object ($($key)* $tt) ($($rest)*) ($($rest)*));
    };


    (null) => {
        $crate::value::Value::Null
    };

    (true) => {
        $crate::value::Value::Bool(true)
    };

    (false) => {
        $crate::value::Value::Bool(false)
    };

    ([]) => {
        $crate::value::Value::Array(::std::vec![])
    };

    ([ $($tt:tt)+ ]) => {
        $crate::value::Value::Array($crate::json_internal!(@array [] $($tt)+))
    };

    ({}) => {
        $crate::value::Value::Object($crate::value::Map::new())
    };

    ({ $($tt:tt)+ }) => {
        $crate::value::Value::Object({
            let mut object = $crate::value::Map::with_capacity(1 $(+ $crate::json_internal!(@comma $tt))*);
            $crate::json_internal!(@object object () ($($tt)+) ($($tt)+));
            object
        })
    };

    ($lit:literal) => {
        { const { $crate::value::Lit($lit).value() } }
    };

    ($other:expr) => {
        $crate::value::Value::from($other)
    };
}

/// A literal key for [`Map::insert`], borrowed and classified for YAML when
/// hybridc is compiled, as `json!` does with its literal keys:
/// `m.insert(key!("name"), value)`.
#[macro_export]
macro_rules! key {
    ($key:literal) => {
        const { $crate::value::Str::literal($key) }
    };
}

#[macro_export]
#[doc(hidden)]
macro_rules! json_unexpected {
    () => {};
}

#[macro_export]
#[doc(hidden)]
macro_rules! json_expect_expr_comma {
    ($e:expr , $($tt:tt)*) => {};
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The macro builds what serde_json's builds, literals borrowed.
    #[test]
    fn same_values_as_serde_json() {
        let inner = json!({ "b": [1, "two", null], "c": { "d": true } });
        let s = String::from("x");
        let n: u16 = 8080;
        let mine = json!({ "a": inner.clone(), "s": s.clone(), "r": &s, "n": n, "f": 1.5, "neg": -3, "list": vec![Value::from(1)], "lit": [false, {}] });
        let theirs = serde_json::json!({ "a": serde_json::to_value(&inner).unwrap(), "s": s, "r": &s, "n": n, "f": 1.5, "neg": -3, "list": [1], "lit": [false, {}] });
        assert_eq!(serde_json::to_string(&mine).unwrap(), serde_json::to_string(&theirs).unwrap());
        assert_eq!(Value::from(theirs), mine);
        let Value::Object(m) = &mine else { panic!() };
        // Every literal key is marked plain but `n` (YAML 1.1's false).
        assert!(m.keys().all(|k| k.known_plain() == (k != "n")));
        assert!(matches!(inner["b"][1], Value::String(Str(Repr::Plain("two")))));
        // Written quoted, so not marked plain.
        assert!(matches!(json!("yes"), Value::String(Str(Repr::Static("yes")))));
        assert!(matches!(
            json!({ "1.30": 1 }).as_object().and_then(|m| m.keys().next()),
            Some(Str(Repr::Static("1.30")))
        ));
    }

    /// An object of the macro is made with room for all of its entries,
    /// whatever its values hold (commas of their own included).
    #[test]
    fn objects_are_made_with_room_for_their_entries() {
        let pair = (1, 2);
        let add = |x: i64, y: i64| x + y;
        let objects = [
            json!({ "a": 1 }),
            json!({ "a": 1, "b": [1, 2, 3], "c": { "d": 4, "e": 5 }, }),
            json!({ "a": pair.0, "b": Value::from(vec![pair.0, pair.1]), "c": add(1, 2), "d": HashMap::<String, i64>::new().len() }),
        ];
        for (object, entries) in objects.iter().zip([1, 3, 4]) {
            let Value::Object(m) = object else { panic!("{object}") };
            assert_eq!(m.len(), entries, "{object}");
            assert!(m.entries.capacity() >= entries, "{object}");
        }
    }

    #[test]
    fn maps_behave_as_serde_jsons() {
        let mut m = Map::new();
        assert_eq!(m.insert("a", json!(1)), None);
        assert_eq!(m.insert("b", json!(2)), None);
        assert_eq!(m.insert("c", json!(3)), None);
        // Replacing keeps the place.
        assert_eq!(m.insert("a".to_string(), json!(4)), Some(json!(1)));
        assert_eq!(m.keys().map(Str::as_str).collect::<Vec<_>>(), ["a", "b", "c"]);
        // `remove` moves the last entry into the place, `shift_remove` keeps order.
        let mut swapped = m.clone();
        assert_eq!(swapped.remove("a"), Some(json!(4)));
        assert_eq!(swapped.keys().map(Str::as_str).collect::<Vec<_>>(), ["c", "b"]);
        assert_eq!(m.shift_remove("a"), Some(json!(4)));
        assert_eq!(m.keys().map(Str::as_str).collect::<Vec<_>>(), ["b", "c"]);
        // Equal in any order.
        assert_eq!(swapped, m);
        assert_ne!(json!({ "b": 2 }), json!({ "b": 2, "c": 3 }));
        *m.entry("d").or_insert_with(|| json!([])) = json!("x");
        assert_eq!(m.entry("d").or_insert(json!(0)), &json!("x"));
        assert_eq!(json!({ "k": m.clone() })["k"]["d"], "x");
        assert!(json!({})["missing"][3].is_null());
        // A key given twice keeps its first place and its last value.
        let twice = json!({ "a": 1, "b": 2, "a": 3 });
        assert_eq!(twice.to_string(), r#"{"a":3,"b":2}"#);
    }

    /// A large map indexes its keys, and behaves the same.
    #[test]
    fn large_maps_are_indexed() {
        let mut m = Map::new();
        let mut plain = Vec::new();
        for i in 0..200 {
            m.insert(format!("k{}", i % 150), json!(i));
            if let Some(slot) = plain.iter_mut().find(|(k, _): &&mut (String, i32)| *k == format!("k{}", i % 150)) {
                slot.1 = i;
            } else {
                plain.push((format!("k{}", i % 150), i));
            }
        }
        assert!(m.index.is_some());
        let got: Vec<(String, Value)> = m.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
        let want: Vec<(String, Value)> = plain.iter().map(|(k, v)| (k.clone(), json!(*v))).collect();
        assert_eq!(got, want);
        assert_eq!(m.shift_remove("k0"), Some(json!(150)));
        assert_eq!(m.get("k1"), Some(&json!(151)));
        assert_eq!(m.get("k149"), Some(&json!(149)));
        m.retain(|k, _| k.len() == 2);
        assert_eq!(m.len(), 9);
        assert!(m.index.is_none());
        assert_eq!(m.get("k5"), Some(&json!(155)));
    }

    #[test]
    fn numbers_have_one_form() {
        assert_eq!(Value::from(5u64), Value::from(5i32));
        assert_eq!(Value::from(u64::MAX), Value::UInt(u64::MAX));
        assert!(Value::from(f64::NAN).is_null());
        assert_eq!(Value::from(serde_json::json!(u64::MAX)), Value::UInt(u64::MAX));
        assert_eq!(Value::from(serde_json::json!(-2)), json!(-2));
        assert_eq!(Value::from(serde_json::json!(2.5)), json!(2.5));
        assert_eq!(json!({ "a": [1.5, "x"] }).to_string(), r#"{"a":[1.5,"x"]}"#);
    }
}
