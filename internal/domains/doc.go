// Package domains is the rules engine: the service's rules about domain names, certificate
// shapes, what a CA really issues, validation methods, applicant data and CSRs (R-01 to R-17,
// of the service rules), as plain Go functions. It makes no API call and knows
// nothing of Terraform: it answers normalised values and Findings, and the provider turns
// findings into diagnostics on the attribute it is validating. Resources' validators, plan
// modifiers and the provider functions all use it, so a rule is written once.
package domains
