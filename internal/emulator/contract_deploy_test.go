package emulator

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The contract cases of the deployment family, cloud resources and contacts (the checker and the
// other actions are in contract_test.go). They drive jobs through the documented lifecycle
// (cas-deploy.md §2-3): a job is created in editing, UpdateDeploymentJobStatus(pending) lets it
// run at its ScheduleTime, and time (the registered tickers) takes it through processing to
// success or error.

func TestContractDeploy(t *testing.T) { runContractCases(t, deployContractCases) }

// contractDeployFixture is an account with a contact, cloud resources and certificates to deploy.
type contractDeployFixture struct {
	uploaded, purchased int64 // certificates for contractDeployDomain (one job holds one kind, R-64)
	contactID           int64
	aliyun              []int64 // an ALB listener, a CDN domain and an SAE application
	tencent             int64   // a Tencent Cloud CDN domain, for the multi-cloud job type
}

const contractDeployDomain = "www.deploy.example"

func newContractDeployFixture(t *testing.T, s *State) contractDeployFixture {
	t.Helper()
	f := contractDeployFixture{uploaded: contractUpload(t, s, "to-deploy", contractDeployDomain)}
	_, f.purchased = issuedOrder(t, s, testEpoch, contractProduct, contractDeployDomain)
	f.contactID = mustCall(t, s, testEpoch, "CreateContact", contractContact("Ops", "13800000001", "ops@deploy.example")).int64(t, "ContactId")
	old := uploadCert(t, s, testEpoch, "bound-now", contractDeployDomain, testEpoch.Add(20*24*time.Hour))
	add := func(r *CloudResource) int64 {
		r.ID = s.newID()
		r.CreatedAt, r.ModifiedAt = testEpoch, testEpoch
		s.CloudResources[idString(r.ID)] = r
		return r.ID
	}
	f.aliyun = []int64{
		add(&CloudResource{CloudProduct: "ALB", RegionID: "cn-hangzhou", Domain: contractDeployDomain, InstanceID: "alb-contract01",
			ListenerID: "lsn-contract01@443", ListenerPort: 443, DefaultResource: true, EnableHTTPS: true,
			CertID: old, Status: "online", Remark: `{"note":"contract"}`}),
		add(&CloudResource{CloudProduct: "CDN", RegionID: "cn-hangzhou", Domain: contractDeployDomain, EnableHTTPS: true, CertID: old, Status: "online"}),
		add(&CloudResource{CloudProduct: "SAE", RegionID: "cn-hangzhou", Domain: contractDeployDomain, NamespaceID: "cn-hangzhou:contract",
			EnableHTTPS: true, CertID: old, Status: "online"}),
	}
	f.tencent = add(&CloudResource{CloudName: "Tencent", CloudProduct: "TencentCDN", CloudRegion: "ap-guangzhou",
		Domain: contractDeployDomain, UseSSL: true, CloudAccessID: 888, SecretID: "AKIDcontract", EnableHTTPS: true, CertID: old, Status: "online"})
	return f
}

func contractContact(name, mobile, email string) map[string]string {
	return map[string]string{"Name": name, "Mobile": mobile, "Email": email,
		"Webhooks": `["https://oapi.dingtalk.com/robot/send?access_token=contract"]`}
}

// jobParams is a CreateDeploymentJob request: JobType user for Alibaba Cloud resources, cloud
// for third-party ones (the API pages), scheduled ten minutes on.
func (f contractDeployFixture) jobParams(name, jobType string, certID int64, resources ...int64) map[string]string {
	ids := make([]string, len(resources))
	for i, r := range resources {
		ids[i] = idString(r)
	}
	return map[string]string{"Name": name, "JobType": jobType, "CertIds": idString(certID),
		"ResourceIds": strings.Join(ids, ","), "ContactIds": idString(f.contactID),
		"ScheduleTime": strconv.FormatInt(Millis(testEpoch.Add(10*time.Minute)), 10)}
}

// userJob deploys the uploaded certificate to the Alibaba Cloud resources; cloudJob the
// purchased one to Tencent Cloud. Both are created in editing.
func (f contractDeployFixture) userJob(t *testing.T, s *State, name string) int64 {
	t.Helper()
	return mustCall(t, s, testEpoch, "CreateDeploymentJob", f.jobParams(name, "user", f.uploaded, f.aliyun...)).int64(t, "JobId")
}

func (f contractDeployFixture) cloudJob(t *testing.T, s *State, name string) int64 {
	t.Helper()
	return mustCall(t, s, testEpoch, "CreateDeploymentJob", f.jobParams(name, "cloud", f.purchased, f.tencent)).int64(t, "JobId")
}

// finish makes the jobs pending, has the ALB deployment fail (fail_next) so that both worker
// outcomes are answered, and lets time run until every job has ended; it returns that time, at
// which the probes are made.
func (f contractDeployFixture) finish(t *testing.T, s *State, jobs ...int64) time.Time {
	t.Helper()
	s.CloudResources[idString(f.aliyun[0])].FailNext = &DeployFailure{Code: "DeployFailed", Message: "contract failure"}
	for _, id := range jobs {
		mustCall(t, s, testEpoch, "UpdateDeploymentJobStatus", contractWith(contractJobID(id), "Status", "pending"))
	}
	for _, step := range []time.Duration{time.Minute, 10 * time.Minute, time.Hour, 24 * time.Hour, 7 * 24 * time.Hour} {
		now := testEpoch.Add(step)
		for _, tick := range tickers {
			tick(s, now)
		}
		if !slices.ContainsFunc(jobs, func(id int64) bool { return !contractJobEnded(t, s, now, id) }) {
			return now
		}
	}
	t.Fatalf("jobs %v have not all ended a week after they were scheduled", jobs)
	return time.Time{}
}

func contractJobEnded(t *testing.T, s *State, now time.Time, id int64) bool {
	t.Helper()
	st := mustCall(t, s, now, "DescribeDeploymentJob", contractJobID(id))["Status"]
	return st == "success" || st == "error"
}

func contractJobID(id int64) map[string]string { return map[string]string{"JobId": idString(id)} }

var contractJobMust = []string{"Id", "Name", "JobType", "Status", "CertType", "CertDomain", "ProductName", "InstanceId",
	"UserId", "Del", "Rollback", "ScheduleTime", "GmtCreate", "GmtModified"}

var deployContractCases = []contractCase{
	{action: "CreateDeploymentJob", must: []string{"JobId"},
		setup: func(t *testing.T, s *State) []contractProbe {
			f := newContractDeployFixture(t, s)
			return []contractProbe{
				{label: "user", params: f.jobParams("created", "user", f.uploaded, f.aliyun...)},
				{label: "cloud", params: f.jobParams("created", "cloud", f.purchased, f.tencent)},
			}
		}},
	{action: "UpdateDeploymentJob",
		setup: func(t *testing.T, s *State) []contractProbe {
			f := newContractDeployFixture(t, s)
			params := f.jobParams("renamed", "user", f.uploaded, f.aliyun[1:]...)
			params["JobId"] = idString(f.userJob(t, s, "editing"))
			delete(params, "JobType") // not a parameter of UpdateDeploymentJob
			return oneProbe(params)
		}},
	{action: "UpdateDeploymentJobStatus",
		setup: func(t *testing.T, s *State) []contractProbe {
			f := newContractDeployFixture(t, s)
			return []contractProbe{
				{label: "pending", params: map[string]string{"JobId": idString(f.userJob(t, s, "queued")), "Status": "pending"}},
				{label: "scheduling", params: map[string]string{"JobId": idString(f.cloudJob(t, s, "now")), "Status": "scheduling"}},
			}
		}},
	{action: "DescribeDeploymentJob", must: contractJobMust,
		setup: func(t *testing.T, s *State) []contractProbe {
			f := newContractDeployFixture(t, s)
			editing := f.userJob(t, s, "editing")
			user, cloud := f.userJob(t, s, "user"), f.cloudJob(t, s, "cloud")
			at := f.finish(t, s, user, cloud)
			ended := []string{"StartTime", "EndTime", "Config", "CasContacts[].Id", "CasContacts[].Name", "CasContacts[].Mobile", "CasContacts[].Email"}
			return []contractProbe{
				{label: "editing", params: contractJobID(editing), at: at},
				{label: "ended, uploaded certificate", params: contractJobID(user), at: at, must: ended},
				{label: "ended, purchased certificate", params: contractJobID(cloud), at: at, must: ended},
			}
		}},
	{action: "ListDeploymentJob", must: append([]string{"Total", "CurrentPage", "ShowSize"}, prefixPaths("Data[].", contractJobMust...)...),
		setup: func(t *testing.T, s *State) []contractProbe {
			f := newContractDeployFixture(t, s)
			f.userJob(t, s, "editing")
			ended := f.userJob(t, s, "ended")
			at := f.finish(t, s, ended, f.cloudJob(t, s, "cloud"))
			status := mustCall(t, s, at, "DescribeDeploymentJob", contractJobID(ended))["Status"].(string)
			return []contractProbe{
				{label: "all", params: map[string]string{"CurrentPage": "1", "ShowSize": "50"}, at: at},
				{label: status, params: map[string]string{"Status": status}, at: at, must: []string{"Data[].StartTime", "Data[].EndTime"}},
			}
		}},
	{action: "ListDeploymentJobCert", must: prefixPaths("Data[].", "CertId", "CertName", "CommonName", "Sans", "CertOrderType",
		"NotBeforeTime", "NotAfterTime", "StatusCode"),
		setup: func(t *testing.T, s *State) []contractProbe {
			f := newContractDeployFixture(t, s)
			return []contractProbe{
				{label: "uploaded", params: contractJobID(f.userJob(t, s, "uploaded"))},
				{label: "purchased", params: contractJobID(f.cloudJob(t, s, "purchased")), must: []string{"Data[].CertType", "Data[].Month"}},
			}
		}},
	{action: "ListDeploymentJobResource", must: prefixPaths("Data[].", "Id", "CloudName", "CloudProduct", "Domain", "CertId"),
		setup: func(t *testing.T, s *State) []contractProbe {
			f := newContractDeployFixture(t, s)
			return []contractProbe{
				{label: "user", params: contractJobID(f.userJob(t, s, "user")), must: []string{"Data[].RegionId"}},
				{label: "cloud", params: contractJobID(f.cloudJob(t, s, "cloud")), must: []string{"Data[].CloudRegion"}},
			}
		}},
	{action: "DescribeDeploymentJobStatus", must: []string{"WorkerCount", "SuccessCount", "FailedCount", "CertCount",
		"ResourceCount", "ProductWorkerCount[].ProductName", "ProductWorkerCount[].Count"},
		setup: func(t *testing.T, s *State) []contractProbe {
			f := newContractDeployFixture(t, s)
			id := f.userJob(t, s, "counted")
			return []contractProbe{{params: contractJobID(id), at: f.finish(t, s, id)}}
		}},
	{action: "ListWorkerResource", must: append([]string{"Total", "CurrentPage", "ShowSize"}, prefixPaths("Data[].", "Id", "JobId",
		"Status", "CertId", "ResourceId", "CloudProduct", "GmtCreate", "GmtModified")...),
		setup: func(t *testing.T, s *State) []contractProbe {
			f := newContractDeployFixture(t, s)
			user, cloud := f.userJob(t, s, "user"), f.cloudJob(t, s, "cloud")
			at := f.finish(t, s, user, cloud)
			return []contractProbe{
				{label: "user", params: contractJobID(user), at: at, must: []string{"Data[].RegionId"}},
				{label: "cloud", params: contractJobID(cloud), at: at, must: []string{"Data[].CloudName"}},
			}
		}},
	{action: "DeleteDeploymentJob",
		setup: func(t *testing.T, s *State) []contractProbe {
			return oneProbe(contractJobID(newContractDeployFixture(t, s).userJob(t, s, "doomed")))
		}},
	{action: "ListCloudResources", must: append([]string{"Total", "CurrentPage", "ShowSize"}, prefixPaths("Data[].", "Id", "CloudName",
		"CloudProduct", "Domain", "EnableHttps", "GmtCreate")...),
		setup: func(t *testing.T, s *State) []contractProbe {
			newContractDeployFixture(t, s) // Alibaba Cloud resources and a Tencent Cloud one (UseSsl, CloudAccessId)
			return oneProbe(map[string]string{"CurrentPage": "1", "ShowSize": "20"})
		}},
	{action: "ListContact", must: append([]string{"TotalCount"}, prefixPaths("ContactList[].", "ContactId", "Name", "Email",
		"Mobile", "EmailStatus", "MobileStatus", "Webhooks")...),
		setup: func(t *testing.T, s *State) []contractProbe {
			mustCall(t, s, testEpoch, "CreateContact", contractContact("Ops", "13800000001", "ops@deploy.example"))
			mustCall(t, s, testEpoch, "CreateContact", map[string]string{"Name": "Sec", "Mobile": "13800000002", "Email": "sec@deploy.example"})
			return []contractProbe{
				{label: "no paging", params: nil},
				{label: "paging and keyword", params: map[string]string{"CurrentPage": "1", "ShowSize": "20", "Keyword": "1380"},
					must: []string{"CurrentPage", "ShowSize", "Keyword"}},
			}
		}},
	{action: "CreateContact", must: []string{"ContactId"},
		setup: func(t *testing.T, s *State) []contractProbe {
			return oneProbe(contractContact("Ops", "13800000001", "ops@deploy.example"))
		}},
	{action: "UpdateContact",
		setup: func(t *testing.T, s *State) []contractProbe {
			id := mustCall(t, s, testEpoch, "CreateContact", contractContact("Ops", "13800000001", "ops@deploy.example")).int64(t, "ContactId")
			params := contractContact("Ops Team", "13800000001", "team@deploy.example")
			params["ContactId"] = idString(id)
			return oneProbe(params)
		}},
	{action: "DeleteContact",
		setup: func(t *testing.T, s *State) []contractProbe {
			id := mustCall(t, s, testEpoch, "CreateContact", contractContact("Ops", "13800000001", "ops@deploy.example")).int64(t, "ContactId")
			return oneProbe(map[string]string{"ContactId": idString(id)})
		}},
}
