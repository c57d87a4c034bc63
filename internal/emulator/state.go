package emulator

import "time"

// State is everything the emulated account holds. It is plain data: it marshals to JSON for the
// optional state file and for the control API's object views (drift is a JSON merge into it).
// Map keys are the objects' ids as decimal strings so that JSON round-trips keep them.
type State struct {
	// NextID is the last id handed out; ids are shared across kinds and only grow.
	NextID int64 `json:"next_id"`

	// Packages are the purchased certificate resource plans, by product code.
	Packages map[string]*Package `json:"packages"`
	// Certificates are uploaded and issued certificates (CertId), by id.
	Certificates map[string]*Certificate `json:"certificates"`
	// Orders are certificate applications (OrderId), by id.
	Orders map[string]*Order `json:"orders"`
	// Jobs are deployment jobs (JobId), by id.
	Jobs map[string]*DeploymentJob `json:"jobs"`
	// CloudResources are the deployable targets (ListCloudResources), by id.
	CloudResources map[string]*CloudResource `json:"cloud_resources"`
	// Contacts are notification contacts (ContactId), by id.
	Contacts map[string]*Contact `json:"contacts"`
	// Shares are certificates given to other accounts.
	Shares []*Share `json:"shares"`
	// HostedZones are the DNS zones hosted in the account (Alibaba Cloud DNS): DNS validation of
	// the names in them is automatic (R-24, order_autovalidate.go).
	HostedZones []string `json:"hosted_zones,omitempty"`
}

// newState returns an empty account.
func newState() *State {
	return &State{
		NextID:         100000,
		Packages:       map[string]*Package{},
		Certificates:   map[string]*Certificate{},
		Orders:         map[string]*Order{},
		Jobs:           map[string]*DeploymentJob{},
		CloudResources: map[string]*CloudResource{},
		Contacts:       map[string]*Contact{},
	}
}

// newID hands out the next id.
func (s *State) newID() int64 {
	s.NextID++
	return s.NextID
}

// Package is a purchased resource plan (DescribePackageState).
type Package struct {
	ProductCode string `json:"product_code"`
	TotalCount  int64  `json:"total_count"`
	UsedCount   int64  `json:"used_count"`
	IssuedCount int64  `json:"issued_count"`
}

// keep time imported for the kinds' files that extend this one.
var _ = time.Time{}
