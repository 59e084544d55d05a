package web

import (
	_ "embed"
	"net/http"

	"github.com/gin-gonic/gin"
)

// openAPIDocument is the OpenAPI 3.1 description of every /api/v1 route:
// the contract integrations rely on, kept beside the handlers and checked
// against their real answers by a test.
//
//go:embed openapi.json
var openAPIDocument []byte

// apiOpenAPI serves the API's own description: GET /api/v1/openapi.json.
// Public, like the instrument: it describes the routes and holds no data.
func (s *Server) apiOpenAPI(c *gin.Context) {
	c.Data(http.StatusOK, "application/json; charset=utf-8", openAPIDocument)
}
