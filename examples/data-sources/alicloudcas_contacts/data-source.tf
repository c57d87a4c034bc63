# Every contact whose name, email address or mobile number contains "platform".
data "alicloudcas_contacts" "platform" {
  keyword = "platform"
}

output "platform_contact_ids" {
  value = [for c in data.alicloudcas_contacts.platform.contacts : c.id]
}

# Contacts that have not verified their email address yet (names only: mobile and email are
# sensitive).
output "unverified_contacts" {
  value = [for c in data.alicloudcas_contacts.platform.contacts : c.name if !c.email_verified]
}
