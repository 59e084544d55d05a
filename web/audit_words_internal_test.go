package web

import (
	"testing"

	"lederradar/survey"
)

// TestAuditWords: every shape of entry the log holds reads as words, in
// Danish and English; codes it does not know stay as they are.
func TestAuditWords(t *testing.T) {
	cats, err := LoadCatalogues()
	if err != nil {
		t.Fatal(err)
	}
	names := auditNames{users: map[string]string{"user:1": "hr@kommune.dk"}, rounds: map[int64]string{2: "Forår 2026"}, groups: map[int64]string{3: "Børn og Unge"}}
	tests := []struct {
		entry survey.AuditEntry
		da    auditWords
		en    string // the English action
	}{
		{survey.AuditEntry{Actor: "user:1", Action: "export.items", Target: "round:2", Detail: "42 rows"},
			auditWords{"hr@kommune.dk", "Hentede svar pr. udsagn (CSV)", "Runden »Forår 2026«", "Rækker: 42"}, "Downloaded answers per statement (CSV)"},
		{survey.AuditEntry{Actor: "user:1", Action: "profile.view", Target: "round:9", Detail: "group:department-3"},
			auditWords{"hr@kommune.dk", "Så en gruppeprofil", "Runde nr. 9", "Gruppen »Børn og Unge«"}, "Viewed a group profile"},
		{survey.AuditEntry{Actor: "user:7", Action: "profile.view", Target: "round:2", Detail: "group:organisation"},
			auditWords{"Bruger nr. 7", "Så en gruppeprofil", "Runden »Forår 2026«", "Hele organisationen"}, "Viewed a group profile"},
		{survey.AuditEntry{Actor: "cli", Action: "import.people", Detail: "created 1200, updated 3 people; 4 new groups"},
			auditWords{"Kommandolinjen", "Importerede personer", "", "Nye personer: 1.200, opdaterede: 3, nye grupper: 4"}, "Imported people"},
		{survey.AuditEntry{Actor: "cli", Action: "import.raters", Target: "round:2", Detail: "12 raters"},
			auditWords{"Kommandolinjen", "Importerede bedømmere (360)", "Runden »Forår 2026«", "Bedømmere: 12"}, "Imported raters (360)"},
		{survey.AuditEntry{Actor: "cli", Action: "round.open", Target: "round:2", Detail: "draft → open"},
			auditWords{"Kommandolinjen", "Åbnede en runde", "Runden »Forår 2026«", "Kladde → Åben"}, "Opened a round"},
		{survey.AuditEntry{Actor: "system", Action: "retention.delete", Target: "round:5", Detail: "closed 2023-03-31 12:00:00"},
			auditWords{"Systemet", "Slettede en runde efter opbevaringsperioden", "Runde nr. 5", "Lukket 31. marts 2023"}, "Deleted a round after the retention period"},
		{survey.AuditEntry{Actor: "leader:12", Action: "mydata.download", Target: "person:12"},
			auditWords{"Leder (person nr. 12)", "Hentede sine egne data", "Person nr. 12", ""}, "Downloaded their own data"},
		{survey.AuditEntry{Actor: "token:4", Action: "api.profiles", Target: "round:2"},
			auditWords{"API-nøgle nr. 4", "Hentede profiler gennem API'et", "Runden »Forår 2026«", ""}, "Fetched profiles through the API"},
		{survey.AuditEntry{Actor: "cli", Action: "token.create", Target: "token:4", Detail: "role hr"},
			auditWords{"Kommandolinjen", "Oprettede en API-nøgle", "API-nøgle nr. 4", "Rolle: HR"}, "Created an API token"},
		{survey.AuditEntry{Actor: "anonymous", Action: "login.failed"},
			auditWords{"Ikke logget ind", "Log-ind mislykkedes", "", ""}, "Log-in failed"},
		{survey.AuditEntry{Actor: "user:1", Action: "invitations.reissue", Target: "round:2", Detail: "48 links, 45 re-issued (their old links stopped working)"},
			auditWords{"hr@kommune.dk", "Lavede nye links til alle", "Runden »Forår 2026«", "Links: 48, heraf nye til 45, hvis gamle links holdt op med at virke"}, "Made new links for everyone"},
		{survey.AuditEntry{Actor: "robot", Action: "future.thing", Target: "thing:x", Detail: "as it was"},
			auditWords{"robot", "future.thing", "thing:x", "as it was"}, "future.thing"},
	}
	da, en := cats.Printer(survey.Danish), cats.Printer(survey.English)
	for _, tt := range tests {
		if got := names.words(da, tt.entry); got != tt.da {
			t.Errorf("%+v in Danish:\n got %+v\nwant %+v", tt.entry, got, tt.da)
		}
		if got := names.words(en, tt.entry).Action; got != tt.en {
			t.Errorf("%s in English = %q, want %q", tt.entry.Action, got, tt.en)
		}
	}
}
