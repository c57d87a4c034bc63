package emulator

import (
	"strconv"
	"strings"
	"time"

	"github.com/emmansun/gmsm/smx509"
)

// GetUserCertificateDetail and the views of a certificate shared with the lists.

func init() {
	registerAction(casVersion, "GetUserCertificateDetail", getUserCertificateDetail)
}

// certificateDetail is GetUserCertificateDetail's answer (cas-models.md): a flat object. Fields
// that do not apply are omitted, never null.
type certificateDetail struct {
	ID                int64            `json:"Id"`
	Name              string           `json:"Name"`
	InstanceID        string           `json:"InstanceId"`
	OrderID           int64            `json:"OrderId,omitempty"`
	ResourceGroupID   string           `json:"ResourceGroupId"`
	CertIdentifier    string           `json:"CertIdentifier"`
	Common            string           `json:"Common"`
	Sans              string           `json:"Sans"`
	Issuer            string           `json:"Issuer"`
	OrgName           string           `json:"OrgName,omitempty"`
	Country           string           `json:"Country,omitempty"`
	Province          string           `json:"Province,omitempty"`
	City              string           `json:"City,omitempty"`
	StartDate         string           `json:"StartDate"`
	EndDate           string           `json:"EndDate"`
	NotBefore         int64            `json:"NotBefore"`
	NotAfter          int64            `json:"NotAfter"`
	Expired           bool             `json:"Expired"`
	BuyInAliyun       bool             `json:"BuyInAliyun"`
	Fingerprint       string           `json:"Fingerprint"`
	Sha2              string           `json:"Sha2"`
	SerialNo          string           `json:"SerialNo"`
	Algorithm         string           `json:"Algorithm"`
	Cert              string           `json:"Cert,omitempty"`
	Key               string           `json:"Key,omitempty"`
	SignCert          string           `json:"SignCert,omitempty"`
	SignPrivateKey    string           `json:"SignPrivateKey,omitempty"`
	EncryptCert       string           `json:"EncryptCert,omitempty"`
	EncryptPrivateKey string           `json:"EncryptPrivateKey,omitempty"`
	CertChain         []certChainEntry `json:"CertChain,omitempty"`
	Tags              []tagView        `json:"Tags,omitempty"`
}

// certChainEntry is one certificate of CertChain.
type certChainEntry struct {
	CommonName       string `json:"CommonName"`
	IssuerCommonName string `json:"IssuerCommonName"`
	NotBefore        int64  `json:"NotBefore"`
	NotAfter         int64  `json:"NotAfter"`
	RemainDay        int64  `json:"RemainDay"`
}

// tagView is a tag as GetUserCertificateDetail answers it.
type tagView struct {
	TagKey   string `json:"TagKey"`
	TagValue string `json:"TagValue"`
}

func getUserCertificateDetail(c *Call) (any, *APIError) {
	id, apiErr := c.RequiredInt64("CertId")
	if apiErr != nil {
		return nil, apiErr
	}
	filter, apiErr := c.Bool("CertFilter", false)
	if apiErr != nil {
		return nil, apiErr
	}
	cert, ok := certByID(c.State, id)
	if !ok {
		return nil, errCertNotFound(id)
	}
	d := certificateDetail{
		ID:              cert.ID,
		Name:            cert.Name,
		InstanceID:      cert.InstanceID,
		OrderID:         cert.OrderID,
		ResourceGroupID: certResourceGroup(cert),
		CertIdentifier:  certIdentifier(cert, c.RegionID),
		Common:          cert.CommonName,
		Sans:            strings.Join(cert.Sans, ","),
		Issuer:          cert.Issuer,
		OrgName:         cert.OrgName,
		Country:         cert.Country,
		Province:        cert.Province,
		City:            cert.City,
		StartDate:       wireDate(cert.NotBefore),
		EndDate:         wireDate(cert.NotAfter),
		NotBefore:       Millis(cert.NotBefore),
		NotAfter:        Millis(cert.NotAfter),
		Expired:         !c.Now.Before(cert.NotAfter),
		BuyInAliyun:     cert.Source == "buy",
		Fingerprint:     cert.Fingerprint,
		Sha2:            cert.Sha2,
		SerialNo:        cert.SerialNo,
		Algorithm:       cert.Algorithm,
		CertChain:       certChain(cert, c.Now),
	}
	if !filter {
		d.Cert, d.Key = cert.Cert, cert.Key
		d.SignCert, d.SignPrivateKey = cert.SignCert, cert.SignPrivateKey
		d.EncryptCert, d.EncryptPrivateKey = cert.EncryptCert, cert.EncryptPrivateKey
	}
	for _, t := range cert.Tags {
		d.Tags = append(d.Tags, tagView{TagKey: t.Key, TagValue: t.Value})
	}
	return d, nil
}

// certIdentifier is "<CertId>-<region>", the form other products take (documented for
// cn-hangzhou; the region suffix elsewhere is an inference, cas-certs.md §2).
func certIdentifier(cert *Certificate, callRegion string) string {
	region := cert.Region
	if region == "" {
		region = callRegion
	}
	return strconv.FormatInt(cert.ID, 10) + "-" + region
}

// certResourceGroup is the certificate's group, the default group when none was named.
func certResourceGroup(cert *Certificate) string {
	if cert.ResourceGroupID == "" {
		return defaultResourceGroupID
	}
	return cert.ResourceGroupID
}

// wireDate is the service's yyyy-MM-dd form of a time, in UTC+8.
func wireDate(t time.Time) string { return t.In(dateZone).Format("2006-01-02") }

// certStatus is a certificate's status in ListUserCertificateOrder's terms.
func certStatus(cert *Certificate, now time.Time) string {
	switch {
	case cert.Revoked:
		return "REVOKED"
	case !now.Before(cert.NotAfter):
		return "EXPIRED"
	case cert.NotAfter.Sub(now) <= willExpireWindow:
		return "WILLEXPIRED"
	}
	return "ISSUED"
}

// certChain describes the stored chain, server certificate first.
func certChain(cert *Certificate, now time.Time) []certChainEntry {
	text := cert.Cert
	if text == "" {
		text = cert.SignCert
	}
	if text == "" {
		return nil
	}
	chain, apiErr := parseCertChain("Cert", text)
	if apiErr != nil {
		return nil
	}
	out := make([]certChainEntry, 0, len(chain))
	for _, x := range chain {
		out = append(out, chainEntry(x, now))
	}
	return out
}

func chainEntry(x *smx509.Certificate, now time.Time) certChainEntry {
	remain := int64(x.NotAfter.Sub(now) / (24 * time.Hour))
	if remain < 0 {
		remain = 0
	}
	return certChainEntry{
		CommonName:       x.Subject.CommonName,
		IssuerCommonName: x.Issuer.CommonName,
		NotBefore:        Millis(x.NotBefore),
		NotAfter:         Millis(x.NotAfter),
		RemainDay:        remain,
	}
}
