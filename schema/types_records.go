package schema

// Record type names.
const (
	TypeCertificateOfOrigin = "CertificateOfOrigin"
	TypeCommercialInvoice   = "CommercialInvoice"
	TypeBillOfLading        = "BillOfLading"
	TypePostalItemEvent     = "PostalItemEvent"
	TypeIPRRight            = "IPRRight"
	TypeIPRLicense          = "IPRLicense"
	TypeSensorReading       = "SensorReading"
	TypeAssetEvent          = "AssetEvent"
)

// CertificateOfOrigin certifies origin under USMCA or CAFTA-DR.
type CertificateOfOrigin struct {
	Envelope
	Agreement              string         `json:"agreement"`
	Certifier              Certifier      `json:"certifier"`
	Exporter               *Party         `json:"exporter,omitempty"`
	Producer               *Party         `json:"producer,omitempty"`
	ProducerNotice         string         `json:"producerNotice,omitempty"`
	Importers              []Party        `json:"importers,omitempty"`
	Goods                  []OriginGood   `json:"goods"`
	BlanketPeriod          *BlanketPeriod `json:"blanketPeriod,omitempty"`
	InvoiceNumber          string         `json:"invoiceNumber,omitempty"`
	SignedAt               DateTime       `json:"signedAt"`
	CertificationStatement string         `json:"certificationStatement,omitempty"`
}

// Certifier is who certifies origin, in which capacity, and who signs.
type Certifier struct {
	Role      string    `json:"role"`
	Party     Party     `json:"party"`
	Signatory Signatory `json:"signatory"`
}

// Signatory is the person who signs a certification.
type Signatory struct {
	Name  string `json:"name"`
	Title string `json:"title,omitempty"`
	Email string `json:"email,omitempty"`
	Phone string `json:"phone,omitempty"`
}

// OriginGood is one line of originating goods.
type OriginGood struct {
	LineNumber      int       `json:"lineNumber,omitempty"`
	Description     string    `json:"description"`
	HSCode          string    `json:"hsCode"`
	OriginCriterion string    `json:"originCriterion"`
	CountryOfOrigin string    `json:"countryOfOrigin"`
	GTIN            string    `json:"gtin,omitempty"`
	Quantity        *Quantity `json:"quantity,omitempty"`
}

// BlanketPeriod is the period a blanket certification covers.
type BlanketPeriod struct {
	From Date `json:"from"`
	To   Date `json:"to"`
}

// CommercialInvoice is an invoice for goods sold across a border.
type CommercialInvoice struct {
	Envelope
	InvoiceNumber        string        `json:"invoiceNumber"`
	InvoiceDate          Date          `json:"invoiceDate"`
	Seller               Party         `json:"seller"`
	Buyer                Party         `json:"buyer"`
	Consignee            *Party        `json:"consignee,omitempty"`
	Currency             string        `json:"currency"`
	Incoterms            string        `json:"incoterms,omitempty"`
	CountryOfExport      string        `json:"countryOfExport,omitempty"`
	CountryOfDestination string        `json:"countryOfDestination,omitempty"`
	PortOfLoading        string        `json:"portOfLoading,omitempty"`
	PortOfDischarge      string        `json:"portOfDischarge,omitempty"`
	PurchaseOrder        string        `json:"purchaseOrder,omitempty"`
	CertificateOfOrigin  string        `json:"certificateOfOrigin,omitempty"`
	Lines                []InvoiceLine `json:"lines"`
	Freight              *Money        `json:"freight,omitempty"`
	Insurance            *Money        `json:"insurance,omitempty"`
	Total                Money         `json:"total"`
}

// InvoiceLine is one line of a commercial invoice.
type InvoiceLine struct {
	LineNumber      int      `json:"lineNumber,omitempty"`
	Description     string   `json:"description"`
	HSCode          string   `json:"hsCode"`
	CountryOfOrigin string   `json:"countryOfOrigin"`
	GTIN            string   `json:"gtin,omitempty"`
	Quantity        Quantity `json:"quantity"`
	UnitPrice       *Money   `json:"unitPrice,omitempty"`
	LineTotal       Money    `json:"lineTotal"`
}

// BillOfLading is a carrier's bill of lading.
type BillOfLading struct {
	Envelope
	BillOfLadingNumber string      `json:"billOfLadingNumber"`
	Kind               string      `json:"kind,omitempty"`
	Carrier            Carrier     `json:"carrier"`
	Shipper            Party       `json:"shipper"`
	Consignee          Party       `json:"consignee"`
	NotifyParty        *Party      `json:"notifyParty,omitempty"`
	Vessel             string      `json:"vessel,omitempty"`
	Voyage             string      `json:"voyage,omitempty"`
	PortOfLoading      string      `json:"portOfLoading"`
	PortOfDischarge    string      `json:"portOfDischarge"`
	PlaceOfDelivery    string      `json:"placeOfDelivery,omitempty"`
	ShippedOnBoardAt   DateTime    `json:"shippedOnBoardAt,omitempty"`
	Containers         []Container `json:"containers,omitempty"`
	Goods              []CargoItem `json:"goods"`
	FreightPayment     string      `json:"freightPayment,omitempty"`
}

// Carrier identifies the carrier by SCAC.
type Carrier struct {
	SCAC  string `json:"scac"`
	Party *Party `json:"party,omitempty"`
}

// Container is a shipping container on a bill of lading.
type Container struct {
	ContainerNumber string    `json:"containerNumber"`
	SealNumber      string    `json:"sealNumber,omitempty"`
	GrossWeight     *Quantity `json:"grossWeight,omitempty"`
}

// CargoItem is a line of goods on a bill of lading.
type CargoItem struct {
	Description  string   `json:"description"`
	HSCode       string   `json:"hsCode,omitempty"`
	PackageCount int      `json:"packageCount"`
	PackageType  string   `json:"packageType,omitempty"`
	GrossWeight  Quantity `json:"grossWeight"`
	Marks        string   `json:"marks,omitempty"`
}

// PostalItemEvent is a tracking event of a postal item.
type PostalItemEvent struct {
	Envelope
	ItemIDScheme         string    `json:"itemIdScheme"`
	ItemID               string    `json:"itemId"`
	EventCodeList        string    `json:"eventCodeList"`
	EventCode            string    `json:"eventCode"`
	EventTime            DateTime  `json:"eventTime"`
	Location             Location  `json:"location"`
	OriginCountry        string    `json:"originCountry,omitempty"`
	DestinationCountry   string    `json:"destinationCountry,omitempty"`
	MailClass            string    `json:"mailClass,omitempty"`
	DeclaredContent      string    `json:"declaredContent,omitempty"`
	DeclaredValue        *Money    `json:"declaredValue,omitempty"`
	Weight               *Quantity `json:"weight,omitempty"`
	CustomsDeclarationID string    `json:"customsDeclarationId,omitempty"`
}

// IPRRight is an intellectual-property right recorded for enforcement.
type IPRRight struct {
	Envelope
	RightType             string       `json:"rightType"`
	Title                 string       `json:"title"`
	RegistrationNumber    string       `json:"registrationNumber"`
	RegistrationAuthority string       `json:"registrationAuthority,omitempty"`
	Jurisdictions         []string     `json:"jurisdictions"`
	Owner                 Party        `json:"owner"`
	Products              []IPRProduct `json:"products,omitempty"`
	AuthenticityFeatures  string       `json:"authenticityFeatures,omitempty"`
}

// IPRProduct is a genuine product covered by a right.
type IPRProduct struct {
	GTIN        string `json:"gtin"`
	Description string `json:"description,omitempty"`
	HSCode      string `json:"hsCode,omitempty"`
}

// IPRLicense licenses an IPRRight.
type IPRLicense struct {
	Envelope
	Extends                 RightRef `json:"extends"`
	Licensor                Party    `json:"licensor"`
	Licensee                Party    `json:"licensee"`
	Exclusive               *bool    `json:"exclusive,omitempty"`
	PermittedActs           []string `json:"permittedActs"`
	Territories             []string `json:"territories"`
	Products                []string `json:"products,omitempty"`
	AuthorizedManufacturers []Party  `json:"authorizedManufacturers,omitempty"`
}

// RightRef names the IPRRight a licence extends.
type RightRef struct {
	RightID     string `json:"rightId"`
	RightDigest Digest `json:"rightDigest,omitempty"`
}

// SensorReading is one observation by a sensor or camera.
type SensorReading struct {
	Envelope
	SensorID    string         `json:"sensorId"`
	SensorType  string         `json:"sensorType"`
	ObservedAt  DateTime       `json:"observedAt"`
	Property    string         `json:"property"`
	Value       Decimal        `json:"value,omitempty"`
	UnitCode    string         `json:"unitCode,omitempty"`
	Location    *Location      `json:"location,omitempty"`
	Subject     *SensorSubject `json:"subject,omitempty"`
	MediaDigest Digest         `json:"mediaDigest,omitempty"`
	MediaType   string         `json:"mediaType,omitempty"`
}

// SensorSubject is what a reading is about.
type SensorSubject struct {
	ContainerNumber string `json:"containerNumber,omitempty"`
	RecordID        string `json:"recordId,omitempty"`
	Conveyance      string `json:"conveyance,omitempty"`
}

// AssetEvent is a lifecycle event of a tagged asset.
type AssetEvent struct {
	Envelope
	AssetTag     string    `json:"assetTag"`
	AssetType    string    `json:"assetType,omitempty"`
	SerialNumber string    `json:"serialNumber,omitempty"`
	Event        string    `json:"event"`
	EventTime    DateTime  `json:"eventTime"`
	Custodian    Party     `json:"custodian"`
	Location     Location  `json:"location"`
	FromLocation *Location `json:"fromLocation,omitempty"`
	Condition    string    `json:"condition,omitempty"`
	Note         string    `json:"note,omitempty"`
}
