// Package archtest holds the test that keeps the package arrows of the
// README's architecture section true: no package imports one above it,
// SQL stays in data, Gin and go-echarts stay in web, and the domain and
// the scoring rules touch no I/O. It has no code of its own.
package archtest
