# A wildcard DV certificate from a purchased GeoTrust plan. The plan shows, before anything is
# bought, what the certificate will really contain (effective_domains: GeoTrust adds example.com,
# R-10) and fails if the names do not fit the product (R-02 to R-15).
resource "alicloudcas_certificate_order" "wildcard" {
  product_code = "geotrust-dv-w-starter"
  domains      = ["*.example.com"]

  contact_name  = "Platform team"
  contact_phone = "13800000000"
  contact_email = "pki@example.com"

  # Apply for the renewal when 20 days are left (the service renews within 30 days, R-26).
  renew_before_days = 20

  # Destroy only leaves the order (default). "cancel" would cancel an application the CA has not
  # started processing (R-22).
  deletion_policy = "retain"
}

# Publish validation_records with your DNS provider and wait with
# alicloudcas_certificate_order_validation (see its example).
output "effective_domains" {
  value = alicloudcas_certificate_order.wildcard.effective_domains
}
