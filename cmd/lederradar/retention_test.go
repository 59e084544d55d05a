package main

import (
	"bytes"
	"strings"
	"testing"

	"lederradar/survey"
)

func TestRetentionFlag(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  string
		want survey.Retention
		bad  bool
	}{
		{name: "default is 36 months", want: survey.Retention{Months: 36}},
		{name: "months", args: []string{"--retention", "24m"}, want: survey.Retention{Months: 24}},
		{name: "months spelt out", args: []string{"--retention=18mo"}, want: survey.Retention{Months: 18}},
		{name: "years", args: []string{"--retention", "5y"}, want: survey.Retention{Months: 60}},
		{name: "days", args: []string{"--retention", "400d"}, want: survey.Retention{Days: 400}},
		{name: "off", args: []string{"--retention", "0"}, want: survey.Retention{}},
		{name: "environment", env: "12m", want: survey.Retention{Months: 12}},
		{name: "the command line wins", args: []string{"--retention", "6m"}, env: "12m", want: survey.Retention{Months: 6}},
		{name: "minutes are refused", args: []string{"--retention", "90min"}, bad: true},
		{name: "a Go duration is refused", args: []string{"--retention", "720h"}, bad: true},
		{name: "garbage", args: []string{"--retention", "lang"}, bad: true},
		{name: "bad environment", env: "forever", bad: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.env != "" {
				t.Setenv("LEDERRADAR_RETENTION", tt.env)
			}
			var stderr bytes.Buffer
			cfg, err := parseConfig("serve", tt.args, &stderr)
			if tt.bad {
				if err == nil {
					t.Errorf("parseConfig(%v) = %+v, want an error", tt.args, cfg.Retention)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseConfig(%v): %v\n%s", tt.args, err, stderr.String())
			}
			if cfg.Retention != tt.want {
				t.Errorf("retention = %+v, want %+v", cfg.Retention, tt.want)
			}
		})
	}
}

func TestPrivacyFlags(t *testing.T) {
	var stderr bytes.Buffer
	cfg, err := parseConfig("demo", nil, &stderr)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.OrgName != "Demo Kommune" || cfg.PrivacyContact != "privacy@demo.kommune.dk" {
		t.Errorf("demo defaults: %q, %q", cfg.OrgName, cfg.PrivacyContact)
	}
	cfg, err = parseConfig("serve", nil, &stderr)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.OrgName != "" || cfg.PrivacyContact != "" {
		t.Errorf("serve defaults: %q, %q; want none", cfg.OrgName, cfg.PrivacyContact)
	}
	t.Setenv("LEDERRADAR_ORG_NAME", "Aarhus Kommune")
	t.Setenv("LEDERRADAR_PRIVACY_CONTACT", "dpo@aarhus.dk")
	cfg, err = parseConfig("serve", []string{"--org-name", "Odense Kommune"}, &stderr)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.OrgName != "Odense Kommune" || cfg.PrivacyContact != "dpo@aarhus.dk" {
		t.Errorf("flags and environment: %q, %q", cfg.OrgName, cfg.PrivacyContact)
	}
	if !strings.Contains(usage, "--retention") {
		t.Error("the usage text does not mention --retention")
	}
}
