# Fail the plan when a load balancer host is not covered by the certificate (R-08).
variable "listener_hosts" {
  type    = list(string)
  default = ["www.example.com", "api.example.com"]
}

locals {
  certificate_domains = ["*.example.com"]
}

check "certificate_covers_hosts" {
  assert {
    condition = alltrue([
      for h in var.listener_hosts : provider::alicloudcas::domain_covers(local.certificate_domains, h)
    ])
    error_message = "A listener host is not covered by the certificate: *.example.com covers one level only, not example.com nor a.b.example.com (R-08)."
  }
}
