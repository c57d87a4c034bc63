package emulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Control routes for cloud resources:
//
//	POST /_emulator/cloud_resources                 add one; the body (CloudResource's JSON, all
//	                                                optional) overrides the defaults; answers it
//	POST /_emulator/cloud_resources/{id}/fail_next  {"code": "...", "message": "..."}: the next
//	                                                deployment or rollback to it fails so
//
// Seeding through PUT /_emulator/objects/cloud_resources/{id} works as well; these routes only
// save writing every field.
//
// Errors (the control API's JSON {"error", "code"}): 400 InvalidParameter for a body that is not
// CloudResource's JSON, an undocumented product, a product of another cloud, or a taken id; 404
// NotFoundResource for an unknown resource (no code is documented for resources; the name follows
// the 2020 tables' NotFoundOrder and NotFoundPackage).

func init() {
	registerControl("POST", "cloud_resources", controlAddCloudResource)
	registerControl("POST", "cloud_resources/{}/fail_next", controlFailNext)
}

// Defaults of a resource added through the control route: an HTTPS listener of an ALB instance
// in the emulator's default region, serving www.example.com.
const (
	defaultResourceProduct = "ALB"
	defaultResourceDomain  = "www.example.com"
	defaultResourcePort    = 443
	defaultResourceStatus  = "online"
)

// Default worker failure of fail_next. Real worker error codes are not documented.
const (
	defaultFailCode    = "DeployFailed"
	defaultFailMessage = "The certificate could not be deployed to the cloud resource."
)

// decodeControlBody reads a control body strictly into v.
func decodeControlBody(body []byte, v any) *APIError {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return Errorf(http.StatusBadRequest, "InvalidParameter", "The request body is not the expected JSON: %v", err)
	}
	return nil
}

// controlAddCloudResource adds a resource with defaults and answers it as stored.
func controlAddCloudResource(s *State, now time.Time, _ []string, body []byte) (any, *APIError) {
	r := &CloudResource{}
	if len(bytes.TrimSpace(body)) > 0 {
		if apiErr := decodeControlBody(body, r); apiErr != nil {
			return nil, apiErr
		}
	}
	if r.CloudProduct == "" {
		r.CloudProduct = defaultResourceProduct
	}
	cloud, product := canonicalProduct(r.CloudProduct)
	if product == "" {
		return nil, Errorf(http.StatusBadRequest, "InvalidParameter", "cloud_product %q is not a documented cloud product.", r.CloudProduct)
	}
	if r.CloudName != "" && canonicalCloud(r.CloudName) != cloud {
		return nil, Errorf(http.StatusBadRequest, "InvalidParameter", "cloud_product %s belongs to cloud %s, not %s.", product, cloud, r.CloudName)
	}
	r.CloudName, r.CloudProduct = cloud, product
	if r.ID == 0 {
		r.ID = s.newID()
	} else if _, taken := resourceByID(s, r.ID); taken {
		return nil, Errorf(http.StatusBadRequest, "InvalidParameter", "A cloud resource with id %d already exists.", r.ID)
	} else if r.ID > s.NextID {
		s.NextID = r.ID
	}
	if r.RegionID == "" && r.CloudRegion == "" {
		r.RegionID = DefaultRegion
	}
	if r.Domain == "" {
		r.Domain = defaultResourceDomain
	}
	if r.Status == "" {
		r.Status = defaultResourceStatus
	}
	if r.isListener() {
		if r.InstanceID == "" {
			r.InstanceID = strings.ToLower(product) + "-" + randomLowerAlnum(18)
		}
		if r.ListenerPort == 0 {
			r.ListenerPort = defaultResourcePort
		}
		if r.ListenerID == "" {
			r.ListenerID = "lsn-" + randomLowerAlnum(18) + "@" + strconv.Itoa(r.ListenerPort)
		}
	}
	// A resource offered for deployment already serves HTTPS (R-65: except CDN/DCDN only a
	// configured certificate can be replaced); "enable_https": false cannot be told from absent,
	// so seed such a resource through the objects API.
	r.EnableHTTPS = true
	r.CreatedAt, r.ModifiedAt = now, now
	s.CloudResources[strconv.FormatInt(r.ID, 10)] = r
	normalizeCloudResources(s, now)
	return r, nil
}

// controlFailNext arms a one-shot failure of the next deployment or rollback to a resource.
func controlFailNext(s *State, _ time.Time, args []string, body []byte) (any, *APIError) {
	id, err := strconv.ParseInt(args[0], 10, 64)
	if err != nil {
		return nil, Errorf(http.StatusBadRequest, "InvalidParameter", "%q is not a cloud resource id.", args[0])
	}
	r, ok := resourceByID(s, id)
	if !ok {
		return nil, errResourceNotFound(id)
	}
	f := &DeployFailure{}
	if len(bytes.TrimSpace(body)) > 0 {
		if apiErr := decodeControlBody(body, f); apiErr != nil {
			return nil, apiErr
		}
	}
	if f.Code == "" {
		f.Code = defaultFailCode
	}
	if f.Message == "" {
		f.Message = defaultFailMessage
	}
	r.FailNext = f
	return r, nil
}

// errResourceNotFound: no code is documented; 404 NotFoundResource in the style of the 2020
// tables' NotFoundOrder and NotFoundPackage (inference).
func errResourceNotFound(id int64) *APIError {
	return Errorf(http.StatusNotFound, "NotFoundResource", "The cloud resource %d does not exist.", id)
}
