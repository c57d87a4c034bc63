package emulator

import (
	"net/http"
	"strconv"
	"time"
)

// The lifecycle actions of an order (cas-certs.md §4). Unknown OrderId: 404 NotFoundOrder; a
// state that does not allow the action: 403 OrderStateError (the documented codes; which action
// answers which is the inference of §7).

func init() {
	registerAction(casVersion, "DescribeCertificateState", describeCertificateState)
	registerAction(casVersion, "CancelOrderRequest", cancelOrderRequest)
	registerAction(casVersion, "DeleteCertificateRequest", deleteCertificateRequest)
	registerAction(casVersion, "CancelCertificateForPackageRequest", cancelCertificateForPackageRequest)
	registerAction(casVersion, "RenewCertificateOrderForPackageRequest", renewCertificateOrderForPackageRequest)
}

func errOrderNotFound(id int64) *APIError {
	return Errorf(http.StatusNotFound, "NotFoundOrder", "The certificate order %d does not exist.", id)
}

func errOrderState(o *Order, action string) *APIError {
	return Errorf(http.StatusForbidden, "OrderStateError", "The certificate order %d is in state %s, which does not allow %s.", o.ID, wireOrderType(o.Status), action)
}

// orderParam reads the required OrderId and finds the order.
func orderParam(c *Call) (*Order, *APIError) {
	id, apiErr := c.RequiredInt64("OrderId")
	if apiErr != nil {
		return nil, apiErr
	}
	o, ok := orderByID(c.State, id)
	if !ok {
		return nil, errOrderNotFound(id)
	}
	return o, nil
}

// wireOrderType is DescribeCertificateState's Type for an order state.
func wireOrderType(status string) string {
	switch status {
	case orderPayed, orderDomainVerify, orderProcess, orderVerifyFail, orderCertificate:
		return status
	}
	return "unknow" // sic: the service's spelling
}

// certificateStateResponse is DescribeCertificateState's answer: validation instructions only in
// domain_verify, the certificate only in certificate, the private key only when the service
// generated it. CertId is a string in the model.
type certificateStateResponse struct {
	Type         string `json:"Type"`
	CertID       string `json:"CertId,omitempty"`
	ValidateType string `json:"ValidateType,omitempty"`
	RecordType   string `json:"RecordType,omitempty"`
	RecordDomain string `json:"RecordDomain,omitempty"`
	RecordValue  string `json:"RecordValue,omitempty"`
	Domain       string `json:"Domain,omitempty"`
	URI          string `json:"Uri,omitempty"`
	Content      string `json:"Content,omitempty"`
	Certificate  string `json:"Certificate,omitempty"`
	PrivateKey   string `json:"PrivateKey,omitempty"`
}

func describeCertificateState(c *Call) (any, *APIError) {
	o, apiErr := orderParam(c)
	if apiErr != nil {
		return nil, apiErr
	}
	out := certificateStateResponse{Type: wireOrderType(o.Status)}
	if o.CertID != 0 {
		out.CertID = strconv.FormatInt(o.CertID, 10)
	}
	switch o.Status {
	case orderDomainVerify:
		out.ValidateType = o.ValidateType
		if o.ValidateType == "FILE" {
			out.Domain, out.URI, out.Content = o.FileDomain, o.FileURI, o.FileContent
		} else {
			out.RecordType, out.RecordDomain, out.RecordValue = o.RecordType, o.RecordDomain, o.RecordValue
		}
	case orderCertificate:
		out.Certificate = o.CertPEM
		if o.SystemKey {
			out.PrivateKey = o.KeyPEM
		}
	}
	return out, nil
}

// cancelOrderRequest: only pending verification or under review; the order goes back to pending
// application (payed) and keeps its quota until DeleteCertificateRequest.
func cancelOrderRequest(c *Call) (any, *APIError) {
	o, apiErr := orderParam(c)
	if apiErr != nil {
		return nil, apiErr
	}
	if o.Status != orderDomainVerify && o.Status != orderProcess {
		return nil, errOrderState(o, "CancelOrderRequest")
	}
	o.Status, o.CancelledAt = orderPayed, c.Now
	return struct{}{}, nil
}

// deleteCertificateRequest: only a failed (verify_fail) or cancelled/pending (payed) order; the
// order is removed and its quota returned.
func deleteCertificateRequest(c *Call) (any, *APIError) {
	o, apiErr := orderParam(c)
	if apiErr != nil {
		return nil, apiErr
	}
	if o.Status != orderVerifyFail && o.Status != orderPayed {
		return nil, errOrderState(o, "DeleteCertificateRequest")
	}
	removeOrder(c.State, o)
	return struct{}{}, nil
}

func removeOrder(s *State, o *Order) {
	if o.SourceType != "buy" {
		returnQuota(s, o.ProductCode, false)
	}
	delete(s.Orders, orderKey(o.ID))
}

// revokeRefundWindow: a revocation within 30 calendar days of issuance returns the quota.
const revokeRefundWindow = 30 * 24 * time.Hour

// cancelCertificateForPackageRequest revokes an issued certificate (its quota returns if within
// 30 days of issuance) or, following the newer SDK's summary ("revokes an issued certificate or
// cancels a pending certificate order and restores the quota"), removes a pending order and
// returns its quota.
func cancelCertificateForPackageRequest(c *Call) (any, *APIError) {
	o, apiErr := orderParam(c)
	if apiErr != nil {
		return nil, apiErr
	}
	switch o.Status {
	case orderCertificate:
		o.Status, o.RevokedAt = orderRevoked, c.Now
		if cert, ok := certByID(c.State, o.CertID); ok {
			cert.Revoked = true
		}
		if c.Now.Sub(o.IssuedAt) <= revokeRefundWindow && o.SourceType != "buy" {
			returnQuota(c.State, o.ProductCode, true)
		}
	case orderPayed, orderDomainVerify, orderProcess, orderVerifyFail:
		removeOrder(c.State, o)
	default:
		return nil, errOrderState(o, "CancelCertificateForPackageRequest")
	}
	return struct{}{}, nil
}

// renewCertificateOrderForPackageRequest creates the renewal of an issued order whose certificate
// is expiring (WILLEXPIRED): a new order of the same specification and domains, pending
// application (payed), which takes one unit of quota. R-26: a multi-domain certificate cannot be
// renewed, and a manual CSR must name the same domain with the same key algorithm. An order that
// already has a live renewal is refused (not documented).
func renewCertificateOrderForPackageRequest(c *Call) (any, *APIError) {
	old, apiErr := orderParam(c)
	if apiErr != nil {
		return nil, apiErr
	}
	cert, hasCert := certByID(c.State, old.CertID)
	if old.Status != orderCertificate || !hasCert || certStatus(cert, c.Now) != "WILLEXPIRED" {
		return nil, Errorf(http.StatusForbidden, "OrderStateError",
			"The certificate order %d cannot be renewed: only an issued certificate that expires within 30 days can be.", old.ID)
	}
	for _, o := range c.State.Orders {
		if o != nil && o.RenewedFrom == old.ID {
			return nil, Errorf(http.StatusForbidden, "OrderStateError", "The certificate order %d was already renewed by order %d.", old.ID, o.ID)
		}
	}
	if len(old.Domains) > 1 {
		return nil, errOrderParam("The certificate order %d is multi-domain and cannot be renewed; apply for a new certificate (R-26).", old.ID)
	}
	spec, ok := lookupProduct(old.ProductCode)
	if !ok {
		return nil, errOrderParam("The certificate order %d has specification %s, which cannot be renewed through a resource plan.", old.ID, old.ProductCode)
	}
	o := &Order{
		ProductCode: old.ProductCode, Domains: append([]string(nil), old.Domains...), ValidateType: old.ValidateType,
		Username: old.Username, Phone: old.Phone, Email: old.Email, CompanyName: old.CompanyName,
		SystemKey: true, KeyAlgorithm: "RSA", ResourceGroupID: old.ResourceGroupID, RenewedFrom: old.ID,
	}
	if text := c.String("Csr"); text != "" {
		csr, apiErr := parseCSR(text)
		if apiErr != nil {
			return nil, apiErr
		}
		if cn := csr.Subject.CommonName; cn != old.Domains[0] {
			return nil, errOrderParam("The CSR's common name %q must be the renewed certificate's domain %q (R-13).", cn, old.Domains[0])
		}
		if alg := csrAlgorithm(csr); alg != cert.Algorithm {
			return nil, errOrderParam("The CSR's key algorithm %s differs from the renewed certificate's %s (R-26).", alg, cert.Algorithm)
		}
		o.CSR, o.SystemKey, o.KeyAlgorithm = normalizePEM(text), false, csrAlgorithm(csr)
	}
	tags, apiErr := tagParams(c, "Tags")
	if apiErr != nil {
		return nil, apiErr
	}
	if apiErr := takeQuota(c.State, spec.Code); apiErr != nil {
		return nil, apiErr
	}
	o.ID = c.State.newID()
	o.InstanceID = "cas-cn-" + randomLowerAlnum(12)
	o.SourceType, o.Status = "cpack", orderPayed
	o.Region, o.Tags, o.CreatedAt = c.RegionID, tags, c.Now
	c.State.Orders[orderKey(o.ID)] = o
	return orderIDResponse{OrderID: o.ID}, nil
}
