# By contact id (ContactId; see the alicloudcas_contacts data source). The mobile number and email
# address are read from the service's contact list.
terraform import alicloudcas_contact.oncall 507742
