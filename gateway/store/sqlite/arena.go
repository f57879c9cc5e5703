package sqlite

import (
	"sync"

	"modernc.org/libc"
)

// keepSlack works around a cost in modernc.org/sqlite's C allocator
// (modernc.org/memory). Blocks up to 16 KiB are carved, by size class
// (powers of two), from 64 KiB mmap'ed pages, and a page is unmapped as
// soon as its last block is freed. When a class's pages are all full, the
// next allocation maps a fresh page and faults its memory in; if that
// block is freed before any other lands on the page, the page is unmapped
// again, and the next allocation maps one more. A batch of accepts
// allocates and frees blocks of 4 to 16 KiB over and over: the copy of
// every bound record (1-4 KiB), the scratch space of every B-tree page
// split, FTS5's buffers. The 8 KiB class also holds every line of the page
// caches (a 4 KiB page and its header), which fill its pages exactly; at
// that boundary each split mapped and unmapped a page, up to 8,000 times
// a second, with a page fault for every 4 KiB touched (docs/performance.md,
// "Session 8").
//
// Before each batch the writer calls keepSlack: it takes a few blocks of
// each class and keeps one block of every page they come from that it has
// not seen before, freeing the others. A page that keeps a block is never
// unmapped, and when a class had no free block the block taken comes
// from a new page, whose other blocks are then free for the batch. Pages
// of these classes are therefore kept once mapped; they are reused, the
// way a C library's malloc keeps its small-block arenas.
//
// (Page-sized scratch buffers also have a pool of their own: scratch.go.)
func keepSlack() {
	slack.Lock()
	defer slack.Unlock()
	if slack.tls == nil {
		slack.tls = libc.NewTLS() // kept for the process's life, like the pages
		slack.kept = map[uintptr]bool{}
	}
	const pageMask = 1<<16 - 1 // the allocator's pages are 64 KiB, aligned
	var free [len(slackClasses) * slackBlocks]uintptr
	n := 0
	for _, size := range slackClasses {
		for range slackBlocks {
			p := libc.Xmalloc(slack.tls, libc.Tsize_t(size))
			if p == 0 {
				break
			}
			if pg := p &^ pageMask; !slack.kept[pg] {
				slack.kept[pg] = true // this block stays allocated: its page stays mapped
				continue
			}
			free[n] = p
			n++
		}
	}
	for _, p := range free[:n] {
		libc.Xfree(slack.tls, p)
	}
}

// slack is keepSlack's state: the pages it keeps, shared by the writers
// of every store in the process (the allocator is the process's).
var slack struct {
	sync.Mutex
	tls  *libc.TLS
	kept map[uintptr]bool // by page
}

// slackClasses are block sizes in each class keepSlack keeps free
// blocks of (with the allocator's 16-byte rounding, the classes of 2, 4,
// 8 and 16 KiB), and slackBlocks how many it takes of each.
var slackClasses = [...]int{1536, 3 << 10, 6 << 10, 12 << 10}

const slackBlocks = 4
