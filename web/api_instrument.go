package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"lederradar/survey"
)

// apiInstrumentRequest is what GET /api/v1/instrument reads: the language
// of the texts, da (the default) or en.
type apiInstrumentRequest struct {
	Lang string `form:"lang"`
}

// apiItem, apiCompetence, apiScalePoint and apiInstrument are the body of
// GET /api/v1/instrument; openapi.json describes them as Instrument.
type apiItem struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

type apiCompetence struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	Label       string    `json:"label"`
	Description string    `json:"description"`
	Items       []apiItem `json:"items"`
}

type apiScalePoint struct {
	Value int    `json:"value"`
	Label string `json:"label"`
}

type apiInstrument struct {
	Version     string          `json:"version"`
	Language    survey.Lang     `json:"language"`
	Title       string          `json:"title"`
	Scale       []apiScalePoint `json:"scale"`
	Competences []apiCompetence `json:"competences"`
}

// apiInstrument describes the current instrument: GET /api/v1/instrument,
// texts in Danish or, with ?lang=en, English.
func (s *Server) apiInstrument(c *gin.Context) {
	var req apiInstrumentRequest
	lang, ok := survey.Danish, true
	if err := c.ShouldBindQuery(&req); err != nil {
		ok = false
	} else if req.Lang != "" {
		lang, ok = survey.ParseLang(req.Lang)
	}
	if !ok {
		apiError(c, http.StatusBadRequest, survey.EINVALID, "lang must be da or en")
		return
	}
	in := s.instrument
	out := apiInstrument{Version: in.Version, Language: lang, Title: in.Title.In(lang)}
	for _, sp := range in.Scale {
		out.Scale = append(out.Scale, apiScalePoint{Value: int(sp.Value), Label: sp.Label.In(lang)})
	}
	out.Scale = append(out.Scale, apiScalePoint{Value: int(survey.DontKnow), Label: in.DontKnow.Label.In(lang)})
	for _, comp := range in.Competences {
		ac := apiCompetence{ID: comp.ID, Name: comp.Name.In(lang), Label: comp.Label.In(lang), Description: comp.Description.In(lang)}
		for _, it := range comp.Items {
			ac.Items = append(ac.Items, apiItem{ID: it.ID, Text: it.Text.In(lang)})
		}
		out.Competences = append(out.Competences, ac)
	}
	c.JSON(http.StatusOK, out)
}
