// Package protocol holds the Factom wire formats and hash rules that the
// embedded node (package node), the adapter (package factom) and the
// compatibility tools share: entries and chain ids, commit messages signed
// with entry-credit keys, entry blocks, directory blocks, entry-credit,
// admin and factoid blocks, Merkle trees and receipts, human-readable
// addresses and factoid transactions.
//
// Every layout follows factomd 6.13 byte for byte; the golden vectors under
// adapters/factom/testdata were captured from a real factomd and are checked
// by this package's tests.
package protocol
