package sqlite

import (
	"encoding/binary"
	"fmt"

	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

// Page-sized scratch buffers come from a pool of their own.
//
// Every B-tree page split takes a page-sized scratch buffer
// (sqlite3PageMalloc in balance) and frees it when the split is done.
// Without a configured pool these come from the C allocator, where a
// 4 KiB page plus its header falls in the 8 KiB class, the class that
// also holds every line of the page caches (a page plus its header,
// about 4.3 KiB). Once the writer's cache has filled, the class has no
// free block left, so each split mapped a fresh 64 KiB allocator page
// and unmapped it again a moment later: about 8,000 mmap/munmap pairs a
// second under batched ingest, 14% of the process's CPU, all of it on
// the single writer (docs/performance.md, "Session 8"). keepSlack
// (arena.go) now keeps free blocks in that class too, but a buffer of
// the pool costs no allocator call at all.
//
// SQLITE_CONFIG_PAGECACHE hands SQLite a pool for page-cache allocations
// of at most a slot's size. With slots of exactly one page only the
// page-sized buffers fit (cache lines are larger and still come from the
// allocator): the split scratch and each connection's two long-lived
// temporary pages. scratchSlots of them serve the connections of about
// twenty open stores; past that, requests fall back to the allocator as
// before. The pool costs 1 MiB.
const (
	scratchPage  = 4096 // the store's page size (SQLite's default)
	scratchSlots = 256
)

// scratchPool is the outcome of configuring the pool. SQLite accepts the
// setting only before it initialises, which it does when the process
// opens its first database, so it is configured when this package
// initialises, before any code of the process can open one. The pool's
// memory is mapped then but touched only when SQLite initialises. Should
// configuring fail, the stores work as before, only slower.
var scratchPool = configureScratch()

func configureScratch() error {
	tls := libc.NewTLS()
	defer tls.Close()
	buf := libc.Xmalloc(tls, libc.Tsize_t(scratchPage*scratchSlots)) // never freed: SQLite keeps using it
	if buf == 0 {
		return fmt.Errorf("sqlite: scratch pool: out of memory")
	}
	va := libc.NewVaList(buf, int32(scratchPage), int32(scratchSlots))
	defer libc.Xfree(tls, va)
	if rc := sqlite3.Xsqlite3_config(tls, sqlite3.SQLITE_CONFIG_PAGECACHE, va); rc != sqlite3.SQLITE_OK {
		libc.Xfree(tls, buf)
		return fmt.Errorf("sqlite: scratch pool: sqlite3_config(SQLITE_CONFIG_PAGECACHE) returned %d (SQLite was initialised before the first store opened)", rc)
	}
	return nil
}

// scratchInUse reports how many of the pool's slots are in use, and the
// most that ever were (SQLITE_STATUS_PAGECACHE_USED).
func scratchInUse() (cur, high int64) {
	tls := libc.NewTLS()
	defer tls.Close()
	p := libc.Xmalloc(tls, 16)
	defer libc.Xfree(tls, p)
	sqlite3.Xsqlite3_status64(tls, sqlite3.SQLITE_STATUS_PAGECACHE_USED, p, p+8, 0)
	b := libc.GoBytes(p, 16)
	return int64(binary.NativeEndian.Uint64(b)), int64(binary.NativeEndian.Uint64(b[8:]))
}
