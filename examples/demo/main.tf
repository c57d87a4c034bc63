# The demo configuration `make demo` applies against the local emulator. The provider block is
# empty: run.sh exports ALIBABA_CLOUD_CAS_ENDPOINT and the emulator's demo key pair.
terraform {
  required_providers {
    alicloudcas = {
      source = "certforge/alicloudcas"
    }
  }
}

provider "alicloudcas" {}

data "alicloudcas_packages" "all" {}

locals {
  purchased = { for p in data.alicloudcas_packages.all.packages : p.product_code => p if p.purchased }
}

output "purchased_plans" {
  description = "Certificates left in each purchased plan."
  value       = { for code, p in local.purchased : code => "${p.remaining_count} of ${p.total_count} left (${p.validation_type}, ${p.domain_type})" }
}
