package web

import (
	"testing"

	"lederradar/survey"
)

func TestDeviceOf(t *testing.T) {
	t.Parallel()
	tests := []struct{ ua, browser, os string }{
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "chrome", "windows"},
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", "edge", "windows"},
		{"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1", "safari", "iphone"},
		{"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0 Mobile/15E148 Safari/604.1", "chrome", "iphone"},
		{"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15", "safari", "macos"},
		{"Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", "firefox", "linux"},
		{"Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36", "samsung", "android"},
		{"Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "chrome", "chromeos"},
		{"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36", "chrome", "linux"},
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 OPR/115.0.0.0", "opera", "windows"},
		{"curl/8.5.0", "other", "other"},
		{"", "other", "other"},
	}
	for _, tt := range tests {
		b, o := deviceOf(tt.ua)
		if b != tt.browser || o != tt.os {
			t.Errorf("deviceOf(%q) = %s, %s; want %s, %s", tt.ua, b, o, tt.browser, tt.os)
		}
	}
	cat, err := LoadCatalogues()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		lang, browser, os, want string
	}{
		{"da", "chrome", "windows", "Chrome på Windows"},
		{"en", "safari", "iphone", "Safari on iPhone"},
		{"da", "other", "other", "en ukendt browser på et ukendt styresystem"},
	} {
		p := cat.Printer(survey.Lang(tt.lang))
		if got := deviceName(p, tt.browser, tt.os); got != tt.want {
			t.Errorf("deviceName(%s, %s, %s) = %q, want %q", tt.lang, tt.browser, tt.os, got, tt.want)
		}
	}
}
