# OriginRegistry.OriginCertified (the partner's own layout) -> CertificateOfOrigin.
{
  type: "CertificateOfOrigin",
  schemaVersion: "1.0",
  issuer: {id: "did:web:cafe-tica.example", role: "exporter"},
  issuedAt: (.certifiedAt | todate),
  validFrom: (.certifiedAt | todate),
  agreement: .agreement,
  certifier: {role: "exporter", party: {name: .exporterName}, signatory: {name: .signatory}},
  producerNotice: "VARIOUS",
  goods: [{description: .goods, hsCode: .hsCode, originCriterion: "A", countryOfOrigin: .originCountry}],
  invoiceNumber: .invoiceRef,
  signedAt: (.certifiedAt | todate),
  extensions: {"cr.cafe-tica:certificateNo": .certificateNo, "cr.cafe-tica:exporterAccount": .exporter}
}
