# Give the certificate bought for the shop to the account that runs the shop's load balancers,
# an account of the same company (R-50), on the same site (R-53). The plan checks the certificate
# (purchased here, issued, not yet shared by this configuration: R-51, R-52) and warns that the
# share is permanent: no API can read or undo it, and destroy only removes it from the state.
resource "alicloudcas_certificate_share" "shop_to_prod" {
  certificate_id = data.alicloudcas_certificate_order.shop.certificate_id

  # The receiving account's numeric UID (Account ID in its console), as a string.
  target_account_id = "1622883344556677"
}

# The certificate of an order made in this account. For an order managed in the same
# configuration, use alicloudcas_certificate_order_validation.<name>.certificate_id: it is known
# once the certificate is issued.
data "alicloudcas_certificate_order" "shop" {
  order_id = 12345678
}
