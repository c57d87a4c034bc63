// Package certcheck checks, at plan time, the PEM material a user uploads as a certificate: the
// certificate and its chain, the private key, or the two SM2 pairs (R-40 to R-44 of the service
// rules), the validity dates and the certificate's name. It also
// computes what is known from the PEM alone (Facts: common name, names, issuer, serial,
// fingerprint, key algorithm and size, dates), and compares PEM texts by meaning (SamePEM,
// CanonicalPEM).
//
// Like internal/domains, whose Finding type it answers, it makes no API call and knows nothing of
// Terraform: the resource turns findings into diagnostics on the attribute each one names.
// Secrets never appear in a finding: findings name the field and the position of a PEM block,
// never its content.
package certcheck
