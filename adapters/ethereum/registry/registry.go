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
	RecordType string
	Head       [32]byte
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
	ABI: "[{\"inputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"idHash\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"digest\",\"type\":\"bytes32\"}],\"name\":\"AlreadyWritten\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint8\",\"name\":\"disclosure\",\"type\":\"uint8\"}],\"name\":\"InvalidDisclosure\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"why\",\"type\":\"string\"}],\"name\":\"InvalidRecord\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"}],\"name\":\"NotOwner\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"}],\"name\":\"NotWriter\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"idHash\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"head\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"supersedes\",\"type\":\"bytes32\"}],\"name\":\"SupersedesNotHead\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"idHash\",\"type\":\"bytes32\"},{\"internalType\":\"string\",\"name\":\"recordType\",\"type\":\"string\"}],\"name\":\"TypeMismatch\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"idHash\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"digest\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"supersedes\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"id\",\"type\":\"string\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"recordType\",\"type\":\"string\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"issuer\",\"type\":\"string\"},{\"indexed\":false,\"internalType\":\"uint8\",\"name\":\"disclosure\",\"type\":\"uint8\"},{\"indexed\":false,\"internalType\":\"address\",\"name\":\"writer\",\"type\":\"address\"}],\"name\":\"RecordWritten\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"writer\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"bool\",\"name\":\"allowed\",\"type\":\"bool\"}],\"name\":\"WriterSet\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"DISCLOSURE_DIGEST\",\"outputs\":[{\"internalType\":\"uint8\",\"name\":\"\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"DISCLOSURE_FULL\",\"outputs\":[{\"internalType\":\"uint8\",\"name\":\"\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"DISCLOSURE_REDACTED\",\"outputs\":[{\"internalType\":\"uint8\",\"name\":\"\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"idHash\",\"type\":\"bytes32\"}],\"name\":\"getRecord\",\"outputs\":[{\"components\":[{\"internalType\":\"string\",\"name\":\"recordType\",\"type\":\"string\"},{\"internalType\":\"bytes32\",\"name\":\"head\",\"type\":\"bytes32\"}],\"internalType\":\"structRecordRegistry.Record\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"idHash\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"digest\",\"type\":\"bytes32\"}],\"name\":\"getVersion\",\"outputs\":[{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"supersedes\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"writer\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"blockNumber\",\"type\":\"uint64\"},{\"internalType\":\"uint8\",\"name\":\"disclosure\",\"type\":\"uint8\"},{\"internalType\":\"string\",\"name\":\"issuer\",\"type\":\"string\"},{\"internalType\":\"bytes\",\"name\":\"payload\",\"type\":\"bytes\"}],\"internalType\":\"structRecordRegistry.Version\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"idHash\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"digest\",\"type\":\"bytes32\"}],\"name\":\"lookup\",\"outputs\":[{\"components\":[{\"internalType\":\"string\",\"name\":\"recordType\",\"type\":\"string\"},{\"internalType\":\"bytes32\",\"name\":\"head\",\"type\":\"bytes32\"}],\"internalType\":\"structRecordRegistry.Record\",\"name\":\"r\",\"type\":\"tuple\"},{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"supersedes\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"writer\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"blockNumber\",\"type\":\"uint64\"},{\"internalType\":\"uint8\",\"name\":\"disclosure\",\"type\":\"uint8\"},{\"internalType\":\"string\",\"name\":\"issuer\",\"type\":\"string\"},{\"internalType\":\"bytes\",\"name\":\"payload\",\"type\":\"bytes\"}],\"internalType\":\"structRecordRegistry.Version\",\"name\":\"v\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"owner\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"writer\",\"type\":\"address\"},{\"internalType\":\"bool\",\"name\":\"allowed\",\"type\":\"bool\"}],\"name\":\"setWriter\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"id\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"recordType\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"issuer\",\"type\":\"string\"},{\"internalType\":\"bytes32\",\"name\":\"digest\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"supersedes\",\"type\":\"bytes32\"},{\"internalType\":\"uint8\",\"name\":\"disclosure\",\"type\":\"uint8\"},{\"internalType\":\"bytes\",\"name\":\"payload\",\"type\":\"bytes\"}],\"name\":\"write\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"writers\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"}]",
	ID:  "RecordRegistry",
	Bin: "0x60a08060405234606c5733608052335f525f60205260405f20600160ff19825416179055600181527f763ebfe7193aeb87a3385cd59dbefc21c3f875e4c49903a64fa661681b2feea060203392a2604051610e9e908161007182396080518181816108e40152610a530152f35b5f80fdfe6080806040526004361015610012575f80fd5b5f3560e01c9081631f91b39f14610a2957508063213681cd146109c95780634540d45b146109135780638da5cb5b146108cf5780638e7e80a214610893578063a10ae46b1461019c578063a92a15aa146100df578063b307760a146100c4578063d82b7069146100a95763e3a48c351461008a575f80fd5b346100a5575f3660031901126100a557602060405160018152f35b5f80fd5b346100a5575f3660031901126100a557602060405160028152f35b346100a5575f3660031901126100a557602060405160038152f35b346100a5576100ed36610b38565b906100f6610d2c565b505f52600260205260405f20905f5260205261019860405f20600361017f6040519261012184610bff565b8054845260018101546001600160a01b038116602086015260a081901c6001600160401b0316604086015260e01c60ff16606085015261016360028201610c8c565b60808501526101786040518094819301610d5c565b0382610c1a565b60a0820152604051918291602083526020830190610b4e565b0390f35b346100a55760e03660031901126100a5576004356001600160401b0381116100a5576101cc903690600401610bb7565b6024356001600160401b0381116100a5576101eb903690600401610bb7565b926044356001600160401b0381116100a55761020b903690600401610bb7565b606435949160a43560ff811692908390036100a55760c4356001600160401b0381116100a55761023f903690600401610bb7565b969098335f525f60205260ff60405f2054161561088057851561084f57801561081c5788156107e8576001851080156107de575b6107cb576003850361078e578761073c575b610290368789610ddd565b6020815191012097885f52600160205260405f20600181015480155f1461066f57506001600160401b03831161056f57806102d6846102d08e9454610c54565b83610e22565b835f601f82116001146105fc578160019392610306925f916105f1575b508160011b915f199060031b1c19161790565b81555b01555f8981526002602081815260408084208e855290915290912060843581556001810180544360a01b67ffffffffffffffff60a01b166001600160e81b03199091163368ffffffffffffffffff60a01b1916171760a43560e01b60ff60e01b161790559081016001600160401b03861161056f5761038c866102d08354610c54565b5f86601f811160011461058e57806103b7925f9161058357508160011b915f199060031b1c19161790565b90555b8161043c575b50509161041d7f0cf65dee4290065ae7db86586655bdbf388f9381616b090f19933f9c76c1a238979695949261042b9461040f604051998a996084358b5260c060208c015260c08b0191610e71565b9188830360408a0152610e71565b918583036060870152610e71565b9060808301523360a08301520390a3005b600301906001600160401b03811161056f576104628161045c8454610c54565b84610e22565b5f9b601f82116001146104dc57916104bf8261041d95937f0cf65dee4290065ae7db86586655bdbf388f9381616b090f19933f9c76c1a2389d9e9f61042b9a9998965f926104d1575b50508160011b915f199060031b1c19161790565b90555b918b9a995081939495506103c0565b013590505f806104ab565b9b601f19821690835f5260205f20915f5b81811061055757509261042b98979694927f0cf65dee4290065ae7db86586655bdbf388f9381616b090f19933f9c76c1a2389d9e9f6001938361041d99971061053e575b505050811b0190556104c2565b01355f19600384901b60f8161c191690558f8080610531565b8f8301358455600190930192602092830192016104ed565b634e487b7160e01b5f52604160045260245ffd5b90508901355f6102f3565b50815f5260205f20905f5b601f19891681106105d9575087601f198116106105c0575b5050600186811b0190556103ba565b8801355f19600389901b60f8161c191690558d806105b1565b9091602060018192858d013581550193019101610599565b90508801355f6102f3565b601f9392919319841690825f5260205f20915f5b81811061064a5750946001949510610631575b50508185811b018155610309565b8701355f19600388901b60f8161c191690558e80610623565b9395509181945060016020929183928b013581550194019201918e9391879593610610565b8a5f52600260205260405f208c5f526020526001600160401b03600160405f20015460a01c1661072557806084350361070957506106ae368486610ddd565b602081519101206040516106c6816101788186610d5c565b60208151910120036106db5760018b91610309565b8961070560405192839263170a07c560e01b84526004840152604060248401526044830190610d5c565b0390fd5b8a6365eda6ef60e11b5f5260045260245260843560445260645ffd5b8b8b635a72633360e01b5f5260045260245260445ffd5b6040516368826a5f60e01b815260206004820152602360248201527f7061796c6f61642077697468206469676573742d6f6e6c7920646973636c6f7360448201526275726560e81b6064820152608490fd5b87610285576040516368826a5f60e01b815260206004820152600f60248201526e1b5a5cdcda5b99c81c185e5b1bd859608a1b6044820152606490fd5b84630b5cb95b60e01b5f5260045260245ffd5b5060038511610273565b6040516368826a5f60e01b815260206004820152600b60248201526a1e995c9bc8191a59d95cdd60aa1b6044820152606490fd5b6040516368826a5f60e01b815260206004820152600a602482015269656d707479207479706560b01b6044820152606490fd5b6040516368826a5f60e01b8152602060048201526008602482015267195b5c1d1e481a5960c21b6044820152606490fd5b631765348f60e21b5f523360045260245ffd5b346100a55760203660031901126100a5576001600160a01b036108b4610ade565b165f525f602052602060ff60405f2054166040519015158152f35b346100a5575f3660031901126100a5576040517f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03168152602090f35b346100a5576109b361092436610b38565b90819061092f610c3b565b50610938610d2c565b50805f52600160205260405f209260016040519461095586610be4565b61095e81610c8c565b8652015490816020860152156109c1575b505f52600260205260405f20905f5260205261019860405f20600361099a6040519261012184610bff565b60a0820152604051938493604085526040850190610b18565b908382036020850152610b4e565b91508461096f565b346100a55760203660031901126100a5576109e2610c3b565b506004355f52600160205261019860405f20600160405191610a0383610be4565b610a0c81610c8c565b835201546020820152604051918291602083526020830190610b18565b346100a55760403660031901126100a557610a42610ade565b90602435918215158093036100a5577f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03163303610acb577f763ebfe7193aeb87a3385cd59dbefc21c3f875e4c49903a64fa661681b2feea09160209160018060a01b031693845f525f835260405f2060ff1981541660ff83161790558152a2005b63245aecd360e01b5f523360045260245ffd5b600435906001600160a01b03821682036100a557565b805180835260209291819084018484015e5f828201840152601f01601f1916010190565b90602080610b2f8451604085526040850190610af4565b93015191015290565b60409060031901126100a5576004359060243590565b610bb4918151815260018060a01b0360208301511660208201526001600160401b03604083015116604082015260ff606083015116606082015260a0610ba3608084015160c0608085015260c0840190610af4565b9201519060a0818403910152610af4565b90565b9181601f840112156100a5578235916001600160401b0383116100a557602083818601950101116100a557565b604081019081106001600160401b0382111761056f57604052565b60c081019081106001600160401b0382111761056f57604052565b90601f801991011681019081106001600160401b0382111761056f57604052565b60405190610c4882610be4565b5f602083606081520152565b90600182811c92168015610c82575b6020831014610c6e57565b634e487b7160e01b5f52602260045260245ffd5b91607f1691610c63565b9060405191825f825492610c9f84610c54565b8084529360018116908115610d0a5750600114610cc6575b50610cc492500383610c1a565b565b90505f9291925260205f20905f915b818310610cee575050906020610cc4928201015f610cb7565b6020919350806001915483858901015201910190918492610cd5565b905060209250610cc494915060ff191682840152151560051b8201015f610cb7565b60405190610d3982610bff565b606060a0835f81525f60208201525f60408201525f838201528260808201520152565b5f9291815491610d6b83610c54565b8083529260018116908115610dc05750600114610d8757505050565b5f9081526020812093945091925b838310610da6575060209250010190565b600181602092949394548385870101520191019190610d95565b915050602093945060ff929192191683830152151560051b010190565b9291926001600160401b03821161056f5760405191610e06601f8201601f191660200184610c1a565b8294818452818301116100a5578281602093845f960137010152565b601f8211610e2f57505050565b5f5260205f20906020601f840160051c83019310610e67575b601f0160051c01905b818110610e5c575050565b5f8155600101610e51565b9091508190610e48565b908060209392818452848401375f828201840152601f01601f191601019056fea164736f6c634300081c000a",
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
// Solidity: function getRecord(bytes32 idHash) view returns((string,bytes32))
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
// Solidity: function getRecord(bytes32 idHash) view returns((string,bytes32))
func (recordRegistry *RecordRegistry) TryPackGetRecord(idHash [32]byte) ([]byte, error) {
	return recordRegistry.abi.Pack("getRecord", idHash)
}

// UnpackGetRecord is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x213681cd.
//
// Solidity: function getRecord(bytes32 idHash) view returns((string,bytes32))
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
// Solidity: function lookup(bytes32 idHash, bytes32 digest) view returns((string,bytes32) r, (bytes32,address,uint64,uint8,string,bytes) v)
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
// Solidity: function lookup(bytes32 idHash, bytes32 digest) view returns((string,bytes32) r, (bytes32,address,uint64,uint8,string,bytes) v)
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
// Solidity: function lookup(bytes32 idHash, bytes32 digest) view returns((string,bytes32) r, (bytes32,address,uint64,uint8,string,bytes) v)
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
