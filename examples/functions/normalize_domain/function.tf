# Compare names the way the service does: lower case, no trailing dot.
locals {
  wanted = ["WWW.Example.com.", "api.example.com"]
  names  = [for d in local.wanted : provider::alicloudcas::normalize_domain(d)]
  # ["www.example.com", "api.example.com"]
}

output "names" {
  value = local.names
}
