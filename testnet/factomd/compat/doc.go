// Package compat holds ledgergate's compatibility tests against a real
// factomd 6.13 and with the official github.com/FactomProject/factom
// v0.4.0 client (all in _test.go files):
//
//   - TestOfficialClient drives the embedded node (always) and factomd with
//     the official client: commit/reveal of a chain and an entry, reads,
//     receipts, acks, balances.
//   - TestGoldenLive captures vectors from factomd and checks the protocol
//     package against them (-update rewrites the checked-in vectors).
//   - TestConformanceFactomd runs conformance.TestAdapter against factomd.
//
// Tests that need factomd skip when it cannot be built or started, and fail
// instead when CI=true.
package compat
