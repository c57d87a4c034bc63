# The valid certificate that covers the host and lasts longest: a renewed certificate is picked up
# at the next plan.
data "alicloudcas_certificate" "www" {
  newest_covering = "www.example.com"
}

output "www_certificate" {
  value = {
    identifier = data.alicloudcas_certificate.www.certificate_identifier # the form ALB and CDN take
    names      = data.alicloudcas_certificate.www.subject_alternative_names
    not_after  = data.alicloudcas_certificate.www.not_after
  }
}

# One certificate by id (or certificate_identifier = "12345678-cn-hangzhou").
data "alicloudcas_certificate" "api" {
  certificate_id = 12345678
}
