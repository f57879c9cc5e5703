package node

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
)

// The ledger is an append-only log of the node's inputs (funding, accepted
// commits and reveals, block seals), replayed on start. Each record is
// length (4, BE) | CRC-32C of the payload (4, BE) | payload, where the
// payload's first byte is the record type. A torn last record (a crash
// mid-append) is cut off on open.

const logName = "factom.log"

// Record types.
const (
	recHeader byte = 'H' // version (1) | network id (4) | EC rate (8)
	recFund   byte = 'F' // EC public key (32) | credits (8)
	recCommit byte = 'C' // minute (1) | commit message (136 or 200)
	recReveal byte = 'R' // minute (1) | entry binary
	recSeal   byte = 'S' // timestamp minutes (4) | directory block KeyMR (32)
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

type wal struct {
	f      *os.File
	off    atomic.Int64 // end of the last record written (appends hold Node.mu)
	noSync bool

	// Group commit: one fsync covers every record written before it.
	smu     sync.Mutex
	cond    *sync.Cond
	synced  int64 // end of the last fsynced record
	syncing bool
	serr    error // a failed fsync: the log is unusable
}

// openWAL opens (creating) the log in dir, calls replay for each intact
// record in order, cuts off a torn tail and returns the log ready to
// append.
func openWAL(dir string, noSync bool, replay func(rec []byte) error) (*wal, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("node: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(dir, logName), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("node: open log: %w", err)
	}
	data, err := io.ReadAll(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("node: read log: %w", err)
	}
	good := 0
	for off := 0; off < len(data); {
		if len(data)-off < 8 {
			break
		}
		n := int(binary.BigEndian.Uint32(data[off:]))
		sum := binary.BigEndian.Uint32(data[off+4:])
		if n == 0 || len(data)-off-8 < n {
			break
		}
		rec := data[off+8 : off+8+n]
		if crc32.Checksum(rec, castagnoli) != sum {
			break
		}
		if err := replay(rec); err != nil {
			f.Close()
			return nil, fmt.Errorf("node: replay record at offset %d: %w", off, err)
		}
		off += 8 + n
		good = off
	}
	if good < len(data) {
		if err := f.Truncate(int64(good)); err != nil {
			f.Close()
			return nil, fmt.Errorf("node: cut torn log tail: %w", err)
		}
	}
	if _, err := f.Seek(int64(good), io.SeekStart); err != nil {
		f.Close()
		return nil, fmt.Errorf("node: %w", err)
	}
	w := &wal{f: f, noSync: noSync, synced: int64(good)}
	w.off.Store(int64(good))
	w.cond = sync.NewCond(&w.smu)
	return w, nil
}

// append writes one record (the caller holds Node.mu) and returns the
// log offset it ends at; it is durable once sync(offset) returns.
func (w *wal) append(rec []byte) (int64, error) {
	if w.f == nil {
		return 0, errors.New("node: log closed")
	}
	buf := make([]byte, 8, 8+len(rec))
	binary.BigEndian.PutUint32(buf, uint32(len(rec)))
	binary.BigEndian.PutUint32(buf[4:], crc32.Checksum(rec, castagnoli))
	buf = append(buf, rec...)
	off := w.off.Load()
	if _, err := w.f.Write(buf); err != nil {
		// Leave no torn record behind for the next append to follow.
		_ = w.f.Truncate(off)
		_, _ = w.f.Seek(off, io.SeekStart)
		return 0, fmt.Errorf("node: append to log: %w", err)
	}
	w.off.Store(off + int64(len(buf)))
	return off + int64(len(buf)), nil
}

// sync returns once the log is fsynced up to off. Concurrent callers share
// fsyncs (group commit). It does not need Node.mu.
func (w *wal) sync(off int64) error {
	if w.noSync {
		return nil
	}
	w.smu.Lock()
	defer w.smu.Unlock()
	for w.synced < off {
		if w.serr != nil {
			return w.serr
		}
		if w.syncing {
			w.cond.Wait()
			continue
		}
		w.syncing = true
		target := w.off.Load()
		w.smu.Unlock()
		err := w.f.Sync()
		w.smu.Lock()
		w.syncing = false
		if err != nil {
			w.serr = fmt.Errorf("node: sync log: %w", err)
		} else {
			w.synced = max(w.synced, target)
		}
		w.cond.Broadcast()
	}
	return nil
}

// write appends a record and waits until it is durable.
func (w *wal) write(rec []byte) error {
	off, err := w.append(rec)
	if err != nil {
		return err
	}
	return w.sync(off)
}

func (w *wal) close() error {
	if w.f == nil {
		return nil
	}
	err := w.f.Close()
	w.f = nil
	return err
}
