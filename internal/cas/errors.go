package cas

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"

	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
)

// APIError is an error answered by the service. The typed errors below wrap it, so
// errors.As(err, &*APIError) works for any of them.
type APIError struct {
	Action     string
	HTTPStatus int
	Code       string
	Message    string
	RequestID  string
}

func (e *APIError) Error() string {
	s := fmt.Sprintf("%s failed: %s (HTTP %d)", e.Action, e.Code, e.HTTPStatus)
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.RequestID != "" {
		s += " [request id " + e.RequestID + "]"
	}
	return s
}

// NotFoundError: the object does not exist (codes NotFound*, or HTTP 404).
type NotFoundError struct{ *APIError }

// ThrottledError: the service refused the call for rate limiting; always safe to retry.
type ThrottledError struct{ *APIError }

// InvalidParameterError: the request was refused as malformed or invalid.
type InvalidParameterError struct{ *APIError }

// QuotaExceededError: the account has no quota left for the request (for example no remaining
// certificates in a resource plan).
type QuotaExceededError struct{ *APIError }

// ServiceError: a 5xx answer; the service failed on its side.
type ServiceError struct{ *APIError }

// AuthError: the credentials were refused (unknown key, wrong secret, expired token).
type AuthError struct{ *APIError }

func (e *NotFoundError) Unwrap() error         { return e.APIError }
func (e *ThrottledError) Unwrap() error        { return e.APIError }
func (e *InvalidParameterError) Unwrap() error { return e.APIError }
func (e *QuotaExceededError) Unwrap() error    { return e.APIError }
func (e *ServiceError) Unwrap() error          { return e.APIError }
func (e *AuthError) Unwrap() error             { return e.APIError }

func (e *AuthError) Error() string {
	return fmt.Sprintf("the Alibaba Cloud credentials were rejected by %s: %s (%s). Check the access key ID and "+
		"secret (and the security token, if any) the provider uses; see the provider documentation for the "+
		"ways to give them [request id %s]", e.Action, authReason(e.Code), e.Code, e.RequestID)
}

// OutcomeUnknownError: a call that is not safe to repeat was sent, but no answer arrived (timeout,
// dropped connection, a 5xx). It may or may not have taken effect: the caller must look for what it
// may have created before trying again.
type OutcomeUnknownError struct {
	Action string
	Err    error
}

func (e *OutcomeUnknownError) Error() string {
	return fmt.Sprintf("%s was sent but its outcome is unknown (%v); it was not repeated, because repeating it "+
		"could act twice", e.Action, e.Err)
}

func (e *OutcomeUnknownError) Unwrap() error { return e.Err }

// NetworkError: the call failed before any answer (connection refused, timeout, reset).
type NetworkError struct {
	Action string
	Err    error
	// Sent is true when the request was (at least partly) written before the failure.
	Sent bool
}

func (e *NetworkError) Error() string {
	cause := e.Err
	// net/http's errors quote the request URL, which for RPC calls carries the access key id,
	// signature and every parameter: say what failed without it.
	var u *url.Error
	if errors.As(cause, &u) {
		cause = u.Err
	}
	if errors.Is(cause, context.DeadlineExceeded) || os.IsTimeout(cause) {
		return fmt.Sprintf("%s: no answer from the Certificate Management Service in time (request_timeout bounds each attempt): %v", e.Action, cause)
	}
	return fmt.Sprintf("%s: could not reach the Certificate Management Service: %v", e.Action, cause)
}

func (e *NetworkError) Unwrap() error { return e.Err }

// IsNotFound reports whether err means the object does not exist.
func IsNotFound(err error) bool { var t *NotFoundError; return errors.As(err, &t) }

// IsThrottled reports whether err is a throttling refusal.
func IsThrottled(err error) bool { var t *ThrottledError; return errors.As(err, &t) }

// IsInvalidParameter reports whether err is a refusal of the request's parameters.
func IsInvalidParameter(err error) bool { var t *InvalidParameterError; return errors.As(err, &t) }

// IsQuotaExceeded reports whether err is a quota refusal.
func IsQuotaExceeded(err error) bool { var t *QuotaExceededError; return errors.As(err, &t) }

// IsOutcomeUnknown reports whether a non-repeatable call may have taken effect.
func IsOutcomeUnknown(err error) bool { var t *OutcomeUnknownError; return errors.As(err, &t) }

// IsAuth reports whether the credentials were refused.
func IsAuth(err error) bool { var t *AuthError; return errors.As(err, &t) }

// IsOrderState reports whether the service refused an order action because of the order's state
// (code OrderStateError, HTTP 403): cancelling an order that is not in validation or review,
// deleting one that is neither failed nor pending, renewing one that is not expiring. classify
// leaves it a plain *APIError; this is the one test callers need.
func IsOrderState(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.Code == "OrderStateError"
}

var authCodes = map[string]string{
	"SignatureDoesNotMatch":                      "the access key secret does not match the access key ID",
	"IncompleteSignature":                        "the access key secret does not match the access key ID",
	"InvalidAccessKeyId.NotFound":                "the access key ID does not exist",
	"InvalidAccessKeyId.Inactive":                "the access key is disabled",
	"InvalidAccessKeyId":                         "the access key ID is not valid",
	"InvalidSecurityToken.Expired":               "the security token has expired",
	"InvalidSecurityToken.Malformed":             "the security token is malformed",
	"InvalidSecurityToken.MismatchWithAccessKey": "the security token does not belong to the access key ID",
}

func authReason(code string) string {
	if r, ok := authCodes[code]; ok {
		return r
	}
	return "the key pair was rejected"
}

var quotaCodes = map[string]bool{"NotRemainCount": true, "QuotaExceeded": true}

// classify turns a service error into the typed error for its code.
func classify(e *APIError) error {
	code := e.Code
	switch {
	case authCodes[code] != "":
		return &AuthError{e}
	case strings.Contains(code, "Throttling"):
		return &ThrottledError{e}
	case quotaCodes[code] || strings.HasPrefix(code, "QuotaExceeded"):
		return &QuotaExceededError{e}
	// Not-found has no documented code for certificates; orders have NotFoundOrder and packages
	// NotFoundPackage (404). Treat NotFound* codes and HTTP 404 as gone, and nothing else
	// (cas-api.md "Traps"). Gateway 404s about keys or actions were matched above or below.
	case strings.HasPrefix(code, "NotFound"), e.HTTPStatus == http.StatusNotFound && code != "InvalidAction.NotFound":
		return &NotFoundError{e}
	case e.HTTPStatus >= 500, code == "ServiceUnavailable", code == "InternalError":
		return &ServiceError{e}
	case strings.HasPrefix(code, "Missing"), strings.HasPrefix(code, "Invalid"), strings.HasPrefix(code, "Illegal"),
		e.HTTPStatus == http.StatusBadRequest:
		return &InvalidParameterError{e}
	}
	return e
}

// translate turns what the SDK returned into the client's error types. reached is false when the
// SDK failed before opening any connection (credentials could not be had, the request could not be
// built): that error is returned as it is, wrapped with the action.
func translate(action string, err error, reached, sent bool) error {
	var se *sdkerrors.ServerError
	if errors.As(err, &se) {
		return classify(&APIError{Action: action, HTTPStatus: se.HttpStatus(), Code: se.ErrorCode(),
			Message: se.Message(), RequestID: se.RequestId()})
	}
	var ce *sdkerrors.ClientError
	if errors.As(err, &ce) && ce.OriginError() != nil {
		err = ce.OriginError()
	}
	if !reached {
		return fmt.Errorf("%s: %w", action, err)
	}
	return &NetworkError{Action: action, Err: err, Sent: sent}
}

func asAPIError(err error, target **APIError) bool { return errors.As(err, target) }
