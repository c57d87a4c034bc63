package emulator

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strings"
)

// The errors of the API gateway, common to every action: authentication, versions, unknown
// actions, flow control and injected server failures. Codes, messages and statuses are those the
// service answers.

func errMissingParam(name string) *APIError {
	return Errorf(http.StatusBadRequest, "Missing"+name, "%s is mandatory for this action.", name)
}

func errAccessKeyNotFound() *APIError {
	return Errorf(http.StatusNotFound, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
}

func errSignatureMismatch(stringToSign string) *APIError {
	return Errorf(http.StatusBadRequest, "SignatureDoesNotMatch",
		"Specified signature is not matched with our calculation. server string to sign is:%s", stringToSign)
}

func errIncompleteSignature(detail string) *APIError {
	return Errorf(http.StatusBadRequest, "IncompleteSignature",
		"The request signature does not conform to Aliyun standards. %s", detail)
}

func errTimestampExpired() *APIError {
	return Errorf(http.StatusBadRequest, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.")
}

func errTimestampFormat(name string) *APIError {
	return Errorf(http.StatusBadRequest, "InvalidTimeStamp.Format",
		"Specified time stamp or date value is not well formatted: %s must be ISO 8601 UTC, such as 2006-01-02T15:04:05Z.", name)
}

func errNonceUsed() *APIError {
	return Errorf(http.StatusBadRequest, "SignatureNonceUsed", "Specified signature nonce was used already.")
}

func errSignatureMethod(got string) *APIError {
	return Errorf(http.StatusBadRequest, "InvalidSignatureMethod",
		"Specified signature method %q is not supported: use HMAC-SHA1.", got)
}

func errSignatureVersion(got string) *APIError {
	return Errorf(http.StatusBadRequest, "InvalidSignatureVersion",
		"Specified signature version %q is not valid: use 1.0.", got)
}

func errTokenExpired() *APIError {
	return Errorf(http.StatusBadRequest, "InvalidSecurityToken.Expired", "Specified SecurityToken is expired.")
}

func errTokenMismatch() *APIError {
	return Errorf(http.StatusBadRequest, "InvalidSecurityToken.MismatchWithAccessKey",
		"Specified SecurityToken mismatch with the AccessKey.")
}

func errTokenMalformed() *APIError {
	return Errorf(http.StatusBadRequest, "InvalidSecurityToken.Malformed", "Specified SecurityToken is malformed.")
}

func errInvalidVersion() *APIError {
	return Errorf(http.StatusBadRequest, "InvalidVersion", "Specified parameter Version is not valid.")
}

func errActionNotFound() *APIError {
	return Errorf(http.StatusNotFound, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.")
}

func errThrottled() *APIError {
	return Errorf(http.StatusBadRequest, "Throttling.User", "Request was denied due to user flow control.")
}

func errServiceUnavailable() *APIError {
	return Errorf(http.StatusServiceUnavailable, "ServiceUnavailable", "The request has failed due to a temporary failure of the server.")
}

func errGatewayInternal() *APIError {
	return Errorf(http.StatusInternalServerError, "InternalError",
		"The request processing has failed due to some unknown error, exception or failure.")
}

func errUnsupportedMethod(method string) *APIError {
	return Errorf(http.StatusMethodNotAllowed, "UnsupportedHTTPMethod",
		"The HTTP method %s is not supported: RPC calls use GET or POST.", method)
}

func errBodyTooLarge() *APIError {
	return Errorf(http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", "The request body is too large.")
}

func errBadBody() *APIError {
	return Errorf(http.StatusBadRequest, "InvalidParameter", "The request body is not a valid form.")
}

// errorBody is the service's error document.
type errorBody struct {
	RequestID string `json:"RequestId"`
	HostID    string `json:"HostId"`
	Code      string `json:"Code"`
	Message   string `json:"Message"`
	Recommend string `json:"Recommend"`
}

func newErrorBody(err *APIError, requestID, host string) errorBody {
	return errorBody{
		RequestID: requestID,
		HostID:    host,
		Code:      err.Code,
		Message:   err.Message,
		Recommend: "https://api.aliyun.com/troubleshoot?q=" + err.Code + "&product=cas&requestId=" + requestID,
	}
}

// newRequestID returns a random id in the service's form, an upper-case UUID.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := strings.ToUpper(hex.EncodeToString(b[:]))
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
