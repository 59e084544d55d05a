package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"

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
	// gzipped returns the body compressed with gzip, or nil when that
	// does not pay (images, fonts, tiny files). It compresses once; the
	// first call may wait for the compression under way.
	gzipped func() []byte
}

// compressible are the extensions of text assets worth compressing.
var compressible = map[string]bool{".js": true, ".css": true, ".svg": true}

// gzipOnce returns a function that compresses body once, at the best
// compression (it is done once per start), and returns nil when the
// result would not save a tenth.
func gzipOnce(body []byte) func() []byte {
	return sync.OnceValue(func() []byte {
		var buf bytes.Buffer
		w, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		if err != nil {
			return nil
		}
		if _, err := w.Write(body); err != nil || w.Close() != nil {
			return nil
		}
		if buf.Len() > len(body)*9/10 {
			return nil
		}
		return buf.Bytes()
	})
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
		f := asset{body: body, contentType: ct, gzipped: func() []byte { return nil }}
		if compressible[ext] {
			f.gzipped = gzipOnce(body)
		}
		a.urls[name] = "/static/" + hashed
		a.files[hashed] = f
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: static files: %w", err)
	}
	// Compress in the background, so that start-up does not wait for the
	// ECharts bundle (a tenth of a second at best compression); a request
	// that comes first waits for its own file only.
	go func() {
		for _, f := range a.files {
			f.gzipped()
		}
	}()
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

// serve answers /static/*file with long, immutable caching, compressed
// with gzip when the browser accepts it and that pays.
func (a *Assets) serve(c *gin.Context) {
	f, ok := a.files[strings.TrimPrefix(c.Param("file"), "/")]
	if !ok {
		c.Status(http.StatusNotFound)
		return
	}
	h := c.Writer.Header()
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	body := f.body
	if compressible[path.Ext(c.Param("file"))] {
		// Caches must keep the two forms apart.
		h.Set("Vary", "Accept-Encoding")
		if acceptsGzip(c.Request.Header.Values("Accept-Encoding")) {
			if gz := f.gzipped(); gz != nil {
				h.Set("Content-Encoding", "gzip")
				body = gz
			}
		}
	}
	c.Data(http.StatusOK, f.contentType, body)
}

// acceptsGzip reports whether Accept-Encoding values allow gzip: named
// with a q-value above 0, or covered by "*" without being refused by name.
func acceptsGzip(values []string) bool {
	named, star := false, false
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			coding = strings.ToLower(strings.TrimSpace(coding))
			if coding != "gzip" && coding != "x-gzip" && coding != "*" {
				continue
			}
			ok := true
			for _, p := range strings.Split(params, ";") {
				k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
				if strings.EqualFold(strings.TrimSpace(k), "q") {
					q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
					ok = err == nil && q > 0
				}
			}
			if coding == "*" {
				star = ok
				continue
			}
			if !ok {
				return false // refused by name, whatever "*" says
			}
			named = true
		}
	}
	return named || star
}
