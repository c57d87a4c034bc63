# Certificates for the shop that end within 30 days, or have already ended.
data "alicloudcas_certificates" "shop_to_renew" {
  covers_domain        = "shop.example.com"
  expiring_within_days = 30
}

output "shop_certificates_to_renew" {
  value = [for c in data.alicloudcas_certificates.shop_to_renew.certificates : "${c.name} (${c.status}, ends ${c.not_after})"]
}

# Warn at every plan while an uploaded certificate has expired: expired certificates stay listed.
data "alicloudcas_certificates" "uploaded" {
  source = "uploaded"
}

check "no_expired_uploads" {
  assert {
    condition     = alltrue([for c in data.alicloudcas_certificates.uploaded.certificates : c.status != "EXPIRED"])
    error_message = "Expired uploaded certificates: ${join(", ", [for c in data.alicloudcas_certificates.uploaded.certificates : c.name if c.status == "EXPIRED"])}."
  }
}

# The service's fuzzy keyword narrows the list; name_regex then keeps exact names.
data "alicloudcas_certificates" "rsa_2026" {
  keyword    = "example.com"
  name_regex = "^example\\.com-2026-rsa"
}
