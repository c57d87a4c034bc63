# Deploying a purchased certificate in an account of another legal entity means downloading it and
# uploading it there (R-69). The private key passes through memory only: the bundle is ephemeral
# and private_key_wo is write-only, so neither the plan nor the state holds it.
provider "alicloudcas" {
  alias   = "partner"
  profile = "partner-account"
}

data "alicloudcas_certificate" "www" {
  newest_covering = "www.example.com"
}

ephemeral "alicloudcas_certificate_bundle" "www" {
  certificate_id = data.alicloudcas_certificate.www.certificate_id
}

resource "alicloudcas_uploaded_certificate" "www_copy" {
  provider    = alicloudcas.partner
  name        = "www.example.com-${data.alicloudcas_certificate.www.certificate_id}"
  certificate = data.alicloudcas_certificate.www.certificate # public: the certificate and its chain

  private_key_wo         = ephemeral.alicloudcas_certificate_bundle.www.private_key
  private_key_wo_version = data.alicloudcas_certificate.www.certificate_id # a new certificate brings a new key

  lifecycle {
    create_before_destroy = true
  }
}
