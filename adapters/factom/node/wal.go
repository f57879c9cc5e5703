package node

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
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
	off    int64 // end of the last intact record
	noSync bool
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
	return &wal{f: f, off: int64(good), noSync: noSync}, nil
}

// append writes one record and fsyncs it.
func (w *wal) append(rec []byte) error {
	if w.f == nil {
		return errors.New("node: log closed")
	}
	buf := make([]byte, 8, 8+len(rec))
	binary.BigEndian.PutUint32(buf, uint32(len(rec)))
	binary.BigEndian.PutUint32(buf[4:], crc32.Checksum(rec, castagnoli))
	buf = append(buf, rec...)
	_, err := w.f.Write(buf)
	if err == nil && !w.noSync {
		err = w.f.Sync()
	}
	if err != nil {
		// Leave no torn record behind for the next append to follow.
		_ = w.f.Truncate(w.off)
		_, _ = w.f.Seek(w.off, io.SeekStart)
		return fmt.Errorf("node: append to log: %w", err)
	}
	w.off += int64(len(buf))
	return nil
}

func (w *wal) close() error {
	if w.f == nil {
		return nil
	}
	err := w.f.Close()
	w.f = nil
	return err
}
