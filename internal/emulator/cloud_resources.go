package emulator

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Cloud resources: the deployable targets of deployment jobs (cas-deploy.md §4). The API only
// lists them (ListCloudResources); the service synchronises them from the products in the
// background, so the emulator's come from the control API: PUT
// /_emulator/objects/cloud_resources/{id} with this type's JSON, or POST
// /_emulator/cloud_resources with defaults (cloud_resource_control.go). A deployment job's
// success binds its certificate to the resource (CertId). ListCloudResources is in
// cloud_resource_list.go.
//
// Error codes: none is documented for the resource actions (cas-deploy.md §1); the inferred ones
// are listed in cloud_resource_list.go, cloud_resource_access.go and cloud_resource_control.go.

// CloudResource is one deployable target (an Id of ListCloudResources).
type CloudResource struct {
	ID int64 `json:"id"`
	// CloudName is aliyun (the default when empty), Tencent, Huawei or Aws.
	CloudName    string `json:"cloud_name,omitempty"`
	CloudProduct string `json:"cloud_product"`
	// CloudRegion is the provider's region; RegionID the resource's region. Both default to the
	// other when only one is set.
	CloudRegion string `json:"cloud_region,omitempty"`
	RegionID    string `json:"region_id,omitempty"`
	Domain      string `json:"domain,omitempty"`
	// InstanceID, ListenerID, ListenerPort and DefaultResource are answered for SLB, NLB, ALB and
	// GA only (the models' notes).
	InstanceID      string `json:"instance_id,omitempty"`
	ListenerID      string `json:"listener_id,omitempty"`
	ListenerPort    int    `json:"listener_port,omitempty"`
	DefaultResource bool   `json:"default_resource,omitempty"`
	// NamespaceID is SAE's namespace.
	NamespaceID string `json:"namespace_id,omitempty"`
	EnableHTTPS bool   `json:"enable_https,omitempty"`
	// UseSSL, CloudAccessID and SecretID belong to third-party clouds (multi-cloud deployment).
	UseSSL        bool   `json:"use_ssl,omitempty"`
	CloudAccessID int64  `json:"cloud_access_id,omitempty"`
	SecretID      string `json:"secret_id,omitempty"`
	// CertID is the certificate bound now; a successful deployment replaces it.
	CertID int64 `json:"cert_id,omitempty"`
	// Status is answered as stored; its values are not enumerated (examples online, BUY).
	Status     string    `json:"status,omitempty"`
	Remark     string    `json:"remark,omitempty"`
	CreatedAt  time.Time `json:"created_at,omitzero"`
	ModifiedAt time.Time `json:"modified_at,omitzero"`
	// FailNext makes the next deployment (or rollback) to this resource fail with this error,
	// once (POST /_emulator/cloud_resources/{id}/fail_next).
	FailNext *DeployFailure `json:"fail_next,omitempty"`
}

// DeployFailure is a worker's error.
type DeployFailure struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// cloudProducts are the CloudProduct values of ListCloudResources, by cloud.
var cloudProducts = map[string][]string{
	"aliyun": {"SLB", "LIVE", "webHosting", "VOD", "CR", "DCDN", "DDOS", "CDN", "ALB", "APIGateway",
		"FC", "GA", "MSE", "NLB", "OSS", "SAE", "WAF"},
	"Tencent": {"TencentCDN", "TencentCLB", "TencentWAF"},
	"Huawei":  {"HuaweiCDN"},
	"Aws":     {"AwsCloudFront", "AwsCLB", "AwsALB", "AwsNLB"},
}

// listenerProducts answer InstanceId, ListenerId, ListenerPort and DefaultResource.
var listenerProducts = []string{"SLB", "NLB", "ALB", "GA"}

func init() {
	registerTicker(normalizeCloudResources)
}

// canonicalProduct is a product's documented spelling (the zh page writes DDoS), or "".
func canonicalProduct(p string) (cloud, product string) {
	for name, products := range cloudProducts {
		for _, known := range products {
			if strings.EqualFold(known, p) {
				return name, known
			}
		}
	}
	return "", ""
}

// canonicalCloud is a CloudName's documented spelling, or "".
func canonicalCloud(name string) string {
	for known := range cloudProducts {
		if strings.EqualFold(known, name) {
			return known
		}
	}
	return ""
}

func (r *CloudResource) cloud() string {
	if r.CloudName == "" {
		return "aliyun"
	}
	return r.CloudName
}

func (r *CloudResource) isListener() bool { return slices.Contains(listenerProducts, r.CloudProduct) }

// normalizeCloudResources fills what a seeded resource may leave out: the id from its key, the
// cloud, the other region field, and the times.
func normalizeCloudResources(s *State, now time.Time) {
	for key, r := range s.CloudResources {
		if r == nil {
			continue
		}
		if r.ID == 0 {
			r.ID, _ = strconv.ParseInt(key, 10, 64)
		}
		if r.CloudName == "" {
			r.CloudName = "aliyun"
		}
		if r.RegionID == "" {
			r.RegionID = r.CloudRegion
		}
		if r.CloudRegion == "" {
			r.CloudRegion = r.RegionID
		}
		if r.CreatedAt.IsZero() {
			r.CreatedAt = now
		}
		if r.ModifiedAt.IsZero() {
			r.ModifiedAt = r.CreatedAt
		}
	}
}

func resourceByID(s *State, id int64) (*CloudResource, bool) {
	r, ok := s.CloudResources[strconv.FormatInt(id, 10)]
	return r, ok && r != nil
}

// sortedResources is every resource, newest first (the order is not documented).
func sortedResources(s *State) []*CloudResource {
	out := make([]*CloudResource, 0, len(s.CloudResources))
	for _, r := range s.CloudResources {
		if r != nil {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID > out[j].ID })
	return out
}

// cloudResourceItem is an item of ListCloudResources and ListDeploymentJobResource (which adds
// Remark). Times are strings of milliseconds, as the models type them and a real answer shows.
type cloudResourceItem struct {
	ID              int64  `json:"Id"`
	UserID          int64  `json:"UserId"`
	CloudName       string `json:"CloudName"`
	CloudProduct    string `json:"CloudProduct"`
	CloudRegion     string `json:"CloudRegion,omitempty"`
	RegionID        string `json:"RegionId,omitempty"`
	Domain          string `json:"Domain,omitempty"`
	InstanceID      string `json:"InstanceId,omitempty"`
	ListenerID      string `json:"ListenerId,omitempty"`
	ListenerPort    string `json:"ListenerPort,omitempty"`
	DefaultResource *int   `json:"DefaultResource,omitempty"`
	EnableHTTPS     int    `json:"EnableHttps"`
	UseSSL          *int   `json:"UseSsl,omitempty"`
	CloudAccessID   string `json:"CloudAccessId,omitempty"`
	CertID          int64  `json:"CertId,omitempty"`
	CertName        string `json:"CertName,omitempty"`
	CertStartTime   string `json:"CertStartTime,omitempty"`
	CertEndTime     string `json:"CertEndTime,omitempty"`
	GmtCreate       string `json:"GmtCreate,omitempty"`
	GmtModified     string `json:"GmtModified,omitempty"`
	Status          string `json:"Status,omitempty"`
	Remark          string `json:"Remark,omitempty"`
}

// millisText is a time as a string of milliseconds; "" for the zero time.
func millisText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return strconv.FormatInt(Millis(t), 10)
}

// wireFlag is the wire form of a yes/no: 1 or 0.
func wireFlag(b bool) int {
	if b {
		return 1
	}
	return 0
}

// accountNumber is the caller's account id as the number UserId fields carry.
func accountNumber(c *Call) int64 {
	n, _ := strconv.ParseInt(c.AccountID, 10, 64)
	return n
}

func wireResource(s *State, r *CloudResource, userID int64) cloudResourceItem {
	it := cloudResourceItem{
		ID: r.ID, UserID: userID, CloudName: r.cloud(), CloudProduct: r.CloudProduct, CloudRegion: r.CloudRegion,
		RegionID: r.RegionID, Domain: r.Domain, EnableHTTPS: wireFlag(r.EnableHTTPS), CertID: r.CertID,
		GmtCreate: millisText(r.CreatedAt), GmtModified: millisText(r.ModifiedAt), Status: r.Status,
	}
	if r.isListener() {
		def := wireFlag(r.DefaultResource)
		it.InstanceID, it.ListenerID, it.DefaultResource = r.InstanceID, r.ListenerID, &def
		if r.ListenerPort != 0 {
			it.ListenerPort = strconv.Itoa(r.ListenerPort)
		}
	}
	if r.cloud() != "aliyun" {
		ssl := wireFlag(r.UseSSL)
		it.UseSSL = &ssl
		if r.CloudAccessID != 0 {
			it.CloudAccessID = strconv.FormatInt(r.CloudAccessID, 10)
		}
	}
	if cert, ok := certByID(s, r.CertID); ok {
		it.CertName, it.CertStartTime, it.CertEndTime = cert.Name, millisText(cert.NotBefore), millisText(cert.NotAfter)
	}
	return it
}
