package csvfile

import "strings"

// SafeCell neutralises text a spreadsheet would run as a formula: a cell
// starting with =, +, -, @ (or a tab or carriage return) gets a leading
// apostrophe. Every cell of ours that holds text someone typed (a name, a
// round, an e-mail address) goes through it on its way into a CSV or XLSX
// file, which HR opens in Excel.
func SafeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
