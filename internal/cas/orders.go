package cas

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	sdkcas "github.com/aliyun/alibaba-cloud-sdk-go/services/cas"
)

// Certificate applications from a purchased resource plan (cas-certs.md §4): an order is created
// in domain_verify, moves to process once its domains are validated, then to certificate or
// verify_fail. CancelOrderRequest takes an order in validation or review back to payed (the quota
// stays used); DeleteCertificateRequest removes a payed or failed order and returns its quota;
// CancelCertificateForPackageRequest revokes an issued certificate (or drops a pending order);
// RenewCertificateOrderForPackageRequest opens a new order for an expiring certificate.
//
// Wrong states are refused with 403 OrderStateError (IsOrderState) and unknown orders with 404
// NotFoundOrder (IsNotFound).

// OrderRequest is a certificate application from a purchased resource plan.
type OrderRequest struct {
	ProductCode            string
	Domains                []string // sent comma-separated in Domain; the first is the Common Name
	ValidateType           string   // "DNS" or "FILE"
	Username, Phone, Email string   // optional: the service uses the latest contact instead
	CompanyName            string   // OV/EV
	CSR                    string   // optional PEM; absent = the service generates the key
	Tags                   map[string]string
}

// CreateOrder sends CreateCertificateForPackageRequest (works for DV, OV, EV) and answers the
// OrderId. It consumes a unit of the resource plan, so it is never resent once it may have reached
// the service: an unknown outcome is an *OutcomeUnknownError, and the caller looks for the order
// (FindOrders) before anything else.
//
// The typed SDK request has no Tags, so the call goes through CommonRequest. Every parameter
// travels in the POST body: the CSR (large, and no business of proxies' access logs) and the
// applicant's name, phone and email (personal data) never appear in a URL.
func (c *Client) CreateOrder(ctx context.Context, in OrderRequest) (int64, error) {
	form := map[string]string{}
	for k, v := range map[string]string{
		"ProductCode": in.ProductCode, "Domain": strings.Join(in.Domains, ","), "ValidateType": in.ValidateType,
		"Username": in.Username, "Phone": in.Phone, "Email": in.Email, "CompanyName": in.CompanyName, "Csr": in.CSR,
	} {
		if v != "" {
			form[k] = v
		}
	}
	addOrderTags(form, "Tags", in.Tags)
	var out struct {
		OrderID int64 `json:"OrderId"`
	}
	err := c.commonRequest(ctx, commonCall{Action: "CreateCertificateForPackageRequest", Form: form}, &out)
	if err != nil {
		return 0, err
	}
	if out.OrderID == 0 {
		// The order may exist: the answer does not say which, so treat it like a lost answer.
		return 0, &OutcomeUnknownError{Action: "CreateCertificateForPackageRequest",
			Err: fmt.Errorf("the answer has no OrderId")}
	}
	return out.OrderID, nil
}

// OrderState is DescribeCertificateState's answer. The private key, sent when the service
// generated it, is discarded unread: no field holds it, and it is never decoded.
type OrderState struct {
	Type                                  string // payed, domain_verify, process, verify_fail, certificate, unknow
	ValidateType                          string // DNS or FILE (domain_verify only)
	RecordType, RecordDomain, RecordValue string // DNS; RecordDomain as the service gives it (may be relative, e.g. "_dnsauth")
	FileDomain, FileURI, FileContent      string // FILE: Domain, Uri, Content
	CertificatePEM                        string // Type certificate: leaf followed by chain as the service gives it
	CertID                                int64  // CertId (a string on the wire in newer SDKs; parsed), 0 when absent
}

// certificateState is DescribeCertificateState's answer as decoded. The typed SDK's response has
// no CertId and decodes PrivateKey; this struct has the one and deliberately lacks the other, so
// the key is never decoded into a field (it exists only in the raw answer the SDK read, which is
// dropped with the call).
type certificateState struct {
	Type         string       `json:"Type"`
	ValidateType string       `json:"ValidateType"`
	RecordType   string       `json:"RecordType"`
	RecordDomain string       `json:"RecordDomain"`
	RecordValue  string       `json:"RecordValue"`
	Domain       string       `json:"Domain"`
	URI          string       `json:"Uri"`
	Content      string       `json:"Content"`
	Certificate  string       `json:"Certificate"`
	CertID       lenientInt64 `json:"CertId"`
}

// DescribeCertificateState reads an order's state: the validation to do, or the certificate once
// issued. An unknown order is a NotFoundError (NotFoundOrder).
func (c *Client) DescribeCertificateState(ctx context.Context, orderID int64) (*OrderState, error) {
	var d certificateState
	err := c.commonRequest(ctx, commonCall{Action: "DescribeCertificateState", Idempotent: true,
		Query: map[string]string{"OrderId": strconv.FormatInt(orderID, 10)}}, &d)
	if err != nil {
		return nil, err
	}
	return &OrderState{
		Type: d.Type, ValidateType: d.ValidateType,
		RecordType: d.RecordType, RecordDomain: d.RecordDomain, RecordValue: d.RecordValue,
		FileDomain: d.Domain, FileURI: d.URI, FileContent: d.Content,
		CertificatePEM: d.Certificate, CertID: int64(d.CertID),
	}, nil
}

// CancelOrderRequest takes an order in validation or review (domain_verify, process) back to
// pending application (payed); its quota stays used until DeleteCertificateRequest. It is retried
// like a read: cancelling twice cannot act twice. A resend after a first attempt that worked but
// whose answer was lost, like any cancel of an order already payed, is refused with
// OrderStateError (IsOrderState): the caller reads the state (DescribeCertificateState) to tell
// "already cancelled" from "cannot be cancelled".
func (c *Client) CancelOrderRequest(ctx context.Context, orderID int64) error {
	return c.invoke(ctx, "CancelOrderRequest", true, func(sc *sdkcas.Client) (string, error) {
		req := sdkcas.CreateCancelOrderRequestRequest()
		c.prepare(req)
		req.OrderId = requests.NewInteger64(orderID)
		resp, err := sc.CancelOrderRequest(req)
		if err != nil {
			return "", err
		}
		return resp.RequestId, nil
	})
}

// CancelCertificateForPackageRequest revokes an issued certificate (its quota returns when it is
// revoked within 30 days of issuance) or, per the newer SDK's summary, drops a pending order and
// returns its quota. It is retried like a read: a certificate cannot be revoked twice. A resend
// after a lost success answers OrderStateError (the order is revoked) or NotFoundError (a pending
// order is gone); callers treat both as done after reading the state.
func (c *Client) CancelCertificateForPackageRequest(ctx context.Context, orderID int64) error {
	return c.invoke(ctx, "CancelCertificateForPackageRequest", true, func(sc *sdkcas.Client) (string, error) {
		req := sdkcas.CreateCancelCertificateForPackageRequestRequest()
		c.prepare(req)
		req.OrderId = requests.NewInteger64(orderID)
		resp, err := sc.CancelCertificateForPackageRequest(req)
		if err != nil {
			return "", err
		}
		return resp.RequestId, nil
	})
}

// DeleteCertificateRequest removes a failed (verify_fail) or pending (payed, e.g. cancelled) order
// and returns its quota. Repeating it is safe: a second call finds nothing and answers
// NotFoundError, which callers treat as done. Other states answer OrderStateError.
func (c *Client) DeleteCertificateRequest(ctx context.Context, orderID int64) error {
	return c.invoke(ctx, "DeleteCertificateRequest", true, func(sc *sdkcas.Client) (string, error) {
		req := sdkcas.CreateDeleteCertificateRequestRequest()
		c.prepare(req)
		req.OrderId = requests.NewInteger64(orderID)
		resp, err := sc.DeleteCertificateRequest(req)
		if err != nil {
			return "", err
		}
		return resp.RequestId, nil
	})
}

// RenewOrder sends RenewCertificateOrderForPackageRequest and answers the new OrderId (pending
// application, payed). It takes a unit of quota, so it is not idempotent and never resent blindly:
// an unknown outcome is an *OutcomeUnknownError (look for the new order with FindOrders). csr ""
// lets the service reuse the order's domain and generate the key.
//
// The typed SDK request puts Csr in the URL (and has no Tags), so the call goes through
// CommonRequest with the CSR in the POST body, as CreateOrder sends it.
func (c *Client) RenewOrder(ctx context.Context, orderID int64, csr string) (int64, error) {
	form := map[string]string{"OrderId": strconv.FormatInt(orderID, 10)}
	if csr != "" {
		form["Csr"] = csr
	}
	var out struct {
		OrderID int64 `json:"OrderId"`
	}
	err := c.commonRequest(ctx, commonCall{Action: "RenewCertificateOrderForPackageRequest", Form: form}, &out)
	if err != nil {
		return 0, err
	}
	if out.OrderID == 0 {
		return 0, &OutcomeUnknownError{Action: "RenewCertificateOrderForPackageRequest",
			Err: fmt.Errorf("the answer has no OrderId")}
	}
	return out.OrderID, nil
}

// OrderSummary is one CPACK order of ListUserCertificateOrder.
type OrderSummary struct {
	OrderID                             int64
	InstanceID, ProductCode, Domain     string // Domain as listed (comma-separated for several)
	Status                              string // PAYED, CHECKING, CHECKED_FAIL, ISSUED, WILLEXPIRED, EXPIRED, NOTACTIVATED, REVOKED
	BuyDate, CertStartTime, CertEndTime time.Time
	DomainType                          string // ONE, MULTIPLE, WILDCARD, M_WILDCARD, MIX
	CertType                            string // DV, OV, EV, FREE
	Algorithm                           string
}

// kindOrders is ListUserCertificateOrder's OrderType for applications that consume a resource
// plan (the service's default, sent anyway).
const kindOrders = "CPACK"

// FindOrders lists every CPACK order, page by page, deduplicated by OrderId (a list that changes
// while it is read can show an order on two pages).
//
// It asks without a Status: the service documents that for CPACK and BUY an empty Status lists
// all orders, whatever their state ("If you set OrderType to CPACK or BUY and Status is left
// empty, all orders are returned by default", the Status description of the generated SDKs);
// the trap of a list limited to valid items (cas-api.md "Traps") concerns CERT and UPLOAD only.
// One pass then costs ceil(n/50) calls at the action's 10 calls a second, against eight passes
// for the eight statuses.
func (c *Client) FindOrders(ctx context.Context) ([]OrderSummary, error) {
	return ListAllUnique(ctx, listPageSize, func(o OrderSummary) int64 { return o.OrderID }, c.listOrderPage)
}

func (c *Client) listOrderPage(ctx context.Context, page, size int) ([]OrderSummary, int, error) {
	var items []OrderSummary
	var total int
	err := c.invoke(ctx, "ListUserCertificateOrder", true, func(sc *sdkcas.Client) (string, error) {
		req := sdkcas.CreateListUserCertificateOrderRequest()
		c.prepare(req)
		req.OrderType = kindOrders
		req.CurrentPage, req.ShowSize = requests.NewInteger(page), requests.NewInteger(size)
		resp, err := sc.ListUserCertificateOrder(req)
		if err != nil {
			return "", err
		}
		items, total = nil, int(resp.TotalCount)
		for _, it := range resp.CertificateOrderList {
			items = append(items, OrderSummary{
				OrderID: it.OrderId, InstanceID: it.InstanceId, ProductCode: it.ProductCode, Domain: it.Domain,
				Status: it.Status, BuyDate: fromMillis(it.BuyDate), CertStartTime: fromMillis(it.CertStartTime),
				CertEndTime: fromMillis(it.CertEndTime), DomainType: it.DomainType, CertType: it.CertType,
				Algorithm: it.Algorithm,
			})
		}
		return resp.RequestId, nil
	})
	return items, total, err
}

// addOrderTags writes tags as <prefix>.N.Key / <prefix>.N.Value, N from 1 in key order.
func addOrderTags(params map[string]string, prefix string, tags map[string]string) {
	for i, k := range sortedKeys(tags) {
		n := prefix + "." + strconv.Itoa(i+1)
		params[n+".Key"], params[n+".Value"] = k, tags[k]
	}
}

// lenientInt64 reads an integer the service sends as a JSON number or as a string (CertId is a
// string in the newer models); absent, null or "" is 0.
type lenientInt64 int64

func (v *lenientInt64) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		*v = 0
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		b = []byte(strings.TrimSpace(s))
		if len(b) == 0 {
			*v = 0
			return nil
		}
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		return fmt.Errorf("not an integer: %s", b)
	}
	*v = lenientInt64(n)
	return nil
}
