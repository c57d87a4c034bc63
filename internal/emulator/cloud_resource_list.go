package emulator

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// ListCloudResources (cas-models.md; cas-deploy.md §4): filters CloudName, CloudProduct, CertIds,
// Keyword (domain or instance id) and SecretId; CurrentPage and ShowSize (default 20); newest
// first. Errors: none documented; inferred 400 InvalidParameter for an unknown CloudName or
// CloudProduct, unreadable CertIds and bad paging.

// defaultCloudResourcePageSize is the documented default of ShowSize (a real answer echoed 50;
// the documentation wins here).
const defaultCloudResourcePageSize = 20

func init() {
	registerAction(casVersion, "ListCloudResources", listCloudResources)
}

type listCloudResourcesResponse struct {
	Total       int64               `json:"Total"`
	CurrentPage int64               `json:"CurrentPage"`
	ShowSize    int64               `json:"ShowSize"`
	Data        []cloudResourceItem `json:"Data"`
}

func listCloudResources(c *Call) (any, *APIError) {
	page, size, apiErr := c.Page(defaultCloudResourcePageSize, maxListPageSize)
	if apiErr != nil {
		return nil, apiErr
	}
	cloud := c.String("CloudName")
	if cloud != "" {
		if cloud = canonicalCloud(cloud); cloud == "" {
			return nil, Errorf(http.StatusBadRequest, "InvalidParameter", "The parameter CloudName is invalid: %q; use aliyun, Tencent, Huawei or Aws.", c.String("CloudName"))
		}
	}
	product := c.String("CloudProduct")
	if product != "" {
		if _, product = canonicalProduct(product); product == "" {
			return nil, Errorf(http.StatusBadRequest, "InvalidParameter", "The parameter CloudProduct is invalid: %q is not a documented cloud product.", c.String("CloudProduct"))
		}
	}
	certIDs, apiErr := certIDsFilter(c)
	if apiErr != nil {
		return nil, apiErr
	}
	keyword := strings.ToLower(strings.TrimSpace(c.String("Keyword")))
	secretID := c.String("SecretId")
	var items []cloudResourceItem
	for _, r := range sortedResources(c.State) {
		switch {
		case cloud != "" && r.cloud() != cloud,
			product != "" && r.CloudProduct != product,
			certIDs != nil && !slices.Contains(certIDs, r.CertID),
			keyword != "" && !matchesKeyword(keyword, []string{r.Domain, r.InstanceID}),
			secretID != "" && r.SecretID != secretID:
			continue
		}
		items = append(items, wireResource(c.State, r, accountNumber(c)))
	}
	return listCloudResourcesResponse{Total: int64(len(items)), CurrentPage: page, ShowSize: size,
		Data: pageOf(items, page, size)}, nil
}

// certIDsFilter reads CertIds, the one array parameter: the SDK sends it as JSON text
// ("[123,456]"); a comma-separated list and the flat CertIds.1, CertIds.2 form are accepted too.
// nil means no filter.
func certIDsFilter(c *Call) ([]int64, *APIError) {
	raw := strings.TrimSpace(c.String("CertIds"))
	bad := func() *APIError {
		return Errorf(http.StatusBadRequest, "InvalidParameter", "The parameter CertIds is invalid: %q is not a list of certificate ids such as [123,456].", raw)
	}
	var ids []int64
	switch {
	case strings.HasPrefix(raw, "["):
		var nums []json.Number
		if err := json.Unmarshal([]byte(raw), &nums); err != nil {
			return nil, bad()
		}
		for _, n := range nums {
			id, err := strconv.ParseInt(n.String(), 10, 64)
			if err != nil {
				return nil, bad()
			}
			ids = append(ids, id)
		}
	case raw != "":
		parsed, apiErr := parseIDList("CertIds", raw)
		if apiErr != nil {
			return nil, apiErr
		}
		ids = parsed
	default:
		for _, m := range c.Indexed("CertIds") {
			id, err := strconv.ParseInt(m[""], 10, 64)
			if err != nil {
				return nil, bad()
			}
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	return ids, nil
}
