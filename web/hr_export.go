package web

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"

	"lederradar/internal/csvfile"

	"github.com/gin-gonic/gin"
	"github.com/xuri/excelize/v2"

	"lederradar/data"
	"lederradar/survey"
)

// profileRecords is the aggregate export as rows: one per group and
// competence. Suppressed groups and competences carry no mean, sd,
// distribution or count of high scores, only the reason; groups with
// fewer than min-group invited carry no invited or respondents count
// either. The count of high scores (DESIGN C14), the last column, is
// blank too where the round's report never counted it.
//
// The header is in the reader's language and the columns keep their order;
// the group's and the competence's ids (organisation, department-3, trust)
// are columns of their own, stable in every language, for whatever reads
// the file by machine.
func (s *Server) profileRecords(p *Printer, rep *data.RoundReport) ([]string, [][]any) {
	header := []string{p.T("hr.export_col_round"), p.T("hr.export_col_group_id"), p.T("hr.export_col_kind"), p.T("hr.export_col_group"),
		p.T("hr.export_col_members"), p.T("hr.export_col_invited"), p.T("hr.export_col_respondents"),
		p.T("hr.export_col_competence_id"), p.T("hr.export_col_competence"),
		p.T("hr.export_col_n"), p.T("hr.export_col_mean"), p.T("hr.export_col_sd"), p.T("hr.export_col_suppressed")}
	for _, sp := range rep.Instrument.Scale {
		header = append(header, fmt.Sprintf("%s (%d)", p.Text(sp.Label), sp.Value))
	}
	header = append(header, p.Text(rep.Instrument.DontKnow.Label), p.T("hr.export_col_high"))
	var rows [][]any
	for _, g := range rep.Groups {
		gp := g.Profile
		for i, comp := range rep.Instrument.Competences {
			ca := gp.Competences[i]
			hidden := countsHidden(p, g.Invited, g.Submitted, rep.MinGroup)
			var invited, respondents any = g.Invited, gp.N
			if hidden != "" {
				invited, respondents = "", ""
			}
			row := []any{csvfile.SafeCell(rep.Round.Name), g.Spec.Key, p.T("kind." + string(g.Spec.Kind)), csvfile.SafeCell(groupName(p, g.Spec)), gp.Members, invited, respondents,
				comp.ID, csvfile.SafeCell(p.Text(comp.Name))}
			if gp.Suppressed || ca.Suppressed {
				reason := p.T("hr.suppressed", rep.MinGroup)
				switch {
				case hidden != "":
					reason = hidden
				case gp.Suppressed:
					reason = suppressedText(p, gp.N, rep.MinGroup)
				}
				row = append(row, "", "", "", reason, "", "", "", "", "", "", "")
			} else {
				row = append(row, ca.N, ca.Mean, ca.SD, "")
				for _, sp := range rep.Instrument.Scale {
					row = append(row, ca.Distribution[sp.Value])
				}
				var high any = ""
				if ca.HighKnown() {
					high = ca.High
				}
				row = append(row, ca.Distribution[survey.DontKnow], high)
			}
			rows = append(rows, row)
		}
	}
	return header, rows
}

// exportProfilesCSV sends the aggregates as CSV the way Danish Excel reads
// it: UTF-8 with BOM, semicolons, decimal comma in Danish.
func (s *Server) exportProfilesCSV(c *gin.Context) {
	rep, ok := s.closedReport(c)
	if !ok {
		return
	}
	p := s.catalogues.Printer(s.lang(c.Request))
	header, rows := s.profileRecords(p, rep)
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	w.Comma = ';'
	_ = w.Write(header)
	for _, row := range rows {
		rec := make([]string, len(row))
		for i, v := range row {
			switch v := v.(type) {
			case float64:
				rec[i] = strconv.FormatFloat(v, 'f', 4, 64)
				if p.Lang == survey.Danish {
					rec[i] = strings.Replace(rec[i], ".", ",", 1)
				}
			default:
				rec[i] = fmt.Sprint(v)
			}
		}
		_ = w.Write(rec)
	}
	w.Flush()
	s.audit(c, "export.profiles_csv", "round:"+itoa64(rep.Round.ID), "")
	s.download(c, fmt.Sprintf("lederradar-profiler-%d.csv", rep.Round.ID), "text/csv; charset=utf-8", buf.Bytes())
}

// The columns of profileRecords that hold a mean and an sd.
const meanColumn, sdColumn = 10, 11

// exportProfilesXLSX sends the aggregates as an Excel workbook with numbers
// as numbers: means and sds show one decimal, as on the pages, and keep
// their full precision in the cell.
func (s *Server) exportProfilesXLSX(c *gin.Context) {
	rep, ok := s.closedReport(c)
	if !ok {
		return
	}
	p := s.catalogues.Printer(s.lang(c.Request))
	header, rows := s.profileRecords(p, rep)
	f := excelize.NewFile()
	defer f.Close()
	sheet := "Profiler"
	if p.Lang == survey.English {
		sheet = "Profiles"
	}
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		s.fail(c, err)
		return
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		s.fail(c, err)
		return
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		s.fail(c, err)
		return
	}
	oneDecimal := "0.0"
	decimal, err := f.NewStyle(&excelize.Style{CustomNumFmt: &oneDecimal})
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := sw.SetColWidth(1, len(header), 16); err != nil {
		s.fail(c, err)
		return
	}
	hdr := make([]any, len(header))
	for i, h := range header {
		hdr[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := sw.SetRow("A1", hdr); err != nil {
		s.fail(c, err)
		return
	}
	for i, row := range rows {
		for _, col := range []int{meanColumn, sdColumn} {
			if v, ok := row[col].(float64); ok {
				row[col] = excelize.Cell{StyleID: decimal, Value: v}
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row); err != nil {
			s.fail(c, err)
			return
		}
	}
	if err := sw.Flush(); err != nil {
		s.fail(c, err)
		return
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		s.fail(c, err)
		return
	}
	s.audit(c, "export.profiles_xlsx", "round:"+itoa64(rep.Round.ID), "")
	s.download(c, fmt.Sprintf("lederradar-profiler-%d.xlsx", rep.Round.ID),
		"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf.Bytes())
}

// exportItems sends item-level answers for analysts: one row per submitted
// self-assessment, in random order, under a pseudonym that is new for every
// export, with no name, e-mail or group column. Only for closed rounds
// whose organisation passes the anonymity threshold; every export is
// audit-logged.
func (s *Server) exportItems(c *gin.Context) {
	rep, ok := s.closedReport(c)
	if !ok {
		return
	}
	if rep.Groups[0].Profile.N < rep.MinGroup {
		s.renderError(c, http.StatusConflict, "error.too_few", rep.MinGroup)
		return
	}
	switch ok, err := s.db.ItemRowsMayGo(c.Request.Context(), rep); {
	case err != nil:
		s.fail(c, err)
		return
	case !ok:
		s.renderError(c, http.StatusConflict, "error.items_withheld", rep.MinGroup)
		return
	}
	responses, err := s.db.FindSubmittedResponses(c.Request.Context(), rep.Round.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	p := s.catalogues.Printer(s.lang(c.Request))
	rand.Shuffle(len(responses), func(i, j int) { responses[i], responses[j] = responses[j], responses[i] })
	var items []string
	for _, comp := range rep.Instrument.Competences {
		for _, it := range comp.Items {
			items = append(items, it.ID)
		}
	}
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	w.Comma = ';'
	// The items keep their ids as headers: the columns of the response
	// import (README, CSV formats), for analysts' tools.
	_ = w.Write(append([]string{p.T("hr.export_col_respondent")}, items...))
	n := 0
	for _, r := range responses {
		if r.Relation != survey.Self {
			continue
		}
		n++
		rec := []string{fmt.Sprintf("R%04d", n)}
		for _, id := range items {
			if a, ok := r.Answers[id]; ok {
				rec = append(rec, strconv.Itoa(int(a)))
			} else {
				rec = append(rec, "")
			}
		}
		_ = w.Write(rec)
	}
	w.Flush()
	s.audit(c, "export.items", "round:"+itoa64(rep.Round.ID), fmt.Sprintf("%d rows", n))
	s.download(c, fmt.Sprintf("lederradar-svar-%d.csv", rep.Round.ID), "text/csv; charset=utf-8", buf.Bytes())
}

// download sends a file as an attachment.
func (s *Server) download(c *gin.Context, name, contentType string, body []byte) {
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, name))
	c.Data(http.StatusOK, contentType, body)
}
