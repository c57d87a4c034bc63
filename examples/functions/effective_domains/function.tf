# What a GeoTrust wildcard certificate will really contain (R-10):
# ["*.example.com", "example.com"]
output "geotrust_wildcard" {
  value = provider::alicloudcas::effective_domains("geotrust-dv-w-starter", ["*.example.com"])
}

# Entrust adds www. to the first registrable name only (R-11):
# ["domain.com", "example.com", "www.domain.com"]
output "entrust_multi" {
  value = provider::alicloudcas::effective_domains("entrust", ["domain.com", "example.com"])
}
