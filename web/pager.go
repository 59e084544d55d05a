package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
)

// A large organisation has thousands of groups: HR's round overview and
// heatmap show them a page at a time, so that a page stays quick to send,
// to draw and to read. The summaries still count them all.

// groupPager leads through the pages of a list of groups.
type groupPager struct {
	Text       string   // "Side 2 af 40: grupperne 51–100 af 1.999"
	Prev, Next string   // URLs, empty on the first and last page
	T          *Printer // for the pager's own labels
}

// groupPage returns the groups [first, last) of total that the page asked
// for in ?page= shows, size to a page, and the pager when there is more
// than one page, with links to base?page=n. A page that does not exist is
// answered with 404 and ok false.
func (s *Server) groupPage(c *gin.Context, p *Printer, total, size int, base string) (first, last int, pager *groupPager, ok bool) {
	pages := max(1, (total+size-1)/size)
	page := 1
	if q, given := c.GetQuery("page"); given {
		n, err := strconv.Atoi(q)
		if err != nil || n < 1 || n > pages || q != strconv.Itoa(n) {
			s.renderError(c, http.StatusNotFound, "error.notfound")
			return 0, 0, nil, false
		}
		page = n
	}
	first, last = (page-1)*size, min(page*size, total)
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&" // a search's query comes first
	}
	if pages > 1 {
		pager = &groupPager{T: p, Text: p.T("pager.text", page, pages, first+1, last, total)}
		if page > 1 {
			pager.Prev = fmt.Sprintf("%s%spage=%d", base, sep, page-1)
		}
		if page < pages {
			pager.Next = fmt.Sprintf("%s%spage=%d", base, sep, page+1)
		}
	}
	return first, last, pager, true
}
