package web

import "lederradar/survey"

// reasonText says, in p's language, why err refused a change: the
// catalogue's message for the error's key, or for its code when it has
// none. The domain's own message is English, for the command line and the
// logs, and never reaches a page.
func reasonText(p *Printer, err error) string {
	if key, args := survey.ErrorKey(err); key != "" && p.Has("reason."+key) {
		return p.T("reason."+key, args...)
	}
	if key := "reason.code_" + survey.ErrorCode(err); p.Has(key) {
		return p.T(key)
	}
	return p.T("reason.code_invalid")
}
