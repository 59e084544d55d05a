// Package csvfile reads the CSV files HR brings (people, and answers
// collected elsewhere) as Danish Excel writes them — UTF-8 or
// Windows-1252, comma or semicolon, a byte order mark or none — checking
// each file as a whole, with line-numbered problems. It is a file format,
// not a rule of the assessment, so it lives beside the domain (survey),
// which its rows are made of.
package csvfile
