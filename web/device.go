package web

import "strings"

// A link opening is recorded with the browser's and the operating
// system's families alone, read coarsely from the User-Agent: enough for
// a leader to tell "Safari på iPhone" from their own PC, too little to
// single anyone out. The User-Agent itself is never stored.

// browserNames are the browser families as shown; the order of
// browserFamilies matters, since Edge and Opera also say "Chrome", and
// Chrome also says "Safari".
var browserNames = map[string]string{
	"edge": "Edge", "opera": "Opera", "samsung": "Samsung Internet",
	"firefox": "Firefox", "chrome": "Chrome", "safari": "Safari",
}

var browserFamilies = []struct{ marker, code string }{
	{"edg/", "edge"}, {"edga/", "edge"}, {"edgios/", "edge"},
	{"opr/", "opera"}, {"samsungbrowser/", "samsung"},
	{"firefox/", "firefox"}, {"fxios/", "firefox"},
	{"chrome/", "chrome"}, {"crios/", "chrome"}, {"chromium/", "chrome"},
	{"safari/", "safari"},
}

var osNames = map[string]string{
	"windows": "Windows", "iphone": "iPhone", "ipad": "iPad", "android": "Android",
	"macos": "macOS", "chromeos": "ChromeOS", "linux": "Linux",
}

var osFamilies = []struct{ marker, code string }{
	{"windows", "windows"}, {"iphone", "iphone"}, {"ipad", "ipad"},
	{"android", "android"}, {"cros ", "chromeos"},
	{"macintosh", "macos"}, {"mac os x", "macos"}, {"linux", "linux"},
}

// deviceOf returns the browser and operating system families of a
// User-Agent as codes, "other" for what it does not recognise.
func deviceOf(userAgent string) (browser, os string) {
	ua := strings.ToLower(userAgent)
	browser, os = "other", "other"
	for _, f := range browserFamilies {
		if strings.Contains(ua, f.marker) {
			browser = f.code
			break
		}
	}
	for _, f := range osFamilies {
		if strings.Contains(ua, f.marker) {
			os = f.code
			break
		}
	}
	return browser, os
}

// deviceName says in the printer's language which browser on which
// system: "Chrome på Windows".
func deviceName(p *Printer, browser, os string) string {
	b, ok := browserNames[browser]
	if !ok {
		b = p.T("openings.other_browser")
	}
	o, ok := osNames[os]
	if !ok {
		o = p.T("openings.other_os")
	}
	return p.T("openings.device", b, o)
}
