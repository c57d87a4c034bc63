# By order id. The applicant's contact data and any CSR are not read back: set them in the
# configuration as they were (they only matter for a new application).
terraform import alicloudcas_certificate_order.wildcard 12345678
