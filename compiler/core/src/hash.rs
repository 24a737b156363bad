//! The maps of the compiler's own lookups, hashed by foldhash with a fixed
//! seed (hashbrown's default hasher) instead of the standard library's
//! SipHash: looking schema nodes, names and ids up was a sixth of decoding
//! and resolving, most of it hashing short keys. SipHash's resistance to
//! chosen collisions buys nothing here; the fixed seed keeps every run
//! alike. Maps that are iterated are `IndexMap`s, in insertion order, so
//! the hasher never reaches the output.

/// A `HashMap` for lookups only (never iterated into output).
pub type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;

/// An `IndexMap`: lookups by hash, iteration in insertion order.
pub type IndexMap<K, V> = indexmap::IndexMap<K, V, foldhash::fast::FixedState>;
