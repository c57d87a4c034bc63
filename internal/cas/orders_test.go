package cas

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"

	"github.com/certforge/terraform-provider-alicloudcas/internal/emulator"
	"github.com/certforge/terraform-provider-alicloudcas/internal/emulator/control"
)

// captured is what a scripted server saw of one request: the URL's parameters and the body's.
type captured struct {
	rawQuery string
	query    url.Values
	form     url.Values // the POST body only
}

// capture records each request, then answers with next.
func capture(into *[]captured, mu *sync.Mutex, next step) step {
	return func(w http.ResponseWriter, r *http.Request) {
		c := captured{rawQuery: r.URL.RawQuery, query: r.URL.Query()}
		if err := r.ParseForm(); err == nil {
			c.form = r.PostForm
		}
		mu.Lock()
		*into = append(*into, c)
		mu.Unlock()
		next(w, r)
	}
}

func testCSR(t *testing.T, cn string) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: pkix.Name{CommonName: cn}, DNSNames: []string{cn}}, key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der}))
}

func TestCreateOrderSendsItsParameters(t *testing.T) {
	var seen []captured
	var mu sync.Mutex
	srv, _ := scripted(t, capture(&seen, &mu, ok(`{"RequestId":"R","OrderId":2021010}`)))
	c, _ := testClient(t, srv.URL, 0)
	csr := testCSR(t, "www.example.com")
	id, err := c.CreateOrder(context.Background(), OrderRequest{
		ProductCode: "geotrust-dv-1-starter", Domains: []string{"www.example.com", "api.example.com"},
		ValidateType: "DNS", Username: "Tom", Phone: "1390000****", Email: "tom@example.com", CSR: csr,
		Tags: map[string]string{"team": "web", "env": "prod"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if id != 2021010 {
		t.Fatalf("OrderId = %d", id)
	}
	if len(seen) != 1 {
		t.Fatalf("%d requests, want 1", len(seen))
	}
	got := seen[0]
	if a := got.query.Get("Action"); a != "CreateCertificateForPackageRequest" {
		t.Fatalf("Action = %q", a)
	}
	want := map[string]string{
		"ProductCode": "geotrust-dv-1-starter", "Domain": "www.example.com,api.example.com", "ValidateType": "DNS",
		"Username": "Tom", "Phone": "1390000****", "Email": "tom@example.com", "Csr": csr,
		// Tags in key order.
		"Tags.1.Key": "env", "Tags.1.Value": "prod", "Tags.2.Key": "team", "Tags.2.Value": "web",
	}
	for k, v := range want {
		if g := got.form.Get(k); g != v {
			t.Errorf("body %s = %q, want %q", k, g, v)
		}
		if got.query.Has(k) {
			t.Errorf("%s is in the URL; it belongs in the body", k)
		}
	}
	if got.form.Has("CompanyName") || got.query.Has("CompanyName") {
		t.Error("an empty CompanyName was sent")
	}
	if strings.Contains(got.rawQuery, "CERTIFICATE") || strings.Contains(got.rawQuery, "Csr") {
		t.Fatalf("the CSR is in the URL: %s", got.rawQuery)
	}
}

func TestCreateOrderWithoutCSROrTagsSendsNeither(t *testing.T) {
	var seen []captured
	var mu sync.Mutex
	srv, _ := scripted(t, capture(&seen, &mu, ok(`{"RequestId":"R","OrderId":5}`)))
	c, _ := testClient(t, srv.URL, 0)
	if _, err := c.CreateOrder(context.Background(), OrderRequest{ProductCode: "symantec-ov-1-personal",
		Domains: []string{"example.com"}, ValidateType: "FILE", CompanyName: "A company"}); err != nil {
		t.Fatal(err)
	}
	for k := range seen[0].form {
		if k == "Csr" || strings.HasPrefix(k, "Tags.") || k == "Username" {
			t.Errorf("%s was sent", k)
		}
	}
	if seen[0].form.Get("CompanyName") != "A company" || seen[0].form.Get("Domain") != "example.com" {
		t.Fatalf("body = %v", seen[0].form)
	}
}

// A create that costs a unit of quota is never resent once it may have reached the service.
func TestOrderCreatesAreNotResentWhenTheirOutcomeIsUnknown(t *testing.T) {
	calls := map[string]func(*Client) error{
		"CreateOrder": func(c *Client) error {
			_, err := c.CreateOrder(context.Background(), OrderRequest{Domains: []string{"a.example.com"}, ValidateType: "DNS"})
			return err
		},
		"RenewOrder": func(c *Client) error {
			_, err := c.RenewOrder(context.Background(), 7, "")
			return err
		},
	}
	for name, call := range calls {
		for _, tt := range []struct {
			name string
			step step
		}{
			{"connection dropped after the request", drop},
			{"service unavailable", fail(503, "ServiceUnavailable")},
		} {
			t.Run(name+"/"+tt.name, func(t *testing.T) {
				srv, n := scripted(t, tt.step, ok(`{"RequestId":"R","OrderId":9}`))
				c, _ := testClient(t, srv.URL, 5)
				err := call(c)
				if !IsOutcomeUnknown(err) {
					t.Fatalf("err = %v, want OutcomeUnknownError", err)
				}
				if n.Load() != 1 {
					t.Fatalf("requests = %d, want exactly 1: the create was resent", n.Load())
				}
			})
		}
	}
}

func TestCreateOrderAnswerWithoutOrderIDIsAnUnknownOutcome(t *testing.T) {
	srv, _ := scripted(t, ok(`{"RequestId":"R"}`))
	c, _ := testClient(t, srv.URL, 0)
	if _, err := c.CreateOrder(context.Background(), OrderRequest{Domains: []string{"a.example.com"}}); !IsOutcomeUnknown(err) {
		t.Fatalf("err = %v, want OutcomeUnknownError", err)
	}
}

func TestRenewOrderSendsTheCSRInTheBody(t *testing.T) {
	var seen []captured
	var mu sync.Mutex
	srv, _ := scripted(t, capture(&seen, &mu, ok(`{"RequestId":"R","OrderId":323451222}`)))
	c, _ := testClient(t, srv.URL, 0)
	csr := testCSR(t, "www.example.com")
	id, err := c.RenewOrder(context.Background(), 123451222, csr)
	if err != nil || id != 323451222 {
		t.Fatalf("RenewOrder = %d, %v", id, err)
	}
	got := seen[0]
	if got.query.Get("Action") != "RenewCertificateOrderForPackageRequest" || got.form.Get("OrderId") != "123451222" ||
		got.form.Get("Csr") != csr || strings.Contains(got.rawQuery, "Csr") {
		t.Fatalf("query %q, body %v", got.rawQuery, got.form)
	}
}

const (
	testKeyPEM  = "-----BEGIN RSA PRIVATE KEY-----\nTHE-SERVICE-GENERATED-KEY\n-----END RSA PRIVATE KEY-----\n"
	testCertPEM = "-----BEGIN CERTIFICATE-----\nLEAF\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\nCHAIN\n-----END CERTIFICATE-----\n"
)

func TestDescribeCertificateState(t *testing.T) {
	answer := func(fields map[string]any) string {
		fields["RequestId"] = "R"
		b, _ := json.Marshal(fields)
		return string(b)
	}
	tests := []struct {
		name string
		body string
		want OrderState
	}{
		{"domain_verify DNS", answer(map[string]any{"Type": "domain_verify", "ValidateType": "DNS", "RecordType": "TXT",
			"RecordDomain": "_dnsauth", "RecordValue": "abc123"}),
			OrderState{Type: "domain_verify", ValidateType: "DNS", RecordType: "TXT", RecordDomain: "_dnsauth", RecordValue: "abc123"}},
		{"domain_verify FILE", answer(map[string]any{"Type": "domain_verify", "ValidateType": "FILE", "Domain": "www.example.com",
			"Uri": "/.well-known/pki-validation/fileauth.txt", "Content": "xyz789"}),
			OrderState{Type: "domain_verify", ValidateType: "FILE", FileDomain: "www.example.com",
				FileURI: "/.well-known/pki-validation/fileauth.txt", FileContent: "xyz789"}},
		{"certificate, CertId a string", answer(map[string]any{"Type": "certificate", "Certificate": testCertPEM,
			"PrivateKey": testKeyPEM, "CertId": "14897345"}),
			OrderState{Type: "certificate", CertificatePEM: testCertPEM, CertID: 14897345}},
		{"certificate, CertId a number", answer(map[string]any{"Type": "certificate", "Certificate": testCertPEM, "CertId": 42}),
			OrderState{Type: "certificate", CertificatePEM: testCertPEM, CertID: 42}},
		{"certificate, CertId empty", answer(map[string]any{"Type": "certificate", "Certificate": testCertPEM, "CertId": ""}),
			OrderState{Type: "certificate", CertificatePEM: testCertPEM}},
		{"process", answer(map[string]any{"Type": "process"}), OrderState{Type: "process"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var seen []captured
			var mu sync.Mutex
			srv, _ := scripted(t, capture(&seen, &mu, ok(tt.body)))
			c, _ := testClient(t, srv.URL, 0)
			got, err := c.DescribeCertificateState(context.Background(), 123451222)
			if err != nil {
				t.Fatal(err)
			}
			if *got != tt.want {
				t.Fatalf("got  %+v\nwant %+v", *got, tt.want)
			}
			if seen[0].query.Get("OrderId") != "123451222" {
				t.Fatalf("OrderId sent = %q", seen[0].query.Get("OrderId"))
			}
			if strings.Contains(fmt.Sprintf("%#v", *got), "THE-SERVICE-GENERATED-KEY") {
				t.Fatal("the private key was kept")
			}
		})
	}
}

func TestDescribeCertificateStateRefusesAnUnreadableCertId(t *testing.T) {
	srv, _ := scripted(t, ok(`{"RequestId":"R","Type":"certificate","CertId":"12ab"}`))
	c, _ := testClient(t, srv.URL, 0)
	if _, err := c.DescribeCertificateState(context.Background(), 1); err == nil {
		t.Fatal("an unreadable CertId was taken as an id")
	}
}

// No field of what the client decodes or returns can hold the private key.
func TestOrderStateHasNoPlaceForThePrivateKey(t *testing.T) {
	for _, typ := range []reflect.Type{reflect.TypeOf(OrderState{}), reflect.TypeOf(certificateState{})} {
		for i := range typ.NumField() {
			f := typ.Field(i)
			if strings.Contains(strings.ToLower(f.Name), "key") || strings.Contains(f.Tag.Get("json"), "PrivateKey") {
				t.Errorf("%s.%s could hold the private key", typ.Name(), f.Name)
			}
		}
	}
}

func TestOrderActionsSendTheOrderIDAndRetryLikeReads(t *testing.T) {
	actions := map[string]func(*Client, context.Context, int64) error{
		"CancelOrderRequest":                 (*Client).CancelOrderRequest,
		"CancelCertificateForPackageRequest": (*Client).CancelCertificateForPackageRequest,
		"DeleteCertificateRequest":           (*Client).DeleteCertificateRequest,
	}
	for action, call := range actions {
		t.Run(action, func(t *testing.T) {
			var seen []captured
			var mu sync.Mutex
			srv, n := scripted(t, drop, capture(&seen, &mu, ok(`{"RequestId":"R"}`)))
			c, _ := testClient(t, srv.URL, 3)
			if err := call(c, context.Background(), 123451222); err != nil {
				t.Fatal(err)
			}
			if n.Load() != 2 {
				t.Fatalf("requests = %d, want 2 (the dropped one retried)", n.Load())
			}
			if seen[0].query.Get("Action") != action || seen[0].query.Get("OrderId") != "123451222" {
				t.Fatalf("sent %v", seen[0].query)
			}
		})
	}
}

func TestOrderErrors(t *testing.T) {
	tests := []struct {
		name string
		step step
		is   func(error) bool
	}{
		{"wrong state", fail(403, "OrderStateError"), func(err error) bool { return IsOrderState(err) && !IsNotFound(err) }},
		{"unknown order", fail(404, "NotFoundOrder"), func(err error) bool { return IsNotFound(err) && !IsOrderState(err) }},
		{"another 403", fail(403, "DeleteFail"), func(err error) bool { return err != nil && !IsOrderState(err) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, n := scripted(t, tt.step, ok(`{"RequestId":"R"}`))
			c, _ := testClient(t, srv.URL, 3)
			err := c.CancelOrderRequest(context.Background(), 1)
			if !tt.is(err) || n.Load() != 1 {
				t.Fatalf("err = %v after %d requests", err, n.Load())
			}
		})
	}
}

// orderPages serves ListUserCertificateOrder from a list that can change between pages.
type orderPages struct {
	mu     sync.Mutex
	ids    []int64 // newest first, as the service lists
	before func(page int, p *orderPages)
	asked  []url.Values
}

func (p *orderPages) serve(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	q := r.URL.Query()
	p.asked = append(p.asked, q)
	page, _ := strconv.Atoi(q.Get("CurrentPage"))
	size, _ := strconv.Atoi(q.Get("ShowSize"))
	if p.before != nil {
		p.before(page, p)
	}
	list := []map[string]any{}
	for i := (page - 1) * size; i < min(page*size, len(p.ids)); i++ {
		id := p.ids[i]
		list = append(list, map[string]any{"OrderId": id, "InstanceId": fmt.Sprintf("cas-cn-%d", id),
			"ProductCode": "geotrust-dv-1-starter", "Domain": fmt.Sprintf("o%d.example.com,www.o%d.example.com", id, id),
			"Status": "CHECKING", "DomainType": "MULTIPLE", "CertType": "DV", "Algorithm": "RSA", "SourceType": "cpack",
			"BuyDate": 1634283958000, "CertStartTime": 1634283958000, "CertEndTime": 1665819958000})
	}
	body, _ := json.Marshal(map[string]any{"RequestId": "R", "CurrentPage": page, "ShowSize": size,
		"TotalCount": len(p.ids), "CertificateOrderList": list})
	w.Write(body)
}

func TestFindOrdersPagesAndDedupes(t *testing.T) {
	p := &orderPages{}
	for id := int64(100); id >= 1; id-- {
		p.ids = append(p.ids, id)
	}
	// Between pages 1 and 2 a new order arrives at the top: order 51 moves to page 2 and is
	// listed twice, and the total grows to 101, so a third page holds order 1.
	p.before = func(page int, p *orderPages) {
		if page == 2 {
			p.ids = append([]int64{101}, p.ids...)
		}
	}
	var n atomic.Int32
	srv, _ := scripted(t, func(w http.ResponseWriter, r *http.Request) { n.Add(1); p.serve(w, r) })
	c, _ := testClient(t, srv.URL, 0)
	got, err := c.FindOrders(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n.Load() != 3 {
		t.Fatalf("requests = %d, want 3 pages", n.Load())
	}
	if len(got) != 100 {
		t.Fatalf("%d orders, want 100 (1..100, each once; 101 arrived after page 1)", len(got))
	}
	seen := map[int64]bool{}
	for _, o := range got {
		if seen[o.OrderID] {
			t.Fatalf("order %d listed twice", o.OrderID)
		}
		seen[o.OrderID] = true
	}
	for id := int64(1); id <= 100; id++ {
		if !seen[id] {
			t.Fatalf("order %d missing", id)
		}
	}
	for i, q := range p.asked {
		if q.Get("OrderType") != "CPACK" || q.Has("Status") || q.Get("ShowSize") != "50" || q.Get("CurrentPage") != strconv.Itoa(i+1) {
			t.Fatalf("page %d asked %v", i+1, q)
		}
	}
	want := OrderSummary{OrderID: 100, InstanceID: "cas-cn-100", ProductCode: "geotrust-dv-1-starter",
		Domain: "o100.example.com,www.o100.example.com", Status: "CHECKING",
		BuyDate: time.UnixMilli(1634283958000).UTC(), CertStartTime: time.UnixMilli(1634283958000).UTC(),
		CertEndTime: time.UnixMilli(1665819958000).UTC(), DomainType: "MULTIPLE", CertType: "DV", Algorithm: "RSA"}
	if got[0] != want {
		t.Fatalf("got  %+v\nwant %+v", got[0], want)
	}
}

func TestFindOrdersEmpty(t *testing.T) {
	p := &orderPages{}
	srv, _ := scripted(t, p.serve)
	c, _ := testClient(t, srv.URL, 0)
	got, err := c.FindOrders(context.Background())
	if err != nil || len(got) != 0 {
		t.Fatalf("FindOrders = %v, %v", got, err)
	}
}

// The whole lifecycle against the emulator, over HTTP with real signatures.
func TestOrdersAgainstTheEmulator(t *testing.T) {
	srv, _ := emulator.NewTestServer(emulator.Options{Seed: 1})
	t.Cleanup(srv.Close)
	ep, err := ParseEndpoint(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	c := New(Config{Endpoint: ep, Retry: RetryPolicy{MaxRetries: 2, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond},
		Credentials: credentials.NewStaticAKCredentialsProvider(emulator.DemoAccessKeyID, emulator.DemoAccessKeySecret)})
	ctl := control.New(srv.URL)
	ctx := context.Background()
	const product = "geotrust-dv-1-starter"
	if err := ctl.PutObject(ctx, "packages", product, map[string]any{"product_code": product, "total_count": 5}); err != nil {
		t.Fatal(err)
	}
	applicant := OrderRequest{ProductCode: product, Username: "Tom", Phone: "13900000000", Email: "tom@example.com"}

	// A DNS-validated order with a service-generated key, through to issuance.
	req := applicant
	req.Domains, req.ValidateType, req.Tags = []string{"www.example.com"}, "DNS", map[string]string{"env": "test"}
	dnsOrder, err := c.CreateOrder(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	obj, found, err := ctl.Object(ctx, "orders", strconv.FormatInt(dnsOrder, 10))
	if err != nil || !found {
		t.Fatalf("the emulator has no order %d (%v)", dnsOrder, err)
	}
	if tags := fmt.Sprint(obj["tags"]); !strings.Contains(tags, "env") || !strings.Contains(tags, "test") {
		t.Fatalf("the emulator recorded tags %s, want env=test", tags)
	}
	st, err := c.DescribeCertificateState(ctx, dnsOrder)
	if err != nil {
		t.Fatal(err)
	}
	if st.Type != "domain_verify" || st.ValidateType != "DNS" || st.RecordType != "TXT" || st.RecordDomain == "" || st.RecordValue == "" {
		t.Fatalf("state = %+v", st)
	}
	if err := ctl.Post(ctx, fmt.Sprintf("orders/%d/validation", dnsOrder), map[string]string{"result": "approve"}, nil); err != nil {
		t.Fatal(err)
	}
	if err := ctl.Post(ctx, fmt.Sprintf("orders/%d/issue", dnsOrder), nil, nil); err != nil {
		t.Fatal(err)
	}
	st, err = c.DescribeCertificateState(ctx, dnsOrder)
	if err != nil {
		t.Fatal(err)
	}
	if st.Type != "certificate" || st.CertID == 0 || !strings.HasPrefix(st.CertificatePEM, "-----BEGIN CERTIFICATE-----") {
		t.Fatalf("state = %+v", st)
	}
	if strings.Contains(fmt.Sprintf("%#v", *st), "PRIVATE KEY") {
		t.Fatal("the service-generated private key was kept")
	}
	if err := c.CancelOrderRequest(ctx, dnsOrder); !IsOrderState(err) {
		t.Fatalf("cancelling an issued order: err = %v, want OrderStateError", err)
	}

	// A FILE-validated order with the caller's CSR: cancelled, then deleted.
	req = applicant
	req.Domains, req.ValidateType, req.CSR = []string{"app.example.com"}, "FILE", testCSR(t, "app.example.com")
	fileOrder, err := c.CreateOrder(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	st, err = c.DescribeCertificateState(ctx, fileOrder)
	if err != nil {
		t.Fatal(err)
	}
	if st.Type != "domain_verify" || st.ValidateType != "FILE" || st.FileDomain != "app.example.com" || st.FileURI == "" || st.FileContent == "" {
		t.Fatalf("state = %+v", st)
	}

	orders, err := c.FindOrders(ctx)
	if err != nil {
		t.Fatal(err)
	}
	status := map[int64]string{}
	for _, o := range orders {
		status[o.OrderID] = o.Status
	}
	if len(orders) != 2 || status[dnsOrder] != "ISSUED" || status[fileOrder] != "CHECKING" {
		t.Fatalf("orders = %+v", orders)
	}

	if err := c.CancelOrderRequest(ctx, fileOrder); err != nil {
		t.Fatal(err)
	}
	if err := c.CancelOrderRequest(ctx, fileOrder); !IsOrderState(err) {
		t.Fatalf("cancelling twice: err = %v, want OrderStateError", err)
	}
	if st, err = c.DescribeCertificateState(ctx, fileOrder); err != nil || st.Type != "payed" {
		t.Fatalf("after cancel: %+v, %v", st, err)
	}
	if err := c.DeleteCertificateRequest(ctx, fileOrder); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteCertificateRequest(ctx, fileOrder); !IsNotFound(err) {
		t.Fatalf("deleting twice: err = %v, want NotFoundError", err)
	}
	if _, err := c.DescribeCertificateState(ctx, fileOrder); !IsNotFound(err) {
		t.Fatalf("describing a deleted order: err = %v, want NotFoundError", err)
	}

	// Revoking the issued certificate, then revoking again.
	if err := c.CancelCertificateForPackageRequest(ctx, dnsOrder); err != nil {
		t.Fatal(err)
	}
	if err := c.CancelCertificateForPackageRequest(ctx, dnsOrder); !IsOrderState(err) {
		t.Fatalf("revoking twice: err = %v, want OrderStateError", err)
	}
	// Renewal is only for an expiring certificate: a revoked one is refused.
	if _, err := c.RenewOrder(ctx, dnsOrder, ""); !IsOrderState(err) {
		t.Fatalf("renewing a revoked order: err = %v, want OrderStateError", err)
	}
}
