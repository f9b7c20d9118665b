# Sourced by the scripts that build Switchboard (and read by the Makefile): the C compiler's
# flags for every cgo package, cgo's own default (-O2 -g, kept: SQLite's speed depends on it)
# plus what leaves out C code the app never calls: the binary is mapped into the app's memory
# (README, "Memory, fifth round"). Go's build cache keys each cgo package by these flags, so
# every build that uses them shares one compiled SQLite. (The flags are split on spaces: the
# checkout's path must have none.)
#
# miniaudio (github.com/gen2brain/malgo compiles all of it): the app uses only its devices
# (voice notes are recorded through PulseAudio/ALSA, tests through the null backend) — not its
# decoders, encoders, generators, resource manager, node graph or engine, nor the JACK
# backend: 354 KB.
# SQLite (github.com/mattn/go-sqlite3's amalgamation): no progress callback and no shared cache
# (neither is used; both are among SQLite's recommended omissions and work with the
# amalgamation; sqlite3_interrupt, which cancels a query, does not depend on them), and, through
# scripts/sqlite-trim.h, neither FTS3/FTS4 nor R*Tree (the store's full-text index is FTS5):
# 181 KB.
switchboard_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SWITCHBOARD_CGO_DEFINES="-DMA_NO_DECODING -DMA_NO_ENCODING -DMA_NO_GENERATION -DMA_NO_RESOURCE_MANAGER -DMA_NO_NODE_GRAPH -DMA_NO_ENGINE -DMA_NO_JACK"
SWITCHBOARD_CGO_DEFINES+=" -DSQLITE_OMIT_PROGRESS_CALLBACK -DSQLITE_OMIT_SHARED_CACHE -include $switchboard_root/scripts/sqlite-trim.h"
case " ${CGO_CFLAGS:-} " in
*" -DMA_NO_ENGINE "*) ;; # already set (make exports it to the scripts it runs)
*) export CGO_CFLAGS="${CGO_CFLAGS:--O2 -g} $SWITCHBOARD_CGO_DEFINES" ;;
esac
unset switchboard_root
