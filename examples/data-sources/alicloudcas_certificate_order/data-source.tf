# An order made outside Terraform (in the console or by another tool): its state, the validation
# it awaits, and its certificate once issued.
data "alicloudcas_certificate_order" "legacy" {
  order_id = 12345678
}

output "legacy_order" {
  value = {
    status     = data.alicloudcas_certificate_order.legacy.status # e.g. domain_verify, certificate
    records    = data.alicloudcas_certificate_order.legacy.validation_records
    identifier = data.alicloudcas_certificate_order.legacy.certificate_identifier # once issued
  }
}
