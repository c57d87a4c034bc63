package emulator

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"sort"
	"strings"
)

// The RPC signature (SignatureVersion 1.0, HMAC-SHA1), as the Go SDK v1 and the older SDKs send
// it: every parameter, from the query string and the form body alike, except Signature itself
// (the empty SignatureType the SDK adds included), is percent-encoded (RFC 3986), sorted by name
// and joined as k=v&k=v; the string to sign is METHOD&%2F&<that, percent-encoded again>; the
// signature is base64(HMAC-SHA1(secret + "&", string to sign)).

// rpcRequiredParams are checked in this order; the first one missing is reported.
var rpcRequiredParams = []string{"AccessKeyId", "Signature", "SignatureMethod", "SignatureVersion", "SignatureNonce", "Timestamp"}

// verifyRPC authenticates an RPC-signed request. The caller holds e.mu.
func (e *Emulator) verifyRPC(method string, params map[string]string) (authIdentity, *APIError) {
	for _, name := range rpcRequiredParams {
		if params[name] == "" {
			return authIdentity{}, errMissingParam(name)
		}
	}
	if m := params["SignatureMethod"]; m != "HMAC-SHA1" {
		return authIdentity{}, errSignatureMethod(m)
	}
	if v := params["SignatureVersion"]; v != "1.0" {
		return authIdentity{}, errSignatureVersion(v)
	}
	if err := e.parseRequestTime("Timestamp", params["Timestamp"]); err != nil {
		return authIdentity{}, err
	}
	id, err := e.resolveKeyLocked(params["AccessKeyId"], params["SecurityToken"])
	if err != nil {
		return authIdentity{}, err
	}
	stringToSign := rpcStringToSign(method, params)
	if !equalSignature(params["Signature"], rpcSign(stringToSign, id.secret)) {
		return authIdentity{}, errSignatureMismatch(stringToSign)
	}
	if !e.nonces.use(id.accessKeyID, params["SignatureNonce"], e.wallNow()) {
		return authIdentity{}, errNonceUsed()
	}
	return id, nil
}

// rpcStringToSign is METHOD&%2F&percentEncode(canonicalised parameters).
func rpcStringToSign(method string, params map[string]string) string {
	names := make([]string, 0, len(params))
	for name := range params {
		if name != "Signature" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	var b strings.Builder
	for i, name := range names {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(encodeRFC3986(name))
		b.WriteByte('=')
		b.WriteString(encodeRFC3986(params[name]))
	}
	return strings.ToUpper(method) + "&" + encodeRFC3986("/") + "&" + encodeRFC3986(b.String())
}

// rpcSign is base64(HMAC-SHA1(secret&, stringToSign)).
func rpcSign(stringToSign, secret string) string {
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	mac.Write([]byte(stringToSign))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// encodeRFC3986 percent-encodes everything but the unreserved characters A-Z a-z 0-9 - _ . ~,
// with upper-case hex: a space is %20, * is %2A, ~ stays.
func encodeRFC3986(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}
