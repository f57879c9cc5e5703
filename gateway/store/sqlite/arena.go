package sqlite

import (
	"sync"

	"modernc.org/libc"
)

// pinBindPages works around a cost in modernc.org/sqlite's C allocator
// (modernc.org/memory): the driver copies every bound []byte or string
// into C memory, allocated in size classes carved from 64 KiB mmap'ed
// pages, and a page is unmapped as soon as its last slot is freed. A
// record's canonical form (1-4 KiB) binds into the 4 KiB class; a
// multi-row insert allocates a few pages of it and frees them all when it
// has run, so the next insert maps fresh pages and takes a page fault on
// every slot it writes. Keeping one slot of each of a few pages allocated
// for the life of the process keeps those pages mapped and their free
// slots reused (docs/performance.md).
var pinBindPages = sync.OnceFunc(func() {
	tls := libc.NewTLS()
	defer tls.Close()
	const (
		slot     = 3000      // any size in (2048, 4096] lands in the 4 KiB class
		pageMask = 1<<16 - 1 // the allocator's pages are 64 KiB, aligned
		slots    = 8 * 15    // about 8 pages of 15 slots
	)
	kept := map[uintptr]bool{} // by page
	for range slots {
		p := libc.Xmalloc(tls, slot)
		if p == 0 {
			return
		}
		if pg := p &^ pageMask; !kept[pg] {
			kept[pg] = true // this slot stays allocated: its page stays mapped
			continue
		}
		defer libc.Xfree(tls, p)
	}
})
