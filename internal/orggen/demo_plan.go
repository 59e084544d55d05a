package orggen

import (
	"context"
	"time"

	"lederradar/data"
	"lederradar/survey"
)

// The demo's development plans and share (DESIGN C8): the submitted
// leader whose link the demo prints made a plan in the spring round and
// another in the open one, so their result shows how last plan's focus
// competences moved, and shares the open round's with their manager.

// demoShareRecipient is whom the demo's leader shares with.
const demoShareRecipient = "Mette Lund"

// demoPlans are the plans of the spring round and the open round.
var demoPlans = [2][]survey.Focus{
	{
		{CompetenceID: "conflict", Actions: "Tage konflikten op, mens den er lille: spørge ind til interesserne i stedet for at forsvare min afdelings løsning.", Involve: "Min leder og lederne i naboafdelingen"},
		{CompetenceID: "citizen", Actions: "Starte hvert koordinationsmøde med en konkret borgersag.", Involve: "Teamet i Klimatilpasning"},
	},
	{
		{CompetenceID: "conflict", Actions: "Før møder med de andre afdelinger: skrive ned, hvad der er vigtigt for dem. Under møderne: sige det højt, når vi er uenige. Bagefter: følge op med en kort mail.", Involve: "Min leder, som jeg aftaler sparring med"},
		{CompetenceID: "across", Actions: "Invitere en kollega fra en anden forvaltning med på mine næste to styregruppemøder.", Involve: "Kolleger i Sundhed og Omsorg"},
		{CompetenceID: "patience", Actions: "Give nye samarbejder tre møder, før jeg vurderer, om de virker.", Involve: "Mig selv – jeg skriver det i kalenderen"},
	},
}

// seedDemoPlans writes the plans of the leader and their share of the
// open round's; it returns the share's token.
func seedDemoPlans(ctx context.Context, db *data.DB, in *survey.Instrument, spring, open survey.Round, leader survey.Person, now time.Time) (string, error) {
	for i, r := range []survey.Round{spring, open} {
		plan := survey.Plan{RoundID: r.ID, PersonID: leader.ID, Focuses: demoPlans[i]}
		if i == 1 {
			plan.RevisitOn = time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 3, 0)
		}
		if err := db.SavePlan(ctx, plan, in); err != nil {
			return "", err
		}
	}
	return demoShare(ctx, db, open.ID, leader.ID)
}

// demoShare revokes the leader's active shares of the round, whose links
// an earlier start printed, and makes a new one: each start prints links
// that work, and the ones printed before stop, as personal links do.
func demoShare(ctx context.Context, db *data.DB, roundID, personID int64) (string, error) {
	shares, err := db.FindShares(ctx, roundID, personID)
	if err != nil {
		return "", err
	}
	for _, s := range shares {
		if s.RevokedAt.IsZero() {
			if err := db.RevokeShare(ctx, personID, s.ID); err != nil {
				return "", err
			}
		}
	}
	_, token, err := db.AddShare(ctx, roundID, personID, demoShareRecipient, survey.DefaultShareDays)
	return token, err
}
