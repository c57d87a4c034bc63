package cas

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// Site is one of the service's two account sites; certificates and shares never cross them.
type Site string

const (
	SiteChina         Site = "china"         // aliyun.com accounts
	SiteInternational Site = "international" // alibabacloud.com accounts
)

// regionHosts maps each region the service answers in to its API host. Mainland regions (and a
// few others) are served by the central China-site host; the international site has regional
// hosts. Source: the generated SDK's endpoint map (cas-certs.md §1, cas-api.md "Endpoints").
var regionHosts = map[string]struct {
	host string
	site Site
}{
	"cn-hangzhou":    {"cas.aliyuncs.com", SiteChina},
	"cn-shanghai":    {"cas.aliyuncs.com", SiteChina},
	"cn-beijing":     {"cas.aliyuncs.com", SiteChina},
	"cn-shenzhen":    {"cas.aliyuncs.com", SiteChina},
	"cn-qingdao":     {"cas.aliyuncs.com", SiteChina},
	"cn-zhangjiakou": {"cas.aliyuncs.com", SiteChina},
	"cn-wulanchabu":  {"cas.aliyuncs.com", SiteChina},
	"cn-wuhan":       {"cas.aliyuncs.com", SiteChina},
	"cn-hongkong":    {"cas.aliyuncs.com", SiteChina},
	"us-east-1":      {"cas.aliyuncs.com", SiteChina},
	"us-west-1":      {"cas.aliyuncs.com", SiteChina},
	"eu-west-1":      {"cas.aliyuncs.com", SiteChina},
	"ap-southeast-3": {"cas.aliyuncs.com", SiteChina},
	"ap-southeast-5": {"cas.aliyuncs.com", SiteChina},
	"ap-southeast-1": {"cas.ap-southeast-1.aliyuncs.com", SiteInternational},
	"ap-southeast-2": {"cas.ap-southeast-2.aliyuncs.com", SiteInternational},
	"ap-northeast-1": {"cas.ap-northeast-1.aliyuncs.com", SiteInternational},
	"ap-south-1":     {"cas.ap-south-1.aliyuncs.com", SiteInternational},
	"eu-central-1":   {"cas.eu-central-1.aliyuncs.com", SiteInternational},
	"me-central-1":   {"cas.me-central-1.aliyuncs.com", SiteInternational},
	"me-east-1":      {"cas.me-east-1.aliyuncs.com", SiteInternational},
}

// DefaultRegion is the region used when none is configured: the China site's home region.
const DefaultRegion = "cn-hangzhou"

// SupportedRegions lists the regions the provider knows an endpoint for, sorted.
func SupportedRegions() []string {
	out := make([]string, 0, len(regionHosts))
	for r := range regionHosts {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}

// UnsupportedRegionError says a region has no CAS endpoint and lists the ones that do.
type UnsupportedRegionError struct{ Region string }

func (e *UnsupportedRegionError) Error() string {
	return fmt.Sprintf("region %q has no Certificate Management Service endpoint; supported regions: %s "+
		"(or set endpoint to a full URL)", e.Region, strings.Join(SupportedRegions(), ", "))
}

// Endpoint is where API calls go: a scheme ("https" or "http") and a host[:port].
type Endpoint struct {
	Scheme string
	Host   string
}

// URL renders the endpoint as a URL string.
func (e Endpoint) URL() string { return e.Scheme + "://" + e.Host }

// ResolveEndpoint returns the endpoint for a region, or the override when one is given. An
// override may be a bare host ("cas.aliyuncs.com", HTTPS) or a URL ("http://127.0.0.1:8787").
func ResolveEndpoint(region, override string) (Endpoint, error) {
	if override != "" {
		return ParseEndpoint(override)
	}
	r, ok := regionHosts[region]
	if !ok {
		return Endpoint{}, &UnsupportedRegionError{Region: region}
	}
	return Endpoint{Scheme: "https", Host: r.host}, nil
}

// SiteOf returns the account site a region belongs to ("" when the region is unknown).
func SiteOf(region string) Site { return regionHosts[region].site }

// ParseEndpoint reads an endpoint override: a bare host means HTTPS; a URL keeps its scheme. Paths,
// queries and user info are refused because the service is addressed at "/".
func ParseEndpoint(s string) (Endpoint, error) {
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return Endpoint{}, fmt.Errorf("endpoint %q is not a valid URL: %w", s, err)
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return Endpoint{}, fmt.Errorf("endpoint %q: scheme must be http or https", s)
	}
	if u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil {
		return Endpoint{}, fmt.Errorf("endpoint %q must be a host or a scheme://host[:port] URL without path, query or user info", s)
	}
	return Endpoint{Scheme: scheme, Host: u.Host}, nil
}
