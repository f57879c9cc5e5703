// Package clientcompat holds the tests that drive the embedded node and a
// real factomd with the official github.com/FactomProject/factom v0.4.0
// client.
package clientcompat

import _ "github.com/FactomProject/factom"
