package mailtest

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
)

// Decoded is a message as its reader sees it: headers decoded from
// their encoded words, and the plain text and HTML parts.
type Decoded struct {
	Header  mail.Header
	Subject string
	To      []*mail.Address
	Text    string
	HTML    string
}

// Decode reads a message the relay took.
func (m Message) Decode() (*Decoded, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		return nil, err
	}
	d := &Decoded{Header: msg.Header}
	dec := new(mime.WordDecoder)
	if d.Subject, err = dec.DecodeHeader(msg.Header.Get("Subject")); err != nil {
		return nil, fmt.Errorf("subject: %w", err)
	}
	if d.To, err = msg.Header.AddressList("To"); err != nil {
		return nil, fmt.Errorf("to: %w", err)
	}
	err = d.readPart(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body)
	return d, err
}

func (d *Decoded) readPart(contentType, encoding string, body io.Reader) error {
	media, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return fmt.Errorf("content type %q: %w", contentType, err)
	}
	if strings.HasPrefix(media, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err == io.EOF {
				return nil
			} else if err != nil {
				return err
			}
			if err := d.readPart(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p); err != nil {
				return err
			}
		}
	}
	switch strings.ToLower(encoding) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	if !strings.EqualFold(params["charset"], "utf-8") {
		return fmt.Errorf("part %s has charset %q, want UTF-8", media, params["charset"])
	}
	switch media {
	case "text/plain":
		d.Text = string(b)
	case "text/html":
		d.HTML = string(b)
	}
	return nil
}
