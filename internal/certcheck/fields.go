package certcheck

// The input fields, by the names of the resource's attributes. A finding's Value is one of them.
const (
	FieldName               = "name"
	FieldCertificate        = "certificate"
	FieldChain              = "certificate_chain"
	FieldPrivateKey         = "private_key"
	FieldSignCertificate    = "sign_certificate"
	FieldSignPrivateKey     = "sign_private_key"
	FieldEncryptCertificate = "encrypt_certificate"
	FieldEncryptPrivateKey  = "encrypt_private_key"
)

// Fields lists the input fields in the order Check reports them.
var Fields = []string{FieldName, FieldCertificate, FieldChain, FieldPrivateKey,
	FieldSignCertificate, FieldSignPrivateKey, FieldEncryptCertificate, FieldEncryptPrivateKey}

// fieldInfo: how a field is named in a sentence, and its counterpart (the key of a certificate
// field, the certificate of a key field) for "move it there" advice.
type fieldInfo struct {
	noun        string
	key         bool
	counterpart string
}

var fields = map[string]fieldInfo{
	FieldCertificate:        {"the certificate", false, FieldPrivateKey},
	FieldChain:              {"the certificate chain", false, FieldPrivateKey},
	FieldPrivateKey:         {"the private key", true, FieldCertificate},
	FieldSignCertificate:    {"the SM2 signing certificate", false, FieldSignPrivateKey},
	FieldSignPrivateKey:     {"the SM2 signing private key", true, FieldSignCertificate},
	FieldEncryptCertificate: {"the SM2 encryption certificate", false, FieldEncryptPrivateKey},
	FieldEncryptPrivateKey:  {"the SM2 encryption private key", true, FieldEncryptCertificate},
}

func info(field string) fieldInfo {
	if fi, ok := fields[field]; ok {
		return fi
	}
	return fieldInfo{noun: field, counterpart: FieldPrivateKey}
}

// capital is s with its first letter upper case (ASCII nouns only).
func capital(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
