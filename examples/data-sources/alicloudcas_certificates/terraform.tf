# The provider's source, so that this example is a complete configuration (CI runs terraform
# validate on every example directory). Only the example's main file is rendered into docs/.
terraform {
  required_providers {
    alicloudcas = {
      source = "certforge/alicloudcas"
    }
  }
}
