package domains

import "strings"

// freeMailDomains are free mail services, large Chinese and international ones: an EV applicant
// must not use them. Subdomains count too (e.g. "vip.qq.com").
var freeMailDomains = map[string]bool{
	// China
	"qq.com": true, "foxmail.com": true, "163.com": true, "126.com": true, "yeah.net": true,
	"188.com": true, "sina.com": true, "sina.cn": true, "sohu.com": true, "aliyun.com": true,
	"139.com": true, "189.cn": true, "wo.cn": true, "tom.com": true, "21cn.com": true,
	// International
	"gmail.com": true, "googlemail.com": true, "outlook.com": true, "hotmail.com": true,
	"live.com": true, "msn.com": true, "yahoo.com": true, "yahoo.co.jp": true, "ymail.com": true,
	"icloud.com": true, "me.com": true, "mac.com": true, "aol.com": true, "proton.me": true,
	"protonmail.com": true, "gmx.com": true, "gmx.de": true, "gmx.net": true, "mail.com": true,
	"yandex.com": true, "yandex.ru": true, "mail.ru": true, "zoho.com": true, "naver.com": true,
	"daum.net": true, "hanmail.net": true, "web.de": true, "tutanota.com": true, "fastmail.com": true,
}

// IsFreeMail reports whether a mail domain belongs to a free mail service.
func IsFreeMail(domain string) bool {
	domain = strings.ToLower(strings.TrimSuffix(domain, "."))
	for d := domain; d != ""; {
		if freeMailDomains[d] {
			return true
		}
		_, rest, ok := strings.Cut(d, ".")
		if !ok {
			break
		}
		d = rest
	}
	return false
}
