# The ALB listeners that serve www.example.com: the targets of a deployment job. The service syncs
# resources from each product in the background (R-70): a listener created a moment ago may be
# missing for a while.
data "alicloudcas_cloud_resources" "www_alb" {
  cloud_product = "ALB"
  domain        = "www.example.com"
}

output "www_alb_targets" {
  value = { for r in data.alicloudcas_cloud_resources.www_alb.resources : r.id => "${r.instance_id}:${r.listener_port}" }
}

# Where a certificate is deployed now (as of the last sync).
variable "certificate_id" {
  type    = number
  default = 12345678
}

data "alicloudcas_cloud_resources" "using_certificate" {
  certificate_id = var.certificate_id
}

output "deployed_on" {
  value = [for r in data.alicloudcas_cloud_resources.using_certificate.resources : "${r.cloud_product} ${r.domain} (${r.region_id})"]
}
