# originreg.jq, fixed: the exporter sometimes writes tariff fractions with
# dots ("0804.40.01"); strip them. originreg (a Mexican exporter's own
# chaincode on a Fabric channel, testnet/fabric/partnercc):
# OriginCertified -> CertificateOfOrigin.
# Other events of the chaincode (OriginCancelled) are not mapped: skipped.
if $meta.event != "OriginCertified" then empty else
{
  type: "CertificateOfOrigin",
  schemaVersion: "1.0",
  issuer: {id: "did:web:aguacates-mich.example", role: "exporter", name: .exportador},
  issuedAt: .firmadoEn,
  validFrom: .firmadoEn,
  agreement: ({"T-MEC": "USMCA"}[.tratado] // .tratado),
  certifier: {
    role: "exporter",
    party: {name: .exportador, taxId: .exporterRfc, address: {countryCode: "MX"}},
    signatory: ({name: .firmante.nombre} + if .firmante.cargo then {title: .firmante.cargo} else {} end)
  },
  producerNotice: "AVAILABLE_UPON_REQUEST",
  goods: [.goods | to_entries[] | {lineNumber: (.key + 1), description: .value.descripcion, hsCode: (.value.fraccion | gsub("[.]"; "")),
          originCriterion: .value.criterio, countryOfOrigin: .value.pais}],
  signedAt: .firmadoEn,
  extensions: {"mx.aguacates-mich:certNo": .certNo}
}
+ if .periodo then {blanketPeriod: {from: .periodo.desde, to: .periodo.hasta}} else {} end
+ if .factura then {invoiceNumber: .factura} else {} end
end
