package emulator

import (
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Uploaded and issued certificates (a CertId): UploadUserCertificate, GetUserCertificateDetail,
// DeleteUserCertificate. Lists are in certificate_list.go, tags and resource groups in tags.go.

// Certificate is an uploaded certificate or one issued from an order (a CertId). The first seven
// fields are relied on by the other kinds' files (deployment jobs).
type Certificate struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	// Source is "upload" for UploadUserCertificate, "buy" for one issued from an order, and
	// "share" for one received from another account.
	Source     string    `json:"source"`
	CommonName string    `json:"common_name"`
	Sans       []string  `json:"sans"`
	NotBefore  time.Time `json:"not_before"`
	NotAfter   time.Time `json:"not_after"`

	// InstanceID is the ResourceId/InstanceId: cas-upload-xxxxxx for uploads, the order's
	// cas-cn-xxxxxxxxxxxx for purchased ones.
	InstanceID string `json:"instance_id"`
	// Region is where the certificate is stored; CertIdentifier is "<id>-<region>".
	Region  string `json:"region"`
	OrderID int64  `json:"order_id,omitempty"`

	// Cert is the non-SM certificate and chain (PEM), Key its private key; absent for a
	// purchased certificate whose CSR was the caller's.
	Cert              string `json:"cert,omitempty"`
	Key               string `json:"key,omitempty"`
	SignCert          string `json:"sign_cert,omitempty"`
	SignPrivateKey    string `json:"sign_private_key,omitempty"`
	EncryptCert       string `json:"encrypt_cert,omitempty"`
	EncryptPrivateKey string `json:"encrypt_private_key,omitempty"`

	Issuer      string `json:"issuer"`
	OrgName     string `json:"org_name,omitempty"`
	Country     string `json:"country,omitempty"`
	Province    string `json:"province,omitempty"`
	City        string `json:"city,omitempty"`
	Fingerprint string `json:"fingerprint"` // SHA-1 of the DER, upper-case hex
	Sha2        string `json:"sha2"`        // SHA-256 of the DER, upper-case hex
	SerialNo    string `json:"serial_no"`   // lower-case hex
	Algorithm   string `json:"algorithm"`   // RSA, ECC or SM2
	KeySize     int    `json:"key_size"`

	ResourceGroupID string        `json:"resource_group_id,omitempty"`
	Tags            []ResourceTag `json:"tags,omitempty"`
	// ClientToken is the idempotency token of the upload, honoured for clientTokenTTL.
	ClientToken string    `json:"client_token,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	// Revoked is set when the order it was issued from is revoked
	// (CancelCertificateForPackageRequest).
	Revoked bool `json:"revoked,omitempty"`
}

const (
	// maxCertNameLength: the sources give 63, 64 and 128 (cas-certs.md §2); the current SDK
	// model says 64, counted here in characters.
	maxCertNameLength = 64
	// clientTokenTTL: how long UploadUserCertificate remembers a ClientToken. Not documented;
	// 24 hours is the usual window of Alibaba Cloud idempotency tokens.
	clientTokenTTL = 24 * time.Hour
	// willExpireWindow: a certificate is WILLEXPIRED in its last 30 days.
	willExpireWindow = 30 * 24 * time.Hour
	// defaultResourceGroupID is the account's default resource group, where a resource created
	// without ResourceGroupId lands (Resource Management's documented behaviour).
	defaultResourceGroupID = "rg-acfmemudefault1"
)

// dateZone is the zone of StartDate/EndDate: both service sites (cn-hangzhou, ap-southeast-1) are
// UTC+8. Not documented.
var dateZone = time.FixedZone("UTC+8", 8*60*60)

func init() {
	registerAction(casVersion, "UploadUserCertificate", uploadUserCertificate)
	registerAction(casVersion, "DeleteUserCertificate", deleteUserCertificate)
}

// errCertNotFound: no code is documented for an unknown CertId; the official provider treats
// code NotFound as gone, so the emulator answers 404 NotFound (cas-certs.md §7, inference).
func errCertNotFound(id int64) *APIError {
	return Errorf(http.StatusNotFound, "NotFound", "The certificate %d does not exist.", id)
}

func certKey(id int64) string { return strconv.FormatInt(id, 10) }

// certByID finds a certificate by its CertId.
func certByID(s *State, id int64) (*Certificate, bool) {
	c, ok := s.Certificates[certKey(id)]
	return c, ok && c != nil
}

// certNameTaken reports whether another certificate of the account has this name.
func certNameTaken(s *State, name string, except int64) bool {
	for _, c := range s.Certificates {
		if c != nil && c.ID != except && c.Name == name {
			return true
		}
	}
	return false
}

// checkCertName applies the length rule and per-account uniqueness. The duplicate is answered
// with 400 NameRepeat: not documented; the observed message is "The certificate name already
// exists." (zh "名称重复") with no code (cas-certs.md §2), and the code is named after it.
func checkCertName(s *State, name string, except int64) *APIError {
	if n := utf8.RuneCountInString(name); n > maxCertNameLength {
		return Errorf(http.StatusBadRequest, "InvalidParameter",
			"The parameter Name is invalid: it has %d characters, at most %d are allowed.", n, maxCertNameLength)
	}
	if certNameTaken(s, name, except) {
		return Errorf(http.StatusBadRequest, "NameRepeat", "The certificate name already exists.")
	}
	return nil
}

// randomLowerAlnum is n random characters of [a-z0-9], the alphabet of instance ids.
func randomLowerAlnum(n int) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[rand.IntN(len(alphabet))]
	}
	return string(b)
}

type uploadResponse struct {
	CertID     int64  `json:"CertId"`
	ResourceID string `json:"ResourceId"`
}

func uploadUserCertificate(c *Call) (any, *APIError) {
	s := c.State
	name, apiErr := c.Required("Name")
	if apiErr != nil {
		return nil, apiErr
	}
	token := c.String("ClientToken")
	if len(token) > 64 {
		return nil, Errorf(http.StatusBadRequest, "InvalidParameter", "The parameter ClientToken is invalid: at most 64 characters are allowed.")
	}
	if token != "" {
		for _, old := range s.Certificates {
			if old != nil && old.ClientToken == token && c.Now.Sub(old.CreatedAt) < clientTokenTTL {
				return uploadResponse{CertID: old.ID, ResourceID: old.InstanceID}, nil
			}
		}
	}
	if apiErr := checkCertName(s, name, 0); apiErr != nil {
		return nil, apiErr
	}
	cert := &Certificate{Name: name, Source: "upload", Region: c.RegionID, ClientToken: token, CreatedAt: c.Now}
	if apiErr := readUploadedMaterial(c, cert); apiErr != nil {
		return nil, apiErr
	}
	tags, apiErr := tagParams(c, "Tags")
	if apiErr != nil {
		return nil, apiErr
	}
	rg, apiErr := resourceGroupParam(c, "ResourceGroupId")
	if apiErr != nil {
		return nil, apiErr
	}
	cert.Tags, cert.ResourceGroupID = tags, rg
	cert.ID = s.newID()
	cert.InstanceID = "cas-upload-" + randomLowerAlnum(6)
	s.Certificates[certKey(cert.ID)] = cert
	return uploadResponse{CertID: cert.ID, ResourceID: cert.InstanceID}, nil
}

// readUploadedMaterial checks and stores the PEM material: Cert + Key, or, only when those are
// empty, the two SM2 pairs (cas-certs.md §2: the SM2 fields are ignored when Cert and Key are
// set). Each certificate must match its key.
func readUploadedMaterial(c *Call, cert *Certificate) *APIError {
	pairs := [][2]string{{"Cert", "Key"}}
	sm := false
	if c.String("Cert") == "" && c.String("Key") == "" {
		for _, p := range []string{"SignCert", "SignPrivateKey", "EncryptCert", "EncryptPrivateKey"} {
			if c.String(p) != "" {
				sm = true
			}
		}
		if sm {
			pairs = [][2]string{{"SignCert", "SignPrivateKey"}, {"EncryptCert", "EncryptPrivateKey"}}
		}
	}
	for _, p := range pairs {
		for _, name := range p {
			if _, apiErr := c.Required(name); apiErr != nil {
				return apiErr
			}
		}
	}
	for i, p := range pairs {
		chain, apiErr := parseCertChain(p[0], c.String(p[0]))
		if apiErr != nil {
			return apiErr
		}
		key, apiErr := parsePrivateKey(p[1], c.String(p[1]))
		if apiErr != nil {
			return apiErr
		}
		if !keyMatches(chain[0], key) {
			return errKeyMismatch(p[0], p[1])
		}
		if alg, _ := keyAlgorithm(chain[0]); sm && alg != "SM2" {
			return errCertFormat(p[0], "is not an SM2 certificate (R-44: SM2 certificates come as a signing and an encryption pair)")
		}
		if i == 0 {
			certFacts(cert, chain[0])
		}
	}
	if sm {
		cert.SignCert, cert.SignPrivateKey = normalizePEM(c.String("SignCert")), normalizePEM(c.String("SignPrivateKey"))
		cert.EncryptCert, cert.EncryptPrivateKey = normalizePEM(c.String("EncryptCert")), normalizePEM(c.String("EncryptPrivateKey"))
	} else {
		cert.Cert, cert.Key = normalizePEM(c.String("Cert")), normalizePEM(c.String("Key"))
	}
	return nil
}

// normalizePEM trims and ends PEM text with one newline; the content is returned as uploaded.
func normalizePEM(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n")) + "\n"
}

func deleteUserCertificate(c *Call) (any, *APIError) {
	id, apiErr := c.RequiredInt64("CertId")
	if apiErr != nil {
		return nil, apiErr
	}
	cert, ok := certByID(c.State, id)
	if !ok {
		return nil, errCertNotFound(id)
	}
	// "Deletes an expired or uploaded certificate": a purchased certificate still valid, or one
	// shared from another account (its lifecycle is the owner's, R-54), is refused with the
	// documented 403 DeleteFail.
	switch {
	case cert.Source == "share":
		return nil, Errorf(http.StatusForbidden, "DeleteFail", "The certificate %d was shared by another account; only its owner can delete it.", id)
	case cert.Source == "buy" && c.Now.Before(cert.NotAfter) && !cert.Revoked:
		return nil, Errorf(http.StatusForbidden, "DeleteFail", "The certificate %d is a purchased certificate that has not expired; only uploaded or expired certificates can be deleted.", id)
	}
	delete(c.State.Certificates, certKey(id))
	return struct{}{}, nil
}
