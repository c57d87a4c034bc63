package cas

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// Malformed or truncated answers (a proxy's HTML page, a body cut short, an empty 200, JSON of
// another shape) give an error that names the action, never a panic and never a silent success.

// malformedAnswer writes one bad answer.
type malformedAnswer struct {
	name string
	step step
}

func malformedBody(status int, contentType, body string) step {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	}
}

// cutShort announces a longer body than it sends, then closes the connection.
func cutShort(body string) step {
	return func(w http.ResponseWriter, _ *http.Request) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body)+200, body)
		buf.Flush()
	}
}

// malformedAnswers are the bad answers every read below must survive; wrongShape is that
// action's JSON of another shape.
func malformedAnswers(truncated, wrongShape string) []malformedAnswer {
	return []malformedAnswer{
		{"truncated JSON", malformedBody(200, "application/json", truncated)},
		{"body cut short by the connection", cutShort(truncated)},
		{"HTML from a proxy", malformedBody(200, "text/html", "<html><head><title>Login</title></head><body>Sign in to the Wi-Fi</body></html>")},
		{"HTML gateway error", malformedBody(502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>")},
		{"empty 200", malformedBody(200, "application/json", "")},
		{"JSON of another shape", malformedBody(200, "application/json", wrongShape)},
		{"JSON without RequestId", malformedBody(200, "application/json", `{"message":"Forbidden by proxy policy"}`)},
		{"JSON array", malformedBody(200, "application/json", `[1,2,3]`)},
		{"JSON null", malformedBody(200, "application/json", `null`)},
		{"error with fields of other types", malformedBody(400, "application/json", `{"RequestId":7,"Code":400,"Message":["no"],"HostId":{}}`)},
		{"error with a string AccessDeniedDetail", malformedBody(403, "application/json", `{"RequestId":"R-1","Code":"Forbidden.RAM","Message":"denied","AccessDeniedDetail":"nope"}`)},
	}
}

// callSafely runs call and turns a panic into a test error.
func callSafely(t *testing.T, call func() error) (err error) {
	t.Helper()
	defer func() {
		if p := recover(); p != nil {
			t.Errorf("panic: %v", p)
			err = fmt.Errorf("panicked")
		}
	}()
	return call()
}

func TestMalformedAnswersGiveAnErrorNamingTheAction(t *testing.T) {
	reads := []struct {
		action     string
		truncated  string
		wrongShape string
		call       func(c *Client) error
	}{
		{
			action:     "GetUserCertificateDetail",
			truncated:  `{"RequestId":"R-1","Id":12345,"Name":"www-exam`,
			wrongShape: `{"RequestId":"R-1","Id":"not a number","Tags":"none","NotAfter":{"ms":1}}`,
			call: func(c *Client) error {
				_, err := c.GetUserCertificateDetail(context.Background(), 12345, false)
				return err
			},
		},
		{
			action:     "DescribeCertificateState",
			truncated:  `{"RequestId":"R-1","Type":"domain_verify","RecordDomain":"_dnsau`,
			wrongShape: `{"RequestId":"R-1","Type":["domain_verify"],"CertId":true}`,
			call: func(c *Client) error {
				_, err := c.DescribeCertificateState(context.Background(), 42)
				return err
			},
		},
		{
			// The typed SDK path (services/cas ListUserCertificateOrderResponse).
			action:     "ListUserCertificateOrder",
			truncated:  `{"RequestId":"R-1","TotalCount":2,"CertificateOrderList":[{"OrderId":1,"Domain":"a.exa`,
			wrongShape: `{"RequestId":"R-1","TotalCount":"many","CertificateOrderList":{"OrderId":1}}`,
			call: func(c *Client) error {
				_, err := c.FindOrders(context.Background())
				return err
			},
		},
	}
	for _, rd := range reads {
		for _, a := range malformedAnswers(rd.truncated, rd.wrongShape) {
			t.Run(rd.action+"/"+a.name, func(t *testing.T) {
				srv, calls := scripted(t, a.step)
				c, _ := testClient(t, srv.URL, 2)
				err := callSafely(t, func() error { return rd.call(c) })
				if err == nil {
					t.Fatalf("no error after %d requests: a malformed answer was taken for a good one", calls.Load())
				}
				if !strings.Contains(err.Error(), rd.action) {
					t.Errorf("the error does not name %s: %v", rd.action, err)
				}
				t.Logf("%d requests; %v", calls.Load(), err)
			})
		}
	}
}

// A write whose answer cannot be read may have acted: it is an unknown outcome, never resent, so
// that the resource looks for what it created.
func TestMalformedAnswerToAWriteIsAnUnknownOutcome(t *testing.T) {
	for _, a := range malformedAnswers(`{"RequestId":"R-1","OrderId":7`, `{"RequestId":"R-1","OrderId":"seven"}`) {
		t.Run(a.name, func(t *testing.T) {
			srv, calls := scripted(t, a.step)
			c, _ := testClient(t, srv.URL, 3)
			err := callSafely(t, func() error {
				_, err := c.CreateOrder(context.Background(), OrderRequest{ProductCode: "geotrust-dv-1-starter", Domains: []string{"a.example.com"}})
				return err
			})
			if !IsOutcomeUnknown(err) {
				t.Fatalf("err = %v, want an unknown outcome", err)
			}
			if calls.Load() != 1 {
				t.Fatalf("the write was sent %d times", calls.Load())
			}
			if !strings.Contains(err.Error(), "CreateCertificateForPackageRequest") {
				t.Errorf("the error does not name the action: %v", err)
			}
		})
	}
}

// The error never quotes the answer: a GetUserCertificateDetail answer may hold the private key.
func TestMalformedAnswerIsNotQuoted(t *testing.T) {
	const secret = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ"
	for _, body := range []string{
		`{"RequestId":"R-1","Id":5,"Key":"-----BEGIN PRIVATE KEY-----\n` + secret,
		`{"RequestId":"R-1","Id":"5","Key":"-----BEGIN PRIVATE KEY-----\n` + secret + `"}`,
		`<html>` + secret + `</html>`,
	} {
		srv, _ := scripted(t, malformedBody(200, "application/json", body))
		c, _ := testClient(t, srv.URL, 0)
		_, err := c.GetUserCertificateDetail(context.Background(), 5, true)
		if err == nil || strings.Contains(err.Error(), secret[:20]) {
			t.Errorf("err = %v: no error, or the answer is quoted", err)
		}
	}
}
