package cas

import (
	"fmt"
	"sort"
	"strings"
)

// Product is one certificate specification the service sells, identified by its product code
// (brand-validation-shape-edition: "1" one name, "w" wildcard).
type Product struct {
	Code string
	// Brand is the code's first part (digicert, symantec, geotrust, globalsign, cfca); the CA that
	// issues it may have been renamed since (Symantec certificates are issued by DigiCert).
	Brand string
	// Validation is "DV", "OV" or "EV".
	Validation string
	// Shape is "single" or "wildcard".
	Shape string
	Free  bool
	// ChinaSiteOnly products cannot be ordered by international-site accounts.
	ChinaSiteOnly bool
}

// products is the complete documented list (cas-certs.md §5, from the API reference's ProductCode
// enumeration). Where a description disagrees with the code's own pattern the pattern is used:
// the reference calls symantec-dv-1-starter a wildcard and cfca-ev-w-advanced "wildcard OV".
var products = []Product{
	{Code: "digicert-free-1-free", Brand: "digicert", Validation: "DV", Shape: "single", Free: true, ChinaSiteOnly: true},
	{Code: "symantec-free-1-free", Brand: "symantec", Validation: "DV", Shape: "single", Free: true, ChinaSiteOnly: true},
	{Code: "symantec-dv-1-starter", Brand: "symantec", Validation: "DV", Shape: "single"},
	{Code: "symantec-ov-1-personal", Brand: "symantec", Validation: "OV", Shape: "single"},
	{Code: "symantec-ov-w-personal", Brand: "symantec", Validation: "OV", Shape: "wildcard"},
	{Code: "geotrust-dv-1-starter", Brand: "geotrust", Validation: "DV", Shape: "single"},
	{Code: "geotrust-dv-w-starter", Brand: "geotrust", Validation: "DV", Shape: "wildcard"},
	{Code: "geotrust-ov-1-personal", Brand: "geotrust", Validation: "OV", Shape: "single"},
	{Code: "geotrust-ov-w-personal", Brand: "geotrust", Validation: "OV", Shape: "wildcard"},
	{Code: "globalsign-dv-1-personal", Brand: "globalsign", Validation: "DV", Shape: "single"},
	{Code: "globalsign-dv-w-advanced", Brand: "globalsign", Validation: "DV", Shape: "wildcard"},
	{Code: "globalsign-ov-1-personal", Brand: "globalsign", Validation: "OV", Shape: "single"},
	{Code: "globalsign-ov-w-advanced", Brand: "globalsign", Validation: "OV", Shape: "wildcard"},
	{Code: "cfca-ov-1-personal", Brand: "cfca", Validation: "OV", Shape: "single", ChinaSiteOnly: true},
	{Code: "cfca-ev-w-advanced", Brand: "cfca", Validation: "EV", Shape: "wildcard", ChinaSiteOnly: true},
}

// Products returns the documented products, sorted by code.
func Products() []Product {
	out := append([]Product(nil), products...)
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// ProductCodes returns the documented product codes, sorted.
func ProductCodes() []string {
	var codes []string
	for _, p := range Products() {
		codes = append(codes, p.Code)
	}
	return codes
}

// LookupProduct finds a product by code.
func LookupProduct(code string) (Product, error) {
	for _, p := range products {
		if p.Code == code {
			return p, nil
		}
	}
	return Product{}, fmt.Errorf("%q is not a known product code; known codes: %s", code, strings.Join(ProductCodes(), ", "))
}
