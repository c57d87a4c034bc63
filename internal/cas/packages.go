package cas

import (
	"context"

	sdkcas "github.com/aliyun/alibaba-cloud-sdk-go/services/cas"
)

// PackageState is the quota of one purchased certificate product (resource plan).
type PackageState struct {
	ProductCode string
	TotalCount  int64
	UsedCount   int64
	IssuedCount int64
}

// DescribePackageState reads the quota of one product. A product with no purchased plan is a
// NotFoundError (code NotFoundPackage).
func (c *Client) DescribePackageState(ctx context.Context, productCode string) (*PackageState, error) {
	var out *PackageState
	err := c.invoke(ctx, "DescribePackageState", true, func(sc *sdkcas.Client) (string, error) {
		req := sdkcas.CreateDescribePackageStateRequest()
		c.prepare(req)
		req.ProductCode = productCode
		resp, err := sc.DescribePackageState(req)
		if err != nil {
			return "", err
		}
		out = &PackageState{ProductCode: resp.ProductCode, TotalCount: resp.TotalCount,
			UsedCount: resp.UsedCount, IssuedCount: resp.IssuedCount}
		return resp.RequestId, nil
	})
	return out, err
}
