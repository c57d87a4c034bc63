# The demo `make demo` applies against the local emulator: upload a certificate and deploy it to
# an ALB listener and a CDN domain; apply for a DV certificate, whose DNS validation the emulator
# completes (example.com is a zone hosted in the account, R-24), and share it with another account.
# The provider block is empty: run.sh exports ALIBABA_CLOUD_CAS_ENDPOINT and the demo key pair.
terraform {
  required_providers {
    alicloudcas = {
      source = "certforge/alicloudcas"
    }
  }
}

provider "alicloudcas" {}

# What is left in the purchased plans, read after the order below has used one.
data "alicloudcas_packages" "all" {
  depends_on = [alicloudcas_certificate_order.shop]
}

# 1. Upload a certificate you have (gencert made it). The key is write-only: never in the state.
resource "alicloudcas_uploaded_certificate" "www" {
  name                   = "www.example.com-demo-ecc"
  certificate            = file("${path.module}/cert.pem")
  certificate_chain      = file("${path.module}/chain.pem")
  private_key_wo         = file("${path.module}/key.pem")
  private_key_wo_version = 1
}

# 2. Deploy it to every target it covers (R-62 is checked at plan time).
data "alicloudcas_cloud_resources" "targets" {}

resource "alicloudcas_contact" "oncall" {
  name   = "Demo on-call"
  mobile = "13800000000"
  email  = "oncall@example.com"
}

resource "alicloudcas_deployment_job" "www" {
  name                = "demo-rollout"
  certificate_ids     = [alicloudcas_uploaded_certificate.www.certificate_id]
  resource_ids        = [for r in data.alicloudcas_cloud_resources.targets.resources : r.id]
  contact_ids         = [alicloudcas_contact.oncall.contact_id]
  certificate_domains = alicloudcas_uploaded_certificate.www.subject_alternative_names
  target_domains      = { for r in data.alicloudcas_cloud_resources.targets.resources : tostring(r.id) => r.domain if r.domain != null }
  wait_for_completion = true
}

# 3. Apply for a DV certificate from the purchased GeoTrust plan and wait until it is issued.
resource "alicloudcas_certificate_order" "shop" {
  product_code  = "geotrust-dv-1-starter"
  domains       = ["shop.example.com"]
  contact_name  = "Demo"
  contact_phone = "13800000000"
  contact_email = "pki@example.com"
}

resource "alicloudcas_certificate_order_validation" "shop" {
  order_id = alicloudcas_certificate_order.shop.order_id
}

# 4. Share the issued certificate with another account of the same company (R-50).
resource "alicloudcas_certificate_share" "shop" {
  certificate_id    = alicloudcas_certificate_order_validation.shop.certificate_id
  target_account_id = "1987654321098765"
}

output "purchased_plans" {
  description = "Certificates left in each purchased plan."
  value       = { for p in data.alicloudcas_packages.all.packages : p.product_code => "${p.remaining_count} of ${p.total_count} left" if p.purchased }
}

output "uploaded_certificate" {
  value = alicloudcas_uploaded_certificate.www.certificate_identifier
}

output "deployment" {
  value = { for t in alicloudcas_deployment_job.www.targets : "${t.cloud_product} ${t.resource_id}" => t.status }
}

output "dv_certificate" {
  value = {
    identifier        = alicloudcas_certificate_order_validation.shop.certificate_identifier
    effective_domains = alicloudcas_certificate_order.shop.effective_domains
  }
}
