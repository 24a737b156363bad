//! The global allocator of the `hybridc` binary and of the bench (`cargo
//! xtask`, so that it measures the same): mimalloc 2, called through its
//! plain entry points (`mi_malloc`, `mi_zalloc`, `mi_realloc`) whenever
//! every block they return is aligned enough — an alignment of at most
//! `MI_MAX_ALIGN_SIZE` (16 bytes) and at most the size, the rule the
//! standard library's own allocator follows for `malloc` — and through
//! the aligned ones otherwise. The `mimalloc` crate's allocator takes the
//! aligned path for every allocation, which costs each a few instructions
//! more for nothing. The one crate of the workspace with `unsafe` code.

#![no_std]

use core::alloc::{GlobalAlloc, Layout};
use core::ffi::c_void;
use libmimalloc_sys as mi;

/// The alignment of every mimalloc block of at least this many bytes
/// (`MI_MAX_ALIGN_SIZE`); smaller blocks are aligned to their size class.
const MAX_ALIGN: usize = 16;

/// mimalloc as the global allocator:
/// `#[global_allocator] static ALLOCATOR: hybrid_alloc::Allocator = hybrid_alloc::Allocator;`
#[derive(Debug, Clone, Copy, Default)]
pub struct Allocator;

/// Whether a plain mimalloc block of `size` bytes is aligned to `align`.
#[inline(always)]
fn plain(align: usize, size: usize) -> bool {
    align <= MAX_ALIGN && align <= size
}

// SAFETY: every block comes from mimalloc and goes back to it; a block is
// asked for with its layout's alignment whenever a plain one might not
// have it (see `plain`), and `mi_free` frees blocks of either kind.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Allocator {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if plain(layout.align(), layout.size()) {
            mi::mi_malloc(layout.size()).cast()
        } else {
            mi::mi_malloc_aligned(layout.size(), layout.align()).cast()
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if plain(layout.align(), layout.size()) {
            mi::mi_zalloc(layout.size()).cast()
        } else {
            mi::mi_zalloc_aligned(layout.size(), layout.align()).cast()
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        mi::mi_free(ptr.cast::<c_void>());
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if plain(layout.align(), new_size) {
            mi::mi_realloc(ptr.cast::<c_void>(), new_size).cast()
        } else {
            mi::mi_realloc_aligned(ptr.cast::<c_void>(), new_size, layout.align()).cast()
        }
    }
}
