# Name the provider's source in every configuration that uses it: without it, Terraform looks for
# hashicorp/alicloudcas.
terraform {
  required_providers {
    alicloudcas = {
      source = "certforge/alicloudcas"
    }
  }
}

# Credentials come from the environment (ALIBABA_CLOUD_ACCESS_KEY_ID and
# ALIBABA_CLOUD_ACCESS_KEY_SECRET), an aliyun CLI profile or the ECS role
# when they are not written here, which is the recommended way.
provider "alicloudcas" {
  region = "cn-hangzhou" # China site; "ap-southeast-1" for the international site
}

# Assume a role in another account through STS.
provider "alicloudcas" {
  alias  = "security"
  region = "ap-southeast-1"

  assume_role {
    role_arn           = "acs:ram::1234567890123456:role/certificate-admin"
    session_name       = "terraform"
    session_expiration = 3600
  }
}

# Point the provider at the local emulator (`make emulator`) to test modules offline.
provider "alicloudcas" {
  alias      = "emulator"
  endpoint   = "http://127.0.0.1:8787"
  access_key = "LTAI5tCASEmulatorDemoKey"
  secret_key = "CASEmulatorDemoSecretDoNotUseInProd"
}
