# What remains of the account's DV plans before ordering.
data "alicloudcas_packages" "dv" {
  product_codes = ["geotrust-dv-1-starter", "geotrust-dv-w-starter"]
}

output "remaining_dv_certificates" {
  value = { for p in data.alicloudcas_packages.dv.packages : p.product_code => p.remaining_count }
}

# Warn in every plan (a check block), before anything is ordered, when a plan has run out.
check "dv_quota_left" {
  assert {
    condition     = alltrue([for p in data.alicloudcas_packages.dv.packages : !p.purchased || p.remaining_count > 0])
    error_message = "A purchased DV plan has no certificates left: buy more before ordering."
  }
}
