# Order a DV certificate, publish its DNS validation record, and wait until the CA issues it, in
# one apply. This file is documentation: alicloud_alidns_record belongs to the aliyun/alicloud
# provider, and any DNS provider's record resource does the same job.
variable "zone" {
  description = "The DNS zone that hosts the certificate's names."
  type        = string
  default     = "example.com"
}

resource "alicloudcas_certificate_order" "www" {
  product_code = "geotrust-dv-1-starter"
  domains      = ["www.${var.zone}"]
}

# One record per entry of validation_records: its keys are known at plan time, so for_each works
# in the same apply that creates the order.
resource "alicloud_alidns_record" "validation" {
  for_each = alicloudcas_certificate_order.www.validation_records

  domain_name = var.zone
  rr          = trimsuffix(each.value.name, ".${var.zone}")
  type        = each.value.type
  value       = each.value.value
  ttl         = 600
}

# Completes when the certificate is issued. Listing the records' names makes the wait start once
# they exist, and a record the order needs but the list lacks fails at once, naming it.
resource "alicloudcas_certificate_order_validation" "www" {
  order_id                = alicloudcas_certificate_order.www.order_id
  validation_record_fqdns = [for r in alicloud_alidns_record.validation : "${r.rr}.${r.domain_name}"]

  # DV: minutes, within the 45-minute default. OV and EV take about 5 calendar days (R-20): set a
  # longer create timeout, or add this resource in a later run.
  timeouts = {
    create = "45m"
  }
}

# ALB, CDN and other products take the "<id>-<region>" identifier.
output "certificate_identifier" {
  value = alicloudcas_certificate_order_validation.www.certificate_identifier
}
