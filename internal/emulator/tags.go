package emulator

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Tags and resource groups of certificates and orders (cas-certs.md §6): TagResources,
// UntagResources, ListTagResources and MoveResourceGroup of 2020-04-07, and CreateCertificateName
// of 2018-08-13, which the official provider uses to rename, re-tag and move an uploaded
// certificate (tag_actions.go).

// ResourceTag is one tag of a certificate or an order.
type ResourceTag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Tag rules. The sources differ (CreateCertificateRequest: key ≤ 64 of letters, digits, ".", "_",
// "-"; RenewCertificateOrderForPackageRequest and the tag actions: key ≤ 128, any characters); the
// emulator applies the common ones: a key of 1..128 characters, a value of 0..128, neither
// starting with "aliyun" or "acs:" nor containing "http://" or "https://", at most 20 tags per
// request and per resource.
const (
	maxTagKeyLength    = 128
	maxTagValueLength  = 128
	maxTagsPerResource = 20
)

func errTag(format string, args ...any) *APIError {
	return Errorf(http.StatusBadRequest, "InvalidParameter", format, args...)
}

// checkTag applies the tag rules to one key and value.
func checkTag(key, value string) *APIError {
	switch {
	case key == "":
		return errTag("The tag key cannot be empty.")
	case utf8.RuneCountInString(key) > maxTagKeyLength:
		return errTag("The tag key %q is longer than %d characters.", key, maxTagKeyLength)
	case utf8.RuneCountInString(value) > maxTagValueLength:
		return errTag("The value of tag %q is longer than %d characters.", key, maxTagValueLength)
	}
	for _, s := range []string{key, value} {
		lower := strings.ToLower(s)
		if strings.HasPrefix(lower, "aliyun") || strings.HasPrefix(lower, "acs:") {
			return errTag("The tag %q is invalid: keys and values cannot start with \"aliyun\" or \"acs:\".", key)
		}
		if strings.Contains(lower, "http://") || strings.Contains(lower, "https://") {
			return errTag("The tag %q is invalid: keys and values cannot contain \"http://\" or \"https://\".", key)
		}
	}
	return nil
}

// tagParams reads prefix.N.Key / prefix.N.Value (Tags for the create actions, Tag for
// TagResources), checking each tag and the count.
func tagParams(c *Call, prefix string) ([]ResourceTag, *APIError) {
	return readTags(c.Indexed(prefix, "Key", "Value"), false)
}

// readTags checks indexed tags; skipEmpty drops entries with an empty key (CreateCertificateName
// clears tags with Tags.1.Key="").
func readTags(entries []map[string]string, skipEmpty bool) ([]ResourceTag, *APIError) {
	var tags []ResourceTag
	seen := map[string]bool{}
	for _, e := range entries {
		key, value := e["Key"], e["Value"]
		if key == "" && skipEmpty {
			continue
		}
		if apiErr := checkTag(key, value); apiErr != nil {
			return nil, apiErr
		}
		if seen[key] {
			return nil, errTag("The tag key %q is given more than once.", key)
		}
		seen[key] = true
		tags = append(tags, ResourceTag{Key: key, Value: value})
	}
	if len(tags) > maxTagsPerResource {
		return nil, errTag("The parameter Tag is invalid: at most %d tags can be given; got %d.", maxTagsPerResource, len(tags))
	}
	return tags, nil
}

// mergeTags adds or overwrites tags, refusing a result above the per-resource limit.
func mergeTags(have, add []ResourceTag) ([]ResourceTag, *APIError) {
	out := append([]ResourceTag(nil), have...)
	for _, t := range add {
		replaced := false
		for i := range out {
			if out[i].Key == t.Key {
				out[i].Value, replaced = t.Value, true
			}
		}
		if !replaced {
			out = append(out, t)
		}
	}
	if len(out) > maxTagsPerResource {
		return nil, Errorf(http.StatusBadRequest, "InvalidParameter",
			"A resource can have at most %d tags; this request would give it %d.", maxTagsPerResource, len(out))
	}
	return out, nil
}

// resourceGroupParam reads an optional resource group id ("rg-..."); groups themselves are not
// emulated, any well-formed id is accepted.
func resourceGroupParam(c *Call, name string) (string, *APIError) {
	rg := c.String(name)
	if rg != "" && (!strings.HasPrefix(rg, "rg-") || len(rg) < 4) {
		return "", Errorf(http.StatusBadRequest, "InvalidParameter", "The parameter %s is invalid: %q is not a resource group id (rg-...).", name, rg)
	}
	return rg, nil
}

// taggedResource is a certificate or an order addressed by a tag or resource group action.
// A purchased certificate shares its order's InstanceId, so one resource id may name both.
type taggedResource struct {
	id    string // the instance id
	cert  *Certificate
	order *Order
}

func (r taggedResource) tags() []ResourceTag {
	if r.order != nil {
		return r.order.Tags
	}
	return r.cert.Tags
}

func (r taggedResource) setTags(tags []ResourceTag) {
	if r.order != nil {
		r.order.Tags = tags
	}
	if r.cert != nil {
		r.cert.Tags = tags
	}
}

func (r taggedResource) setGroup(rg string) {
	if r.order != nil {
		r.order.ResourceGroupID = rg
	}
	if r.cert != nil {
		r.cert.ResourceGroupID = rg
	}
}

// resolveResource finds what a ResourceId names. The documented type is "instance" (a
// certificate or an order, by InstanceId: cas-upload-…, cas-cn-…); MoveResourceGroup also has
// "Certificate". Which id form a certificate takes is not documented (cas-certs.md §8.4): the
// emulator accepts the InstanceId and the numeric CertId or OrderId alike.
func resolveResource(s *State, resourceType, id string) (taggedResource, bool) {
	var r taggedResource
	if n, err := strconv.ParseInt(id, 10, 64); err == nil {
		if o, ok := orderByID(s, n); ok && resourceType != "Certificate" {
			return withOrderCert(s, taggedResource{id: o.InstanceID, order: o}), true
		}
		if cert, ok := certByID(s, n); ok {
			return taggedResource{id: cert.InstanceID, cert: cert}, true
		}
		return r, false
	}
	if resourceType != "Certificate" {
		for _, o := range s.Orders {
			if o != nil && o.InstanceID == id {
				return withOrderCert(s, taggedResource{id: id, order: o}), true
			}
		}
	}
	for _, cert := range s.Certificates {
		if cert != nil && cert.InstanceID == id {
			return taggedResource{id: id, cert: cert}, true
		}
	}
	return r, false
}

func withOrderCert(s *State, r taggedResource) taggedResource {
	if r.order.CertID != 0 {
		if cert, ok := certByID(s, r.order.CertID); ok {
			r.cert = cert
		}
	}
	return r
}

// allTaggedResources lists every certificate and order once, by instance id, in id order.
func allTaggedResources(s *State) []taggedResource {
	var out []taggedResource
	seen := map[string]bool{}
	for _, o := range s.Orders {
		if o != nil && !seen[o.InstanceID] {
			seen[o.InstanceID] = true
			out = append(out, withOrderCert(s, taggedResource{id: o.InstanceID, order: o}))
		}
	}
	for _, cert := range s.Certificates {
		if cert != nil && !seen[cert.InstanceID] {
			seen[cert.InstanceID] = true
			out = append(out, taggedResource{id: cert.InstanceID, cert: cert})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out
}
