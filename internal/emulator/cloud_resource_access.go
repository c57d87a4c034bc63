package emulator

import (
	"net/http"
	"slices"
	"sort"
)

// ListCloudAccess and DescribeCloudResourceStatus (cas-deploy.md §4). The emulator keeps no
// separate store of third-party access keys (AddCloudAccess is not emulated): the access keys are
// the distinct (cloud_access_id, cloud_name, secret_id) of the seeded third-party resources, all
// in ServiceStatus "normal".
//
// Error codes: none documented. Inferred: 400 InvalidParameter for a ShowSize other than 10, 20
// or 50 (the documented choices) and for an unknown CloudName.

func init() {
	registerAction(casVersion, "ListCloudAccess", listCloudAccess)
	registerAction(casVersion, "DescribeCloudResourceStatus", describeCloudResourceStatus)
}

// cloudAccessPageSizes are ListCloudAccess's allowed ShowSize values; 20 is the default.
var cloudAccessPageSizes = []int64{10, 20, 50}

type cloudAccessItem struct {
	AccessID      int64  `json:"AccessId"`
	CloudName     string `json:"CloudName"`
	SecretID      string `json:"SecretId"`
	ServiceStatus string `json:"ServiceStatus"`
}

// listCloudAccessResponse: CurrentPage and ShowSize are "not returned if not specified".
type listCloudAccessResponse struct {
	TotalCount      int64             `json:"TotalCount"`
	CurrentPage     *int64            `json:"CurrentPage,omitempty"`
	ShowSize        *int64            `json:"ShowSize,omitempty"`
	CloudAccessList []cloudAccessItem `json:"CloudAccessList"`
}

func listCloudAccess(c *Call) (any, *APIError) {
	page, size, apiErr := c.Page(20, 50)
	if apiErr != nil {
		return nil, apiErr
	}
	if !slices.Contains(cloudAccessPageSizes, size) {
		return nil, Errorf(http.StatusBadRequest, "InvalidParameter", "The parameter ShowSize is invalid: %d; use 10, 20 or 50.", size)
	}
	cloud := c.String("CloudName")
	if cloud != "" {
		if cloud = canonicalCloud(cloud); cloud == "" {
			return nil, Errorf(http.StatusBadRequest, "InvalidParameter", "The parameter CloudName is invalid: %q.", c.String("CloudName"))
		}
	}
	secretID := c.String("SecretId")
	seen := map[int64]bool{}
	var items []cloudAccessItem
	for _, r := range sortedResources(c.State) {
		if r.cloud() == "aliyun" || r.CloudAccessID == 0 || seen[r.CloudAccessID] {
			continue
		}
		if (cloud != "" && r.cloud() != cloud) || (secretID != "" && r.SecretID != secretID) {
			continue
		}
		seen[r.CloudAccessID] = true
		items = append(items, cloudAccessItem{AccessID: r.CloudAccessID, CloudName: r.cloud(), SecretID: r.SecretID, ServiceStatus: "normal"})
	}
	sort.Slice(items, func(i, j int) bool { return items[i].AccessID > items[j].AccessID })
	out := listCloudAccessResponse{TotalCount: int64(len(items)), CloudAccessList: pageOf(items, page, size)}
	if c.Has("CurrentPage") || c.Has("ShowSize") {
		out.CurrentPage, out.ShowSize = &page, &size
	}
	return out, nil
}

type resourceStatusItem struct {
	CloudName    string `json:"CloudName"`
	CloudProduct string `json:"CloudProduct"`
	TotalCount   int64  `json:"TotalCount"`
}

// describeCloudResourceStatus counts, per cloud and product, the resources "on which
// certificates are deployed" (the model's words): those with a bound certificate. Products with
// none are left out.
func describeCloudResourceStatus(c *Call) (any, *APIError) {
	secretID := c.String("SecretId")
	counts := map[[2]string]int64{}
	for _, r := range c.State.CloudResources {
		if r == nil || r.CertID == 0 || (secretID != "" && r.SecretID != secretID) {
			continue
		}
		counts[[2]string{r.cloud(), r.CloudProduct}]++
	}
	data := make([]resourceStatusItem, 0, len(counts))
	for k, n := range counts {
		data = append(data, resourceStatusItem{CloudName: k[0], CloudProduct: k[1], TotalCount: n})
	}
	sort.Slice(data, func(i, j int) bool {
		if data[i].CloudName != data[j].CloudName {
			return data[i].CloudName < data[j].CloudName
		}
		return data[i].CloudProduct < data[j].CloudProduct
	})
	return map[string]any{"Data": data}, nil
}
