package sqlite

import (
	"sync"

	"modernc.org/libc"
)

// pinAllocatorPages works around a cost in modernc.org/sqlite's C
// allocator (modernc.org/memory): blocks up to 16 KiB are carved, by size
// class, from 64 KiB mmap'ed pages, and a page is unmapped as soon as its
// last block is freed. Accepting a batch allocates and frees, over and
// over, blocks of 4 to 16 KiB: every bound record (the driver copies each
// []byte and string argument into C memory; a canonical record is 1-4 KiB),
// the page buffer and the cell scratch space SQLite takes to split a
// B-tree page. Whenever the last of them in a page is freed the page is
// unmapped, and the next allocation maps a fresh one and faults in every
// 4 KiB of it: up to 2.5 page faults per record, a fifth of its CPU time.
// Keeping one block of each of a few pages per class allocated for the
// life of the process keeps those pages mapped and their free blocks
// reused (docs/performance.md). Page-sized scratch buffers, whose class
// the page caches fill, have a pool of their own (scratch.go).
var pinAllocatorPages = sync.OnceFunc(func() {
	tls := libc.NewTLS()
	defer tls.Close()
	const (
		pageMask = 1<<16 - 1 // the allocator's pages are 64 KiB, aligned
		pages    = 8         // kept mapped per class
	)
	for _, class := range []struct{ size, perPage int }{
		{3 << 10, 15}, // 4 KiB blocks
		{6 << 10, 7},  // 8 KiB blocks
		{12 << 10, 3}, // 16 KiB blocks
	} {
		kept := map[uintptr]bool{} // by page
		var free []uintptr
		for range pages * class.perPage {
			p := libc.Xmalloc(tls, libc.Tsize_t(class.size))
			if p == 0 {
				break
			}
			if pg := p &^ pageMask; !kept[pg] {
				kept[pg] = true // this block stays allocated: its page stays mapped
				continue
			}
			free = append(free, p)
		}
		for _, p := range free {
			libc.Xfree(tls, p)
		}
	}
})
