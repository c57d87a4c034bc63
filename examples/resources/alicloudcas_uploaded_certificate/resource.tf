# Upload a certificate you already have. The key is write-only: it is sent to the service and
# never stored in the plan or the state (Terraform 1.11 and later).
resource "alicloudcas_uploaded_certificate" "www" {
  name                   = "www.example.com-2026-rsa2048"
  certificate            = var.certificate_pem
  certificate_chain      = var.certificate_chain_pem
  private_key_wo         = var.private_key_pem
  private_key_wo_version = 1 # increase it to send a new key

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

# The PEM contents, given at each plan and apply, for example from the files:
#   export TF_VAR_certificate_pem="$(cat www.example.com.crt)"
#   export TF_VAR_certificate_chain_pem="$(cat intermediate.crt)"
#   export TF_VAR_private_key_pem="$(cat www.example.com.key)"
# (or -var-file, or a secret store). Files kept with the configuration can be read directly as
# well: certificate = file("${path.module}/www.example.com.crt").
variable "certificate_pem" {
  type = string
}

variable "certificate_chain_pem" {
  type = string
}

# Ephemeral: kept out of saved plan files too (give it again when applying one).
variable "private_key_pem" {
  type      = string
  sensitive = true
  ephemeral = true
}
