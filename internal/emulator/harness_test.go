package emulator

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/responses"

	"github.com/certforge/terraform-provider-alicloudcas/internal/emulator/control"
)

// Test support shared by this package's tests: an emulator per test, SDK clients of it, and the
// control client.

func startEmulator(t *testing.T, opts Options) (*httptest.Server, *Emulator, *control.Client) {
	t.Helper()
	srv, emu := NewTestServer(opts)
	t.Cleanup(srv.Close)
	return srv, emu, control.New(srv.URL)
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// recordingTransport keeps a copy of every request it sends.
type recordingTransport struct {
	mu   sync.Mutex
	sent []*capturedRequest
}

type capturedRequest struct {
	method, url string
	header      http.Header
	body        []byte
}

func (rt *recordingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(r.Body)
		r.Body.Close()
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	rt.mu.Lock()
	rt.sent = append(rt.sent, &capturedRequest{method: r.Method, url: r.URL.String(), header: r.Header.Clone(), body: body})
	rt.mu.Unlock()
	return http.DefaultTransport.RoundTrip(r)
}

func (rt *recordingTransport) last(t *testing.T) *capturedRequest {
	t.Helper()
	rt.mu.Lock()
	defer rt.mu.Unlock()
	if len(rt.sent) == 0 {
		t.Fatal("no request was sent")
	}
	return rt.sent[len(rt.sent)-1]
}

// replay sends a captured request again, byte for byte.
func (c *capturedRequest) replay(t *testing.T) *http.Response {
	t.Helper()
	req, err := http.NewRequest(c.method, c.url, bytes.NewReader(c.body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header = c.header.Clone()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// sdkClient is a Go SDK v1 client of the emulator with the given credential, without retries.
func sdkClient(t *testing.T, cred auth.Credential) (*sdk.Client, *recordingTransport) {
	t.Helper()
	cfg := sdk.NewConfig()
	cfg.AutoRetry = false
	cfg.Scheme = "HTTP"
	cfg.Timeout = 10 * time.Second
	rt := &recordingTransport{}
	cfg.Transport = rt
	client, err := sdk.NewClientWithOptions(DefaultRegion, cfg, cred)
	if err != nil {
		t.Fatal(err)
	}
	return client, rt
}

func akCredential(id, secret string) auth.Credential {
	return credentials.NewAccessKeyCredential(id, secret)
}

// apiRequest is a CommonRequest of one action for the emulator at srv.
func apiRequest(srv *httptest.Server, product, version, action, method string, params map[string]string) *requests.CommonRequest {
	r := requests.NewCommonRequest()
	r.Product = product
	r.Version = version
	r.ApiName = action
	r.Method = method
	r.Scheme = "http"
	r.Domain = strings.TrimPrefix(srv.URL, "http://")
	for k, v := range params {
		if method == requests.POST {
			r.FormParams[k] = v
		} else {
			r.QueryParams[k] = v
		}
	}
	return r
}

func casRequest(srv *httptest.Server, action, method string, params map[string]string) *requests.CommonRequest {
	return apiRequest(srv, "cas", casVersion, action, method, params)
}

// serverError asserts that err is the service error code with the HTTP status.
func serverError(t *testing.T, err error, status int, code string) {
	t.Helper()
	var se *sdkerrors.ServerError
	if !errors.As(err, &se) {
		t.Fatalf("err = %v, want a server error %s", err, code)
	}
	if se.ErrorCode() != code || se.HttpStatus() != status {
		t.Fatalf("error = %d %s (%s), want %d %s", se.HttpStatus(), se.ErrorCode(), se.Message(), status, code)
	}
	if se.RequestId() == "" {
		t.Error("the error has no RequestId")
	}
}

func process(t *testing.T, client *sdk.Client, r *requests.CommonRequest) (*responses.CommonResponse, error) {
	t.Helper()
	return client.ProcessCommonRequest(r)
}

func seedPackage(t *testing.T, ctl *control.Client, code string, total, used, issued int) {
	t.Helper()
	err := ctl.PutObject(testContext(t), "packages", code, map[string]any{
		"product_code": code, "total_count": total, "used_count": used, "issued_count": issued,
	})
	if err != nil {
		t.Fatal(err)
	}
}
