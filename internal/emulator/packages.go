package emulator

import (
	"net/http"
	"slices"
)

// DescribePackageState: the quota of a purchased certificate resource plan (a "package").

// packageProductCodes are the specifications the service documents for resource plans.
var packageProductCodes = []string{
	"digicert-free-1-free",
	"symantec-free-1-free",
	"symantec-dv-1-starter",
	"symantec-ov-1-personal",
	"symantec-ov-w-personal",
	"geotrust-dv-1-starter",
	"geotrust-dv-w-starter",
	"geotrust-ov-1-personal",
	"geotrust-ov-w-personal",
	"globalsign-dv-1-personal",
	"globalsign-dv-w-advanced",
	"globalsign-ov-1-personal",
	"globalsign-ov-w-advanced",
	"cfca-ov-1-personal",
	"cfca-ev-w-advanced",
}

// defaultPackageProductCode is the ProductCode assumed when a request names none.
const defaultPackageProductCode = "digicert-free-1-free"

func init() {
	registerAction(casVersion, "DescribePackageState", describePackageState)
}

type packageStateResponse struct {
	ProductCode string `json:"ProductCode"`
	TotalCount  int64  `json:"TotalCount"`
	UsedCount   int64  `json:"UsedCount"`
	IssuedCount int64  `json:"IssuedCount"`
}

func describePackageState(c *Call) (any, *APIError) {
	code := c.String("ProductCode")
	if code == "" {
		code = defaultPackageProductCode
	}
	if !slices.Contains(packageProductCodes, code) {
		return nil, Errorf(http.StatusBadRequest, "InvalidParameter",
			"The parameter ProductCode is invalid: %q is not a certificate resource plan specification.", code)
	}
	p, ok := c.State.Packages[code]
	if !ok || p == nil {
		return nil, Errorf(http.StatusNotFound, "NotFoundPackage", "No certificate resource plan was purchased.")
	}
	return packageStateResponse{ProductCode: code, TotalCount: p.TotalCount, UsedCount: p.UsedCount, IssuedCount: p.IssuedCount}, nil
}
