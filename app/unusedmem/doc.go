// Package unusedmem hands back to the OS memory a desktop process holds but is not using, once the
// process has gone still: the free pages inside the C heap, and the pages of its own executable's
// code and constants that it mapped while busy. It is shared by the app and bench/barewails, so
// `make bench` compares the two windows with the same care taken of memory on both sides.
package unusedmem
