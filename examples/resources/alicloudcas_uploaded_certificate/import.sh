# By certificate id, or by its identifier "<id>-<region>". Private keys are never read back: after
# an import, set the key argument in the configuration again (no replacement is planned for it).
terraform import alicloudcas_uploaded_certificate.www 12345678
terraform import alicloudcas_uploaded_certificate.www 12345678-cn-hangzhou
