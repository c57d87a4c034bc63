package certcheck

import (
	"fmt"
	"strings"

	"github.com/certforge/terraform-provider-alicloudcas/internal/domains"
)

// Findings about the shape of a field's text, shared by certificate and key fields. They
// say what was given instead of PEM and the command that converts it.

const pemOnly = "The service accepts PEM text only and refuses anything else with \"certificate format incorrect\" (R-40)."

// structureFinding explains a field that is empty, not PEM, or not complete PEM. It returns nil
// when the text is a clean sequence of PEM blocks.
func structureFinding(field, text string, sc scanned) *domains.Finding {
	fi := info(field)
	what := capital(fi.noun)
	var f domains.Finding
	switch {
	case strings.TrimSpace(text) == "":
		f = errorf("R-40", field, -1, what+" is empty.",
			"%s Give the PEM text, from its -----BEGIN line to its -----END line, e.g. with file(\"%s\").", pemOnly, example(field))
	case sc.problem != nil:
		f = problemFinding(field, sc.problem)
	case len(sc.blocks) == 0:
		f = foreignFinding(field, sniff(text))
	default:
		return nil
	}
	return &f
}

// example is a file name for the advice.
func example(field string) string {
	if info(field).key {
		return "key.pem"
	}
	return "cert.pem"
}

func problemFinding(field string, p *scanProblem) domains.Finding {
	what := capital(info(field).noun)
	switch p.kind {
	case pemTruncated:
		return errorf("R-40", field, -1, fmt.Sprintf("%s is cut short: the %s block at line %d has no END line.", what, p.typ, p.line),
			"%s A PEM block runs from -----BEGIN %s----- to -----END %s-----; copy the whole file again, or read it with file(\"%s\").", pemOnly, p.typ, p.typ, example(field))
	case pemStrayEnd:
		return errorf("R-40", field, -1, fmt.Sprintf("%s has an END line without its BEGIN line (line %d).", what, p.line),
			"%s The -----BEGIN %s----- line and the text after it are missing; copy the whole file again.", pemOnly, p.typ)
	case pemEndMismatch:
		return errorf("R-40", field, -1, fmt.Sprintf("%s has a %s block closed by a different END line (line %d).", what, p.typ, p.line),
			"%s Each -----BEGIN %s----- needs its own -----END %s-----: a block was cut, or two files were pasted into each other.", pemOnly, p.typ, p.typ)
	case pemDamaged:
		return errorf("R-40", field, -1, fmt.Sprintf("%s has a damaged %s block (line %d).", what, p.typ, p.line),
			"%s The lines between BEGIN and END must be base64; this block has other characters, or lines were lost or altered. Copy the file again.", pemOnly)
	case pemInlineMarker:
		return errorf("R-40", field, -1, fmt.Sprintf("%s has a BEGIN or END line run together with other text (line %d).", what, p.line),
			"%s The -----BEGIN …----- and -----END …----- lines must be lines of their own: the line breaks were lost when the text was copied. Read the file with file(\"%s\") instead.", pemOnly, example(field))
	default: // pemEscapedNewlines
		return errorf("R-40", field, -1, what+" has \"\\n\" written out instead of line breaks.",
			"%s The text has the two characters \\ and n where line breaks should be, as JSON or environment variables carry it. Turn them back into line breaks, e.g. replace(var.value, \"\\\\n\", \"\\n\"), or read the file with file(\"%s\").", pemOnly, example(field))
	}
}

// foreignFinding says what the value is instead of PEM and how to convert it.
func foreignFinding(field string, fo foreign) domains.Finding {
	fi := info(field)
	what := capital(fi.noun)
	decode := ""
	if fo.base64 {
		decode = " Its text is base64, as filebase64() gives it: convert the file itself (base64 -d < file.b64 > file), then give the PEM with file()."
	}
	summary := func(is string) string {
		if fo.base64 {
			return fmt.Sprintf("%s is %s (base64-encoded), not PEM.", what, is)
		}
		return fmt.Sprintf("%s is %s, not PEM.", what, is)
	}
	switch fo.kind {
	case foreignPKCS12:
		return errorf("R-40", field, -1, summary("a PKCS #12 (PFX/P12) file"),
			"%s Extract the certificates with `openssl pkcs12 -in cert.pfx -nokeys -out cert.pem` and the private key with `openssl pkcs12 -in cert.pfx -nocerts -nodes -out key.pem` (add -legacy for files made by old Windows or Java versions); the certificate goes in %s, the key in %s.%s",
			pemOnly, certFieldOf(field), keyFieldOf(field), decode)
	case foreignJKS, foreignJCEKS:
		store := "JKS"
		if fo.kind == foreignJCEKS {
			store = "JCEKS"
		}
		return errorf("R-40", field, -1, summary("a Java keystore ("+store+")"),
			"%s Convert it to PKCS #12 with `keytool -importkeystore -srckeystore keystore.jks -srcstoretype %s -destkeystore keystore.p12 -deststoretype PKCS12`, then extract the certificates with `openssl pkcs12 -in keystore.p12 -nokeys -out cert.pem` and the key with `openssl pkcs12 -in keystore.p12 -nocerts -nodes -out key.pem`.%s",
			pemOnly, store, decode)
	case foreignPKCS7:
		return errorf("R-40", field, -1, summary("a PKCS #7 (P7B) certificate bundle"),
			"%s Extract its certificates with `openssl pkcs7 -inform der -in cert.p7b -print_certs -out cert.pem`; a P7B holds no private key, so the key must come from where the CSR was made.%s",
			pemOnly, decode)
	case foreignCertificate:
		if fi.key {
			return errorf("R-40", field, -1, summary("a certificate"),
				"This field takes the private key, in PEM (R-40). Put the certificate in %s and the private key here.", fi.counterpart)
		}
		if fo.base64 {
			return errorf("R-40", field, -1, what+" is a base64 certificate without its PEM lines.",
				"%s Put the text between a line -----BEGIN CERTIFICATE----- and a line -----END CERTIFICATE-----, or convert the DER file with `openssl x509 -inform der -in cert.der -out cert.pem`.", pemOnly)
		}
		return errorf("R-40", field, -1, summary("a DER (binary) certificate"),
			"%s Convert it with `openssl x509 -inform der -in cert.der -out cert.pem`.", pemOnly)
	case foreignCSR:
		return errorf("R-40", field, -1, summary("a certificate signing request (CSR)"),
			"A CSR asks a CA for a certificate; it is not one. Give the certificate the CA issued for it, in PEM (R-40).")
	case foreignKey, foreignEncryptedKey:
		if !fi.key {
			return errorf("R-40", field, -1, summary("a private key"),
				"This field takes the certificate, in PEM (R-40). Put the private key in %s (in PEM: `openssl pkey -inform der -in key.der -out key.pem`) and the certificate here.", fi.counterpart)
		}
		if fo.kind == foreignEncryptedKey {
			return errorf("R-42", field, -1, summary("an encrypted (password-protected) private key"),
				"The service cannot read a password-protected key (R-42), and takes PEM only (R-40). Decrypt and convert it with `openssl pkey -inform der -in enc.key -out dec.key` (it asks for the password).%s", decode)
		}
		if fo.base64 {
			return errorf("R-40", field, -1, what+" is a base64 key without its PEM lines.",
				"%s Put the text between a line -----BEGIN %s----- and a line -----END %s-----, or convert the DER file with `openssl pkey -inform der -in key.der -out key.pem`.", pemOnly, fo.label, fo.label)
		}
		return errorf("R-40", field, -1, summary("a DER (binary) private key"),
			"%s Convert it with `openssl pkey -inform der -in key.der -out key.pem`.", pemOnly)
	case foreignDER:
		return errorf("R-40", field, -1, summary("binary DER data"),
			"%s Convert the file to PEM with openssl (x509 -inform der for a certificate, pkey -inform der for a key).", pemOnly)
	}
	if fo.binary {
		return errorf("R-40", field, -1, what+" is binary data, not PEM.",
			"%s Give the PEM text of the file (it starts with -----BEGIN); PFX/P12, JKS and DER files must be converted first.", pemOnly)
	}
	return errorf("R-40", field, -1, what+" is not PEM: it has no -----BEGIN line.",
		"%s Give the whole PEM text, from its -----BEGIN line to its -----END line, e.g. with file(\"%s\").", pemOnly, example(field))
}

// certFieldOf and keyFieldOf name the pair a field belongs to.
func certFieldOf(field string) string {
	if info(field).key {
		return info(field).counterpart
	}
	if field == FieldChain {
		return FieldCertificate
	}
	return field
}

func keyFieldOf(field string) string {
	if info(field).key {
		return field
	}
	return info(field).counterpart
}

// outsideFinding: text around the blocks is dropped by CanonicalPEM, which is what the resource
// uploads; it is worth knowing, not an error.
func outsideFinding(field string, line int) domains.Finding {
	return warnf("R-40", field, -1, fmt.Sprintf("%s has text outside its PEM blocks (line %d).", capital(info(field).noun), line),
		"Only the -----BEGIN …----- to -----END …----- blocks are uploaded (R-40); the rest, such as the \"Bag Attributes\" and \"subject=\" lines that openssl pkcs12 writes, is dropped. Remove it to silence this warning, e.g. with `openssl x509 -in cert.pem -out clean.pem` per certificate.")
}

// blockTypeFinding explains a PEM block of the wrong kind for the field.
func blockTypeFinding(field string, index int, b block) domains.Finding {
	fi := info(field)
	what := capital(fi.noun)
	at := fmt.Sprintf("(block %d, line %d)", index+1, b.line)
	switch typ := b.Type; {
	case isKeyType(typ) && !fi.key:
		return errorf("R-40", field, index, fmt.Sprintf("%s holds a private key %s.", what, at),
			"This field takes certificates only (R-40, R-43). Move the private key to %s; never paste a key where a certificate goes.", keyFieldOf(field))
	case typ == "CERTIFICATE" && fi.key:
		return errorf("R-40", field, index, fmt.Sprintf("%s holds a certificate %s.", what, at),
			"This field takes one private key (R-40). Move the certificate to %s.", fi.counterpart)
	case typ == "CERTIFICATE REQUEST" || typ == "NEW CERTIFICATE REQUEST":
		return errorf("R-40", field, index, fmt.Sprintf("%s holds a certificate signing request (CSR) %s.", what, at),
			"A CSR asks a CA for a certificate; it is neither a certificate nor a key (R-40). Give the certificate the CA issued for it, and the private key the CSR was made with.")
	case typ == "PKCS7":
		return errorf("R-40", field, index, fmt.Sprintf("%s holds a PKCS #7 (P7B) bundle %s.", what, at),
			"%s Extract its certificates with `openssl pkcs7 -in cert.p7b -print_certs -out cert.pem`.", pemOnly)
	case typ == "TRUSTED CERTIFICATE":
		return errorf("R-40", field, index, fmt.Sprintf("%s holds an OpenSSL TRUSTED CERTIFICATE %s.", what, at),
			"%s It is a certificate with OpenSSL trust settings; write it as a plain CERTIFICATE with `openssl x509 -in cert.pem -out plain.pem`.", pemOnly)
	case typ == "PUBLIC KEY" || typ == "RSA PUBLIC KEY":
		if fi.key {
			return errorf("R-41", field, index, fmt.Sprintf("%s is a public key %s.", what, at),
				"The service needs the private key that matches the certificate (R-41); the public key is already in the certificate. Give the private key (-----BEGIN PRIVATE KEY-----).")
		}
		return errorf("R-40", field, index, fmt.Sprintf("%s holds a public key %s.", what, at),
			"This field takes certificates (R-40); a public key is not one. Give the certificate the CA issued.")
	case typ == "ENCRYPTED PRIVATE KEY" && fi.key:
		return errorf("R-42", field, index, fmt.Sprintf("%s is encrypted (password-protected) %s.", what, at),
			"The service cannot read a password-protected key (R-42). Decrypt it with `openssl pkey -in enc.key -out dec.key` (it asks for the password) and give the decrypted key; keep it as secret as before.")
	case typ == "OPENSSH PRIVATE KEY" && fi.key:
		return errorf("R-40", field, index, fmt.Sprintf("%s is in OpenSSH's own format %s.", what, at),
			"This field takes a PEM private key (R-40). Convert a copy to PKCS #8 with `ssh-keygen -p -m PKCS8 -f key-copy` (it rewrites the file in place).")
	case typ == "DSA PRIVATE KEY" && fi.key:
		return errorf("R-41", field, index, fmt.Sprintf("%s is a DSA key %s.", what, at),
			"The service's key algorithms are RSA, ECC and SM2 (R-41); a DSA key cannot be uploaded. Get a certificate for an RSA or ECC key.")
	case fi.key:
		return errorf("R-40", field, index, fmt.Sprintf("%s holds a %s block %s.", what, typ, at),
			"This field takes one PEM private key: -----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or EC PRIVATE KEY (R-40). Convert it with `openssl pkey -in key.pem -out key-pkcs8.pem`.")
	}
	return errorf("R-40", field, index, fmt.Sprintf("%s holds a %s block %s.", what, b.Type, at),
		"This field takes -----BEGIN CERTIFICATE----- blocks only (R-40): the server certificate, then its intermediates.")
}

func isKeyType(typ string) bool {
	return strings.HasSuffix(typ, "PRIVATE KEY")
}
