package emulator

import (
	"net/http"
	"strings"
)

// ListCert: the certificates of the certificate repositories (cas-models.md). Repositories
// themselves (ListCertWarehouse, PCA) are not emulated: every certificate of the account is in
// one implicit repository, WarehouseId is accepted and not used to filter, and WhId/WhInstanceId
// are omitted. Certificate authorities are not held, so CertType=CA lists nothing.

func init() {
	registerAction(casVersion, "ListCert", listCert)
}

type listCertItem struct {
	Identifier      string `json:"Identifier"`
	CommonName      string `json:"CommonName"`
	Sans            string `json:"Sans"`
	Issuer          string `json:"Issuer"`
	CertType        string `json:"CertType"`
	SourceType      string `json:"SourceType"`
	Status          string `json:"Status"`
	ExistPrivateKey bool   `json:"ExistPrivateKey"`
	BeforeDate      int64  `json:"BeforeDate"`
	AfterDate       int64  `json:"AfterDate"`
}

type listCertResponse struct {
	TotalCount  int64          `json:"TotalCount"`
	CurrentPage int64          `json:"CurrentPage"`
	ShowSize    int64          `json:"ShowSize"`
	CertList    []listCertItem `json:"CertList"`
}

func listCert(c *Call) (any, *APIError) {
	page, size, apiErr := c.Page(defaultListPageSize, maxListPageSize)
	if apiErr != nil {
		return nil, apiErr
	}
	if _, apiErr := c.Int64("WarehouseId", 0); apiErr != nil {
		return nil, apiErr
	}
	certType, sourceType, status := c.String("CertType"), c.String("SourceType"), c.String("Status")
	for _, p := range []struct{ name, value, allowed string }{
		{"CertType", certType, "CA CERT"},
		{"SourceType", sourceType, "upload aliyun"},
		{"Status", status, "ISSUE REVOKE"},
	} {
		if p.value != "" && !strings.Contains(" "+p.allowed+" ", " "+p.value+" ") {
			return nil, Errorf(http.StatusBadRequest, "InvalidParameter", "The parameter %s is invalid: %q; use one of %s.", p.name, p.value, p.allowed)
		}
	}
	keyword := strings.ToLower(c.String("KeyWord"))
	items := []listCertItem{}
	for _, cert := range sortedCertificates(c.State) {
		it := listCertItem{
			Identifier: certIdentifier(cert, c.RegionID), CommonName: cert.CommonName, Sans: strings.Join(cert.Sans, ","),
			Issuer: cert.Issuer, CertType: "CERT", SourceType: "upload", Status: "ISSUE",
			ExistPrivateKey: cert.Key != "" || cert.SignPrivateKey != "",
			BeforeDate:      Millis(cert.NotBefore), AfterDate: Millis(cert.NotAfter),
		}
		if cert.Source == "buy" {
			it.SourceType = "aliyun"
		}
		if cert.Revoked {
			it.Status = "REVOKE"
		}
		switch {
		case certType == "CA",
			sourceType != "" && it.SourceType != sourceType,
			status != "" && it.Status != status,
			keyword != "" && !matchesKeyword(keyword, append([]string{cert.Name, cert.CommonName}, cert.Sans...)):
			continue
		}
		items = append(items, it)
	}
	return listCertResponse{TotalCount: int64(len(items)), CurrentPage: page, ShowSize: size, CertList: pageOf(items, page, size)}, nil
}
