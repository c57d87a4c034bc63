# Order a DV certificate, publish its DNS validation record, and wait until the CA issues it, in
# one apply. terraform_data stands in for your DNS provider's record resource (see below).
variable "zone" {
  description = "The DNS zone that hosts the certificate's names."
  type        = string
  default     = "example.com"
}

resource "alicloudcas_certificate_order" "www" {
  product_code = "geotrust-dv-1-starter"
  domains      = ["www.${var.zone}"]

  # Without them the service uses the most recent contact of its information management (R-18);
  # an account without any needs them.
  contact_name  = "Platform team"
  contact_phone = "13800000000"
  contact_email = "pki@${var.zone}"
}

# One record per entry of validation_records: its keys are known at plan time, so for_each works
# in the same apply that creates the order. Replace this stand-in with your DNS provider's record
# resource; with Alibaba Cloud DNS (the aliyun/alicloud provider) it is:
#
#   resource "alicloud_alidns_record" "validation" {
#     for_each = alicloudcas_certificate_order.www.validation_records
#
#     domain_name = var.zone
#     rr          = trimsuffix(each.value.name, ".${var.zone}")
#     type        = each.value.type
#     value       = each.value.value
#     ttl         = 600
#   }
#
# and validation_record_fqdns below lists "${r.rr}.${r.domain_name}" for each record r.
resource "terraform_data" "validation" {
  for_each = alicloudcas_certificate_order.www.validation_records

  input = {
    fqdn  = each.value.name
    type  = each.value.type
    value = each.value.value
  }
}

# Completes when the certificate is issued. Listing the records' names makes the wait start once
# they exist, and a record the order needs but the list lacks fails at once, naming it.
resource "alicloudcas_certificate_order_validation" "www" {
  order_id                = alicloudcas_certificate_order.www.order_id
  validation_record_fqdns = [for r in terraform_data.validation : r.output.fqdn]

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
