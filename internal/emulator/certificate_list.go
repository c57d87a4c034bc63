package emulator

import (
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"
)

// ListUserCertificateOrder: certificates or orders, by OrderType, newest first (by id; the order
// is not documented). ListCert is in cert_repository.go.

func init() {
	registerAction(casVersion, "ListUserCertificateOrder", listUserCertificateOrder)
}

// Page sizes: both lists default to 50 (documented); a maximum is not documented, the emulator
// allows 100.
const (
	defaultListPageSize = 50
	maxListPageSize     = 100
)

var (
	orderTypes     = []string{"CPACK", "BUY", "UPLOAD", "CERT"}
	orderStatuses  = []string{"PAYED", "CHECKING", "CHECKED_FAIL", "ISSUED", "WILLEXPIRED", "EXPIRED", "NOTACTIVATED", "REVOKED"}
	certOnlyStatus = []string{"ISSUED", "WILLEXPIRED", "EXPIRED"}
)

// certificateOrderItem is one entry of CertificateOrderList. Which fields appear depends on
// OrderType (cas-models.md): certificate fields for CERT/UPLOAD, order fields for CPACK/BUY,
// InstanceId for both. Status is documented for orders only and is not given for certificates.
type certificateOrderItem struct {
	InstanceID string `json:"InstanceId"`

	// CERT / UPLOAD
	CertificateID   int64  `json:"CertificateId,omitempty"`
	Name            string `json:"Name,omitempty"`
	CommonName      string `json:"CommonName,omitempty"`
	Sans            string `json:"Sans,omitempty"`
	Issuer          string `json:"Issuer,omitempty"`
	OrgName         string `json:"OrgName,omitempty"`
	Country         string `json:"Country,omitempty"`
	Province        string `json:"Province,omitempty"`
	City            string `json:"City,omitempty"`
	StartDate       string `json:"StartDate,omitempty"`
	EndDate         string `json:"EndDate,omitempty"`
	Expired         *bool  `json:"Expired,omitempty"`
	Fingerprint     string `json:"Fingerprint,omitempty"`
	Sha2            string `json:"Sha2,omitempty"`
	SerialNo        string `json:"SerialNo,omitempty"`
	ResourceGroupID string `json:"ResourceGroupId,omitempty"`
	Upload          *bool  `json:"Upload,omitempty"`

	// CPACK / BUY
	OrderID         int64  `json:"OrderId,omitempty"`
	ProductCode     string `json:"ProductCode,omitempty"`
	ProductName     string `json:"ProductName,omitempty"`
	Algorithm       string `json:"Algorithm,omitempty"`
	BuyDate         int64  `json:"BuyDate,omitempty"`
	CertStartTime   int64  `json:"CertStartTime,omitempty"`
	CertEndTime     int64  `json:"CertEndTime,omitempty"`
	CertType        string `json:"CertType,omitempty"`
	Domain          string `json:"Domain,omitempty"`
	DomainCount     *int64 `json:"DomainCount,omitempty"`
	WildDomainCount *int64 `json:"WildDomainCount,omitempty"`
	DomainType      string `json:"DomainType,omitempty"`
	RootBrand       string `json:"RootBrand,omitempty"`
	SourceType      string `json:"SourceType,omitempty"`
	Status          string `json:"Status,omitempty"`
	TrusteeStatus   string `json:"TrusteeStatus,omitempty"`
}

type listUserCertificateOrderResponse struct {
	TotalCount           int64                  `json:"TotalCount"`
	CurrentPage          int64                  `json:"CurrentPage"`
	ShowSize             int64                  `json:"ShowSize"`
	CertificateOrderList []certificateOrderItem `json:"CertificateOrderList"`
}

func listUserCertificateOrder(c *Call) (any, *APIError) {
	page, size, apiErr := c.Page(defaultListPageSize, maxListPageSize)
	if apiErr != nil {
		return nil, apiErr
	}
	orderType := c.String("OrderType")
	if orderType == "" {
		orderType = "CPACK" // the documented default: not certificates
	}
	if !slices.Contains(orderTypes, orderType) {
		return nil, Errorf(http.StatusBadRequest, "InvalidParameter", "The parameter OrderType is invalid: %q; use CPACK, BUY, UPLOAD or CERT.", orderType)
	}
	status := c.String("Status")
	if status != "" && !slices.Contains(orderStatuses, status) {
		return nil, Errorf(http.StatusBadRequest, "InvalidParameter", "The parameter Status is invalid: %q.", status)
	}
	certList := orderType == "CERT" || orderType == "UPLOAD"
	if certList && status != "" && !slices.Contains(certOnlyStatus, status) {
		return nil, Errorf(http.StatusBadRequest, "InvalidParameter", "The parameter Status %s can only be used with OrderType CPACK or BUY.", status)
	}
	keyword := strings.ToLower(c.String("Keyword"))
	rg := c.String("ResourceGroupId")

	var items []certificateOrderItem
	if certList {
		for _, cert := range sortedCertificates(c.State) {
			if orderType == "UPLOAD" && cert.Source == "buy" {
				continue
			}
			st := certStatus(cert, c.Now)
			// The trap: with no Status, only valid certificates (ISSUED + WILLEXPIRED) are listed.
			if (status == "" && st != "ISSUED" && st != "WILLEXPIRED") || (status != "" && st != status) {
				continue
			}
			if rg != "" && certResourceGroup(cert) != rg {
				continue
			}
			if keyword != "" && !matchesKeyword(keyword, append([]string{cert.Name, cert.CommonName, cert.InstanceID}, cert.Sans...)) {
				continue
			}
			items = append(items, certItem(cert, c.Now))
		}
	} else {
		source := strings.ToLower(orderType)
		for _, o := range sortedOrders(c.State) {
			if orderSource(o) != source {
				continue
			}
			if status != "" && orderListStatus(c.State, o, c.Now) != status {
				continue
			}
			if rg != "" && orderResourceGroup(o) != rg {
				continue
			}
			if keyword != "" && !matchesKeyword(keyword, append([]string{o.InstanceID}, o.Domains...)) {
				continue
			}
			items = append(items, orderItem(c.State, o, c.Now))
		}
	}
	out := listUserCertificateOrderResponse{TotalCount: int64(len(items)), CurrentPage: page, ShowSize: size,
		CertificateOrderList: pageOf(items, page, size)}
	return out, nil
}

// pageOf cuts one page out of a list; a page past the end is empty, not an error.
func pageOf[T any](items []T, page, size int64) []T {
	start := (page - 1) * size
	if start >= int64(len(items)) {
		return []T{}
	}
	return items[start:min(start+size, int64(len(items)))]
}

func matchesKeyword(keyword string, fields []string) bool {
	for _, f := range fields {
		if strings.Contains(strings.ToLower(f), keyword) {
			return true
		}
	}
	return false
}

func sortedCertificates(s *State) []*Certificate {
	out := make([]*Certificate, 0, len(s.Certificates))
	for _, cert := range s.Certificates {
		if cert != nil {
			out = append(out, cert)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID > out[j].ID })
	return out
}

func sortedOrders(s *State) []*Order {
	out := make([]*Order, 0, len(s.Orders))
	for _, o := range s.Orders {
		if o != nil {
			out = append(out, o)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID > out[j].ID })
	return out
}

func certItem(cert *Certificate, now time.Time) certificateOrderItem {
	expired, upload := !now.Before(cert.NotAfter), cert.Source != "buy"
	return certificateOrderItem{
		InstanceID: cert.InstanceID, CertificateID: cert.ID, Name: cert.Name, CommonName: cert.CommonName,
		Sans: strings.Join(cert.Sans, ","), Issuer: cert.Issuer, OrgName: cert.OrgName, Country: cert.Country,
		Province: cert.Province, City: cert.City, StartDate: wireDate(cert.NotBefore), EndDate: wireDate(cert.NotAfter),
		Expired: &expired, Fingerprint: cert.Fingerprint, Sha2: cert.Sha2, SerialNo: cert.SerialNo,
		ResourceGroupID: certResourceGroup(cert), Upload: &upload,
	}
}

// orderSource is cpack or buy; an order seeded without one consumed a plan.
func orderSource(o *Order) string {
	if o.SourceType == "" {
		return "cpack"
	}
	return o.SourceType
}

func orderResourceGroup(o *Order) string {
	if o.ResourceGroupID == "" {
		return defaultResourceGroupID
	}
	return o.ResourceGroupID
}

// orderListStatus maps an order's state to the list's Status.
func orderListStatus(s *State, o *Order, now time.Time) string {
	switch o.Status {
	case orderPayed:
		return "PAYED"
	case orderDomainVerify, orderProcess:
		return "CHECKING"
	case orderVerifyFail:
		return "CHECKED_FAIL"
	case orderRevoked:
		return "REVOKED"
	case orderCertificate:
		if cert, ok := certByID(s, o.CertID); ok {
			return certStatus(cert, now)
		}
		return "ISSUED"
	}
	return ""
}

func orderItem(s *State, o *Order, now time.Time) certificateOrderItem {
	spec, _ := lookupProduct(o.ProductCode)
	var wild int64
	for _, d := range o.Domains {
		if isWildcard(d) {
			wild++
		}
	}
	count := int64(len(o.Domains))
	it := certificateOrderItem{
		InstanceID: o.InstanceID, OrderID: o.ID, ProductCode: o.ProductCode, ProductName: spec.productName(),
		Algorithm: o.KeyAlgorithm, BuyDate: Millis(o.CreatedAt), CertType: spec.CertType,
		Domain: strings.Join(o.Domains, ","), DomainCount: &count, WildDomainCount: &wild,
		DomainType: domainType(count, wild), RootBrand: spec.RootBrand, SourceType: orderSource(o),
		Status: orderListStatus(s, o, now), TrusteeStatus: "unTrustee",
	}
	if cert, ok := certByID(s, o.CertID); ok {
		it.CertStartTime, it.CertEndTime = Millis(cert.NotBefore), Millis(cert.NotAfter)
	}
	return it
}

// domainType is ONE, MULTIPLE, WILDCARD or M_WILDCARD (MIX needs mixed names, which API orders
// cannot have, R-15).
func domainType(count, wild int64) string {
	switch {
	case wild == 0 && count <= 1:
		return "ONE"
	case wild == 0:
		return "MULTIPLE"
	case wild == count && count == 1:
		return "WILDCARD"
	case wild == count:
		return "M_WILDCARD"
	}
	return "MIX"
}
