package cas

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		name   string
		status int
		code   string
		is     func(error) bool
	}{
		{"order not found", 404, "NotFoundOrder", IsNotFound},
		{"package not found", 404, "NotFoundPackage", IsNotFound},
		{"bare 404 NotFound", 404, "NotFound", IsNotFound},
		{"throttling", 400, "Throttling", IsThrottled},
		{"user throttling", 400, "Throttling.User", IsThrottled},
		{"api throttling on 503", 503, "Throttling.Api", IsThrottled},
		{"missing parameter", 400, "MissingStatus", IsInvalidParameter},
		{"invalid parameter", 400, "InvalidParameter", IsInvalidParameter},
		{"no quota left", 404, "NotRemainCount", IsQuotaExceeded},
		{"wrong secret", 400, "SignatureDoesNotMatch", IsAuth},
		{"unknown key is not 'not found'", 404, "InvalidAccessKeyId.NotFound", IsAuth},
		{"expired token", 400, "InvalidSecurityToken.Expired", IsAuth},
		{"unknown action is not 'not found'", 404, "InvalidAction.NotFound", func(err error) bool { return !IsNotFound(err) }},
		{"service unavailable", 503, "ServiceUnavailable", func(err error) bool { var s *ServiceError; return errors.As(err, &s) }},
		{"internal error", 500, "InternalError", func(err error) bool { var s *ServiceError; return errors.As(err, &s) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := classify(&APIError{Action: "X", HTTPStatus: tt.status, Code: tt.code, RequestID: "R"})
			if !tt.is(err) {
				t.Fatalf("classify(%d %s) = %T, not the expected kind", tt.status, tt.code, err)
			}
			var api *APIError
			if !errors.As(err, &api) || api.Code != tt.code {
				t.Fatalf("the typed error does not unwrap to its *APIError")
			}
		})
	}
}

func TestAuthErrorSaysTheKeyPairWasRejected(t *testing.T) {
	err := classify(&APIError{Action: "DescribePackageState", HTTPStatus: 400, Code: "SignatureDoesNotMatch", RequestID: "R1",
		Message: "Specified signature is not matched with our calculation. server string to sign is:POST&%2F&..."})
	msg := err.Error()
	for _, want := range []string{"credentials were rejected", "secret does not match the access key ID", "SignatureDoesNotMatch", "R1"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
	if strings.Contains(msg, "string to sign") {
		t.Errorf("message %q repeats the raw SDK/server text", msg)
	}
}

// A network error never repeats the request URL (it carries the access key id and signature).
func TestNetworkErrorHidesURL(t *testing.T) {
	err := &NetworkError{Action: "GetUserCertificateDetail", Sent: true, Err: &url.Error{Op: "Post",
		URL: "http://127.0.0.1:1/?AccessKeyId=LTAIsecretish&Signature=abc", Err: context.DeadlineExceeded}}
	msg := err.Error()
	if strings.Contains(msg, "AccessKeyId") || strings.Contains(msg, "Signature") || !strings.Contains(msg, "in time") {
		t.Errorf("message %q", msg)
	}
}
