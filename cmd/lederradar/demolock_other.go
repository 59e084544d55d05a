//go:build !unix

package main

// lockDemo does nothing where flock is missing: there the port, opened
// first, is what keeps a second demo from touching a running one's
// database.
func lockDemo(string) (unlock func(), err error) {
	return func() {}, nil
}
