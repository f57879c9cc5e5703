// Code generated via abigen V2 - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package registry

import (
	"bytes"
	"errors"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// Reference imports to suppress errors if they are not otherwise used.
var (
	_ = bytes.Equal
	_ = errors.New
	_ = big.NewInt
	_ = common.Big1
	_ = types.BloomLookup
	_ = abi.ConvertType
)

// RecordRegistryRecord is an auto generated low-level Go binding around an user-defined struct.
type RecordRegistryRecord struct {
	Id         string
	RecordType string
	Head       [32]byte
	Versions   uint64
}

// RecordRegistryVersion is an auto generated low-level Go binding around an user-defined struct.
type RecordRegistryVersion struct {
	Supersedes  [32]byte
	Writer      common.Address
	BlockNumber uint64
	Disclosure  uint8
	Issuer      string
	Payload     []byte
}

// RecordRegistryMetaData contains all meta data concerning the RecordRegistry contract.
var RecordRegistryMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"idHash\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"digest\",\"type\":\"bytes32\"}],\"name\":\"AlreadyWritten\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint8\",\"name\":\"disclosure\",\"type\":\"uint8\"}],\"name\":\"InvalidDisclosure\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"why\",\"type\":\"string\"}],\"name\":\"InvalidRecord\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"}],\"name\":\"NotOwner\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"}],\"name\":\"NotWriter\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"idHash\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"head\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"supersedes\",\"type\":\"bytes32\"}],\"name\":\"SupersedesNotHead\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"idHash\",\"type\":\"bytes32\"},{\"internalType\":\"string\",\"name\":\"recordType\",\"type\":\"string\"}],\"name\":\"TypeMismatch\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"idHash\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"digest\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"supersedes\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"id\",\"type\":\"string\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"recordType\",\"type\":\"string\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"issuer\",\"type\":\"string\"},{\"indexed\":false,\"internalType\":\"uint8\",\"name\":\"disclosure\",\"type\":\"uint8\"},{\"indexed\":false,\"internalType\":\"address\",\"name\":\"writer\",\"type\":\"address\"}],\"name\":\"RecordWritten\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"writer\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"bool\",\"name\":\"allowed\",\"type\":\"bool\"}],\"name\":\"WriterSet\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"DISCLOSURE_DIGEST\",\"outputs\":[{\"internalType\":\"uint8\",\"name\":\"\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"DISCLOSURE_FULL\",\"outputs\":[{\"internalType\":\"uint8\",\"name\":\"\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"DISCLOSURE_REDACTED\",\"outputs\":[{\"internalType\":\"uint8\",\"name\":\"\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"idHash\",\"type\":\"bytes32\"}],\"name\":\"getRecord\",\"outputs\":[{\"components\":[{\"internalType\":\"string\",\"name\":\"id\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"recordType\",\"type\":\"string\"},{\"internalType\":\"bytes32\",\"name\":\"head\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"versions\",\"type\":\"uint64\"}],\"internalType\":\"structRecordRegistry.Record\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"idHash\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"digest\",\"type\":\"bytes32\"}],\"name\":\"getVersion\",\"outputs\":[{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"supersedes\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"writer\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"blockNumber\",\"type\":\"uint64\"},{\"internalType\":\"uint8\",\"name\":\"disclosure\",\"type\":\"uint8\"},{\"internalType\":\"string\",\"name\":\"issuer\",\"type\":\"string\"},{\"internalType\":\"bytes\",\"name\":\"payload\",\"type\":\"bytes\"}],\"internalType\":\"structRecordRegistry.Version\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"idHash\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"digest\",\"type\":\"bytes32\"}],\"name\":\"lookup\",\"outputs\":[{\"components\":[{\"internalType\":\"string\",\"name\":\"id\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"recordType\",\"type\":\"string\"},{\"internalType\":\"bytes32\",\"name\":\"head\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"versions\",\"type\":\"uint64\"}],\"internalType\":\"structRecordRegistry.Record\",\"name\":\"r\",\"type\":\"tuple\"},{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"supersedes\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"writer\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"blockNumber\",\"type\":\"uint64\"},{\"internalType\":\"uint8\",\"name\":\"disclosure\",\"type\":\"uint8\"},{\"internalType\":\"string\",\"name\":\"issuer\",\"type\":\"string\"},{\"internalType\":\"bytes\",\"name\":\"payload\",\"type\":\"bytes\"}],\"internalType\":\"structRecordRegistry.Version\",\"name\":\"v\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"owner\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"writer\",\"type\":\"address\"},{\"internalType\":\"bool\",\"name\":\"allowed\",\"type\":\"bool\"}],\"name\":\"setWriter\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"id\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"recordType\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"issuer\",\"type\":\"string\"},{\"internalType\":\"bytes32\",\"name\":\"digest\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"supersedes\",\"type\":\"bytes32\"},{\"internalType\":\"uint8\",\"name\":\"disclosure\",\"type\":\"uint8\"},{\"internalType\":\"bytes\",\"name\":\"payload\",\"type\":\"bytes\"}],\"name\":\"write\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"writers\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"}]",
	ID:  "RecordRegistry",
	Bin: "0x60a08060405234606c5733608052335f525f60205260405f20600160ff19825416179055600181527f763ebfe7193aeb87a3385cd59dbefc21c3f875e4c49903a64fa661681b2feea060203392a260405161106090816100718239608051818181610a2c0152610be20152f35b5f80fdfe6080806040526004361015610012575f80fd5b5f3560e01c9081631f91b39f14610bb857508063213681cd14610b345780634540d45b14610a5b5780638da5cb5b14610a175780638e7e80a2146109db578063a10ae46b1461019c578063a92a15aa146100df578063b307760a146100c4578063d82b7069146100a95763e3a48c351461008a575f80fd5b346100a5575f3660031901126100a557602060405160018152f35b5f80fd5b346100a5575f3660031901126100a557602060405160028152f35b346100a5575f3660031901126100a557602060405160038152f35b346100a5576100ed36610cef565b906100f6610eee565b505f52600260205260405f20905f5260205261019860405f20600361017f6040519261012184610db6565b8054845260018101546001600160a01b038116602086015260a081901c6001600160401b0316604086015260e01c60ff16606085015261016360028201610e4e565b60808501526101786040518094819301610f1e565b0382610dd1565b60a0820152604051918291602083526020830190610d05565b0390f35b346100a55760e03660031901126100a5576004356001600160401b0381116100a5576101cc903690600401610d6e565b906024356001600160401b0381116100a5576101ec903690600401610d6e565b906044356001600160401b0381116100a55761020c903690600401610d6e565b91909260ff60a4351660a435036100a55760c4356001600160401b0381116100a55761023c903690600401610d6e565b9590335f525f60205260ff60405f205416156109c8578715610997578215610964576064351561093057600160ff60a43516108015610921575b6109095760a43560ff166003036108cc578661087a575b610298368984610f9f565b6020815191012096875f52600160205260405f20600281015480155f146107a457506001600160401b038a1161061f576102dc8a6102d68354610e16565b83610fe4565b5f8a601f81116001146107415780610308925f91610736575b508160011b915f199060031b1c19161790565b81555b6001600160401b03851161061f576103338561032a6001840154610e16565b60018401610fe4565b5f9085601f81116001146106c85780610362916003945f916106bd57508160011b915f199060031b1c19161790565b60018201555b606435600282015501805460016001600160401b038216016001600160401b0381116106a95767ffffffffffffffff199091166001600160401b03918216179091555f8981526002602090815260408083206064358452909152902060843581556001810180544360a01b67ffffffffffffffff60a01b166001600160e81b03199091163368ffffffffffffffffff60a01b1916171760a43560e01b60ff60e01b1617905590871161061f5761042e876104256002840154610e16565b60028401610fe4565b5f87601f811160011461063e5780610459925f9161063357508160011b915f199060031b1c19161790565b60028201555b816104e9575b5050507f0cf65dee4290065ae7db86586655bdbf388f9381616b090f19933f9c76c1a23894926104cd94926104b16104bf936040519a6084358c5260c060208d015260c08c0191611033565b9189830360408b0152611033565b918683036060880152611033565b9260ff60a4351660808201523360a082015280606435940390a3005b600301916001600160401b03821161061f5761050f826105098554610e16565b85610fe4565b5f90601f831160011461058b57937f0cf65dee4290065ae7db86586655bdbf388f9381616b090f19933f9c76c1a23898969361056e846104cd9a98956104b1956104bf995f92610580575b50508160011b915f199060031b1c19161790565b90555b93508295975081949650610465565b013590508f8061055a565b601f19831691845f5260205f20925f5b8181106106075750846104b1946104bf98947f0cf65dee4290065ae7db86586655bdbf388f9381616b090f19933f9c76c1a2389d9b98946104cd9d9b98600195106105ee575b505050811b019055610571565b01355f19600384901b60f8161c191690558e80806105e1565b9193602060018192878701358155019501920161059b565b634e487b7160e01b5f52604160045260245ffd5b90508a01358d6102f5565b50600282015f5260205f20905f5b8a601f198b16821061069157505088601f19811610610678575b5050600187811b01600282015561045f565b8901355f1960038a901b60f8161c191690558a80610666565b6001839460209394849301358155019301910161064c565b634e487b7160e01b5f52601160045260245ffd5b90508901358e6102f5565b50600181015f90815260208120909287601f1981165b808610610718576003955010610701575b5050600186811b016001820155610368565b8801355f1988851b60f8161c191690558b806106ef565b8a8301358455602095860195600190940193909201918991506106de565b90508601358d6102f5565b50601f198b1690825f528b60205f20925f5b818110610789575010610770575b505060018a811b01815561030b565b8501355f1960038d901b60f8161c191690558a80610761565b8884013585556001909401936020938401938f935001610753565b895f52600260205260405f206064355f526020526001600160401b03600160405f20015460a01c1661086157806084350361084557506107e5368688610f9f565b602081519101206001820190604051610802816101788186610f1e565b60208151910120036108175750600390610368565b8961084160405192839263170a07c560e01b84526004840152604060248401526044830190610f1e565b0390fd5b896365eda6ef60e11b5f5260045260245260843560445260645ffd5b89635a72633360e01b5f5260045260643560245260445ffd5b6040516368826a5f60e01b815260206004820152602360248201527f7061796c6f61642077697468206469676573742d6f6e6c7920646973636c6f7360448201526275726560e81b6064820152608490fd5b8661028d576040516368826a5f60e01b815260206004820152600f60248201526e1b5a5cdcda5b99c81c185e5b1bd859608a1b6044820152606490fd5b630b5cb95b60e01b5f5260ff60a4351660045260245ffd5b50600360ff60a4351611610276565b6040516368826a5f60e01b815260206004820152600b60248201526a1e995c9bc8191a59d95cdd60aa1b6044820152606490fd5b6040516368826a5f60e01b815260206004820152600a602482015269656d707479207479706560b01b6044820152606490fd5b6040516368826a5f60e01b8152602060048201526008602482015267195b5c1d1e481a5960c21b6044820152606490fd5b631765348f60e21b5f523360045260245ffd5b346100a55760203660031901126100a5576001600160a01b036109fc610c6d565b165f525f602052602060ff60405f2054166040519015158152f35b346100a5575f3660031901126100a5576040517f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03168152602090f35b346100a557610b1e610a6c36610cef565b908190610a77610df2565b50610a80610eee565b50805f52600160205260405f2060405193610a9a85610d9b565b610aa382610e4e565b8552610ab160018301610e4e565b60208601526001600160401b036003600284015493846040890152015416606086015215610b2c575b505f52600260205260405f20905f5260205261019860405f206003610b056040519261012184610db6565b60a0820152604051938493604085526040850190610ca7565b908382036020850152610d05565b915084610ada565b346100a55760203660031901126100a557610b4d610df2565b506004355f52600160205261019860405f206001600160401b03600360405192610b7684610d9b565b610b7f81610e4e565b8452610b8d60018201610e4e565b6020850152600281015460408501520154166060820152604051918291602083526020830190610ca7565b346100a55760403660031901126100a557610bd1610c6d565b90602435918215158093036100a5577f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03163303610c5a577f763ebfe7193aeb87a3385cd59dbefc21c3f875e4c49903a64fa661681b2feea09160209160018060a01b031693845f525f835260405f2060ff1981541660ff83161790558152a2005b63245aecd360e01b5f523360045260245ffd5b600435906001600160a01b03821682036100a557565b805180835260209291819084018484015e5f828201840152601f01601f1916010190565b9060606001600160401b0381610cdb610cc98651608087526080870190610c83565b60208701518682036020880152610c83565b946040810151604086015201511691015290565b60409060031901126100a5576004359060243590565b610d6b918151815260018060a01b0360208301511660208201526001600160401b03604083015116604082015260ff606083015116606082015260a0610d5a608084015160c0608085015260c0840190610c83565b9201519060a0818403910152610c83565b90565b9181601f840112156100a5578235916001600160401b0383116100a557602083818601950101116100a557565b608081019081106001600160401b0382111761061f57604052565b60c081019081106001600160401b0382111761061f57604052565b90601f801991011681019081106001600160401b0382111761061f57604052565b60405190610dff82610d9b565b5f6060838181528160208201528260408201520152565b90600182811c92168015610e44575b6020831014610e3057565b634e487b7160e01b5f52602260045260245ffd5b91607f1691610e25565b9060405191825f825492610e6184610e16565b8084529360018116908115610ecc5750600114610e88575b50610e8692500383610dd1565b565b90505f9291925260205f20905f915b818310610eb0575050906020610e86928201015f610e79565b6020919350806001915483858901015201910190918492610e97565b905060209250610e8694915060ff191682840152151560051b8201015f610e79565b60405190610efb82610db6565b606060a0835f81525f60208201525f60408201525f838201528260808201520152565b5f9291815491610f2d83610e16565b8083529260018116908115610f825750600114610f4957505050565b5f9081526020812093945091925b838310610f68575060209250010190565b600181602092949394548385870101520191019190610f57565b915050602093945060ff929192191683830152151560051b010190565b9291926001600160401b03821161061f5760405191610fc8601f8201601f191660200184610dd1565b8294818452818301116100a5578281602093845f960137010152565b601f8211610ff157505050565b5f5260205f20906020601f840160051c83019310611029575b601f0160051c01905b81811061101e575050565b5f8155600101611013565b909150819061100a565b908060209392818452848401375f828201840152601f01601f191601019056fea164736f6c634300081c000a",
}

// RecordRegistry is an auto generated Go binding around an Ethereum contract.
type RecordRegistry struct {
	abi abi.ABI
}

// NewRecordRegistry creates a new instance of RecordRegistry.
func NewRecordRegistry() *RecordRegistry {
	parsed, err := RecordRegistryMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &RecordRegistry{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *RecordRegistry) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackDISCLOSUREDIGEST is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb307760a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function DISCLOSURE_DIGEST() view returns(uint8)
func (recordRegistry *RecordRegistry) PackDISCLOSUREDIGEST() []byte {
	enc, err := recordRegistry.abi.Pack("DISCLOSURE_DIGEST")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDISCLOSUREDIGEST is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb307760a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function DISCLOSURE_DIGEST() view returns(uint8)
func (recordRegistry *RecordRegistry) TryPackDISCLOSUREDIGEST() ([]byte, error) {
	return recordRegistry.abi.Pack("DISCLOSURE_DIGEST")
}

// UnpackDISCLOSUREDIGEST is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xb307760a.
//
// Solidity: function DISCLOSURE_DIGEST() view returns(uint8)
func (recordRegistry *RecordRegistry) UnpackDISCLOSUREDIGEST(data []byte) (uint8, error) {
	out, err := recordRegistry.abi.Unpack("DISCLOSURE_DIGEST", data)
	if err != nil {
		return *new(uint8), err
	}
	out0 := *abi.ConvertType(out[0], new(uint8)).(*uint8)
	return out0, nil
}

// PackDISCLOSUREFULL is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe3a48c35.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function DISCLOSURE_FULL() view returns(uint8)
func (recordRegistry *RecordRegistry) PackDISCLOSUREFULL() []byte {
	enc, err := recordRegistry.abi.Pack("DISCLOSURE_FULL")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDISCLOSUREFULL is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe3a48c35.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function DISCLOSURE_FULL() view returns(uint8)
func (recordRegistry *RecordRegistry) TryPackDISCLOSUREFULL() ([]byte, error) {
	return recordRegistry.abi.Pack("DISCLOSURE_FULL")
}

// UnpackDISCLOSUREFULL is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xe3a48c35.
//
// Solidity: function DISCLOSURE_FULL() view returns(uint8)
func (recordRegistry *RecordRegistry) UnpackDISCLOSUREFULL(data []byte) (uint8, error) {
	out, err := recordRegistry.abi.Unpack("DISCLOSURE_FULL", data)
	if err != nil {
		return *new(uint8), err
	}
	out0 := *abi.ConvertType(out[0], new(uint8)).(*uint8)
	return out0, nil
}

// PackDISCLOSUREREDACTED is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd82b7069.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function DISCLOSURE_REDACTED() view returns(uint8)
func (recordRegistry *RecordRegistry) PackDISCLOSUREREDACTED() []byte {
	enc, err := recordRegistry.abi.Pack("DISCLOSURE_REDACTED")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDISCLOSUREREDACTED is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd82b7069.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function DISCLOSURE_REDACTED() view returns(uint8)
func (recordRegistry *RecordRegistry) TryPackDISCLOSUREREDACTED() ([]byte, error) {
	return recordRegistry.abi.Pack("DISCLOSURE_REDACTED")
}

// UnpackDISCLOSUREREDACTED is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xd82b7069.
//
// Solidity: function DISCLOSURE_REDACTED() view returns(uint8)
func (recordRegistry *RecordRegistry) UnpackDISCLOSUREREDACTED(data []byte) (uint8, error) {
	out, err := recordRegistry.abi.Unpack("DISCLOSURE_REDACTED", data)
	if err != nil {
		return *new(uint8), err
	}
	out0 := *abi.ConvertType(out[0], new(uint8)).(*uint8)
	return out0, nil
}

// PackGetRecord is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x213681cd.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getRecord(bytes32 idHash) view returns((string,string,bytes32,uint64))
func (recordRegistry *RecordRegistry) PackGetRecord(idHash [32]byte) []byte {
	enc, err := recordRegistry.abi.Pack("getRecord", idHash)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetRecord is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x213681cd.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getRecord(bytes32 idHash) view returns((string,string,bytes32,uint64))
func (recordRegistry *RecordRegistry) TryPackGetRecord(idHash [32]byte) ([]byte, error) {
	return recordRegistry.abi.Pack("getRecord", idHash)
}

// UnpackGetRecord is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x213681cd.
//
// Solidity: function getRecord(bytes32 idHash) view returns((string,string,bytes32,uint64))
func (recordRegistry *RecordRegistry) UnpackGetRecord(data []byte) (RecordRegistryRecord, error) {
	out, err := recordRegistry.abi.Unpack("getRecord", data)
	if err != nil {
		return *new(RecordRegistryRecord), err
	}
	out0 := *abi.ConvertType(out[0], new(RecordRegistryRecord)).(*RecordRegistryRecord)
	return out0, nil
}

// PackGetVersion is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa92a15aa.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getVersion(bytes32 idHash, bytes32 digest) view returns((bytes32,address,uint64,uint8,string,bytes))
func (recordRegistry *RecordRegistry) PackGetVersion(idHash [32]byte, digest [32]byte) []byte {
	enc, err := recordRegistry.abi.Pack("getVersion", idHash, digest)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetVersion is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa92a15aa.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getVersion(bytes32 idHash, bytes32 digest) view returns((bytes32,address,uint64,uint8,string,bytes))
func (recordRegistry *RecordRegistry) TryPackGetVersion(idHash [32]byte, digest [32]byte) ([]byte, error) {
	return recordRegistry.abi.Pack("getVersion", idHash, digest)
}

// UnpackGetVersion is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xa92a15aa.
//
// Solidity: function getVersion(bytes32 idHash, bytes32 digest) view returns((bytes32,address,uint64,uint8,string,bytes))
func (recordRegistry *RecordRegistry) UnpackGetVersion(data []byte) (RecordRegistryVersion, error) {
	out, err := recordRegistry.abi.Unpack("getVersion", data)
	if err != nil {
		return *new(RecordRegistryVersion), err
	}
	out0 := *abi.ConvertType(out[0], new(RecordRegistryVersion)).(*RecordRegistryVersion)
	return out0, nil
}

// PackLookup is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4540d45b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function lookup(bytes32 idHash, bytes32 digest) view returns((string,string,bytes32,uint64) r, (bytes32,address,uint64,uint8,string,bytes) v)
func (recordRegistry *RecordRegistry) PackLookup(idHash [32]byte, digest [32]byte) []byte {
	enc, err := recordRegistry.abi.Pack("lookup", idHash, digest)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackLookup is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4540d45b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function lookup(bytes32 idHash, bytes32 digest) view returns((string,string,bytes32,uint64) r, (bytes32,address,uint64,uint8,string,bytes) v)
func (recordRegistry *RecordRegistry) TryPackLookup(idHash [32]byte, digest [32]byte) ([]byte, error) {
	return recordRegistry.abi.Pack("lookup", idHash, digest)
}

// LookupOutput serves as a container for the return parameters of contract
// method Lookup.
type LookupOutput struct {
	R RecordRegistryRecord
	V RecordRegistryVersion
}

// UnpackLookup is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x4540d45b.
//
// Solidity: function lookup(bytes32 idHash, bytes32 digest) view returns((string,string,bytes32,uint64) r, (bytes32,address,uint64,uint8,string,bytes) v)
func (recordRegistry *RecordRegistry) UnpackLookup(data []byte) (LookupOutput, error) {
	out, err := recordRegistry.abi.Unpack("lookup", data)
	outstruct := new(LookupOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.R = *abi.ConvertType(out[0], new(RecordRegistryRecord)).(*RecordRegistryRecord)
	outstruct.V = *abi.ConvertType(out[1], new(RecordRegistryVersion)).(*RecordRegistryVersion)
	return *outstruct, nil
}

// PackOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8da5cb5b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function owner() view returns(address)
func (recordRegistry *RecordRegistry) PackOwner() []byte {
	enc, err := recordRegistry.abi.Pack("owner")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8da5cb5b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function owner() view returns(address)
func (recordRegistry *RecordRegistry) TryPackOwner() ([]byte, error) {
	return recordRegistry.abi.Pack("owner")
}

// UnpackOwner is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x8da5cb5b.
//
// Solidity: function owner() view returns(address)
func (recordRegistry *RecordRegistry) UnpackOwner(data []byte) (common.Address, error) {
	out, err := recordRegistry.abi.Unpack("owner", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackSetWriter is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1f91b39f.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setWriter(address writer, bool allowed) returns()
func (recordRegistry *RecordRegistry) PackSetWriter(writer common.Address, allowed bool) []byte {
	enc, err := recordRegistry.abi.Pack("setWriter", writer, allowed)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetWriter is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1f91b39f.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setWriter(address writer, bool allowed) returns()
func (recordRegistry *RecordRegistry) TryPackSetWriter(writer common.Address, allowed bool) ([]byte, error) {
	return recordRegistry.abi.Pack("setWriter", writer, allowed)
}

// PackWrite is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa10ae46b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function write(string id, string recordType, string issuer, bytes32 digest, bytes32 supersedes, uint8 disclosure, bytes payload) returns()
func (recordRegistry *RecordRegistry) PackWrite(id string, recordType string, issuer string, digest [32]byte, supersedes [32]byte, disclosure uint8, payload []byte) []byte {
	enc, err := recordRegistry.abi.Pack("write", id, recordType, issuer, digest, supersedes, disclosure, payload)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackWrite is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa10ae46b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function write(string id, string recordType, string issuer, bytes32 digest, bytes32 supersedes, uint8 disclosure, bytes payload) returns()
func (recordRegistry *RecordRegistry) TryPackWrite(id string, recordType string, issuer string, digest [32]byte, supersedes [32]byte, disclosure uint8, payload []byte) ([]byte, error) {
	return recordRegistry.abi.Pack("write", id, recordType, issuer, digest, supersedes, disclosure, payload)
}

// PackWriters is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8e7e80a2.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function writers(address ) view returns(bool)
func (recordRegistry *RecordRegistry) PackWriters(arg0 common.Address) []byte {
	enc, err := recordRegistry.abi.Pack("writers", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackWriters is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8e7e80a2.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function writers(address ) view returns(bool)
func (recordRegistry *RecordRegistry) TryPackWriters(arg0 common.Address) ([]byte, error) {
	return recordRegistry.abi.Pack("writers", arg0)
}

// UnpackWriters is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x8e7e80a2.
//
// Solidity: function writers(address ) view returns(bool)
func (recordRegistry *RecordRegistry) UnpackWriters(data []byte) (bool, error) {
	out, err := recordRegistry.abi.Unpack("writers", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// RecordRegistryRecordWritten represents a RecordWritten event raised by the RecordRegistry contract.
type RecordRegistryRecordWritten struct {
	IdHash     [32]byte
	Digest     [32]byte
	Supersedes [32]byte
	Id         string
	RecordType string
	Issuer     string
	Disclosure uint8
	Writer     common.Address
	Raw        *types.Log // Blockchain specific contextual infos
}

const RecordRegistryRecordWrittenEventName = "RecordWritten"

// ContractEventName returns the user-defined event name.
func (RecordRegistryRecordWritten) ContractEventName() string {
	return RecordRegistryRecordWrittenEventName
}

// UnpackRecordWrittenEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event RecordWritten(bytes32 indexed idHash, bytes32 indexed digest, bytes32 supersedes, string id, string recordType, string issuer, uint8 disclosure, address writer)
func (recordRegistry *RecordRegistry) UnpackRecordWrittenEvent(log *types.Log) (*RecordRegistryRecordWritten, error) {
	event := "RecordWritten"
	if len(log.Topics) == 0 || log.Topics[0] != recordRegistry.abi.Events[event].ID {
		return nil, errors.New("event signature mismatch")
	}
	out := new(RecordRegistryRecordWritten)
	if len(log.Data) > 0 {
		if err := recordRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range recordRegistry.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// RecordRegistryWriterSet represents a WriterSet event raised by the RecordRegistry contract.
type RecordRegistryWriterSet struct {
	Writer  common.Address
	Allowed bool
	Raw     *types.Log // Blockchain specific contextual infos
}

const RecordRegistryWriterSetEventName = "WriterSet"

// ContractEventName returns the user-defined event name.
func (RecordRegistryWriterSet) ContractEventName() string {
	return RecordRegistryWriterSetEventName
}

// UnpackWriterSetEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event WriterSet(address indexed writer, bool allowed)
func (recordRegistry *RecordRegistry) UnpackWriterSetEvent(log *types.Log) (*RecordRegistryWriterSet, error) {
	event := "WriterSet"
	if len(log.Topics) == 0 || log.Topics[0] != recordRegistry.abi.Events[event].ID {
		return nil, errors.New("event signature mismatch")
	}
	out := new(RecordRegistryWriterSet)
	if len(log.Data) > 0 {
		if err := recordRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range recordRegistry.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// UnpackError attempts to decode the provided error data using user-defined
// error definitions.
func (recordRegistry *RecordRegistry) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], recordRegistry.abi.Errors["AlreadyWritten"].ID.Bytes()[:4]) {
		return recordRegistry.UnpackAlreadyWrittenError(raw[4:])
	}
	if bytes.Equal(raw[:4], recordRegistry.abi.Errors["InvalidDisclosure"].ID.Bytes()[:4]) {
		return recordRegistry.UnpackInvalidDisclosureError(raw[4:])
	}
	if bytes.Equal(raw[:4], recordRegistry.abi.Errors["InvalidRecord"].ID.Bytes()[:4]) {
		return recordRegistry.UnpackInvalidRecordError(raw[4:])
	}
	if bytes.Equal(raw[:4], recordRegistry.abi.Errors["NotOwner"].ID.Bytes()[:4]) {
		return recordRegistry.UnpackNotOwnerError(raw[4:])
	}
	if bytes.Equal(raw[:4], recordRegistry.abi.Errors["NotWriter"].ID.Bytes()[:4]) {
		return recordRegistry.UnpackNotWriterError(raw[4:])
	}
	if bytes.Equal(raw[:4], recordRegistry.abi.Errors["SupersedesNotHead"].ID.Bytes()[:4]) {
		return recordRegistry.UnpackSupersedesNotHeadError(raw[4:])
	}
	if bytes.Equal(raw[:4], recordRegistry.abi.Errors["TypeMismatch"].ID.Bytes()[:4]) {
		return recordRegistry.UnpackTypeMismatchError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// RecordRegistryAlreadyWritten represents a AlreadyWritten error raised by the RecordRegistry contract.
type RecordRegistryAlreadyWritten struct {
	IdHash [32]byte
	Digest [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AlreadyWritten(bytes32 idHash, bytes32 digest)
func RecordRegistryAlreadyWrittenErrorID() common.Hash {
	return common.HexToHash("0x5a7263334f6d2b23b0629a9bc36f4986a0413df79429ab2ff3fbaec1c7700265")
}

// UnpackAlreadyWrittenError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AlreadyWritten(bytes32 idHash, bytes32 digest)
func (recordRegistry *RecordRegistry) UnpackAlreadyWrittenError(raw []byte) (*RecordRegistryAlreadyWritten, error) {
	out := new(RecordRegistryAlreadyWritten)
	if err := recordRegistry.abi.UnpackIntoInterface(out, "AlreadyWritten", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RecordRegistryInvalidDisclosure represents a InvalidDisclosure error raised by the RecordRegistry contract.
type RecordRegistryInvalidDisclosure struct {
	Disclosure uint8
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidDisclosure(uint8 disclosure)
func RecordRegistryInvalidDisclosureErrorID() common.Hash {
	return common.HexToHash("0x0b5cb95b7065e4381464d88f2e3948605998ce40af4adfb75eab36a174bb4d43")
}

// UnpackInvalidDisclosureError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidDisclosure(uint8 disclosure)
func (recordRegistry *RecordRegistry) UnpackInvalidDisclosureError(raw []byte) (*RecordRegistryInvalidDisclosure, error) {
	out := new(RecordRegistryInvalidDisclosure)
	if err := recordRegistry.abi.UnpackIntoInterface(out, "InvalidDisclosure", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RecordRegistryInvalidRecord represents a InvalidRecord error raised by the RecordRegistry contract.
type RecordRegistryInvalidRecord struct {
	Why string
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidRecord(string why)
func RecordRegistryInvalidRecordErrorID() common.Hash {
	return common.HexToHash("0x68826a5fb781e7c7e04f708ebd8d9500ac9ad72b94ba28b17b2340879a90f4a0")
}

// UnpackInvalidRecordError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidRecord(string why)
func (recordRegistry *RecordRegistry) UnpackInvalidRecordError(raw []byte) (*RecordRegistryInvalidRecord, error) {
	out := new(RecordRegistryInvalidRecord)
	if err := recordRegistry.abi.UnpackIntoInterface(out, "InvalidRecord", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RecordRegistryNotOwner represents a NotOwner error raised by the RecordRegistry contract.
type RecordRegistryNotOwner struct {
	Caller common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotOwner(address caller)
func RecordRegistryNotOwnerErrorID() common.Hash {
	return common.HexToHash("0x245aecd3fabbd17d6c3c92dc7f0ab916ea8cbf6fc1862c8b56893090ac3fff4c")
}

// UnpackNotOwnerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotOwner(address caller)
func (recordRegistry *RecordRegistry) UnpackNotOwnerError(raw []byte) (*RecordRegistryNotOwner, error) {
	out := new(RecordRegistryNotOwner)
	if err := recordRegistry.abi.UnpackIntoInterface(out, "NotOwner", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RecordRegistryNotWriter represents a NotWriter error raised by the RecordRegistry contract.
type RecordRegistryNotWriter struct {
	Caller common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotWriter(address caller)
func RecordRegistryNotWriterErrorID() common.Hash {
	return common.HexToHash("0x5d94d23c493b63f7fef68a0c8cb0de7cf59962ab607defa79710cd4783474547")
}

// UnpackNotWriterError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotWriter(address caller)
func (recordRegistry *RecordRegistry) UnpackNotWriterError(raw []byte) (*RecordRegistryNotWriter, error) {
	out := new(RecordRegistryNotWriter)
	if err := recordRegistry.abi.UnpackIntoInterface(out, "NotWriter", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RecordRegistrySupersedesNotHead represents a SupersedesNotHead error raised by the RecordRegistry contract.
type RecordRegistrySupersedesNotHead struct {
	IdHash     [32]byte
	Head       [32]byte
	Supersedes [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error SupersedesNotHead(bytes32 idHash, bytes32 head, bytes32 supersedes)
func RecordRegistrySupersedesNotHeadErrorID() common.Hash {
	return common.HexToHash("0xcbdb4dde62735db396ca209af02129f70cd65dd0f33924ac4b482b4fe20fec5f")
}

// UnpackSupersedesNotHeadError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error SupersedesNotHead(bytes32 idHash, bytes32 head, bytes32 supersedes)
func (recordRegistry *RecordRegistry) UnpackSupersedesNotHeadError(raw []byte) (*RecordRegistrySupersedesNotHead, error) {
	out := new(RecordRegistrySupersedesNotHead)
	if err := recordRegistry.abi.UnpackIntoInterface(out, "SupersedesNotHead", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RecordRegistryTypeMismatch represents a TypeMismatch error raised by the RecordRegistry contract.
type RecordRegistryTypeMismatch struct {
	IdHash     [32]byte
	RecordType string
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error TypeMismatch(bytes32 idHash, string recordType)
func RecordRegistryTypeMismatchErrorID() common.Hash {
	return common.HexToHash("0x170a07c5b4f0c537028ec002fdc2ea15c4944226bed778e86a9a4cd42d869ca5")
}

// UnpackTypeMismatchError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error TypeMismatch(bytes32 idHash, string recordType)
func (recordRegistry *RecordRegistry) UnpackTypeMismatchError(raw []byte) (*RecordRegistryTypeMismatch, error) {
	out := new(RecordRegistryTypeMismatch)
	if err := recordRegistry.abi.UnpackIntoInterface(out, "TypeMismatch", raw); err != nil {
		return nil, err
	}
	return out, nil
}
