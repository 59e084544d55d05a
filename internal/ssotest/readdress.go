package ssotest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"

	jose "github.com/go-jose/go-jose/v4"
)

// readdress serves the token endpoint, and after IssueFor signs the ID
// token it answers anew for the other audience, with the provider's own
// key: a token the provider issued to another application, as a client
// would see one that was swapped in. op itself always addresses the
// token to the client that asked.
func (p *Provider) readdress(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		audience := p.audience
		p.mu.Unlock()
		if audience == nil {
			next.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		if rec.Code == http.StatusOK {
			body = p.resign(body, audience)
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
	})
}

// resign replaces the audience and authorised party of the ID token in a
// token response, and signs it again; a response it cannot read stays as
// it is.
func (p *Provider) resign(body []byte, audience []string) []byte {
	var res map[string]any
	if json.Unmarshal(body, &res) != nil {
		return body
	}
	raw, _ := res["id_token"].(string)
	jws, err := jose.ParseSignedCompact(raw, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		return body
	}
	var claims map[string]any
	if json.Unmarshal(jws.UnsafePayloadWithoutVerification(), &claims) != nil {
		return body
	}
	claims["aud"], claims["azp"] = audience, audience[0]
	payload, _ := json.Marshal(claims)
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: p.key, KeyID: keyID}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return body
	}
	signed, err := signer.Sign(payload)
	if err != nil {
		return body
	}
	if res["id_token"], err = signed.CompactSerialize(); err != nil {
		return body
	}
	var out bytes.Buffer
	_ = json.NewEncoder(&out).Encode(res)
	return out.Bytes()
}
