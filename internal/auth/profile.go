package auth

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// cliConfig is the aliyun CLI's ~/.aliyun/config.json.
type cliConfig struct {
	Current  string       `json:"current"`
	Profiles []cliProfile `json:"profiles"`
}

type cliProfile struct {
	Name            string `json:"name"`
	Mode            string `json:"mode"`
	AccessKeyID     string `json:"access_key_id"`
	AccessKeySecret string `json:"access_key_secret"`
	STSToken        string `json:"sts_token"`
	RAMRoleName     string `json:"ram_role_name"`
	RAMRoleARN      string `json:"ram_role_arn"`
	RAMSessionName  string `json:"ram_session_name"`
	ExpiredSeconds  int    `json:"expired_seconds"`
	ExternalID      string `json:"external_id"`
	RegionID        string `json:"region_id"`
}

// SupportedProfileModes are the aliyun CLI credential modes the provider reads.
var SupportedProfileModes = []string{"AK", "StsToken", "RamRoleArn", "EcsRamRole"}

// parseProfile picks a profile: the named one, else the file's current one, else "default".
func parseProfile(data []byte, path, name string) (*cliProfile, error) {
	var cfg cliConfig
	if err := json.Unmarshal(data, &cfg); err != nil {
		return nil, fmt.Errorf("the aliyun CLI configuration file %s is not valid JSON: %w", path, err)
	}
	if name == "" {
		name = cfg.Current
	}
	if name == "" {
		name = "default"
	}
	var names []string
	for i := range cfg.Profiles {
		if cfg.Profiles[i].Name == name {
			return &cfg.Profiles[i], nil
		}
		names = append(names, cfg.Profiles[i].Name)
	}
	sort.Strings(names)
	return nil, fmt.Errorf("profile %q is not in %s (profiles there: %s)", name, path, strings.Join(names, ", "))
}

func (p *cliProfile) resolve(s Settings, env Env, path string) (Resolved, error) {
	source := fmt.Sprintf("profile %q (mode %s) of %s", p.Name, p.Mode, path)
	need := func(fields ...string) error {
		values := map[string]string{"access_key_id": p.AccessKeyID, "access_key_secret": p.AccessKeySecret,
			"sts_token": p.STSToken, "ram_role_arn": p.RAMRoleARN, "ram_role_name": p.RAMRoleName}
		for _, f := range fields {
			if values[f] == "" {
				return fmt.Errorf("%s: mode %s needs %s", source, p.Mode, f)
			}
		}
		return nil
	}
	r := Resolved{Source: source, ProfileRegion: p.RegionID}
	switch p.Mode {
	case "AK", "":
		if err := need("access_key_id", "access_key_secret"); err != nil {
			return r, err
		}
		r.Provider = staticProvider(p.AccessKeyID, p.AccessKeySecret, "")
	case "StsToken":
		if err := need("access_key_id", "access_key_secret", "sts_token"); err != nil {
			return r, err
		}
		r.Provider = staticProvider(p.AccessKeyID, p.AccessKeySecret, p.STSToken)
	case "RamRoleArn":
		if err := need("access_key_id", "access_key_secret", "ram_role_arn"); err != nil {
			return r, err
		}
		stsEndpoint := s.STSEndpoint
		if stsEndpoint == "" {
			stsEndpoint, _ = env.First(EnvSTSEndpoint)
		}
		region := s.Region
		if region == "" {
			region = p.RegionID
		}
		prov, err := newAssumeRoleProvider(staticProvider(p.AccessKeyID, p.AccessKeySecret, ""), AssumeRole{
			RoleARN: p.RAMRoleARN, SessionName: p.RAMSessionName, DurationSeconds: p.ExpiredSeconds, ExternalID: p.ExternalID,
		}, stsEndpoint, region)
		if err != nil {
			return r, fmt.Errorf("%s: %w", source, err)
		}
		r.Provider = prov
	case "EcsRamRole":
		if err := need("ram_role_name"); err != nil {
			return r, err
		}
		r.Provider = newECSRoleProvider(p.RAMRoleName)
	default:
		return r, fmt.Errorf("%s: mode %s is not supported; supported modes: %s", source, p.Mode,
			strings.Join(SupportedProfileModes, ", "))
	}
	return r, nil
}
