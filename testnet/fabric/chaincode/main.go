// Command chaincode is ledgergate's records chaincode for Hyperledger
// Fabric (contract API v2), run as a chaincode-as-a-service process: the
// peers dial it over gRPC.
//
// It stores common-schema records under the disclosure the adapter chose
// (the canonical record, a redacted canonical record, or only the digest),
// validating full records with ledgergate's own schema package; keeps every
// version write-once with a head pointer per id; indexes records by type
// and issuer with composite keys (LevelDB state, no CouchDB); and emits a
// RecordWritten event per write. See docs/adapters/fabric.md.
//
// Environment: CHAINCODE_ID is the package id (peer lifecycle chaincode
// calculatepackageid); CHAINCODE_SERVER_ADDRESS the host:port to listen on.
// CHAINCODE_TLS_CERT / CHAINCODE_TLS_KEY (PEM files), when set, make the
// server use TLS; CHAINCODE_TLS_CLIENT_CA additionally requires client
// certificates issued by that CA.
package main

import (
	"log"
	"os"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/ledgergate/ledgergate/schema"
)

func main() {
	rc := &RecordsContract{reg: schema.Default()}
	rc.Name = "records"
	rc.Info.Title = "ledgergate records"
	rc.Info.Version = "1.0.0"
	cc, err := contractapi.NewChaincode(rc)
	if err != nil {
		log.Fatalf("create chaincode: %v", err)
	}
	cc.DefaultContract = rc.Name
	srv := &shim.ChaincodeServer{
		CCID:    os.Getenv("CHAINCODE_ID"),
		Address: os.Getenv("CHAINCODE_SERVER_ADDRESS"),
		CC:      cc,
	}
	if srv.CCID == "" || srv.Address == "" {
		log.Fatal("CHAINCODE_ID and CHAINCODE_SERVER_ADDRESS must be set")
	}
	srv.TLSProps = shim.TLSProperties{Disabled: true}
	if certFile, keyFile := os.Getenv("CHAINCODE_TLS_CERT"), os.Getenv("CHAINCODE_TLS_KEY"); certFile != "" || keyFile != "" {
		cert, err := os.ReadFile(certFile)
		if err != nil {
			log.Fatal(err)
		}
		key, err := os.ReadFile(keyFile)
		if err != nil {
			log.Fatal(err)
		}
		srv.TLSProps = shim.TLSProperties{Cert: cert, Key: key}
		if ca := os.Getenv("CHAINCODE_TLS_CLIENT_CA"); ca != "" {
			if srv.TLSProps.ClientCACerts, err = os.ReadFile(ca); err != nil {
				log.Fatal(err)
			}
		}
	}
	log.Printf("ledgergate records chaincode %s serving on %s", srv.CCID, srv.Address)
	if err := srv.Start(); err != nil {
		log.Fatalf("chaincode server: %v", err)
	}
}
