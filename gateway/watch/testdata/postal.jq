# A postal operator's own JSON entries on its Factom chain -> PostalItemEvent.
# The chain's first entry is a header, not an event: skip it.
if .content.evt == null then empty else
{
  type: "PostalItemEvent",
  schemaVersion: "1.0",
  issuer: {id: "did:web:post.example", role: "postal-operator"},
  issuedAt: .content.ts,
  validFrom: .content.ts,
  itemIdScheme: "S10",
  itemId: .content.item,
  eventCodeList: "UPU-EMSEVT",
  eventCode: .content.evt,
  eventTime: .content.ts,
  location: {countryCode: .content.where.cc, unLocode: .content.where.locode}
}
end
