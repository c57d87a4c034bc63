package emulator

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Certificate applications from a purchased resource plan (cas-certs.md §4): the Order kind, the
// product specifications and the three create actions. The lifecycle (describe, cancel, delete,
// revoke, renew, the ticker and the control routes) is in order_lifecycle.go; request checks in
// order_checks.go.
//
// States (DescribeCertificateState's Type): domain_verify → (validation approved) process →
// certificate, or verify_fail; CancelOrderRequest moves domain_verify/process back to payed;
// "revoked" is the emulator's own state after CancelCertificateForPackageRequest and is answered
// as Type "unknow", the documented catch-all.

// Order is one certificate application (an OrderId).
type Order struct {
	ID          int64  `json:"id"`
	InstanceID  string `json:"instance_id"` // cas-cn-xxxxxxxxxxxx
	ProductCode string `json:"product_code"`
	// SourceType is "cpack" (consumes a resource plan's quota; every order the API creates) or
	// "buy" (a purchase order; only seeded through the control API).
	SourceType   string   `json:"source_type"`
	Domains      []string `json:"domains"`
	ValidateType string   `json:"validate_type"` // DNS or FILE
	Username     string   `json:"username,omitempty"`
	Phone        string   `json:"phone,omitempty"`
	Email        string   `json:"email,omitempty"`
	CompanyName  string   `json:"company_name,omitempty"`

	// CSR is the caller's CSR, or the system-generated one once issued (SystemKey, R-23).
	CSR          string `json:"csr,omitempty"`
	SystemKey    bool   `json:"system_key"`
	KeyPEM       string `json:"key_pem,omitempty"` // the system-generated key, once issued
	KeyAlgorithm string `json:"key_algorithm"`     // RSA or ECC

	Status string `json:"status"` // payed, domain_verify, process, verify_fail, certificate, revoked

	RecordType   string `json:"record_type,omitempty"`
	RecordDomain string `json:"record_domain,omitempty"`
	RecordValue  string `json:"record_value,omitempty"`
	FileDomain   string `json:"file_domain,omitempty"`
	FileURI      string `json:"file_uri,omitempty"`
	FileContent  string `json:"file_content,omitempty"`

	CertID  int64  `json:"cert_id,omitempty"`
	CertPEM string `json:"cert_pem,omitempty"` // leaf and chain as issued

	Region          string        `json:"region"`
	ResourceGroupID string        `json:"resource_group_id,omitempty"`
	Tags            []ResourceTag `json:"tags,omitempty"`
	RenewedFrom     int64         `json:"renewed_from,omitempty"`

	CreatedAt   time.Time `json:"created_at"`
	SubmittedAt time.Time `json:"submitted_at,omitzero"` // entered domain_verify
	ProcessAt   time.Time `json:"process_at,omitzero"`   // validation approved
	IssuedAt    time.Time `json:"issued_at,omitzero"`
	FailedAt    time.Time `json:"failed_at,omitzero"`
	CancelledAt time.Time `json:"cancelled_at,omitzero"`
	RevokedAt   time.Time `json:"revoked_at,omitzero"`
}

// Order states.
const (
	orderPayed        = "payed"
	orderDomainVerify = "domain_verify"
	orderProcess      = "process"
	orderVerifyFail   = "verify_fail"
	orderCertificate  = "certificate"
	orderRevoked      = "revoked"
)

// productSpec is a ProductCode decoded: brand-type-shape-edition.
type productSpec struct {
	Code      string
	Brand     string // the issuing brand: DigiCert, GeoTrust, GlobalSign, CFCA
	RootBrand string // ListUserCertificateOrder's RootBrand
	CertType  string // FREE, DV, OV, EV
	Wildcard  bool   // shape "w"
}

// lookupProduct decodes one of the documented codes (packageProductCodes). The shape is read
// from the code ("1" single, "w" wildcard) even where a description says otherwise
// (symantec-dv-1-starter is described as wildcard), and cfca-ev-w-advanced is EV as its code says.
func lookupProduct(code string) (productSpec, bool) {
	if !slices.Contains(packageProductCodes, code) {
		return productSpec{}, false
	}
	parts := strings.Split(code, "-")
	spec := productSpec{Code: code, CertType: strings.ToUpper(parts[1]), Wildcard: parts[2] == "w"}
	switch parts[0] {
	case "digicert", "symantec":
		spec.Brand, spec.RootBrand = "DigiCert", "DigiCert"
	case "geotrust":
		spec.Brand, spec.RootBrand = "GeoTrust", "DigiCert"
	case "globalsign":
		spec.Brand, spec.RootBrand = "GlobalSign", "GlobalSign"
	case "cfca":
		spec.Brand, spec.RootBrand = "CFCA", "CFCA"
	}
	return spec, true
}

// isDV reports whether the spec is one of the 7 DV codes CreateCertificateRequest and
// CreateCertificateWithCsrRequest accept.
func (p productSpec) isDV() bool { return p.CertType == "FREE" || p.CertType == "DV" }

// productName is the emulator's ProductName for a spec.
func (p productSpec) productName() string {
	shape := "single-domain"
	if p.Wildcard {
		shape = "wildcard"
	}
	switch p.Code {
	case "digicert-free-1-free":
		return "DigiCert DV single-domain (free trial, 3 months)"
	case "symantec-free-1-free":
		return "DigiCert DV single-domain (free, 1 year)"
	}
	return fmt.Sprintf("%s %s %s", p.Brand, p.CertType, shape)
}

// validity is how long the spec's certificates are valid: 3 months for the free test product,
// one year otherwise (within the 397-day ceiling of R-14).
func (p productSpec) validity(from time.Time) time.Time {
	if p.Code == "digicert-free-1-free" {
		return from.AddDate(0, 3, 0)
	}
	return from.Add(365 * 24 * time.Hour)
}

// reviewTime is how long the CA takes once validation is approved: DV in minutes, OV/EV in days
//
func (p productSpec) reviewTime() time.Duration {
	if p.isDV() {
		return 5 * time.Minute
	}
	return 5 * 24 * time.Hour
}

func init() {
	registerAction(casVersion, "CreateCertificateForPackageRequest", createCertificateForPackageRequest)
	registerAction(casVersion, "CreateCertificateRequest", createCertificateRequest)
	registerAction(casVersion, "CreateCertificateWithCsrRequest", createCertificateWithCsrRequest)
}

func orderKey(id int64) string { return strconv.FormatInt(id, 10) }

// orderByID finds an order by its OrderId.
func orderByID(s *State, id int64) (*Order, bool) {
	o, ok := s.Orders[orderKey(id)]
	return o, ok && o != nil
}

type orderIDResponse struct {
	OrderID int64 `json:"OrderId"`
}

// productParam reads ProductCode (default digicert-free-1-free); dvOnly limits it to the 7 DV
// codes.
func productParam(c *Call, dvOnly bool) (productSpec, *APIError) {
	code := c.String("ProductCode")
	if code == "" {
		code = defaultPackageProductCode
	}
	spec, ok := lookupProduct(code)
	if !ok || (dvOnly && !spec.isDV()) {
		kind := "a certificate specification"
		if dvOnly {
			kind = "a DV certificate specification"
		}
		return spec, Errorf(http.StatusBadRequest, "InvalidParameter", "The parameter ProductCode is invalid: %q is not %s.", code, kind)
	}
	return spec, nil
}

func createCertificateForPackageRequest(c *Call) (any, *APIError) {
	spec, apiErr := productParam(c, false)
	if apiErr != nil {
		return nil, apiErr
	}
	o := &Order{ProductCode: spec.Code}
	if apiErr := readOrderSubject(c, spec, o, 5, true); apiErr != nil {
		return nil, apiErr
	}
	if apiErr := readApplicant(c, spec, o, false); apiErr != nil {
		return nil, apiErr
	}
	return submitOrder(c, spec, o)
}

// dvOrderParams checks the parameters the two DV-only create actions require, then reads the
// product.
func dvOrderParams(c *Call, required ...string) (productSpec, *APIError) {
	for _, p := range required {
		if _, apiErr := c.Required(p); apiErr != nil {
			return productSpec{}, apiErr
		}
	}
	return productParam(c, true)
}

func createCertificateRequest(c *Call) (any, *APIError) {
	spec, apiErr := dvOrderParams(c, "Domain", "Email", "Phone", "Username", "ValidateType")
	if apiErr != nil {
		return nil, apiErr
	}
	o := &Order{ProductCode: spec.Code}
	if apiErr := readOrderSubject(c, spec, o, 1, false); apiErr != nil {
		return nil, apiErr
	}
	if apiErr := readApplicant(c, spec, o, true); apiErr != nil {
		return nil, apiErr
	}
	return submitOrder(c, spec, o)
}

func createCertificateWithCsrRequest(c *Call) (any, *APIError) {
	spec, apiErr := dvOrderParams(c, "Csr", "Email", "Phone", "Username", "ValidateType")
	if apiErr != nil {
		return nil, apiErr
	}
	o := &Order{ProductCode: spec.Code}
	csr, apiErr := parseCSR(c.String("Csr"))
	if apiErr != nil {
		return nil, apiErr
	}
	// The CSR's CN is the bound domain.
	domains, apiErr := parseDomains("Csr", csr.Subject.CommonName, 1)
	if apiErr != nil {
		return nil, apiErr
	}
	if apiErr := checkShape(spec, domains); apiErr != nil {
		return nil, apiErr
	}
	o.Domains, o.CSR, o.KeyAlgorithm = domains, normalizePEM(c.String("Csr")), csrAlgorithm(csr)
	if apiErr := readApplicant(c, spec, o, true); apiErr != nil {
		return nil, apiErr
	}
	return submitOrder(c, spec, o)
}

// submitOrder takes one unit of the resource plan's quota and records the order in
// domain_verify. No plan: 404 NotFoundPackage; none left: 404 NotRemainCount (the documented
// codes, cas-certs.md §7). UsedCount grows on every successful create (§4).
func submitOrder(c *Call, spec productSpec, o *Order) (any, *APIError) {
	tags, apiErr := tagParams(c, "Tags")
	if apiErr != nil {
		return nil, apiErr
	}
	if apiErr := takeQuota(c.State, spec.Code); apiErr != nil {
		return nil, apiErr
	}
	o.ID = c.State.newID()
	o.InstanceID = "cas-cn-" + randomLowerAlnum(12)
	o.SourceType = "cpack"
	o.Region = c.RegionID
	o.Tags = tags
	o.CreatedAt = c.Now
	startValidation(o, c.Now)
	c.State.Orders[orderKey(o.ID)] = o
	return orderIDResponse{OrderID: o.ID}, nil
}

// takeQuota consumes one application of a resource plan.
func takeQuota(s *State, code string) *APIError {
	p, ok := s.Packages[code]
	if !ok || p == nil {
		return Errorf(http.StatusNotFound, "NotFoundPackage", "No certificate resource plan of specification %s was purchased.", code)
	}
	if p.UsedCount >= p.TotalCount {
		return Errorf(http.StatusNotFound, "NotRemainCount", "The certificate resource plan of specification %s has no remaining quota (%d of %d used).", code, p.UsedCount, p.TotalCount)
	}
	p.UsedCount++
	return nil
}

// returnQuota gives one application back (DeleteCertificateRequest, a revocation in time).
func returnQuota(s *State, code string, issued bool) {
	if p, ok := s.Packages[code]; ok && p != nil {
		if p.UsedCount > 0 {
			p.UsedCount--
		}
		if issued && p.IssuedCount > 0 {
			p.IssuedCount--
		}
	}
}

// startValidation moves an order to domain_verify with fresh validation instructions: a DNS TXT
// record at _dnsauth.<domain> or a file under /.well-known/pki-validation/ (R-24).
func startValidation(o *Order, now time.Time) {
	o.Status, o.SubmittedAt = orderDomainVerify, now
	base := strings.TrimPrefix(o.Domains[0], "*.")
	o.RecordType, o.RecordDomain, o.RecordValue = "", "", ""
	o.FileDomain, o.FileURI, o.FileContent = "", "", ""
	if o.ValidateType == "FILE" {
		o.FileDomain = base
		o.FileURI = "/.well-known/pki-validation/fileauth.txt"
		o.FileContent = randomLowerAlnum(48)
		return
	}
	o.RecordType = "TXT"
	o.RecordDomain = "_dnsauth." + base
	o.RecordValue = randomLowerAlnum(32)
}
