package emulator

import (
	"bytes"
	"encoding/json"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"
)

// DNS hosted in the account (R-24: "When the domain's DNS is hosted in the same account,
// validation is automatic"). State.HostedZones lists the zones; an order in domain_verify that
// validates by DNS and whose every domain (wildcard prefix removed) is a hosted zone or a name
// under one is approved autoValidateDelay after it entered domain_verify, as if the service had
// written the TXT record itself: it moves to process and the CA's review (order_issue.go) starts.
// File validation is never automatic. The control routes:
//
//	GET  /_emulator/hosted_zones                 the zones, sorted
//	POST /_emulator/hosted_zones {"zone": Z}     hosts one more zone (idempotent); answers the zones
//
// A zone added by POST approves the orders it covers that have waited autoValidateDelay already
// at the time it is added (not earlier: their certificates must not date from before the zone
// was hosted). Zones put in through the state document count as hosted from the start.

// autoValidateDelay is how long after entering domain_verify an order of a hosted zone is
// approved.
const autoValidateDelay = 30 * time.Second

func init() {
	registerTicker(autoValidateHostedOrders)
	registerControl("GET", "hosted_zones", controlHostedZones)
	registerControl("POST", "hosted_zones", controlAddHostedZone)
}

// autoValidateHostedOrders approves every hosted order whose wait is over, dated at the moment it
// was over (an order without a SubmittedAt, which only a hand-made state holds, at now).
// It is registered before order_issue.go's ticker (init runs file by file, in name order), so one
// tick past both the approval and the review issues a DV order.
func autoValidateHostedOrders(s *State, now time.Time) {
	if len(s.HostedZones) == 0 {
		return
	}
	for _, o := range s.Orders {
		if o == nil || o.Status != orderDomainVerify || !hostedOrder(s, o) {
			continue
		}
		at := now
		if !o.SubmittedAt.IsZero() {
			at = o.SubmittedAt.Add(autoValidateDelay)
		}
		if !now.Before(at) {
			o.Status, o.ProcessAt = orderProcess, at
		}
	}
}

// hostedOrder reports whether an order validates by DNS (every order but FILE's gets a TXT
// record, see startValidation) and all its domains are in hosted zones.
func hostedOrder(s *State, o *Order) bool {
	if o.ValidateType == "FILE" || len(o.Domains) == 0 {
		return false
	}
	for _, d := range o.Domains {
		if !hostedDomain(s.HostedZones, d) {
			return false
		}
	}
	return true
}

// hostedDomain reports whether a domain (wildcard prefix removed) equals or is under one of the
// zones.
func hostedDomain(zones []string, domain string) bool {
	d := strings.TrimSuffix(strings.TrimPrefix(strings.ToLower(strings.TrimSpace(domain)), "*."), ".")
	for _, z := range zones {
		z = strings.TrimSuffix(strings.ToLower(z), ".")
		if z != "" && (d == z || strings.HasSuffix(d, "."+z)) {
			return true
		}
	}
	return false
}

// normalizeZone reads a zone name: lower case, no trailing dot, a domain name of at least two
// labels that is neither a wildcard nor an IP address.
func normalizeZone(raw string) (string, *APIError) {
	z := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(raw)), ".")
	if z == "" {
		return "", Errorf(http.StatusBadRequest, "InvalidParameter", `The body must be {"zone": "example.com"}.`)
	}
	if strings.Contains(z, "*") || net.ParseIP(z) != nil {
		return "", Errorf(http.StatusBadRequest, "InvalidParameter", "The zone %q is invalid: a DNS zone is a domain name, not a wildcard or an IP address.", raw)
	}
	if apiErr := checkDomainName("zone", z); apiErr != nil {
		return "", apiErr
	}
	return z, nil
}

// zonesView is the sorted list of hosted zones ([] when there is none).
func zonesView(s *State) []string {
	out := append([]string{}, s.HostedZones...)
	slices.Sort(out)
	return out
}

func controlHostedZones(s *State, _ time.Time, _ []string, _ []byte) (any, *APIError) {
	return zonesView(s), nil
}

// controlAddHostedZone hosts a zone. The tickers have run already, so an order still waiting in
// domain_verify after autoValidateDelay was not hosted until now: those the new zone covers are
// approved now.
func controlAddHostedZone(s *State, now time.Time, _ []string, body []byte) (any, *APIError) {
	var in struct {
		Zone string `json:"zone"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return nil, Errorf(http.StatusBadRequest, "InvalidParameter", `The body must be {"zone": "example.com"}: %v.`, err)
	}
	zone, apiErr := normalizeZone(in.Zone)
	if apiErr != nil {
		return nil, apiErr
	}
	if !slices.Contains(s.HostedZones, zone) {
		s.HostedZones = append(s.HostedZones, zone)
		slices.Sort(s.HostedZones)
	}
	for _, o := range s.Orders {
		if o != nil && o.Status == orderDomainVerify && hostedOrder(s, o) && !now.Before(o.SubmittedAt.Add(autoValidateDelay)) {
			o.Status, o.ProcessAt = orderProcess, now
		}
	}
	return zonesView(s), nil
}
