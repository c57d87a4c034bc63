package emulator

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"sort"
	"strings"
)

// The ACS3-HMAC-SHA256 signature, which Alibaba Cloud's newer generated SDKs send by default:
//
//	Authorization: ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=<h1;h2;...>,Signature=<hex>
//
// over the canonical request
//
//	METHOD \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n HashedPayload
//
// where CanonicalQuery is the query string's parameters percent-encoded (RFC 3986), sorted and
// joined as k=v&k=v, CanonicalHeaders is "name:trimmed value\n" for each signed header (lower
// case, sorted), and HashedPayload is the x-acs-content-sha256 header, the hex SHA-256 of the body.
// The string to sign is "ACS3-HMAC-SHA256\n" + hex(SHA-256(canonical request)) and the signature
// hex(HMAC-SHA256(secret, string to sign)). The signed headers must include host and every x-acs-*
// header sent.

const acs3Algorithm = "ACS3-HMAC-SHA256"

// isACS3 reports whether a request carries an ACS3 Authorization header.
func isACS3(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("Authorization"), "ACS3-")
}

// acs3Authorization is the parsed Authorization header.
type acs3Authorization struct {
	accessKeyID   string
	signedHeaders []string
	signature     string
}

func parseACS3Authorization(h string) (acs3Authorization, *APIError) {
	alg, rest, _ := strings.Cut(h, " ")
	if alg != acs3Algorithm {
		return acs3Authorization{}, Errorf(http.StatusBadRequest, "InvalidSignatureMethod",
			"Specified signature algorithm %q is not supported: use %s.", alg, acs3Algorithm)
	}
	var a acs3Authorization
	var seenHeaders bool
	for _, part := range strings.Split(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return a, errIncompleteSignature("The Authorization header is malformed.")
		}
		switch k {
		case "Credential":
			a.accessKeyID = v
		case "SignedHeaders":
			seenHeaders = true
			for _, name := range strings.Split(v, ";") {
				if name = strings.ToLower(strings.TrimSpace(name)); name != "" {
					a.signedHeaders = append(a.signedHeaders, name)
				}
			}
		case "Signature":
			a.signature = strings.ToLower(v)
		}
	}
	switch {
	case a.accessKeyID == "":
		return a, errIncompleteSignature("The Authorization header has no Credential.")
	case !seenHeaders || len(a.signedHeaders) == 0:
		return a, errIncompleteSignature("The Authorization header has no SignedHeaders.")
	case a.signature == "":
		return a, errIncompleteSignature("The Authorization header has no Signature.")
	}
	sort.Strings(a.signedHeaders)
	return a, nil
}

// verifyACS3 authenticates an ACS3-signed request. params are the query and form parameters
// (for the SecurityToken fallback). The caller holds e.mu.
func (e *Emulator) verifyACS3(r *http.Request, body []byte, params map[string]string) (authIdentity, *APIError) {
	auth, err := parseACS3Authorization(r.Header.Get("Authorization"))
	if err != nil {
		return authIdentity{}, err
	}
	nonce := r.Header.Get("x-acs-signature-nonce")
	if nonce == "" {
		return authIdentity{}, errMissingParam("SignatureNonce")
	}
	date := r.Header.Get("x-acs-date")
	if date == "" {
		return authIdentity{}, errMissingParam("Timestamp")
	}
	if r.Header.Get("x-acs-content-sha256") == "" {
		return authIdentity{}, errIncompleteSignature("The x-acs-content-sha256 header is missing.")
	}
	signed := map[string]bool{}
	for _, name := range auth.signedHeaders {
		signed[name] = true
	}
	if !signed["host"] {
		return authIdentity{}, errIncompleteSignature("SignedHeaders must include host.")
	}
	for name := range r.Header {
		if lower := strings.ToLower(name); strings.HasPrefix(lower, "x-acs-") && !signed[lower] {
			return authIdentity{}, errIncompleteSignature("SignedHeaders must include " + lower + ".")
		}
	}
	if err := e.parseRequestTime("x-acs-date", date); err != nil {
		return authIdentity{}, err
	}
	token := r.Header.Get("x-acs-security-token")
	if token == "" {
		token = params["SecurityToken"]
	}
	id, err := e.resolveKeyLocked(auth.accessKeyID, token)
	if err != nil {
		return authIdentity{}, err
	}
	sum := sha256.Sum256(body)
	stringToSign := acs3StringToSign(acs3CanonicalRequest(r, auth.signedHeaders, hex.EncodeToString(sum[:])))
	if r.Header.Get("x-acs-content-sha256") != hex.EncodeToString(sum[:]) ||
		!equalSignature(auth.signature, acs3Sign(stringToSign, id.secret)) {
		return authIdentity{}, errSignatureMismatch(stringToSign)
	}
	if !e.nonces.use(id.accessKeyID, nonce, e.wallNow()) {
		return authIdentity{}, errNonceUsed()
	}
	return id, nil
}

// acs3CanonicalRequest builds the canonical request over the signed headers (sorted, lower case).
func acs3CanonicalRequest(r *http.Request, signedHeaders []string, hashedPayload string) string {
	uri := r.URL.EscapedPath()
	if uri == "" {
		uri = "/"
	}
	var b strings.Builder
	b.WriteString(strings.ToUpper(r.Method) + "\n" + uri + "\n" + acs3CanonicalQuery(r.URL.RawQuery) + "\n")
	for _, name := range signedHeaders {
		value := strings.Join(r.Header.Values(name), ",")
		if name == "host" {
			value = r.Host
		}
		b.WriteString(name + ":" + strings.TrimSpace(value) + "\n")
	}
	b.WriteString("\n" + strings.Join(signedHeaders, ";") + "\n" + hashedPayload)
	return b.String()
}

// acs3CanonicalQuery encodes the query parameters (RFC 3986), sorted by encoded name, then value.
func acs3CanonicalQuery(rawQuery string) string {
	values, _ := url.ParseQuery(rawQuery)
	type pair struct{ k, v string }
	pairs := make([]pair, 0, len(values))
	for name, vs := range values {
		for _, v := range vs {
			pairs = append(pairs, pair{encodeRFC3986(name), encodeRFC3986(v)})
		}
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].k != pairs[j].k {
			return pairs[i].k < pairs[j].k
		}
		return pairs[i].v < pairs[j].v
	})
	out := make([]string, len(pairs))
	for i, p := range pairs {
		out[i] = p.k + "=" + p.v
	}
	return strings.Join(out, "&")
}

func acs3StringToSign(canonicalRequest string) string {
	sum := sha256.Sum256([]byte(canonicalRequest))
	return acs3Algorithm + "\n" + hex.EncodeToString(sum[:])
}

// acs3Sign is hex(HMAC-SHA256(secret, stringToSign)).
func acs3Sign(stringToSign, secret string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(stringToSign))
	return hex.EncodeToString(mac.Sum(nil))
}
