package emulator

import (
	"time"
)

// ListDeploymentJobCert and ListDeploymentJobResource (cas-models.md): a job's certificates and
// cloud resources, unpaged. Errors: 400 Missing<Param> (documented), 404 NotFoundJob (inferred).
//
// ListDeploymentJobResource follows the documented rule: once the job is over, a resource changed
// since (for example by another job's deployment) is left out, and an empty list means the
// resources must be associated again. Resources deleted since are left out in every status.

func init() {
	registerAction(casVersion, "ListDeploymentJobCert", listDeploymentJobCert)
	registerAction(casVersion, "ListDeploymentJobResource", listDeploymentJobResource)
}

type jobCertItem struct {
	CertID         int64    `json:"CertId"` // OrderId is "not returned when CertId is present"
	CertInstanceID string   `json:"CertInstanceId,omitempty"`
	CertName       string   `json:"CertName"`
	CertOrderType  string   `json:"CertOrderType"`
	CertType       string   `json:"CertType,omitempty"` // DV/OV/EV of a purchased certificate
	CommonName     string   `json:"CommonName"`
	Sans           []string `json:"Sans"`
	Algorithm      string   `json:"Algorithm,omitempty"`
	IsTrustee      bool     `json:"IsTrustee"` // hosted certificates are not emulated
	Month          int      `json:"Month,omitempty"`
	NotBeforeTime  int64    `json:"NotBeforeTime"` // numbers of milliseconds here
	NotAfterTime   int64    `json:"NotAfterTime"`
	StatusCode     string   `json:"StatusCode"`
}

type dataResponse[T any] struct {
	Data []T `json:"Data"`
}

func listDeploymentJobCert(c *Call) (any, *APIError) {
	job, apiErr := jobParam(c)
	if apiErr != nil {
		return nil, apiErr
	}
	items := []jobCertItem{}
	for _, id := range job.CertIDs {
		cert, ok := certByID(c.State, id)
		if !ok {
			continue
		}
		it := jobCertItem{
			CertID: cert.ID, CertInstanceID: cert.InstanceID, CertName: cert.Name, CertOrderType: certOrderType(c.State, cert),
			CommonName: cert.CommonName, Sans: append([]string{}, cert.Sans...), Algorithm: cert.Algorithm,
			NotBeforeTime: Millis(cert.NotBefore), NotAfterTime: Millis(cert.NotAfter), StatusCode: jobCertStatus(cert, c.Now),
		}
		if o, ok := orderByID(c.State, cert.OrderID); ok && cert.Source == "buy" {
			if spec, ok := lookupProduct(o.ProductCode); ok {
				it.CertType = spec.CertType
				if it.CertType == "FREE" {
					it.CertType = "DV"
				}
				it.Month = validityMonths(spec)
			}
		}
		items = append(items, it)
	}
	return dataResponse[jobCertItem]{Data: items}, nil
}

// validityMonths is how long a purchased specification is valid, in months (3 for the free
// trial, 12 otherwise; orders.go's validity).
func validityMonths(spec productSpec) int {
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	return int(spec.validity(from).Sub(from).Hours() / 24 / 30)
}

// jobCertStatus is StatusCode: revoked, expired, willExpired, then upload for uploaded (and
// shared) certificates and issued for purchased ones.
func jobCertStatus(cert *Certificate, now time.Time) string {
	switch certStatus(cert, now) {
	case "REVOKED":
		return "revoked"
	case "EXPIRED":
		return "expired"
	case "WILLEXPIRED":
		return "willExpired"
	}
	if cert.Source == "buy" {
		return "issued"
	}
	return "upload"
}

func listDeploymentJobResource(c *Call) (any, *APIError) {
	job, apiErr := jobParam(c)
	if apiErr != nil {
		return nil, apiErr
	}
	over := job.Status == jobSuccess || job.Status == jobError
	items := []cloudResourceItem{}
	for _, id := range job.ResourceIDs {
		r, ok := resourceByID(c.State, id)
		if !ok || (over && r.ModifiedAt.After(job.EndTime)) {
			continue
		}
		it := wireResource(c.State, r, accountNumber(c))
		it.Remark = r.Remark
		items = append(items, it)
	}
	return dataResponse[cloudResourceItem]{Data: items}, nil
}
