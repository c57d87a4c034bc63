package emulator

import (
	"crypto/x509"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"time"

	"github.com/emmansun/gmsm/smx509"
)

// Time and the control API move orders forward: validation is approved or failed through
// POST /_emulator/orders/{id}/validation, and the CA issues an order in process after its review
// time (5 emulated minutes for DV, 5 emulated days for OV/EV), or at once through
// POST /_emulator/orders/{id}/issue. POST /_emulator/orders/{id}/apply submits a pending (payed)
// order, as the console's "apply" does for a renewal or a cancelled order.

func init() {
	registerTicker(issueDueOrders)
	registerControl("POST", "orders/{}/validation", controlOrderValidation)
	registerControl("POST", "orders/{}/issue", controlOrderIssue)
	registerControl("POST", "orders/{}/apply", controlOrderApply)
}

// renewalBonusCap: a renewal inherits the old certificate's remaining days, at most 30.
const renewalBonusCap = 30 * 24 * time.Hour

// issueDueOrders issues, in id order, every order whose review time has passed; the certificate
// dates from the moment the review ended, not from the tick.
func issueDueOrders(s *State, now time.Time) {
	var due []*Order
	for _, o := range s.Orders {
		if o == nil || o.Status != orderProcess {
			continue
		}
		if spec, ok := lookupProduct(o.ProductCode); ok && !now.Before(o.ProcessAt.Add(spec.reviewTime())) {
			due = append(due, o)
		}
	}
	sort.Slice(due, func(i, j int) bool { return due[i].ID < due[j].ID })
	for _, o := range due {
		spec, _ := lookupProduct(o.ProductCode)
		// An order that cannot be issued (which only a hand-edited CSR could cause) stays in
		// process; the control route's issue reports why.
		_ = issueOrder(s, o, o.ProcessAt.Add(spec.reviewTime()))
	}
}

// issueOrder has the CA sign the order's certificate and records it: a Certificate of source
// "buy" sharing the order's InstanceId, IssuedCount + 1, the order in certificate.
func issueOrder(s *State, o *Order, at time.Time) error {
	spec, ok := lookupProduct(o.ProductCode)
	if !ok {
		return fmt.Errorf("order %d has the unknown specification %q", o.ID, o.ProductCode)
	}
	if o.CSR == "" {
		keyPEM, csrPEM, err := generateKeyAndCSR(o.Domains)
		if err != nil {
			return err
		}
		o.KeyPEM, o.CSR, o.SystemKey = keyPEM, csrPEM, true
	}
	blocks, apiErr := pemBlocks("Csr", o.CSR)
	if apiErr != nil || len(blocks) != 1 {
		return fmt.Errorf("order %d has an unreadable CSR", o.ID)
	}
	csr, err := x509.ParseCertificateRequest(blocks[0].Bytes)
	if err != nil {
		return err
	}
	notBefore := at.UTC().Truncate(time.Second)
	notAfter := spec.validity(notBefore)
	if old, ok := orderByID(s, o.RenewedFrom); ok && o.RenewedFrom != 0 {
		if oldCert, ok := certByID(s, old.CertID); ok {
			notAfter = notAfter.Add(min(max(oldCert.NotAfter.Sub(notBefore), 0), renewalBonusCap))
		}
	}
	leafPEM, chainPEM, err := issueLeaf(leafRequest{
		Brand: spec.Brand, CertType: spec.CertType, Domains: o.Domains, Company: o.CompanyName,
		PublicKey: csr.PublicKey, NotBefore: notBefore, NotAfter: notAfter,
	})
	if err != nil {
		return err
	}
	leaf, err := smx509.ParseCertificatePEM([]byte(leafPEM))
	if err != nil {
		return err
	}
	cert := &Certificate{
		ID: s.newID(), Source: "buy", InstanceID: o.InstanceID, Region: o.Region, OrderID: o.ID,
		Cert: joinPEM(leafPEM, chainPEM), ResourceGroupID: o.ResourceGroupID,
		Tags: append([]ResourceTag(nil), o.Tags...), CreatedAt: at,
	}
	if o.SystemKey {
		cert.Key = o.KeyPEM
	}
	certFacts(cert, leaf)
	cert.Name = "cert-" + strconv.FormatInt(cert.ID, 10)
	for n := 2; certNameTaken(s, cert.Name, cert.ID); n++ {
		cert.Name = fmt.Sprintf("cert-%d-%d", cert.ID, n)
	}
	s.Certificates[certKey(cert.ID)] = cert
	o.Status, o.IssuedAt, o.CertID, o.CertPEM = orderCertificate, at, cert.ID, cert.Cert
	if p, ok := s.Packages[o.ProductCode]; ok && p != nil && o.SourceType != "buy" {
		p.IssuedCount++
	}
	return nil
}

// controlOrder finds the order a control route names.
func controlOrder(s *State, arg string) (*Order, *APIError) {
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil {
		return nil, Errorf(http.StatusBadRequest, "InvalidParameter", "%q is not an order id.", arg)
	}
	o, ok := orderByID(s, id)
	if !ok {
		return nil, errOrderNotFound(id)
	}
	return o, nil
}

// orderControlView is what the order control routes answer.
type orderControlView struct {
	OrderID int64  `json:"order_id"`
	Status  string `json:"status"`
	CertID  int64  `json:"cert_id,omitempty"`
}

func viewOrder(o *Order) orderControlView {
	return orderControlView{OrderID: o.ID, Status: o.Status, CertID: o.CertID}
}

// controlOrderValidation: {"result":"approve"} moves domain_verify to process;
// {"result":"fail"} moves domain_verify or process to verify_fail.
func controlOrderValidation(s *State, now time.Time, args []string, body []byte) (any, *APIError) {
	o, apiErr := controlOrder(s, args[0])
	if apiErr != nil {
		return nil, apiErr
	}
	var in struct {
		Result string `json:"result"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, Errorf(http.StatusBadRequest, "InvalidParameter", "The body must be {\"result\": \"approve\"} or {\"result\": \"fail\"}.")
	}
	switch {
	case in.Result == "approve" && o.Status == orderDomainVerify:
		o.Status, o.ProcessAt = orderProcess, now
	case in.Result == "fail" && (o.Status == orderDomainVerify || o.Status == orderProcess):
		o.Status, o.FailedAt = orderVerifyFail, now
	case in.Result != "approve" && in.Result != "fail":
		return nil, Errorf(http.StatusBadRequest, "InvalidParameter", "result must be approve or fail, not %q.", in.Result)
	default:
		return nil, errOrderState(o, "validation "+in.Result)
	}
	return viewOrder(o), nil
}

// controlOrderIssue issues an order in process now.
func controlOrderIssue(s *State, now time.Time, args []string, _ []byte) (any, *APIError) {
	o, apiErr := controlOrder(s, args[0])
	if apiErr != nil {
		return nil, apiErr
	}
	if o.Status != orderProcess {
		return nil, errOrderState(o, "issue")
	}
	if err := issueOrder(s, o, now); err != nil {
		return nil, Errorf(http.StatusInternalServerError, "Error", "The order %d could not be issued: %v", o.ID, err)
	}
	return viewOrder(o), nil
}

// controlOrderApply submits a payed order: it enters domain_verify with new validation
// instructions.
func controlOrderApply(s *State, now time.Time, args []string, _ []byte) (any, *APIError) {
	o, apiErr := controlOrder(s, args[0])
	if apiErr != nil {
		return nil, apiErr
	}
	if o.Status != orderPayed || len(o.Domains) == 0 {
		return nil, errOrderState(o, "apply")
	}
	startValidation(o, now)
	return viewOrder(o), nil
}
