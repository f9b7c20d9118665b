package app

// One malloc arena for the whole process. By default glibc gives a thread that allocates while
// another holds an arena one of its own (up to 8 per core), and each arena keeps the memory it
// once held: the app's threads (GTK's, and the Go threads SQLite runs on for the read, scan,
// write and checkpoint connections) had 9 arenas holding 3.8 MB after 100 chats against 0.3 MB
// for a bare Wails window; with one, the Go process's anonymous memory was 3.9 MB less (make
// bench's memory step). Small allocations mostly come from each thread's own cache (tcache)
// without taking the arena's lock, and the desktop runs few threads at once. The limit is set by
// a constructor, while the loader starts the process: a thread's first malloc attaches it to an
// arena, creating one while no limit is set, and the Go runtime's threads allocate (to start
// each other) before any Go code runs. MALLOC_ARENA_MAX set by hand wins.

/*
#include <malloc.h>
#include <stdlib.h>

__attribute__((constructor)) static void switchboard_one_malloc_arena(void) {
	if (getenv("MALLOC_ARENA_MAX") == NULL) mallopt(M_ARENA_MAX, 1);
}
*/
import "C"

// returnFreedCHeap gives the pages of the C heap's free chunks back to the OS, wherever they are
// in the heap (glibc returns only the top on its own). On the app's one arena, after 100 chats,
// this was 0.75-1.4 MB of the Go process's memory (the README's Performance, "Memory"). It walks
// the free chunks, well under a millisecond for the app's few MB, and runs once per still period
// (trimWhenStill).
var returnFreedCHeap = func() { C.malloc_trim(0) }
