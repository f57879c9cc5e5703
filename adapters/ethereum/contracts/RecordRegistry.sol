// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title RecordRegistry
/// @notice Anchors ledgergate customs records: per record id, its type,
/// the digest (SHA-256 of the RFC 8785 canonical record) of every version,
/// the issuer, the disclosure mode and, when the disclosure allows it, the
/// disclosed payload. An id is written once; every later version names the
/// digest it supersedes, which must be the current head. Every write emits
/// RecordWritten.
contract RecordRegistry {
    /// Disclosure modes (the payload is stored only for Full and Redacted).
    uint8 public constant DISCLOSURE_FULL = 1;
    uint8 public constant DISCLOSURE_REDACTED = 2;
    uint8 public constant DISCLOSURE_DIGEST = 3;

    // The id string itself is in every RecordWritten event; state keys on
    // its hash, which keeps a digest-only write to about 150k gas.
    struct Record {
        string recordType;
        bytes32 head; // digest of the current version; zero if unknown id
    }

    struct Version {
        bytes32 supersedes;
        address writer;
        uint64 blockNumber; // zero if the version does not exist
        uint8 disclosure;
        string issuer;
        bytes payload;
    }

    /// @notice Emitted for every write. idHash is keccak256(bytes(id)).
    event RecordWritten(
        bytes32 indexed idHash,
        bytes32 indexed digest,
        bytes32 supersedes,
        string id,
        string recordType,
        string issuer,
        uint8 disclosure,
        address writer
    );

    /// @notice Emitted when the owner grants or revokes a writer.
    event WriterSet(address indexed writer, bool allowed);

    error NotOwner(address caller);
    error NotWriter(address caller);
    error InvalidRecord(string why);
    error InvalidDisclosure(uint8 disclosure);
    error AlreadyWritten(bytes32 idHash, bytes32 digest);
    error SupersedesNotHead(bytes32 idHash, bytes32 head, bytes32 supersedes);
    error TypeMismatch(bytes32 idHash, string recordType);

    address public immutable owner;
    mapping(address => bool) public writers;
    mapping(bytes32 => Record) private records;
    mapping(bytes32 => mapping(bytes32 => Version)) private versionsOf;

    constructor() {
        owner = msg.sender;
        writers[msg.sender] = true;
        emit WriterSet(msg.sender, true);
    }

    /// @notice Grants or revokes the right to write records.
    function setWriter(address writer, bool allowed) external {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        writers[writer] = allowed;
        emit WriterSet(writer, allowed);
    }

    /// @notice Writes a record version. The first version of an id may name
    /// a superseded digest the registry never saw (a route that joined
    /// late); every later version must supersede the current head.
    function write(
        string calldata id,
        string calldata recordType,
        string calldata issuer,
        bytes32 digest,
        bytes32 supersedes,
        uint8 disclosure,
        bytes calldata payload
    ) external {
        if (!writers[msg.sender]) revert NotWriter(msg.sender);
        if (bytes(id).length == 0) revert InvalidRecord("empty id");
        if (bytes(recordType).length == 0) revert InvalidRecord("empty type");
        if (digest == bytes32(0)) revert InvalidRecord("zero digest");
        if (disclosure < DISCLOSURE_FULL || disclosure > DISCLOSURE_DIGEST) revert InvalidDisclosure(disclosure);
        if (disclosure == DISCLOSURE_DIGEST) {
            if (payload.length != 0) revert InvalidRecord("payload with digest-only disclosure");
        } else if (payload.length == 0) {
            revert InvalidRecord("missing payload");
        }

        bytes32 idHash = keccak256(bytes(id));
        Record storage r = records[idHash];
        if (r.head == bytes32(0)) {
            r.recordType = recordType;
        } else {
            if (versionsOf[idHash][digest].blockNumber != 0) revert AlreadyWritten(idHash, digest);
            if (supersedes != r.head) revert SupersedesNotHead(idHash, r.head, supersedes);
            if (keccak256(bytes(recordType)) != keccak256(bytes(r.recordType))) revert TypeMismatch(idHash, r.recordType);
        }
        r.head = digest;

        Version storage v = versionsOf[idHash][digest];
        v.supersedes = supersedes;
        v.writer = msg.sender;
        v.blockNumber = uint64(block.number);
        v.disclosure = disclosure;
        v.issuer = issuer;
        if (payload.length != 0) v.payload = payload;

        emit RecordWritten(idHash, digest, supersedes, id, recordType, issuer, disclosure, msg.sender);
    }

    /// @notice The record's type and current digest (head is zero for an
    /// unknown id).
    function getRecord(bytes32 idHash) external view returns (Record memory) {
        return records[idHash];
    }

    /// @notice The record and one of its versions, read atomically: the
    /// version with the given digest, or the head when digest is zero.
    function lookup(bytes32 idHash, bytes32 digest) external view returns (Record memory r, Version memory v) {
        r = records[idHash];
        if (digest == bytes32(0)) digest = r.head;
        v = versionsOf[idHash][digest];
    }

    /// @notice One version of a record (blockNumber is zero if absent).
    function getVersion(bytes32 idHash, bytes32 digest) external view returns (Version memory) {
        return versionsOf[idHash][digest];
    }
}
