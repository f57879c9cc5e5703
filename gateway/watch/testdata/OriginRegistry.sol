// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

// A trade partner's own certificate-of-origin registry, with its own field
// layout; it knows nothing about ledgergate. Test fixture for the
// Ethereum source (gateway/watch): compile with compile.sh.
contract OriginRegistry {
    event OriginCertified(
        bytes32 indexed certificateNo,
        address indexed exporter,
        string exporterName,
        string signatory,
        string hsCode,
        string goods,
        string originCountry,
        string agreement,
        string invoiceRef,
        uint64 certifiedAt
    );

    struct Certificate {
        bytes32 no;
        string exporterName;
        string signatory;
        string hsCode;
        string goods;
        string originCountry;
        string agreement;
        string invoiceRef;
        uint64 certifiedAt;
    }

    function certify(Certificate calldata c) external {
        emit OriginCertified(c.no, msg.sender, c.exporterName, c.signatory, c.hsCode, c.goods, c.originCountry, c.agreement, c.invoiceRef, c.certifiedAt);
    }
}
