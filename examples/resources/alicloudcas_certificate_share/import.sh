# By "<certificate_id>:<target_account_id>". The service cannot list shares, so the import only
# checks that the certificate exists and was purchased in this account: it records the share you
# name. shared_at stays null after an import (the service does not say when a share was made).
terraform import alicloudcas_certificate_share.shop_to_prod 23279004:1622883344556677
