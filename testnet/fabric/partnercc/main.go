// Command partnercc is a partner's own chaincode on the test network's
// channel: originreg, the certificate-of-origin register of a Mexican
// exporter, with its own JSON shape (Spanish field names, eight-digit
// tariff fractions, a blanket period) and its own chaincode events. It
// knows nothing of ledgergate: the gateway watches its events
// (gateway/watch.FabricSource) and maps them to common-schema records with
// a jq program, as it would any partner's existing chaincode. See
// testnet/fabric/README.md.
//
// It runs as a chaincode-as-a-service process, like the records chaincode.
// Environment: CHAINCODE_ID (the package id), CHAINCODE_SERVER_ADDRESS
// (listen address), and OWNER_MSP, the organization whose clients may
// certify and cancel (default PartnerMSP).
package main

import (
	"log"
	"os"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
)

func main() {
	c := &OriginRegistry{owner: os.Getenv("OWNER_MSP")}
	if c.owner == "" {
		c.owner = "PartnerMSP"
	}
	c.Name = "originreg"
	c.Info.Title = "Registro de certificados de origen"
	c.Info.Version = "1.0.0"
	cc, err := contractapi.NewChaincode(c)
	if err != nil {
		log.Fatalf("create chaincode: %v", err)
	}
	cc.DefaultContract = c.Name
	srv := &shim.ChaincodeServer{
		CCID:     os.Getenv("CHAINCODE_ID"),
		Address:  os.Getenv("CHAINCODE_SERVER_ADDRESS"),
		CC:       cc,
		TLSProps: shim.TLSProperties{Disabled: true},
	}
	if srv.CCID == "" || srv.Address == "" {
		log.Fatal("CHAINCODE_ID and CHAINCODE_SERVER_ADDRESS must be set")
	}
	log.Printf("originreg chaincode %s (owner %s) serving on %s", srv.CCID, c.owner, srv.Address)
	if err := srv.Start(); err != nil {
		log.Fatalf("chaincode server: %v", err)
	}
}
