//go:build !unix

package sqlite

import "errors"

// ErrLocked: another store (in this process or another) accepts records
// into the database file.
var ErrLocked = errors.New("the database is in use by another store")

// lockFile does not lock where flock is missing: run one gateway per
// database file there.
func lockFile(string) (unlock func(), err error) { return func() {}, nil }
