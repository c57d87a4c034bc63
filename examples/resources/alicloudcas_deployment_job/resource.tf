# Push the newest certificate of www.example.com to every ALB listener of www.example.com at
# 02:00 UTC. The plan checks that the certificate covers each target's domain (R-62) before
# anything is deployed.
resource "alicloudcas_deployment_job" "www" {
  name            = "www-2026-rotation"
  certificate_ids = [data.alicloudcas_certificate.www.certificate_id]
  resource_ids    = [for r in data.alicloudcas_cloud_resources.alb.resources : r.id]
  contact_ids     = [alicloudcas_contact.oncall.contact_id]
  schedule_time   = "2026-12-01T02:00:00Z"

  certificate_domains = data.alicloudcas_certificate.www.subject_alternative_names
  target_domains      = { for r in data.alicloudcas_cloud_resources.alb.resources : tostring(r.id) => r.domain if r.domain != null }
}

output "failed_targets" {
  value = [for t in alicloudcas_deployment_job.www.targets : t.resource_id if t.status == "error"]
}

# The certificate: here the valid one that covers the host and lasts longest. A certificate managed
# in the same configuration works as well (alicloudcas_uploaded_certificate.www.certificate_id and
# .subject_alternative_names).
data "alicloudcas_certificate" "www" {
  newest_covering = "www.example.com"
}

# The targets: the ALB listeners that serve the host.
data "alicloudcas_cloud_resources" "alb" {
  cloud_product = "ALB"
  domain        = "www.example.com"
}

# Who is notified of the job's progress.
resource "alicloudcas_contact" "oncall" {
  name   = "On-call"
  mobile = "13800000000"
  email  = "oncall@example.com"
}
