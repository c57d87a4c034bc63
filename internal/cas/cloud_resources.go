package cas

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Cloud resources (cas-deploy.md §4): the targets a deployment job can put a certificate on
// (their Id goes into CreateDeploymentJob's ResourceIds). The service synchronises them from the
// products in the background: a resource just made in ALB, CDN, ... may be missing from
// the list for a while, and the certificate a resource shows is the one bound at the last sync.

// CloudProducts are ListCloudResources' CloudProduct values by cloud (CloudName), as the
// generated SDK's models spell them (cas-models.md). SLB, LIVE, webHosting, VOD and CR are
// China site only.
var CloudProducts = map[string][]string{
	"aliyun": {"SLB", "LIVE", "webHosting", "VOD", "CR", "DCDN", "DDOS", "CDN", "ALB", "APIGateway",
		"FC", "GA", "MSE", "NLB", "OSS", "SAE", "WAF"},
	"Tencent": {"TencentCDN", "TencentCLB", "TencentWAF"},
	"Huawei":  {"HuaweiCDN"},
	"Aws":     {"AwsCloudFront", "AwsCLB", "AwsALB", "AwsNLB"},
}

// CloudProductNames is every CloudProduct value, Alibaba Cloud's first, then the other clouds'.
func CloudProductNames() []string {
	var out []string
	for _, cloud := range []string{"aliyun", "Tencent", "Huawei", "Aws"} {
		out = append(out, CloudProducts[cloud]...)
	}
	return out
}

// CanonicalCloudProduct is a product's documented spelling, matched without regard to case (the
// Chinese page writes DDoS, the models DDOS); "" when it is not a documented product.
func CanonicalCloudProduct(p string) string {
	for _, known := range CloudProductNames() {
		if strings.EqualFold(known, p) {
			return known
		}
	}
	return ""
}

// CloudResource is one deployable target of ListCloudResources.
type CloudResource struct {
	ID           int64 // the value of ResourceIds
	CloudName    string
	CloudProduct string
	RegionID     string // the resource's region
	CloudRegion  string // the region in the cloud's own terms (third-party clouds)
	Domain       string
	// InstanceID, ListenerID, ListenerPort and DefaultResource are answered for SLB, NLB, ALB and
	// GA only; ListenerPort is 0 when absent.
	InstanceID      string
	ListenerID      string
	ListenerPort    int64
	DefaultResource bool
	EnableHTTPS     bool
	UseSSL          bool   // third-party clouds only
	CloudAccessID   string // third-party clouds only: the access key record used to reach it
	// CertID is the certificate bound to the resource at the last sync (0: none); CertName and
	// the validity are that certificate's.
	CertID                      int64
	CertName                    string
	CertNotBefore, CertNotAfter time.Time
	Status                      string // not enumerated (examples: online, BUY)
	Created, Modified           time.Time
}

// cloudResourceWire is an item of ListCloudResources' Data. The models type ListenerPort, the
// times and CloudAccessId as strings and the ids and flags as numbers; a real answer agreed. Each
// is read leniently (number or string) all the same: the service's answers have differed from
// its models elsewhere.
type cloudResourceWire struct {
	ID              lenientInt64 `json:"Id"`
	CloudName       string       `json:"CloudName"`
	CloudProduct    string       `json:"CloudProduct"`
	CloudRegion     string       `json:"CloudRegion"`
	RegionID        string       `json:"RegionId"`
	Domain          string       `json:"Domain"`
	InstanceID      string       `json:"InstanceId"`
	ListenerID      string       `json:"ListenerId"`
	ListenerPort    lenientInt64 `json:"ListenerPort"`
	DefaultResource lenientInt64 `json:"DefaultResource"`
	EnableHTTPS     lenientInt64 `json:"EnableHttps"`
	UseSSL          lenientInt64 `json:"UseSsl"`
	CloudAccessID   lenientText  `json:"CloudAccessId"`
	CertID          lenientInt64 `json:"CertId"`
	CertName        string       `json:"CertName"`
	CertStartTime   lenientInt64 `json:"CertStartTime"`
	CertEndTime     lenientInt64 `json:"CertEndTime"`
	GmtCreate       lenientInt64 `json:"GmtCreate"`
	GmtModified     lenientInt64 `json:"GmtModified"`
	Status          string       `json:"Status"`
}

func (w cloudResourceWire) resource() CloudResource {
	r := CloudResource{
		ID: int64(w.ID), CloudName: w.CloudName, CloudProduct: w.CloudProduct, RegionID: w.RegionID,
		CloudRegion: w.CloudRegion, Domain: w.Domain, InstanceID: w.InstanceID, ListenerID: w.ListenerID,
		ListenerPort: int64(w.ListenerPort), DefaultResource: w.DefaultResource == 1, EnableHTTPS: w.EnableHTTPS == 1,
		UseSSL: w.UseSSL == 1, CloudAccessID: string(w.CloudAccessID), CertID: int64(w.CertID), CertName: w.CertName,
		// Documented as seconds, milliseconds in every example and capture (cas-api.md).
		CertNotBefore: fromMillis(int64(w.CertStartTime)), CertNotAfter: fromMillis(int64(w.CertEndTime)),
		Created: fromMillis(int64(w.GmtCreate)), Modified: fromMillis(int64(w.GmtModified)), Status: w.Status,
	}
	if r.CloudName == "" {
		r.CloudName = "aliyun"
	}
	if r.RegionID == "" {
		r.RegionID = r.CloudRegion
	}
	return r
}

// lenientText reads a value the service may send as a string or as a number; null is "".
type lenientText string

func (v *lenientText) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case string(b) == "null":
		*v = ""
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*v = lenientText(s)
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("not a string or a number: %s", b)
		}
		*v = lenientText(n.String())
	}
	return nil
}

// CloudResourceFilter narrows ListCloudResources; the service applies every field. Empty fields
// do not filter.
type CloudResourceFilter struct {
	CloudProduct string  // a CloudProducts value
	Keyword      string  // the service's fuzzy match on the bound domain or the instance id
	CertIDs      []int64 // resources that have one of these certificates bound now
}

// cloudResourcePageSize: the documented default is 20, but a real answer to a request without
// ShowSize echoed 50 (cas-deploy.md §4), so the service pages by 50 itself; no larger size is
// documented. Asking for a size the service then cut short would end the paging early (ListAll
// stops at a short page), so the page is no larger than a size the service is known to use.
const cloudResourcePageSize = 50

// ListCloudResources lists every resource that passes the filter, page by page; a resource listed
// on two pages (the list changed while it was read) is answered once.
func (c *Client) ListCloudResources(ctx context.Context, f CloudResourceFilter) ([]CloudResource, error) {
	params := map[string]string{}
	if f.CloudProduct != "" {
		params["CloudProduct"] = f.CloudProduct
	}
	if f.Keyword != "" {
		params["Keyword"] = f.Keyword
	}
	if len(f.CertIDs) > 0 {
		// The one array parameter: JSON text, as the SDK sends it (cas-deploy.md §1).
		ids := make([]string, len(f.CertIDs))
		for i, id := range f.CertIDs {
			ids[i] = strconv.FormatInt(id, 10)
		}
		params["CertIds"] = "[" + strings.Join(ids, ",") + "]"
	}
	return ListAllUnique(ctx, cloudResourcePageSize, func(r CloudResource) int64 { return r.ID },
		func(ctx context.Context, page, size int) ([]CloudResource, int, error) {
			return c.listCloudResourcePage(ctx, params, page, size)
		})
}

func (c *Client) listCloudResourcePage(ctx context.Context, filter map[string]string, page, size int) ([]CloudResource, int, error) {
	params := map[string]string{"CurrentPage": strconv.Itoa(page), "ShowSize": strconv.Itoa(size)}
	for k, v := range filter {
		params[k] = v
	}
	var out struct {
		Total lenientInt64        `json:"Total"`
		Data  []cloudResourceWire `json:"Data"`
	}
	if err := c.common(ctx, "ListCloudResources", true, params, &out); err != nil {
		return nil, 0, err
	}
	items := make([]CloudResource, 0, len(out.Data))
	for _, w := range out.Data {
		items = append(items, w.resource())
	}
	return items, int(out.Total), nil
}
