package cas

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	sdkcas "github.com/aliyun/alibaba-cloud-sdk-go/services/cas"
)

// Certificate is an uploaded or issued certificate (a CertId) as GetUserCertificateDetail
// describes it. It never holds a private key: the client drops the key fields of every answer.
type Certificate struct {
	ID              int64
	Name            string
	Identifier      string // "<id>-<region>", the form ALB, CDN and others take
	InstanceID      string // "cas-upload-xxxxxx" for uploads
	CommonName      string
	SANs            []string
	Issuer          string
	SerialNo        string
	Fingerprint     string // SHA-1, as the service gives it
	SHA256          string // "Sha2"
	Algorithm       string // RSA, ECC or SM2
	NotBefore       time.Time
	NotAfter        time.Time
	Expired         bool
	Purchased       bool // BuyInAliyun
	OrderID         int64
	ResourceGroupID string
	Tags            map[string]string
	// PEM is the certificate (followed by its chain) when the caller asked for it; SignPEM and
	// EncryptPEM for SM2 dual certificates.
	PEM, SignPEM, EncryptPEM string
}

// certificateDetail is GetUserCertificateDetail's answer (cas-models.md). The typed SDK's
// response lags the service (no CertIdentifier, NotBefore/NotAfter, SerialNo, Sha2, Tags), so the
// call goes through CommonRequest. Key fields are deliberately absent: they are never decoded.
type certificateDetail struct {
	ID              int64  `json:"Id"`
	Name            string `json:"Name"`
	CertIdentifier  string `json:"CertIdentifier"`
	InstanceID      string `json:"InstanceId"`
	Common          string `json:"Common"`
	Sans            string `json:"Sans"`
	Issuer          string `json:"Issuer"`
	SerialNo        string `json:"SerialNo"`
	Fingerprint     string `json:"Fingerprint"`
	Sha2            string `json:"Sha2"`
	Algorithm       string `json:"Algorithm"`
	NotBefore       int64  `json:"NotBefore"`
	NotAfter        int64  `json:"NotAfter"`
	Expired         bool   `json:"Expired"`
	BuyInAliyun     bool   `json:"BuyInAliyun"`
	OrderID         int64  `json:"OrderId"`
	ResourceGroupID string `json:"ResourceGroupId"`
	Cert            string `json:"Cert"`
	SignCert        string `json:"SignCert"`
	EncryptCert     string `json:"EncryptCert"`
	Tags            []struct {
		TagKey   string `json:"TagKey"`
		TagValue string `json:"TagValue"`
	} `json:"Tags"`
}

// GetUserCertificateDetail reads one certificate. withPEM asks for the certificate text as well
// (CertFilter=false), which also makes the service send the private key: the client discards it
// unread, but callers ask for the text only when they need it (an import). An unknown id is a
// NotFoundError.
func (c *Client) GetUserCertificateDetail(ctx context.Context, id int64, withPEM bool) (*Certificate, error) {
	var d certificateDetail
	err := c.commonRequest(ctx, commonCall{Action: "GetUserCertificateDetail", Idempotent: true, Query: map[string]string{
		"CertId": strconv.FormatInt(id, 10), "CertFilter": strconv.FormatBool(!withPEM),
	}}, &d)
	if err != nil {
		return nil, err
	}
	out := &Certificate{
		ID: d.ID, Name: d.Name, Identifier: d.CertIdentifier, InstanceID: d.InstanceID, CommonName: d.Common,
		SANs: splitList(d.Sans), Issuer: d.Issuer, SerialNo: d.SerialNo, Fingerprint: d.Fingerprint, SHA256: d.Sha2,
		Algorithm: d.Algorithm, NotBefore: fromMillis(d.NotBefore), NotAfter: fromMillis(d.NotAfter), Expired: d.Expired,
		Purchased: d.BuyInAliyun, OrderID: d.OrderID, ResourceGroupID: d.ResourceGroupID, Tags: map[string]string{},
		PEM: d.Cert, SignPEM: d.SignCert, EncryptPEM: d.EncryptCert,
	}
	for _, t := range d.Tags {
		out.Tags[t.TagKey] = t.TagValue
	}
	if out.Identifier == "" {
		out.Identifier = strconv.FormatInt(d.ID, 10) + "-" + c.cfg.Region
	}
	return out, nil
}

// Upload is what UploadUserCertificate sends: Cert and Key, or the SM2 pairs.
type Upload struct {
	Name, Cert, Key                                          string
	SignCert, SignPrivateKey, EncryptCert, EncryptPrivateKey string
	ResourceGroupID                                          string
	Tags                                                     map[string]string
	// ClientToken makes the upload idempotent: the service answers a repeated token with the
	// certificate the first request created, so the client may resend it.
	ClientToken string
}

// UploadUserCertificate uploads a certificate and answers its CertId. With a ClientToken the call
// is retried like a read; without one an unknown outcome is an OutcomeUnknownError. The
// certificate and key travel in the POST body, never in the URL.
func (c *Client) UploadUserCertificate(ctx context.Context, in Upload) (int64, error) {
	form := map[string]string{}
	for k, v := range map[string]string{
		"Name": in.Name, "Cert": in.Cert, "Key": in.Key, "SignCert": in.SignCert, "SignPrivateKey": in.SignPrivateKey,
		"EncryptCert": in.EncryptCert, "EncryptPrivateKey": in.EncryptPrivateKey, "ResourceGroupId": in.ResourceGroupID,
		"ClientToken": in.ClientToken,
	} {
		if v != "" {
			form[k] = v
		}
	}
	for i, k := range sortedKeys(in.Tags) {
		n := strconv.Itoa(i + 1)
		form["Tags."+n+".Key"], form["Tags."+n+".Value"] = k, in.Tags[k]
	}
	var out struct {
		CertID int64 `json:"CertId"`
	}
	err := c.commonRequest(ctx, commonCall{Action: "UploadUserCertificate", Idempotent: in.ClientToken != "", Form: form}, &out)
	c.batch.invalidate()
	return out.CertID, err
}

// DeleteUserCertificate deletes an uploaded certificate. Repeating it is safe: a second call
// finds nothing and answers NotFoundError, which callers treat as done.
func (c *Client) DeleteUserCertificate(ctx context.Context, id int64) error {
	defer c.batch.invalidate()
	return c.invoke(ctx, "DeleteUserCertificate", true, func(sc *sdkcas.Client) (string, error) {
		req := sdkcas.CreateDeleteUserCertificateRequest()
		c.prepare(req)
		req.CertId = requests.NewInteger64(id)
		resp, err := sc.DeleteUserCertificate(req)
		if err != nil {
			return "", err
		}
		return resp.RequestId, nil
	})
}

// RenameCertificate renames a certificate with CreateCertificateName of the 2018-08-13 version:
// 2020-04-07 has no rename action, and this is the call the official alicloud provider makes.
func (c *Client) RenameCertificate(ctx context.Context, id int64, name string) error {
	defer c.batch.invalidate()
	return c.commonRequest(ctx, commonCall{Action: "CreateCertificateName", Version: "2018-08-13", Idempotent: true,
		Query: map[string]string{"CertificateId": strconv.FormatInt(id, 10), "Name": name}}, nil)
}

// MoveResourceGroup moves a certificate (ResourceType Certificate, ResourceId its CertId).
func (c *Client) MoveResourceGroup(ctx context.Context, id int64, group string) error {
	defer c.batch.invalidate()
	return c.common(ctx, "MoveResourceGroup", true, map[string]string{
		"ResourceType": "Certificate", "ResourceId": strconv.FormatInt(id, 10), "ResourceGroupId": group,
	}, nil)
}

// TagResources adds or overwrites tags on one resource (its InstanceId).
func (c *Client) TagResources(ctx context.Context, resourceID string, tags map[string]string) error {
	if len(tags) == 0 {
		return nil
	}
	params := map[string]string{"RegionId": c.cfg.Region, "ResourceType": "instance", "ResourceId.1": resourceID}
	for i, k := range sortedKeys(tags) {
		n := strconv.Itoa(i + 1)
		params["Tag."+n+".Key"], params["Tag."+n+".Value"] = k, tags[k]
	}
	return c.common(ctx, "TagResources", true, params, nil)
}

// UntagResources removes tag keys from one resource (its InstanceId).
func (c *Client) UntagResources(ctx context.Context, resourceID string, keys []string) error {
	if len(keys) == 0 {
		return nil
	}
	params := map[string]string{"RegionId": c.cfg.Region, "ResourceType": "instance", "ResourceId.1": resourceID}
	sort.Strings(keys)
	for i, k := range keys {
		params["TagKey."+strconv.Itoa(i+1)] = k
	}
	return c.common(ctx, "UntagResources", true, params, nil)
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// fromMillis reads the service's millisecond timestamps (documented as seconds in places, but
// milliseconds in every example and capture, cas-api.md).
func fromMillis(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
