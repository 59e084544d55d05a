package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/gin-gonic/gin"
)

// staticFiles holds the files served under /static/ and nothing else:
// templates live apart so they can never be served.
//
//go:embed static
var staticFiles embed.FS

// Assets maps logical asset names ("css/app.css") to content-hashed URLs
// ("/static/css/app.1a2b3c4d5e.css"), which may then be cached for ever:
// a change of content is a change of URL.
type Assets struct {
	urls  map[string]string // logical name → URL
	files map[string]asset  // URL path below /static/ → file
}

type asset struct {
	body        []byte
	contentType string
}

// LoadAssets hashes every embedded static file.
func LoadAssets() (*Assets, error) {
	sub, err := fs.Sub(staticFiles, "static")
	if err != nil {
		return nil, fmt.Errorf("web: static files: %w", err)
	}
	a := &Assets{urls: map[string]string{}, files: map[string]asset{}}
	err = fs.WalkDir(sub, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		ext := path.Ext(name)
		switch ext {
		case ".js", ".css", ".svg", ".png", ".ico", ".woff2":
		default:
			return nil // licences and read-mes stay in the repository
		}
		body, err := fs.ReadFile(sub, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:5]) + ext
		ct := mime.TypeByExtension(ext)
		if ext == ".js" {
			ct = "text/javascript; charset=utf-8"
		}
		a.urls[name] = "/static/" + hashed
		a.files[hashed] = asset{body: body, contentType: ct}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: static files: %w", err)
	}
	return a, nil
}

// URL returns the content-hashed URL of a logical asset name. An unknown
// name panics at template parse time in tests, never silently at run time.
func (a *Assets) URL(name string) (string, error) {
	u, ok := a.urls[name]
	if !ok {
		return "", fmt.Errorf("web: no static asset %q", name)
	}
	return u, nil
}

// serve answers /static/*file with long, immutable caching.
func (a *Assets) serve(c *gin.Context) {
	f, ok := a.files[strings.TrimPrefix(c.Param("file"), "/")]
	if !ok {
		c.Status(http.StatusNotFound)
		return
	}
	h := c.Writer.Header()
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	c.Data(http.StatusOK, f.contentType, f.body)
}
