# origin.jq, fixed: the partner sometimes writes HS codes with dots ("0901.11").
{
  type: "CertificateOfOrigin",
  schemaVersion: "1.0",
  issuer: {id: "did:web:cafe-tica.example", role: "exporter"},
  issuedAt: (.certifiedAt | todate),
  validFrom: (.certifiedAt | todate),
  agreement: .agreement,
  certifier: {role: "exporter", party: {name: .exporterName}, signatory: {name: .signatory}},
  producerNotice: "VARIOUS",
  goods: [{description: .goods, hsCode: (.hsCode | gsub("[.]"; "")), originCriterion: "A", countryOfOrigin: .originCountry}],
  invoiceNumber: .invoiceRef,
  signedAt: (.certifiedAt | todate),
  extensions: {"cr.cafe-tica:certificateNo": .certificateNo, "cr.cafe-tica:exporterAccount": .exporter}
}
