package orggen

import "strings"

// The generator's one set of names. The demo takes the first areas as its
// departments and the first themes as its teams; Generate combines and
// numbers them to have as many as it needs.
var areas = []string{
	"Børn og Unge", "Social og Sundhed", "Teknik og Miljø", "Kultur og Fritid", "Borgerservice",
	"Beskæftigelse", "Skole", "Dagtilbud", "Ældre", "Handicap og Psykiatri", "Økonomi og Personale",
	"Plan og Byg", "Natur og Klima", "Digitalisering", "Familie", "Sundhedspleje",
}

var units = []string{
	"Nord", "Syd", "Øst", "Vest", "Centrum", "Havnen", "Engen", "Skoven", "Bakken", "Åen",
	"Torvet", "Stationen", "Parken", "Marken", "Fjorden", "Kysten",
}

var themes = []string{
	"Sammenhængende ungeindsats", "Klimatilpasning", "Det nære sundhedsvæsen", "Digital borgerservice",
	"Tidlig indsats", "Byudvikling", "Rekruttering og fastholdelse", "Frivillighed", "Mental sundhed",
	"Grøn omstilling", "Udsatte familier", "Sammen om skolen", "Borgerinddragelse", "Data og kvalitet",
}

var firstNames = []string{
	"Anne", "Mette", "Hanne", "Susanne", "Lene", "Marianne", "Camilla", "Louise", "Pia", "Karen", "Tina", "Maria",
	"Helle", "Charlotte", "Rikke", "Sofie", "Ida", "Birgitte", "Line", "Nanna", "Peter", "Jens", "Lars", "Søren",
	"Henrik", "Thomas", "Michael", "Niels", "Anders", "Rasmus", "Martin", "Jesper", "Morten", "Christian",
	"Kasper", "Jakob", "Mads", "Frederik", "Bo", "Ole", "Aisha", "Ali", "Fatima", "Omar", "Zeynep", "Emir",
}

var lastNames = []string{
	"Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen", "Rasmussen",
	"Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Poulsen", "Johansen", "Møller",
	"Mortensen", "Østergaard", "Yilmaz", "Hussein", "Holm", "Dahl", "Lund", "Bach", "Krogh", "Friis",
}

// ascii makes a name part fit an e-mail address.
func ascii(s string) string {
	r := strings.NewReplacer("æ", "ae", "ø", "oe", "å", "aa", "Æ", "ae", "Ø", "oe", "Å", "aa")
	return strings.ToLower(r.Replace(s))
}
