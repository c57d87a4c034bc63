# The person deployment jobs notify. Mobile numbers and email addresses are unique in the account.
# They are personal data: pass real ones in variables, not in the configuration's text (the default
# here is a placeholder).
variable "oncall_mobile" {
  type      = string
  sensitive = true
  default   = "13800000000"
}

resource "alicloudcas_contact" "oncall" {
  name   = "Platform on-call"
  mobile = var.oncall_mobile
  email  = "pki-oncall@example.com"

  # DingTalk, WeCom or Lark robots notified as well.
  webhooks = ["https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef"]
}

# The service verifies the email address and the mobile number: remind whoever applies until the
# person has done it.
check "oncall_verified" {
  assert {
    condition     = alicloudcas_contact.oncall.email_verified && alicloudcas_contact.oncall.mobile_verified
    error_message = "Contact ${alicloudcas_contact.oncall.contact_id} has not verified its email address and mobile number yet."
  }
}
