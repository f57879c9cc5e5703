module github.com/ledgergate/ledgergate/testnet/factomd

go 1.26.8

require (
	github.com/FactomProject/factom v0.4.0
	github.com/ledgergate/ledgergate v0.0.0-00010101000000-000000000000
)

require (
	github.com/FactomProject/basen v0.0.0-20150613233007-fe3947df716e // indirect
	github.com/FactomProject/btcutil v0.0.0-20160826074221-43986820ccd5 // indirect
	github.com/FactomProject/btcutilecc v0.0.0-20130527213604-d3a63a5752ec // indirect
	github.com/FactomProject/ed25519 v0.0.0-20150814230546-38002c4fe7b6 // indirect
	github.com/FactomProject/go-bip32 v0.3.5 // indirect
	github.com/FactomProject/go-bip39 v0.3.5 // indirect
	github.com/FactomProject/go-bip44 v0.0.0-20190306062959-b541a96d8da9 // indirect
	github.com/FactomProject/go-simplejson v0.5.0 // indirect
	github.com/FactomProject/netki-go-partner-client v0.0.0-20160324224126-426acb535e66 // indirect
	github.com/gowebpki/jcs v1.0.1 // indirect
	github.com/santhosh-tekuri/jsonschema/v6 v6.0.2 // indirect
	golang.org/x/crypto v0.37.0 // indirect
	golang.org/x/net v0.38.0 // indirect
	golang.org/x/text v0.24.0 // indirect
)

replace github.com/ledgergate/ledgergate => ../..
