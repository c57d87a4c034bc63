package cas

import (
	"context"
	"fmt"
	"strconv"
)

// Bundle is a certificate's PEM material with the private keys the service holds for it, as
// GetUserCertificateDetail answers with CertFilter=false. It is a secret: callers keep it in
// memory for as long as they need it, never log it and never store it. Its String and GoString
// name the certificate only, so a stray %v or %#v cannot print a key.
type Bundle struct {
	ID int64
	// Cert is the certificate followed by its chain, as stored; Key its private key, "" when the
	// service does not hold it (a purchased certificate applied for with the caller's own CSR,
	// Both are "" for an SM2 dual certificate.
	Cert, Key string
	// SM2 dual certificates: the signing and the encryption pair.
	SignCert, SignPrivateKey       string
	EncryptCert, EncryptPrivateKey string
	// Purchased is BuyInAliyun: issued from an order of this account.
	Purchased bool
}

// String names the bundle without its content (value receiver: a Bundle and a *Bundle print
// the same).
func (b Bundle) String() string {
	return fmt.Sprintf("cas.Bundle{ID: %d, content redacted}", b.ID)
}

// GoString is String: %#v must not print a key either.
func (b Bundle) GoString() string { return b.String() }

// bundleDetail is the part of GetUserCertificateDetail's answer a Bundle needs. It is decoded
// here only; certificateDetail (certificates.go) deliberately has no key fields.
type bundleDetail struct {
	ID                int64  `json:"Id"`
	BuyInAliyun       bool   `json:"BuyInAliyun"`
	Cert              string `json:"Cert"`
	Key               string `json:"Key"`
	SignCert          string `json:"SignCert"`
	SignPrivateKey    string `json:"SignPrivateKey"`
	EncryptCert       string `json:"EncryptCert"`
	EncryptPrivateKey string `json:"EncryptPrivateKey"`
}

// GetCertificateBundle reads a certificate's PEM text and private keys (GetUserCertificateDetail
// with CertFilter=false). The service answers the key of uploaded certificates as well as of
// purchased ones whose key it generated (cas-models.md). Only the call's action, attempt,
// duration and request id are logged, as for every call; the answer's body never is. An unknown
// id is a NotFoundError.
func (c *Client) GetCertificateBundle(ctx context.Context, id int64) (*Bundle, error) {
	var d bundleDetail
	err := c.commonRequest(ctx, commonCall{Action: "GetUserCertificateDetail", Idempotent: true, Query: map[string]string{
		"CertId": strconv.FormatInt(id, 10), "CertFilter": "false",
	}}, &d)
	if err != nil {
		return nil, err
	}
	return &Bundle{
		ID: d.ID, Cert: d.Cert, Key: d.Key, SignCert: d.SignCert, SignPrivateKey: d.SignPrivateKey,
		EncryptCert: d.EncryptCert, EncryptPrivateKey: d.EncryptPrivateKey, Purchased: d.BuyInAliyun,
	}, nil
}
