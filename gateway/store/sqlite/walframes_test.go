package sqlite

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ledgergate/ledgergate/gateway/store/sqlstore"
	"github.com/ledgergate/ledgergate/gateway/store/storetest"
)

// BenchmarkWALFrames reports what accepting records writes to the WAL,
// by B-tree: it fills a store with walBase records (storetest.Fill:
// random ids, varied codes, 256 callers), checkpoints, accepts walMore
// more with automatic checkpoints off, and then reads the page number of
// every WAL frame and finds each page's table or index in dbstat. A frame
// is one 4 KiB page written once (two pwrite calls), and every frame is
// written again to the database by a later checkpoint, so frames per
// record are the store's write cost (docs/performance.md). Run it with
// -benchtime 1x; one iteration takes about 15 s.
func BenchmarkWALFrames(b *testing.B) {
	const walBase, walMore = 100_000, 20_000
	ctx := context.Background()
	for b.Loop() {
		path := filepath.Join(b.TempDir(), "wal.db")
		pragmas := writerPragmas(options{checkpointPages: 0}) // wal_autocheckpoint(0): no automatic checkpoints
		db, err := open(path, 1, true, pragmas...)
		if err != nil {
			b.Fatal(err)
		}
		s, err := sqlstore.New(ctx, db, Dialect)
		if err != nil {
			b.Fatal(err)
		}
		storetest.Fill(b, s, walBase)
		if _, err := db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
			b.Fatal(err)
		}
		storetest.Fill(b, s, walBase+walMore) // the same walBase records first (Fill is deterministic), then walMore new ones
		pages, frames, err := walPages(path + "-wal")
		if err != nil {
			b.Fatal(err)
		}
		owners := map[uint32]string{}
		rows, err := db.QueryContext(ctx, "SELECT name, pageno FROM dbstat")
		if err != nil {
			b.Fatal(err)
		}
		for rows.Next() {
			var name string
			var page uint32
			if err := rows.Scan(&name, &page); err != nil {
				b.Fatal(err)
			}
			owners[page] = name
		}
		if err := rows.Close(); err != nil {
			b.Fatal(err)
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
		byOwner := map[string]int{}
		for page, n := range pages {
			owner := owners[page]
			if owner == "" {
				owner = "(free or new)"
			}
			byOwner[owner] += n
		}
		names := make([]string, 0, len(byOwner))
		for name := range byOwner {
			names = append(names, name)
		}
		slices.SortFunc(names, func(x, y string) int { return byOwner[y] - byOwner[x] })
		var report strings.Builder
		fmt.Fprintf(&report, "%d records on %d: %d WAL frames, %.2f a record\n", walMore, walBase, frames, float64(frames)/walMore)
		for _, name := range names {
			fmt.Fprintf(&report, "  %-30s %.3f frames/record\n", name, float64(byOwner[name])/walMore)
		}
		b.Log(report.String())
		b.ReportMetric(float64(frames)/walMore, "frames/record")
		b.ReportMetric(float64(byOwner["sqlite_autoindex_records_1"])/walMore, "record-id-index-frames/record")
	}
}

// walPages counts the frames of a WAL file by database page.
func walPages(path string) (map[uint32]int, int, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	var hdr [32]byte // WAL header: magic, version, page size, ...
	if _, err := io.ReadFull(f, hdr[:]); err != nil {
		return nil, 0, fmt.Errorf("WAL header: %w", err)
	}
	size := int64(binary.BigEndian.Uint32(hdr[8:12]))
	pages := map[uint32]int{}
	frames := 0
	var fh [24]byte // frame header: page number, ...
	for off := int64(32); ; off += 24 + size {
		if _, err := f.ReadAt(fh[:], off); err == io.EOF {
			break
		} else if err != nil {
			return nil, 0, err
		}
		pages[binary.BigEndian.Uint32(fh[:4])]++
		frames++
	}
	return pages, frames, nil
}
