# Push an uploaded certificate to every ALB listener of www.example.com at 02:00 UTC. The plan
# checks that the certificate covers each target's domain (R-62) before anything is deployed.
data "alicloudcas_cloud_resources" "alb" {
  cloud_product = "ALB"
  domain        = "www.example.com"
}

resource "alicloudcas_contact" "oncall" {
  name   = "On-call"
  mobile = "13800000000"
  email  = "oncall@example.com"
}

resource "alicloudcas_deployment_job" "www" {
  name            = "www-2026-rotation"
  certificate_ids = [alicloudcas_uploaded_certificate.www.certificate_id]
  resource_ids    = [for r in data.alicloudcas_cloud_resources.alb.resources : r.id]
  contact_ids     = [alicloudcas_contact.oncall.contact_id]
  schedule_time   = "2026-12-01T02:00:00Z"

  certificate_domains = alicloudcas_uploaded_certificate.www.subject_alternative_names
  target_domains      = { for r in data.alicloudcas_cloud_resources.alb.resources : tostring(r.id) => r.domain if r.domain != null }
}

output "failed_targets" {
  value = [for t in alicloudcas_deployment_job.www.targets : t.resource_id if t.status == "error"]
}
