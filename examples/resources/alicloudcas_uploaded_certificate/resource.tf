# Upload a certificate you already have. The key is write-only: it is sent to the service and
# never stored in the plan or the state (Terraform 1.11 and later).
resource "alicloudcas_uploaded_certificate" "www" {
  name                   = "www.example.com-2026-rsa2048"
  certificate            = file("${path.module}/www.example.com.crt")
  certificate_chain      = file("${path.module}/intermediate.crt")
  private_key_wo         = file("${path.module}/www.example.com.key")
  private_key_wo_version = 1

  tags = {
    team = "edge"
  }

  # A new certificate is a new resource (the service cannot edit one): create the new one before
  # deleting the old one, so that listeners never point at a deleted certificate.
  lifecycle {
    create_before_destroy = true
  }
}

# ALB, CDN and other products take the "<id>-<region>" identifier.
output "certificate_identifier" {
  value = alicloudcas_uploaded_certificate.www.certificate_identifier
}
