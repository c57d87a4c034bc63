package cas

import (
	"context"
	"strings"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	sdkcas "github.com/aliyun/alibaba-cloud-sdk-go/services/cas"
)

// Certificate kinds of ListUserCertificateOrder's OrderType.
const (
	KindUploaded  = "UPLOAD" // uploaded certificates (and those shared with this account)
	KindPurchased = "CERT"   // certificates issued from orders
)

// Certificate statuses of ListUserCertificateOrder. Without a Status the service lists only valid
// certificates (ISSUED and WILLEXPIRED): an expired certificate vanishes from that list without
// being deleted (cas-api.md "Traps"), so ListCertificates asks for EXPIRED as well.
var certificateStatuses = []string{"", "EXPIRED"}

// CertificateSummary is one certificate of ListUserCertificateOrder: no PEM, no key.
type CertificateSummary struct {
	ID                  int64
	Name                string
	InstanceID          string
	CommonName          string
	SANs                []string
	Issuer              string
	SerialNo            string
	Fingerprint, SHA256 string
	Status              string // ISSUED, WILLEXPIRED, EXPIRED, ...
	Uploaded            bool
	Expired             bool
	// StartDate and EndDate are days (the list has no timestamps for certificates).
	StartDate, EndDate string
	ResourceGroupID    string
}

// CertificateFilter narrows ListCertificates. Kind is KindUploaded or KindPurchased.
type CertificateFilter struct {
	Kind            string
	Keyword         string // the service's fuzzy match on domain, name or resource id
	ResourceGroupID string
}

// listPageSize is ListUserCertificateOrder's documented default page (50); at 10 calls a second
// (its documented limit) a list of n certificates costs about n/50 calls.
const listPageSize = 50

// ListCertificates lists every certificate of a kind, valid and expired, page by page.
func (c *Client) ListCertificates(ctx context.Context, f CertificateFilter) ([]CertificateSummary, error) {
	var all []CertificateSummary
	seen := map[int64]bool{}
	for _, status := range certificateStatuses {
		items, err := ListAll(ctx, listPageSize, func(ctx context.Context, page, size int) ([]CertificateSummary, int, error) {
			return c.listCertificatePage(ctx, f, status, page, size)
		})
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			if !seen[it.ID] {
				seen[it.ID] = true
				all = append(all, it)
			}
		}
	}
	return all, nil
}

func (c *Client) listCertificatePage(ctx context.Context, f CertificateFilter, status string, page, size int) ([]CertificateSummary, int, error) {
	var items []CertificateSummary
	var total int
	err := c.invoke(ctx, "ListUserCertificateOrder", true, func(sc *sdkcas.Client) (string, error) {
		req := sdkcas.CreateListUserCertificateOrderRequest()
		c.prepare(req)
		req.OrderType, req.Status, req.Keyword, req.ResourceGroupId = f.Kind, status, f.Keyword, f.ResourceGroupID
		req.CurrentPage, req.ShowSize = requests.NewInteger(page), requests.NewInteger(size)
		resp, err := sc.ListUserCertificateOrder(req)
		if err != nil {
			return "", err
		}
		items, total = nil, int(resp.TotalCount)
		for _, it := range resp.CertificateOrderList {
			items = append(items, CertificateSummary{
				ID: it.CertificateId, Name: it.Name, InstanceID: it.InstanceId, CommonName: it.CommonName,
				SANs: splitList(it.Sans), Issuer: it.Issuer, SerialNo: it.SerialNo, Fingerprint: it.Fingerprint,
				SHA256: it.Sha2, Status: it.Status, Uploaded: it.Upload, Expired: it.Expired,
				StartDate: it.StartDate, EndDate: it.EndDate, ResourceGroupID: it.ResourceGroupId,
			})
		}
		return resp.RequestId, nil
	})
	return items, total, err
}

// FindUploadedByName finds the uploaded certificate with exactly this name (names are unique per
// account), or nil. A create whose outcome is unknown uses it before it tries again. It lists every
// uploaded certificate: Keyword is documented to match domains and resource ids, not names.
func (c *Client) FindUploadedByName(ctx context.Context, name string) (*CertificateSummary, error) {
	items, err := c.ListCertificates(ctx, CertificateFilter{Kind: KindUploaded})
	if err != nil {
		return nil, err
	}
	for i := range items {
		if items[i].Name == name {
			return &items[i], nil
		}
	}
	return nil, nil
}

// EndOfDay is the last moment of a list's EndDate: the service's dates are days of UTC+8, the
// time zone of both sites; an unreadable date is the zero time.
func EndOfDay(date string) time.Time {
	d, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(date), time.FixedZone("UTC+8", 8*3600))
	if err != nil {
		return time.Time{}
	}
	return d.Add(24*time.Hour - time.Second).UTC()
}
